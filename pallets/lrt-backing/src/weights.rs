//! Weights of the valuation.
//!
//! The runtime uses the weights `scripts/benchmark.sh` measures in its wasm
//! (`runtime/src/weights/pallet_lrt_backing.rs`: `submit_backing_report` 217 µs + 0.13 µs per
//! booked loss, `submit_avs_slashing` 206 µs with one valued LRT). `()` is for unit tests: storage
//! at RocksDB cost plus those figures rounded up, with every registered LRT's snapshot read.

use frame_support::weights::{constants::RocksDbWeight, Weight};

/// Weights of the valuation's calls.
pub trait WeightInfo {
	/// A governance setting (`set_params`, `set_allocation_manager`): one write.
	fn set_params() -> Weight;
	/// A snapshot replacing one with `l` booked losses.
	fn submit_backing_report(l: u32) -> Weight;
	/// An AVS slashing checked against every valued LRT's snapshot.
	fn submit_avs_slashing() -> Weight;
}

impl WeightInfo for () {
	fn set_params() -> Weight {
		Weight::from_parts(15_000_000, 2_000).saturating_add(RocksDbWeight::get().writes(1))
	}
	fn submit_backing_report(l: u32) -> Weight {
		// 64 delegations decoded at about 0.4 µs each.
		Weight::from_parts(206_000_000, 21_000)
			.saturating_add(Weight::from_parts(200_000, 60).saturating_mul(l.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(10, 5))
	}
	fn submit_avs_slashing() -> Weight {
		// Reads every valued LRT's snapshot: bounded by the number of registered LRTs (64).
		Weight::from_parts(226_000_000, 25_000)
			.saturating_add(RocksDbWeight::get().reads_writes(8 + 64 * 2, 64 * 4))
	}
}
