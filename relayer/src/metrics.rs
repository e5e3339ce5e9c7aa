//! Prometheus metrics of a running relayer (`--prometheus-port`), prefixed `ballast_relayer_`.

use prometheus_endpoint::{
	register, Counter, CounterVec, Gauge, Opts, PrometheusError, Registry, U64,
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
		})
	}

	/// Counts one failure of `kind` (see [`Metrics::failures`]).
	pub fn failed(&self, kind: &str) {
		self.failures.with_label_values(&[kind]).inc();
	}
}

/// Serves `registry` at `http://{address}/metrics` until the process ends.
pub fn serve(address: SocketAddr, registry: Registry) {
	tokio::spawn(async move {
		if let Err(error) = prometheus_endpoint::init_prometheus(address, registry).await {
			tracing::error!(%error, %address, "Prometheus endpoint stopped");
		}
	});
}
