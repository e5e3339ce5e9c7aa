//! # ballast-relayer
//!
//! Carries Ethereum beacon-chain proofs to Ballast. Today: `prove`, which builds (offline, from an
//! SSZ `BeaconState` file) the validator proofs Ballast verifies, checks each with the on-chain
//! verifier code before printing it, and prints them as JSON. Following finality against a
//! beacon node and submitting to a Ballast node come next.

pub mod prove;
