//! How the runtime's pallets see each other and Snowbridge: the adapters behind their `Config`
//! types (fork versions from genesis, finalized beacon blocks from the light client, the rate the
//! lending markets read).

use crate::{AssetId, Runtime};
use ballast_primitives::{ethereum::FinalizedBeaconBlocks, valuation::BackingRate};
use snowbridge_beacon_primitives::{Fork, ForkVersions};
use sp_core::H256;
use sp_runtime::FixedU128;

/// Snowbridge's fork versions, from the schedule configured at genesis. Before one is configured
/// every epoch is "far future", so nothing verifies.
pub struct GenesisForkVersions;

impl frame_support::traits::Get<ForkVersions> for GenesisForkVersions {
	fn get() -> ForkVersions {
		let fork =
			|f: ballast_ethereum_proofs::ForkVersion| Fork { version: f.version, epoch: f.epoch };
		match pallet_validator_health::EthereumForks::<Runtime>::get() {
			Some(s) => ForkVersions {
				genesis: fork(s.genesis),
				altair: fork(s.altair),
				bellatrix: fork(s.bellatrix),
				capella: fork(s.capella),
				deneb: fork(s.deneb),
				electra: fork(s.electra),
				fulu: fork(s.fulu),
			},
			None => {
				let never = || Fork { version: [0; 4], epoch: u64::MAX };
				ForkVersions {
					genesis: Fork { version: [0; 4], epoch: 0 },
					altair: never(),
					bellatrix: never(),
					capella: never(),
					deneb: never(),
					electra: never(),
					fulu: never(),
				}
			},
		}
	}
}

/// Finalized beacon blocks as Snowbridge's light client stores them. While governance has the
/// light client halted (`set_operating_mode(Halted)`: a suspected compromise), it holds none:
/// headers imported before the halt anchor no validator proof, and the valuation is stale.
pub struct SnowbridgeFinalizedBlocks;

impl FinalizedBeaconBlocks for SnowbridgeFinalizedBlocks {
	fn finalized_slot(block_root: &H256) -> Option<u64> {
		if Self::is_halted() {
			return None;
		}
		snowbridge_pallet_ethereum_client::FinalizedBeaconState::<Runtime>::get(block_root)
			.map(|state| state.slot)
	}

	fn genesis_validators_root() -> Option<H256> {
		let root = snowbridge_pallet_ethereum_client::ValidatorsRoot::<Runtime>::get();
		(root != H256::zero()).then_some(root)
	}

	fn latest_finalized_slot() -> Option<u64> {
		if Self::is_halted() {
			return None;
		}
		let root = snowbridge_pallet_ethereum_client::LatestFinalizedBlockRoot::<Runtime>::get();
		snowbridge_pallet_ethereum_client::FinalizedBeaconState::<Runtime>::get(root)
			.map(|state| state.slot)
	}

	fn is_halted() -> bool {
		snowbridge_pallet_ethereum_client::OperatingMode::<Runtime>::get().is_halted()
	}
}

/// The valuation as the markets read it: `pallet-lrt-backing`'s rates. Benchmarks may pin a
/// rate (after the real valuation has been read, so its cost is measured all the same).
pub struct LendingValuation;

impl LendingValuation {
	#[cfg_attr(not(feature = "runtime-benchmarks"), allow(unused_variables))]
	fn pinned_or(lrt: AssetId, rate: Option<FixedU128>) -> Option<FixedU128> {
		#[cfg(feature = "runtime-benchmarks")]
		if let Some(pinned) = crate::benchmark_helpers::LendingBenchmarks::pinned(lrt) {
			return Some(pinned);
		}
		rate
	}
}

impl BackingRate<AssetId> for LendingValuation {
	fn backing_rate(lrt: AssetId) -> Option<FixedU128> {
		Self::pinned_or(lrt, <crate::LrtBacking as BackingRate<AssetId>>::backing_rate(lrt))
	}

	fn borrow_rate(lrt: AssetId) -> Option<FixedU128> {
		Self::pinned_or(lrt, <crate::LrtBacking as BackingRate<AssetId>>::borrow_rate(lrt))
	}
}
