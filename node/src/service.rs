//! The node's service: client, import queue, transaction pool, networking, off-chain workers,
//! RPC, and block authoring (Aura + GRANDPA, or instant sealing for development).

use std::{sync::Arc, time::Duration};

use ballast_primitives::OpaqueBlock as Block;
use ballast_runtime::apis::RuntimeApi;
use futures::{FutureExt, StreamExt};
use sc_client_api::{Backend, BlockBackend, BlockchainEvents};
use sc_consensus_aura::{ImportQueueParams, SlotProportion, StartAuraParams};
use sc_consensus_grandpa::SharedVoterState;
use sc_service::{error::Error as ServiceError, Configuration, TaskManager, WarpSyncConfig};
use sc_telemetry::{Telemetry, TelemetryWorker};
use sc_transaction_pool_api::{OffchainTransactionPoolFactory, TransactionPool};
use sp_consensus_aura::sr25519::AuthorityPair as AuraPair;
use sp_consensus_beefy::ecdsa_crypto::AuthorityId as BeefyId;

use crate::cli::Sealing;

/// The client: native host functions only, the runtime always runs as wasm.
pub type FullClient = sc_service::TFullClient<
	Block,
	RuntimeApi,
	sc_executor::WasmExecutor<sp_io::SubstrateHostFunctions>,
>;
type FullBackend = sc_service::TFullBackend<Block>;
type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;
type GrandpaBlockImport =
	sc_consensus_grandpa::GrandpaBlockImport<FullBackend, Block, FullClient, FullSelectChain>;
type GrandpaLinkHalf = sc_consensus_grandpa::LinkHalf<Block, FullClient, FullSelectChain>;
/// GRANDPA's block import wrapped by BEEFY's, which checks BEEFY justifications that arrive with
/// blocks (sync) and hands them to the BEEFY voter.
type BeefyBlockImport = sc_consensus_beefy::import::BeefyBlockImport<
	Block,
	FullBackend,
	FullClient,
	GrandpaBlockImport,
	BeefyId,
>;

/// Blocks between GRANDPA justifications imported with blocks. 512 is Substrate's default: enough
/// for warp sync, few enough to keep the database small.
const GRANDPA_JUSTIFICATION_PERIOD: u32 = 512;

/// BEEFY votes on a finalized block every this many blocks while it keeps up (further apart
/// when it lags), and on every block that hands over to a new authority set. With 6 s blocks a
/// withdrawal normally waits under a minute for a signed MMR root that covers it.
const BEEFY_MIN_BLOCK_DELTA: u32 = 8;

/// Parts of the service that exist only with Aura + GRANDPA (+ BEEFY, which signs what GRANDPA
/// finalized).
pub struct AuraParts {
	pub block_import: BeefyBlockImport,
	pub grandpa_link: GrandpaLinkHalf,
	pub beefy_voter_links: sc_consensus_beefy::BeefyVoterLinks<Block, BeefyId>,
	pub beefy_rpc_links: sc_consensus_beefy::BeefyRPCLinks<Block, BeefyId>,
}

/// What `new_partial` builds beside the standard parts.
pub struct Other {
	pub telemetry: Option<Telemetry>,
	/// `None` under instant sealing.
	pub aura: Option<AuraParts>,
}

pub type Service = sc_service::PartialComponents<
	FullClient,
	FullBackend,
	FullSelectChain,
	sc_consensus::DefaultImportQueue<Block>,
	sc_transaction_pool::TransactionPoolHandle<Block, FullClient>,
	Other,
>;

/// Client, database, import queue and transaction pool: what every subcommand needs.
pub fn new_partial(config: &Configuration, sealing: Sealing) -> Result<Service, ServiceError> {
	let telemetry = config
		.telemetry_endpoints
		.clone()
		.filter(|endpoints| !endpoints.is_empty())
		.map(|endpoints| -> Result<_, sc_telemetry::Error> {
			let worker = TelemetryWorker::new(16)?;
			let telemetry = worker.handle().new_telemetry(endpoints);
			Ok((worker, telemetry))
		})
		.transpose()?;

	let executor = sc_service::new_wasm_executor::<sp_io::SubstrateHostFunctions>(&config.executor);
	let (client, backend, keystore_container, task_manager) =
		sc_service::new_full_parts::<Block, RuntimeApi, _>(
			config,
			telemetry.as_ref().map(|(_, telemetry)| telemetry.handle()),
			executor,
			Vec::new(),
		)?;
	let client = Arc::new(client);

	let telemetry = telemetry.map(|(worker, telemetry)| {
		task_manager.spawn_handle().spawn("telemetry", None, worker.run());
		telemetry
	});

	let select_chain = sc_consensus::LongestChain::new(backend.clone());

	let transaction_pool = Arc::from(
		sc_transaction_pool::Builder::new(
			task_manager.spawn_essential_handle(),
			client.clone(),
			config.role.is_authority().into(),
		)
		.with_options(config.transaction_pool.clone())
		.with_prometheus(config.prometheus_registry())
		.build(),
	);

	let (import_queue, aura) = match sealing {
		Sealing::Aura => {
			let (grandpa_block_import, grandpa_link) = sc_consensus_grandpa::block_import(
				client.clone(),
				GRANDPA_JUSTIFICATION_PERIOD,
				&client,
				select_chain.clone(),
				telemetry.as_ref().map(|x| x.handle()),
			)?;
			let (block_import, beefy_voter_links, beefy_rpc_links) =
				sc_consensus_beefy::beefy_block_import_and_links(
					grandpa_block_import.clone(),
					backend.clone(),
					client.clone(),
					config.prometheus_registry().cloned(),
				);

			let cidp_client = client.clone();
			let import_queue =
				sc_consensus_aura::import_queue::<AuraPair, _, _, _, _, _>(ImportQueueParams {
					block_import: block_import.clone(),
					justification_import: Some(Box::new(grandpa_block_import)),
					client: client.clone(),
					create_inherent_data_providers: move |_, ()| {
						let cidp_client = cidp_client.clone();
						async move {
							let slot_duration =
								sc_consensus_aura::standalone::slot_duration(&*cidp_client)?;
							let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
							let slot = sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
								*timestamp,
								slot_duration,
							);
							Ok((slot, timestamp))
						}
					},
					spawner: &task_manager.spawn_essential_handle(),
					registry: config.prometheus_registry(),
					check_for_equivocation: Default::default(),
					telemetry: telemetry.as_ref().map(|x| x.handle()),
					compatibility_mode: Default::default(),
				})
				.map_err::<ServiceError, _>(Into::into)?;
			(
				import_queue,
				Some(AuraParts { block_import, grandpa_link, beefy_voter_links, beefy_rpc_links }),
			)
		},
		Sealing::Instant => (
			sc_consensus_manual_seal::import_queue(
				Box::new(client.clone()),
				&task_manager.spawn_essential_handle(),
				config.prometheus_registry(),
			),
			None,
		),
	};

	Ok(sc_service::PartialComponents {
		client,
		backend,
		task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: Other { telemetry, aura },
	})
}

/// A full node: networking, RPC, off-chain workers and, on validators, block authoring.
pub fn new_full<
	N: sc_network::NetworkBackend<Block, <Block as sp_runtime::traits::Block>::Hash>,
>(
	config: Configuration,
	sealing: Sealing,
) -> Result<TaskManager, ServiceError> {
	let sc_service::PartialComponents {
		client,
		backend,
		mut task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: Other { mut telemetry, aura },
	} = new_partial(&config, sealing)?;

	let mut net_config = sc_network::config::FullNetworkConfiguration::<
		Block,
		<Block as sp_runtime::traits::Block>::Hash,
		N,
	>::new(&config.network, config.prometheus_registry().cloned());
	let metrics = N::register_notification_metrics(config.prometheus_registry());
	let peer_store_handle = net_config.peer_store_handle();

	let genesis_hash = client
		.block_hash(0)
		.ok()
		.flatten()
		.ok_or_else(|| ServiceError::Other("the genesis block is missing".into()))?;
	let grandpa_protocol_name =
		sc_consensus_grandpa::protocol_standard_name(&genesis_hash, &config.chain_spec);

	// GRANDPA gossip only on the real consensus path.
	let grandpa_notification_service = aura.as_ref().map(|_| {
		let (grandpa_protocol_config, notification_service) =
			sc_consensus_grandpa::grandpa_peers_set_config::<_, N>(
				grandpa_protocol_name.clone(),
				metrics.clone(),
				peer_store_handle,
			);
		net_config.add_notification_protocol(grandpa_protocol_config);
		notification_service
	});

	// BEEFY: its vote gossip and the request-response protocol peers fetch its justifications by.
	let beefy_gossip_protocol_name =
		sc_consensus_beefy::gossip_protocol_name(genesis_hash, config.chain_spec.fork_id());
	let beefy_network = aura.as_ref().map(|_| {
		let (justifications_handler, justifications_protocol_config) =
			sc_consensus_beefy::communication::request_response::BeefyJustifsRequestHandler::new::<
				_,
				N,
			>(
				genesis_hash,
				config.chain_spec.fork_id(),
				client.clone(),
				config.prometheus_registry().cloned(),
			);
		let (gossip_protocol_config, notification_service) =
			sc_consensus_beefy::communication::beefy_peers_set_config::<_, N>(
				beefy_gossip_protocol_name.clone(),
				metrics.clone(),
				net_config.peer_store_handle(),
			);
		net_config.add_notification_protocol(gossip_protocol_config);
		net_config.add_request_response_protocol(justifications_protocol_config);
		(justifications_handler, notification_service)
	});

	let warp_sync_config = aura.as_ref().map(|aura| {
		WarpSyncConfig::WithProvider(Arc::new(
			sc_consensus_grandpa::warp_proof::NetworkProvider::new(
				backend.clone(),
				aura.grandpa_link.shared_authority_set().clone(),
				Vec::default(),
			),
		))
	});

	let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
		sc_service::build_network(sc_service::BuildNetworkParams {
			config: &config,
			net_config,
			client: client.clone(),
			transaction_pool: transaction_pool.clone(),
			spawn_handle: task_manager.spawn_handle(),
			spawn_essential_handle: task_manager.spawn_essential_handle(),
			import_queue,
			block_announce_validator_builder: None,
			warp_sync_config,
			block_relay: None,
			metrics,
			gap_sync_body_policy: None,
		})?;

	if config.offchain_worker.enabled {
		let offchain_workers =
			sc_offchain::OffchainWorkers::new(sc_offchain::OffchainWorkerOptions {
				runtime_api_provider: client.clone(),
				is_validator: config.role.is_authority(),
				keystore: Some(keystore_container.keystore()),
				offchain_db: backend.offchain_storage(),
				transaction_pool: Some(OffchainTransactionPoolFactory::new(
					transaction_pool.clone(),
				)),
				network_provider: Arc::new(network.clone()),
				enable_http_requests: true,
				custom_extensions: |_| vec![],
			})?;
		task_manager.spawn_handle().spawn(
			"offchain-workers-runner",
			"offchain-worker",
			offchain_workers.run(client.clone(), task_manager.spawn_handle()).boxed(),
		);
	}

	let role = config.role;
	let force_authoring = config.force_authoring;
	let backoff_authoring_blocks: Option<()> = None;
	let name = config.network.node_name.clone();
	let enable_grandpa = !config.disable_grandpa;
	let prometheus_registry = config.prometheus_registry().cloned();

	// The MMR's nodes live in the off-chain database (pallet-mmr indexes them there): the gadget
	// moves them from fork-aware to canonical keys as blocks finalize and prunes stale forks, so
	// `mmr_generateProof` can serve any finalized leaf.
	task_manager.spawn_essential_handle().spawn_blocking(
		"mmr-gadget",
		None,
		mmr_gadget::MmrGadget::start(
			client.clone(),
			backend.clone(),
			sp_mmr_primitives::INDEXING_PREFIX.to_vec(),
		),
	);

	let rpc_extensions_builder = {
		let client = client.clone();
		let pool = transaction_pool.clone();
		let offchain_storage = backend.offchain_storage();
		let beefy_rpc_links = aura.as_ref().map(|aura| {
			(
				aura.beefy_rpc_links.from_voter_justif_stream.clone(),
				aura.beefy_rpc_links.from_voter_best_beefy_stream.clone(),
			)
		});
		Box::new(move |subscription_executor| {
			let deps = crate::rpc::FullDeps {
				client: client.clone(),
				pool: pool.clone(),
				offchain_storage: offchain_storage.clone(),
				beefy: beefy_rpc_links.clone().map(|(finality_proofs, best_blocks)| {
					crate::rpc::BeefyDeps { finality_proofs, best_blocks, subscription_executor }
				}),
			};
			crate::rpc::create_full(deps).map_err(Into::into)
		})
	};

	let backend_for_beefy = backend.clone();
	let _rpc_handlers = sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		network: Arc::new(network.clone()),
		client: client.clone(),
		keystore: keystore_container.keystore(),
		task_manager: &mut task_manager,
		transaction_pool: transaction_pool.clone(),
		rpc_builder: rpc_extensions_builder,
		backend,
		system_rpc_tx,
		tx_handler_controller,
		sync_service: sync_service.clone(),
		config,
		telemetry: telemetry.as_mut(),
		tracing_execute_block: None,
	})?;

	let proposer_factory = sc_basic_authorship::ProposerFactory::new(
		task_manager.spawn_handle(),
		client.clone(),
		transaction_pool.clone(),
		prometheus_registry.as_ref(),
		telemetry.as_ref().map(|x| x.handle()),
	);

	let Some(AuraParts { block_import, grandpa_link, beefy_voter_links, beefy_rpc_links: _ }) =
		aura
	else {
		// Instant sealing: a block for every transaction the pool imports, finalized at once.
		// `create_empty` because a notification may arrive after an earlier block already took
		// its transaction; an empty block then is harmless, a sealing error is not. A block can
		// also leave ready transactions out (a session rotation takes a whole block's weight):
		// then the next is sealed at once, at most `MAX_RESEALS` in a row until the pool imports
		// again, so a transaction that never fits cannot make the node seal forever.
		const MAX_RESEALS: u32 = 3;
		enum Trigger {
			PoolImport,
			BlockImport,
		}
		let pool_imports =
			transaction_pool.import_notification_stream().map(|_| Trigger::PoolImport);
		let block_imports = client
			.import_notification_stream()
			.filter(|block| futures::future::ready(block.is_new_best))
			.map(|_| Trigger::BlockImport);
		let pool = transaction_pool.clone();
		let commands_stream = futures::stream::select(pool_imports, block_imports)
			.scan(0u32, move |reseals, trigger| {
				let seal = match trigger {
					Trigger::PoolImport => {
						*reseals = 0;
						true
					},
					Trigger::BlockImport if pool.status().ready > 0 && *reseals < MAX_RESEALS => {
						*reseals += 1;
						true
					},
					Trigger::BlockImport => false,
				};
				futures::future::ready(Some(seal))
			})
			.filter_map(|seal| {
				futures::future::ready(seal.then_some(
					sc_consensus_manual_seal::EngineCommand::SealNewBlock {
						create_empty: true,
						finalize: true,
						parent_hash: None,
						sender: None,
					},
				))
			});
		let params = sc_consensus_manual_seal::ManualSealParams {
			block_import: client.clone(),
			env: proposer_factory,
			client: client.clone(),
			pool: transaction_pool.clone(),
			commands_stream,
			select_chain,
			consensus_data_provider: Some(Box::new(
				sc_consensus_manual_seal::consensus::aura::AuraConsensusDataProvider::new(
					client.clone(),
				),
			)),
			create_inherent_data_providers: {
				let client = client.clone();
				move |_, ()| {
					let client = client.clone();
					async move {
						// One slot per block, so Aura's "slot must increase" holds however fast
						// blocks come.
						let timestamp = sc_consensus_manual_seal::consensus::timestamp::SlotTimestampProvider::new_aura(client)
							.map_err(|e| format!("{e}"))?;
						let slot = sp_consensus_aura::inherents::InherentDataProvider::new(
							timestamp.slot(),
						);
						Ok((slot, timestamp))
					}
				}
			},
		};
		task_manager.spawn_essential_handle().spawn_blocking(
			"instant-seal",
			None,
			sc_consensus_manual_seal::run_manual_seal(params),
		);
		return Ok(task_manager);
	};

	if role.is_authority() {
		let slot_duration = sc_consensus_aura::slot_duration(&*client)?;

		let aura = sc_consensus_aura::start_aura::<AuraPair, _, _, _, _, _, _, _, _, _, _>(
			StartAuraParams {
				slot_duration,
				client: client.clone(),
				select_chain,
				block_import,
				proposer_factory,
				create_inherent_data_providers: move |_, ()| async move {
					let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
					let slot = sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
						*timestamp,
						slot_duration,
					);
					Ok((slot, timestamp))
				},
				force_authoring,
				backoff_authoring_blocks,
				keystore: keystore_container.keystore(),
				sync_oracle: sync_service.clone(),
				justification_sync_link: sync_service.clone(),
				block_proposal_slot_portion: SlotProportion::new(2f32 / 3f32),
				max_block_proposal_slot_portion: None,
				telemetry: telemetry.as_ref().map(|x| x.handle()),
				compatibility_mode: Default::default(),
			},
		)?;

		// Block authoring must never stop: an essential task.
		task_manager.spawn_essential_handle().spawn_blocking("aura", Some("block-authoring"), aura);
	}

	// Non-authorities observe GRANDPA and BEEFY without a keystore, so they never vote.
	let keystore = if role.is_authority() { Some(keystore_container.keystore()) } else { None };

	// BEEFY signs the MMR root of blocks GRANDPA finalized (at least every `min_block_delta`
	// blocks, and every block that starts a new authority set): what Ethereum's BeefyClient
	// verifies before the gateway releases withdrawals.
	if let Some((justifications_handler, notification_service)) = beefy_network {
		let network_params = sc_consensus_beefy::BeefyNetworkParams {
			network: Arc::new(network.clone()),
			sync: sync_service.clone(),
			notification_service,
			gossip_protocol_name: beefy_gossip_protocol_name,
			justifications_protocol_name: justifications_handler.protocol_name(),
			_phantom: core::marker::PhantomData::<Block>,
		};
		let beefy_params = sc_consensus_beefy::BeefyParams {
			client: client.clone(),
			backend: backend_for_beefy,
			payload_provider: sp_consensus_beefy::mmr::MmrRootProvider::new(client.clone()),
			runtime: client.clone(),
			key_store: keystore.clone(),
			network_params,
			min_block_delta: BEEFY_MIN_BLOCK_DELTA,
			prometheus_registry: prometheus_registry.clone(),
			links: beefy_voter_links,
			on_demand_justifications_handler: justifications_handler,
			is_authority: role.is_authority(),
		};
		let gadget =
			sc_consensus_beefy::start_beefy_gadget::<_, _, _, _, _, _, _, BeefyId>(beefy_params);
		// Not essential, even on validators: BEEFY serves the bridge to Ethereum, and a fault
		// there (its worker stops on an invalid BEEFY chain) must not stop block production
		// and GRANDPA with it. Its stop is logged (target `beefy`) and shows in its metrics.
		task_manager.spawn_handle().spawn_blocking("beefy-gadget", None, gadget);
	}

	if enable_grandpa {
		let grandpa_config = sc_consensus_grandpa::Config {
			gossip_duration: Duration::from_millis(333),
			justification_generation_period: GRANDPA_JUSTIFICATION_PERIOD,
			name: Some(name),
			observer_enabled: false,
			keystore,
			local_role: role,
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			protocol_name: grandpa_protocol_name,
		};

		let grandpa_params = sc_consensus_grandpa::GrandpaParams {
			config: grandpa_config,
			link: grandpa_link,
			network,
			sync: Arc::new(sync_service),
			notification_service: grandpa_notification_service
				.ok_or_else(|| ServiceError::Other("GRANDPA protocol not registered".into()))?,
			voting_rule: sc_consensus_grandpa::VotingRulesBuilder::default().build(),
			prometheus_registry,
			shared_voter_state: SharedVoterState::empty(),
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			offchain_tx_pool_factory: OffchainTransactionPoolFactory::new(transaction_pool),
		};

		// The GRANDPA voter must never stop either.
		task_manager.spawn_essential_handle().spawn_blocking(
			"grandpa-voter",
			None,
			sc_consensus_grandpa::run_grandpa_voter(grandpa_params)?,
		);
	}

	Ok(task_manager)
}
