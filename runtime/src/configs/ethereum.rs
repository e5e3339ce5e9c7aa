//! Ethereum: Snowbridge's beacon light client, the validator-health oracle and the LRT bridge on
//! top of it.
//!
//! Which Ethereum network Ballast follows (fork versions, genesis validators root) is genesis
//! configuration of `pallet-validator-health`; the light client reads the fork versions from
//! there, and validator proofs are only anchored while the light client's checkpoint carries
//! the configured genesis validators root.
//!
//! Light-client spam: `submit` is signed and its full weight (26 ms; 122 ms with a sync
//! committee, Snowbridge's figures) is charged up front, so an invalid or redundant update costs
//! its sender the fee. A successful update is refunded (`Pays::No`) only when it makes real
//! progress: the first update carrying the next sync committee of a period, or a finalized header
//! at least `FreeHeadersInterval` slots past the stored one. Relaying therefore costs nothing at
//! one update per epoch, and flooding costs full fees.

use crate::{Runtime, RuntimeEvent};
use ballast_primitives::AssetId;
use frame_support::parameter_types;

parameter_types! {
	/// One epoch: a finalized-header update this far past the stored one is free.
	pub const FreeHeadersInterval: u32 = 32;
	/// Validator proofs per batch: a full batch stays under half a block's weight.
	pub const MaxProofsPerBatch: u32 = 1_000;
	/// Owner of the bridged LRT assets.
	pub const LrtBridgePalletId: frame_support::PalletId = frame_support::PalletId(*b"bal/brdg");
}

impl pallet_lrt_bridge::Config for Runtime {
	type AssetId = AssetId;
	type Assets = crate::Assets;
	// Snowbridge's verifier: receipt proof, execution header, ancestry to a finalized header.
	type Verifier = crate::EthereumBeaconClient;
	type GovernanceOrigin = crate::configs::governance::ParametersOrigin;
	// May only pause or freeze, at once.
	type EmergencyOrigin = crate::configs::governance::EmergencyOrigin;
	type PalletId = LrtBridgePalletId;
	type MaxOperators = frame_support::traits::ConstU32<64>;
	type MaxAvss = frame_support::traits::ConstU32<32>;
	type MaxWithdrawalsPerBlock = frame_support::traits::ConstU32<256>;
	// A successful deposit is free of weight fees but pays for its proof's bytes, in BAL, at
	// transaction payment's own length price (burned, as transaction fees are).
	type Currency = crate::Balances;
	type LengthToFee = <Runtime as pallet_transaction_payment::Config>::LengthToFee;
	type OnLengthFee = ();
	// 64 KiB: a deposit straight through the gateway proves in ~2-3 KiB (its receipt holds two
	// logs); the bound leaves room for receipts of contracts that deposit among other work.
	type MaxProofSize = frame_support::traits::ConstU32<{ 64 * 1024 }>;
	// 0.01 of an 18-decimal LRT.
	type MinDeposit = frame_support::traits::ConstU128<10_000_000_000_000_000>;
	// A week: relayers (or the holder) have seven days to read a withdrawal's proof from any node
	// and release it on Ethereum; after that, the root stays in the block's header and the
	// withdrawal in its events.
	type CommitmentRetention =
		frame_support::traits::ConstU32<{ 7 * ballast_primitives::time::DAYS }>;
	type WeightInfo = crate::weights::pallet_lrt_bridge::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmark_helpers::BridgeBenchmarks;
}

impl pallet_lrt_backing::Config for Runtime {
	type AssetId = AssetId;
	type Registry = crate::LrtBridge;
	// Reports and slashings pay their proofs' bytes as deposits do: the bridge's bound (64 KiB),
	// weight per byte and length fee (burned).
	type ProofFees = crate::LrtBridge;
	type Verifier = crate::EthereumBeaconClient;
	type LightClient = crate::adapters::SnowbridgeFinalizedBlocks;
	type Validators = crate::ValidatorHealth;
	// The lending markets mark the LRT's markets and work their positions off in the same block.
	type OnBackingRateDecreased = crate::Lending;
	type Time = crate::Timestamp;
	type GovernanceOrigin = crate::configs::governance::ParametersOrigin;
	type MaxStakes = frame_support::traits::ConstU32<64>;
	type MaxLosses = frame_support::traits::ConstU32<256>;
	type MaxHistory = frame_support::traits::ConstU32<64>;
	type MaxRecentSlashings = frame_support::traits::ConstU32<1024>;
	// An AVS slashing scans, books and re-rates every valued LRT; so may one validator batch.
	type MaxValuedLrts = frame_support::traits::ConstU32<64>;
	// Older `OperatorSlashed` events are refused and their seen-marks pruned: above the light
	// client's provable window (~24 days of headers and ancestry) and any valuation's
	// recognition delay plus snapshot age (`set_params` keeps them within it).
	type MaxAvsSlashingAge = frame_support::traits::ConstU64<{ 90 * 24 * 3600 }>;
	type WeightInfo = crate::weights::pallet_lrt_backing::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmark_helpers::BridgeBenchmarks;
}

impl snowbridge_pallet_ethereum_client::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ForkVersions = crate::adapters::GenesisForkVersions;
	type FreeHeadersInterval = FreeHeadersInterval;
	// Snowbridge's own benchmarked figures (BLS dominates; no storage-size dependence).
	type WeightInfo = ();
}

impl pallet_validator_health::Config for Runtime {
	type AssetId = AssetId;
	type LightClient = crate::adapters::SnowbridgeFinalizedBlocks;
	type GovernanceOrigin = crate::configs::governance::ParametersOrigin;
	// The valuation books every proven slash and balance drop at once, and re-rates each LRT
	// they touched once at the end of the call.
	type OnValidatorSlashed = crate::LrtBacking;
	type OnValidatorBalanceChanged = crate::LrtBacking;
	type OnValidatorProofsApplied = crate::LrtBacking;
	type MaxProofsPerBatch = MaxProofsPerBatch;
	type WeightInfo = crate::weights::pallet_validator_health::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmark_helpers::ValidatorHealthBenchmarks;
}
