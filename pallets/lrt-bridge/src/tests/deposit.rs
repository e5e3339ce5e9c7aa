//! Deposits proven from the gateway's own receipts: minted once, forgeries refused, paused,
//! frozen and rate-limited LRTs minting nothing. (What deposits pay: `fees.rs`; the rate limit's
//! bucket: `rate_limit.rs`.)

use super::{balance, register, submit};
use crate::{
	mock::{ethereum::*, *},
	*,
};
use alloy_sol_types::SolCall;
use ballast_ethereum_harness::calls::depositCall;
use ballast_ethereum_harness::{evm::ether, BeaconBlock, SYNTHETIC_SLOT};
use frame_support::{assert_noop, assert_ok, dispatch::Pays};
use sp_core::{H160, H256};

#[test]
fn a_proven_deposit_mints_once() {
	ExtBuilder::default().build_and_execute(|| {
		let mut gateway = Gateway::new();
		register(&gateway, 100 * UNIT, 10);
		let proof = gateway.deposit(10, ALICE);
		let result = submit(proof.clone()).expect("minted");
		assert_eq!(result.pays_fee, Pays::No);
		assert_eq!(balance(ALICE), 10 * UNIT);
		assert_eq!(Totals::<Test>::get(LRT), BridgeTotals { deposited: 10 * UNIT, withdrawn: 0 });
		System::assert_last_event(
			Event::Deposited {
				lrt: LRT,
				recipient: ALICE,
				amount: 10 * UNIT,
				sender: h160(USER),
				nonce: 1,
			}
			.into(),
		);
		// The same event again: refused, nothing minted.
		assert_noop!(submit(proof), Error::<Test>::NonceAlreadyUsed);
		assert_eq!(LrtBridge::supply(LRT), 10 * UNIT);
	});
}

#[test]
fn forged_foreign_and_unfinalized_logs_mint_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let mut gateway = Gateway::new();
		register(&gateway, 1_000 * UNIT, 10);
		let proof = gateway.deposit(10, ALICE);

		// An altered amount: the log is no longer in the receipt.
		let mut forged = proof.clone();
		forged.event_log.data[3 * 32 + 31] ^= 1;
		assert_noop!(submit(forged), Error::<Test>::InvalidProof);
		// Another recipient.
		let mut forged = proof.clone();
		forged.event_log.data[2 * 32] ^= 1;
		assert_noop!(submit(forged), Error::<Test>::InvalidProof);
		// Another emitter.
		let mut forged = proof.clone();
		forged.event_log.address = H160::repeat_byte(0x66);
		assert_noop!(submit(forged), Error::<Test>::WrongGateway);
		// A receipt proof with a changed node.
		let mut forged = proof.clone();
		let node = forged.proof.receipt_proof.last_mut().expect("nodes");
		let at = node.len() - 5;
		node[at] ^= 1;
		assert_noop!(submit(forged), Error::<Test>::InvalidProof);
		// The ERC-20 Transfer of the same receipt is not a deposit.
		let mut transfer = proof.clone();
		transfer.event_log.topics =
			vec![H256::from(alloy_primitives::keccak256("Transfer(address,address,uint256)").0)];
		assert_noop!(submit(transfer), Error::<Test>::NotADeposit);
		// A token the gateway lists but Ballast does not.
		let other = gateway.deposit_of(gateway.other_token, 5, ALICE);
		assert_noop!(submit(other), Error::<Test>::UnknownToken);
		// A block the light client has not finalized.
		let unfinalized = {
			let result = gateway.eth.call(
				USER,
				gateway.gateway,
				depositCall {
					lrt: gateway.token,
					amount: ether(1),
					recipient: recipient(ALICE).into(),
				}
				.abi_encode(),
			);
			let block = gateway.eth.seal();
			let beacon = BeaconBlock::new(SYNTHETIC_SLOT, &block);
			let log = result.logs.iter().find(|l| l.address == gateway.gateway).expect("event");
			beacon.event_proof(log, result.tx_index)
		};
		assert_noop!(submit(unfinalized), Error::<Test>::InvalidProof);

		assert_eq!(LrtBridge::supply(LRT), 0);
		assert_ok!(submit(proof));
		assert_eq!(LrtBridge::supply(LRT), 10 * UNIT);
	});
}

#[test]
fn paused_frozen_and_rate_limited_lrts_mint_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let mut gateway = Gateway::new();
		register(&gateway, 15 * UNIT, 10);
		let first = gateway.deposit(10, ALICE);
		let second = gateway.deposit(10, ALICE);

		assert_ok!(LrtBridge::set_state(RuntimeOrigin::root(), LRT, LrtState::DepositsPaused));
		assert_noop!(submit(first.clone()), Error::<Test>::DepositsPaused);
		assert_ok!(LrtBridge::set_state(RuntimeOrigin::root(), LRT, LrtState::Frozen));
		assert_noop!(submit(first.clone()), Error::<Test>::Frozen);
		assert_ok!(LrtBridge::set_state(RuntimeOrigin::root(), LRT, LrtState::Active));

		assert_ok!(submit(first));
		assert_noop!(submit(second.clone()), Error::<Test>::RateLimitExceeded);
		// A whole window (10 blocks) after the first mint, the bucket has refilled.
		System::set_block_number(11);
		assert_ok!(submit(second));
		assert_eq!(balance(ALICE), 20 * UNIT);
		assert_eq!(MintBuckets::<Test>::get(LRT), MintBucket { updated: 11, used: 10 * UNIT });
	});
}

#[test]
fn a_first_mint_takes_from_a_full_bucket_at_its_block() {
	ExtBuilder::default().at_block(100).build_and_execute(|| {
		let mut gateway = Gateway::new();
		register(&gateway, 15 * UNIT, 10);
		assert_eq!(LrtBridge::mint_room(LRT), Some(15 * UNIT));
		assert_ok!(submit(gateway.deposit(10, ALICE)));
		assert_eq!(System::block_number(), 100);
		assert_eq!(MintBuckets::<Test>::get(LRT), MintBucket { updated: 100, used: 10 * UNIT });
		assert_eq!(LrtBridge::mint_room(LRT), Some(5 * UNIT));
		assert_eq!(LrtBridge::mint_room(LRT + 1), None);
	});
}

#[test]
fn a_deposit_is_minted_or_cancelled_never_both() {
	ExtBuilder::default().build_and_execute(|| {
		let mut gateway = Gateway::new();
		register(&gateway, 100 * UNIT, 10);
		let address = h160(gateway.gateway);
		let minted = gateway.deposit(10, ALICE);
		let refused = gateway.deposit(10, BOB);
		assert_ok!(submit(minted.clone()));
		let nonce_of = |proof: &snowbridge_verification_primitives::EventProof| {
			ballast_gateway::Deposit::from_log(&proof.event_log).expect("a deposit").nonce
		};

		// Only governance cancels, only a registered asset's deposits, never a minted one.
		assert_noop!(
			LrtBridge::cancel_deposit(RuntimeOrigin::signed(ALICE), LRT, nonce_of(&refused)),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_noop!(
			LrtBridge::cancel_deposit(RuntimeOrigin::root(), LRT + 1, nonce_of(&refused)),
			Error::<Test>::UnknownLrt
		);
		assert_noop!(
			LrtBridge::cancel_deposit(RuntimeOrigin::root(), LRT, nonce_of(&minted)),
			Error::<Test>::NonceAlreadyUsed
		);

		// Cancelled: its proof mints nothing, and it cannot be cancelled twice.
		assert_ok!(LrtBridge::cancel_deposit(RuntimeOrigin::root(), LRT, nonce_of(&refused)));
		System::assert_last_event(
			Event::DepositCancelled { gateway: address, nonce: nonce_of(&refused) }.into(),
		);
		assert_noop!(submit(refused.clone()), Error::<Test>::DepositWasCancelled);
		assert_noop!(
			LrtBridge::cancel_deposit(RuntimeOrigin::root(), LRT, nonce_of(&refused)),
			Error::<Test>::DepositWasCancelled
		);
		assert_eq!(balance(BOB), 0);
		assert_eq!(LrtBridge::supply(LRT), 10 * UNIT);
	});
}
