//! `sync`: follows Ethereum finality into Ballast's light client and keeps the validator records
//! of every registered LRT fresh.
//!
//! Each round reads what the chain holds, decides what is missing ([`plan_light_client`],
//! [`plan_validators`]: pure functions of chain and beacon state), builds it from full beacon
//! states, verifies it locally and submits it. Nothing is remembered between rounds but a cache
//! of decoded states, so a restart (of the relayer, the node or the beacon API) resumes where the
//! chain is, and nothing already on chain is sent twice.

use crate::{
	beacon::{self, BeaconApi, LightClientSummary},
	chain::{self, Ballast, LightClientState, TrackedValidator},
	events::{self, EventRelay, EventReport, Phase},
	metrics::Metrics,
	prove,
};
use ballast_ethereum_proofs::{fork::ForkSchedule, BeaconBlockHeader, Root, ValidatorFields};
use ballast_ethereum_prover::{
	light_client::{self, period_of, UpdateInputs, MAX_FINALIZED_GAP},
	StateProver,
};
use std::{
	collections::{BTreeMap, BTreeSet},
	sync::Arc,
	time::Duration,
};

/// Why a round stopped.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// The beacon node failed or served something unusable.
	#[error(transparent)]
	Beacon(#[from] beacon::Error),
	/// Reading from or submitting to Ballast failed.
	#[error(transparent)]
	Chain(#[from] chain::Error),
	/// A state could not be decoded, or a validator proof failed its self-check.
	#[error(transparent)]
	State(#[from] prove::Error),
	/// Data the chain would refuse (a header not matching its state, a light-client update
	/// failing its checks) was caught before submission.
	#[error("refused to submit: {0}")]
	Refused(#[from] ballast_ethereum_prover::Error),
	/// The light client holds no finalized header yet.
	#[error("Ballast's light client has no checkpoint yet: governance submits one first (`ballast-relayer checkpoint --submit`)")]
	NotBootstrapped,
	/// The beacon node and Ballast's light client follow different Ethereum networks.
	#[error("the beacon node follows the network with genesis validators root {beacon:?}, Ballast follows {chain:?}")]
	WrongNetwork {
		/// The beacon node's genesis validators root.
		beacon: Root,
		/// The genesis validators root Ballast's light client holds.
		chain: Root,
	},
	/// The block carrying the sync committee's signature (at the slot given) is missing.
	#[error("the beacon API has no block at slot {0} or the slots after it")]
	NoSignatureBlock(u64),
	/// A blocking task (beacon request or proof building) panicked or was cancelled.
	#[error("a background task failed: {0}")]
	Task(String),
	/// The execution relay (deposits, backing reports, AVS slashings) failed.
	#[error("execution relay: {0}")]
	Events(#[from] events::Error),
}

impl Error {
	/// The `failures_total` label.
	pub fn kind(&self) -> &'static str {
		match self {
			Error::Beacon(beacon::Error::Http { .. }) => "beacon",
			Error::Beacon(_) | Error::State(_) | Error::Refused(_) => "refused",
			Error::Chain(error) if error.is_transient() => "chain",
			Error::Chain(_) => "rejected",
			Error::Events(error) => error.kind(),
			_ => "config",
		}
	}
}

/// How `sync` behaves.
#[derive(Clone, Debug)]
pub struct Settings {
	/// Fork schedule of the Ethereum network followed (picks each state's layout).
	pub forks: ForkSchedule,
	/// Proofs per `submitValidatorProofs` transaction.
	pub batch_size: usize,
	/// Re-prove an unchanged validator once its record is this many slots old.
	pub refresh_after_slots: u64,
	/// Relay a new finalized header only once it is this many slots past the chain's (Snowbridge
	/// refunds such updates: `FreeHeadersInterval`).
	pub min_update_slots: u64,
}

/// What the light client needs next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LightClientStep {
	/// Nothing new enough to relay.
	UpToDate,
	/// Relay the beacon's latest finality update (with the attested state's next committee when
	/// the chain needs it).
	Latest {
		/// Whether the update must carry the next sync committee.
		with_next_sync_committee: bool,
	},
	/// The chain is a period (or more) behind: relay the best update of `period`, which carries
	/// that period's next committee.
	Period {
		/// The sync-committee period (8,192 slots) whose best update is relayed.
		period: u64,
	},
}

/// Decides the light-client step from the chain's state and the beacon's latest finality update,
/// following the rules of Snowbridge's `submit`.
pub fn plan_light_client(
	chain: &LightClientState,
	latest: &LightClientSummary,
	min_update_slots: u64,
) -> LightClientStep {
	let store_period = period_of(chain.finalized_slot);
	let signature_period = period_of(latest.signature_slot);
	let attested_period = period_of(latest.attested.slot);
	let finalized_period = period_of(latest.finalized.slot);
	if !chain.next_committee_known {
		// Snowbridge accepts only signatures of the store period until it learns the next
		// committee, and learns it from an update attested in the store period.
		return if attested_period == store_period && signature_period == store_period {
			LightClientStep::Latest { with_next_sync_committee: true }
		} else if attested_period > store_period {
			LightClientStep::Period { period: store_period }
		} else {
			LightClientStep::UpToDate
		};
	}
	if latest.finalized.slot < chain.finalized_slot.saturating_add(min_update_slots.max(1)) {
		return LightClientStep::UpToDate;
	}
	if signature_period > store_period + 1
		|| latest.finalized.slot > chain.finalized_slot.saturating_add(MAX_FINALIZED_GAP)
	{
		return LightClientStep::Period { period: store_period + 1 };
	}
	// A finalized header in the next period must bring that period's successor committee.
	LightClientStep::Latest { with_next_sync_committee: finalized_period > store_period }
}

/// What to prove about validators at one finalized state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidatorPlan {
	/// Slashed in the state but not on chain: reported one by one, before anything else.
	pub slashings: Vec<u64>,
	/// Batch proofs, most urgent first: changed records, then untracked validators, then records
	/// older than the refresh age.
	pub batch: Vec<u64>,
}

/// Picks the validators to prove at a state of `slot`: those whose withdrawal credentials are
/// registered (`credentials`), compared with what the chain stores (`tracked`).
pub fn plan_validators(
	validators: &[ValidatorFields],
	credentials: &BTreeMap<Root, u32>,
	tracked: &BTreeMap<u64, TrackedValidator>,
	slot: u64,
	refresh_after_slots: u64,
) -> ValidatorPlan {
	let mut plan = ValidatorPlan::default();
	let (mut changed, mut untracked, mut stale) = (Vec::new(), Vec::new(), Vec::new());
	for (index, fields) in validators.iter().enumerate() {
		let index = index as u64;
		let record = tracked.get(&index);
		if record.is_none() && !credentials.contains_key(&fields.withdrawal_credentials) {
			continue;
		}
		if fields.slashed && record.is_none_or(|record| !record.slashed) {
			plan.slashings.push(index);
			continue;
		}
		let Some(record) = record else {
			untracked.push(index);
			continue;
		};
		if record.proven_at_slot >= slot {
			continue;
		}
		if record.slashed != fields.slashed
			|| record.exit_epoch != fields.exit_epoch
			|| record.withdrawable_epoch != fields.withdrawable_epoch
			|| record.effective_balance != fields.effective_balance
		{
			changed.push(index);
		} else if slot - record.proven_at_slot >= refresh_after_slots {
			stale.push(index);
		}
	}
	plan.batch = changed.into_iter().chain(untracked).chain(stale).collect();
	plan
}

/// What one round did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoundReport {
	/// Finalized slot the light client holds after the round.
	pub finalized_slot: u64,
	/// Light-client updates included.
	pub updates: u32,
	/// Slashing reports included.
	pub slashings: u32,
	/// What the execution relay did (when it runs: `--execution-url`).
	pub events: Option<EventReport>,
	/// Validators proven in included batches.
	pub proofs: u32,
}

/// Decoded states by state root, the newest only: a mainnet state's trees take ~420 MiB, and the
/// state kept is the finalized one, which the validator refresh reads right after the update.
struct StateCache {
	entries: Vec<(Root, Arc<StateProver>)>,
}

const CACHED_STATES: usize = 1;

/// A relayer between one beacon node and one Ballast node.
pub struct Relayer {
	beacon: Arc<BeaconApi>,
	chain: Ballast,
	settings: Settings,
	metrics: Metrics,
	states: StateCache,
	events: Option<EventRelay>,
}

fn hex(root: Root) -> String {
	format!("{root:?}")
}

impl Relayer {
	/// A relayer from `beacon` to `chain`, with an empty state cache.
	pub fn new(beacon: BeaconApi, chain: Ballast, settings: Settings, metrics: Metrics) -> Self {
		Relayer {
			beacon: Arc::new(beacon),
			chain,
			settings,
			metrics,
			states: StateCache { entries: Vec::new() },
			events: None,
		}
	}

	/// Also relays the execution layer's events (deposits, backing reports, AVS slashings)
	/// each round, right after the light client's update.
	pub fn with_events(mut self, mut relay: EventRelay) -> Self {
		relay.set_metrics(self.metrics.clone());
		self.events = Some(relay);
		self
	}

	/// Runs a blocking beacon request (or proof building) off the async runtime.
	async fn blocking<T: Send + 'static>(
		&self,
		work: impl FnOnce(&BeaconApi) -> Result<T, Error> + Send + 'static,
	) -> Result<T, Error> {
		let beacon = self.beacon.clone();
		tokio::task::spawn_blocking(move || work(&beacon))
			.await
			.map_err(|e| Error::Task(e.to_string()))?
	}

	/// The decoded state of `header` (downloaded by state root), checked against the header.
	async fn state(&mut self, header: BeaconBlockHeader) -> Result<Arc<StateProver>, Error> {
		if let Some((_, state)) = self.states.entries.iter().find(|(r, _)| *r == header.state_root)
		{
			return Ok(state.clone());
		}
		let forks = self.settings.forks;
		let state = self
			.blocking(move |beacon| {
				let started = std::time::Instant::now();
				let ssz = beacon.state_ssz(&hex(header.state_root))?;
				let state = prove::load_state(&ssz, &forks)?;
				state
					.ensure_header_matches(&header)
					.map_err(ballast_ethereum_prover::Error::from)?;
				tracing::info!(
					slot = header.slot,
					bytes = ssz.len(),
					validators = state.validator_count(),
					ms = started.elapsed().as_millis() as u64,
					"state loaded and checked"
				);
				Ok(state)
			})
			.await?;
		let state = Arc::new(state);
		if self.states.entries.len() >= CACHED_STATES {
			self.states.entries.remove(0);
		}
		self.states.entries.push((header.state_root, state.clone()));
		Ok(state)
	}

	fn state_depth(forks: ForkSchedule) -> impl Fn(u64) -> Option<u32> {
		move |slot| forks.fork_at_slot(slot).ok().map(|fork| fork.state_layout().depth)
	}

	/// One round: the light client first, then validator records at its finalized header.
	pub async fn round(&mut self) -> Result<RoundReport, Error> {
		let mut report = RoundReport::default();
		let lc = self.chain.light_client().await?.ok_or(Error::NotBootstrapped)?;
		let genesis = self.blocking(|beacon| Ok(beacon.genesis()?)).await?;
		if genesis.genesis_validators_root != lc.validators_root {
			return Err(Error::WrongNetwork {
				beacon: genesis.genesis_validators_root,
				chain: lc.validators_root,
			});
		}
		self.metrics.chain_finalized_slot.set(lc.finalized_slot);

		let depth = Self::state_depth(self.settings.forks);
		let latest = self.blocking(move |beacon| Ok(beacon.finality_update(depth)?)).await?;
		self.metrics.beacon_finalized_slot.set(latest.finalized.slot);
		let step = plan_light_client(&lc, &latest, self.settings.min_update_slots);
		tracing::info!(
			chain_finalized = lc.finalized_slot,
			beacon_finalized = latest.finalized.slot,
			next_committee_known = lc.next_committee_known,
			?step,
			"light client"
		);
		let update = match step {
			LightClientStep::UpToDate => None,
			LightClientStep::Latest { with_next_sync_committee } => {
				Some((latest, with_next_sync_committee))
			},
			LightClientStep::Period { period } => {
				let depth = Self::state_depth(self.settings.forks);
				let summary =
					self.blocking(move |beacon| Ok(beacon.period_update(period, depth)?)).await?;
				Some((summary, true))
			},
		};
		if let Some((summary, with_next)) = update {
			let finalized_slot = summary.finalized.slot;
			let update = self.build_update(summary, with_next).await?;
			let call =
				self.chain.call_data("EthereumBeaconClient", "submit", &Box::new(update)).await?;
			let included = self.chain.submit("light-client update", &call).await?;
			tracing::info!(
				finalized = finalized_slot,
				with_next,
				block = included.block,
				fee = included.fee,
				"light-client update included"
			);
			self.metrics.updates_submitted.inc();
			self.metrics.last_relayed_slot.set(finalized_slot);
			report.updates += 1;
		}

		let lc = self.chain.light_client().await?.ok_or(Error::NotBootstrapped)?;
		self.metrics.chain_finalized_slot.set(lc.finalized_slot);
		report.finalized_slot = lc.finalized_slot;
		// AVS slashings, then the beacon validators' slashings and records, then deposits and
		// backing reports (a bounded number): a slashing never waits behind a backlog. The
		// execution relay's failure never holds up the validator records: it is reported after
		// them.
		let genesis_time = genesis.genesis_time;
		let mut events_failed =
			self.execution_phase(&lc, genesis_time, Phase::Slashings, &mut report).await;
		let (slashings, proofs) = self.refresh_validators(&lc).await?;
		report.slashings = slashings;
		report.proofs = proofs;
		if events_failed.is_none() {
			events_failed =
				self.execution_phase(&lc, genesis_time, Phase::GatewayEvents, &mut report).await;
		}
		match events_failed {
			Some(error) => Err(error),
			None => Ok(report),
		}
	}

	/// Runs one phase of the execution relay (if configured) under the light client's finalized
	/// header, adding what it did to `report`; its error, if it failed.
	async fn execution_phase(
		&mut self,
		lc: &LightClientState,
		genesis_time: u64,
		phase: Phase,
		report: &mut RoundReport,
	) -> Option<Error> {
		let mut relay = self.events.take()?;
		let root = lc.finalized_root;
		let result = async {
			let header = self.blocking(move |beacon| Ok(beacon.header(&hex(root))?)).await?;
			let state = self.state(header).await?;
			Ok::<_, Error>(
				relay.round(&self.beacon, &self.chain, header, state, genesis_time, phase).await?,
			)
		}
		.await;
		self.events = Some(relay);
		match result {
			Ok(events) => {
				tracing::info!(?phase, ?events, "execution relay");
				self.metrics.execution_finalized_block.set(events.finalized_block);
				for (kind, count) in [
					("avs_slashing", events.slashings),
					("deposit", events.deposits),
					("backing_report", events.reports),
					("refused", events.refused),
				] {
					self.metrics
						.events_submitted
						.with_label_values(&[kind])
						.inc_by(u64::from(count));
				}
				let total = report.events.get_or_insert(EventReport {
					finalized_block: events.finalized_block,
					..EventReport::default()
				});
				total.slashings += events.slashings;
				total.deposits += events.deposits;
				total.reports += events.reports;
				total.refused += events.refused;
				None
			},
			Err(error) => {
				tracing::error!(%error, ?phase, "execution relay failed; validator records go on");
				Some(error)
			},
		}
	}

	/// Builds (and verifies, signature included) the update that `summary` describes, every
	/// branch from the states themselves.
	async fn build_update(
		&mut self,
		summary: LightClientSummary,
		with_next_sync_committee: bool,
	) -> Result<light_client::Update, Error> {
		let attested_state = self.state(summary.attested).await?;
		let finalized_state = self.state(summary.finalized).await?;
		let signature_slot = summary.signature_slot;
		let signed = self
			.blocking(move |beacon| {
				beacon
					.signed_block(&signature_slot.to_string())?
					.ok_or(Error::NoSignatureBlock(signature_slot))
			})
			.await?;
		Ok(light_client::update(UpdateInputs {
			attested: (&summary.attested, &attested_state),
			finalized: (&summary.finalized, &finalized_state),
			signed: &signed,
			with_next_sync_committee,
			forks: &self.settings.forks,
		})?)
	}

	/// Proves, at the light client's finalized header, what the chain lacks: new slashings first
	/// (each alone, free when valid), then batches.
	async fn refresh_validators(&mut self, lc: &LightClientState) -> Result<(u32, u32), Error> {
		let credentials = self.chain.credentials().await?;
		if credentials.is_empty() {
			return Ok((0, 0));
		}
		let root = lc.finalized_root;
		let header = self.blocking(move |beacon| Ok(beacon.header(&hex(root))?)).await?;
		let state = self.state(header).await?;
		let tracked = self.chain.tracked_validators().await?;
		let plan = plan_validators(
			state.validators(),
			&credentials,
			&tracked,
			header.slot,
			self.settings.refresh_after_slots,
		);
		tracing::info!(
			slot = header.slot,
			credentials = credentials.len(),
			tracked = tracked.len(),
			slashings = plan.slashings.len(),
			batch = plan.batch.len(),
			"validator records"
		);
		let mut slashings = 0;
		for &index in &plan.slashings {
			let proof = prove::verified_slashing(&state, &header, index)?;
			let call = self
				.chain
				.call_data("ValidatorHealth", "report_slashing", &(header, proof))
				.await?;
			let included = self.chain.submit("slashing report", &call).await?;
			tracing::warn!(
				index,
				slot = header.slot,
				block = included.block,
				"slashed validator reported"
			);
			self.metrics.proofs_submitted.inc();
			slashings += 1;
		}
		let mut proofs = 0;
		let total = plan.batch.len();
		for chunk in plan.batch.chunks(self.settings.batch_size.max(1)) {
			let (anchor, batch) = prove::verified_batch(&state, &header, chunk)?;
			let call = self
				.chain
				.call_data("ValidatorHealth", "submit_validator_proofs", &(anchor, batch))
				.await?;
			let included = self.chain.submit("validator proofs", &call).await?;
			proofs += chunk.len() as u32;
			self.metrics.proofs_submitted.inc_by(chunk.len() as u64);
			tracing::info!(
				proved = proofs,
				of = total,
				bytes = call.len(),
				block = included.block,
				fee = included.fee,
				"validator batch included"
			);
		}
		Ok((slashings, proofs))
	}

	/// Rounds forever: `poll` apart when all went well, with exponential backoff (up to five
	/// minutes) after failures; a lost node connection is re-established.
	pub async fn run(&mut self, poll: Duration) -> ! {
		let mut backoff = Duration::from_secs(2);
		loop {
			match self.round().await {
				Ok(report) => {
					tracing::info!(?report, "round done");
					backoff = Duration::from_secs(2);
					tokio::time::sleep(poll).await;
				},
				// The beacon side ran (the round reports the execution relay's failure after
				// the validator records): no backoff, so that a failing execution node never
				// delays light-client updates or slashing proofs.
				Err(Error::Events(error)) => {
					self.metrics.failed(error.kind());
					tracing::error!(%error, "execution relay failed; the next round retries it");
					backoff = Duration::from_secs(2);
					if matches!(&error, events::Error::Chain(e) if e.is_transient()) {
						if let Err(error) = self.chain.reconnect().await {
							tracing::warn!(%error, "reconnecting to Ballast");
						}
					}
					tokio::time::sleep(poll).await;
				},
				Err(error) => {
					self.metrics.failed(error.kind());
					tracing::error!(%error, retry_in_s = backoff.as_secs(), "round failed");
					tokio::time::sleep(backoff).await;
					backoff = (backoff * 2).min(Duration::from_secs(300));
					if matches!(&error, Error::Chain(e) if e.is_transient()) {
						if let Err(error) = self.chain.reconnect().await {
							tracing::warn!(%error, "reconnecting to Ballast");
						}
					}
				},
			}
		}
	}
}

/// Summarises what the chain and the beacon node hold (the `status` subcommand).
pub async fn status(beacon: BeaconApi, chain: &Ballast) -> Result<serde_json::Value, Error> {
	let beacon = Arc::new(beacon);
	let lc = chain.light_client().await?;
	let credentials = chain.credentials().await?;
	let tracked = chain.tracked_validators().await?;
	let beacon_view = {
		let beacon = beacon.clone();
		tokio::task::spawn_blocking(move || -> Result<_, beacon::Error> {
			let genesis = beacon.genesis()?;
			let (epoch, root) = beacon.finalized_checkpoint("head")?;
			Ok((genesis, epoch, root))
		})
		.await
		.map_err(|e| Error::Task(e.to_string()))??
	};
	let (genesis, finalized_epoch, finalized_root) = beacon_view;
	let beacon_finalized_slot =
		finalized_epoch * ballast_ethereum_proofs::consensus::SLOTS_PER_EPOCH;
	let oldest = tracked.values().map(|record| record.proven_at_slot).min();
	let lrts: BTreeSet<u32> = credentials.values().copied().collect();
	Ok(serde_json::json!({
		"beacon": {
			"url": beacon.base(),
			"genesisValidatorsRoot": hex(genesis.genesis_validators_root),
			"finalizedEpoch": finalized_epoch,
			"finalizedSlot": beacon_finalized_slot,
			"finalizedRoot": hex(finalized_root),
		},
		"ballast": {
			"url": chain.url(),
			"lightClient": lc.as_ref().map(|lc| serde_json::json!({
				"finalizedSlot": lc.finalized_slot,
				"finalizedRoot": hex(lc.finalized_root),
				"nextSyncCommitteeKnown": lc.next_committee_known,
				"genesisValidatorsRoot": hex(lc.validators_root),
				"slotsBehindBeacon": beacon_finalized_slot.saturating_sub(lc.finalized_slot),
			})),
			"sameNetwork": lc.as_ref().map(|lc| lc.validators_root == genesis.genesis_validators_root),
			"lrts": lrts.len(),
			"credentials": credentials.len(),
			"trackedValidators": tracked.len(),
			"slashedValidators": tracked.values().filter(|record| record.slashed).count(),
			"oldestProofSlot": oldest,
		},
	}))
}

#[cfg(test)]
mod tests {
	use super::*;

	const PERIOD: u64 = ballast_ethereum_proofs::consensus::SLOTS_PER_SYNC_COMMITTEE_PERIOD;

	fn chain(finalized_slot: u64, next_committee_known: bool) -> LightClientState {
		LightClientState {
			finalized_root: Root::repeat_byte(1),
			finalized_slot,
			next_committee_known,
			validators_root: Root::repeat_byte(2),
		}
	}

	fn latest(finalized: u64, attested: u64, signature: u64) -> LightClientSummary {
		let header = |slot| BeaconBlockHeader { slot, ..Default::default() };
		LightClientSummary {
			attested: header(attested),
			finalized: header(finalized),
			signature_slot: signature,
		}
	}

	#[test]
	fn the_light_client_learns_the_next_committee_first() {
		let start = 557 * PERIOD + 10;
		let step = |l| plan_light_client(&chain(start, false), &l, 32);
		// Same period: relay with the attested state's next committee, even if not newer.
		assert_eq!(
			step(latest(start, start + 64, start + 66)),
			LightClientStep::Latest { with_next_sync_committee: true }
		);
		// The beacon is already in the next period: catch up with the store period's update.
		assert_eq!(
			step(latest(558 * PERIOD, 558 * PERIOD + 64, 558 * PERIOD + 65)),
			LightClientStep::Period { period: 557 }
		);
		// Attested in the store period, signed in the next: not acceptable yet.
		assert_eq!(
			step(latest(558 * PERIOD - 96, 558 * PERIOD - 1, 558 * PERIOD)),
			LightClientStep::UpToDate
		);
	}

	#[test]
	fn finality_is_relayed_once_an_epoch_and_never_past_the_gap() {
		let start = 557 * PERIOD + 10;
		let step = |l| plan_light_client(&chain(start, true), &l, 32);
		assert_eq!(step(latest(start, start + 64, start + 65)), LightClientStep::UpToDate);
		assert_eq!(step(latest(start + 31, start + 95, start + 96)), LightClientStep::UpToDate);
		assert_eq!(
			step(latest(start + 32, start + 96, start + 97)),
			LightClientStep::Latest { with_next_sync_committee: false }
		);
		// Finalized in the next period: the update must carry the following committee.
		assert_eq!(
			step(latest(558 * PERIOD, 558 * PERIOD + 64, 558 * PERIOD + 65)),
			LightClientStep::Latest { with_next_sync_committee: true }
		);
		// More than 8192 slots, or a signature two periods on: go period by period.
		assert_eq!(
			step(latest(start + 8193, start + 8250, start + 8251)),
			LightClientStep::Period { period: 558 }
		);
		assert_eq!(
			step(latest(559 * PERIOD, 559 * PERIOD + 64, 559 * PERIOD + 65)),
			LightClientStep::Period { period: 558 }
		);
	}

	fn fields(credentials: u8, slashed: bool, exit_epoch: u64) -> ValidatorFields {
		ValidatorFields {
			withdrawal_credentials: Root::repeat_byte(credentials),
			effective_balance: 32_000_000_000,
			slashed,
			exit_epoch,
			withdrawable_epoch: exit_epoch,
			pubkey_root: Root::zero(),
			activation_eligibility_epoch: 0,
			activation_epoch: 0,
		}
	}

	fn record(slashed: bool, exit_epoch: u64, proven_at_slot: u64) -> TrackedValidator {
		TrackedValidator {
			lrt: 7,
			effective_balance: 32_000_000_000,
			balance: 32_000_000_000,
			slashed,
			exit_epoch,
			withdrawable_epoch: exit_epoch,
			proven_at_slot,
		}
	}

	#[test]
	fn slashings_come_first_then_changes_then_new_then_stale() {
		const SLOT: u64 = 10_000;
		const FAR: u64 = u64::MAX;
		let validators = vec![
			fields(9, false, FAR), // 0: other credentials, untracked: ignored
			fields(1, false, FAR), // 1: registered, untracked: new
			fields(1, true, 500),  // 2: slashed in the state, tracked unslashed: report
			fields(1, true, 500),  // 3: slashed, untracked: report (tracks it)
			fields(1, true, 500),  // 4: slashed and already known as slashed, stale: batch
			fields(1, false, 400), // 5: exiting now, tracked as active: changed
			fields(1, false, FAR), // 6: unchanged, proven recently: skipped
			fields(1, false, FAR), // 7: unchanged, old proof: stale
			fields(1, false, FAR), // 8: proven at this very slot: skipped
		];
		let credentials = BTreeMap::from([(Root::repeat_byte(1), 7)]);
		let tracked = BTreeMap::from([
			(2, record(false, FAR, 9_000)),
			(4, record(true, 500, 1_000)),
			(5, record(false, FAR, 9_999)),
			(6, record(false, FAR, 9_999)),
			(7, record(false, FAR, 2_000)),
			(8, record(false, FAR, SLOT)),
		]);
		let plan = plan_validators(&validators, &credentials, &tracked, SLOT, 7_200);
		assert_eq!(plan.slashings, vec![2, 3]);
		assert_eq!(plan.batch, vec![5, 1, 4, 7]);

		// Everything proven at this slot: nothing to do (a re-run submits nothing).
		let all_fresh: BTreeMap<u64, TrackedValidator> = (1..9)
			.map(|i| {
				(i, record(validators[i as usize].slashed, validators[i as usize].exit_epoch, SLOT))
			})
			.collect();
		assert_eq!(
			plan_validators(&validators, &credentials, &all_fresh, SLOT, 7_200),
			ValidatorPlan::default()
		);
	}
}
