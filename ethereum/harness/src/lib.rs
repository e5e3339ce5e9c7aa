//! # ballast-ethereum-harness
//!
//! Runs the compiled `BallastGateway` (and test mocks) in revm, seals the receipts of each
//! simulated Ethereum block into a real receipts trie and execution header, and wraps that header
//! in a beacon block whose body commits to it. Tests install that beacon block as the light
//! client's checkpoint and then prove the contract's own logs with Snowbridge's `Verifier`.
//!
//! What is synthetic, and why it does not matter to what is tested: the beacon block's other
//! body fields and state fields (no one verifies them; the checkpoint is installed by
//! governance), and unsigned transactions (Ballast never reads `transactions_root`). Everything
//! the `Verifier` checks — log, receipt, receipts trie, execution header, body branch, header
//! root — is computed, not written by hand.
//!
//! The other way, [`finality`] simulates Ballast's BEEFY finality (withdrawal trees, the MMR,
//! signed commitments) and runs Snowbridge's compiled `BeefyClient` beside the gateway, so that
//! releases are proven as on Ethereum.

pub mod beacon;
pub mod calls;
pub mod evm;
pub mod finality;
pub mod protocols;
pub mod scenarios;
pub mod verifier;

pub use beacon::{BeaconBlock, SYNTHETIC_SLOT};
pub use evm::{Ethereum, SealedBlock, TxResult};
