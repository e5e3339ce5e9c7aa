//! Pallets whose weights `benchmark pallet` measures (paths are absolute: the generated
//! `list_benchmarks!`/`add_benchmarks!` expand inside `apis.rs`).

#[cfg(not(feature = "production"))]
frame_benchmarking::define_benchmarks!(
	[frame_system, frame_system_benchmarking::Pallet::<crate::Runtime>]
	[pallet_balances, crate::Balances]
	[pallet_timestamp, crate::Timestamp]
	[pallet_sudo, crate::Sudo]
	[pallet_utility, crate::Utility]
	[pallet_assets, crate::Assets]
	[pallet_validator_health, crate::ValidatorHealth]
	[pallet_lrt_bridge, crate::LrtBridge]
	[pallet_lrt_backing, crate::LrtBacking]
	[pallet_lending, crate::Lending]
	[pallet_risk, crate::Risk]
	[pallet_governance, crate::Governance]
);

// The same without sudo, which the `production` runtime lacks.
#[cfg(feature = "production")]
frame_benchmarking::define_benchmarks!(
	[frame_system, frame_system_benchmarking::Pallet::<crate::Runtime>]
	[pallet_balances, crate::Balances]
	[pallet_timestamp, crate::Timestamp]
	[pallet_utility, crate::Utility]
	[pallet_assets, crate::Assets]
	[pallet_validator_health, crate::ValidatorHealth]
	[pallet_lrt_bridge, crate::LrtBridge]
	[pallet_lrt_backing, crate::LrtBacking]
	[pallet_lending, crate::Lending]
	[pallet_risk, crate::Risk]
	[pallet_governance, crate::Governance]
);
