//! The execution half against a real anvil: `BallastGateway`, an ERC-20 LRT, its backing source
//! and EigenLayer's AllocationManager (the mock emitting the real event) deployed from
//! ethereum/artifacts; deposits, a backing report, a release and a slashing made on it. The
//! planner finds the nonces Ballast lacks, `find_events`/`find_slashings` return their logs with
//! receipt proofs that verify against anvil's own `receiptsRoot`; every receipt index of a
//! crowded block is proven; and a node serving bad data (through a proxy that corrupts anvil's
//! answers in one way at a time) is refused with the specific error. The backing keeper signs
//! `reportBacking` with its own key, keeps one report per LRT in flight, replaces a stuck one and
//! respects its fee cap.
//!
//! Needs anvil: `npm ci` in ethereum/ installs it (`@foundry-rs/anvil`).

mod common;

use alloy_consensus::TxReceipt;
use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolCall, SolValue};
use ballast_relayer::chain::{self, Ballast};
use ballast_relayer::execution::{
	self, find_events, find_slashings, plan_events, prove_logs, settle, BlockId, Error,
	ExecutionApi, GatewayEvent, Handled, LogFilter, ProvenLog,
};
use ballast_relayer::keeper::{self, EthereumKey, Keeper, Outcome, ValuedLrt};
use common::{
	anvil::{b256, hex, quantity, Anvil, Proxy},
	gateway::*,
};
use serde_json::{json, Value};
use snowbridge_verification_primitives::receipt::verify_receipt_proof;
use std::{collections::BTreeSet, time::Duration};

/// Checks `proof` against what anvil itself serves: the block's `receiptsRoot` (read here, not
/// through the relayer), the runtime's receipt code, and the transaction's receipt.
fn assert_proven_by_anvil(anvil: &Anvil, proof: &ProvenLog) {
	let block = anvil.block(proof.block_number);
	assert_eq!(b256(&block["hash"]), proof.block_hash);
	let receipts_root = b256(&block["receiptsRoot"]);
	assert_eq!(receipts_root, proof.receipts_root);
	let receipt =
		verify_receipt_proof(receipts_root.0.into(), proof.log.tx_index, &proof.receipt_proof)
			.expect("the proof verifies against anvil's receiptsRoot");
	let log = &proof.log;
	assert!(
		receipt.logs().iter().any(|l| l.address.0 .0 == log.address.0
			&& l.data.data.as_ref() == log.data.as_slice()
			&& l.topics().iter().map(|t| t.0).eq(log.topics.iter().map(|t| t.0))),
		"the proven receipt holds the log"
	);
	let served =
		anvil.rpc("eth_getTransactionReceipt", json!([proof.transaction_hash.to_string()]));
	assert_eq!(quantity(&served["transactionIndex"]), log.tx_index);
	assert_eq!(b256(&served["blockHash"]), proof.block_hash);
	assert_eq!(served["logsBloom"].as_str(), Some(hex(receipt.bloom()).as_str()));
	let served_log = served["logs"]
		.as_array()
		.expect("logs")
		.iter()
		.find(|l| quantity(&l["logIndex"]) == proof.log_index)
		.expect("anvil serves the log at its index");
	assert_eq!(served_log["data"].as_str(), Some(hex(&log.data).as_str()));
	assert_eq!(served_log["address"].as_str().map(str::to_lowercase), Some(hex(log.address)));
}

#[test]
fn missing_gateway_events_are_found_and_proven_against_anvils_receipts_root() {
	let d = deploy();
	let owner = d.anvil.account;
	let first = d.deposit(ether(1), 1); // nonce 1
	d.deposit(ether(2), 2); // 2
	d.deposit(ether(3), 3); // 3
	let report = d.report_backing(100); // 4
									 // A new backing source announced (releases need a BEEFY proof now: see tests/beefy.rs).
	let next_source = d.anvil.deploy("MockBackingSource", &(d.token,).abi_encode_params());
	let announce = announceBackingSourceCall { lrt: d.token, backingSource: next_source };
	d.anvil.transact(d.gateway, &announce.abi_encode()); // 5: nothing to relay
	let last = d.deposit(ether(4), 4); // 6
	let slash = d.slash(OPERATOR, ether(1) / U256::from(4u8));
	let head = d.anvil.head();

	// Two blocks per eth_getLogs: the scan goes over many requests.
	let api = ExecutionApi::new(&d.anvil.url).with_log_range(2);
	assert_eq!(api.chain_id().expect("chain id"), 31_337);
	assert_eq!(api.block_number().expect("head"), head);
	assert_eq!(api.gateway_nonce(d.gateway, BlockId::Latest).expect("nonce"), 6);
	let first_block = quantity(&first["blockNumber"]);
	assert_eq!(api.gateway_nonce(d.gateway, BlockId::Number(first_block)).expect("nonce"), 1);
	assert_eq!(api.gateway_nonce(d.gateway, BlockId::Number(first_block - 1)).expect("nonce"), 0);
	let header = api.existing_block(BlockId::Number(first_block)).expect("block");
	assert_eq!(header.hash, b256(&first["blockHash"]));
	assert_eq!(api.block(BlockId::Hash(header.hash)).expect("block"), Some(header));
	assert_eq!(api.block(BlockId::Number(head + 1)).expect("no block"), None);

	// Ballast minted deposit 2 and holds no snapshot of the LRT yet.
	let mut handled =
		Handled { deposits: BTreeSet::from([2]), snapshots: [(d.token, 0)].into_iter().collect() };
	let plan = plan_events(6, 0, &handled);
	assert_eq!(plan, vec![1, 3, 4, 5, 6]);

	let found = find_events(&api, d.gateway, &plan, 0, head).expect("events found");
	assert_eq!(found.not_relayed, vec![5]);
	assert!(found.missing.is_empty(), "{:?}", found.missing);
	let nonces: Vec<u64> = found.events.iter().map(|found| found.event.nonce()).collect();
	assert_eq!(nonces, vec![1, 3, 4, 6]);
	for found in &found.events {
		assert_proven_by_anvil(&d.anvil, &found.proof);
		assert!(!handled.covers(&found.event));
	}
	match &found.events[0].event {
		GatewayEvent::Deposit(deposit) => {
			assert_eq!(deposit.amount, 10u128.pow(18));
			assert_eq!(deposit.recipient, [1; 32]);
			assert_eq!(deposit.sender.0, owner.0 .0);
			assert_eq!(deposit.token.0, d.token.0 .0);
		},
		other => panic!("nonce 1 is a deposit, not {other:?}"),
	}
	assert_eq!(found.events[0].proof.transaction_hash, b256(&first["transactionHash"]));
	assert_eq!(found.events[3].proof.transaction_hash, b256(&last["transactionHash"]));
	match &found.events[2].event {
		GatewayEvent::BackingReport(report) => {
			assert_eq!(report.total_eth, 100 * 10u128.pow(18));
			assert_eq!(report.total_supply, 10_000 * 10u128.pow(18));
			assert_eq!(report.stakes.len(), 2);
			assert_eq!(report.stakes[0].operator.0, OPERATOR.0 .0);
			assert_eq!(report.stakes[0].shares, 60 * 10u128.pow(18));
		},
		other => panic!("nonce 4 is a backing report, not {other:?}"),
	}
	assert_eq!(found.events[2].proof.block_number, quantity(&report["blockNumber"]));

	// Relayed: Ballast now records them, and the watermark passes every nonce.
	handled.deposits.extend([1, 3, 6]);
	handled.snapshots.insert(d.token, 4);
	assert_eq!(plan_events(6, 0, &handled), vec![5]);
	let settled: BTreeSet<u64> = handled.deposits.iter().copied().chain([4, 5]).collect();
	let watermark = settle(0, &settled);
	assert_eq!(watermark, 6);
	assert!(plan_events(6, watermark, &handled).is_empty());

	// A nonce not emitted yet, or emitted after the range, is reported missing, not invented.
	let found = find_events(&api, d.gateway, &[6, 7], 0, head).expect("scan");
	assert_eq!(found.missing, vec![7]);
	let found =
		find_events(&api, d.gateway, &[6], 0, quantity(&last["blockNumber"]) - 1).expect("scan");
	assert_eq!((found.events.len(), found.missing.clone()), (0, vec![6]));

	// The slashing of a watched operator, proven; another operator's is not looked at.
	let operators = BTreeSet::from([OPERATOR]);
	let slashings = find_slashings(&api, d.manager, &operators, 0, head).expect("slashings");
	assert_eq!(slashings.len(), 1);
	let slashing = &slashings[0];
	assert_eq!(slashing.slashing.operator.0, OPERATOR.0 .0);
	assert_eq!(slashing.slashing.avs.0, AVS.0 .0);
	assert_eq!(slashing.slashing.operator_set_id, 7);
	let [(strategy, wad)] = slashing.slashing.slashed.as_slice() else {
		panic!("one strategy slashed: {:?}", slashing.slashing.slashed)
	};
	assert_eq!((strategy.0, wad.as_u128()), (STRATEGY.0 .0, 10u128.pow(18) / 4));
	assert_eq!(slashing.slashing.description, "equivocation");
	assert_eq!(slashing.proof.transaction_hash, b256(&slash["transactionHash"]));
	assert_proven_by_anvil(&d.anvil, &slashing.proof);
	let others = BTreeSet::from([Address::repeat_byte(0x0c)]);
	assert!(find_slashings(&api, d.manager, &others, 0, head).expect("none").is_empty());
}

#[test]
fn every_receipt_of_a_crowded_block_is_proven_at_its_index() {
	const TRANSACTIONS: usize = 131;
	let d = deploy();
	d.anvil.set_automine(false);
	// One block of deposits (each emits the LRT's Transfer, then Deposited) with an approval
	// (one Approval) every tenth transaction, as legacy, EIP-2930 and EIP-1559 transactions in
	// turn: receipt indices 0 to 130 (past 0x7f, whose RLP key changes form), three encodings.
	let mut hashes = Vec::new();
	for i in 0..TRANSACTIONS {
		let data = if i % 10 == 9 {
			approveCall { spender: d.gateway, amount: U256::MAX }.abi_encode()
		} else {
			d.deposit_call(U256::from(i + 1), 1)
		};
		let mut tx = json!({ "to": d.gateway.to_string(), "data": hex(&data), "gas": "0x30d40" });
		if i % 10 == 9 {
			tx["to"] = json!(d.token.to_string());
		}
		match i % 3 {
			0 => tx["gasPrice"] = json!("0x2540be400"),
			1 => {
				tx["gasPrice"] = json!("0x2540be400");
				tx["accessList"] = json!([]);
			},
			_ => {},
		}
		hashes.push(d.anvil.send(tx));
	}
	d.anvil.mine();
	d.anvil.set_automine(true);
	let number = d.anvil.head();
	let receipts: Vec<Value> =
		hashes.iter().map(|hash| d.anvil.successful_receipt(*hash)).collect();
	for (index, receipt) in receipts.iter().enumerate() {
		assert_eq!(quantity(&receipt["blockNumber"]), number, "all in one block");
		assert_eq!(quantity(&receipt["transactionIndex"]), index as u64);
		assert_eq!(quantity(&receipt["type"]), [0, 1, 2][index % 3]);
	}

	let api = ExecutionApi::new(&d.anvil.url);
	let block = api.provable_block(number, None).expect("receipts rebuild the receiptsRoot");
	assert_eq!(block.receipts().len(), TRANSACTIONS);
	assert_eq!(block.header.header.receipts_root, b256(&d.anvil.block(number)["receiptsRoot"]));

	// Every log of the block (the LRT's and the gateway's), each receipt proven.
	let filter = LogFilter {
		addresses: vec![d.gateway, d.token],
		topics: Vec::new(),
		from_block: number,
		to_block: number,
	};
	let logs = api.logs(&filter).expect("logs");
	let deposits = TRANSACTIONS - TRANSACTIONS / 10;
	assert_eq!(logs.len(), 2 * deposits + TRANSACTIONS / 10);
	let proofs = prove_logs(&api, &logs).expect("every log proven");
	let mut indices = BTreeSet::new();
	for proof in &proofs {
		assert_proven_by_anvil(&d.anvil, proof);
		indices.insert(proof.log.tx_index);
	}
	assert_eq!(indices, (0..TRANSACTIONS as u64).collect::<BTreeSet<_>>());

	// The planner's path: all deposits found in that one block, each proven at its index.
	let nonce = api.gateway_nonce(d.gateway, BlockId::Latest).expect("nonce");
	assert_eq!(nonce, deposits as u64);
	let plan = plan_events(nonce, 0, &Handled::default());
	let found = find_events(&api, d.gateway, &plan, number, number).expect("found");
	assert_eq!(found.events.len(), deposits);
	for found in &found.events {
		assert_eq!(found.proof.block_number, number);
		assert_eq!(found.proof.transaction_hash, hashes[found.proof.log.tx_index as usize]);
	}
}

/// The first deposit's log as eth_getLogs serves it, and the block it is in.
fn first_deposit_log(api: &ExecutionApi, d: &Deployment, head: u64) -> execution::RpcLog {
	let filter = LogFilter {
		addresses: vec![d.gateway],
		topics: vec![GatewayEvent::signatures().to_vec()],
		from_block: 0,
		to_block: head,
	};
	api.logs(&filter).expect("logs").into_iter().next().expect("a deposit")
}

#[test]
fn bad_data_from_the_execution_node_is_refused_with_the_specific_error() {
	let d = deploy();
	// A block with two deposits (transactions 0 and 1), then a report in its own block.
	d.anvil.set_automine(false);
	for recipient in [1, 2] {
		let data = d.deposit_call(ether(1), recipient);
		d.anvil.send(json!({ "to": d.gateway.to_string(), "data": hex(&data), "gas": "0x30d40" }));
	}
	d.anvil.mine();
	d.anvil.set_automine(true);
	d.report_backing(10);
	let head = d.anvil.head();
	let proxy = Proxy::start(&d.anvil.url);
	let api = ExecutionApi::new(&proxy.url);
	let honest = find_events(&api, d.gateway, &[1, 2, 3], 0, head).expect("honest answers pass");
	assert_eq!(honest.events.len(), 3);

	let refused = |error: Error| {
		assert_eq!(error.kind(), "refused", "{error}");
		assert!(!error.is_transient());
		error
	};
	let refuse = |nonces: &[u64], tamper: fn(&str, &mut Value)| {
		proxy.tamper(tamper);
		let result = find_events(&api, d.gateway, nonces, 0, head);
		proxy.honest();
		refused(result.expect_err("refused"))
	};

	// A receipt with one byte of a log's data changed no longer rebuilds the receiptsRoot.
	let error = refuse(&[1], |method, result| {
		if method == "eth_getBlockReceipts" {
			let data = &mut result[0]["logs"][1]["data"];
			let mut text = data.as_str().expect("data").to_string();
			let last = if text.ends_with('0') { "1" } else { "0" };
			text.replace_range(text.len() - 1.., last);
			*data = json!(text);
		}
	});
	assert!(matches!(error, Error::ReceiptsRootMismatch { .. }), "{error}");

	// A log whose data differs from the receipt's (the receipts themselves are honest).
	let error = refuse(&[1], |method, result| {
		if method == "eth_getLogs" {
			for log in result.as_array_mut().expect("logs") {
				// Deposited's amount (its fourth word) raised by one: still a valid event.
				let mut text = log["data"].as_str().expect("data").to_string();
				let end = 2 + 64 * 4;
				let digit = u8::from_str_radix(&text[end - 1..end], 16).expect("hex");
				text.replace_range(end - 1..end, &format!("{:x}", (digit + 1) % 16));
				log["data"] = json!(text);
			}
		}
	});
	assert!(matches!(error, Error::LogNotInReceipt { tx_index: 0, .. }), "{error}");

	// A log placed in the other transaction of its block, which did not emit it.
	let error = refuse(&[1], |method, result| {
		if method == "eth_getLogs" {
			for log in result.as_array_mut().expect("logs") {
				log["transactionIndex"] = json!("0x1");
			}
		}
	});
	assert!(matches!(error, Error::LogNotInReceipt { tx_index: 1, .. }), "{error}");

	// A log naming a block that is not the canonical one at its height (reorged away).
	let error = refuse(&[1], |method, result| {
		if method == "eth_getLogs" {
			for log in result.as_array_mut().expect("logs") {
				log["blockHash"] = json!(format!("0x{}", "ab".repeat(32)));
			}
		}
	});
	assert!(matches!(error, Error::LogBlockMismatch { .. }), "{error}");

	// A header whose receiptsRoot was swapped no longer hashes to the block's hash.
	let error = refuse(&[1], |method, result| {
		if method == "eth_getBlockByNumber" {
			result["receiptsRoot"] = json!(format!("0x{}", "cd".repeat(32)));
		}
	});
	assert!(matches!(error, Error::HeaderHashMismatch { .. }), "{error}");

	// Receipts served as another block's, or out of order.
	let error = refuse(&[1], |method, result| {
		if method == "eth_getBlockReceipts" {
			result[1]["blockHash"] = json!(format!("0x{}", "ef".repeat(32)));
		}
	});
	assert!(matches!(error, Error::ReceiptNotOfBlock { position: 1, .. }), "{error}");
	let error = refuse(&[1], |method, result| {
		if method == "eth_getBlockReceipts" {
			result.as_array_mut().expect("receipts").swap(0, 1);
		}
	});
	assert!(matches!(error, Error::ReceiptNotOfBlock { position: 0, .. }), "{error}");

	// A log the filter excludes (another emitter) is not taken for the gateway's.
	let error = refuse(&[1], |method, result| {
		if method == "eth_getLogs" {
			for log in result.as_array_mut().expect("logs") {
				log["address"] = json!(format!("0x{}", "11".repeat(20)));
			}
		}
	});
	assert!(matches!(error, Error::UnexpectedLog { .. }), "{error}");

	// The same log twice, as two nonces cannot be.
	let error = refuse(&[1, 2, 3], |method, result| {
		if method == "eth_getLogs" {
			let logs = result.as_array_mut().expect("logs");
			if let Some(log) = logs.first().cloned() {
				logs.insert(1, log);
			}
		}
	});
	assert!(matches!(error, Error::DuplicateNonce(1)), "{error}");

	// Directly: a log of this block proven against the block whose receipts were tampered with.
	let log = first_deposit_log(&api, &d, head);
	proxy.tamper(|method, result| {
		if method == "eth_getBlockReceipts" {
			result[0]["cumulativeGasUsed"] = json!("0x1");
		}
	});
	let error = prove_logs(&api, &[log]).expect_err("refused");
	assert!(matches!(refused(error), Error::ReceiptsRootMismatch { .. }));
	proxy.honest();
}

#[test]
fn an_unreachable_node_is_a_transient_failure_reported_after_its_retries() {
	let port = common::free_port();
	let api = ExecutionApi::new(&format!("http://127.0.0.1:{port}"))
		.with_retries(2, Duration::from_millis(10));
	let error = api.block_number().expect_err("nothing listens there");
	assert!(matches!(error, Error::Http { method: "eth_blockNumber", .. }), "{error}");
	assert!(error.is_transient());
	assert_eq!(error.kind(), "execution");
}

/// Anvil's second well-known test account (the default mnemonic's index 1): funded, and not
/// the account the deployment sends from.
const KEEPER_KEY: &str = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

#[test]
fn the_keeper_keeps_one_report_per_lrt_in_flight_and_replaces_a_stuck_one() {
	let d = deploy();
	d.anvil.transact(d.source, &setCall { totalEth: ether(1_030), stakes: vec![] }.abi_encode());
	let api = ExecutionApi::new(&d.anvil.url);
	let before = api.gateway_nonce(d.gateway, BlockId::Latest).expect("nonce");
	let key = EthereumKey::from_hex(KEEPER_KEY).expect("key");
	let keeper_account = key.address();
	let settings = keeper::Settings {
		interval: Duration::from_secs(3600),
		resend_after: Duration::from_secs(180),
		..keeper::Settings::default()
	};
	let mut keeper =
		Keeper::new(ExecutionApi::new(&d.anvil.url), key, d.gateway, settings).expect("keeper");
	let now = 1_800_000_000;
	// Fresh snapshots are not due; a missing or hour-old one is.
	let lrts = [ValuedLrt { token: d.token, snapshot_time: Some(now - 3_599) }];
	assert!(keeper::due(&lrts, now, Duration::from_secs(3600)).is_empty());
	let due = keeper::due(
		&[ValuedLrt { token: d.token, snapshot_time: None }],
		now,
		Duration::from_secs(3600),
	);
	assert_eq!(due, vec![d.token]);

	d.anvil.set_automine(false);
	let sent = keeper.round(&due, now).expect("round");
	let [(token, Outcome::Sent(first))] = sent.as_slice() else { panic!("sent one: {sent:?}") };
	assert_eq!(*token, d.token);
	// Still pending: nothing more is sent for the LRT.
	let again = keeper.round(&due, now + 10).expect("round");
	assert_eq!(again, vec![(d.token, Outcome::StillPending(10))]);
	// Stuck past `resend_after`: replaced with the same nonce at higher fees.
	let first_fees = keeper.pending()[&d.token].fees;
	let replaced = keeper.round(&due, now + 200).expect("round");
	let [(_, Outcome::Replaced(second))] = replaced.as_slice() else {
		panic!("replaced: {replaced:?}")
	};
	assert_ne!(second, first);
	let pending = keeper.pending()[&d.token].clone();
	assert_eq!(pending.nonce, 0, "the keeper account's first transaction, replaced in place");
	assert!(pending.fees.0 > first_fees.0 && pending.fees.1 > first_fees.1);

	d.anvil.mine();
	let settled = keeper.round(&[], now + 210).expect("round");
	let [(_, Outcome::Included { hash, success: true, .. })] = settled.as_slice() else {
		let tx = d.anvil.rpc("eth_getTransactionByHash", json!([second.to_string()]));
		let receipt = d.anvil.rpc("eth_getTransactionReceipt", json!([second.to_string()]));
		panic!("included: {settled:?}\n{tx}\n{receipt}")
	};
	assert_eq!(hash, second);
	assert!(keeper.pending().is_empty());
	// One report reached Ethereum, sent by the keeper's own account (reportBacking is EOA-only).
	assert_eq!(api.gateway_nonce(d.gateway, BlockId::Latest).expect("nonce"), before + 1);
	let tx = d.anvil.rpc("eth_getTransactionByHash", json!([second.to_string()]));
	assert_eq!(tx["from"].as_str().and_then(|a| a.parse::<Address>().ok()), Some(keeper_account));
	assert!(d.anvil.rpc("eth_getTransactionReceipt", json!([first.to_string()])).is_null());
	// Included: not reported again until Ballast's snapshot can have caught up (an interval).
	assert_eq!(keeper.round(&due, now + 220).expect("round"), vec![]);
	let again = keeper.round(&due, now + 210 + 3600).expect("round");
	let [(_, Outcome::Sent(third))] = again.as_slice() else { panic!("sent again: {again:?}") };
	// Another transaction of the key takes the pending report's nonce (sent elsewhere, at a
	// higher fee): the keeper sees the nonce spent and stops waiting for its report.
	let nonce = keeper.pending()[&d.token].nonce;
	d.anvil.rpc("anvil_impersonateAccount", json!([keeper_account.to_string()]));
	d.anvil.rpc(
		"eth_sendTransaction",
		json!([{
			"from": keeper_account.to_string(),
			"to": keeper_account.to_string(),
			"nonce": format!("{nonce:#x}"),
			"maxFeePerGas": "0x174876e800",
			"maxPriorityFeePerGas": "0x174876e800",
		}]),
	);
	d.anvil.mine();
	assert!(d.anvil.rpc("eth_getTransactionReceipt", json!([third.to_string()])).is_null());
	let spent = keeper.round(&[], now + 3_900).expect("round");
	assert_eq!(spent, vec![(d.token, Outcome::Consumed { nonce })]);
	assert!(keeper.pending().is_empty());
}

#[test]
fn the_keeper_sends_nothing_above_its_fee_cap() {
	let d = deploy();
	let settings = keeper::Settings { max_fee_per_gas: 1_000, ..keeper::Settings::default() };
	let key = EthereumKey::from_hex(KEEPER_KEY).expect("key");
	let mut keeper =
		Keeper::new(ExecutionApi::new(&d.anvil.url), key, d.gateway, settings).expect("keeper");
	let api = ExecutionApi::new(&d.anvil.url);
	let before = api.gateway_nonce(d.gateway, BlockId::Latest).expect("nonce");
	let refused = keeper.round(&[d.token], 1_800_000_000).expect("round");
	assert!(
		matches!(refused.as_slice(), [(_, Outcome::Failed(error))] if error.contains("above the cap")),
		"{refused:?}"
	);
	assert!(keeper.pending().is_empty());
	d.anvil.mine();
	assert_eq!(api.gateway_nonce(d.gateway, BlockId::Latest).expect("nonce"), before);
}

/// `ballast-relayer report-backing --once` against a real dev node and anvil: it reads which
/// LRTs Ballast values through the gateway (registered LRT 1000 with parameters set, no
/// snapshot yet) and reports exactly those on Ethereum from the key in its key file.
#[tokio::test(flavor = "multi_thread")]
async fn report_backing_reports_what_ballast_values_through_its_gateway() {
	let d = deploy();
	d.anvil.transact(d.source, &setCall { totalEth: ether(1_030), stakes: vec![] }.abi_encode());
	let node = common::Node::start(&common::scratch_dir("keeper"));
	let alice = Ballast::connect(&node.url, Some(chain::keypair("//Alice").expect("dev key")))
		.await
		.expect("node answers");
	let sudo = |call: Vec<u8>| {
		let alice = &alice;
		async move {
			let sudo = alice.sudo_call_data(&call).await.expect("encodes");
			alice.submit("governance", &sudo).await.expect("included");
		}
	};
	let register = alice
		.call_data(
			"LrtBridge",
			"register_lrt",
			&(1000u32, d.token.0 .0, d.gateway.0 .0, u128::MAX, 10u32),
		)
		.await
		.expect("encodes");
	sudo(register).await;
	let keeper_dir = common::scratch_dir("keeper-key");
	let key_file = keeper_dir.join("eth.key");
	std::fs::write(&key_file, KEEPER_KEY).expect("key file");
	let run = || {
		common::relayer(&[
			"report-backing",
			"--execution-url",
			&d.anvil.url,
			"--gateway",
			&d.gateway.to_string(),
			"--eth-key-file",
			key_file.to_str().expect("utf-8 path"),
			"--ballast-url",
			&node.url,
			"--once",
		])
	};
	let api = ExecutionApi::new(&d.anvil.url);
	let before = api.gateway_nonce(d.gateway, BlockId::Latest).expect("nonce");
	// Registered but not valued: nothing is due.
	let (ok, stdout, stderr) = run();
	assert!(ok, "{stderr}");
	assert_eq!(stdout.trim(), "[]", "{stderr}");
	let params = BackingParams::for_tests();
	let set_params =
		alice.call_data("LrtBacking", "set_params", &(1000u32, params)).await.expect("encodes");
	sudo(set_params).await;
	let (ok, stdout, stderr) = run();
	assert!(ok, "{stderr}");
	let outcomes: Value = serde_json::from_str(stdout.trim()).expect("JSON");
	assert_eq!(outcomes.as_array().map(Vec::len), Some(1), "{outcomes}");
	assert_eq!(
		outcomes[0]["token"].as_str().and_then(|t| t.parse::<Address>().ok()),
		Some(d.token)
	);
	assert!(outcomes[0]["outcome"].as_str().is_some_and(|o| o.starts_with("Sent")), "{outcomes}");
	// Anvil automines: the report is on Ethereum, from the keeper's key.
	let deadline = std::time::Instant::now() + Duration::from_secs(10);
	while api.gateway_nonce(d.gateway, BlockId::Latest).expect("nonce") == before {
		assert!(std::time::Instant::now() < deadline, "no report on anvil");
		std::thread::sleep(Duration::from_millis(50));
	}
	assert_eq!(api.gateway_nonce(d.gateway, BlockId::Latest).expect("nonce"), before + 1);
	let head = api.block_number().expect("head");
	let reports = find_events(&api, d.gateway, &[before + 1], 0, head).expect("found");
	assert!(matches!(reports.events[0].event, GatewayEvent::BackingReport(_)));
	let tx = d.anvil.rpc(
		"eth_getTransactionByHash",
		json!([reports.events[0].proof.transaction_hash.to_string()]),
	);
	let keeper_account = EthereumKey::from_hex(KEEPER_KEY).expect("key").address();
	assert_eq!(tx["from"].as_str().and_then(|a| a.parse::<Address>().ok()), Some(keeper_account));
	// A key given as a flag value is not an option: an unknown argument.
	let (ok, _, stderr) = common::relayer(&["report-backing", "--eth-key", KEEPER_KEY]);
	assert!(!ok && stderr.contains("--eth-key"), "{stderr}");
}
