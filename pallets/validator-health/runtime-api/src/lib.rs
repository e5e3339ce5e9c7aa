//! Runtime API of the validator-health pallet, for polkadot.js (`api.call.validatorHealthApi`),
//! relayers and the node.

#![cfg_attr(not(feature = "std"), no_std)]
// `decl_runtime_apis!` restates the trait's generic bounds in the code it generates.
#![allow(clippy::multiple_bound_locations)]

use ballast_ethereum_proofs::{calls::SlashingProof, BeaconBlockHeader, ForkSchedule};
use codec::Codec;
use pallet_validator_health::{LrtAggregates, ValidatorRecord};

sp_api::decl_runtime_apis! {
	/// Tracked validators, per-LRT aggregates, the fork schedule, and a preflight check of a
	/// validator proof, read from the validator-health pallet.
	pub trait ValidatorHealthApi<AssetId: Codec> {
		/// A tracked validator's record, by beacon-chain index.
		fn validator(index: u64) -> Option<ValidatorRecord<AssetId>>;
		/// An LRT's totals over its tracked validators.
		fn lrt_aggregates(lrt: AssetId) -> LrtAggregates;
		/// The Ethereum fork schedule the chain follows.
		fn ethereum_forks() -> Option<ForkSchedule>;
		/// Verifies a validator record proven against a finalized header's state root, changing
		/// nothing: the header's slot, or the error `report_slashing` would fail with.
		fn check_validator_proof(
			header: BeaconBlockHeader,
			proof: SlashingProof,
		) -> Result<u64, sp_runtime::DispatchError>;
	}
}
