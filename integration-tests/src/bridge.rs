//! The LRT bridge in the real runtime, verified by Snowbridge's light client: BallastGateway run
//! in an EVM → its receipt → receipts-trie proof → execution header → beacon block body →
//! checkpointed beacon header → `Verifier::verify` → mint. Then a withdrawal is burned and
//! committed in the block's digest, provable through the runtime API.

use super::ext_from_preset;
use ballast_ethereum_harness::scenarios::{deposit_and_report, DepositAndReport};
use ballast_gateway::{BackingReport, Deposit};
use ballast_runtime::{
	EthereumBeaconClient, LrtBridge, Runtime, RuntimeCall, RuntimeOrigin, System,
};
use codec::Encode;
use frame_support::{assert_noop, assert_ok, dispatch::Pays, traits::Hooks};
use pallet_lrt_bridge::{BridgeTotals, Error, WITHDRAWALS_DIGEST_PREFIX};
use sp_core::H160;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::Keccak256, DigestItem};

const LRT: u32 = 1_000;
const UNIT: u128 = 1_000_000_000_000_000_000;

fn alice_bytes() -> [u8; 32] {
	Sr25519Keyring::Alice.to_account_id().into()
}

/// The light client holds the scenario's block and its LRT is registered (asset 1000).
pub(super) fn installed(scenario: &DepositAndReport) {
	install_lrt(&scenario.beacon, scenario.token, scenario.gateway);
}

/// The light client holds `beacon`'s block, and the gateway's LRT is registered as asset `LRT`.
pub(super) fn install_lrt(
	beacon: &ballast_ethereum_harness::beacon::BeaconBlock,
	token: sp_core::H160,
	gateway: sp_core::H160,
) {
	assert_ok!(EthereumBeaconClient::force_checkpoint(
		RuntimeOrigin::root(),
		Box::new(beacon.checkpoint.clone())
	));
	assert_ok!(LrtBridge::register_lrt(
		RuntimeOrigin::root(),
		LRT,
		token,
		gateway,
		1_000 * UNIT,
		100
	));
}

fn submit(
	proof: &snowbridge_verification_primitives::EventProof,
) -> frame_support::dispatch::DispatchResultWithPostInfo {
	RuntimeCall::LrtBridge(pallet_lrt_bridge::Call::submit_deposit {
		event: Box::new(proof.clone()),
	})
	.dispatch(RuntimeOrigin::signed(Sr25519Keyring::Bob.to_account_id()))
}

use sp_runtime::traits::Dispatchable;

#[test]
fn a_gateway_deposit_is_verified_by_the_light_client_and_minted() {
	let scenario = deposit_and_report(alice_bytes(), 10, 1_030);
	ext_from_preset(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		// Before the light client holds the block, nothing verifies.
		assert_ok!(LrtBridge::register_lrt(
			RuntimeOrigin::root(),
			LRT,
			scenario.token,
			scenario.gateway,
			1_000 * UNIT,
			100
		));
		assert_noop!(submit(&scenario.deposit), Error::<Runtime>::InvalidProof);
		assert_ok!(EthereumBeaconClient::force_checkpoint(
			RuntimeOrigin::root(),
			Box::new(scenario.beacon.checkpoint.clone())
		));

		let result = submit(&scenario.deposit).expect("verified and minted");
		assert_eq!(result.pays_fee, Pays::No);
		let alice = Sr25519Keyring::Alice.to_account_id();
		assert_eq!(ballast_runtime::Assets::balance(LRT, &alice), 10 * UNIT);
		assert_eq!(
			pallet_lrt_bridge::Totals::<Runtime>::get(LRT),
			BridgeTotals { deposited: 10 * UNIT, withdrawn: 0 }
		);
		let deposit = Deposit::from_log(&scenario.deposit.event_log).expect("a deposit");
		assert_eq!(deposit.recipient, alice_bytes());

		// The same block's backing report is a valid, proven log too, but not a deposit.
		assert_noop!(submit(&scenario.report), Error::<Runtime>::NotADeposit);
		let report = BackingReport::from_log(&scenario.report.event_log).expect("a report");
		assert_eq!(report.total_eth, 1_030 * UNIT);
		assert_ok!(<EthereumBeaconClient as snowbridge_verification_primitives::Verifier>::verify(
			&scenario.report.event_log,
			&scenario.report.proof
		));

		// Replays, forgeries and wrong emitters change nothing.
		assert_noop!(submit(&scenario.deposit), Error::<Runtime>::NonceAlreadyUsed);
		let mut forged = scenario.deposit.clone();
		forged.event_log.data[3 * 32 + 30] ^= 1;
		forged.event_log.data[4 * 32 + 31] ^= 0x40; // a fresh nonce, too
		assert_noop!(submit(&forged), Error::<Runtime>::InvalidProof);
		let mut foreign = scenario.deposit.clone();
		foreign.event_log.address = H160::repeat_byte(0x99);
		assert_noop!(submit(&foreign), Error::<Runtime>::WrongGateway);
		let mut wrong_branch = scenario.deposit.clone();
		wrong_branch.event_log.data[4 * 32 + 31] ^= 0x40;
		wrong_branch.proof.execution_proof.execution_branch[1].0[0] ^= 1;
		assert_noop!(submit(&wrong_branch), Error::<Runtime>::InvalidProof);
		assert_eq!(LrtBridge::supply(LRT), 10 * UNIT);
	});
}

#[test]
fn withdrawals_are_committed_in_the_header_digest() {
	let scenario = deposit_and_report(alice_bytes(), 10, 1_030);
	ext_from_preset(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		installed(&scenario);
		assert_ok!(submit(&scenario.deposit));
		let alice = Sr25519Keyring::Alice.to_account_id();
		let recipient = H160::repeat_byte(0xee);
		assert_ok!(LrtBridge::withdraw(
			RuntimeOrigin::signed(alice.clone()),
			LRT,
			4 * UNIT,
			recipient
		));
		assert_ok!(LrtBridge::withdraw(RuntimeOrigin::signed(alice), LRT, UNIT, recipient));
		LrtBridge::on_finalize(1);
		let (root, _) = pallet_lrt_bridge::Commitments::<Runtime>::get(1).expect("committed");
		let mut item = WITHDRAWALS_DIGEST_PREFIX.to_vec();
		item.extend_from_slice(root.as_bytes());
		assert!(System::digest().logs.contains(&DigestItem::Other(item)));
		let proof = LrtBridge::withdrawal_proof(1).expect("committed");
		assert_eq!(proof.leaf_count, 2);
		assert_eq!(
			proof.message,
			ballast_gateway::withdrawal_message(
				scenario.gateway,
				scenario.token,
				recipient,
				UNIT,
				1
			)
		);
		assert!(binary_merkle_tree::verify_proof::<Keccak256, _, _>(
			&proof.root,
			proof.proof.clone(),
			proof.leaf_count,
			proof.leaf_index,
			&proof.message,
		));
		assert_eq!(LrtBridge::supply(LRT), 5 * UNIT);
	});
}

/// The benchmarks' recorded story is exactly what the harness builds (regenerate with
/// `BALLAST_WRITE_FIXTURES=1 cargo test --release -p ballast-integration-tests recorded`).
#[test]
fn the_recorded_benchmark_story_is_the_harness_output() {
	let story = ballast_ethereum_harness::scenarios::story([0x11; 32], 10, 1_030);
	let encoded = (
		story.beacon.checkpoint.clone(),
		story.deposit.clone(),
		story.report.clone(),
		story.slashing.clone(),
		story.gateway,
		story.token,
		story.allocation_manager,
	)
		.encode();
	let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../runtime/fixtures/bridge_story.scale");
	if std::env::var_os("BALLAST_WRITE_FIXTURES").is_some() {
		std::fs::write(path, &encoded).expect("fixture written");
	}
	let recorded = std::fs::read(path).expect("fixture recorded");
	assert!(recorded == encoded, "{path} is stale: regenerate it");
	// And the runtime accepts its deposit.
	ext_from_preset(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		install_lrt(&story.beacon, story.token, story.gateway);
		assert_ok!(submit(&story.deposit));
	});
}
