//! Weights of the lending markets.
//!
//! The runtime uses the weights `scripts/benchmark.sh` measures in its wasm
//! (`runtime/src/weights/pallet_lending.rs`). `()` is for unit tests: storage at RocksDB cost plus
//! compute rounded up from those figures.

use frame_support::weights::{constants::RocksDbWeight, Weight};

/// Weight functions of the pallet's calls, the keeper's validation and the work-off.
pub trait WeightInfo {
	/// `create_market`, with the collateral's market list one short of full.
	fn create_market() -> Weight;
	/// `set_params` (the market and its parameter window read and written).
	fn set_params() -> Weight;
	/// `set_state`: the market read, accrued and written, by either origin (the emergency
	/// origin's path, where the benchmark can take it, also refuses governance's origin first
	/// and compares the states).
	fn set_state() -> Weight;
	/// `supply`.
	fn supply() -> Weight;
	/// `withdraw`.
	fn withdraw() -> Weight;
	/// `deposit_collateral`.
	fn deposit_collateral() -> Weight;
	/// `withdraw_collateral` from an indebted position (the borrow limit checked).
	fn withdraw_collateral() -> Weight;
	/// `borrow`.
	fn borrow() -> Weight;
	/// `repay` of part of someone else's debt.
	fn repay() -> Weight;
	/// The heaviest liquidation: partial seizure with a protocol fee, or bad debt.
	fn liquidate() -> Weight;
	/// `liquidate_unhealthy`: the market liquidates a whole position.
	fn liquidate_unhealthy() -> Weight;
	/// Validating the keeper's transaction in the pool.
	fn authorize_liquidate_unhealthy() -> Weight;
	/// `buy_collateral` of part of the stock, with a loss recorded.
	fn buy_collateral() -> Weight;
	/// `withdraw_reserves`.
	fn withdraw_reserves() -> Weight;
	/// `on_idle` after a rate drop: `n` positions checked and liquidated by the market.
	fn work_off(n: u32) -> Weight;
}

fn call(reads: u64, writes: u64) -> Weight {
	Weight::from_parts(60_000_000, 8_000)
		.saturating_add(RocksDbWeight::get().reads_writes(reads, writes))
}

impl WeightInfo for () {
	fn create_market() -> Weight {
		call(4, 4)
	}
	fn set_params() -> Weight {
		call(2, 2)
	}
	fn set_state() -> Weight {
		call(1, 1)
	}
	fn supply() -> Weight {
		call(5, 5)
	}
	fn withdraw() -> Weight {
		call(5, 5)
	}
	fn deposit_collateral() -> Weight {
		call(5, 5)
	}
	fn withdraw_collateral() -> Weight {
		call(6, 5)
	}
	fn borrow() -> Weight {
		call(7, 5)
	}
	fn repay() -> Weight {
		call(5, 5)
	}
	fn liquidate() -> Weight {
		call(9, 8)
	}
	fn liquidate_unhealthy() -> Weight {
		call(7, 5)
	}
	fn authorize_liquidate_unhealthy() -> Weight {
		call(4, 0)
	}
	fn buy_collateral() -> Weight {
		call(8, 6)
	}
	fn withdraw_reserves() -> Weight {
		call(3, 3)
	}
	fn work_off(n: u32) -> Weight {
		call(3, 2).saturating_add(
			Weight::from_parts(40_000_000, 4_000)
				.saturating_add(RocksDbWeight::get().reads_writes(4, 3))
				.saturating_mul(n.into()),
		)
	}
}
