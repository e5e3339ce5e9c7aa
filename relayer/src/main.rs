//! `ballast-relayer`: carries Ethereum beacon proofs to Ballast.

use ballast_ethereum_proofs::fork::ForkSchedule;
use ballast_relayer::prove;
use clap::{Parser, Subcommand, ValueEnum};
use std::{path::PathBuf, process::ExitCode};

#[derive(Parser)]
#[command(name = "ballast-relayer", version, about = "Carries Ethereum beacon proofs to Ballast")]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Network {
	Mainnet,
	Sepolia,
}

#[derive(Subcommand)]
enum Command {
	/// Prints, as JSON, the proofs of some validators of an SSZ BeaconState (offline; every
	/// proof is checked with the on-chain verifier first).
	Prove {
		/// The SSZ-encoded BeaconState (as /eth/v2/debug/beacon/states/{id} serves it).
		#[arg(long)]
		state: PathBuf,
		/// Validator indices, comma-separated.
		#[arg(long, value_delimiter = ',', required = true)]
		validators: Vec<u64>,
		/// The Ethereum network whose fork schedule dates the state.
		#[arg(long, value_enum, default_value = "sepolia")]
		network: Network,
	},
}

fn main() -> ExitCode {
	let cli = Cli::parse();
	match run(cli) {
		Ok(()) => ExitCode::SUCCESS,
		Err(error) => {
			eprintln!("error: {error}");
			ExitCode::FAILURE
		},
	}
}

fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
	match cli.command {
		Command::Prove { state, validators, network } => {
			let forks = match network {
				Network::Mainnet => ForkSchedule::mainnet(),
				Network::Sepolia => ForkSchedule::sepolia(),
			};
			let ssz = std::fs::read(&state)
				.map_err(|e| format!("cannot read {}: {e}", state.display()))?;
			let prover = prove::load_state(&ssz, &forks)?;
			let output = prove::prove(&prover, &validators)?;
			println!("{}", serde_json::to_string_pretty(&output)?);
			Ok(())
		},
	}
}
