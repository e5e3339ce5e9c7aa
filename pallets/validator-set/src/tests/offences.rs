//! The offence handler: disabling, slashing and ejecting candidates, unseating invulnerables,
//! the liveness floor, idempotence, past and stale sessions, weight.

use crate::{mock::*, weights, Event, Punished};
use frame_support::traits::ReservableCurrency;
use pallet_collator_selection::{CandidateList, Invulnerables, LastAuthoredBlock};
use sp_runtime::Perbill;

fn candidates() -> Vec<AccountId> {
	CandidateList::<Test>::get().iter().map(|c| c.who).collect()
}

fn invulnerables() -> Vec<AccountId> {
	Invulnerables::<Test>::get().to_vec()
}

/// Registers `who` as a candidate at block 1 and runs to session 2, where it validates.
fn candidate_validating_in_session_2(who: &[AccountId]) {
	who.iter().for_each(|w| register_candidate(*w));
	run_to_session(2);
	for w in who {
		assert!(Session::validators().contains(w), "{w} validates in session 2");
	}
}

#[test]
fn a_candidate_offender_is_disabled_slashed_and_ejected() {
	ExtBuilder::default().build_and_execute(|| {
		candidate_validating_in_session_2(&[5]);
		assert_eq!(Session::validators(), vec![1, 2, 3, 4, 5]);
		assert_eq!(Balances::free_balance(5), ENDOWMENT - BOND - KEY_DEPOSIT);
		assert_eq!(Balances::reserved_balance(5), BOND + KEY_DEPOSIT);
		let issuance = Balances::total_issuance();
		System::reset_events();

		// GRANDPA's fraction for 1 offender of 5: (3/5)² = 36 %, below MinSlash (50 %).
		report(&[5], Perbill::from_percent(36), 2);

		// Disabled for the rest of session 2 (index 4 of the set).
		assert_eq!(Session::disabled_validators(), vec![4]);
		assert_eq!(HandlerDisabled::get(), vec![4]);
		// Slashed max(36 %, 50 %) of its bond to the treasury, the rest returned; its session
		// keys' hold untouched.
		assert_eq!(Balances::free_balance(TREASURY), BOND / 2);
		assert_eq!(Balances::free_balance(5), ENDOWMENT - BOND / 2 - KEY_DEPOSIT);
		assert_eq!(Balances::reserved_balance(5), KEY_DEPOSIT);
		assert_eq!(Balances::total_issuance(), issuance);
		// No longer a candidate.
		assert_eq!(candidates(), Vec::<AccountId>::new());
		assert!(!LastAuthoredBlock::<Test>::contains_key(5));
		assert!(Punished::<Test>::contains_key(2, 5));
		assert_eq!(
			events(),
			vec![
				Event::OffenderDisabled { who: 5, session: 2 },
				Event::CandidateSlashed {
					who: 5,
					session: 2,
					slashed: BOND / 2,
					returned: BOND / 2
				},
			]
		);
	});
}

#[test]
fn the_slash_is_the_offence_fraction_when_above_min_slash() {
	ExtBuilder::default().build_and_execute(|| {
		candidate_validating_in_session_2(&[5]);
		report(&[5], Perbill::from_percent(80), 2);
		assert_eq!(Balances::free_balance(TREASURY), 80);
		assert_eq!(Balances::free_balance(5), ENDOWMENT - 80 - KEY_DEPOSIT);
		assert!(events().contains(&Event::CandidateSlashed {
			who: 5,
			session: 2,
			slashed: 80,
			returned: 20
		}));
	});
}

#[test]
fn the_slash_never_exceeds_the_recorded_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		candidate_validating_in_session_2(&[5]);
		// Another pallet's reserve on the same account (multisig, proxy …).
		assert_eq!(Balances::reserve(&5, 200), Ok(()));
		MinSlash::set(Perbill::one());
		report(&[5], Perbill::one(), 2);
		assert_eq!(Balances::free_balance(TREASURY), BOND);
		assert_eq!(Balances::reserved_balance(5), 200 + KEY_DEPOSIT);
		assert_eq!(Balances::free_balance(5), ENDOWMENT - BOND - 200 - KEY_DEPOSIT);
	});
}

#[test]
fn a_repeated_report_of_the_same_offence_punishes_once() {
	ExtBuilder::default().build_and_execute(|| {
		candidate_validating_in_session_2(&[5, 6]);
		report(&[5], Perbill::from_percent(10), 2);
		let after_first = (Balances::free_balance(5), Balances::reserved_balance(5));
		assert_eq!(Balances::free_balance(TREASURY), BOND / 2);

		// pallet-offences reports every offender of the slot again when 6 is reported, with a
		// higher fraction.
		report(&[5, 6], Perbill::from_percent(40), 2);
		assert_eq!((Balances::free_balance(5), Balances::reserved_balance(5)), after_first);
		assert_eq!(Balances::free_balance(TREASURY), BOND / 2 + BOND / 2);
		let slashes: Vec<_> =
			events().into_iter().filter(|e| matches!(e, Event::CandidateSlashed { .. })).collect();
		assert_eq!(
			slashes,
			vec![
				Event::CandidateSlashed { who: 5, session: 2, slashed: 50, returned: 50 },
				Event::CandidateSlashed { who: 6, session: 2, slashed: 50, returned: 50 },
			]
		);
		// The strategy disables at most (6 - 1) / 3 = 1 validator: the more severe offence.
		assert_eq!(pallet_session::DisabledValidators::<Test>::get().len(), 1);
	});
}

#[test]
fn a_candidate_registering_again_is_not_slashed_again_for_the_same_session() {
	ExtBuilder::default().build_and_execute(|| {
		candidate_validating_in_session_2(&[5]);
		report(&[5], Perbill::from_percent(10), 2);
		assert_ok_register_again(5);
		let before = (Balances::free_balance(5), Balances::reserved_balance(5));
		System::reset_events();

		report(&[5], Perbill::from_percent(10), 2);
		assert_eq!((Balances::free_balance(5), Balances::reserved_balance(5)), before);
		assert_eq!(candidates(), vec![5]);
		assert_eq!(events(), vec![]);
	});
}

fn assert_ok_register_again(who: AccountId) {
	frame_support::assert_ok!(CollatorSelection::register_as_candidate(RuntimeOrigin::signed(who)));
}

#[test]
fn an_invulnerable_offender_loses_its_seat() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_session(1);
		report(&[2], Perbill::from_percent(10), 1);
		assert_eq!(invulnerables(), vec![1, 3, 4]);
		assert_eq!(Session::disabled_validators(), vec![1]);
		assert_eq!(Balances::free_balance(2), ENDOWMENT);
		assert_eq!(
			events(),
			vec![
				Event::OffenderDisabled { who: 2, session: 1 },
				Event::InvulnerableRemoved { who: 2, session: 1 },
			]
		);
		// Governance may seat it again.
		frame_support::assert_ok!(CollatorSelection::add_invulnerable(RuntimeOrigin::root(), 2));
		assert_eq!(invulnerables(), vec![1, 2, 3, 4]);
	});
}

#[test]
fn an_invulnerable_at_the_liveness_floor_is_only_disabled() {
	ExtBuilder::default().build_and_execute(|| {
		MinEligibleCollators::set(4);
		run_to_session(1);
		report(&[2], Perbill::from_percent(10), 1);
		assert_eq!(invulnerables(), vec![1, 2, 3, 4]);
		assert_eq!(Session::disabled_validators(), vec![1]);
		assert_eq!(
			events(),
			vec![
				Event::OffenderDisabled { who: 2, session: 1 },
				Event::KeptToStayLive { who: 2, session: 1 },
			]
		);
		// The decision stands for the offence: a repeated report changes nothing.
		System::reset_events();
		MinEligibleCollators::set(3);
		report(&[2], Perbill::from_percent(10), 1);
		assert_eq!(invulnerables(), vec![1, 2, 3, 4]);
		assert_eq!(events(), vec![]);
	});
}

#[test]
fn a_candidate_at_the_liveness_floor_is_only_disabled() {
	ExtBuilder::default().build_and_execute(|| {
		candidate_validating_in_session_2(&[5]);
		MinEligibleCollators::set(5);
		report(&[5], Perbill::from_percent(10), 2);
		assert_eq!(candidates(), vec![5]);
		assert_eq!(Balances::reserved_balance(5), BOND + KEY_DEPOSIT);
		assert_eq!(Balances::free_balance(TREASURY), 0);
		assert_eq!(Session::disabled_validators(), vec![4]);
		assert!(events().contains(&Event::KeptToStayLive { who: 5, session: 2 }));
	});
}

#[test]
fn offenders_are_removed_until_the_floor_then_kept() {
	ExtBuilder::default().build_and_execute(|| {
		// 4 invulnerables + 1 candidate, floor 3: two may go.
		candidate_validating_in_session_2(&[5]);
		report(&[5, 1, 2], Perbill::from_percent(10), 2);
		assert_eq!(candidates(), Vec::<AccountId>::new());
		assert_eq!(invulnerables(), vec![2, 3, 4]);
		let punishments: Vec<_> =
			events().into_iter().filter(|e| !matches!(e, Event::OffenderDisabled { .. })).collect();
		assert_eq!(
			punishments,
			vec![
				Event::CandidateSlashed { who: 5, session: 2, slashed: 50, returned: 50 },
				Event::InvulnerableRemoved { who: 1, session: 2 },
				Event::KeptToStayLive { who: 2, session: 2 },
			]
		);
	});
}

#[test]
fn an_offence_of_a_past_session_slashes_and_ejects_without_disabling() {
	ExtBuilder::default().build_and_execute(|| {
		candidate_validating_in_session_2(&[5]);
		run_to_session(3);
		report(&[5], Perbill::from_percent(10), 2);
		// Disabling indexes the current set: nobody is disabled for an old offence.
		assert_eq!(Session::disabled_validators(), Vec::<u32>::new());
		assert_eq!(HandlerDisabled::get(), Vec::<u32>::new());
		assert_eq!(candidates(), Vec::<AccountId>::new());
		assert_eq!(Balances::free_balance(TREASURY), BOND / 2);
		assert!(!events().iter().any(|e| matches!(e, Event::OffenderDisabled { .. })));
	});
}

#[test]
fn an_offence_older_than_history_depth_is_ignored() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_session(1 + HISTORY_DEPTH + 1);
		report(&[1], Perbill::from_percent(10), 1);
		assert_eq!(invulnerables(), vec![1, 2, 3, 4]);
		assert!(!Punished::<Test>::contains_key(1, 1));
		assert_eq!(events(), vec![Event::StaleOffenceIgnored { who: 1, session: 1 }]);
		// The oldest provable session still counts.
		report(&[1], Perbill::from_percent(10), 2);
		assert_eq!(invulnerables(), vec![2, 3, 4]);
	});
}

#[test]
fn an_offender_that_left_is_disabled_and_slashed_from_the_bond_it_kept_at_stake() {
	ExtBuilder::default().build_and_execute(|| {
		candidate_validating_in_session_2(&[5]);
		// collator-selection returns the bond at once; 5 still validates in sessions 2 and 3,
		// and the bond stays on hold.
		frame_support::assert_ok!(CollatorSelection::leave_intent(RuntimeOrigin::signed(5)));
		assert_eq!(ValidatorSet::bond_held(&5), BOND);
		assert_eq!(Balances::reserved_balance(5), KEY_DEPOSIT + BOND);
		assert_eq!(ValidatorSet::bond_at_stake(&5), Some(BOND));
		System::reset_events();
		report(&[5], Perbill::from_percent(10), 2);
		assert_eq!(Balances::free_balance(5), ENDOWMENT - KEY_DEPOSIT - BOND / 2);
		assert_eq!(Balances::free_balance(TREASURY), BOND / 2);
		assert_eq!(ValidatorSet::bond_at_stake(&5), None);
		assert_eq!(ValidatorSet::bond_held(&5), 0);
		assert_eq!(Session::disabled_validators(), vec![4]);
		assert_eq!(
			events(),
			vec![
				Event::OffenderDisabled { who: 5, session: 2 },
				Event::DepartedCandidateSlashed { who: 5, session: 2, slashed: BOND / 2 },
			]
		);
	});
}

#[test]
fn an_offender_that_never_had_a_bond_has_nothing_to_lose() {
	ExtBuilder::default().build_and_execute(|| {
		// 6 set keys but never bonded nor validated.
		System::reset_events();
		report(&[6], Perbill::from_percent(10), 1);
		assert_eq!(Balances::free_balance(6), ENDOWMENT);
		assert_eq!(events(), vec![Event::NoBondToSlash { who: 6, session: 1 }]);
	});
}

#[test]
fn the_disabling_strategy_decides_who_is_disabled() {
	ExtBuilder::default().build_and_execute(|| {
		// Four validators: (4 - 1) / 3 = 1 may be disabled.
		run_to_session(1);
		report(&[1], Perbill::from_percent(50), 1);
		System::reset_events();
		// A less severe offence does not displace 1 (the re-enabling strategy re-enables only a
		// smaller offender); 3 is not disabled, but still punished (here: kept, the floor of 3
		// reached once 1 lost its seat).
		report(&[1, 3], Perbill::from_percent(10), 1);
		assert_eq!(Session::disabled_validators(), vec![0]);
		assert_eq!(events(), vec![Event::KeptToStayLive { who: 3, session: 1 }]);
	});
}

#[test]
fn the_weight_counts_each_offenders_reads_and_writes() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_session(1);
		let db = <Test as frame_system::Config>::DbWeight::get();
		let one = report(&[1], Perbill::from_percent(10), 1);
		assert_eq!(
			one,
			db.reads(1).saturating_add(
				db.reads_writes(weights::READS_PER_OFFENDER, weights::WRITES_PER_OFFENDER)
			)
		);
		let two = report(&[1, 2], Perbill::from_percent(10), 1);
		assert_eq!(
			two,
			one.saturating_add(
				db.reads_writes(weights::READS_PER_OFFENDER, weights::WRITES_PER_OFFENDER)
			)
		);
	});
}
