//! BallastGateway's own code, run in revm: its events decode into Ballast's types, the receipts
//! that carry them prove into the block's receipts trie, the execution header proves into the
//! beacon block body, and the checkpoint of that beacon block verifies, each with the verifier
//! code the runtime runs (Snowbridge's and Ballast's).

use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolCall, SolConstructor, SolEvent};
use ballast_ethereum_harness::calls::*;
use ballast_ethereum_harness::finality::{BeefyClientParams, Finality};
use ballast_ethereum_harness::{beacon::to_log, evm::ether, BeaconBlock, Ethereum, SYNTHETIC_SLOT};
use ballast_ethereum_proofs::fork::ForkSchedule;
use ballast_ethereum_prover::{execution::EXECUTION_PAYLOAD_FIELD, light_client};
use ballast_gateway::{abi, BackingReport, DecodeError, Deposit, OperatorSlashing};
use snowbridge_beacon_primitives::verify_merkle_branch;
use snowbridge_verification_primitives::receipt::verify_receipt_proof;

const OWNER: Address = Address::repeat_byte(0x01);
const RELAYER: Address = Address::repeat_byte(0x02);
const USER: Address = Address::repeat_byte(0x03);
const RECIPIENT: [u8; 32] = [0xaa; 32];

struct Deployed {
	eth: Ethereum,
	gateway: Address,
	lrt: Address,
	source: Address,
	finality: Finality,
}

fn deploy() -> Deployed {
	let mut eth = Ethereum::new();
	use alloy_sol_types::SolValue;
	let lrt = eth.deploy(OWNER, "MockLrt", &("ezETH".to_string(),).abi_encode_params());
	let source = eth.deploy(OWNER, "MockBackingSource", &(lrt,).abi_encode_params());
	let mut finality = Finality::deploy(&mut eth, OWNER, 4, BeefyClientParams::default());
	let gateway = eth.deploy(
		OWNER,
		"BallastGateway",
		&constructorCall { owner: OWNER, beefyClient: finality.client.address }.abi_encode(),
	);
	finality.ballast.set_gateway(gateway);
	let configured = eth.call(
		OWNER,
		gateway,
		configureLrtCall { lrt, backingSource: source, depositsOpen: false }.abi_encode(),
	);
	assert!(configured.success);
	ballast_ethereum_harness::scenarios::open_deposits(&mut eth, gateway, lrt);
	assert!(eth.call(OWNER, lrt, mintCall { to: USER, amount: ether(100) }.abi_encode()).success);
	assert!(
		eth.call(USER, lrt, approveCall { spender: gateway, amount: U256::MAX }.abi_encode())
			.success
	);
	Deployed { eth, gateway, lrt, source, finality }
}

#[test]
fn deposits_and_backing_reports_are_proven_from_the_contracts_own_receipts() {
	let Deployed { mut eth, gateway, lrt, source, .. } = deploy();
	let stakes = vec![
		OperatorStake {
			operator: Address::repeat_byte(0x0a),
			strategy: Address::repeat_byte(0xbe),
			shares: ether(60),
		},
		OperatorStake {
			operator: Address::repeat_byte(0x0b),
			strategy: Address::repeat_byte(0xbe),
			shares: ether(40),
		},
	];
	assert!(eth.call(OWNER, source, setCall { totalEth: ether(103), stakes }.abi_encode()).success);

	let deposit = eth.call(
		USER,
		gateway,
		depositCall { lrt, amount: ether(10), recipient: RECIPIENT.into() }.abi_encode(),
	);
	assert!(deposit.success, "{:?}", deposit.output);
	let report = eth.call(USER, gateway, reportBackingCall { lrt }.abi_encode());
	assert!(report.success);
	// An unknown LRT reverts (and still leaves a failed receipt in the block).
	let refused = eth.call(
		USER,
		gateway,
		depositCall { lrt: Address::repeat_byte(9), amount: ether(1), recipient: RECIPIENT.into() }
			.abi_encode(),
	);
	assert!(!refused.success && refused.logs.is_empty());

	// The gateway's events decode into Ballast's types.
	let deposited = deposit.logs.iter().find(|log| log.address == gateway).expect("Deposited");
	let decoded =
		Deposit::from_log(&to_log(deposited, deposit.tx_index)).expect("a Deposited event");
	assert_eq!(decoded.token.0, lrt.0 .0);
	assert_eq!(decoded.sender.0, USER.0 .0);
	assert_eq!(decoded.recipient, RECIPIENT);
	assert_eq!(decoded.amount, 10 * 10u128.pow(18));
	assert_eq!(decoded.nonce, 1);
	let reported =
		BackingReport::from_log(&to_log(&report.logs[0], report.tx_index)).expect("report");
	assert_eq!(reported.total_eth, 103 * 10u128.pow(18));
	assert_eq!(reported.total_supply, 100 * 10u128.pow(18));
	assert_eq!(reported.stakes.len(), 2);
	assert_eq!(reported.stakes[1].shares, 40 * 10u128.pow(18));
	assert_eq!(reported.nonce, 2);
	// The ERC-20 Transfer in the same receipt is not a deposit.
	let transfer = deposit.logs.iter().find(|log| log.address == lrt).expect("Transfer");
	assert_eq!(
		Deposit::from_log(&to_log(transfer, deposit.tx_index)),
		Err(DecodeError::WrongEvent)
	);

	// Seal, wrap in a beacon block, and verify each link as the runtime will.
	let block = eth.seal();
	let beacon = BeaconBlock::new(SYNTHETIC_SLOT, &block);
	light_client::verify_checkpoint(&beacon.checkpoint, &ForkSchedule::sepolia())
		.expect("checkpoint");
	let proof = beacon.event_proof(deposited, deposit.tx_index);
	let execution = &proof.proof.execution_proof;
	assert!(verify_merkle_branch(
		execution.execution_header.hash_tree_root().expect("hashes"),
		&execution.execution_branch,
		EXECUTION_PAYLOAD_FIELD,
		4,
		beacon.header.body_root,
	));
	assert_eq!(execution.header.hash_tree_root().expect("hashes"), beacon.header.hash_tree_root());
	let receipts_root = execution.execution_header.receipts_root();
	let receipt = verify_receipt_proof(receipts_root, deposit.tx_index, &proof.proof.receipt_proof)
		.expect("the receipt proves into the block");
	assert!(receipt.status());
	assert_eq!(receipt.logs().len(), 2);
	// Another transaction's proof does not prove this index; a changed node breaks the proof.
	assert!(verify_receipt_proof(
		receipts_root,
		deposit.tx_index,
		&beacon.proof(report.tx_index).receipt_proof
	)
	.is_none_or(|receipt| !receipt.logs().iter().any(|l| l == deposited)));
	let mut forged = proof.proof.receipt_proof.clone();
	let last = forged.last_mut().expect("nodes");
	let at = last.len() - 3;
	last[at] ^= 1;
	assert!(verify_receipt_proof(receipts_root, deposit.tx_index, &forged).is_none());
	// The failed transaction's receipt is in the trie too, with status 0.
	let failed = verify_receipt_proof(
		receipts_root,
		refused.tx_index,
		&beacon.proof(refused.tx_index).receipt_proof,
	)
	.expect("failed receipts are proven too");
	assert!(!failed.status());
}

#[test]
fn releases_are_once_only_and_only_with_proofs() {
	let Deployed { mut eth, gateway, lrt, mut finality, .. } = deploy();
	assert!(
		eth.call(
			USER,
			gateway,
			depositCall { lrt, amount: ether(10), recipient: RECIPIENT.into() }.abi_encode()
		)
		.success
	);
	// Ballast burns two withdrawals, and BeefyClient accepts a signed MMR root above them.
	finality.burn(lrt, USER, ether(4), 7);
	finality.burn(lrt, USER, ether(11), 8);
	finality.finalize(&mut eth, RELAYER).expect("BeefyClient accepts the commitment");
	let proven = finality.release_call(7);
	// Without a proof of what Ballast burned, nothing is released.
	let mut unproven = proven.clone();
	unproven.withdrawal.amount = ether(5);
	assert!(eth
		.call(USER, gateway, unproven.abi_encode())
		.reverted_with::<InvalidWithdrawalProof>());
	let more_than_locked = eth.call(USER, gateway, finality.release_call(8).abi_encode());
	assert!(more_than_locked.reverted_with::<MoreThanLocked>(), "more than locked");
	// Anyone sends the proofs; the recipient is the one burned for.
	let released = eth.call(RELAYER, gateway, proven.abi_encode());
	assert!(released.success, "{:?}", released.output);
	let event = released.logs.iter().find(|log| log.address == gateway).expect("Released");
	let decoded = abi::Released::decode_log_data(&event.data).expect("Released");
	assert_eq!((decoded.withdrawalNonce, decoded.amount, decoded.recipient), (7, ether(4), USER));
	let twice = eth.call(USER, gateway, proven.abi_encode());
	assert!(twice.reverted_with::<AlreadyReleased>(), "released twice");
	let balance = eth.view(lrt, balanceOfCall { who: USER }.abi_encode());
	assert_eq!(U256::from_be_slice(&balance), ether(94));
}

#[test]
fn eigenlayer_slashing_events_decode() {
	let mut eth = Ethereum::new();
	let manager = eth.deploy(OWNER, "MockAllocationManager", &[]);
	let slashed = eth.call(
		OWNER,
		manager,
		slashOperatorCall {
			operator: Address::repeat_byte(0x0a),
			operatorSet: OperatorSet { avs: Address::repeat_byte(0xa5), id: 3 },
			strategies: vec![Address::repeat_byte(0xbe)],
			wadSlashed: vec![U256::from(10u64).pow(U256::from(17u64))],
			description: "double signing".into(),
		}
		.abi_encode(),
	);
	assert!(slashed.success);
	let decoded =
		OperatorSlashing::from_log(&to_log(&slashed.logs[0], 0)).expect("OperatorSlashed");
	assert_eq!(decoded.operator.0, [0x0a; 20]);
	assert_eq!((decoded.avs.0, decoded.operator_set_id), ([0xa5; 20], 3));
	assert_eq!(decoded.slashed, vec![(sp_core::H160::repeat_byte(0xbe), sp_core::U256::exp10(17))]);
	assert_eq!(decoded.description, "double signing");
}

/// The ABI declared for the runtime is the compiled contracts' ABI.
#[test]
fn the_runtime_abi_matches_the_compiled_contracts() {
	fn signature(artifact: &str, event: &str) -> String {
		let abi = ballast_ethereum_harness::evm::artifact(artifact)["abi"].clone();
		let entry = abi
			.as_array()
			.expect("abi")
			.iter()
			.find(|e| e["type"] == "event" && e["name"] == event)
			.unwrap_or_else(|| panic!("{artifact} has no event {event}"))
			.clone();
		fn kind(input: &serde_json::Value) -> String {
			let ty = input["type"].as_str().expect("type");
			if let Some(rest) = ty.strip_prefix("tuple") {
				let inner: Vec<String> =
					input["components"].as_array().expect("components").iter().map(kind).collect();
				format!("({}){rest}", inner.join(","))
			} else {
				ty.to_string()
			}
		}
		let inputs: Vec<String> =
			entry["inputs"].as_array().expect("inputs").iter().map(kind).collect();
		format!("{event}({})", inputs.join(","))
	}
	assert_eq!(signature("BallastGateway", "Deposited"), abi::Deposited::SIGNATURE);
	assert_eq!(signature("BallastGateway", "BackingReported"), abi::BackingReported::SIGNATURE);
	assert_eq!(signature("BallastGateway", "Released"), abi::Released::SIGNATURE);
	for (event, declared) in [
		("BackingSourceAnnounced", abi::BackingSourceAnnounced::SIGNATURE),
		("BackingSourceChangeCancelled", abi::BackingSourceChangeCancelled::SIGNATURE),
		("BackingSourceChanged", abi::BackingSourceChanged::SIGNATURE),
		("DepositRefunded", abi::DepositRefunded::SIGNATURE),
		("LrtConfigured", abi::LrtConfigured::SIGNATURE),
		("WethSet", abi::WethSet::SIGNATURE),
		("DepositLimitsSet", abi::DepositLimitsSet::SIGNATURE),
		("ReleaseLimitSet", abi::ReleaseLimitSet::SIGNATURE),
		("ReleasesPausedSet", abi::ReleasesPausedSet::SIGNATURE),
		("GuardianChanged", abi::GuardianChanged::SIGNATURE),
		("Skimmed", abi::Skimmed::SIGNATURE),
		// Declared in the harness (`calls`): nothing on Ballast decodes them.
		("BeefyClientAnnounced", BeefyClientAnnounced::SIGNATURE),
		("BeefyClientChangeCancelled", BeefyClientChangeCancelled::SIGNATURE),
		("BeefyClientChanged", BeefyClientChanged::SIGNATURE),
	] {
		assert_eq!(signature("BallastGateway", event), declared);
	}
	// Releases are proven: the gateway has no releaser any more.
	let events = ballast_ethereum_harness::evm::artifact("BallastGateway")["abi"].clone();
	assert!(!events
		.as_array()
		.expect("abi")
		.iter()
		.any(|e| e["name"] == "ReleaserChanged" || e["name"] == "setReleaser"));
	// The events Ballast decodes keep their signatures (and so their topics).
	assert_eq!(abi::Deposited::SIGNATURE, "Deposited(address,address,bytes32,uint256,uint64)");
	assert_eq!(
		abi::BackingReported::SIGNATURE,
		"BackingReported(address,uint256,uint256,(address,address,uint256)[],uint64)"
	);
	assert_eq!(abi::Released::SIGNATURE, "Released(address,address,uint256,uint64,uint64)");
	assert_eq!(
		signature("MockAllocationManager", "OperatorSlashed"),
		abi::OperatorSlashed::SIGNATURE
	);
	assert_eq!(
		abi::OperatorSlashed::SIGNATURE,
		"OperatorSlashed(address,(address,uint32),address[],uint256[],string)"
	);
}
