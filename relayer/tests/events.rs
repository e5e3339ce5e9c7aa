//! The execution relay end to end against a live local Ethereum: anvil carrying the gateway, an
//! LRT, its backing source and EigenLayer's AllocationManager, under the beacon-chain simulator
//! (real SSZ states, real BLS sync aggregates, finality two epochs behind), and a real
//! `ballast-node --dev`. `ballast-relayer sync --execution-url` follows finality and, with no
//! test code building a proof, mints a deposit, sets the LRT's snapshot from its backing report
//! and books an AVS slashing of its operator; a second round sends nothing again.
//!
//! Needs anvil: `npm ci` in ethereum/ installs it (`@foundry-rs/anvil`).

mod common;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolCall;
use ballast_beacon_sim::{BeaconSim, Config};
use ballast_relayer::chain::{self, Ballast};
use common::{gateway::*, Node};
use serde_json::{json, Value};

const LRT: u32 = 1000;
const SLOTS_PER_EPOCH: u64 = 32;

/// Sends `data` to `to` from anvil's account without waiting: the simulator mines it in its
/// next slot.
fn send(d: &Deployment, to: Address, data: Vec<u8>) -> B256 {
	d.anvil.send(json!({ "to": to.to_string(), "data": common::anvil::hex(data) }))
}

/// `ballast-relayer sync --once` with the execution relay; its JSON report.
fn sync_once(sim: &BeaconSim, node: &Node, d: &Deployment) -> Value {
	let (ok, stdout, stderr) = common::relayer(&[
		"sync",
		"--beacon-url",
		sim.url(),
		"--network",
		"sepolia",
		"--ballast-url",
		&node.url,
		"--suri",
		"//Alice",
		"--execution-url",
		&d.anvil.url,
		"--seconds-per-slot",
		"1",
		"--once",
	]);
	assert!(ok, "sync failed:\n{stderr}");
	serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"))
}

/// Builds blocks until the simulator's finalized checkpoint is past `slot`.
fn finalize_past(sim: &BeaconSim, slot: u64) {
	while sim.chain().finalized().header.slot <= slot {
		sim.advance(SLOTS_PER_EPOCH).expect("the simulator advances");
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_relays_a_live_ethereums_deposits_reports_and_avs_slashings() {
	// Contracts first, while anvil still mines on its own.
	let d = deploy();
	let sim = BeaconSim::start(Config::default(), &d.anvil.url, 0).expect("simulator");
	let first = sim.chain().head().header.slot;
	finalize_past(&sim, first);

	let node = Node::start(&common::scratch_dir("events"));
	common::submit_checkpoint(sim.url(), &node.url, "sepolia");
	let alice = Ballast::connect(&node.url, Some(chain::keypair("//Alice").expect("dev key")))
		.await
		.expect("node answers");
	let governance = |pallet: &'static str, call: &'static str, args: Vec<u8>| {
		let alice = &alice;
		async move {
			let call = alice.call_data(pallet, call, &common::Raw(args)).await.expect("encodes");
			let sudo = alice.sudo_call_data(&call).await.expect("encodes");
			alice.submit("governance", &sudo).await.expect("included");
		}
	};
	use codec::Encode;
	governance(
		"LrtBridge",
		"register_lrt",
		(LRT, d.token.0 .0, d.gateway.0 .0, u128::MAX, 10u32).encode(),
	)
	.await;
	governance("LrtBacking", "set_allocation_manager", (d.manager.0 .0,).encode()).await;
	let params = BackingParams::for_tests();
	governance("LrtBacking", "set_params", (LRT, params).encode()).await;

	// On Ethereum: a deposit of 10 LRT for Bob, then the LRT's books reported (1,030 ETH, 60 %
	// with OPERATOR).
	let bob = chain::keypair("//Bob").expect("dev key").public_key().0;
	send(
		&d,
		d.gateway,
		depositCall { lrt: d.token, amount: ether(10), recipient: B256::from(bob) }.abi_encode(),
	);
	let stakes = vec![
		OperatorStake { operator: OPERATOR, strategy: STRATEGY, shares: ether(618) },
		OperatorStake {
			operator: Address::repeat_byte(0x0b),
			strategy: STRATEGY,
			shares: ether(412),
		},
	];
	send(&d, d.source, setCall { totalEth: ether(1_030), stakes }.abi_encode());
	sim.advance(1).expect("advances");
	send(&d, d.gateway, reportBackingCall { lrt: d.token }.abi_encode());
	sim.advance(1).expect("advances");
	let events_slot = sim.chain().head().header.slot;
	finalize_past(&sim, events_slot);

	let report = sync_once(&sim, &node, &d);
	assert!(report["updates"].as_u64() >= Some(1), "{report}");
	assert_eq!(report["events"]["deposits"], 1, "{report}");
	assert_eq!(report["events"]["backingReports"], 1, "{report}");
	assert_eq!(report["events"]["refused"], 0, "{report}");
	assert_eq!(alice.settled_deposits(d.gateway.0 .0).await.expect("reads"), [1].into());
	let valued = alice.valued_lrts().await.expect("reads");
	assert_eq!(valued[0].snapshot_nonce, 2, "the report's gateway nonce");
	assert_eq!(valued[0].operators.len(), 2);

	// EigenLayer slashes OPERATOR by 10 % after the snapshot: booked once finalized.
	let slash = slashOperatorCall {
		operator: OPERATOR,
		operatorSet: OperatorSet { avs: AVS, id: 7 },
		strategies: vec![STRATEGY],
		wadSlashed: vec![U256::from(100_000_000_000_000_000u64)],
		description: "equivocation".into(),
	};
	send(&d, d.manager, slash.abi_encode());
	sim.advance(1).expect("advances");
	let slash_slot = sim.chain().head().header.slot;
	finalize_past(&sim, slash_slot);
	let report = sync_once(&sim, &node, &d);
	assert_eq!(report["events"]["avsSlashings"], 1, "{report}");
	assert_eq!(report["events"]["deposits"], 0, "{report}");
	assert_eq!(report["events"]["backingReports"], 0, "{report}");

	// Nothing is sent twice.
	sim.advance(SLOTS_PER_EPOCH).expect("advances");
	let report = sync_once(&sim, &node, &d);
	assert_eq!(report["events"]["avsSlashings"], 0, "{report}");
	assert_eq!(report["events"]["deposits"], 0, "{report}");
	assert_eq!(report["events"]["backingReports"], 0, "{report}");
	assert_eq!(report["events"]["refused"], 0, "{report}");
}

/// Ballast follows a network no preset knows, the way a validator points it at any Ethereum
/// network: `ballast-relayer network` reads the devnet's fork schedule and genesis validators
/// root from its beacon node, they go into a chain spec built from the dev preset, and the node
/// started on it takes the devnet's checkpoint and then a light-client update signed by the
/// devnet's committee (its signing domains mix in those parameters), both from the relayer with
/// `--network beacon`.
#[tokio::test(flavor = "multi_thread")]
async fn a_chain_spec_built_from_a_devnets_parameters_follows_it() {
	let anvil = common::anvil::Anvil::start();
	let network = ballast_beacon_sim::Network::devnet();
	let sim = BeaconSim::start(Config { network, ..Config::default() }, &anvil.url, 0)
		.expect("simulator");
	let first = sim.chain().head().header.slot;
	finalize_past(&sim, first);

	// `network` reads the beacon node whatever `--network` says.
	let (ok, stdout, stderr) =
		common::relayer(&["network", "--beacon-url", sim.url(), "--network", "sepolia"]);
	assert!(ok, "network: {stderr}");
	let settings: Value = serde_json::from_str(&stdout).expect("JSON");
	assert_eq!(
		settings["validatorHealth"]["genesisValidatorsRoot"],
		common::anvil::hex(network.genesis_validators_root)
	);
	let forks: ballast_ethereum_proofs::fork::ForkSchedule =
		serde_json::from_value(settings["validatorHealth"]["ethereumForks"].clone())
			.expect("a fork schedule");
	assert_eq!(forks, network.forks);

	// A chain spec: the dev preset's, with them set (`network --chain-spec`).
	let dir = common::scratch_dir("devnet");
	let dev = Node::dev_spec(&dir);
	let (ok, stdout, stderr) = common::relayer(&[
		"network",
		"--beacon-url",
		sim.url(),
		"--chain-spec",
		dev.to_str().expect("utf-8 path"),
	]);
	assert!(ok, "network --chain-spec: {stderr}");
	let merged: Value = serde_json::from_str(&stdout).expect("a chain spec");
	assert_eq!(
		merged.pointer("/genesis/runtimeGenesis/patch/validatorHealth/genesisValidatorsRoot"),
		Some(&settings["validatorHealth"]["genesisValidatorsRoot"])
	);
	let spec = dir.join("devnet-spec.json");
	std::fs::write(&spec, stdout).expect("spec written");
	let node = Node::start_on_chain(&dir.join("node"), &spec);
	common::submit_checkpoint(sim.url(), &node.url, "beacon");
	let alice = Ballast::connect(&node.url, None).await.expect("node answers");
	let checkpointed = alice.light_client().await.expect("reads").expect("a checkpoint");
	assert_eq!(checkpointed.validators_root.0, network.genesis_validators_root);

	sim.advance(2 * SLOTS_PER_EPOCH).expect("advances");
	let (ok, stdout, stderr) = common::relayer(&[
		"sync",
		"--beacon-url",
		sim.url(),
		"--network",
		"beacon",
		"--ballast-url",
		&node.url,
		"--suri",
		"//Alice",
		"--once",
	]);
	assert!(ok, "sync: {stderr}");
	let report: Value = serde_json::from_str(stdout.trim()).expect("JSON");
	assert!(report["updates"].as_u64() >= Some(1), "{report}");
	let followed = alice.light_client().await.expect("reads").expect("a checkpoint");
	assert!(followed.finalized_slot > checkpointed.finalized_slot);
}
