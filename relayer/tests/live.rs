//! Ethereum to lending, live: anvil carrying the gateway, an LRT, WETH, the LRT's backing source
//! and EigenLayer's AllocationManager, under the beacon-chain simulator running on the wall
//! clock (1 s slots, finality two epochs behind, the LRT's EigenPod validators in its registry);
//! a real `ballast-node --dev` authoring a block every 6 s; and `ballast-relayer sync` and
//! `ballast-relayer report-backing` running as processes, with no test code building a proof.
//! The test acts only as Ethereum's and Ballast's users and governance would:
//!
//! 1. the light client follows the devnet from a checkpoint and the LRT's validators are proven;
//! 2. LRT and ETH deposits on Ethereum are minted on Ballast (while the relayer is killed and
//!    restarted);
//! 3. the keeper's reports set the rate and keep it fresh past `max_snapshot_age`;
//! 4. a lender supplies the bridged ETH, borrowers borrow against the LRT;
//! 5. `OperatorSlashed` on Ethereum liquidates the position it makes unhealthy in the block that
//!    carries its proof;
//! 6. a beacon validator of the LRT slashed on the devnet does the same, the Ethereum node's
//!    endpoint down all the while (the beacon side carries on);
//! 7. an execution node lying about a deposit's receipts, or its block, gets nothing submitted;
//!    honest again, the deposit is minted once;
//! 8. nothing is minted twice: each event is included once across both relayer processes (a
//!    deposit the killed one had in flight may be sent again, and is refused).
//!
//! It prints what it measured (`MEASURED …` lines): time from an event's Ethereum finality to its
//! proof finalized on Ballast, the relayer's CPU time and peak memory, what its account spent,
//! the snapshot's age and `reportBacking`'s gas.
//!
//! Needs anvil (`npm ci` in ethereum/) and a release `ballast-node`.

mod common;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolCall;
use ballast_beacon_sim::{execution_credentials, BeaconSim, Config};
use ballast_relayer::chain::{self, Ballast};
use codec::Encode;
use common::{anvil::Proxy, gateway::*, process::Process, Node};
use serde_json::json;
use std::{
	sync::{Arc, Mutex},
	time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};
use subxt::{OnlineClient, PolkadotConfig};

const LRT: u32 = 1000;
const ETH_ASSET: u32 = 1;
/// The LRT's EigenPod: its validators' withdrawal address.
const POD: [u8; 20] = [0xe1; 20];
/// Validators 0..4 of the devnet are the LRT's.
const LRT_VALIDATORS: usize = 4;
/// Anvil's second default account: the keeper's Ethereum key (the test sends from the first).
const KEEPER_KEY: &str = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
/// Reports reach Ballast 100 to 200 s after their block here (finality two epochs on, then a
/// light-client update and the events before them, each waiting for Ballast's finality), one
/// every `REPORT_INTERVAL`.
const MAX_SNAPSHOT_AGE: u64 = 330;
const REPORT_INTERVAL: u64 = 60;
const WAIT: Duration = Duration::from_secs(300);
const ETHER: u128 = 1_000_000_000_000_000_000;

/// `pallet_lending::MarketParams`, SCALE-encoded as the runtime declares it.
#[derive(Encode)]
struct MarketParams {
	ltv: u32,
	liquidation_threshold: u32,
	base_discount: u32,
	max_discount: u32,
	target_health: u128,
	close_factor: u32,
	full_liquidation_health: u128,
	min_debt: u128,
	reserve_factor: u32,
	protocol_fee: u32,
	supply_cap: u128,
	borrow_cap: u128,
	interest: (u128, u128, u128, u32),
}

const PERCENT: u32 = 10_000_000;
const FIXED_PERCENT: u128 = 10_000_000_000_000_000;

fn now() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970").as_secs()
}

/// Polls `check` every 250 ms until it gives a value; panics after [`WAIT`] with `what`.
async fn wait_for<T, F, Fut>(what: &str, mut check: F) -> T
where
	F: FnMut() -> Fut,
	Fut: std::future::Future<Output = Option<T>>,
{
	let deadline = Instant::now() + WAIT;
	loop {
		if let Some(value) = check().await {
			return value;
		}
		assert!(Instant::now() < deadline, "timed out waiting for {what}");
		tokio::time::sleep(Duration::from_millis(250)).await;
	}
}

/// Records when each slot became finalized on the simulator (polled every 100 ms).
struct FinalityClock {
	seen: Arc<Mutex<Vec<(u64, Instant)>>>,
}

impl FinalityClock {
	fn start(sim: Arc<BeaconSim>) -> Self {
		let seen = Arc::new(Mutex::new(Vec::new()));
		let shared = seen.clone();
		std::thread::spawn(move || loop {
			let slot = sim.chain().finalized().header.slot;
			{
				let mut seen = shared.lock().expect("clock");
				if seen.last().is_none_or(|(last, _)| *last < slot) {
					seen.push((slot, Instant::now()));
				}
			}
			if Arc::strong_count(&sim) == 1 {
				return;
			}
			std::thread::sleep(Duration::from_millis(100));
		});
		FinalityClock { seen }
	}

	/// When a finalized checkpoint first covered `slot`.
	fn finalized_at(&self, slot: u64) -> Option<Instant> {
		self.seen.lock().expect("clock").iter().find(|(s, _)| *s >= slot).map(|(_, at)| *at)
	}
}

/// Each event of a Ballast block: (pallet, event, field bytes).
async fn block_events(
	client: &OnlineClient<PolkadotConfig>,
	number: u64,
) -> Vec<(String, String, Vec<u8>)> {
	let at = client.at_block(number).await.expect("block");
	let events = at.events().fetch().await.expect("events");
	events
		.iter()
		.map(|event| {
			let event = event.expect("decodes");
			(event.pallet_name().into(), event.event_name().into(), event.field_bytes().to_vec())
		})
		.collect()
}

/// The newest finalized Ballast block.
async fn head(client: &OnlineClient<PolkadotConfig>) -> u64 {
	client.at_current_block().await.expect("head").block_number()
}

/// The first block after `from` with an event `pallet.name`, and all its events.
async fn find_block(
	client: &OnlineClient<PolkadotConfig>,
	from: u64,
	pallet: &str,
	name: &str,
) -> Option<(u64, Vec<(String, String, Vec<u8>)>)> {
	for number in from + 1..=head(client).await {
		let events = block_events(client, number).await;
		if events.iter().any(|(p, n, _)| p == pallet && n == name) {
			return Some((number, events));
		}
	}
	None
}

fn liquidated(events: &[(String, String, Vec<u8>)], borrower: &[u8; 32]) -> bool {
	events.iter().any(|(p, n, fields)| {
		p == "Lending" && n == "Liquidated" && fields.windows(32).any(|w| w == borrower)
	})
}

/// The beacon slot of the execution block of transaction `hash` (mined by the simulator).
fn slot_of(d: &Deployment, sim: &BeaconSim, hash: B256) -> u64 {
	let receipt = d.anvil.successful_receipt(hash);
	let number = common::anvil::quantity(&receipt["blockNumber"]);
	let timestamp = common::anvil::quantity(&d.anvil.block(number)["timestamp"]);
	sim.chain().slot_at(timestamp)
}

fn median(mut values: Vec<f64>) -> f64 {
	values.sort_by(|a, b| a.total_cmp(b));
	values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Sums the `fee=` of the relayer's "event included" lines for `what`, and counts them.
fn fees(logs: &str, what: &str) -> (u32, u128) {
	let needle = format!("what=\"{what}\"");
	logs.lines().filter(|line| line.contains("event included") && line.contains(&needle)).fold(
		(0, 0),
		|(count, total), line| {
			let fee = line
				.split_whitespace()
				.find_map(|field| field.strip_prefix("fee="))
				.and_then(|fee| fee.parse::<u128>().ok())
				.unwrap_or(0);
			(count + 1, total + fee)
		},
	)
}

#[tokio::test(flavor = "multi_thread")]
async fn ethereum_events_reach_lending_through_the_running_relayer() {
	let dir = common::scratch_dir("live");
	// Anvil's clock set back two minutes for the deployment, so that the simulator can start
	// its chain 100 s in the past and have finality at once.
	let anvil = common::anvil::Anvil::start();
	anvil.rpc("anvil_setTime", json!([now() - 120]));
	let d = deploy_on(anvil);
	let config = Config {
		credentials: vec![(execution_credentials(0x01, POD), LRT_VALIDATORS)],
		start_time: Some(now() - 100),
		..Config::default()
	};
	let proxy = Proxy::start(&d.anvil.url);
	let sim = Arc::new(BeaconSim::start_live(config, &d.anvil.url, 0).expect("simulator"));
	let clock = FinalityClock::start(sim.clone());
	let started = Instant::now();
	let deadline = Instant::now() + WAIT;
	let first_slot = sim.chain().config().first_slot;
	while sim.chain().finalized().header.slot <= first_slot {
		assert!(Instant::now() < deadline, "the simulator does not finalize");
		std::thread::sleep(Duration::from_millis(200));
	}
	eprintln!("simulator caught up and finalized in {:?}", started.elapsed());

	// Ballast: the light client checkpointed at the devnet's finalized block; governance
	// registers the LRT, bridged ETH, the pod's credentials and an LRT/ETH market.
	let node = Node::start_authoring(&dir);
	common::submit_checkpoint(sim.url(), &node.url, "sepolia");
	let user = |suri: &str| {
		let url = node.url.clone();
		let key = chain::keypair(suri).expect("dev key");
		async move { Ballast::connect(&url, Some(key)).await.expect("node answers") }
	};
	let alice = user("//Alice").await;
	let client =
		OnlineClient::<PolkadotConfig>::from_insecure_url(&node.url).await.expect("client");
	// Every governance call in one `sudo(utility.batch_all(…))`: one block.
	let governance = |pallet: &'static str, call: &'static str, args: Vec<u8>| {
		let alice = &alice;
		async move { alice.call_data(pallet, call, &common::Raw(args)).await.expect("encodes") }
	};
	let mut calls = Vec::new();
	calls.push(
		governance(
			"LrtBridge",
			"register_lrt",
			(LRT, d.token.0 .0, d.gateway.0 .0, u128::MAX, 10u32).encode(),
		)
		.await,
	);
	calls.push(
		governance(
			"LrtBridge",
			"register_ether",
			(ETH_ASSET, d.weth.0 .0, d.gateway.0 .0, u128::MAX, 10u32).encode(),
		)
		.await,
	);
	calls.push(
		governance(
			"ValidatorHealth",
			"register_credentials",
			(LRT, execution_credentials(0x01, POD)).encode(),
		)
		.await,
	);
	calls
		.push(governance("LrtBacking", "set_allocation_manager", (d.manager.0 .0,).encode()).await);
	// A slashed validator loses its whole balance here (Ethereum's total active balance set to
	// one validator's, so the correlation penalty takes everything): a loss large enough to
	// matter against the test's small LRT.
	let params = BackingParams {
		max_snapshot_age: MAX_SNAPSHOT_AGE,
		total_active_balance_gwei: 32_000_000_000,
		circuit_breaker_fall: 50 * PERCENT,
		..BackingParams::for_tests()
	};
	calls.push(governance("LrtBacking", "set_params", (LRT, params).encode()).await);
	let market_params = MarketParams {
		ltv: 90 * PERCENT,
		liquidation_threshold: 91 * PERCENT,
		base_discount: PERCENT,
		max_discount: 20 * PERCENT,
		target_health: 125 * FIXED_PERCENT,
		close_factor: 50 * PERCENT,
		full_liquidation_health: 95 * FIXED_PERCENT,
		min_debt: ETHER / 100,
		reserve_factor: 10 * PERCENT,
		protocol_fee: 10 * PERCENT,
		supply_cap: 1_000_000 * ETHER,
		borrow_cap: 1_000_000 * ETHER,
		interest: (2 * FIXED_PERCENT, 4 * FIXED_PERCENT, 100 * FIXED_PERCENT, 90 * PERCENT),
	};
	calls.push(
		governance("Lending", "create_market", (LRT, ETH_ASSET, market_params).encode()).await,
	);
	let batch = alice
		.call_data("Utility", "batch_all", &common::Raw(calls.concat_encoded()))
		.await
		.expect("encodes");
	let sudo = alice.sudo_call_data(&batch).await.expect("encodes");
	alice.submit("governance", &sudo).await.expect("included");
	let market = 0u32;

	// The LRT's books on Ethereum: 1,030 ETH behind its 10,000 units, 60 % delegated to
	// OPERATOR.
	d.anvil.transact(
		d.source,
		&setCall { totalEth: ether(1_030), stakes: stakes(618, 412) }.abi_encode(),
	);

	// The relayer and the keeper, as processes. The relayer reads Ethereum through the proxy
	// (which later lies, then goes down).
	let sync_args: Vec<String> = [
		"sync",
		"--beacon-url",
		sim.url(),
		"--network",
		"sepolia",
		"--ballast-url",
		&node.url,
		"--execution-url",
		&proxy.url,
		"--poll-secs",
		"2",
		"--min-update-slots",
		"8",
	]
	.iter()
	.map(|s| s.to_string())
	.collect();
	let sync_args: Vec<&str> = sync_args.iter().map(String::as_str).collect();
	let relayer_env = [("BALLAST_RELAYER_SURI", "//Ferdie")];
	let ferdie = chain::keypair("//Ferdie").expect("dev key").public_key().0;
	let ferdie_before = free_balance(&client, ferdie).await;
	let mut relayer = Process::spawn(&dir, "sync", &sync_args, &relayer_env);
	let gateway = d.gateway.to_string();
	let _keeper = Process::spawn(
		&dir,
		"keeper",
		&[
			"report-backing",
			"--execution-url",
			&d.anvil.url,
			"--gateway",
			&gateway,
			"--ballast-url",
			&node.url,
			"--interval-secs",
			&REPORT_INTERVAL.to_string(),
			"--poll-secs",
			"2",
		],
		&[("BALLAST_RELAYER_ETH_KEY", KEEPER_KEY)],
	);
	let mut usages = Vec::new();
	let mut latencies: std::collections::BTreeMap<&str, Vec<f64>> = Default::default();

	// 1. The LRT's validators are proven.
	let proven = wait_for("the LRT's validators to be proven", || async {
		let tracked = alice.tracked_validators().await.ok()?;
		(tracked.len() == LRT_VALIDATORS).then_some(tracked)
	})
	.await;
	assert!(proven.values().all(|v| !v.slashed && v.lrt == LRT));

	// 2, 3. LRT deposits for Bob and Charlie, an ETH deposit for Dave; the LRT's books (1,030
	// ETH behind 10,000 LRT, 60 % with OPERATOR); the keeper reports them on its own.
	let account = |suri: &str| chain::keypair(suri).expect("dev key").public_key().0;
	let (bob_id, charlie_id, dave_id) = (account("//Bob"), account("//Charlie"), account("//Dave"));
	let mut deposit_slots = Vec::new();
	for (recipient, amount) in [(bob_id, 100), (charlie_id, 100)] {
		let call =
			depositCall { lrt: d.token, amount: ether(amount), recipient: B256::from(recipient) };
		let hash = d.anvil.send(
			json!({ "to": d.gateway.to_string(), "data": common::anvil::hex(call.abi_encode()) }),
		);
		deposit_slots.push(slot_of(&d, &sim, hash));
	}
	let eth_deposit = depositEthCall { recipient: B256::from(dave_id) };
	let hash = d.anvil.send(json!({
		"to": d.gateway.to_string(),
		"data": common::anvil::hex(eth_deposit.abi_encode()),
		"value": format!("{:#x}", ether(50)),
	}));
	deposit_slots.push(slot_of(&d, &sim, hash));

	// The relayer crashes as soon as it has relayed the first deposit (the others are being
	// relayed), and starts again.
	wait_for("the first deposit's inclusion", || {
		let relayer = &relayer;
		async move { fees(&relayer.output(), "deposit").0.ge(&1).then_some(()) }
	})
	.await;
	usages.push(relayer.kill());
	let first_output = relayer.output();
	relayer = Process::spawn(&dir, "sync", &sync_args, &relayer_env);

	let gateway_key = d.gateway.0 .0;
	let settled = wait_for("the three deposits to be minted", || async {
		let settled = alice.settled_deposits(gateway_key).await.ok()?;
		(settled.len() >= 3).then_some(settled)
	})
	.await;
	let minted = Instant::now();
	for slot in &deposit_slots {
		let finalized = clock.finalized_at(*slot).expect("finalized before it was minted");
		latencies.entry("deposit").or_default().push((minted - finalized).as_secs_f64());
	}
	let first_snapshot = wait_for("the keeper's first report", || async {
		let valued = alice.valued_lrts().await.ok()?;
		valued.first()?.snapshot_time
	})
	.await;
	eprintln!("deposits settled: {settled:?}; first snapshot at {first_snapshot}");
	// The snapshot's age on Ballast, sampled every 2 s from here on.
	let ages = Arc::new(Mutex::new(Vec::<(u64, u64)>::new()));
	let sampler = {
		let (ages, url) = (ages.clone(), node.url.clone());
		tokio::spawn(async move {
			let chain = Ballast::connect(&url, None).await.expect("node answers");
			loop {
				if let Ok(valued) = chain.valued_lrts().await {
					if let Some(time) = valued.first().and_then(|lrt| lrt.snapshot_time) {
						let now = now();
						ages.lock().expect("ages").push((now, now.saturating_sub(time)));
					}
				}
				tokio::time::sleep(Duration::from_secs(2)).await;
			}
		})
	};

	// 4. Dave lends 49 of his 50 ETH (the first supply also endows the markets' account with
	// the asset's minimum balance); Bob borrows 9.1 ETH against 99 LRT (worth 10.197 ETH:
	// health 1.02).
	let (bob, charlie, dave) = (user("//Bob").await, user("//Charlie").await, user("//Dave").await);
	lend(&dave, market, "supply", 49 * ETHER).await;
	lend(&bob, market, "deposit_collateral", 99 * ETHER).await;
	lend(&bob, market, "borrow", 91 * ETHER / 10).await;

	// 5. EigenLayer slashes OPERATOR by 10 %: 61.8 ETH of the 1,030, a 6 % fall. The block
	// carrying the proof liquidates Bob.
	let before = head(&client).await;
	let slash = slashOperatorCall {
		operator: OPERATOR,
		operatorSet: OperatorSet { avs: AVS, id: 7 },
		strategies: vec![STRATEGY],
		wadSlashed: vec![U256::from(100_000_000_000_000_000u64)],
		description: "equivocation".into(),
	};
	let hash = d.anvil.send(
		json!({ "to": d.manager.to_string(), "data": common::anvil::hex(slash.abi_encode()) }),
	);
	let slash_slot = slot_of(&d, &sim, hash);
	// The LRT's books keep reporting 1,030 ETH: its oracle has not priced the slash, so the
	// loss stays booked (until a snapshot `recognition_delay` after it, 40 days here). A report
	// whose stakes show the cut and whose total carries the loss takes it off the books instead
	// (pallet-lrt-backing's `a_report_that_prices_an_avs_slash_takes_it_off_the_books`, the
	// sequence an earlier run of this test found counted twice).
	let (block, events) = wait_for("the AVS slashing's proof", || {
		let client = &client;
		async move { find_block(client, before, "LrtBacking", "LossBooked").await }
	})
	.await;
	latencies
		.entry("avs_slashing")
		.or_default()
		.push((Instant::now() - clock.finalized_at(slash_slot).expect("finalized")).as_secs_f64());
	assert!(
		liquidated(&events, &bob_id),
		"block {block} booked the slash but did not liquidate Bob: {events:?}"
	);

	// 3 (continued). The snapshot stayed fresh for longer than max_snapshot_age.
	while now() <= first_snapshot + MAX_SNAPSHOT_AGE + 10 {
		tokio::time::sleep(Duration::from_secs(2)).await;
	}
	sampler.abort();
	let samples = ages.lock().expect("ages").clone();
	assert!(samples.len() > 60, "sampled every 2 s: {}", samples.len());
	let oldest = samples.iter().map(|(_, age)| *age).max().unwrap_or(u64::MAX);
	assert!(oldest <= MAX_SNAPSHOT_AGE, "the snapshot went stale: {samples:?}");
	let snapshot_ages: Vec<f64> = samples.iter().map(|(_, age)| *age as f64).collect();

	// 6. Charlie borrows against 100 LRT at the new rate (0.096 82 ETH per LRT) at 88.5 % of
	// its value (health 1.03). The devnet slashes validator 0: its 32 ETH are lost (3.3 %), and
	// the block carrying the proof liquidates Charlie. The Ethereum node's endpoint is down
	// all along: the execution relay fails every round, the beacon side goes on.
	eprintln!("valuation before Charlie borrows: {}", components(&node.url).await);
	lend(&charlie, market, "deposit_collateral", 100 * ETHER).await;
	let value = 100 * (1_030 * ETHER - 618 * ETHER / 10) / 10_000;
	lend(&charlie, market, "borrow", value * 885 / 1_000).await;
	let before = head(&client).await;
	let execution_failures = |logs: &str| logs.matches("execution relay failed").count();
	let failures_before = execution_failures(&relayer.output());
	proxy.set_down(true);
	sim.slash(0).expect("slashes");
	let slashed_slot = sim.chain().head().header.slot + 1;
	let (block, events) = wait_for("the validator slashing's proof", || {
		let client = &client;
		async move { find_block(client, before, "ValidatorHealth", "ValidatorSlashed").await }
	})
	.await;
	proxy.set_down(false);
	assert!(
		execution_failures(&relayer.output()) > failures_before,
		"the execution endpoint was down while the slash was relayed"
	);
	latencies.entry("validator_slashing").or_default().push(
		(Instant::now() - clock.finalized_at(slashed_slot).expect("finalized")).as_secs_f64(),
	);
	assert!(
		liquidated(&events, &charlie_id),
		"block {block} proved the slash but did not liquidate Charlie: {events:?}"
	);
	assert!(!liquidated(&events, &bob_id), "Bob's position was restored to health 1.25 before");

	// 7. Eve deposits 1 LRT while the execution node lies about every block's receipts, then
	// about the block each log is in (a block it reorged away). Once Ballast's light client has
	// finalized Eve's block, the relayer refuses each lie by name and submits nothing; honest
	// again, the deposit is minted once.
	let eve_id = account("//Eve");
	let settled_before = alice.settled_deposits(gateway_key).await.expect("reads");
	// Each failed round logs once "the next round retries it", with the error.
	let lies = |logs: &str, lie: &str| {
		logs.lines()
			.filter(|line| line.contains("the next round retries it") && line.contains(lie))
			.count()
	};
	const BAD_RECEIPTS: &str = "the receipts served for block";
	const REORGED: &str = "names block 0xeeee";
	proxy.tamper(|method, result| {
		if method == "eth_getBlockReceipts" {
			if let Some(receipt) = result.as_array_mut().and_then(|r| r.first_mut()) {
				receipt["cumulativeGasUsed"] = json!("0x1");
			}
		}
	});
	let call = depositCall { lrt: d.token, amount: ether(1), recipient: B256::from(eve_id) };
	let hash = d.anvil.send(
		json!({ "to": d.gateway.to_string(), "data": common::anvil::hex(call.abi_encode()) }),
	);
	let eve_slot = slot_of(&d, &sim, hash);
	wait_for("Ballast's light client to finalize Eve's block", || async {
		let lc = alice.light_client().await.ok()??;
		(lc.finalized_slot >= eve_slot).then_some(())
	})
	.await;
	// Counted from here: every round from now on has Eve's block in reach.
	let seen = lies(&relayer.output(), BAD_RECEIPTS);
	wait_for("the relayer to refuse the tampered receipts twice", || {
		let relayer = &relayer;
		async move { (lies(&relayer.output(), BAD_RECEIPTS) >= seen + 2).then_some(()) }
	})
	.await;
	assert_eq!(alice.settled_deposits(gateway_key).await.expect("reads"), settled_before);
	proxy.tamper(|method, result| {
		if method == "eth_getLogs" {
			for log in result.as_array_mut().into_iter().flatten() {
				log["blockHash"] = json!(B256::repeat_byte(0xee).to_string());
			}
		}
	});
	let seen = lies(&relayer.output(), REORGED);
	wait_for("the relayer to refuse the reorged block twice", || {
		let relayer = &relayer;
		async move { (lies(&relayer.output(), REORGED) >= seen + 2).then_some(()) }
	})
	.await;
	assert_eq!(
		alice.settled_deposits(gateway_key).await.expect("reads"),
		settled_before,
		"nothing was submitted"
	);
	proxy.honest();
	wait_for("Eve's deposit to be minted", || async {
		let settled = alice.settled_deposits(gateway_key).await.ok()?;
		(settled.len() > settled_before.len()).then_some(())
	})
	.await;
	let valued = alice.valued_lrts().await.expect("reads");
	assert!(valued[0].snapshot_time > Some(first_snapshot));

	// 8. Nothing relayed twice: every event included once across both relayer processes (a
	// deposit the first one had in flight when it was killed may be sent again by the second,
	// and is then refused, never minted twice).
	usages.push(relayer.kill());
	let logs = first_output + &relayer.output();
	let refused = logs.matches("Ballast refused the event").count();
	let refused_deposits = logs
		.lines()
		.filter(|line| {
			line.contains("Ballast refused the event") && line.contains("what=\"deposit\"")
		})
		.count();
	assert!(
		refused == refused_deposits && refused <= 1,
		"only a deposit in flight at the kill is sent twice: {logs}"
	);
	let (deposits, deposit_fees) = fees(&logs, "deposit");
	// A deposit the killed process had sent is included without its log line; the new process
	// sends it again (refused) only if it looked before that inclusion was finalized.
	assert!(
		(3..=4).contains(&(deposits as usize)) && deposits as usize + refused_deposits <= 4,
		"each deposit included once: {deposits} logged, {refused_deposits} refused"
	);
	assert_eq!(
		alice.settled_deposits(gateway_key).await.expect("reads").len(),
		4,
		"every deposit minted"
	);
	let (slashings, slashing_fees) = fees(&logs, "AVS slashing");
	assert_eq!(slashings, 1, "one AVS slashing, once");
	let (reports, report_fees) = fees(&logs, "backing report");
	let snapshots = valued[0].snapshot_nonce;
	assert!(reports >= 2, "the keeper's reports were relayed");

	// What the keeper's reports cost on Ethereum.
	let backing_reported = ballast_relayer::execution::GatewayEvent::signatures()[1];
	let logs_json = d.anvil.rpc(
		"eth_getLogs",
		json!([{ "address": d.gateway.to_string(), "topics": [backing_reported.to_string()],
			"fromBlock": "0x0", "toBlock": "latest" }]),
	);
	let gas: Vec<f64> = logs_json
		.as_array()
		.expect("logs")
		.iter()
		.map(|log| {
			let hash: B256 =
				log["transactionHash"].as_str().and_then(|h| h.parse().ok()).expect("hash");
			common::anvil::quantity(&d.anvil.successful_receipt(hash)["gasUsed"]) as f64
		})
		.collect();
	eprintln!(
		"MEASURED reportBacking on Ethereum: median {} gas over {} reports",
		median(gas.clone()),
		gas.len()
	);
	eprintln!(
		"MEASURED snapshot age on Ballast: median {:.0} s, oldest {oldest} s over {} samples; {refused} duplicate submissions refused",
		median(snapshot_ages),
		samples.len()
	);
	let spent = ferdie_before.saturating_sub(free_balance(&client, ferdie).await);
	eprintln!(
		"MEASURED the relayer's account spent {} µBAL on Ballast over the run ({deposits} deposits, {slashings} AVS slashings, {reports} backing reports, and the light-client updates and validator proofs)",
		spent / 1_000_000
	);
	for (kind, values) in &latencies {
		eprintln!(
			"MEASURED {kind}: finality to inclusion, median {:.1} s over {}",
			median(values.clone()),
			values.len()
		);
	}
	for (i, usage) in usages.iter().enumerate() {
		eprintln!(
			"MEASURED relayer process {i}: {:.2} CPU s, peak RSS {} KiB",
			usage.cpu_secs, usage.peak_kib
		);
	}
	eprintln!(
		"MEASURED fees on Ballast: {deposits} deposits {deposit_fees}, {slashings} AVS slashings {slashing_fees}, {reports} backing reports {report_fees} (last snapshot nonce {snapshots}); test ran {:?}",
		started.elapsed()
	);
}

/// The LRT's rate components (`LrtBackingApi_components` at the best block), for diagnostics.
async fn components(url: &str) -> String {
	let rpc = subxt::rpcs::RpcClient::from_insecure_url(url).await.expect("node answers");
	let methods =
		subxt::rpcs::LegacyRpcMethods::<subxt::config::RpcConfigFor<PolkadotConfig>>::new(rpc);
	let bytes = methods
		.state_call("LrtBackingApi_components", Some(&LRT.encode()), None)
		.await
		.expect("state_call");
	// Option<(reported, proven, cap, effective: u128, losses: u128, stale: bool,
	// unconfirmed: Option<u128>, circuit_breaker: bool)>
	let mut input = &bytes[..];
	type Components = Option<(u128, u128, u128, u128, u128, bool, Option<u128>, bool)>;
	match <Components as codec::Decode>::decode(&mut input) {
		Ok(Some((reported, proven, cap, effective, losses, stale, unconfirmed, breaker))) => {
			format!(
			"reported {reported} proven {proven} cap {cap} effective {effective} losses {losses} \
			 stale {stale} unconfirmed {unconfirmed:?} circuit breaker {breaker}"
		)
		},
		other => format!("{other:?}"),
	}
}

/// `who`'s free BAL at the finalized block.
async fn free_balance(client: &OnlineClient<PolkadotConfig>, who: [u8; 32]) -> u128 {
	let at = client.at_current_block().await.expect("finalized block");
	let address =
		subxt::dynamic::storage::<([u8; 32],), subxt::ext::scale_value::Value>("System", "Account");
	let value = at.storage().try_fetch(address, (who,)).await.expect("reads");
	// AccountInfo: nonce, consumers, providers, sufficients (u32 each), then `data.free`.
	value
		.map(|value| value.into_bytes())
		.and_then(|bytes| {
			bytes.get(16..32).map(|free| u128::from_le_bytes(free.try_into().expect("16 bytes")))
		})
		.unwrap_or(0)
}

/// `Lending.call(market, amount)` signed by `who`, which must succeed.
async fn lend(who: &Ballast, market: u32, call: &'static str, amount: u128) {
	let data = who.call_data("Lending", call, &(market, amount)).await.expect("encodes");
	who.submit(call, &data).await.unwrap_or_else(|e| panic!("{call}: {e}"));
}

/// A list of encoded calls as SCALE encodes a `Vec<RuntimeCall>`.
trait ConcatEncoded {
	fn concat_encoded(&self) -> Vec<u8>;
}

impl ConcatEncoded for Vec<Vec<u8>> {
	fn concat_encoded(&self) -> Vec<u8> {
		let mut out = codec::Compact(self.len() as u32).encode();
		out.extend(self.iter().flatten());
		out
	}
}

fn stakes(operator: u64, other: u64) -> Vec<OperatorStake> {
	vec![
		OperatorStake { operator: OPERATOR, strategy: STRATEGY, shares: ether(operator) },
		OperatorStake {
			operator: Address::repeat_byte(0x0b),
			strategy: STRATEGY,
			shares: ether(other),
		},
	]
}
