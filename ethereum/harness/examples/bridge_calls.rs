//! Prints, as JSON, the call arguments of an end-to-end bridge and valuation story for a Ballast
//! dev chain: the light-client checkpoint of a block in which BallastGateway (run in revm) takes a
//! deposit of `[amount]` LRT (10 unless given) for `<recipient>` and reports 1,030 ETH backing
//! 1,000 LRT, and EigenLayer's AllocationManager slashes the LRT's larger operator by 10%. Each
//! argument is SCALE-encoded (hex) for polkadot.js.
//!
//! With `<eth_recipient>` the same block also holds a `depositEth` of `[eth_amount]` whole ETH
//! (1 unless given) for it, and the JSON gains `weth` (the WETH token the gateway wraps ETH
//! into: Ballast mints bridged ETH for it) and `ethDeposit` (that `Deposited` event's proof).
//!
//! `bridge_calls <recipient hex> [amount] [eth_recipient hex] [eth_amount whole ETH]`

use codec::Encode;
use serde_json::json;

fn hex(bytes: impl AsRef<[u8]>) -> String {
	format!("0x{}", alloy_primitives::hex::encode(bytes))
}

fn account(arg: &str, what: &str) -> [u8; 32] {
	alloy_primitives::hex::decode(arg)
		.ok()
		.and_then(|bytes| bytes.try_into().ok())
		.unwrap_or_else(|| panic!("the {what} is 32 bytes of hex"))
}

fn whole(arg: Option<String>, default: u64, what: &str) -> u64 {
	arg.map_or(default, |arg| {
		arg.parse().unwrap_or_else(|_| panic!("the {what} is a whole number"))
	})
}

fn main() {
	// A live dev chain's clock is today: its snapshots must be fresh, its events young.
	ballast_ethereum_harness::evm::start_clocks_at(ballast_ethereum_harness::evm::an_hour_ago());
	let mut args = std::env::args().skip(1);
	let usage = "usage: bridge_calls <recipient hex> [amount] [eth_recipient hex] [eth_amount]";
	let recipient = account(&args.next().expect(usage), "recipient");
	let amount = whole(args.next(), 10, "amount of LRT");
	let eth_recipient = args.next().map(|arg| account(&arg, "ETH recipient"));
	let eth_amount = whole(args.next(), 1, "amount of ETH");
	let (story, leg) = match eth_recipient {
		Some(eth_recipient) => {
			let (story, leg) = ballast_ethereum_harness::scenarios::story_with_eth(
				recipient,
				amount,
				1_030,
				eth_recipient,
				eth_amount,
			);
			(story, Some(leg))
		},
		None => (ballast_ethereum_harness::scenarios::story(recipient, amount, 1_030), None),
	};
	let mut out = json!({
		"checkpoint": hex(story.beacon.checkpoint.encode()),
		"token": hex(story.token),
		"gateway": hex(story.gateway),
		"allocationManager": hex(story.allocation_manager),
		"deposit": hex(story.deposit.encode()),
		"report": hex(story.report.encode()),
		"slashing": hex(story.slashing.encode()),
	});
	if let Some(leg) = leg {
		out["weth"] = json!(hex(leg.weth));
		out["ethDeposit"] = json!(hex(leg.eth_deposit.encode()));
	}
	println!("{out}");
}
