//! The execution relay: the Ethereum events Ballast acts on, proven against the light client's
//! finalized header and submitted, AVS slashings first (their latency decides how many
//! positions go bad), then each gateway's deposits and backing reports in nonce order.
//!
//! A round reads what Ballast holds (deposit nonces used or cancelled, each valued LRT's
//! snapshot nonce and operators, the AVS slashings booked), asks the execution node only up to
//! the execution block of the finalized beacon header, proves each event's receipt
//! ([`execution`]) and its block's place under that header ([`FinalizedBlockRoots`]), verifies
//! both locally and submits. Nothing is remembered but scan watermarks, which only save
//! re-reading logs: a restart rescans and Ballast's own records stop anything being sent twice.

use crate::{
	beacon::BeaconApi,
	chain::{self, Ballast},
	execution::{
		self, find_events, find_slashings, plan_events, settle, BlockId, ExecutionApi,
		GatewayEvent, Handled, ProvenLog,
	},
	metrics::{IncludedEvent, Metrics},
};
use alloy_primitives::Address;
use ballast_ethereum_proofs::BeaconBlockHeader;
use ballast_ethereum_prover::{
	ancestry::FinalizedBlockRoots, beacon_block::BeaconBlock, StateProver,
};
use snowbridge_beacon_primitives::VersionedExecutionPayloadHeader;
use snowbridge_verification_primitives::{EventProof, Proof};
use std::{
	collections::{BTreeMap, BTreeSet},
	sync::Arc,
};

/// Why an execution round stopped.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// The execution node failed, or served data that failed a check.
	#[error(transparent)]
	Execution(#[from] execution::Error),
	/// The beacon node failed.
	#[error(transparent)]
	Beacon(#[from] crate::beacon::Error),
	/// Reading from or submitting to Ballast failed.
	#[error(transparent)]
	Chain(#[from] chain::Error),
	/// A beacon block or execution proof failed its check (never submitted).
	#[error("refused to submit: {0}")]
	Refused(#[from] ballast_ethereum_prover::Error),
	/// The beacon node has no block at the slot an event's execution block belongs to, or one
	/// carrying another execution block.
	#[error("no beacon block at slot {slot} carries execution block {block}")]
	NoBeaconBlock {
		/// The slot the execution block's timestamp gives.
		slot: u64,
		/// The execution block's hash.
		block: alloy_primitives::B256,
	},
	/// A blocking task panicked or was cancelled.
	#[error("a background task failed: {0}")]
	Task(String),
}

impl Error {
	/// The `failures_total` label.
	pub fn kind(&self) -> &'static str {
		match self {
			Error::Execution(error) => error.kind(),
			Error::Beacon(crate::beacon::Error::Http { .. }) => "beacon",
			Error::Chain(error) if error.is_transient() => "chain",
			Error::Chain(_) => "rejected",
			_ => "refused",
		}
	}
}

/// How the execution relay reads Ethereum.
#[derive(Clone, Debug)]
pub struct EventSettings {
	/// The first execution block to scan (the gateway's deployment, say): logs are searched
	/// from it after each start.
	pub start_block: u64,
	/// Seconds per beacon slot of the network followed (12 on mainnet and Sepolia): an
	/// execution block's timestamp gives its beacon slot.
	pub seconds_per_slot: u64,
}

/// What one execution round submitted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EventReport {
	/// The finalized execution block scanned up to.
	pub finalized_block: u64,
	/// AVS slashings included.
	pub slashings: u32,
	/// Deposits included.
	pub deposits: u32,
	/// Backing reports included.
	pub reports: u32,
	/// Events Ballast refused (each logged with its reason).
	pub refused: u32,
}

/// The execution relay's watermarks between rounds.
pub struct EventRelay {
	api: Arc<ExecutionApi>,
	settings: EventSettings,
	/// Per gateway: every nonce up to this one is settled on Ballast.
	settled_through: BTreeMap<[u8; 20], u64>,
	/// The first execution block whose `OperatorSlashed` logs are still to be read.
	slashings_from: Option<u64>,
	/// Gateway events Ballast refused or this relayer could not prove, by (gateway, nonce),
	/// with the round they failed in: retried [`RETRY_ROUNDS`] rounds later (a refusal may be
	/// temporary: deposits paused, a rate limit, the relayer's balance).
	failed: BTreeMap<([u8; 20], u64), u64>,
	/// Rounds run.
	rounds: u64,
	/// Where per-kind progress is recorded, if anywhere.
	metrics: Option<Metrics>,
}

/// Rounds before an event that failed is tried again.
pub const RETRY_ROUNDS: u64 = 10;

/// Deposits and backing reports submitted per round at most: each waits for Ballast's
/// finality, and a backlog must not hold up the next round's light-client update and slashings.
pub const MAX_GATEWAY_EVENTS_PER_ROUND: u32 = 8;

/// Which part of the execution relay a call to [`EventRelay::round`] runs. A `sync` round runs
/// the slashings right after the light-client update, then the beacon validators' slashings,
/// then the gateway events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
	/// EigenLayer's `OperatorSlashed` of the valued LRTs' operators.
	Slashings,
	/// Each gateway's deposits and backing reports, in nonce order, at most
	/// [`MAX_GATEWAY_EVENTS_PER_ROUND`].
	GatewayEvents,
}

impl EventRelay {
	/// A relay reading `api`.
	pub fn new(api: ExecutionApi, settings: EventSettings) -> Self {
		EventRelay {
			api: Arc::new(api),
			settings,
			settled_through: BTreeMap::new(),
			slashings_from: None,
			failed: BTreeMap::new(),
			rounds: 0,
			metrics: None,
		}
	}

	/// Records per-kind progress and failures in `metrics`.
	pub fn set_metrics(&mut self, metrics: Metrics) {
		self.metrics = Some(metrics);
	}

	fn included(
		&self,
		kind: &'static str,
		nonce: Option<(Address, u64)>,
		log: &ProvenLog,
		head: Option<u64>,
	) {
		if let Some(metrics) = &self.metrics {
			metrics.event_included(&IncludedEvent {
				kind,
				nonce,
				block: log.block_number,
				timestamp: log.block_timestamp,
				head,
			});
		}
	}

	fn not_included(&self, kind: &'static str, reason: &'static str) {
		if let Some(metrics) = &self.metrics {
			metrics.event_failed(kind, reason);
		}
	}

	/// Whether an event that failed should wait (failed fewer than [`RETRY_ROUNDS`] ago).
	fn waiting(&self, key: &([u8; 20], u64)) -> bool {
		self.failed.get(key).is_some_and(|round| self.rounds < round + RETRY_ROUNDS)
	}

	async fn blocking<T: Send + 'static>(
		&self,
		work: impl FnOnce(&ExecutionApi) -> Result<T, Error> + Send + 'static,
	) -> Result<T, Error> {
		let api = self.api.clone();
		tokio::task::spawn_blocking(move || work(&api))
			.await
			.map_err(|e| Error::Task(e.to_string()))?
	}

	/// One `phase` of a round under the light client's finalized `header`, whose decoded `state`
	/// proves the ancestry of earlier blocks.
	pub async fn round(
		&mut self,
		beacon: &Arc<BeaconApi>,
		chain: &Ballast,
		header: BeaconBlockHeader,
		state: Arc<StateProver>,
		genesis_time: u64,
		phase: Phase,
	) -> Result<EventReport, Error> {
		if phase == Phase::GatewayEvents {
			self.rounds += 1;
		}
		let roots = Arc::new(FinalizedBlockRoots::new(&header, &state)?);
		let finalized = beacon_block(beacon, &format!("{:?}", roots.block_root())).await?;
		if finalized.block_root() != roots.block_root() {
			return Err(Error::NoBeaconBlock {
				slot: header.slot,
				block: alloy_primitives::B256::from(finalized.execution_header.block_hash().0),
			});
		}
		let finalized_block = payload_number(&finalized.execution_header);
		// For the lag metrics only: a failure here stops nothing.
		let head = self.blocking(|api| Ok(api.block_number()?)).await.ok();
		if let (Some(metrics), Some(head)) = (&self.metrics, head) {
			metrics.execution_lag_blocks.set(head.saturating_sub(finalized_block));
		}
		let mut report = EventReport { finalized_block, ..EventReport::default() };
		let anchor =
			Anchor { beacon: beacon.clone(), roots, genesis_time, settings: &self.settings };

		// AVS slashings of every operator a valued LRT's snapshot lists, first.
		let valued = chain.valued_lrts().await?;
		let operators: BTreeSet<Address> =
			valued.iter().flat_map(|lrt| lrt.operators.iter().map(|o| Address::from(*o))).collect();
		let manager = match phase {
			Phase::Slashings => chain.allocation_manager().await?,
			Phase::GatewayEvents => None,
		};
		if let (Some(manager), false) = (manager, operators.is_empty()) {
			// Each block's slashings are read once; a failed one waits its retry below.
			let from = self.slashings_from.unwrap_or(self.settings.start_block);
			let found = self
				.blocking(move |api| {
					Ok(find_slashings(
						api,
						Address::from(manager),
						&operators,
						from,
						finalized_block,
					)?)
				})
				.await?;
			// Ballast's refusals of a slashing are final (not exposed, already in a snapshot,
			// booked, too old); one this relayer could not prove (its beacon node failed) is read
			// again next round.
			let mut unproven_from: Option<u64> = None;
			for slashing in found {
				if chain.avs_slashing_seen(slashing.proof.avs_slashing_id().0).await? {
					continue;
				}
				let proof = match anchor.event_proof(&slashing.proof).await {
					Ok(proof) => proof,
					Err(error) => {
						tracing::warn!(%error, block = slashing.proof.block_number, "AVS slashing not proven");
						self.not_included("avs_slashing", "unproven");
						unproven_from.get_or_insert(slashing.proof.block_number);
						continue;
					},
				};
				match submit(chain, "LrtBacking", "submit_avs_slashing", "AVS slashing", proof)
					.await?
				{
					true => {
						report.slashings += 1;
						self.included("avs_slashing", None, &slashing.proof, head);
					},
					false => {
						report.refused += 1;
						self.not_included("avs_slashing", "refused");
					},
				}
			}
			self.slashings_from = Some(unproven_from.unwrap_or(finalized_block.saturating_add(1)));
		}

		// Each gateway's deposits and backing reports, in nonce order.
		let gateways = match phase {
			Phase::Slashings => Default::default(),
			Phase::GatewayEvents => chain.gateways().await?,
		};
		let mut budget = MAX_GATEWAY_EVENTS_PER_ROUND;
		for gateway in gateways {
			if budget == 0 {
				break;
			}
			// Only this gateway's LRTs: nonces are per gateway.
			let snapshots: BTreeMap<Address, u64> = valued
				.iter()
				.filter(|lrt| lrt.gateway == gateway)
				.map(|lrt| (Address::from(lrt.token), lrt.snapshot_nonce))
				.collect();
			let mut handled =
				Handled { deposits: chain.settled_deposits(gateway).await?, snapshots };
			let address = Address::from(gateway);
			let ethereum_nonce = self
				.blocking(move |api| {
					Ok(api.gateway_nonce(address, BlockId::Number(finalized_block))?)
				})
				.await?;
			let settled_through = self.settled_through.get(&gateway).copied().unwrap_or_default();
			let wanted = plan_events(ethereum_nonce, settled_through, &handled);
			if wanted.is_empty() {
				self.settled_through.insert(gateway, ethereum_nonce);
				continue;
			}
			let from = self.settings.start_block;
			let asked = wanted.clone();
			let found = self
				.blocking(move |api| Ok(find_events(api, address, &asked, from, finalized_block)?))
				.await?;
			let mut settled: BTreeSet<u64> = found.not_relayed.iter().copied().collect();
			for found in found.events {
				let nonce = found.event.nonce();
				if handled.covers(&found.event) {
					settled.insert(nonce);
					continue;
				}
				let key = (gateway, nonce);
				if self.waiting(&key) {
					continue;
				}
				if budget == 0 {
					break;
				}
				let (pallet, call, what, kind) = match &found.event {
					GatewayEvent::Deposit(_) => {
						("LrtBridge", "submit_deposit", "deposit", "deposit")
					},
					GatewayEvent::BackingReport(_) => {
						("LrtBacking", "submit_backing_report", "backing report", "backing_report")
					},
					GatewayEvent::NotRelayed { .. } => continue,
				};
				let proof = match anchor.event_proof(&found.proof).await {
					Ok(proof) => proof,
					Err(error) => {
						tracing::warn!(nonce, %error, "gateway event not proven");
						self.not_included(kind, "unproven");
						self.failed.insert(key, self.rounds);
						continue;
					},
				};
				budget -= 1;
				let included = submit(chain, pallet, call, what, proof).await?;
				match (&found.event, included) {
					(GatewayEvent::Deposit(deposit), true) => {
						report.deposits += 1;
						handled.deposits.insert(deposit.nonce);
					},
					(GatewayEvent::BackingReport(backing), true) => {
						report.reports += 1;
						handled.snapshots.insert(Address::from(backing.token.0), backing.nonce);
					},
					_ => {
						// Not settled: retried in a while (the refusal may be temporary); a
						// deposit governance cancels is settled by Ballast's records.
						report.refused += 1;
						self.not_included(kind, "refused");
						self.failed.insert(key, self.rounds);
						continue;
					},
				}
				self.included(kind, Some((address, nonce)), &found.proof, head);
				self.failed.remove(&key);
				settled.insert(nonce);
			}
			// Deposits and reports Ballast already had, below the first wanted nonce.
			settled.extend((settled_through + 1..=ethereum_nonce).filter(|n| !wanted.contains(n)));
			self.settled_through.insert(gateway, settle(settled_through, &settled));
		}
		Ok(report)
	}
}

/// The execution side of `ballast-relayer status`: the execution head, the execution block of
/// the light client's finalized header (`finalized_root`), and per gateway its event nonce there
/// and at the head against what Ballast holds (deposits settled, each valued LRT's snapshot).
pub async fn status(
	beacon: Arc<BeaconApi>,
	api: ExecutionApi,
	chain: &Ballast,
	finalized_root: Option<ballast_ethereum_proofs::Root>,
) -> Result<serde_json::Value, Error> {
	let finalized_block = match finalized_root {
		Some(root) => {
			let block = beacon_block(&beacon, &format!("{root:?}")).await?;
			if block.block_root() != root {
				return Err(Error::NoBeaconBlock {
					slot: 0,
					block: alloy_primitives::B256::from(block.execution_header.block_hash().0),
				});
			}
			Some(payload_number(&block.execution_header))
		},
		None => None,
	};
	let api = Arc::new(api);
	let blocking =
		|work: Box<dyn FnOnce(&ExecutionApi) -> Result<u64, execution::Error> + Send>| {
			let api = api.clone();
			async move {
				tokio::task::spawn_blocking(move || work(&api))
					.await
					.map_err(|e| Error::Task(e.to_string()))?
					.map_err(Error::from)
			}
		};
	let head = blocking(Box::new(|api| api.block_number())).await?;
	let valued = chain.valued_lrts().await?;
	let now = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_secs())
		.unwrap_or(0);
	let mut gateways = Vec::new();
	for gateway in chain.gateways().await? {
		let address = Address::from(gateway);
		let latest_nonce =
			blocking(Box::new(move |api| api.gateway_nonce(address, BlockId::Latest))).await?;
		let finalized_nonce = match finalized_block {
			Some(block) => Some(
				blocking(Box::new(move |api| api.gateway_nonce(address, BlockId::Number(block))))
					.await?,
			),
			None => None,
		};
		let deposits = chain.settled_deposits(gateway).await?;
		let lrts: Vec<_> = valued.iter().filter(|lrt| lrt.gateway == gateway).collect();
		gateways.push(serde_json::json!({
			"address": address.to_string(),
			"nonceAtHead": latest_nonce,
			"nonceAtFinalized": finalized_nonce,
			"depositsSettled": deposits.len(),
			"lastDepositSettled": deposits.last(),
			"lrts": lrts.iter().map(|lrt| serde_json::json!({
				"lrt": lrt.lrt,
				"token": Address::from(lrt.token).to_string(),
				"snapshotNonce": lrt.snapshot_nonce,
				"snapshotAgeSecs": lrt.snapshot_time.map(|time| now.saturating_sub(time)),
				"operators": lrt.operators.len(),
			})).collect::<Vec<_>>(),
		}));
	}
	Ok(serde_json::json!({
		"url": api.url(),
		"head": head,
		"finalizedBlock": finalized_block,
		"blocksBehindHead": finalized_block.map(|block| head.saturating_sub(block)),
		"allocationManager": chain.allocation_manager().await?.map(|a| Address::from(a).to_string()),
		"gateways": gateways,
	}))
}

/// Submits `proof` as `pallet.call`: `true` once included, `false` when the runtime refused it
/// (dispatch error, logged), an error when the node could not be reached.
async fn submit(
	chain: &Ballast,
	pallet: &'static str,
	call: &'static str,
	what: &'static str,
	proof: EventProof,
) -> Result<bool, Error> {
	let call_data = chain.call_data(pallet, call, &Box::new(proof)).await?;
	match chain.submit(what, &call_data).await {
		Ok(included) => {
			tracing::info!(what, block = included.block, fee = included.fee, "event included");
			Ok(true)
		},
		Err(error) if !error.is_transient() => {
			tracing::warn!(what, %error, "Ballast refused the event");
			Ok(false)
		},
		Err(error) => Err(error.into()),
	}
}

/// What proves an execution block final: the finalized header's block roots and the beacon
/// node serving the blocks between.
struct Anchor<'a> {
	beacon: Arc<BeaconApi>,
	roots: Arc<FinalizedBlockRoots>,
	genesis_time: u64,
	settings: &'a EventSettings,
}

impl Anchor<'_> {
	/// `log`'s full proof: its receipt proof and its block's execution proof, verified.
	async fn event_proof(&self, log: &ProvenLog) -> Result<EventProof, Error> {
		let slot = log.block_timestamp.saturating_sub(self.genesis_time)
			/ self.settings.seconds_per_slot.max(1);
		let block = beacon_block(&self.beacon, &slot.to_string()).await?;
		if block.execution_header.block_hash().0 != log.block_hash.0 {
			return Err(Error::NoBeaconBlock { slot, block: log.block_hash });
		}
		let roots = self.roots.clone();
		let execution_proof = tokio::task::spawn_blocking(move || roots.execution_proof(&block))
			.await
			.map_err(|e| Error::Task(e.to_string()))??;
		Ok(EventProof {
			event_log: log.log.clone(),
			proof: Proof { receipt_proof: log.receipt_proof.clone(), execution_proof },
		})
	}
}

/// The beacon block `id`, read and hashed (its body root recomputed from its fields).
async fn beacon_block(beacon: &Arc<BeaconApi>, id: &str) -> Result<BeaconBlock, Error> {
	let beacon = beacon.clone();
	let id = id.to_string();
	tokio::task::spawn_blocking(move || {
		let json = beacon.block_json(&id)?.ok_or(Error::NoBeaconBlock {
			slot: id.parse().unwrap_or_default(),
			block: Default::default(),
		})?;
		Ok(BeaconBlock::from_json(&json)?)
	})
	.await
	.map_err(|e| Error::Task(e.to_string()))?
}

/// The execution block number a payload header carries.
fn payload_number(header: &VersionedExecutionPayloadHeader) -> u64 {
	match header {
		VersionedExecutionPayloadHeader::Capella(h) => h.block_number,
		VersionedExecutionPayloadHeader::Deneb(h) => h.block_number,
	}
}
