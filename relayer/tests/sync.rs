//! End to end: `ballast-relayer` between a beacon API serving the real Sepolia fixtures and a real
//! `ballast-node --dev` on loopback. Governance installs the checkpoint with `checkpoint
//! --submit`; `sync` then relays the finality update with the next sync committee and proves
//! every validator behind the registered credentials; a second round finds nothing to do; the
//! relayer rides out a beacon API that is down and a node that is killed and restarted; and bad
//! beacon data is reported and never reaches the chain.

mod common;

use ballast_ethereum_proofs::Root;
use ballast_ethereum_prover::fixtures;
use ballast_relayer::chain::{self, Ballast};
use common::{BeaconServer, Fault, Node, CHECKPOINT};
use serde_json::Value;
use std::{
	process::{Command, Stdio},
	time::{Duration, Instant},
};

const NETWORK: [&str; 2] = ["--network", "sepolia"];

async fn alice(node: &Node) -> Ballast {
	Ballast::connect(&node.url, Some(chain::keypair("//Alice").expect("dev key")))
		.await
		.expect("node answers")
}

async fn register(chain: &Ballast, lrt: u32, credentials: Root) {
	let call = chain
		.call_data("ValidatorHealth", "register_credentials", &(lrt, credentials))
		.await
		.expect("encodes");
	let sudo = chain.sudo_call_data(&call).await.expect("encodes");
	chain.submit("register credentials", &sudo).await.expect("registered");
}

/// `checkpoint --submit` of the checkpoint block, signed by the sudo key.
fn submit_checkpoint(beacon: &BeaconServer, node: &Node) -> (bool, String, String) {
	common::relayer(&[
		"checkpoint",
		"--beacon-url",
		&beacon.url,
		"--block",
		&CHECKPOINT.to_string(),
		"--submit",
		"--ballast-url",
		&node.url,
		"--suri",
		"//Alice",
		NETWORK[0],
		NETWORK[1],
	])
}

fn install_checkpoint(beacon: &BeaconServer, node: &Node) {
	let (ok, stdout, stderr) = submit_checkpoint(beacon, node);
	assert!(ok, "checkpoint --submit failed: {stderr}");
	let printed: Value = serde_json::from_str(&stdout).expect("JSON");
	assert_eq!(printed["slot"], CHECKPOINT);
}

fn sync_once(beacon: &BeaconServer, node: &Node) -> (bool, String, String) {
	common::relayer(&[
		"sync",
		"--once",
		"--beacon-url",
		&beacon.url,
		"--ballast-url",
		&node.url,
		"--suri",
		"//Bob",
		"--batch-size",
		"64",
		NETWORK[0],
		NETWORK[1],
	])
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_relays_finality_and_proves_every_registered_validator_once() {
	let beacon = BeaconServer::start();
	let node = Node::start(&common::scratch_dir("sync"));
	let chain = alice(&node).await;
	assert_eq!(chain.light_client().await.expect("reads"), None);

	// Without a checkpoint, `sync` says what is missing.
	let (ok, _, stderr) = sync_once(&beacon, &node);
	assert!(!ok && stderr.contains("no checkpoint yet"), "{stderr}");

	install_checkpoint(&beacon, &node);
	let lc = chain.light_client().await.expect("reads").expect("bootstrapped");
	assert_eq!(lc.finalized_slot, CHECKPOINT);
	assert!(!lc.next_committee_known);

	// Two LRTs, each backed by the 100 validators of one withdrawal address.
	let pods = common::execution_credentials(CHECKPOINT);
	assert_eq!((pods[0].1, pods[1].1), (100, 100));
	register(&chain, 100, pods[0].0).await;
	register(&chain, 101, pods[1].0).await;

	// The beacon node is already a period ahead: the relayer catches the chain up with period
	// 557's best update (from `light_client/updates`), which brings period 558's committee.
	beacon.set_fault(Fault::HeadInNextPeriod);
	let (ok, stdout, stderr) = sync_once(&beacon, &node);
	assert!(ok, "sync failed: {stderr}");
	let report: Value = serde_json::from_str(stdout.trim()).expect("JSON report");
	assert_eq!(report["updates"], 1, "{stdout}");
	assert_eq!(report["proofs"], 200, "{stdout}");
	assert_eq!(report["slashings"], 0);
	assert_eq!(report["finalizedSlot"], CHECKPOINT);

	// The light client learned period 558's committee; the records are the state's.
	let lc = chain.light_client().await.expect("reads").expect("bootstrapped");
	assert!(lc.next_committee_known);
	let tracked = chain.tracked_validators().await.expect("reads");
	assert_eq!(tracked.len(), 200);
	let state = fixtures::sepolia_prover(CHECKPOINT);
	for (index, record) in &tracked {
		let fields = &state.validators()[*index as usize];
		let lrt = if fields.withdrawal_credentials == pods[0].0 { 100 } else { 101 };
		assert_eq!(record.lrt, lrt);
		assert_eq!(record.proven_at_slot, CHECKPOINT);
		assert_eq!(record.effective_balance, fields.effective_balance);
		assert_eq!(record.exit_epoch, fields.exit_epoch);
		assert_eq!(record.balance, state.balance(*index).expect("in state").balance);
	}

	// Idempotent: a second round finds everything on chain.
	beacon.set_fault(Fault::None);
	let (ok, stdout, stderr) = sync_once(&beacon, &node);
	assert!(ok, "second round failed: {stderr}");
	let report: Value = serde_json::from_str(stdout.trim()).expect("JSON report");
	assert_eq!((report["updates"].as_u64(), report["proofs"].as_u64()), (Some(0), Some(0)));

	// `status` sees the same.
	let (ok, stdout, stderr) =
		common::relayer(&["status", "--beacon-url", &beacon.url, "--ballast-url", &node.url]);
	assert!(ok, "status failed: {stderr}");
	let status: Value = serde_json::from_str(&stdout).expect("JSON");
	assert_eq!(status["ballast"]["trackedValidators"], 200);
	assert_eq!(status["ballast"]["credentials"], 2);
	assert_eq!(status["ballast"]["lrts"], 2);
	assert_eq!(status["ballast"]["sameNetwork"], true);
	assert_eq!(status["ballast"]["lightClient"]["finalizedSlot"], CHECKPOINT);
	assert_eq!(status["ballast"]["lightClient"]["nextSyncCommitteeKnown"], true);
	assert_eq!(status["ballast"]["oldestProofSlot"], CHECKPOINT);
	assert_eq!(status["beacon"]["finalizedSlot"], CHECKPOINT);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_beacon_data_is_reported_and_never_submitted() {
	let beacon = BeaconServer::start();
	let node = Node::start(&common::scratch_dir("bad-data"));
	let chain = alice(&node).await;

	// A header that does not hash to its root: no checkpoint.
	beacon.set_fault(Fault::HeaderNotMatchingRoot);
	let (ok, stdout, stderr) = submit_checkpoint(&beacon, &node);
	assert!(!ok && stdout.is_empty(), "{stdout}");
	assert!(stderr.contains("hashes to"), "{stderr}");
	assert_eq!(chain.light_client().await.expect("reads"), None);

	beacon.set_fault(Fault::None);
	install_checkpoint(&beacon, &node);
	let pods = common::execution_credentials(CHECKPOINT);
	register(&chain, 100, pods[0].0).await;
	let before = chain.light_client().await.expect("reads");

	for (fault, expected) in [
		(Fault::TruncatedState, "invalid SSZ BeaconState"),
		(Fault::WrongState, "the state hashes to"),
		(Fault::WrongFinalityBranch, "finality branch that does not verify"),
		(Fault::WrongSignature, "signature does not verify"),
	] {
		beacon.set_fault(fault);
		let (ok, stdout, stderr) = sync_once(&beacon, &node);
		assert!(!ok && stdout.is_empty(), "{fault:?} was not refused: {stdout}");
		assert!(stderr.contains(expected), "{fault:?}: {stderr}");
		assert_eq!(chain.light_client().await.expect("reads"), before, "{fault:?}");
		assert!(chain.tracked_validators().await.expect("reads").is_empty(), "{fault:?}");
	}

	// The same provider, healthy again: everything goes through.
	beacon.set_fault(Fault::None);
	let (ok, _, stderr) = sync_once(&beacon, &node);
	assert!(ok, "{stderr}");
	assert_eq!(chain.tracked_validators().await.expect("reads").len(), 100);
}

fn metric(port: u16, name: &str) -> Option<f64> {
	let text =
		ureq::get(&format!("http://127.0.0.1:{port}/metrics")).call().ok()?.into_string().ok()?;
	text.lines()
		.filter(|line| line.starts_with(name))
		.filter_map(|line| line.rsplit(' ').next()?.parse::<f64>().ok())
		.reduce(f64::max)
}

async fn wait_until<F, Fut>(what: &str, timeout: Duration, mut done: F)
where
	F: FnMut() -> Fut,
	Fut: std::future::Future<Output = bool>,
{
	let deadline = Instant::now() + timeout;
	while !done().await {
		assert!(Instant::now() < deadline, "timed out waiting for {what}");
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_rides_out_a_down_beacon_api_and_a_node_restart() {
	let beacon = BeaconServer::start();
	let mut node = Node::start(&common::scratch_dir("restarts"));
	install_checkpoint(&beacon, &node);
	let chain = alice(&node).await;
	let pods = common::execution_credentials(CHECKPOINT);
	register(&chain, 100, pods[0].0).await;
	drop(chain);

	// The relayer starts while the beacon API is down.
	beacon.set_fault(Fault::Down);
	let metrics_port = common::free_port();
	let mut relayer = Command::new(env!("CARGO_BIN_EXE_ballast-relayer"))
		.args(["sync", "--poll-secs", "1", "--beacon-attempts", "1", "--min-update-slots", "32"])
		.args(["--beacon-url", &beacon.url, "--ballast-url", &node.url])
		.args(["--prometheus-port", &metrics_port.to_string()])
		.env("BALLAST_RELAYER_SURI", "//Bob")
		.stdout(Stdio::null())
		.stderr(Stdio::null())
		.spawn()
		.expect("relayer starts");

	wait_until("a beacon failure in the metrics", Duration::from_secs(60), || async {
		metric(metrics_port, "ballast_relayer_failures_total{kind=\"beacon\"}").unwrap_or(0.0)
			>= 1.0
	})
	.await;
	beacon.set_fault(Fault::None);
	let url = node.url.clone();
	wait_until("100 validators on chain", Duration::from_secs(120), || {
		let url = url.clone();
		async move {
			let Ok(chain) = Ballast::connect(&url, None).await else { return false };
			chain.tracked_validators().await.map(|t| t.len() == 100).unwrap_or(false)
		}
	})
	.await;

	// Kill the node and bring it back on the same ports and database; then give the relayer
	// new work that only a reconnected relayer can do.
	node.restart();
	let chain = alice(&node).await;
	register(&chain, 101, pods[1].0).await;
	wait_until("200 validators on chain", Duration::from_secs(180), || async {
		chain.tracked_validators().await.map(|t| t.len() == 200).unwrap_or(false)
	})
	.await;

	assert!(metric(metrics_port, "ballast_relayer_proofs_submitted_total").unwrap_or(0.0) >= 200.0);
	assert_eq!(metric(metrics_port, "ballast_relayer_updates_submitted_total"), Some(1.0));
	assert_eq!(metric(metrics_port, "ballast_relayer_last_relayed_slot"), Some(CHECKPOINT as f64));
	assert_eq!(
		metric(metrics_port, "ballast_relayer_chain_finalized_slot"),
		Some(CHECKPOINT as f64)
	);
	let _ = relayer.kill();
	let _ = relayer.wait();
}
