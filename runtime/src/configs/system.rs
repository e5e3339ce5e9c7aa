//! frame-system, timestamp, utility and sudo (development presets only).

use crate::{
	Block, OriginCaller, PalletInfo, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin,
	RuntimeTask, VERSION,
};
use ballast_primitives::{network::SS58_PREFIX, AccountId, Nonce};
use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstU32, ConstU64},
	weights::{
		constants::{ParityDbWeight as SdkParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		RuntimeDbWeight, Weight,
	},
};
use frame_system::limits::{BlockLength, BlockWeights};
use sp_runtime::Perbill;
use sp_version::RuntimeVersion;

/// Share of a block's weight and length that ordinary (`Normal`) extrinsics may use; the rest is
/// kept for `Operational` ones (e.g. governance acting during congestion) and inherents.
pub const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// Compute a block may take: 2 of the 6 seconds, leaving time to import and gossip it.
pub const MAXIMUM_BLOCK_WEIGHT: Weight =
	Weight::from_parts(WEIGHT_REF_TIME_PER_SECOND.saturating_mul(2), u64::MAX);

/// Largest encoded block: 5 MiB.
pub const MAXIMUM_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

parameter_types! {
	/// The runtime's version, as `frame_system` reports it.
	pub const Version: RuntimeVersion = VERSION;
	/// Block weight limits: `MAXIMUM_BLOCK_WEIGHT`, `NORMAL_DISPATCH_RATIO` of it for `Normal`.
	pub RuntimeBlockWeights: BlockWeights =
		BlockWeights::with_sensible_defaults(MAXIMUM_BLOCK_WEIGHT, NORMAL_DISPATCH_RATIO);
	/// Block length limits: `MAXIMUM_BLOCK_LENGTH`, `NORMAL_DISPATCH_RATIO` of it for `Normal`.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(MAXIMUM_BLOCK_LENGTH)
		.modify_max_length_for_class(DispatchClass::Normal, |max| {
			*max = NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_LENGTH
		})
		.build();
	/// SS58 address prefix of Ballast accounts.
	pub const SS58Prefix: u16 = SS58_PREFIX;
	/// Blocks whose hashes stay queryable (and which mortal transactions may refer to): ~1 hour.
	pub const BlockHashCount: u32 = 600;
}

parameter_types! {
	/// Storage access priced for ParityDb, the node's only database: per operation, the larger
	/// of what `benchmark storage` measured on the seeded dev chain
	/// (`weights::paritydb_weights`: read 3.4 µs, write 10.3 µs, a 348-key state served from
	/// memory) and polkadot-sdk's ParityDb figures (read 8 µs, write 50 µs, measured on
	/// Polkadot's populated state), since a chain with years of state reads from disk.
	pub StorageWeight: RuntimeDbWeight = {
		let measured = crate::weights::paritydb_weights::constants::ParityDbWeight::get();
		let reference = SdkParityDbWeight::get();
		RuntimeDbWeight {
			read: measured.read.max(reference.read),
			write: measured.write.max(reference.write),
		}
	};
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = ballast_primitives::Hash;
	type BlockHashCount = BlockHashCount;
	type DbWeight = StorageWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<ballast_primitives::Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
	// Safe mode stops all but the calls that keep the chain and its governance running; the
	// technical committee may pause single calls (`configs::governance`).
	type BaseCallFilter = frame_support::traits::InsideBoth<crate::SafeMode, crate::TxPause>;
}

impl pallet_timestamp::Config for Runtime {
	type Moment = u64;
	// Aura checks that a block's timestamp matches its slot.
	type OnTimestampSet = crate::Aura;
	type MinimumPeriod = ConstU64<{ ballast_primitives::time::SLOT_DURATION / 2 }>;
	type WeightInfo = ();
}

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type WeightInfo = pallet_utility::weights::SubstrateWeight<Runtime>;
}

// Development runtime only: the `production` runtime has no sudo.
#[cfg(not(feature = "production"))]
impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}
