//! The ETH leg: native ETH is wrapped into WETH and deposited as WETH, WETH deposits are
//! ordinary token deposits, both emit the `Deposited` event Ballast decodes (token = WETH), and
//! releases pay WETH. The gateway never holds native ETH.

mod support;

use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolCall, SolConstructor};
use ballast_ethereum_harness::calls::*;
use ballast_ethereum_harness::{beacon::to_log, evm::ether, Ethereum};
use ballast_gateway::{abi, Deposit};
use snowbridge_verification_primitives::receipt::verify_receipt_proof;
use support::*;

fn deposit_eth(
	bridge: &mut Bridge,
	from: Address,
	value: U256,
) -> ballast_ethereum_harness::TxResult {
	let call = depositEthCall { recipient: RECIPIENT.into() };
	bridge.eth.call_with_value(from, bridge.gateway, value, call.abi_encode())
}

#[test]
fn native_eth_is_wrapped_and_deposited_as_weth() {
	let mut bridge = Bridge::new();
	let (gateway, weth) = (bridge.gateway, bridge.weth);
	let before = bridge.eth.balance(USER);
	let deposit = deposit_eth(&mut bridge, USER, ether(5));
	assert!(deposit.success, "{:?}", deposit.output);
	let log = deposit.logs.iter().find(|log| log.address == gateway).expect("Deposited");
	let decoded = Deposit::from_log(&to_log(log, deposit.tx_index)).expect("Ballast decodes it");
	assert_eq!(decoded.token.0, weth.0 .0, "minted as bridged ETH for the WETH token");
	assert_eq!((decoded.sender.0, decoded.recipient), (USER.0 .0, RECIPIENT));
	assert_eq!(decoded.amount, 5 * 10u128.pow(18));
	assert_eq!(bridge.eth.balance(USER), before - ether(5));
	assert_eq!(bridge.eth.balance(gateway), U256::ZERO, "no native ETH stays in the gateway");
	assert_eq!(bridge.balance_of(weth, gateway), ether(5));
	assert_eq!(bridge.locked(weth), ether(5));
}

#[test]
fn weth_deposits_are_the_same_event() {
	let mut bridge = Bridge::new();
	let (gateway, weth) = (bridge.gateway, bridge.weth);
	let eth_deposit = deposit_eth(&mut bridge, USER, ether(1));
	let weth_deposit = bridge.deposit(weth, ether(2));
	assert!(weth_deposit.success);
	let a = emitted::<abi::Deposited>(&eth_deposit, gateway);
	let b = emitted::<abi::Deposited>(&weth_deposit, gateway);
	assert_eq!((a.lrt, b.lrt), (weth, weth));
	assert_eq!((a.amount, b.amount), (ether(1), ether(2)));
	assert_eq!(b.nonce, a.nonce + 1);
	assert_eq!(bridge.locked(weth), ether(3));
	assert_eq!(bridge.balance_of(weth, gateway), ether(3));
}

#[test]
fn weth_releases_pay_weth_not_native_eth() {
	let mut bridge = Bridge::new();
	let (gateway, weth) = (bridge.gateway, bridge.weth);
	assert!(deposit_eth(&mut bridge, USER, ether(7)).success);
	let recipient = Address::repeat_byte(0x42);
	let released = bridge.release(weth, recipient, ether(3), 1);
	assert!(released.success, "{:?}", released.output);
	assert_eq!(emitted::<abi::Released>(&released, gateway).amount, ether(3));
	assert_eq!(bridge.balance_of(weth, recipient), ether(3));
	assert_eq!(bridge.eth.balance(recipient), U256::ZERO);
	assert_eq!(bridge.locked(weth), ether(4));
	assert_eq!(bridge.eth.balance(gateway), U256::ZERO);
	// A contract that refuses ETH still receives a release (WETH is a token transfer).
	let contract = bridge.lrt;
	assert!(bridge.release(weth, contract, ether(1), 2).success);
}

#[test]
fn deposit_eth_needs_weth_a_value_and_open_deposits() {
	let mut eth = Ethereum::new();
	let gateway = eth.deploy(
		OWNER,
		"BallastGateway",
		&constructorCall {
			owner: OWNER,
			beefyClient: ballast_ethereum_harness::scenarios::BEEFY_CLIENT,
		}
		.abi_encode(),
	);
	eth.fund(USER, ether(10));
	let call = depositEthCall { recipient: RECIPIENT.into() }.abi_encode();
	assert!(eth
		.call_with_value(USER, gateway, ether(1), call.clone())
		.reverted_with::<WethNotSet>());
	let mut bridge = Bridge::new();
	assert!(deposit_eth(&mut bridge, USER, U256::ZERO).reverted_with::<ZeroAmount>());
	let zero_recipient = depositEthCall { recipient: [0u8; 32].into() }.abi_encode();
	let gateway = bridge.gateway;
	assert!(bridge
		.eth
		.call_with_value(USER, gateway, ether(1), zero_recipient)
		.reverted_with::<ZeroRecipient>());
	let weth = bridge.weth;
	assert!(bridge.call(OWNER, setDepositsOpenCall { token: weth, open: false }).success);
	assert!(deposit_eth(&mut bridge, USER, ether(1)).reverted_with::<DepositsClosed>());
	assert!(bridge.deposit(weth, ether(1)).reverted_with::<DepositsClosed>());
	// WETH has no backing to report.
	assert!(bridge.call(USER, reportBackingCall { lrt: weth }).reverted_with::<UnknownLrt>());
}

#[test]
fn plain_eth_sent_to_the_gateway_is_refused() {
	let mut bridge = Bridge::new();
	let gateway = bridge.gateway;
	let sent = bridge.eth.call_with_value(USER, gateway, ether(1), Vec::new());
	assert!(!sent.success);
	let unknown = bridge.eth.call_with_value(USER, gateway, ether(1), vec![0xde, 0xad, 0xbe, 0xef]);
	assert!(!unknown.success);
	assert_eq!(bridge.eth.balance(gateway), U256::ZERO);
}

#[test]
fn an_eth_deposit_proves_into_the_story_block() {
	let (story, leg) =
		ballast_ethereum_harness::scenarios::story_with_eth([0x11; 32], 10, 1_030, [0x22; 32], 3);
	let plain = ballast_ethereum_harness::scenarios::story([0x11; 32], 10, 1_030);
	assert_eq!((story.gateway, story.token), (plain.gateway, plain.token), "the same contracts");
	assert_eq!(story.deposit.event_log, plain.deposit.event_log, "the same story events");
	let decoded = Deposit::from_log(&leg.eth_deposit.event_log).expect("a Deposited event");
	assert_eq!(decoded.token, leg.weth);
	assert_eq!((decoded.recipient, decoded.amount), ([0x22; 32], 3 * 10u128.pow(18)));
	assert_eq!(leg.eth_deposit.event_log.address, story.gateway);
	// Its receipt proves into the same block as the story's deposit.
	let header = &leg.eth_deposit.proof.execution_proof.execution_header;
	assert_eq!(
		header.block_hash(),
		story.deposit.proof.execution_proof.execution_header.block_hash()
	);
	let receipt = verify_receipt_proof(
		header.receipts_root(),
		leg.eth_deposit.event_log.tx_index,
		&leg.eth_deposit.proof.receipt_proof,
	)
	.expect("the receipt proves");
	assert!(receipt
		.logs()
		.iter()
		.any(|log| log.data.data.as_ref() == leg.eth_deposit.event_log.data.as_slice()));
}
