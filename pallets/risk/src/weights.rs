//! Weights of the risk reports.
//!
//! The runtime uses the weights `scripts/benchmark.sh` measures in its wasm
//! (`runtime/src/weights/pallet_risk.rs`). `()` is for unit tests: storage at RocksDB cost plus
//! compute rounded up from those figures.

use frame_support::weights::{constants::RocksDbWeight, Weight};

/// The weights of the pallet's calls and of the pool's check of reports.
pub trait WeightInfo {
	/// A report with `l` scores from the last of `r` reporters (stored; the epoch is judged when
	/// it ends, in `close_epoch`).
	fn report(r: u32, l: u32) -> Weight;
	/// `on_initialize` at the first block of an epoch: the ended epoch's `r` reports of `l`
	/// scores read and accepted (medians, tiers, limits written), the previously accepted
	/// epoch's `r` reports pruned, the pending reporters taking over, the session's disabled
	/// validators excluded from the new epoch.
	fn close_epoch(r: u32, l: u32) -> Weight;
	/// Validating a report of `l` scores in the pool (signature, registry, duplicates).
	fn authorize_report(l: u32) -> Weight;
	/// Replacing the tiers (at most `MaxTiers`).
	fn set_tiers() -> Weight;
}

impl WeightInfo for () {
	fn report(r: u32, l: u32) -> Weight {
		Weight::from_parts(120_000_000, 8_000)
			.saturating_add(Weight::from_parts(2_000_000, 100).saturating_mul((r * l).into()))
			.saturating_add(RocksDbWeight::get().reads_writes(6 + r as u64, 2 + 2 * l as u64))
	}
	fn close_epoch(r: u32, l: u32) -> Weight {
		Weight::from_parts(120_000_000, 8_000)
			.saturating_add(
				Weight::from_parts(2_000_000, 100).saturating_mul(r.saturating_mul(l).into()),
			)
			.saturating_add(
				RocksDbWeight::get().reads_writes(7 + r as u64, 5 + r as u64 + 2 * l as u64),
			)
	}
	fn authorize_report(l: u32) -> Weight {
		Weight::from_parts(80_000_000, 4_000)
			.saturating_add(Weight::from_parts(200_000, 0).saturating_mul(l.into()))
			.saturating_add(RocksDbWeight::get().reads(5))
	}
	fn set_tiers() -> Weight {
		Weight::from_parts(15_000_000, 1_000).saturating_add(RocksDbWeight::get().writes(1))
	}
}
