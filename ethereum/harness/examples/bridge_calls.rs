//! Prints, as JSON, the call arguments of an end-to-end bridge and valuation story for a Ballast
//! dev chain: the light-client checkpoint of a block in which BallastGateway (run in revm) takes a
//! deposit of `[amount]` LRT (10 unless given) for `<recipient>` and reports 1,030 ETH backing 1,000 LRT, and EigenLayer's
//! AllocationManager slashes the LRT's larger operator by 10%. Each argument is SCALE-encoded
//! (hex) for polkadot.js.
//!
//! `bridge_calls <recipient account id, 32-byte hex> [amount in whole LRT]`

use codec::Encode;
use serde_json::json;

fn hex(bytes: impl AsRef<[u8]>) -> String {
	format!("0x{}", alloy_primitives::hex::encode(bytes))
}

fn main() {
	let recipient = std::env::args().nth(1).expect("usage: bridge_calls <recipient hex>");
	let recipient: [u8; 32] = alloy_primitives::hex::decode(&recipient)
		.ok()
		.and_then(|bytes| bytes.try_into().ok())
		.expect("the recipient is 32 bytes of hex");
	let amount = match std::env::args().nth(2) {
		Some(amount) => amount.parse().expect("the amount is a whole number of LRT"),
		None => 10,
	};
	let story = ballast_ethereum_harness::scenarios::story(recipient, amount, 1_030);
	println!(
		"{}",
		json!({
			"checkpoint": hex(story.beacon.checkpoint.encode()),
			"token": hex(story.token),
			"gateway": hex(story.gateway),
			"allocationManager": hex(story.allocation_manager),
			"deposit": hex(story.deposit.encode()),
			"report": hex(story.report.encode()),
			"slashing": hex(story.slashing.encode()),
		})
	);
}
