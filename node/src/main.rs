//! `ballast-node`: the Ballast validator and full node.

// `sc_cli::Error` and `sc_service::Error` are the SDK's own (large) error types; every command
// returns them.
#![allow(clippy::result_large_err)]

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
