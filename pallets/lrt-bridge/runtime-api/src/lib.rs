//! Runtime API of the LRT bridge, for wallets, relayers and the gateway's releaser.

#![cfg_attr(not(feature = "std"), no_std)]

use codec::Codec;
pub use pallet_lrt_bridge::{BridgeTotals, WithdrawalProof};

sp_api::decl_runtime_apis! {
	/// The bridge's view of its LRTs and withdrawals.
	pub trait LrtBridgeApi<AssetId, Profile, Withdrawal, BlockNumber>
	where
		AssetId: Codec,
		Profile: Codec,
		Withdrawal: Codec,
		BlockNumber: Codec,
	{
		/// An LRT's profile (token and gateway addresses, exposure, mint limit, state).
		fn lrt(lrt: AssetId) -> Option<Profile>;
		/// Everything deposited and withdrawn over the bridge for an LRT (its supply on Ballast is
		/// the difference).
		fn totals(lrt: AssetId) -> BridgeTotals<u128>;
		/// A withdrawal by nonce; `None` once its commitment was pruned (`CommitmentRetention`
		/// blocks after its block).
		fn withdrawal(nonce: u64) -> Option<Withdrawal>;
		/// The Merkle proof of a withdrawal in its block's commitment, once its block ended and
		/// until the commitment is pruned, `CommitmentRetention` blocks after that block (then
		/// `None`: the root stays in the block's header digest, the withdrawal in its
		/// `WithdrawalQueued` event).
		fn withdrawal_proof(nonce: u64) -> Option<WithdrawalProof<BlockNumber>>;
	}
}
