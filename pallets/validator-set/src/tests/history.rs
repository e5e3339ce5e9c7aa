//! The historical session manager: roots stored, pruned beyond `HistoryDepth`, proofs.

use crate::{mock::*, Punished, UnitIdentification};
use frame_support::traits::KeyOwnerProofSystem;
use pallet_session::historical::{HistoricalSessions, StoredRange};
use sp_runtime::{key_types::DUMMY, traits::Convert, Perbill};
use sp_staking::SessionIndex;

/// `who`'s raw session key, as GRANDPA proves ownership of its key.
fn raw_key(who: AccountId) -> (sp_runtime::KeyTypeId, Vec<u8>) {
	use sp_runtime::traits::OpaqueKeys;
	(DUMMY, keys_of(who).get_raw(DUMMY).to_vec())
}

fn stored_sessions() -> Vec<SessionIndex> {
	let mut sessions: Vec<_> = HistoricalSessions::<Test>::iter_keys().collect();
	sessions.sort();
	sessions
}

#[test]
fn genesis_stores_the_roots_of_sessions_zero_and_one() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(stored_sessions(), vec![0, 1]);
		assert_eq!(StoredRange::<Test>::get(), Some((0, 2)));
		// Four validators (the invulnerables) in each.
		assert_eq!(HistoricalSessions::<Test>::get(0).map(|(_, count)| count), Some(4));
	});
}

#[test]
fn roots_are_stored_each_session_and_pruned_beyond_history_depth() {
	ExtBuilder::default().build_and_execute(|| {
		for session in 1..=8 {
			run_to_session(session);
			// The current session, the planned next one, and `HISTORY_DEPTH` before.
			let oldest = session.saturating_sub(HISTORY_DEPTH);
			assert_eq!(stored_sessions(), (oldest..=session + 1).collect::<Vec<_>>());
			assert_eq!(StoredRange::<Test>::get(), Some((oldest, session + 2)));
		}
	});
}

#[test]
fn key_ownership_proofs_hold_for_the_current_session_and_history_depth_sessions_back() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_session(2);
		let proof = Historical::prove(raw_key(3)).expect("validator 3 holds the key");
		assert_eq!(proof.session, 2);
		assert_eq!(Historical::check_proof(raw_key(3), proof.clone()), Some((3, ())));

		// Still provable from its stored root while the session is within the depth …
		for session in 3..=2 + HISTORY_DEPTH {
			run_to_session(session);
			assert_eq!(Historical::check_proof(raw_key(3), proof.clone()), Some((3, ())));
		}
		// … and not once its root is pruned.
		run_to_session(3 + HISTORY_DEPTH);
		assert_eq!(Historical::check_proof(raw_key(3), proof), None);
	});
}

#[test]
fn a_non_validator_key_has_no_proof() {
	ExtBuilder::default().build_and_execute(|| {
		register_candidate(5); // keys set, not a validator yet
		let proof = Historical::prove(raw_key(5)).expect("a proof of absence");
		assert_eq!(Historical::check_proof(raw_key(5), proof), None);
	});
}

#[test]
fn punished_records_are_pruned_with_the_roots() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_session(1);
		report(&[1], Perbill::from_percent(10), 1);
		assert!(Punished::<Test>::contains_key(1, 1));
		// Session 1 is provable until session 1 + HISTORY_DEPTH …
		run_to_session(1 + HISTORY_DEPTH);
		assert!(Punished::<Test>::contains_key(1, 1));
		// … and its record goes with its root.
		run_to_session(2 + HISTORY_DEPTH);
		assert!(!Punished::<Test>::contains_key(1, 1));
		assert_eq!(HistoricalSessions::<Test>::get(1), None);
	});
}

#[test]
fn every_validator_is_identified_by_unit() {
	assert_eq!(<UnitIdentification as Convert<AccountId, Option<()>>>::convert(7), Some(()));
}

#[test]
fn a_next_set_without_session_keys_is_refused_and_the_current_one_stays() {
	use codec::Encode;
	ExtBuilder::default().build_and_execute(|| {
		// Governance seats 6, 7 and 8, which have keys when seated (collator-selection skips
		// invulnerables without keys) and purge them before they validate.
		for who in [6, 7, 8] {
			let keys = keys_of(who);
			let proof = keys.clone().create_ownership_proof(&who.encode()).expect("proof").encode();
			frame_support::assert_ok!(Session::set_keys(RuntimeOrigin::signed(who), keys, proof));
		}
		frame_support::assert_ok!(CollatorSelection::set_invulnerables(
			RuntimeOrigin::root(),
			vec![6, 7, 8]
		));
		for who in [6, 7, 8] {
			frame_support::assert_ok!(Session::purge_keys(RuntimeOrigin::signed(who)));
		}

		run_to_session(2);
		// pallet-session would have queued no keys and handed Aura and GRANDPA an empty set.
		assert_eq!(Session::validators(), vec![1, 2, 3, 4]);
		assert_eq!(HandlerValidators::get(), vec![1, 2, 3, 4]);
		assert!(events().contains(&crate::Event::KeylessSetRefused { session: 2 }));

		// Once one of them sets keys again, the new set is taken (pallet-session drops the
		// keyless members).
		let keys = keys_of(6);
		let proof = keys.clone().create_ownership_proof(&6u64.encode()).expect("proof").encode();
		frame_support::assert_ok!(Session::set_keys(RuntimeOrigin::signed(6), keys, proof));
		run_to_session(4);
		assert_eq!(Session::validators(), vec![6]);
	});
}
