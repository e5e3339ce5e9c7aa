//! # ballast-relayer
//!
//! Carries Ethereum beacon-chain proofs to Ballast:
//! - [`beacon`]: a client of a standard beacon node's HTTP API, checking what it reads;
//! - [`prove`]: validator proofs from SSZ states, each verified with the runtime's verifier;
//! - [`checkpoint`]: the light client's governance checkpoint;
//! - [`chain`]: Ballast's light-client and validator-health storage, and checked, confirmed
//!   submissions (subxt);
//! - [`sync`]: the loop that follows finality and keeps validator records fresh;
//! - [`metrics`]: Prometheus metrics.

pub mod beacon;
pub mod chain;
pub mod checkpoint;
pub mod metrics;
pub mod prove;
pub mod sync;
