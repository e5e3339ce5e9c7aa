//! Weights of the LRT bridge.
//!
//! The runtime uses the weights `scripts/benchmark.sh` measures in its wasm
//! (`runtime/src/weights/pallet_lrt_bridge.rs`: `submit_deposit` 199 µs, `withdraw` 55 µs,
//! committing 6.7 µs + 4.8 µs per withdrawal). `()` is for unit tests: every storage access at
//! RocksDB cost plus those figures rounded up.

use frame_support::weights::{constants::RocksDbWeight, Weight};

/// The weight of each call and of the block's commitment.
pub trait WeightInfo {
	/// `register_lrt`.
	fn register_lrt() -> Weight;
	/// `set_exposure`.
	fn set_exposure() -> Weight;
	/// `set_mint_limit`.
	fn set_mint_limit() -> Weight;
	/// `set_state`.
	fn set_state() -> Weight;
	/// `submit_deposit`, with the verifier's proof check.
	fn submit_deposit() -> Weight;
	/// `withdraw` (its leaf in the commitment is added by the call's weight).
	fn withdraw() -> Weight;
	/// Committing `n` withdrawals in `on_finalize`.
	fn commit_withdrawals(n: u32) -> Weight;
}

impl WeightInfo for () {
	fn register_lrt() -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads_writes(4, 5))
	}
	fn set_exposure() -> Weight {
		Weight::from_parts(20_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads_writes(1, 1))
	}
	fn set_mint_limit() -> Weight {
		Weight::from_parts(15_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads_writes(1, 1))
	}
	fn set_state() -> Weight {
		Weight::from_parts(15_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads_writes(1, 1))
	}
	fn submit_deposit() -> Weight {
		// Snowbridge's `Verifier::verify` is benchmarked at about 100 µs plus 3 reads.
		Weight::from_parts(160_000_000, 12_000)
			.saturating_add(RocksDbWeight::get().reads_writes(9, 6))
	}
	fn withdraw() -> Weight {
		Weight::from_parts(60_000_000, 6_000)
			.saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn commit_withdrawals(n: u32) -> Weight {
		Weight::from_parts(5_000_000, 1_000)
			.saturating_add(Weight::from_parts(15_000_000, 300).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(1 + n as u64, 2))
	}
}
