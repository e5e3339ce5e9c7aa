//! Real Sepolia and EigenLayer data from the repository's `fixtures/` (provenance in
//! `fixtures/README.md`), for tests and benchmarks. Set `BALLAST_FIXTURES` to use another folder.

use std::path::PathBuf;

use crate::StateProver;
use ballast_ethereum_proofs::{BeaconBlockHeader, ForkSchedule};

/// The fixtures folder: `$BALLAST_FIXTURES`, else the repository's `fixtures/`.
pub fn dir() -> PathBuf {
	if let Some(dir) = std::env::var_os("BALLAST_FIXTURES") {
		return dir.into();
	}
	// This crate is ethereum/prover inside the repository.
	PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn read(relative: &str) -> Vec<u8> {
	let path = dir().join(relative);
	std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

/// The SSZ `BeaconState` of Sepolia at `slot`.
pub fn sepolia_state(slot: u64) -> Vec<u8> {
	read(&format!("sepolia/{slot}.ssz"))
}

/// The Sepolia state at `slot`, decoded with the fork Sepolia's schedule gives that slot.
pub fn sepolia_prover(slot: u64) -> StateProver {
	let fork = ForkSchedule::sepolia().fork_at_slot(slot).expect("the fixtures are Deneb");
	StateProver::from_ssz(fork, &sepolia_state(slot)).expect("real states decode")
}

/// The header of the Sepolia block at `slot`.
pub fn sepolia_header(slot: u64) -> BeaconBlockHeader {
	serde_json::from_slice(&read(&format!("sepolia/header_at_slot_{slot}.json")))
		.expect("fixture headers are BeaconBlockHeader JSON")
}

/// The signed Sepolia block at `slot`, as the beacon API's JSON.
pub fn sepolia_block(slot: u64) -> serde_json::Value {
	serde_json::from_slice(&read(&format!("sepolia/block_by_slot_{slot}.json")))
		.expect("fixture blocks are JSON")
}

/// An EigenLayer proof vector (`eigenpod/<name>.json`) as JSON.
pub fn eigenpod(name: &str) -> serde_json::Value {
	serde_json::from_slice(&read(&format!("eigenpod/{name}.json")))
		.expect("EigenPod vectors are JSON")
}
