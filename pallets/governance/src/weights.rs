//! Weights of the governance calls.
//!
//! PLACEHOLDERS, derived by hand and rounded up: `scripts/benchmark.sh pallet_governance`
//! measures them in the runtime's wasm and writes `runtime/src/weights/pallet_governance.rs`,
//! which replaces [`SubstrateWeight`] in the runtime. `()` is for unit tests (RocksDB costs).
//!
//! How the placeholders were counted (`len`: the call's encoded length):
//!
//! - compute: 50 µs for each call's fixed part (origin check, SCALE, event, the scheduler's
//!   agenda decode/encode), plus 4 ns per byte where the call is encoded, hashed (twice) and
//!   copied into a preimage;
//! - proof size: the largest value read, 12 kB for calls touching the scheduler's agenda (up to
//!   `MaxScheduledPerBlock` tasks of ≤ 200 bytes), 1 kB otherwise; the preimage itself is written,
//!   never read, by these calls (the scheduler accounts for reading it when it runs the task);
//! - storage: each read and write listed on the function.

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, RuntimeDbWeight, Weight},
};

/// The weights of the pallet's calls.
pub trait WeightInfo {
	/// `schedule_parameters` of a call `len` bytes long. Reads `NextChangeId`, `Pending`'s
	/// counter, the preimage's status, the scheduler's `Lookup` and agenda; writes those and
	/// `Pending`, the preimage.
	fn schedule_parameters(len: u32) -> Weight;
	/// `propose_root` of a call `len` bytes long. Reads `AwaitingApproval` (entry, counter),
	/// `NextChangeId`, the preimage's status; writes those and the preimage.
	fn propose_root(len: u32) -> Weight;
	/// `approve_root`. Reads `AwaitingApproval` (entry, counter), `Pending`'s counter, the
	/// scheduler's `Lookup` and agenda, the preimage's status; writes all but the counter read.
	fn approve_root() -> Weight;
	/// `reject_root`. Reads `AwaitingApproval` (entry, counter), the preimage's status; writes
	/// those and removes the preimage.
	fn reject_root() -> Weight;
	/// `cancel`. Reads and writes `Pending` (entry, counter).
	fn cancel() -> Weight;
	/// `enact`'s own part for a call `len` bytes long (the call's weight is added to it): reads
	/// and writes `Pending` (entry, counter), hashes the call.
	fn enact(len: u32) -> Weight;
	/// `emergency`'s own part (the call's weight is added to it): checks the call against
	/// the list, hashes it, emits the event. No storage of its own.
	fn emergency() -> Weight;
}

/// Placeholder weights for the runtime until the benchmarks replace them (see the module docs).
pub struct SubstrateWeight<T>(PhantomData<T>);

/// Compute per byte of the call: encoding, two hashes, the preimage copy (4 ns).
const PER_BYTE: u64 = 4_000;
/// Compute of each call's fixed part (50 µs).
const BASE: u64 = 50_000_000;
/// Proof size of calls reading the scheduler's agenda.
const AGENDA_PROOF: u64 = 12_000;
/// Proof size of the other calls.
const SMALL_PROOF: u64 = 1_000;

fn per_byte(len: u32) -> Weight {
	Weight::from_parts(PER_BYTE, 0).saturating_mul(len.into())
}

fn schedule_parameters(db: RuntimeDbWeight, len: u32) -> Weight {
	Weight::from_parts(BASE, AGENDA_PROOF)
		.saturating_add(per_byte(len))
		.saturating_add(db.reads_writes(6, 8))
}
fn propose_root(db: RuntimeDbWeight, len: u32) -> Weight {
	Weight::from_parts(BASE, SMALL_PROOF)
		.saturating_add(per_byte(len))
		.saturating_add(db.reads_writes(5, 5))
}
fn approve_root(db: RuntimeDbWeight) -> Weight {
	Weight::from_parts(BASE, AGENDA_PROOF).saturating_add(db.reads_writes(6, 7))
}
fn reject_root(db: RuntimeDbWeight) -> Weight {
	Weight::from_parts(BASE, SMALL_PROOF).saturating_add(db.reads_writes(3, 4))
}
fn cancel(db: RuntimeDbWeight) -> Weight {
	Weight::from_parts(BASE, SMALL_PROOF).saturating_add(db.reads_writes(2, 2))
}
fn enact(db: RuntimeDbWeight, len: u32) -> Weight {
	Weight::from_parts(BASE, SMALL_PROOF)
		.saturating_add(per_byte(len))
		.saturating_add(db.reads_writes(2, 2))
}
fn emergency() -> Weight {
	Weight::from_parts(BASE, 0)
}

impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn schedule_parameters(len: u32) -> Weight {
		schedule_parameters(T::DbWeight::get(), len)
	}
	fn propose_root(len: u32) -> Weight {
		propose_root(T::DbWeight::get(), len)
	}
	fn approve_root() -> Weight {
		approve_root(T::DbWeight::get())
	}
	fn reject_root() -> Weight {
		reject_root(T::DbWeight::get())
	}
	fn cancel() -> Weight {
		cancel(T::DbWeight::get())
	}
	fn enact(len: u32) -> Weight {
		enact(T::DbWeight::get(), len)
	}
	fn emergency() -> Weight {
		emergency()
	}
}

impl WeightInfo for () {
	fn schedule_parameters(len: u32) -> Weight {
		schedule_parameters(RocksDbWeight::get(), len)
	}
	fn propose_root(len: u32) -> Weight {
		propose_root(RocksDbWeight::get(), len)
	}
	fn approve_root() -> Weight {
		approve_root(RocksDbWeight::get())
	}
	fn reject_root() -> Weight {
		reject_root(RocksDbWeight::get())
	}
	fn cancel() -> Weight {
		cancel(RocksDbWeight::get())
	}
	fn enact(len: u32) -> Weight {
		enact(RocksDbWeight::get(), len)
	}
	fn emergency() -> Weight {
		emergency()
	}
}
