//! # Ballast runtime
//!
//! A sovereign chain for restaked collateral: Aura blocks, GRANDPA finality, BAL as the native
//! token and `pallet-assets` for every LRT and borrowable asset. Configuration is split by domain
//! under [`configs`]; runtime APIs live in [`apis`]; genesis presets in [`genesis_config_presets`].

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime`-generated code is large.
#![recursion_limit = "256"]
// `#[frame_support::runtime]` emits a bare `pub struct Runtime;` and drops any doc or attribute on
// it, so the lint cannot be met for that one item; everything else here is documented anyway.
#![allow(missing_docs)]

/// The runtime compiled to wasm (`WASM_BINARY`, compact and compressed) and unprocessed
/// (`WASM_BINARY_BLOATY`), as substrate-wasm-builder generates them in the build script.
#[cfg(feature = "std")]
#[allow(missing_docs)] // generated code
mod wasm_binary {
	include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));
}
#[cfg(feature = "std")]
pub use wasm_binary::*;

/// The runtime of public networks (built with the `production` feature: no `pallet-sudo`), which
/// the node puts in the genesis of the `staging`, `staging_mainnet` and `mainnet` chains.
#[cfg(feature = "std")]
pub mod production {
	#![allow(missing_docs)] // generated code
	include!(concat!(env!("OUT_DIR"), "/ballast_runtime_production"));
}

extern crate alloc;

// Before `apis`: it defines the `list_benchmarks!`/`add_benchmarks!` macros `apis` uses.
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
pub mod adapters;
pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
pub mod benchmark_helpers;
pub mod configs;
pub mod genesis_config_presets;
pub mod offchain;
pub mod weights;

// `impl_opaque_keys!` and `#[frame_support::runtime]` expand to code naming `Vec`.
use alloc::vec::Vec;
use sp_runtime::{generic, impl_opaque_keys};
use sp_version::RuntimeVersion;

pub use ballast_primitives::{
	AccountId, Address, AssetId, Balance, BlockNumber, Hash, Nonce, Signature,
};
pub use frame_support::{
	parameter_types,
	weights::{constants::WEIGHT_REF_TIME_PER_SECOND, Weight},
};
pub use pallet_timestamp::Call as TimestampCall;
pub use sp_runtime::{Perbill, Permill};

/// Types the node needs without decoding the runtime's extrinsics.
pub mod opaque {
	use super::*;

	pub use ballast_primitives::{Header, OpaqueBlock as Block};
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Block id.
	pub type BlockId = generic::BlockId<Block>;
	/// Block hash.
	pub type Hash = <Header as sp_runtime::traits::Header>::Hash;

	impl_opaque_keys! {
		/// The keys a validator holds: Aura signs blocks, GRANDPA votes on finality, `risk` signs
		/// its off-chain worker's risk reports, BEEFY signs finalized MMR roots for Ethereum.
		pub struct SessionKeys {
			/// Aura (sr25519) key: signs the blocks the validator authors.
			pub aura: super::Aura,
			/// GRANDPA (ed25519) key: signs finality votes.
			pub grandpa: super::Grandpa,
			/// Risk reporter (sr25519) key: signs the off-chain worker's risk reports.
			pub risk: super::Risk,
			/// BEEFY (secp256k1) key: signs the MMR roots of finalized blocks, which Ethereum's
			/// `BeefyClient` verifies before the gateway releases withdrawals.
			pub beefy: super::Beefy,
		}
	}
}
pub use opaque::SessionKeys;

/// Declares [`VERSION`] with the given `spec_version` (a literal: the attribute reads it at
/// compile time).
macro_rules! runtime_version {
	($spec_version:tt) => {
		/// The runtime's version. Bump `spec_version` whenever the runtime's logic changes and
		/// `transaction_version` whenever a call's index or arguments change.
		#[sp_version::runtime_version]
		pub const VERSION: RuntimeVersion = RuntimeVersion {
			spec_name: alloc::borrow::Cow::Borrowed("ballast"),
			impl_name: alloc::borrow::Cow::Borrowed("ballast-node"),
			authoring_version: 1,
			spec_version: $spec_version,
			impl_version: 1,
			apis: apis::RUNTIME_API_VERSIONS,
			// 2: pallet-risk's `set_reporters` (call 1) is gone.
			transaction_version: 2,
			system_version: 1,
		};
	};
}
#[cfg(not(feature = "spec-version-bump"))]
runtime_version!(107);
// The same runtime one spec_version ahead: the code the network upgrade test authorizes
// through governance and applies (zombienet/). Keep it one above the line before.
#[cfg(feature = "spec-version-bump")]
runtime_version!(108);

/// Full block type, with the runtime's own extrinsic format.
pub type Block = generic::Block<ballast_primitives::Header, UncheckedExtrinsic>;

/// The transaction extensions every extrinsic carries, in order.
pub type TxExtension = (
	// Lets pallets authorize calls without a signer (`#[pallet::authorize]`), e.g. off-chain
	// worker submissions; a no-op for ordinary signed transactions.
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	// Last, so it sees the weight every other extension and the call actually used.
	frame_system::WeightReclaim<Runtime>,
);

/// Extrinsic as the runtime decodes it.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload a signer signs.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Storage migrations run on the next runtime upgrade. Empty until the first one ships.
type Migrations = ();

/// Dispatches blocks and extrinsics to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	// Core.
	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Utility = pallet_utility;
	#[runtime::pallet_index(3)]
	pub type Multisig = pallet_multisig;
	#[runtime::pallet_index(4)]
	pub type Proxy = pallet_proxy;

	// Consensus and the validator set. The declaration order is the hooks' and genesis' order:
	// Authorship notes the author, and CollatorSelection and Balances are built, before
	// Session rotates or builds.
	#[runtime::pallet_index(10)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(11)]
	pub type Grandpa = pallet_grandpa;
	#[runtime::pallet_index(12)]
	pub type Authorship = pallet_authorship;
	#[runtime::pallet_index(13)]
	pub type CollatorSelection = pallet_collator_selection;

	// Money.
	#[runtime::pallet_index(20)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(21)]
	pub type TransactionPayment = pallet_transaction_payment;
	#[runtime::pallet_index(22)]
	pub type Assets = pallet_assets;
	#[runtime::pallet_index(23)]
	pub type Treasury = pallet_treasury;

	#[runtime::pallet_index(24)]
	pub type Session = pallet_session;
	#[runtime::pallet_index(25)]
	pub type Historical = pallet_session::historical;
	#[runtime::pallet_index(26)]
	pub type Offences = pallet_offences;
	#[runtime::pallet_index(27)]
	pub type ValidatorSet = pallet_validator_set;
	// BEEFY and the MMR (`configs::beefy`), declared after Session, so a block that starts a
	// session puts the new authority set into its MMR leaf, and before LrtBridge, whose hooks
	// prune the commitments the leaf reads (integration-tests/src/beefy.rs runs blocks through
	// `Executive` to hold this order).
	#[runtime::pallet_index(28)]
	pub type Beefy = pallet_beefy;
	#[runtime::pallet_index(29)]
	pub type Mmr = pallet_mmr;
	#[runtime::pallet_index(38)]
	pub type MmrLeaf = pallet_beefy_mmr;

	// Governance: the council and technical committee (`configs::governance`). Sudo only in the
	// development runtime (the `development` and `local_testnet` presets); the `production`
	// runtime of public networks has none.
	#[cfg(not(feature = "production"))]
	#[runtime::pallet_index(30)]
	pub type Sudo = pallet_sudo;
	#[runtime::pallet_index(31)]
	pub type Council = pallet_collective<Instance1>;
	#[runtime::pallet_index(32)]
	pub type TechnicalCommittee = pallet_collective<Instance2>;
	#[runtime::pallet_index(33)]
	pub type Governance = pallet_governance;
	#[runtime::pallet_index(34)]
	pub type Scheduler = pallet_scheduler;
	#[runtime::pallet_index(35)]
	pub type Preimage = pallet_preimage;
	#[runtime::pallet_index(36)]
	pub type SafeMode = pallet_safe_mode;
	#[runtime::pallet_index(37)]
	pub type TxPause = pallet_tx_pause;

	// Ethereum: the beacon light client and what is proven against it.
	#[runtime::pallet_index(40)]
	pub type EthereumBeaconClient = snowbridge_pallet_ethereum_client;
	#[runtime::pallet_index(41)]
	pub type ValidatorHealth = pallet_validator_health;
	#[runtime::pallet_index(42)]
	pub type LrtBridge = pallet_lrt_bridge;
	#[runtime::pallet_index(43)]
	pub type LrtBacking = pallet_lrt_backing;
	#[runtime::pallet_index(44)]
	pub type Lending = pallet_lending;
	#[runtime::pallet_index(45)]
	pub type Risk = pallet_risk;
}
