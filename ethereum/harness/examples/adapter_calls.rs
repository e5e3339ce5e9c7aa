//! Prints, as JSON, the call arguments that bring one real LRT onto a Ballast dev chain through
//! its real backing adapter: the gateway and the four protocols deployed exactly as
//! `scenarios::adapter_reports()` deploys them (so the same addresses and the same books), then in
//! one block the protocol's holder deposits `[amount]` of `<lrt>` (201 unless given) for
//! `<recipient>` and anyone reports that LRT's backing through its adapter (Renzo, Kelp,
//! ether.fi or Swell). The report is checked against `adapter_reports()`'s for the same LRT (the
//! deposit moves tokens into the gateway; it changes neither the protocol's ETH nor the supply).
//! Each proof is SCALE-encoded (hex) for polkadot.js; the block is its own light-client checkpoint
//! (`checkpoint`), like `bridge_calls`'s.
//!
//! `adapter_calls <ezETH|rsETH|weETH|rswETH> <recipient hex> [amount whole tokens]`

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use ballast_ethereum_harness::{
	calls::{approveCall, depositCall, reportBackingCall},
	evm::ether,
	protocols::{Lrt, HOLDER},
	scenarios::{self, USER},
	BeaconBlock, TxResult, SYNTHETIC_SLOT,
};
use codec::Encode;
use serde_json::json;

fn hex(bytes: impl AsRef<[u8]>) -> String {
	format!("0x{}", alloy_primitives::hex::encode(bytes))
}

fn main() {
	// A live dev chain's clock is today: its snapshots must be fresh, its events young.
	ballast_ethereum_harness::evm::start_clocks_at(ballast_ethereum_harness::evm::an_hour_ago());
	let mut args = std::env::args().skip(1);
	let usage = "usage: adapter_calls <ezETH|rsETH|weETH|rswETH> <recipient hex> [amount]";
	let name = args.next().expect(usage);
	let lrt = Lrt::ALL
		.into_iter()
		.find(|lrt| lrt.name() == name)
		.unwrap_or_else(|| panic!("unknown LRT {name}; {usage}"));
	let recipient: [u8; 32] = alloy_primitives::hex::decode(args.next().expect(usage))
		.ok()
		.and_then(|bytes| bytes.try_into().ok())
		.expect("the recipient is 32 bytes of hex");
	let amount = args.next().map_or(201, |arg| arg.parse().expect("the amount is a whole number"));

	// The deployment `scenarios::adapter_reports()` reports from: same addresses, same books.
	let (mut eth, gateway, deployed) = scenarios::adapters_deployed();
	let protocol = deployed.iter().find(|p| p.lrt == lrt).expect("all four are deployed");
	// The holder minted its tokens through the protocol's own deposit path.
	assert_eq!(HOLDER, USER, "the holder is the harness's user");
	let approve = approveCall { spender: gateway, amount: U256::MAX };
	assert!(eth.call(HOLDER, protocol.token, approve.abi_encode()).success, "approve");
	eth.seal();

	let deposit = eth.call(
		HOLDER,
		gateway,
		depositCall { lrt: protocol.token, amount: ether(amount), recipient: recipient.into() }
			.abi_encode(),
	);
	assert!(deposit.success, "the deposit reverted: {:?}", deposit.output);
	let report = eth.call(USER, gateway, reportBackingCall { lrt: protocol.token }.abi_encode());
	assert!(report.success, "the report reverted: {:?}", report.output);
	let block = eth.seal();
	let beacon = BeaconBlock::new(SYNTHETIC_SLOT, &block);
	let of = |result: &TxResult, emitter: Address| {
		let log = result.logs.iter().find(|log| log.address == emitter).expect("event");
		(beacon.event_proof(log, result.tx_index), log.clone(), result.tx_index)
	};
	let (deposit, _, _) = of(&deposit, gateway);
	let (report, report_log, report_tx) = of(&report, gateway);

	// The same LRT, gateway and backing as `adapter_reports()` reports.
	let reference = scenarios::adapter_reports()
		.into_iter()
		.find(|r| r.name == lrt.name())
		.expect("adapter_reports() values all four");
	let reported = ballast_gateway::BackingReport::from_log(
		&ballast_ethereum_harness::beacon::to_log(&report_log, report_tx),
	)
	.expect("a BackingReported event");
	assert_eq!(reference.token.0, protocol.token.0 .0, "the token's address");
	assert_eq!(reference.gateway.0, gateway.0 .0, "the gateway's address");
	assert_eq!(reported.total_eth, reference.total_eth, "the backing reported");
	assert_eq!(reported.total_supply, reference.total_supply, "the supply reported");

	let out = json!({
		"name": lrt.name(),
		"checkpoint": hex(beacon.checkpoint.encode()),
		"token": hex(protocol.token),
		"gateway": hex(gateway),
		"adapter": hex(protocol.adapter),
		"deposit": hex(deposit.encode()),
		"report": hex(report.encode()),
		"totalEth": reference.total_eth.to_string(),
		"totalSupply": reference.total_supply.to_string(),
		"protocolRate": reference.protocol_rate.to_string(),
	});
	println!("{out}");
}
