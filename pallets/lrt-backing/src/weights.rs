//! Weights of the valuation.
//!
//! The runtime uses the weights `scripts/benchmark.sh` measures in its wasm
//! (`runtime/src/weights/pallet_lrt_backing.rs`: `submit_backing_report` 217 µs + 0.13 µs per
//! booked loss, `submit_avs_slashing` 206 µs with one valued LRT). `()` is for unit tests: storage
//! at RocksDB cost plus those figures rounded up. Storage added since the last measurement (the
//! exposure index, the seen AVS slashings' queue, the AVS slashes' cuts) and the pruning in
//! `on_initialize` are weighed by hand in `functions.rs` (`exposure_index_weight` and
//! `exposure_index_actual_weight`, `avs_slashing_actual_weight`, `avs_slash_cuts_weight`,
//! `avs_slash_evidence_weight`, `prune_seen_avs_slashings_weight`), on top of these figures.
//! The `submit_backing_report` benchmark now measures `l` booked AVS slashes a report shows and
//! prices (the heaviest path), where it measured `l` balance drops: once re-run, its figure
//! covers `avs_slash_evidence_weight` (the cuts' storage and the computation), which can then
//! be dropped from `backing_report_weight_without_exposure`.

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
		// 64 delegations decoded at about 0.4 µs each.
		Weight::from_parts(206_000_000, 21_000)
			.saturating_add(Weight::from_parts(200_000, 60).saturating_mul(l.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(10, 5))
	}
	fn submit_avs_slashing(l: u32) -> Weight {
		// Per LRT: settings and snapshot scanned (64 delegations decoded), one loss booked and
		// the LRT re-rated (its rate's inputs read, rate, history and losses written).
		Weight::from_parts(226_000_000, 25_000)
			.saturating_add(RocksDbWeight::get().reads_writes(8, 1))
			.saturating_add(
				Weight::from_parts(60_000_000, 25_000)
					.saturating_add(RocksDbWeight::get().reads_writes(12, 4))
					.saturating_mul(l.into()),
			)
	}
}
