//! Commitments and their withdrawals are kept `CommitmentRetention` blocks, then pruned
//! (at most two commitments a block), and `withdrawal_proof` no longer serves them.

use super::{advance, register, submit};
use crate::{
	mock::{ethereum::*, *},
	*,
};
use frame_support::assert_ok;
use sp_core::H160;

const TO: H160 = H160::repeat_byte(0xee);

fn withdraw(whole: u128) {
	assert_ok!(LrtBridge::withdraw(RuntimeOrigin::signed(ALICE), LRT, whole * UNIT, TO));
}

#[test]
fn commitments_and_withdrawals_are_pruned_after_the_retention() {
	ExtBuilder::default().build_and_execute(|| {
		let mut gateway = Gateway::new();
		register(&gateway, 1_000 * UNIT, 10);
		assert_ok!(submit(gateway.deposit(100, ALICE)));
		// Block 1: withdrawals 0 and 1; block 2: withdrawal 2.
		withdraw(1);
		withdraw(2);
		advance(1);
		withdraw(3);
		// Up to block RETENTION, block 1's commitment is kept and proves its withdrawals.
		advance(RETENTION - 2);
		assert_eq!(System::block_number(), RETENTION);
		assert!(LrtBridge::withdrawal_proof(0).is_some());
		assert!(Commitments::<Test>::contains_key(1));

		// Block 1 + RETENTION: block 1's commitment and withdrawals are pruned.
		advance(1);
		assert_eq!(Commitments::<Test>::get(1), None);
		assert_eq!(Withdrawals::<Test>::get(0), None);
		assert_eq!(Withdrawals::<Test>::get(1), None);
		assert_eq!(LrtBridge::withdrawal_proof(0), None);
		assert_eq!(LrtBridge::withdrawal_proof(1), None);
		assert_eq!(OldestWithdrawal::<Test>::get(), 2);
		System::assert_has_event(Event::CommitmentPruned { block: 1, count: 2 }.into());
		// Block 2's is kept one block longer.
		assert!(LrtBridge::withdrawal_proof(2).is_some());
		advance(1);
		assert_eq!(LrtBridge::withdrawal_proof(2), None);
		assert_eq!(OldestWithdrawal::<Test>::get(), 3);

		// The totals keep everything; nonces go on.
		assert_eq!(Totals::<Test>::get(LRT).withdrawn, 6 * UNIT);
		assert_eq!(LrtBridge::supply(LRT), 94 * UNIT);
		withdraw(4);
		assert_eq!(NextWithdrawalNonce::<Test>::get(), 4);
		advance(1);
		assert!(LrtBridge::withdrawal_proof(3).is_some());
	});
}

#[test]
fn a_pruning_backlog_is_worked_off_two_commitments_a_block() {
	ExtBuilder::default().build_and_execute(|| {
		let mut gateway = Gateway::new();
		register(&gateway, 1_000 * UNIT, 10);
		assert_ok!(submit(gateway.deposit(100, ALICE)));
		// Withdrawals in blocks 1, 2 and 3.
		for _ in 0..3 {
			withdraw(1);
			advance(1);
		}
		// Far past their retention (e.g. after a retention was shortened): two a block.
		advance(3 * RETENTION);
		assert_eq!(OldestWithdrawal::<Test>::get(), 2);
		assert!(!Commitments::<Test>::contains_key(2));
		assert!(Commitments::<Test>::contains_key(3));
		advance(1);
		assert_eq!(OldestWithdrawal::<Test>::get(), 3);
		assert_eq!(Commitments::<Test>::iter().count(), 0);
		assert_eq!(Withdrawals::<Test>::iter().count(), 0);
		// Nothing left to prune: the next blocks change nothing.
		advance(1);
		assert_eq!(OldestWithdrawal::<Test>::get(), 3);
	});
}
