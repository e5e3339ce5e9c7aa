//! Command-line interface.

/// How a node seals blocks.
#[derive(Debug, Copy, Clone, PartialEq, Eq, clap::ValueEnum)]
pub enum Sealing {
	/// Aura block production with GRANDPA finality: what every real network runs.
	Aura,
	/// Development only: a block as soon as a transaction arrives, finalized at once. Fast,
	/// deterministic client tests; needs `--dev` (or another development chain).
	Instant,
}

#[derive(Debug, clap::Parser)]
#[command(
	name = "ballast-node",
	about = "Ballast: a sovereign chain for restaked collateral",
	version,
	propagate_version = true,
	args_conflicts_with_subcommands = true,
	subcommand_negates_reqs = true
)]
pub struct Cli {
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	#[clap(flatten)]
	pub run: sc_cli::RunCmd,

	/// Block sealing. `instant` is refused on non-development chains.
	#[arg(long, value_enum, default_value_t = Sealing::Aura)]
	pub sealing: Sealing,
}

#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect, insert keys into the keystore, generate a node key.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification (legacy; prefer `export-chain-spec`).
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export a chain specification (plain or `--raw`).
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Runtime and pallet benchmarks (only in builds with `--features runtime-benchmarks`).
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Database meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),
}
