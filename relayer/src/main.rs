//! `ballast-relayer`: carries Ethereum beacon proofs to Ballast.

use ballast_ethereum_proofs::{
	fork::{ForkSchedule, MAINNET_GENESIS_VALIDATORS_ROOT, SEPOLIA_GENESIS_VALIDATORS_ROOT},
	Root,
};
use ballast_relayer::{beacon::BeaconApi, checkpoint, prove};
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

impl Network {
	fn forks(self) -> ForkSchedule {
		match self {
			Network::Mainnet => ForkSchedule::mainnet(),
			Network::Sepolia => ForkSchedule::sepolia(),
		}
	}

	fn genesis_validators_root(self) -> Root {
		Root::from(match self {
			Network::Mainnet => MAINNET_GENESIS_VALIDATORS_ROOT,
			Network::Sepolia => SEPOLIA_GENESIS_VALIDATORS_ROOT,
		})
	}
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
	/// Prints the light client's governance checkpoint (`force_checkpoint`'s argument, SCALE
	/// hex, with what it holds) built from a beacon node's header and full state.
	Checkpoint {
		/// The beacon node's HTTP API, e.g. http://127.0.0.1:5052.
		#[arg(long)]
		beacon_url: String,
		/// The block to checkpoint: `finalized`, a slot or a block root.
		#[arg(long, default_value = "finalized")]
		block: String,
		/// The Ethereum network the chain follows.
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
			let forks = network.forks();
			let ssz = std::fs::read(&state)
				.map_err(|e| format!("cannot read {}: {e}", state.display()))?;
			let prover = prove::load_state(&ssz, &forks)?;
			let output = prove::prove(&prover, &validators)?;
			println!("{}", serde_json::to_string_pretty(&output)?);
			Ok(())
		},
		Command::Checkpoint { beacon_url, block, network } => {
			let api = BeaconApi::new(&beacon_url);
			let update = checkpoint::build(
				&api,
				&block,
				&network.forks(),
				network.genesis_validators_root(),
			)?;
			println!("{}", serde_json::to_string_pretty(&checkpoint::to_json(&update))?);
			Ok(())
		},
	}
}
