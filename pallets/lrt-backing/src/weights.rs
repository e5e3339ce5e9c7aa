//! Weights of the valuation.
//!
//! The runtime uses the weights `scripts/benchmark.sh` measures in its wasm
//! (`runtime/src/weights/pallet_lrt_backing.rs`, 2026-12-01: `submit_backing_report` 391 µs +
//! 0.35 µs per booked AVS slash shown and priced, `submit_avs_slashing` 292 µs + 127 µs per
//! valued LRT). `()` is for unit tests: storage at RocksDB cost plus those figures rounded up.
//! What the benchmarks cannot reach is weighed by hand in `functions.rs` on top of these
//! figures: the exposure index (`exposure_index_weight`, `exposure_index_actual_weight`), a
//! snapshot's `MaxStakes` pairs summed (`snapshot_stakes_weight`; the benchmark's real report
//! lists a few), the AVS slashing's actual cost (`avs_slashing_actual_weight`), the cuts a
//! merge may drop (`avs_slash_cuts_weight`) and the pruning in `on_initialize`
//! (`prune_seen_avs_slashings_weight`).

use frame_support::weights::{constants::RocksDbWeight, Weight};

/// Weights of the valuation's calls.
pub trait WeightInfo {
	/// A governance setting (`set_params`, `set_allocation_manager`): one write.
	fn set_params() -> Weight;
	/// A snapshot replacing one with `l` booked losses (AVS slashes it shows and prices, each
	/// judged and dropped with its cut).
	fn submit_backing_report(l: u32) -> Weight;
	/// An AVS slashing checked against `l` valued LRTs' snapshots, every one of them exposed:
	/// one strategy booked against each and each re-rated.
	fn submit_avs_slashing(l: u32) -> Weight;
}

impl WeightInfo for () {
	fn set_params() -> Weight {
		Weight::from_parts(15_000_000, 2_000).saturating_add(RocksDbWeight::get().writes(1))
	}
	fn submit_backing_report(l: u32) -> Weight {
		Weight::from_parts(392_000_000, 24_500)
			.saturating_add(Weight::from_parts(360_000, 160).saturating_mul(l.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(20, 9))
	}
	fn submit_avs_slashing(l: u32) -> Weight {
		// Per LRT: settings and snapshot scanned (64 delegations decoded), one loss booked and
		// the LRT re-rated (its rate's inputs read, rate, history and losses written).
		Weight::from_parts(292_000_000, 7_200)
			.saturating_add(RocksDbWeight::get().reads_writes(8, 3))
			.saturating_add(
				Weight::from_parts(127_000_000, 23_500)
					.saturating_add(RocksDbWeight::get().reads_writes(13, 7))
					.saturating_mul(l.into()),
			)
	}
}
