//! # ballast-relayer
//!
//! Carries Ethereum beacon-chain proofs to Ballast. Today: `prove`, which builds (offline, from an
//! SSZ `BeaconState` file) the validator proofs Ballast verifies, checks each with the on-chain
//! verifier code before printing it, and prints them as JSON; and `checkpoint`, which builds the
//! light client's governance checkpoint from a beacon node. Following finality and submitting to
//! a Ballast node come next.

pub mod beacon;
pub mod checkpoint;
pub mod prove;
