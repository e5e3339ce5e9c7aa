//! Ballast to Ethereum, live: a real `ballast-node --dev` authoring a block every 6 s and
//! running BEEFY (its sessions, and so its BEEFY sets, last 10 blocks), anvil mining a block
//! every second with Snowbridge's `BeefyClient` (the compiled artifact of its npm package)
//! initialised from the node's BEEFY set, and `BallastGateway` releasing against it.
//! `ballast-relayer beefy` runs as a process; no test code builds a proof. The test acts as
//! users and governance would:
//!
//! 1. `BeefyClient`'s constructor arguments come from `ballast-relayer beefy-client-args`;
//! 2. LRT and ETH deposits lock tokens in the gateway, and Ballast governance mints them to Bob
//!    (the bridge account's `assets.mint` through `sudo.sudo_as`: deposit proofs are what
//!    tests/live.rs covers; here the tokens only need to exist on both sides);
//! 3. Bob burns LRT and ETH in one block (`lrtBridge.withdraw` twice): the relayer carries a
//!    BEEFY commitment and both releases; the recipients are paid on Ethereum;
//! 4. the same release sent again fails with `AlreadyReleased`;
//! 5. `BeefyClient` follows BEEFY's validator-set changes (a new set every session);
//! 6. with the relayer stopped, Bob burns again while Ballast moves past `BeefyClient`'s next set,
//!    and releases his withdrawal himself, from his own Ethereum account, with `ballast-relayer
//!    release --nonce 2`: it catches `BeefyClient` up (the missed set's handover from the
//!    justification stored in the block that started it, then the next) and submits the
//!    commitment that covers the burn first.
//!
//! It prints what it measured (`MEASURED …`): gas of each commitment transaction and of each
//! release, call data sizes, and the time from the burn to the payout.
//!
//! Needs anvil and `@snowbridge/contracts` (`npm ci` in ethereum/) and a release `ballast-node`
//! with BEEFY.

mod common;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolCall, SolError, SolEvent};
use ballast_gateway::release::abi;
use ballast_relayer::{
	beefy::{beefy_client_state, BeefyChain},
	chain::{self, Ballast},
	execution::ExecutionApi,
};
use codec::{Compact, Encode};
use common::{anvil::Anvil, gateway::*, process::Process, Node};
use serde_json::{json, Value};
use std::{
	path::Path,
	time::{Duration, Instant},
};

const LRT: u32 = 1000;
const ETH_ASSET: u32 = 1;
const ETHER: u128 = 1_000_000_000_000_000_000;
/// Anvil's second and third default accounts: the relayer's and Bob's Ethereum keys (the test
/// deploys from the first).
const RELAYER_KEY: &str = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const BOB_ETHEREUM_KEY: &str = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
/// `BeefyClient`'s wait between `submitInitial` and `commitPrevRandao`, in Ethereum blocks (1 s
/// each here), and the window after it.
const RANDAO_COMMIT_DELAY: u64 = 3;
const RANDAO_COMMIT_EXPIRATION: u64 = 60;
const WAIT: Duration = Duration::from_secs(240);

alloy_sol_types::sol! {
	function balanceOf(address who) returns (uint256);
	event Released(address lrt, address recipient, uint256 amount, uint64 withdrawalNonce, uint64 nonce);
	error AlreadyReleased(uint64 withdrawalNonce);
}

/// Polls `check` every 500 ms until it gives a value; panics after [`WAIT`] with `what` and
/// `log`'s tail.
async fn wait_for<T, F, Fut>(what: &str, log: Option<&Path>, mut check: F) -> T
where
	F: FnMut() -> Fut,
	Fut: std::future::Future<Output = Option<T>>,
{
	let deadline = Instant::now() + WAIT;
	loop {
		if let Some(value) = check().await {
			return value;
		}
		if Instant::now() >= deadline {
			let tail = log
				.map(|log| {
					let text = std::fs::read_to_string(log).unwrap_or_default();
					let lines: Vec<&str> = text.lines().collect();
					lines[lines.len().saturating_sub(40)..].join("\n")
				})
				.unwrap_or_default();
			panic!("timed out waiting for {what}\n{tail}");
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
}

fn erc20_balance(anvil: &Anvil, token: Address, who: Address) -> U256 {
	let output = anvil.rpc(
		"eth_call",
		json!([{ "to": token.to_string(), "data": common::anvil::hex(balanceOfCall { who }.abi_encode()) }, "latest"]),
	);
	let bytes = alloy_primitives::hex::decode(output.as_str().expect("hex")).expect("hex");
	balanceOfCall::abi_decode_returns(&bytes).expect("a balance")
}

/// `field=value` of a tracing line (quotes removed).
fn field<'a>(line: &'a str, name: &str) -> Option<&'a str> {
	let needle = format!(" {name}=");
	let start = line.find(&needle)? + needle.len();
	let rest = &line[start..];
	let value = if let Some(quoted) = rest.strip_prefix('"') {
		&quoted[..quoted.find('"')?]
	} else {
		rest.split_whitespace().next()?
	};
	Some(value)
}

fn median(mut values: Vec<u64>) -> u64 {
	values.sort_unstable();
	values.get(values.len() / 2).copied().unwrap_or(0)
}

/// A list of encoded calls as SCALE encodes a `Vec<RuntimeCall>`.
fn calls(list: &[Vec<u8>]) -> Vec<u8> {
	let mut out = Compact(list.len() as u32).encode();
	out.extend(list.iter().flatten());
	out
}

/// The owner of asset `id` (the first field of `Assets.Asset`): the bridge's account for every
/// bridged asset.
async fn asset_owner(url: &str, id: u32) -> [u8; 32] {
	let client =
		subxt::OnlineClient::<subxt::PolkadotConfig>::from_insecure_url(url).await.expect("client");
	let at = client.at_current_block().await.expect("finalized block");
	let address =
		subxt::dynamic::storage::<(u32,), subxt::ext::scale_value::Value>("Assets", "Asset");
	let value = at.storage().try_fetch(address, (id,)).await.expect("reads").expect("an asset");
	value.into_bytes()[..32].try_into().expect("32 bytes")
}

/// `lrtBridge.withdraw` calls signed by `who` in one block; the nonces they got (from
/// `WithdrawalQueued`, in order).
async fn withdraw(who: &Ballast, withdrawals: &[(u32, u128, Address)]) -> String {
	let mut list = Vec::new();
	for (asset, amount, recipient) in withdrawals {
		list.push(
			who.call_data("LrtBridge", "withdraw", &(*asset, *amount, recipient.0 .0))
				.await
				.expect("encodes"),
		);
	}
	let data =
		who.call_data("Utility", "batch_all", &common::Raw(calls(&list))).await.expect("encodes");
	who.submit("withdraw", &data).await.expect("withdrawals included").block
}

#[tokio::test(flavor = "multi_thread")]
async fn withdrawals_are_released_on_ethereum_through_beefy() {
	let started = Instant::now();
	let dir = common::scratch_dir("beefy");
	let node = Node::start_authoring(&dir);
	let node_log = node.log.clone();

	// BEEFY runs: the node serves its finalized head once it finalized a block.
	let chain = BeefyChain::connect(&node.url).await.expect("node answers");
	let first = wait_for("BEEFY to finalize a block", Some(&node_log), || {
		let chain = chain.clone();
		async move { chain.beefy_finalized_head().await.ok().filter(|(_, n)| *n >= 1) }
	})
	.await;
	eprintln!("BEEFY finalized block {} after {:?}", first.1, started.elapsed());

	// 1. BeefyClient from the node's BEEFY set, then the gateway on it.
	let (ok, stdout, stderr) = common::relayer(&[
		"beefy-client-args",
		"--ballast-url",
		&node.url,
		"--randao-commit-delay",
		&RANDAO_COMMIT_DELAY.to_string(),
		"--randao-commit-expiration",
		&RANDAO_COMMIT_EXPIRATION.to_string(),
	]);
	assert!(ok, "beefy-client-args: {stderr}");
	let client_args: Value = serde_json::from_str(&stdout).expect("JSON");
	let initial_set = client_args["initialValidatorSet"]["id"].as_u64().expect("a set id");
	assert_eq!(client_args["nextValidatorSet"]["id"].as_u64(), Some(initial_set + 1));
	assert_eq!(client_args["initialValidatorSet"]["length"].as_u64(), Some(1), "Alice alone");
	let anvil = Anvil::start_with(&["--block-time", "1"]);
	let code = beefy_client_creation_code();
	let constructor = alloy_primitives::hex::decode(
		client_args["constructorArgs"].as_str().expect("constructor arguments"),
	)
	.expect("hex");
	let beefy_client = anvil.deploy_code(code, &constructor);
	let d = deploy_with_beefy_client(anvil, beefy_client);
	let api = ExecutionApi::new(&d.anvil.url);
	let state = beefy_client_state(&api, beefy_client).expect("BeefyClient answers");
	assert_eq!(state.current.id, initial_set);
	assert_eq!(state.latest_block, client_args["initialBeefyBlock"].as_u64().expect("a block"));

	// 2. Deposits lock 100 LRT and 10 ETH (as WETH) in the gateway for Bob; Ballast governance
	// registers both and mints them to Bob.
	let account = |suri: &str| chain::keypair(suri).expect("dev key").public_key().0;
	let bob_id = account("//Bob");
	d.anvil.transact(
		d.gateway,
		&depositCall { lrt: d.token, amount: ether(100), recipient: B256::from(bob_id) }
			.abi_encode(),
	);
	let hash = d.anvil.send(json!({
		"to": d.gateway.to_string(),
		"data": common::anvil::hex(depositEthCall { recipient: B256::from(bob_id) }.abi_encode()),
		"value": format!("{:#x}", ether(10)),
	}));
	d.anvil.successful_receipt(hash);
	let alice = Ballast::connect(&node.url, Some(chain::keypair("//Alice").expect("key")))
		.await
		.expect("node answers");
	let governance = [
		alice
			.call_data(
				"LrtBridge",
				"register_lrt",
				&common::Raw((LRT, d.token.0 .0, d.gateway.0 .0, u128::MAX, 10u32).encode()),
			)
			.await
			.expect("encodes"),
		alice
			.call_data(
				"LrtBridge",
				"register_ether",
				&common::Raw((ETH_ASSET, d.weth.0 .0, d.gateway.0 .0, u128::MAX, 10u32).encode()),
			)
			.await
			.expect("encodes"),
	];
	let batch = alice
		.call_data("Utility", "batch_all", &common::Raw(calls(&governance)))
		.await
		.expect("encodes");
	let sudo = alice.sudo_call_data(&batch).await.expect("encodes");
	alice.submit("governance", &sudo).await.expect("included");
	let bridge = asset_owner(&node.url, ETH_ASSET).await;
	assert_eq!(asset_owner(&node.url, LRT).await, bridge, "the bridge owns both assets");
	let mut mints = Vec::new();
	for (asset, amount) in [(LRT, 100 * ETHER), (ETH_ASSET, 10 * ETHER)] {
		let mint = alice
			.call_data(
				"Assets",
				"mint",
				&common::Raw((Compact(asset), 0u8, bob_id, Compact(amount)).encode()),
			)
			.await
			.expect("encodes");
		let mut args = (0u8, bridge).encode();
		args.extend_from_slice(&mint);
		mints.push(alice.call_data("Sudo", "sudo_as", &common::Raw(args)).await.expect("encodes"));
	}
	let batch = alice
		.call_data("Utility", "batch_all", &common::Raw(calls(&mints)))
		.await
		.expect("encodes");
	alice.submit("mint", &batch).await.expect("minted");

	// The relayer, as a process.
	let client_text = beefy_client.to_string();
	let gateway_text = d.gateway.to_string();
	let relay_args = [
		"--ballast-url",
		node.url.as_str(),
		"--execution-url",
		d.anvil.url.as_str(),
		"--beefy-client",
		client_text.as_str(),
		"--gateway",
		gateway_text.as_str(),
		"--poll-secs",
		"1",
	];
	let mut relayer = Process::spawn(
		&dir,
		"beefy",
		&[&["beefy"][..], &relay_args[..]].concat(),
		&[("BALLAST_RELAYER_ETH_KEY", RELAYER_KEY)],
	);

	// 3. Bob burns 40 LRT for R1 and 3 ETH for R2 in one block (withdrawals 0 and 1).
	let bob = Ballast::connect(&node.url, Some(chain::keypair("//Bob").expect("key")))
		.await
		.expect("node answers");
	let (r1, r2, r3) =
		(Address::repeat_byte(0xa1), Address::repeat_byte(0xa2), Address::repeat_byte(0xa3));
	let burn_sent = Instant::now();
	let burn_block = withdraw(&bob, &[(LRT, 40 * ETHER, r1), (ETH_ASSET, 3 * ETHER, r2)]).await;
	let burn_final = Instant::now();
	eprintln!("burned in Ballast block {burn_block}, final after {:?}", burn_sent.elapsed());
	wait_for("both releases on Ethereum", Some(&relayer.log), || {
		let d = &d;
		async move {
			(erc20_balance(&d.anvil, d.token, r1) == ether(40)
				&& erc20_balance(&d.anvil, d.weth, r2) == ether(3))
			.then_some(())
		}
	})
	.await;
	let first_payout = (burn_sent.elapsed(), burn_final.elapsed());
	let state = beefy_client_state(&api, beefy_client).expect("BeefyClient answers");
	assert!(state.latest_block > 0);

	// 4. The same release again: refused, AlreadyReleased.
	let released_logs = d.anvil.rpc(
		"eth_getLogs",
		json!([{ "address": d.gateway.to_string(), "topics": [Released::SIGNATURE_HASH.to_string()],
			"fromBlock": "0x0", "toBlock": "latest" }]),
	);
	let releases: Vec<Value> = released_logs.as_array().expect("logs").clone();
	assert_eq!(releases.len(), 2, "two releases: {releases:?}");
	let first_release = &releases[0];
	let tx = d.anvil.rpc(
		"eth_getTransactionByHash",
		json!([first_release["transactionHash"].as_str().expect("a hash")]),
	);
	let input = tx["input"].as_str().expect("input").to_string();
	let replay = common::anvil::rpc_call(
		&d.anvil.url,
		"eth_call",
		json!([{ "from": d.anvil.account.to_string(), "to": d.gateway.to_string(), "data": input }, "latest"]),
	)
	.expect_err("a second release reverts");
	let data = replay["data"].as_str().unwrap_or_default().to_string();
	let released_nonce = {
		let decoded = Released::decode_raw_log(
			[Released::SIGNATURE_HASH],
			&alloy_primitives::hex::decode(first_release["data"].as_str().expect("data"))
				.expect("hex"),
		)
		.expect("a Released log");
		decoded.withdrawalNonce
	};
	assert_eq!(
		data,
		common::anvil::hex(AlreadyReleased { withdrawalNonce: released_nonce }.abi_encode()),
		"AlreadyReleased: {replay}"
	);

	// 5. BeefyClient follows BEEFY's set changes (the first commitments above were handovers;
	// one may be under way with nothing to release).
	let set_after = wait_for("BeefyClient to follow a set change", Some(&relayer.log), || {
		let api = &api;
		async move {
			let state = beefy_client_state(api, beefy_client).ok()?;
			(state.current.id > initial_set).then_some(state.current.id)
		}
	})
	.await;
	relayer.stop();
	let relayer_output = relayer.output();
	assert!(
		relayer_output.lines().any(
			|line| line.contains("BEEFY commitment accepted") && line.contains("handover=true")
		),
		"the running relayer handed BeefyClient over to a new set:\n{relayer_output}"
	);

	// 6. With the relayer down, Bob burns 10 LRT for R3 (withdrawal 2), and Ballast moves on
	// past BeefyClient's next set: a whole set is missed, so the handover to it can only come
	// from the justification stored in the block that started it. Bob releases his withdrawal
	// himself.
	let burn_sent = Instant::now();
	withdraw(&bob, &[(LRT, 10 * ETHER, r3)]).await;
	let burn_final = Instant::now();
	let missed = beefy_client_state(&api, beefy_client).expect("answers").next.id;
	wait_for("Ballast's BEEFY to pass BeefyClient's next set", Some(&node_log), || {
		let chain = chain.clone();
		async move {
			let (hash, _) = chain.beefy_finalized_head().await.ok()?;
			let set = chain.validator_set(hash).await.ok()??;
			(set.id() > missed).then_some(())
		}
	})
	.await;
	let mut user = Process::spawn(
		&dir,
		"release",
		&[&["release", "--nonce", "2"][..], &relay_args[..]].concat(),
		&[("BALLAST_RELAYER_ETH_KEY", BOB_ETHEREUM_KEY)],
	);
	let user_log = user.log.clone();
	let status = wait_for("ballast-relayer release to finish", Some(&user_log), || {
		let status = user.try_wait();
		async move { status }
	})
	.await;
	let second_payout = (burn_sent.elapsed(), burn_final.elapsed());
	let user_output = user.output();
	assert!(status.success(), "release --nonce 2 failed:\n{user_output}");
	let printed: Value = user_output
		.lines()
		.find_map(|line| serde_json::from_str(line).ok())
		.expect("a JSON report");
	assert_eq!(printed["nonce"], 2);
	assert!(printed["released"].is_object(), "released: {printed}");
	let commitments = printed["commitments"].as_array().expect("commitments");
	let handovers_caught_up: Vec<u64> = commitments
		.iter()
		.filter(|c| c["handover"] == true)
		.filter_map(|c| c["setId"].as_u64())
		.collect();
	assert!(
		handovers_caught_up.len() >= 2 && handovers_caught_up[0] == missed,
		"it handed BeefyClient over to the missed set {missed} and the next before releasing: {printed}"
	);
	assert!(
		user_output.contains("catching up: the stored justification"),
		"the missed set's handover came from the stored justification:\n{user_output}"
	);
	assert_eq!(erc20_balance(&d.anvil, d.token, r3), ether(10));
	let final_state = beefy_client_state(&api, beefy_client).expect("answers");
	assert!(final_state.current.id > missed);
	// Nothing else was paid: the gateway released exactly what was burned.
	let all: Vec<Value> = d
		.anvil
		.rpc(
			"eth_getLogs",
			json!([{ "address": d.gateway.to_string(), "topics": [Released::SIGNATURE_HASH.to_string()],
				"fromBlock": "0x0", "toBlock": "latest" }]),
		)
		.as_array()
		.expect("logs")
		.clone();
	assert_eq!(all.len(), 3);

	// What it cost.
	let logs = relayer_output + &user_output;
	let mut gas: std::collections::BTreeMap<String, Vec<u64>> = Default::default();
	let mut sizes: std::collections::BTreeMap<String, Vec<u64>> = Default::default();
	for line in logs.lines().filter(|line| line.contains("Ethereum transaction included")) {
		let what = field(line, "what").expect("what").to_string();
		gas.entry(what.clone())
			.or_default()
			.push(field(line, "gas_used").and_then(|g| g.parse().ok()).expect("gas"));
		sizes
			.entry(what)
			.or_default()
			.push(field(line, "calldata_bytes").and_then(|g| g.parse().ok()).expect("size"));
	}
	let mut handovers = Vec::new();
	let mut plain = Vec::new();
	for line in logs.lines().filter(|line| line.contains("BEEFY commitment accepted")) {
		let total: u64 = field(line, "gas_used").and_then(|g| g.parse().ok()).expect("gas");
		if field(line, "handover") == Some("true") {
			handovers.push(total);
		} else {
			plain.push(total);
		}
	}
	assert!(!handovers.is_empty(), "handovers were submitted:\n{logs}");
	let releases_gas: Vec<u64> = logs
		.lines()
		.filter(|line| line.contains("withdrawal released"))
		.filter_map(|line| field(line, "gas_used").and_then(|g| g.parse().ok()))
		.collect();
	assert_eq!(releases_gas.len(), 3, "three releases logged");
	// Independently, from anvil: each release's gas and call data.
	for log in &all {
		let hash = log["transactionHash"].as_str().expect("a hash");
		let receipt = d.anvil.rpc("eth_getTransactionReceipt", json!([hash]));
		let tx = d.anvil.rpc("eth_getTransactionByHash", json!([hash]));
		let input = tx["input"].as_str().expect("input");
		let call =
			abi::releaseCall::abi_decode(&alloy_primitives::hex::decode(input).expect("hex"))
				.expect("a release");
		eprintln!(
			"MEASURED release of withdrawal {}: {} gas, {} bytes of call data (withdrawal proof {} hashes, MMR proof {} hashes)",
			call.withdrawal.nonce,
			common::anvil::quantity(&receipt["gasUsed"]),
			(input.len() - 2) / 2,
			call.withdrawal.proof.len(),
			call.leafProof.len(),
		);
		assert_ne!(call.leaf.withdrawalRoot, B256::ZERO, "the leaf carries a withdrawal root");
	}
	for (what, values) in &gas {
		eprintln!(
			"MEASURED {what}: median {} gas over {} transactions (min {}, max {}), call data median {} bytes",
			median(values.clone()),
			values.len(),
			values.iter().min().copied().unwrap_or(0),
			values.iter().max().copied().unwrap_or(0),
			median(sizes[what].clone()),
		);
	}
	eprintln!(
		"MEASURED a commitment (submitInitial + commitPrevRandao + submitFinal): handover median {} gas over {}, other median {} gas over {}",
		median(handovers.clone()),
		handovers.len(),
		median(plain.clone()),
		plain.len()
	);
	eprintln!(
		"MEASURED burn to payout, relayer running: {:.1} s from sending the burn ({:.1} s from its finality)",
		first_payout.0.as_secs_f64(),
		first_payout.1.as_secs_f64()
	);
	eprintln!(
		"MEASURED burn to payout, user's one-shot release after catching up {} sets: {:.1} s from sending the burn ({:.1} s from its finality; includes waiting for Ballast to pass a set)",
		handovers_caught_up.len(),
		second_payout.0.as_secs_f64(),
		second_payout.1.as_secs_f64()
	);
	eprintln!(
		"MEASURED BeefyClient followed BEEFY sets {initial_set} → {set_after} with the relayer running, → {} after the user's catch-up; test ran {:?}",
		final_state.current.id,
		started.elapsed()
	);
}
