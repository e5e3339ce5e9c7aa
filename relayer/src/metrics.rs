//! Prometheus metrics of a running relayer (`--prometheus-port`), prefixed `ballast_relayer_`.

use prometheus_endpoint::{
	register, Counter, CounterVec, Gauge, GaugeVec, Opts, PrometheusError, Registry, U64,
};
use std::net::SocketAddr;

/// The relayer's metrics.
#[derive(Clone)]
pub struct Metrics {
	/// Slot of the newest finalized header the relayer brought to Ballast's light client.
	pub last_relayed_slot: Gauge<U64>,
	/// Slot of the newest finalized header the beacon node reports.
	pub beacon_finalized_slot: Gauge<U64>,
	/// Slot of the newest finalized header Ballast's light client holds.
	pub chain_finalized_slot: Gauge<U64>,
	/// Light-client updates submitted (and included).
	pub updates_submitted: Counter<U64>,
	/// Validator proofs submitted (and included), batch or slashing.
	pub proofs_submitted: Counter<U64>,
	/// Failures by kind: `beacon`, `chain`, `rejected`, `refused` (bad data caught before
	/// submission), `execution` (the Ethereum node).
	pub failures: CounterVec<U64>,
	/// Execution-layer events included on Ballast, by kind: `deposit`, `backing_report`,
	/// `avs_slashing`; and `refused` (Ballast's dispatch refused one).
	pub events_submitted: CounterVec<U64>,
	/// The finalized execution block the execution relay last scanned up to.
	pub execution_finalized_block: Gauge<U64>,
	/// Execution blocks between the node's head and the finalized block last scanned.
	pub execution_lag_blocks: Gauge<U64>,
	/// Per event kind and gateway (nonces are per gateway), the gateway nonce of the last one
	/// included (deposits, backing reports).
	pub event_last_nonce: GaugeVec<U64>,
	/// Per event kind, the execution block of the last one included.
	pub event_last_block: GaugeVec<U64>,
	/// Per event kind, seconds from the last included one's Ethereum block to its inclusion.
	pub event_lag_seconds: GaugeVec<U64>,
	/// Per event kind, execution blocks from the last included one's block to the execution
	/// head read when its round started.
	pub event_lag_blocks: GaugeVec<U64>,
	/// Events not included, by kind and reason: `unproven` (this relayer's checks or its
	/// endpoints failed; never submitted) or `refused` (Ballast's dispatch refused it).
	pub event_failures: CounterVec<U64>,
}

/// An execution-layer event included on Ballast, for [`Metrics::event_included`].
pub struct IncludedEvent {
	/// `deposit`, `backing_report` or `avs_slashing`.
	pub kind: &'static str,
	/// Its gateway and gateway nonce (none for AVS slashings).
	pub nonce: Option<(alloy_primitives::Address, u64)>,
	/// Its execution block's number.
	pub block: u64,
	/// The block's timestamp (unix seconds).
	pub timestamp: u64,
	/// The execution head read when the round started, if it could be.
	pub head: Option<u64>,
}

impl Metrics {
	/// Creates the metrics and registers them in `registry`.
	pub fn new(registry: &Registry) -> Result<Self, PrometheusError> {
		let gauge = |name: &str, help: &str| register(Gauge::new(name, help)?, registry);
		let counter = |name: &str, help: &str| register(Counter::new(name, help)?, registry);
		Ok(Metrics {
			last_relayed_slot: gauge(
				"ballast_relayer_last_relayed_slot",
				"Slot of the newest finalized beacon header this relayer brought to Ballast",
			)?,
			beacon_finalized_slot: gauge(
				"ballast_relayer_beacon_finalized_slot",
				"Slot of the newest finalized header the beacon node reports",
			)?,
			chain_finalized_slot: gauge(
				"ballast_relayer_chain_finalized_slot",
				"Slot of the newest finalized header Ballast's light client holds",
			)?,
			updates_submitted: counter(
				"ballast_relayer_updates_submitted_total",
				"Light-client updates included on Ballast",
			)?,
			proofs_submitted: counter(
				"ballast_relayer_proofs_submitted_total",
				"Validator proofs included on Ballast",
			)?,
			failures: register(
				CounterVec::new(
					Opts::new("ballast_relayer_failures_total", "Failures, by kind"),
					&["kind"],
				)?,
				registry,
			)?,
			events_submitted: register(
				CounterVec::new(
					Opts::new(
						"ballast_relayer_events_submitted_total",
						"Execution-layer events included on Ballast (or refused), by kind",
					),
					&["kind"],
				)?,
				registry,
			)?,
			execution_finalized_block: gauge(
				"ballast_relayer_execution_finalized_block",
				"The finalized execution block the execution relay scanned up to",
			)?,
			execution_lag_blocks: gauge(
				"ballast_relayer_execution_lag_blocks",
				"Execution blocks between the node's head and the finalized block last scanned",
			)?,
			event_last_nonce: register(
				GaugeVec::new(
					Opts::new(
						"ballast_relayer_event_last_nonce",
						"Gateway nonce of the last event of this kind from this gateway included",
					),
					&["kind", "gateway"],
				)?,
				registry,
			)?,
			event_last_block: by_kind(
				registry,
				"ballast_relayer_event_last_block",
				"Execution block of the last event of this kind included on Ballast",
			)?,
			event_lag_seconds: by_kind(
				registry,
				"ballast_relayer_event_lag_seconds",
				"Seconds from the last included event's Ethereum block to its inclusion",
			)?,
			event_lag_blocks: by_kind(
				registry,
				"ballast_relayer_event_lag_blocks",
				"Execution blocks from the last included event's block to the head its round read",
			)?,
			event_failures: register(
				CounterVec::new(
					Opts::new(
						"ballast_relayer_event_failures_total",
						"Execution-layer events not included, by kind and reason",
					),
					&["kind", "reason"],
				)?,
				registry,
			)?,
		})
	}

	/// Records an event included on Ballast.
	pub fn event_included(&self, event: &IncludedEvent) {
		let kind = &[event.kind];
		if let Some((gateway, nonce)) = event.nonce {
			self.event_last_nonce.with_label_values(&[event.kind, &gateway.to_string()]).set(nonce);
		}
		self.event_last_block.with_label_values(kind).set(event.block);
		let now = std::time::SystemTime::now()
			.duration_since(std::time::UNIX_EPOCH)
			.map(|d| d.as_secs())
			.unwrap_or(0);
		self.event_lag_seconds.with_label_values(kind).set(now.saturating_sub(event.timestamp));
		if let Some(head) = event.head {
			self.event_lag_blocks.with_label_values(kind).set(head.saturating_sub(event.block));
		}
	}

	/// Counts an event not included (see [`Metrics::event_failures`]).
	pub fn event_failed(&self, kind: &str, reason: &str) {
		self.event_failures.with_label_values(&[kind, reason]).inc();
	}

	/// Counts one failure of `kind` (see [`Metrics::failures`]).
	pub fn failed(&self, kind: &str) {
		self.failures.with_label_values(&[kind]).inc();
	}
}

fn by_kind(registry: &Registry, name: &str, help: &str) -> Result<GaugeVec<U64>, PrometheusError> {
	register(GaugeVec::new(Opts::new(name, help), &["kind"])?, registry)
}

/// Serves `registry` at `http://{address}/metrics` until the process ends.
pub fn serve(address: SocketAddr, registry: Registry) {
	tokio::spawn(async move {
		if let Err(error) = prometheus_endpoint::init_prometheus(address, registry).await {
			tracing::error!(%error, %address, "Prometheus endpoint stopped");
		}
	});
}

/// The metrics of the Ballast → Ethereum direction (`ballast-relayer beefy`), prefixed
/// `ballast_relayer_` too; a process runs one direction, so `failures_total` is its own.
#[derive(Clone)]
pub struct BeefyMetrics {
	/// The Ballast block of the newest MMR root `BeefyClient` holds.
	pub client_block: Gauge<U64>,
	/// The BEEFY set `BeefyClient` accepts commitments of (its current set).
	pub client_set_id: Gauge<U64>,
	/// The newest block BEEFY finalized on Ballast that the relayer knows of.
	pub ballast_block: Gauge<U64>,
	/// The BEEFY set that signed it.
	pub ballast_set_id: Gauge<U64>,
	/// Commitments `BeefyClient` accepted from this relayer, by kind: `handover` (signed by
	/// its next set) or `withdrawals`.
	pub commitments: CounterVec<U64>,
	/// Gas this relayer's Ethereum transactions used, by call: `submitInitial`,
	/// `commitPrevRandao`, `submitFinal`, `release`.
	pub gas_used: CounterVec<U64>,
	/// What they cost, in gwei.
	pub spent_gwei: Counter<U64>,
	/// Withdrawals released by this relayer.
	pub releases: Counter<U64>,
	/// Withdrawals of the gateway not released yet.
	pub pending_withdrawals: Gauge<U64>,
	/// The nonce of the last withdrawal released.
	pub last_released_nonce: Gauge<U64>,
	/// Ballast blocks between the newest BEEFY-finalized block and `BeefyClient`'s.
	pub client_lag_blocks: Gauge<U64>,
	/// Failures by kind: `chain` (Ballast node), `execution` (Ethereum node), `reverted`,
	/// `not_included`, `fees`, `refused` (a check failed: nothing submitted), `config`.
	pub failures: CounterVec<U64>,
}

impl BeefyMetrics {
	/// Creates the metrics and registers them in `registry`.
	pub fn new(registry: &Registry) -> Result<Self, PrometheusError> {
		let gauge = |name: &str, help: &str| register(Gauge::new(name, help)?, registry);
		let counter_vec = |name: &str, help: &str, label: &str| {
			register(CounterVec::new(Opts::new(name, help), &[label])?, registry)
		};
		Ok(BeefyMetrics {
			client_block: gauge(
				"ballast_relayer_beefy_client_block",
				"Ballast block of the newest MMR root BeefyClient holds",
			)?,
			client_set_id: gauge(
				"ballast_relayer_beefy_client_set_id",
				"The BEEFY set BeefyClient accepts commitments of",
			)?,
			ballast_block: gauge(
				"ballast_relayer_beefy_ballast_block",
				"Newest Ballast block BEEFY finalized, as the relayer knows",
			)?,
			ballast_set_id: gauge(
				"ballast_relayer_beefy_ballast_set_id",
				"The BEEFY set that signed the newest commitment",
			)?,
			commitments: counter_vec(
				"ballast_relayer_beefy_commitments_total",
				"BEEFY commitments BeefyClient accepted from this relayer, by kind",
				"kind",
			)?,
			gas_used: counter_vec(
				"ballast_relayer_ethereum_gas_used_total",
				"Gas used by this relayer's Ethereum transactions, by call",
				"call",
			)?,
			spent_gwei: register(
				Counter::new(
					"ballast_relayer_ethereum_spent_gwei_total",
					"What this relayer's Ethereum transactions cost, in gwei",
				)?,
				registry,
			)?,
			releases: register(
				Counter::new(
					"ballast_relayer_releases_total",
					"Withdrawals released on Ethereum by this relayer",
				)?,
				registry,
			)?,
			pending_withdrawals: gauge(
				"ballast_relayer_pending_withdrawals",
				"Withdrawals of the gateway not released yet",
			)?,
			last_released_nonce: gauge(
				"ballast_relayer_last_released_nonce",
				"Nonce of the last withdrawal this relayer released",
			)?,
			client_lag_blocks: gauge(
				"ballast_relayer_beefy_client_lag_blocks",
				"Ballast blocks between BEEFY's newest finalized block and BeefyClient's",
			)?,
			failures: counter_vec("ballast_relayer_failures_total", "Failures, by kind", "kind")?,
		})
	}

	/// Records an Ethereum transaction included: its gas and cost.
	pub fn transaction(&self, call: &str, gas_used: u64, effective_gas_price: u64) {
		self.gas_used.with_label_values(&[call]).inc_by(gas_used);
		let wei = u128::from(gas_used) * u128::from(effective_gas_price);
		self.spent_gwei.inc_by(u64::try_from(wei / 1_000_000_000).unwrap_or(u64::MAX));
	}

	/// Counts one failure of `kind`.
	pub fn failed(&self, kind: &str) {
		self.failures.with_label_values(&[kind]).inc();
	}
}
