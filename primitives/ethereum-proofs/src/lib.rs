//! # Ethereum beacon-state proofs
//!
//! Verifies SSZ Merkle branches of Ethereum's consensus layer: a validator's record and balance
//! inside a `BeaconState`, and a state root inside a `BeaconBlockHeader`. The runtime (32-bit wasm)
//! and the relayer use this same code.
//!
//! Generalized indices are `u64` throughout. A validator leaf sits 46–47 levels below the state
//! root (gindex ≈ 2^46.4), which does not fit the `usize` of a 32-bit runtime: Snowbridge's
//! `verify_merkle_branch` takes `usize` and would silently walk a different path there.
//!
//! Hashing goes through `sp_io::hashing::sha2_256`, a host function in the runtime.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod beacon;
pub mod calls;
pub mod consensus;
pub mod fork;
pub mod merkle;
pub mod state;
pub mod tree;
pub mod validator;

pub use beacon::BeaconBlockHeader;
pub use fork::{Fork, ForkSchedule, ForkVersion, StateLayout, UnsupportedFork};
pub use merkle::{ProofError, Root};
pub use validator::{balance_from_chunk, ValidatorFields};
