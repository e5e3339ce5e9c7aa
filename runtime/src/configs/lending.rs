//! The lending markets (their keeper's transactions are built by `crate::offchain`).

use crate::{AssetId, Runtime};
use frame_support::{parameter_types, traits::ConstU32, PalletId};
use sp_runtime::Perbill;

parameter_types! {
	/// Holds every market's cash and collateral.
	pub const LendingPalletId: PalletId = PalletId(*b"bal/lend");
	/// LTV and liquidation threshold move at most 5 points per parameter window…
	pub const MaxParamStep: Perbill = Perbill::from_percent(5);
	/// …of one day (from the first change after the previous window ended), however many
	/// governance changes it holds.
	pub const ParamStepWindow: u64 = 24 * 60 * 60;
	/// The market's stock goes from `rate · (1 − base discount)` down to its floor,
	/// `rate · (1 − max discount)`, in six hours.
	pub const StockAuctionDuration: u64 = 6 * 60 * 60;
	/// The keeper's liquidations go before ordinary transactions.
	pub const KeeperPriority: u64 = u64::MAX / 2;
}

impl pallet_lending::Config for Runtime {
	type AssetId = AssetId;
	type Assets = crate::Assets;
	type Valuation = crate::adapters::LendingValuation;
	// Accepted risk scores cap LTV and liquidation threshold.
	type RiskLimits = crate::Risk;
	type Time = crate::Timestamp;
	type GovernanceOrigin = crate::configs::governance::ParametersOrigin;
	// May only pause or freeze, at once.
	type EmergencyOrigin = crate::configs::governance::EmergencyOrigin;
	type PalletId = LendingPalletId;
	type MaxMarketsPerCollateral = ConstU32<8>;
	type MaxParamStep = MaxParamStep;
	type ParamStepWindow = ParamStepWindow;
	type StockAuctionDuration = StockAuctionDuration;
	type KeeperChecksPerRun = ConstU32<1_000>;
	type KeeperPriority = KeeperPriority;
	type WeightInfo = crate::weights::pallet_lending::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmark_helpers::LendingBenchmarks;
}
