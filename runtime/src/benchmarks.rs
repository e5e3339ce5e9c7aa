//! Pallets whose weights `benchmark pallet` measures.

frame_benchmarking::define_benchmarks!(
	[frame_system, SystemBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_utility, Utility]
	[pallet_assets, Assets]
	[snowbridge_pallet_ethereum_client, EthereumBeaconClient]
	[pallet_validator_health, ValidatorHealth]
);
