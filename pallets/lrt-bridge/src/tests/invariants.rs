//! The books: a property test over random deposits, replays, forgeries, withdrawals and block
//! changes, checking the supply against a model and `do_try_state` after every step; and
//! `do_try_state` catching books broken behind the bridge's back.

use super::{advance, register, submit};
use crate::{
	mock::{ethereum::*, *},
	*,
};
use frame_support::{
	assert_ok,
	traits::{
		fungibles::Mutate,
		tokens::{Fortitude, Precision, Preservation},
		Hooks,
	},
};
use proptest::prelude::*;
use snowbridge_verification_primitives::EventProof;
use sp_core::{H160, H256};

#[derive(Clone, Debug)]
enum Op {
	/// A new deposit of `whole` tokens for account `to`.
	Deposit {
		whole: u64,
		to: AccountId,
	},
	/// Resubmit an earlier deposit's proof.
	Replay(usize),
	/// Resubmit an earlier deposit with its amount changed.
	Forge(usize),
	Withdraw {
		from: AccountId,
		whole: u64,
	},
	NextBlock,
	/// Several blocks later (past the commitments' retention, at times).
	Later(u64),
}

fn op() -> impl Strategy<Value = Op> {
	prop_oneof![
		4 => (1u64..30, 1u64..4).prop_map(|(whole, to)| Op::Deposit { whole, to }),
		1 => (0usize..8).prop_map(Op::Replay),
		1 => (0usize..8).prop_map(Op::Forge),
		3 => (1u64..4, 1u64..40).prop_map(|(from, whole)| Op::Withdraw { from, whole }),
		1 => Just(Op::NextBlock),
		1 => (2u64..2 * RETENTION).prop_map(Op::Later),
	]
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

	/// Whatever is submitted, the LRT's supply equals the distinct proven deposits minted
	/// minus withdrawals, and never exceeds what was proven on Ethereum minus withdrawals.
	#[test]
	fn supply_is_proven_deposits_minus_withdrawals(ops in proptest::collection::vec(op(), 1..14)) {
		ExtBuilder::default().build_and_execute(|| {
			let mut gateway = Gateway::new();
			register(&gateway, 60 * UNIT, 5);
			let mut proofs: Vec<(EventProof, u128)> = Vec::new();
			let (mut proven, mut minted, mut withdrawn) = (0u128, 0u128, 0u128);
			let mut block = 1u64;
			for op in ops {
				match op {
					Op::Deposit { whole, to } => {
						let proof = gateway.deposit(whole, to);
						proven += whole as u128 * UNIT;
						if submit(proof.clone()).is_ok() {
							minted += whole as u128 * UNIT;
						}
						proofs.push((proof, whole as u128 * UNIT));
					},
					Op::Replay(i) => if let Some((proof, _)) = proofs.get(i % proofs.len().max(1)) {
						let before = LrtBridge::supply(LRT);
						let result = submit(proof.clone());
						// A replay mints only if the first attempt was rate limited.
						if result.is_ok() {
							minted += LrtBridge::supply(LRT) - before;
						}
					},
					Op::Forge(i) => if let Some((proof, _)) = proofs.get(i % proofs.len().max(1)) {
						let mut forged = proof.clone();
						forged.event_log.data[3 * 32 + 31] ^= 1;
						prop_assert!(submit(forged).is_err());
					},
					Op::Withdraw { from, whole } => {
						let amount = whole as u128 * UNIT / 2;
						if LrtBridge::withdraw(RuntimeOrigin::signed(from), LRT, amount, H160::repeat_byte(1)).is_ok() {
							withdrawn += amount;
						}
					},
					Op::NextBlock => {
						LrtBridge::on_finalize(block);
						block += 1;
						System::set_block_number(block);
						LrtBridge::on_initialize(block);
					},
					Op::Later(blocks) => {
						advance(blocks);
						block += blocks;
					},
				}
				let totals = Totals::<Test>::get(LRT);
				let supply = LrtBridge::supply(LRT);
				prop_assert_eq!(supply, totals.deposited - totals.withdrawn);
				prop_assert_eq!(totals.deposited, minted);
				prop_assert_eq!(totals.withdrawn, withdrawn);
				prop_assert!(supply <= proven - withdrawn);
				// The books, as try-runtime checks them after every block.
				prop_assert_eq!(LrtBridge::do_try_state(), Ok(()));
			}
			Ok(())
		})?;
	}
}

#[test]
fn the_books_catch_a_mint_or_a_burn_behind_the_bridge() {
	ExtBuilder::default().build_and_execute(|| {
		let mut gateway = Gateway::new();
		register(&gateway, 100 * UNIT, 10);
		assert_ok!(submit(gateway.deposit(10, ALICE)));
		assert_eq!(LrtBridge::do_try_state(), Ok(()));

		// Minted without a proven deposit.
		assert_ok!(<Assets as Mutate<AccountId>>::mint_into(LRT, &ALICE, 1));
		assert_eq!(
			LrtBridge::do_try_state(),
			Err("an LRT's asset supply is not its deposits minus its withdrawals".into())
		);
		// Burned back: the books hold again; burned without a withdrawal: they do not.
		let burn = |amount| {
			<Assets as Mutate<AccountId>>::burn_from(
				LRT,
				&ALICE,
				amount,
				Preservation::Expendable,
				Precision::Exact,
				Fortitude::Polite,
			)
		};
		assert_ok!(burn(1));
		assert_eq!(LrtBridge::do_try_state(), Ok(()));
		assert_ok!(burn(UNIT));
		assert_eq!(
			LrtBridge::do_try_state(),
			Err("an LRT's asset supply is not its deposits minus its withdrawals".into())
		);
		assert_ok!(<Assets as Mutate<AccountId>>::mint_into(LRT, &ALICE, UNIT));
	});
}

#[test]
fn the_books_catch_a_lost_or_altered_commitment() {
	ExtBuilder::default().build_and_execute(|| {
		let mut gateway = Gateway::new();
		register(&gateway, 100 * UNIT, 10);
		assert_ok!(submit(gateway.deposit(10, ALICE)));
		let to = H160::repeat_byte(0xee);
		assert_ok!(LrtBridge::withdraw(RuntimeOrigin::signed(ALICE), LRT, UNIT, to));
		assert_ok!(LrtBridge::withdraw(RuntimeOrigin::signed(ALICE), LRT, 2 * UNIT, to));
		// Pending in the current block, then committed at its end.
		assert_eq!(LrtBridge::do_try_state(), Ok(()));
		LrtBridge::on_finalize(1);
		assert_eq!(LrtBridge::do_try_state(), Ok(()));

		let (root, nonces) = Commitments::<Test>::take(1).expect("committed");
		assert_eq!(
			LrtBridge::do_try_state(),
			Err("withdrawals are not each committed or pending exactly once".into())
		);
		Commitments::<Test>::insert(1, (H256::repeat_byte(1), nonces.clone()));
		assert_eq!(
			LrtBridge::do_try_state(),
			Err("a commitment's root is not the root of its withdrawals' messages".into())
		);
		Commitments::<Test>::insert(1, (root, nonces));
	});
}

#[test]
fn the_books_catch_a_forgotten_deposit_nonce() {
	ExtBuilder::default().build_and_execute(|| {
		let mut gateway = Gateway::new();
		register(&gateway, 100 * UNIT, 10);
		assert_ok!(submit(gateway.deposit(10, ALICE)));
		let (used_by, nonce) = UsedNonces::<Test>::iter_keys().next().expect("a used nonce");
		assert_eq!(used_by, h160(gateway.gateway));

		UsedNonces::<Test>::remove(used_by, nonce);
		assert_eq!(
			LrtBridge::do_try_state(),
			Err("a gateway has deposits minted but no used nonce".into())
		);
		UsedNonces::<Test>::insert(used_by, nonce, ());
	});
}

#[test]
fn the_books_catch_a_withdrawal_left_behind_by_pruning() {
	ExtBuilder::default().build_and_execute(|| {
		let mut gateway = Gateway::new();
		register(&gateway, 100 * UNIT, 10);
		assert_ok!(submit(gateway.deposit(10, ALICE)));
		let to = H160::repeat_byte(0xee);
		// Withdrawal 0 in block 1, withdrawal 1 in block 2; block 1's commitment is pruned.
		assert_ok!(LrtBridge::withdraw(RuntimeOrigin::signed(ALICE), LRT, UNIT, to));
		advance(1);
		assert_ok!(LrtBridge::withdraw(RuntimeOrigin::signed(ALICE), LRT, 2 * UNIT, to));
		advance(RETENTION - 1);
		assert_eq!(OldestWithdrawal::<Test>::get(), 1);
		assert_eq!(LrtBridge::do_try_state(), Ok(()));

		let kept = Withdrawals::<Test>::get(1).expect("kept");
		Withdrawals::<Test>::insert(0, kept);
		assert_eq!(
			LrtBridge::do_try_state(),
			Err("a withdrawal below OldestWithdrawal was not pruned".into())
		);
		Withdrawals::<Test>::remove(0);
		OldestWithdrawal::<Test>::put(0);
		assert_eq!(
			LrtBridge::do_try_state(),
			Err("withdrawal nonces do not run from OldestWithdrawal to NextWithdrawalNonce".into())
		);
		OldestWithdrawal::<Test>::put(1);
	});
}

#[test]
fn the_books_catch_a_deposit_both_minted_and_cancelled() {
	ExtBuilder::default().build_and_execute(|| {
		let mut gateway = Gateway::new();
		register(&gateway, 100 * UNIT, 10);
		assert_ok!(submit(gateway.deposit(10, ALICE)));
		let (used_by, nonce) = UsedNonces::<Test>::iter_keys().next().expect("a used nonce");

		CancelledNonces::<Test>::insert(used_by, nonce, ());
		assert_eq!(
			LrtBridge::do_try_state(),
			Err("a deposit nonce both minted and cancelled".into())
		);
		CancelledNonces::<Test>::remove(used_by, nonce);
	});
}
