//! # Beacon-chain simulator (test only)
//!
//! A consensus layer over a local anvil, for testing the relayer and Ballast against a live
//! Ethereum: every slot is a Deneb beacon block whose execution payload is an anvil block mined
//! for that slot; states are real SSZ `BeaconState`s (mainnet preset, the prover's types) that
//! `StateProver::from_ssz` parses; sync aggregates are real BLS signatures of a committee whose
//! keys are derived deterministically ([`keys`]: **test keys**), and proposers sign their blocks
//! and RANDAO reveals; the chain finalizes two epochs behind, like Ethereum. The standard beacon
//! API the relayer reads is served on 127.0.0.1 ([`api`]); the binary `ballast-beacon-sim` runs
//! it against a live anvil with a slot clock.
//!
//! ```no_run
//! use ballast_beacon_sim::{BeaconSim, Config};
//! let sim = BeaconSim::start(Config::default(), "http://127.0.0.1:8545", 0).unwrap();
//! sim.advance(3 * 32).unwrap(); // three epochs on, the chain has finalized blocks
//! println!("beacon API at {}", sim.url());
//! ```
//!
//! What is simulated is listed in [`chain`]; what is not: attestations, deposits, withdrawals,
//! forks other than Deneb (a slot past Deneb by the schedule is refused), empty slots, reorgs,
//! reward accounting. The simulator takes over anvil's mining: transactions sent to anvil are
//! mined in the next slot's block.

pub mod anvil;
pub mod api;
pub mod chain;
pub mod execution;
pub mod keys;
pub mod network;

pub use api::BeaconSim;
pub use chain::{execution_credentials, Chain, Config, SimError, SlotRecord};
pub use network::Network;

/// `0x`-hex of bytes, as the beacon API writes them.
pub fn hex(bytes: impl AsRef<[u8]>) -> String {
	format!("0x{}", alloy_primitives::hex::encode(bytes))
}

/// SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
	use sha2::Digest;
	sha2::Sha256::digest(bytes).into()
}
