//! collator-selection through the pieces of this pallet: candidates join, get kicked and leave
//! at rotations of the genesis period.

use crate::mock::*;
use frame_support::assert_ok;
use pallet_collator_selection::{CandidateList, LastAuthoredBlock};
use sp_runtime::Perbill;

fn candidates() -> Vec<AccountId> {
	CandidateList::<Test>::get().iter().map(|c| c.who).collect()
}

fn queued() -> Vec<AccountId> {
	Session::queued_keys().into_iter().map(|(who, _)| who).collect()
}

#[test]
fn a_new_candidate_validates_two_rotations_after_registering() {
	ExtBuilder::default().session_period(5).build_and_execute(|| {
		run_to_session(1);
		// Registered during session 1 (after its rotation block's `on_initialize`).
		register_candidate(5);
		assert_eq!(candidates(), vec![5]);
		assert_eq!(queued(), vec![1, 2, 3, 4]);

		// Session 2 plans it …
		run_to_session(2);
		assert_eq!(Session::validators(), vec![1, 2, 3, 4]);
		assert_eq!(queued(), vec![1, 2, 3, 4, 5]);

		// … session 3 has it, and its keys reach the consensus pallets.
		run_to_session(3);
		assert_eq!(Session::validators(), vec![1, 2, 3, 4, 5]);
		assert_eq!(HandlerValidators::get(), vec![1, 2, 3, 4, 5]);
	});
}

#[test]
fn a_candidate_that_authors_nothing_is_kicked_after_the_kick_threshold() {
	ExtBuilder::default().build_and_execute(|| {
		// Both registered at block 1: counted as having authored at 1 + KICK_THRESHOLD = 21.
		register_candidate(5);
		register_candidate(6);
		run_to_session(2);
		assert_eq!(Session::validators(), vec![1, 2, 3, 4, 5, 6]);

		// 6 authors block 35; 5 nothing.
		run_to_block(34);
		BlockAuthor::set(Some(6));
		run_to_block(35);
		BlockAuthor::set(None);
		assert_eq!(LastAuthoredBlock::<Test>::get(6), 35);

		// Rotations at 30 and 40: 5 idle for 9, then 19 blocks: kept.
		run_to_session(4);
		// (Sorted by deposit; of equal ones the later registered first.)
		assert_eq!(candidates(), vec![6, 5]);
		// At 50 it has been idle for 29 ≥ 20 blocks: kicked, its bond returned onto the hold
		// of a bond at stake (it validated session 5, planned before).
		run_to_session(5);
		assert_eq!(candidates(), vec![6]);
		assert_eq!(ValidatorSet::bond_held(&5), BOND);
		assert_eq!(Balances::reserved_balance(5), KEY_DEPOSIT + BOND);
		// It was already planned for session 5; session 6 is without it.
		assert!(Session::validators().contains(&5));
		run_to_session(6);
		assert_eq!(Session::validators(), vec![1, 2, 3, 4, 6]);
	});
}

#[test]
fn leave_intent_takes_effect_at_the_rotation_after_next() {
	ExtBuilder::default().build_and_execute(|| {
		register_candidate(5);
		run_to_session(2);
		run_to_block(25);
		assert_ok!(CollatorSelection::leave_intent(RuntimeOrigin::signed(5)));
		// The bond leaves collator-selection at once (onto the hold of a bond at stake) …
		assert_eq!(ValidatorSet::bond_held(&5), BOND);
		assert_eq!(Balances::reserved_balance(5), KEY_DEPOSIT + BOND);
		assert_eq!(candidates(), Vec::<AccountId>::new());
		// … but 5 was planned for session 3 already.
		run_to_session(3);
		assert_eq!(Session::validators(), vec![1, 2, 3, 4, 5]);
		run_to_session(4);
		assert_eq!(Session::validators(), vec![1, 2, 3, 4]);
	});
}

#[test]
fn an_ejected_offender_still_validates_in_the_planned_session_then_leaves() {
	ExtBuilder::default().build_and_execute(|| {
		register_candidate(5);
		run_to_session(2);
		report(&[5], Perbill::from_percent(10), 2);
		assert_eq!(Session::disabled_validators(), vec![4]);
		// pallet-session planned session 3 at the start of session 2: 5 is in it, and the
		// rotation clears the disabled list (collator-selection always reports a new set).
		run_to_session(3);
		assert_eq!(Session::validators(), vec![1, 2, 3, 4, 5]);
		assert_eq!(Session::disabled_validators(), Vec::<u32>::new());
		run_to_session(4);
		assert_eq!(Session::validators(), vec![1, 2, 3, 4]);
	});
}
