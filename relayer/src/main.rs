//! `ballast-relayer`: carries Ethereum beacon proofs to Ballast, and Ballast's BEEFY finality
//! and withdrawals to Ethereum.

use ballast_ethereum_proofs::{
	fork::{ForkSchedule, MAINNET_GENESIS_VALIDATORS_ROOT, SEPOLIA_GENESIS_VALIDATORS_ROOT},
	Root,
};
use ballast_relayer::{
	beacon::BeaconApi,
	beefy::{BeefyChain, ClientArgs},
	chain::{self, Ballast},
	checkpoint,
	ethereum::{EthereumKey, FeePolicy, Transactor},
	events::{EventRelay, EventSettings},
	execution::ExecutionApi,
	keeper::{self, Keeper},
	metrics::{self, BeefyMetrics, Metrics},
	prove, release,
	sync::{self, Relayer, Settings},
};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::{net::SocketAddr, path::PathBuf, process::ExitCode, time::Duration};

#[derive(Parser)]
#[command(
	name = "ballast-relayer",
	version,
	about = "Carries Ethereum beacon proofs to Ballast, and Ballast's finality and withdrawals to Ethereum"
)]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Network {
	Mainnet,
	Sepolia,
	/// Whatever network the beacon node follows: its fork schedule from
	/// `/eth/v1/config/spec`, its genesis validators root from `/eth/v1/beacon/genesis` (a
	/// devnet, or any network without a preset here).
	Beacon,
}

impl Network {
	/// The preset's fork schedule and genesis validators root; `None` for [`Network::Beacon`].
	fn preset(self) -> Option<(ForkSchedule, Root)> {
		match self {
			Network::Mainnet => {
				Some((ForkSchedule::mainnet(), Root::from(MAINNET_GENESIS_VALIDATORS_ROOT)))
			},
			Network::Sepolia => {
				Some((ForkSchedule::sepolia(), Root::from(SEPOLIA_GENESIS_VALIDATORS_ROOT)))
			},
			Network::Beacon => None,
		}
	}
}

/// Where the Ethereum data comes from.
#[derive(Args)]
struct BeaconArgs {
	/// The beacon node's HTTP API (it must serve the debug state endpoint), e.g.
	/// http://127.0.0.1:5052.
	#[arg(long, env = "BALLAST_RELAYER_BEACON_URL")]
	beacon_url: String,
	/// The Ethereum network the chain follows.
	#[arg(long, value_enum, default_value = "sepolia", env = "BALLAST_RELAYER_NETWORK")]
	network: Network,
	/// Attempts per beacon API request on transient failures (backoff doubles from 0.5 s).
	#[arg(long, default_value_t = 4, env = "BALLAST_RELAYER_BEACON_ATTEMPTS")]
	beacon_attempts: u32,
}

impl BeaconArgs {
	fn api(&self) -> BeaconApi {
		BeaconApi::new(&self.beacon_url)
			.with_retries(self.beacon_attempts, Duration::from_millis(500))
	}

	/// The fork schedule and genesis validators root of `--network` (read from the beacon node
	/// for `beacon`).
	async fn network(&self) -> Result<(ForkSchedule, Root), Box<dyn std::error::Error>> {
		if let Some(preset) = self.network.preset() {
			return Ok(preset);
		}
		let api = self.api();
		Ok(tokio::task::spawn_blocking(move || api.network()).await??)
	}
}

/// Where the relayer submits.
#[derive(Args)]
struct BallastArgs {
	/// The Ballast node's RPC endpoint.
	#[arg(long, default_value = "ws://127.0.0.1:9944", env = "BALLAST_RELAYER_BALLAST_URL")]
	ballast_url: String,
	/// The relayer's signing key as a secret URI (mnemonic, `0x` seed, or `//Alice` on dev
	/// chains). Prefer the environment variable to keep it out of the process list.
	#[arg(long, env = "BALLAST_RELAYER_SURI", hide_env_values = true)]
	suri: Option<String>,
}

impl BallastArgs {
	fn signer(&self) -> Result<Option<subxt_signer::sr25519::Keypair>, chain::Error> {
		self.suri.as_deref().map(chain::keypair).transpose()
	}
}

/// The Ethereum side of the Ballast → Ethereum direction: `BeefyClient`, the gateway and the
/// account that sends.
#[derive(Args)]
struct ReleaseArgs {
	/// The Ethereum execution node's JSON-RPC endpoint, e.g. http://127.0.0.1:8545.
	#[arg(long, env = "BALLAST_RELAYER_EXECUTION_URL")]
	execution_url: String,
	/// Snowbridge's BeefyClient following Ballast on Ethereum. Default: the one the gateway
	/// releases against (`beefyClient()`); a different one is refused.
	#[arg(long, env = "BALLAST_RELAYER_BEEFY_CLIENT")]
	beefy_client: Option<alloy_primitives::Address>,
	/// The BallastGateway that releases the withdrawals.
	#[arg(long, env = "BALLAST_RELAYER_GATEWAY")]
	gateway: alloy_primitives::Address,
	/// A file holding the Ethereum secret key that sends (hex; keep it readable by its owner
	/// only). Without it, BALLAST_RELAYER_ETH_KEY is read.
	#[arg(long, env = "BALLAST_RELAYER_ETH_KEY_FILE")]
	eth_key_file: Option<PathBuf>,
	/// The most offered per gas (max fee), in gwei.
	#[arg(long, default_value_t = 200, env = "BALLAST_RELAYER_MAX_FEE_GWEI")]
	max_fee_gwei: u64,
	/// Replace a transaction still pending after this long (same nonce, fees 12.5 % higher).
	#[arg(long, default_value_t = 180, env = "BALLAST_RELAYER_RESEND_SECS")]
	resend_secs: u64,
	/// The Ballast node's RPC endpoint (it must serve BEEFY's and the MMR's RPC).
	#[arg(long, default_value = "ws://127.0.0.1:9944", env = "BALLAST_RELAYER_BALLAST_URL")]
	ballast_url: String,
	/// Seconds between rounds when no BEEFY commitment comes first.
	#[arg(long, default_value_t = 6, env = "BALLAST_RELAYER_POLL_SECS")]
	poll_secs: u64,
}

impl ReleaseArgs {
	/// The relay, connected to both chains.
	async fn relay(
		&self,
		start_nonce: u64,
		metrics: BeefyMetrics,
	) -> Result<release::Relay, Box<dyn std::error::Error>> {
		let key =
			EthereumKey::from_file_or_env(self.eth_key_file.as_deref(), "BALLAST_RELAYER_ETH_KEY")?;
		let policy = FeePolicy {
			max_fee_per_gas: u128::from(self.max_fee_gwei) * 1_000_000_000,
			..FeePolicy::default()
		};
		let api = ExecutionApi::new(&self.execution_url);
		// The client the gateway proves against now (governance may have replaced it, after
		// its seven-day announcement): commitments sent to any other would release nothing.
		let current: alloy_primitives::Address = {
			use alloy_sol_types::SolCall;
			let call = ballast_gateway::release::abi::beefyClientCall {};
			let output = tokio::task::block_in_place(|| {
				api.call(
					self.gateway,
					&call.abi_encode(),
					ballast_relayer::execution::BlockId::Latest,
				)
			})?;
			ballast_gateway::release::abi::beefyClientCall::abi_decode_returns(&output)?
		};
		let beefy_client = match self.beefy_client {
			Some(asked) if asked != current => {
				return Err(format!(
					"the gateway {} releases against BeefyClient {current}, not {asked}",
					self.gateway
				)
				.into())
			},
			_ => current,
		};
		let mut tx = tokio::task::block_in_place(|| Transactor::new(api, key, policy))?;
		tx.resend_after = Duration::from_secs(self.resend_secs.max(1));
		let chain = Ballast::connect_retrying(&self.ballast_url, None, 10).await?;
		let settings =
			release::Settings { start_nonce, poll: Duration::from_secs(self.poll_secs.max(1)) };
		Ok(release::Relay::new(chain, tx, beefy_client, self.gateway, settings, metrics))
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
		/// The Ethereum network whose fork schedule dates the state (`mainnet` or `sepolia`:
		/// this command reads no beacon node).
		#[arg(long, value_enum, default_value = "sepolia")]
		network: Network,
	},
	/// Prints, as JSON, the `validatorHealth` genesis settings (fork schedule and genesis
	/// validators root) of the network a beacon node follows, read from the node whatever
	/// `--network` says; with `--chain-spec`, that chain spec (JSON, not raw) with them set
	/// (docs/relayer.md, "Following another Ethereum network").
	Network {
		#[command(flatten)]
		beacon: BeaconArgs,
		/// A chain spec (`ballast-node build-spec` output) to print with the settings merged
		/// into its genesis patch.
		#[arg(long)]
		chain_spec: Option<PathBuf>,
	},
	/// Prints the light client's governance checkpoint (`force_checkpoint`'s argument, SCALE
	/// hex, with what it holds) built from a beacon node's header and full state; with
	/// `--submit`, submits it through `sudo` (the `dev` and `local` chains only: elsewhere a
	/// checkpoint is a root change of governance, proposed with the printed argument).
	Checkpoint {
		#[command(flatten)]
		beacon: BeaconArgs,
		/// The block to checkpoint: `finalized`, a slot or a block root.
		#[arg(long, default_value = "finalized")]
		block: String,
		/// Submit it (as `sudo.sudo(ethereumBeaconClient.forceCheckpoint)`, signed by --suri):
		/// development chains only, which have sudo.
		#[arg(long)]
		submit: bool,
		#[command(flatten)]
		ballast: BallastArgs,
	},
	/// Follows Ethereum finality into Ballast's light client and keeps the validator records of
	/// every registered LRT fresh (slashed validators first), forever or for one round.
	Sync {
		#[command(flatten)]
		beacon: BeaconArgs,
		#[command(flatten)]
		ballast: BallastArgs,
		/// Proofs per `submitValidatorProofs` transaction (at most the runtime's 1,000).
		#[arg(long, default_value_t = 100, env = "BALLAST_RELAYER_BATCH_SIZE")]
		batch_size: usize,
		/// Re-prove an unchanged validator once its record is this many epochs old.
		#[arg(long, default_value_t = 225, env = "BALLAST_RELAYER_REFRESH_EPOCHS")]
		refresh_epochs: u64,
		/// Relay a finalized header once it is this many slots past the chain's (32: one epoch,
		/// the light client's free-update interval).
		#[arg(long, default_value_t = 32, env = "BALLAST_RELAYER_MIN_UPDATE_SLOTS")]
		min_update_slots: u64,
		/// Seconds between rounds.
		#[arg(long, default_value_t = 60, env = "BALLAST_RELAYER_POLL_SECS")]
		poll_secs: u64,
		/// Do one round and exit (exit code 1 if it failed).
		#[arg(long)]
		once: bool,
		/// Also relay the execution layer's events (AVS slashings, deposits, backing reports)
		/// from this Ethereum JSON-RPC endpoint, e.g. http://127.0.0.1:8545.
		#[arg(long, env = "BALLAST_RELAYER_EXECUTION_URL")]
		execution_url: Option<String>,
		/// The first execution block whose logs are searched (the gateway's deployment).
		#[arg(long, default_value_t = 0, env = "BALLAST_RELAYER_EXECUTION_START_BLOCK")]
		execution_start_block: u64,
		/// Seconds per beacon slot of the network followed (maps an execution block to its
		/// beacon block); by default the beacon node's `SECONDS_PER_SLOT`.
		#[arg(long, env = "BALLAST_RELAYER_SECONDS_PER_SLOT")]
		seconds_per_slot: Option<u64>,
		/// Serve Prometheus metrics at http://127.0.0.1:<port>/metrics.
		#[arg(long, env = "BALLAST_RELAYER_PROMETHEUS_PORT")]
		prometheus_port: Option<u16>,
		/// Listen for Prometheus on all interfaces instead of 127.0.0.1.
		#[arg(long)]
		prometheus_external: bool,
	},
	/// The backing keeper: calls `BallastGateway.reportBacking(lrt)` on Ethereum for every LRT
	/// Ballast values through `--gateway` whose snapshot is `--interval-secs` old (or missing),
	/// one transaction in flight per LRT. The Ethereum key comes from `--eth-key-file` or the
	/// environment variable BALLAST_RELAYER_ETH_KEY (hex), never from a flag's value.
	ReportBacking {
		/// The Ethereum execution node's JSON-RPC endpoint, e.g. http://127.0.0.1:8545.
		#[arg(long, env = "BALLAST_RELAYER_EXECUTION_URL")]
		execution_url: String,
		/// The BallastGateway contract on Ethereum.
		#[arg(long, env = "BALLAST_RELAYER_GATEWAY")]
		gateway: alloy_primitives::Address,
		/// A file holding the keeper's Ethereum secret key (hex; keep it readable by its owner
		/// only). Without it, BALLAST_RELAYER_ETH_KEY is read.
		#[arg(long, env = "BALLAST_RELAYER_ETH_KEY_FILE")]
		eth_key_file: Option<PathBuf>,
		/// Report an LRT whose snapshot on Ballast is this old (keep it well under the LRT's
		/// `max_snapshot_age`).
		#[arg(long, default_value_t = 3600, env = "BALLAST_RELAYER_REPORT_INTERVAL_SECS")]
		interval_secs: u64,
		/// Replace a report still pending after this long (same nonce, fees 12.5 % higher).
		#[arg(long, default_value_t = 180)]
		resend_secs: u64,
		/// The most the keeper offers per gas (max fee), in gwei.
		#[arg(long, default_value_t = 200, env = "BALLAST_RELAYER_MAX_FEE_GWEI")]
		max_fee_gwei: u64,
		/// Seconds between rounds.
		#[arg(long, default_value_t = 60)]
		poll_secs: u64,
		/// Do one round, print what it did as JSON, and exit.
		#[arg(long)]
		once: bool,
		#[command(flatten)]
		ballast: BallastArgs,
	},
	/// Ballast → Ethereum: follows BEEFY on Ballast into Snowbridge's BeefyClient on Ethereum
	/// (every validator-set handover, and a commitment whenever a withdrawal waits for one) and
	/// releases every withdrawal of `--gateway` on the gateway, forever. The Ethereum key comes
	/// from `--eth-key-file` or BALLAST_RELAYER_ETH_KEY (hex), never from a flag's value.
	Beefy {
		#[command(flatten)]
		args: ReleaseArgs,
		/// The first withdrawal nonce to release (older ones are not looked at).
		#[arg(long, default_value_t = 0, env = "BALLAST_RELAYER_START_NONCE")]
		start_nonce: u64,
		/// Serve Prometheus metrics at http://127.0.0.1:<port>/metrics.
		#[arg(long, env = "BALLAST_RELAYER_PROMETHEUS_PORT")]
		prometheus_port: Option<u16>,
		/// Listen for Prometheus on all interfaces instead of 127.0.0.1.
		#[arg(long)]
		prometheus_external: bool,
	},
	/// Releases one withdrawal on Ethereum (anyone may: the gateway pays the recipient named on
	/// Ballast), first submitting to BeefyClient a BEEFY commitment covering it (and any set
	/// handover due) if none does yet; prints what it did as JSON.
	Release {
		#[command(flatten)]
		args: ReleaseArgs,
		/// The withdrawal's nonce (`lrtBridge.WithdrawalQueued`).
		#[arg(long)]
		nonce: u64,
		/// Give up if BEEFY has not finalized a block covering it after this long.
		#[arg(long, default_value_t = 600)]
		timeout_secs: u64,
	},
	/// Prints, as JSON, the constructor arguments of a BeefyClient following Ballast from its
	/// BEEFY finalized head: that block, the current BEEFY set
	/// (`BeefyMmrApi_authority_set_proof`) and the next (`…_next_authority_set_proof`), and the
	/// ABI-encoded arguments to append to BeefyClient's creation code.
	BeefyClientArgs {
		/// The Ballast node's RPC endpoint.
		#[arg(long, default_value = "ws://127.0.0.1:9944", env = "BALLAST_RELAYER_BALLAST_URL")]
		ballast_url: String,
		/// Ethereum blocks between `submitInitial` and `commitPrevRandao` (Snowbridge uses 128:
		/// four epochs, MAX_SEED_LOOKAHEAD).
		#[arg(long, default_value_t = 128)]
		randao_commit_delay: u64,
		/// Blocks after the delay within which `commitPrevRandao` must come.
		#[arg(long, default_value_t = 24)]
		randao_commit_expiration: u64,
		/// The least signatures `submitFinal` checks (more with the set's size and reuse; never
		/// more than a third of the set plus one). At least 11.
		#[arg(long, default_value_t = 17)]
		min_signatures: u64,
		/// Signatures `submitFiatShamir` checks (never more than a third of the set plus one). At
		/// least 11: fewer would let fewer keys than BFT tolerates forge a commitment.
		#[arg(long, default_value_t = 101)]
		fiat_shamir_signatures: u64,
	},
	/// Prints, as JSON, what Ballast's light client and validator records hold next to the beacon
	/// node's finality; with `--execution-url`, each gateway's event nonce on Ethereum next to
	/// what Ballast has settled too.
	Status {
		#[command(flatten)]
		beacon: BeaconArgs,
		#[command(flatten)]
		ballast: BallastArgs,
		/// The Ethereum execution node's JSON-RPC endpoint.
		#[arg(long, env = "BALLAST_RELAYER_EXECUTION_URL")]
		execution_url: Option<String>,
	},
}

fn main() -> ExitCode {
	use std::io::IsTerminal;
	tracing_subscriber::fmt()
		.with_writer(std::io::stderr)
		.with_ansi(std::io::stderr().is_terminal())
		.with_env_filter(
			tracing_subscriber::EnvFilter::try_from_default_env()
				.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
		)
		.init();
	let cli = Cli::parse();
	let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
		Ok(runtime) => runtime,
		Err(error) => {
			eprintln!("error: cannot start the async runtime: {error}");
			return ExitCode::FAILURE;
		},
	};
	match runtime.block_on(run(cli)) {
		Ok(()) => ExitCode::SUCCESS,
		Err(error) => {
			eprintln!("error: {error}");
			ExitCode::FAILURE
		},
	}
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
	match cli.command {
		Command::Prove { state, validators, network } => {
			let (forks, _) = network
				.preset()
				.ok_or("prove reads no beacon node: name the network (mainnet or sepolia)")?;
			let ssz = std::fs::read(&state)
				.map_err(|e| format!("cannot read {}: {e}", state.display()))?;
			let prover = prove::load_state(&ssz, &forks)?;
			let output = prove::prove(&prover, &validators)?;
			println!("{}", serde_json::to_string_pretty(&output)?);
		},
		Command::Checkpoint { beacon, block, submit, ballast } => {
			let (forks, genesis_validators_root) = beacon.network().await?;
			let api = beacon.api();
			let update = tokio::task::spawn_blocking(move || {
				checkpoint::build(&api, &block, &forks, genesis_validators_root)
			})
			.await??;
			if submit {
				let signer = ballast.signer()?.ok_or(chain::Error::NoSigner)?;
				let chain =
					Ballast::connect_retrying(&ballast.ballast_url, Some(signer), 5).await?;
				let included = checkpoint::submit(&chain, &update).await?;
				tracing::info!(
					slot = update.header.slot,
					block = included.block,
					"checkpoint installed"
				);
			}
			println!("{}", serde_json::to_string_pretty(&checkpoint::to_json(&update))?);
		},
		Command::Sync {
			beacon,
			ballast,
			batch_size,
			refresh_epochs,
			min_update_slots,
			poll_secs,
			once,
			execution_url,
			execution_start_block,
			seconds_per_slot,
			prometheus_port,
			prometheus_external,
		} => {
			let registry = prometheus_endpoint::Registry::new_custom(None, None)?;
			let metrics = Metrics::new(&registry)?;
			if let Some(port) = prometheus_port {
				let ip = if prometheus_external { [0, 0, 0, 0] } else { [127, 0, 0, 1] };
				metrics::serve(SocketAddr::from((ip, port)), registry);
			}
			let signer = ballast.signer()?.ok_or(chain::Error::NoSigner)?;
			let chain = Ballast::connect_retrying(&ballast.ballast_url, Some(signer), 10).await?;
			let settings = Settings {
				forks: beacon.network().await?.0,
				batch_size: batch_size.clamp(1, 1000),
				refresh_after_slots: refresh_epochs
					* ballast_ethereum_proofs::consensus::SLOTS_PER_EPOCH,
				min_update_slots,
			};
			let mut relayer = Relayer::new(beacon.api(), chain, settings, metrics.clone());
			if let Some(url) = execution_url {
				let seconds_per_slot = match seconds_per_slot {
					Some(seconds) => seconds,
					None => {
						let api = beacon.api();
						tokio::task::spawn_blocking(move || api.seconds_per_slot()).await??
					},
				};
				relayer = relayer.with_events(EventRelay::new(
					ExecutionApi::new(&url),
					EventSettings { start_block: execution_start_block, seconds_per_slot },
				));
			}
			if once {
				match relayer.round().await {
					Ok(report) => {
						println!(
							"{}",
							serde_json::json!({
								"finalizedSlot": report.finalized_slot,
								"updates": report.updates,
								"slashings": report.slashings,
								"proofs": report.proofs,
								"events": report.events.map(|events| serde_json::json!({
									"finalizedBlock": events.finalized_block,
									"avsSlashings": events.slashings,
									"deposits": events.deposits,
									"backingReports": events.reports,
									"refused": events.refused,
								})),
							})
						);
					},
					Err(error) => {
						metrics.failed(error.kind());
						return Err(error.into());
					},
				}
			} else {
				let poll = Duration::from_secs(poll_secs.max(1));
				tokio::select! {
					_ = relayer.run(poll) => {},
					_ = tokio::signal::ctrl_c() => tracing::info!("interrupted; stopping"),
				}
			}
		},
		Command::ReportBacking {
			execution_url,
			gateway,
			eth_key_file,
			interval_secs,
			resend_secs,
			max_fee_gwei,
			poll_secs,
			once,
			ballast,
		} => {
			let key =
				EthereumKey::from_file_or_env(eth_key_file.as_deref(), "BALLAST_RELAYER_ETH_KEY")?;
			let settings = keeper::Settings {
				interval: Duration::from_secs(interval_secs),
				resend_after: Duration::from_secs(resend_secs),
				max_fee_per_gas: u128::from(max_fee_gwei) * 1_000_000_000,
				..keeper::Settings::default()
			};
			let api = ExecutionApi::new(&execution_url);
			let mut keeper =
				tokio::task::block_in_place(|| Keeper::new(api, key, gateway, settings))?;
			tracing::info!(account = %keeper.address(), %gateway, "backing keeper");
			let chain = Ballast::connect_retrying(&ballast.ballast_url, None, 10).await?;
			loop {
				let result = keeper_round(&chain, &mut keeper, gateway, interval_secs).await;
				match (&result, once) {
					(Ok(outcomes), true) => {
						println!("{}", serde_json::Value::Array(outcomes.clone()));
						return Ok(());
					},
					(Err(_), true) => return result.map(|_| ()),
					(Err(error), false) => tracing::warn!(%error, "keeper round failed"),
					(Ok(_), false) => {},
				}
				tokio::select! {
					_ = tokio::time::sleep(Duration::from_secs(poll_secs.max(1))) => {},
					_ = tokio::signal::ctrl_c() => {
						tracing::info!("interrupted; stopping");
						return Ok(());
					},
				}
			}
		},
		Command::Network { beacon, chain_spec } => {
			let api = beacon.api();
			let (forks, genesis_validators_root) =
				tokio::task::spawn_blocking(move || api.network()).await??;
			let settings = serde_json::json!({
				"ethereumForks": forks,
				"genesisValidatorsRoot": genesis_validators_root,
			});
			let output = match chain_spec {
				None => serde_json::json!({ "validatorHealth": settings }),
				Some(path) => {
					let text = std::fs::read_to_string(&path)
						.map_err(|e| format!("cannot read {}: {e}", path.display()))?;
					let mut spec: serde_json::Value = serde_json::from_str(&text)?;
					let health = spec
						.pointer_mut("/genesis/runtimeGenesis/patch")
						.and_then(serde_json::Value::as_object_mut)
						.ok_or(
							"not a chain spec with a genesis patch (give build-spec's JSON, not --raw)",
						)?
						.entry("validatorHealth")
						.or_insert_with(|| serde_json::json!({}));
					let health =
						health.as_object_mut().ok_or("validatorHealth is not an object")?;
					for (key, value) in settings.as_object().into_iter().flatten() {
						health.insert(key.clone(), value.clone());
					}
					spec
				},
			};
			println!("{}", serde_json::to_string_pretty(&output)?);
		},
		Command::Beefy { args, start_nonce, prometheus_port, prometheus_external } => {
			let registry = prometheus_endpoint::Registry::new_custom(None, None)?;
			let metrics = BeefyMetrics::new(&registry)?;
			if let Some(port) = prometheus_port {
				let ip = if prometheus_external { [0, 0, 0, 0] } else { [127, 0, 0, 1] };
				metrics::serve(SocketAddr::from((ip, port)), registry);
			}
			let mut relay = args.relay(start_nonce, metrics).await?;
			tracing::info!(
				account = %relay.address(),
				gateway = %args.gateway,
				"BEEFY relay and releases"
			);
			tokio::select! {
				_ = relay.run() => {},
				_ = tokio::signal::ctrl_c() => tracing::info!("interrupted; stopping"),
			}
		},
		Command::Release { args, nonce, timeout_secs } => {
			let registry = prometheus_endpoint::Registry::new_custom(None, None)?;
			let mut relay = args.relay(nonce, BeefyMetrics::new(&registry)?).await?;
			let report = relay.release_one(nonce, Duration::from_secs(timeout_secs)).await?;
			let commitments: Vec<serde_json::Value> = report
				.commitments
				.iter()
				.map(|c| {
					serde_json::json!({
						"block": c.block,
						"setId": c.set_id,
						"handover": c.handover,
						"mmrRoot": c.mmr_root.to_string(),
						"transactions": c.transactions.iter().map(|(what, included)| serde_json::json!({
							"call": what,
							"hash": included.hash.to_string(),
							"gasUsed": included.outcome.gas_used,
							"calldataBytes": included.calldata_bytes,
						})).collect::<Vec<_>>(),
					})
				})
				.collect();
			let released = report.released.first().map(|r| {
				serde_json::json!({
					"hash": r.hash.to_string(),
					"block": r.block,
					"token": r.message.token.to_string(),
					"recipient": r.message.recipient.to_string(),
					"amount": r.message.amount.to_string(),
					"gasUsed": r.gas_used,
					"calldataBytes": r.calldata_bytes,
				})
			});
			println!(
				"{}",
				serde_json::json!({
					"nonce": nonce,
					"released": released,
					"alreadyReleased": released.is_none(),
					"commitments": commitments,
					"beefyClientBlock": report.state.map(|s| s.latest_block),
				})
			);
		},
		Command::BeefyClientArgs {
			ballast_url,
			randao_commit_delay,
			randao_commit_expiration,
			min_signatures,
			fiat_shamir_signatures,
		} => {
			let chain = Ballast::connect_retrying(&ballast_url, None, 3).await?;
			let args = ClientArgs::read(&BeefyChain::new(&chain)).await?;
			// BeefyClient checks min(these, ⌊n/3⌋ + 1) signatures. Fewer than ⌊n/3⌋ + 1 of the
			// largest set Ballast allows (32) would let fewer keys than BFT finality tolerates
			// forge a commitment (none at all with 0, through `submitFiatShamir`).
			const MAX_BEEFY_SET: u64 = 32;
			let floor = MAX_BEEFY_SET / 3 + 1;
			if fiat_shamir_signatures < floor || min_signatures < floor {
				return Err(format!(
					"--fiat-shamir-signatures and --min-signatures must be at least {floor} \
					 (a third of a 32-validator set, plus one)"
				)
				.into());
			}
			if randao_commit_delay == 0 || randao_commit_expiration == 0 {
				return Err(
					"--randao-commit-delay and --randao-commit-expiration must be positive".into(),
				);
			}
			let set = |set: &ballast_gateway::release::abi::ValidatorSet| {
				serde_json::json!({
					"id": set.id as u64,
					"length": set.length as u64,
					"root": set.root.to_string(),
				})
			};
			let encoded = args.constructor_args(
				randao_commit_delay,
				randao_commit_expiration,
				min_signatures,
				fiat_shamir_signatures,
			);
			println!(
				"{}",
				serde_json::to_string_pretty(&serde_json::json!({
					"randaoCommitDelay": randao_commit_delay,
					"randaoCommitExpiration": randao_commit_expiration,
					"minNumRequiredSignatures": min_signatures,
					"fiatShamirRequiredSignatures": fiat_shamir_signatures,
					"initialBeefyBlock": args.initial_beefy_block,
					"initialValidatorSet": set(&args.current),
					"nextValidatorSet": set(&args.next),
					"constructorArgs": format!("0x{}", alloy_primitives::hex::encode(encoded)),
				}))?
			);
		},
		Command::Status { beacon, ballast, execution_url } => {
			let chain = Ballast::connect_retrying(&ballast.ballast_url, None, 3).await?;
			let mut status = sync::status(beacon.api(), &chain).await?;
			if let Some(url) = execution_url {
				let finalized_root = chain.light_client().await?.map(|lc| lc.finalized_root);
				status["execution"] = ballast_relayer::events::status(
					std::sync::Arc::new(beacon.api()),
					ExecutionApi::new(&url),
					&chain,
					finalized_root,
				)
				.await?;
			}
			println!("{}", serde_json::to_string_pretty(&status)?);
		},
	}
	Ok(())
}

/// One keeper round: what Ballast values through `gateway`, what is due, what was sent. Each
/// LRT's outcome as JSON.
async fn keeper_round(
	chain: &Ballast,
	keeper: &mut Keeper,
	gateway: alloy_primitives::Address,
	interval_secs: u64,
) -> Result<Vec<serde_json::Value>, Box<dyn std::error::Error>> {
	let lrts: Vec<keeper::ValuedLrt> = chain
		.valued_lrts()
		.await?
		.into_iter()
		.filter(|lrt| lrt.gateway == gateway.0 .0)
		.map(|lrt| keeper::ValuedLrt {
			token: alloy_primitives::Address::from(lrt.token),
			snapshot_time: lrt.snapshot_time,
		})
		.collect();
	let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs();
	let due = keeper::due(&lrts, now, Duration::from_secs(interval_secs));
	let outcomes = tokio::task::block_in_place(|| keeper.round(&due, now))?;
	Ok(outcomes
		.into_iter()
		.map(|(token, outcome)| {
			tracing::info!(%token, ?outcome, "backing report");
			serde_json::json!({ "token": token.to_string(), "outcome": format!("{outcome:?}") })
		})
		.collect())
}
