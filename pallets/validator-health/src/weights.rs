//! Weights of the validator-health calls.
//!
//! Ballast's runtime uses the weights `benchmark pallet` measured in its wasm
//! (`runtime/src/weights/pallet_validator_health.rs`, from `benchmarking.rs`). The estimates here
//! serve the pallet's tests and runtimes without measurements: each call's storage accesses at
//! `RocksDbWeight` prices plus 2 µs per SHA-256 of its Merkle branches, an upper bound (the
//! measured cost of a whole validator update, 80 hashes and its bookkeeping, is 37 µs in wasm).

use core::marker::PhantomData;
use frame_support::weights::{constants::RocksDbWeight, Weight};

/// Weight functions of the calls.
pub trait WeightInfo {
	/// `register_credentials`.
	fn register_credentials() -> Weight;
	/// `deregister_credentials`.
	fn deregister_credentials() -> Weight;
	/// `submit_validator_proofs` with a batch of `proofs` validators (the call adds the hooks'
	/// declared weights, `Pallet::hooks_weight`).
	fn submit_validator_proofs(proofs: u32) -> Weight;
	/// `report_slashing` (the call adds the hooks' declared weights).
	fn report_slashing() -> Weight;
	/// `untrack_validators` of `validators` validators.
	fn untrack_validators(validators: u32) -> Weight;
	/// `set_ethereum_forks`.
	fn set_ethereum_forks() -> Weight;
}

/// SHA-256 compressions, each charged 2 µs of reference time.
const fn hashes(count: u64) -> Weight {
	Weight::from_parts(count * 2_000_000, 0)
}

/// Storage-access weights for a runtime, with the computation estimate above.
pub struct SubstrateWeight<T>(PhantomData<T>);

impl<T> WeightInfo for SubstrateWeight<T> {
	fn register_credentials() -> Weight {
		RocksDbWeight::get().reads_writes(1, 1)
	}
	fn deregister_credentials() -> Weight {
		RocksDbWeight::get().reads_writes(1, 1)
	}
	fn submit_validator_proofs(proofs: u32) -> Weight {
		let proofs = proofs as u64;
		// Anchor: light client + forks reads, header and two list roots (3 + 6 + 6 hashes).
		// Per proof: 7 + 41 hashes (record), 39 (balance); reads: record, credentials (×2);
		// writes: record, its `ValidatorsByLrt` entry (a new validator). Per batch: aggregates,
		// proof slots and credentials counts, bounded by the number of proofs.
		hashes(15)
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(hashes(87).saturating_mul(proofs))
			.saturating_add(RocksDbWeight::get().reads_writes(6, 5).saturating_mul(proofs))
	}
	fn report_slashing() -> Weight {
		// Writes: record, aggregates, credentials count, and either a new validator's
		// `ValidatorsByLrt` entry and one proof slot or a tracked one's two proof slots (both
		// counted: a bound).
		hashes(3 + 7 + 47).saturating_add(RocksDbWeight::get().reads_writes(8, 6))
	}
	fn untrack_validators(validators: u32) -> Weight {
		// Per validator: the record and its `ValidatorsByLrt` entry removed, aggregates, proof
		// slots and credentials counts.
		RocksDbWeight::get().reads_writes(5, 5).saturating_mul(validators as u64)
	}
	fn set_ethereum_forks() -> Weight {
		RocksDbWeight::get().writes(1)
	}
}

impl WeightInfo for () {
	fn register_credentials() -> Weight {
		SubstrateWeight::<()>::register_credentials()
	}
	fn deregister_credentials() -> Weight {
		SubstrateWeight::<()>::deregister_credentials()
	}
	fn submit_validator_proofs(proofs: u32) -> Weight {
		SubstrateWeight::<()>::submit_validator_proofs(proofs)
	}
	fn report_slashing() -> Weight {
		SubstrateWeight::<()>::report_slashing()
	}
	fn untrack_validators(validators: u32) -> Weight {
		SubstrateWeight::<()>::untrack_validators(validators)
	}
	fn set_ethereum_forks() -> Weight {
		SubstrateWeight::<()>::set_ethereum_forks()
	}
}
