//! # ballast-relayer
//!
//! Carries Ethereum beacon-chain proofs to Ballast, and Ballast's finality and withdrawals to
//! Ethereum:
//! - [`beacon`]: a client of a standard beacon node's HTTP API, checking what it reads;
//! - [`execution`]: a client of an execution node's JSON-RPC API, the gateway's and EigenLayer's
//!   events, and their receipt proofs, each verified with the runtime's receipt code;
//! - [`events`]: the execution relay: AVS slashings, deposits and backing reports, proven under
//!   the light client's finalized header and submitted;
//! - [`keeper`]: the backing keeper, calling `reportBacking` on Ethereum before a snapshot on
//!   Ballast goes stale;
//! - [`prove`]: validator proofs from SSZ states, each verified with the runtime's verifier;
//! - [`checkpoint`]: the light client's governance checkpoint;
//! - [`chain`]: Ballast's light-client and validator-health storage, and checked, confirmed
//!   submissions (subxt);
//! - [`sync`]: the loop that follows finality and keeps validator records fresh;
//! - [`ethereum`]: the relayer's Ethereum account and the transactions it signs and sends;
//! - [`beefy`]: Ballast's BEEFY commitments, submitted to Snowbridge's `BeefyClient` on
//!   Ethereum with its interactive protocol;
//! - [`release`]: withdrawals burned on Ballast, released on Ethereum against `BeefyClient`'s
//!   MMR root, and the relay that keeps `BeefyClient` following Ballast for them;
//! - [`metrics`]: Prometheus metrics.

pub mod beacon;
pub mod beefy;
pub mod chain;
pub mod checkpoint;
pub mod ethereum;
pub mod events;
pub mod execution;
pub mod keeper;
pub mod metrics;
pub mod prove;
pub mod release;
pub mod sync;
