//! Risk scores from validators' off-chain workers, capping the lending markets.

use crate::{AssetId, Runtime};
use frame_support::{parameter_types, traits::ConstU32};
use pallet_risk::Tier;
use sp_runtime::Perbill;

parameter_types! {
	/// One scoring epoch per hour (600 blocks of 6 s).
	pub const RiskEpochBlocks: ballast_primitives::BlockNumber = 600;
	/// A report more than 50 points (5 % of the scale) from the median counts as disagreement.
	pub const RiskTolerance: u16 = 50;
	/// Caps rise by at most one point of LTV and of threshold per accepted epoch.
	pub const RiskLoosenStep: Perbill = Perbill::from_percent(1);
	/// The liquidation-threshold cap falls by at most two points per accepted epoch (an hour):
	/// a move from 93 % to 60 % takes 17 hours, time for borrowers to repay or add collateral.
	/// The LTV cap, which only limits new borrowing, falls at once.
	pub const RiskMaxThresholdStep: Perbill = Perbill::from_percent(2);
	/// Pool priority of the off-chain workers' reports: below the lending keeper's
	/// liquidations (`u64::MAX / 2`).
	pub const RiskReportPriority: u64 = u64::MAX / 4;
}

impl pallet_risk::Config for Runtime {
	type AssetId = AssetId;
	type Registry = crate::LrtBridge;
	type Validators = crate::ValidatorHealth;
	type Valuation = crate::LrtBacking;
	type GovernanceOrigin = crate::configs::governance::ParametersOrigin;
	type EpochBlocks = RiskEpochBlocks;
	type MaxReporters = ConstU32<32>;
	type MaxLrts = ConstU32<64>;
	type MaxTiers = ConstU32<8>;
	type Tolerance = RiskTolerance;
	type LoosenStep = RiskLoosenStep;
	type MaxThresholdStepPerEpoch = RiskMaxThresholdStep;
	type ReportPriority = RiskReportPriority;
	type WeightInfo = crate::weights::pallet_risk::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmark_helpers::RiskBenchmarks;
}

/// The tiers every preset starts with (`docs/risk-model.md`): scores up to 200 leave the
/// markets' own parameters alone, up to 400 cap them at 85 %/90 %, up to 600 at 75 %/80 %,
/// above at 50 %/60 %.
pub fn default_tiers() -> alloc::vec::Vec<Tier> {
	let tier = |max_score, ltv, threshold| Tier {
		max_score,
		ltv: Perbill::from_percent(ltv),
		liquidation_threshold: Perbill::from_percent(threshold),
	};
	alloc::vec![tier(200, 95, 98), tier(400, 85, 90), tier(600, 75, 80), tier(1_000, 50, 60)]
}
