//! `do_try_state` finds each broken invariant.

use crate::{mock::*, Punished, SessionPeriod};
use frame_support::traits::ReservableCurrency;
use pallet_session::historical::StoredRange;

#[test]
fn try_state_holds_after_offences_and_rotations() {
	ExtBuilder::default().build_and_execute(|| {
		register_candidate(5);
		run_to_session(2);
		report(&[5, 1], sp_runtime::Perbill::from_percent(10), 2);
		for session in 3..=8 {
			run_to_session(session);
			assert_eq!(ValidatorSet::do_try_state(), Ok(()));
		}
	});
}

#[test]
fn try_state_finds_a_zero_session_period() {
	ExtBuilder::default().build().execute_with(|| {
		SessionPeriod::<Test>::put(0);
		assert_eq!(ValidatorSet::do_try_state(), Err("SessionPeriod is zero".into()));
	});
}

#[test]
fn try_state_finds_a_punished_record_older_than_history_depth() {
	ExtBuilder::default().build().execute_with(|| {
		run_to_session(HISTORY_DEPTH + 2);
		Punished::<Test>::insert(1, 1, ());
		assert_eq!(
			ValidatorSet::do_try_state(),
			Err("a Punished record is older than HistoryDepth".into())
		);
	});
}

#[test]
fn try_state_finds_a_historical_root_older_than_history_depth() {
	ExtBuilder::default().build().execute_with(|| {
		run_to_session(HISTORY_DEPTH + 2);
		let (_, end) = StoredRange::<Test>::get().expect("roots stored");
		StoredRange::<Test>::put((1, end));
		assert_eq!(
			ValidatorSet::do_try_state(),
			Err("a historical root is older than HistoryDepth".into())
		);
	});
}

#[test]
fn try_state_finds_a_candidate_without_its_deposit_reserved() {
	ExtBuilder::default().build().execute_with(|| {
		register_candidate(5);
		// The bond's reserve taken without leaving the list (a slash that forgot to eject).
		let _ = Balances::slash_reserved(&5, BOND);
		assert_eq!(
			ValidatorSet::do_try_state(),
			Err("a candidate's reserved balance is below its recorded deposit".into())
		);
	});
}
