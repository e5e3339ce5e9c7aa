//! Bonds kept at stake: a validator's bond stays slashable, and on hold once collator-selection
//! returns it, for `HistoryDepth` sessions after the last session it was planned into, whether
//! it leaves, is outbid, is seated as an invulnerable or lowers its bond.

use crate::{mock::*, BondAtStake, BondsAtStake, EarlierBond, Event};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Inspect, tokens::Preservation, ReservableCurrency},
};
use sp_runtime::{Perbill, TokenError};

fn spendable(who: AccountId) -> Balance {
	<Balances as Inspect<AccountId>>::reducible_balance(
		&who,
		Preservation::Expendable,
		frame_support::traits::tokens::Fortitude::Polite,
	)
}

#[test]
fn a_planned_candidate_keeps_its_bond_at_stake_for_history_depth_sessions() {
	ExtBuilder::default().build_and_execute(|| {
		register_candidate(5);
		assert_eq!(ValidatorSet::bond_at_stake(&5), None);
		// Session 2 is planned at the start of session 1, with 5 in it: from then on its bond
		// is at stake, though 5 validates only from session 2.
		run_to_session(1);
		assert!(!Session::validators().contains(&5));
		assert_eq!(BondsAtStake::<Test>::get(5), Some(BondAtStake::new(BOND, 2 + HISTORY_DEPTH)));
		// While the bond is reserved nothing more is held (the account keeps its existential
		// deposit: the keys' hold needs it).
		assert_eq!(ValidatorSet::bond_held(&5), 0);
		assert_eq!(spendable(5), ENDOWMENT - BOND - KEY_DEPOSIT - ED);

		// Each session it is planned into moves the end.
		run_to_session(2);
		assert!(Session::validators().contains(&5));
		assert_eq!(BondsAtStake::<Test>::get(5).map(|b| b.until), Some(3 + HISTORY_DEPTH));
		// Invulnerables have no bond.
		assert_eq!(ValidatorSet::bond_at_stake(&1), None);
	});
}

#[test]
fn a_candidate_that_leaves_has_its_bond_held_until_its_sessions_are_no_longer_provable() {
	ExtBuilder::default().build_and_execute(|| {
		register_candidate(5);
		run_to_session(2);
		assert_ok!(CollatorSelection::leave_intent(RuntimeOrigin::signed(5)));
		// The bond went from collator-selection's reserve onto this pallet's hold: it cannot be
		// spent.
		assert_eq!(ValidatorSet::bond_held(&5), BOND);
		assert_eq!(Balances::free_balance(5), ENDOWMENT - BOND - KEY_DEPOSIT);
		assert_noop!(
			Balances::transfer_allow_death(RuntimeOrigin::signed(5), 6, ENDOWMENT - BOND),
			TokenError::FundsUnavailable
		);

		// Session 3 was planned with 5 in it: 5 validates it, so its offences are provable until
		// 3 + HistoryDepth.
		run_to_session(3);
		assert!(Session::validators().contains(&5));
		assert_eq!(BondsAtStake::<Test>::get(5).map(|b| b.until), Some(3 + HISTORY_DEPTH));
		run_to_session(4);
		assert!(!Session::validators().contains(&5));
		run_to_session(3 + HISTORY_DEPTH);
		assert_eq!(ValidatorSet::bond_held(&5), BOND);

		// The first session in which session 3's offences are stale releases it.
		run_to_session(4 + HISTORY_DEPTH);
		assert_eq!(ValidatorSet::bond_at_stake(&5), None);
		assert_eq!(ValidatorSet::bond_held(&5), 0);
		assert_eq!(spendable(5), ENDOWMENT - KEY_DEPOSIT - ED);
		assert_ok!(Balances::transfer_allow_death(
			RuntimeOrigin::signed(5),
			6,
			ENDOWMENT - KEY_DEPOSIT - ED
		));
	});
}

#[test]
fn a_departed_offender_that_reserved_all_it_could_still_loses_its_whole_bond() {
	ExtBuilder::default().build_and_execute(|| {
		register_candidate(5);
		run_to_session(2);
		assert_ok!(CollatorSelection::leave_intent(RuntimeOrigin::signed(5)));
		// Everything free but the existential deposit goes into another reserve (a multisig's
		// or proxy's deposit, say): the bond on hold is not free, so none of it follows.
		let free = Balances::free_balance(5) - ED;
		assert_ok!(<Balances as ReservableCurrency<AccountId>>::reserve(&5, free));
		assert_eq!(ValidatorSet::bond_held(&5), BOND);

		MinSlash::set(Perbill::one());
		report(&[5], Perbill::one(), 2);
		assert_eq!(Balances::free_balance(TREASURY), BOND);
		assert_eq!(ValidatorSet::bond_held(&5), 0);
		assert_eq!(Balances::reserved_balance(5), KEY_DEPOSIT + free);
		assert!(events().contains(&Event::DepartedCandidateSlashed {
			who: 5,
			session: 2,
			slashed: BOND
		}));
	});
}

#[test]
fn a_candidate_that_leaves_between_being_planned_and_validating_is_still_slashable() {
	ExtBuilder::default().build_and_execute(|| {
		register_candidate(5);
		// Planned into session 2 at the start of session 1; it leaves before session 2 starts.
		run_to_session(1);
		assert_ok!(CollatorSelection::leave_intent(RuntimeOrigin::signed(5)));
		assert_eq!(ValidatorSet::bond_held(&5), BOND);
		run_to_session(2);
		assert!(Session::validators().contains(&5), "its keys were queued: it validates");

		report(&[5], Perbill::from_percent(10), 2);
		assert!(events().contains(&Event::DepartedCandidateSlashed {
			who: 5,
			session: 2,
			slashed: BOND / 2
		}));
		assert_eq!(Balances::free_balance(TREASURY), BOND / 2);
		assert_eq!(Balances::free_balance(5), ENDOWMENT - KEY_DEPOSIT - BOND / 2);
	});
}

/// 5 validates sessions 2 and 3 with `3 × BOND`, then is outbid for the seats (collator-selection
/// lets a candidate lower its bond only outside them) and lowers it to `BOND`.
fn outbid_and_lowered() {
	register_candidate(5);
	assert_ok!(CollatorSelection::update_bond(RuntimeOrigin::signed(5), 3 * BOND));
	run_to_session(2);
	assert_eq!(ValidatorSet::bond_at_stake(&5), Some(3 * BOND));
	for who in [6, 7, 8] {
		register_candidate(who);
		assert_ok!(CollatorSelection::update_bond(RuntimeOrigin::signed(who), 4 * BOND));
	}
	assert_ok!(CollatorSelection::update_bond(RuntimeOrigin::signed(5), BOND));
	// What came back is held: the deposit and the hold still make up what is at stake.
	assert_eq!(ValidatorSet::bond_held(&5), 2 * BOND);
	assert_eq!(Balances::free_balance(5), ENDOWMENT - KEY_DEPOSIT - 3 * BOND);
	assert_eq!(ValidatorSet::bond_at_stake(&5), Some(3 * BOND));
}

#[test]
fn a_candidate_that_lowered_its_bond_is_slashed_on_what_it_had_at_stake() {
	ExtBuilder::default().build_and_execute(|| {
		outbid_and_lowered();
		report(&[5], Perbill::from_percent(10), 2);
		// Half of 3 × BOND: the whole deposit, then half a bond from the hold; the rest of the
		// hold comes back.
		assert_eq!(Balances::free_balance(TREASURY), 3 * BOND / 2);
		assert_eq!(ValidatorSet::bond_held(&5), 0);
		assert_eq!(Balances::reserved_balance(5), KEY_DEPOSIT);
		assert_eq!(Balances::free_balance(5), ENDOWMENT - KEY_DEPOSIT - 3 * BOND / 2);
		assert!(events().contains(&Event::CandidateSlashed {
			who: 5,
			session: 2,
			slashed: 3 * BOND / 2,
			returned: 0
		}));
	});
}

#[test]
fn a_lowered_bond_comes_back_once_the_sessions_it_backed_age_out() {
	ExtBuilder::default().build_and_execute(|| {
		// Nobody is kicked for not authoring in this test.
		MinEligibleCollators::set(100);
		outbid_and_lowered();
		// Not planned since session 3: its record ends with session 3's offences.
		run_to_session(3 + HISTORY_DEPTH);
		assert!(!Session::validators().contains(&5));
		assert_eq!(
			BondsAtStake::<Test>::get(5),
			Some(BondAtStake::new(3 * BOND, 3 + HISTORY_DEPTH))
		);
		assert_eq!(ValidatorSet::bond_held(&5), 2 * BOND);
		run_to_session(4 + HISTORY_DEPTH);
		// Still a candidate, with BOND reserved; nothing at stake, nothing held.
		assert_eq!(ValidatorSet::bond_at_stake(&5), None);
		assert_eq!(ValidatorSet::bond_held(&5), 0);
		assert_eq!(Balances::reserved_balance(5), KEY_DEPOSIT + BOND);
		assert_eq!(Balances::free_balance(5), ENDOWMENT - KEY_DEPOSIT - BOND);
	});
}

#[test]
fn a_record_keeps_the_largest_bond_of_its_provable_sessions() {
	let record = BondAtStake::new(300u64, 10);
	assert_eq!(record.at_stake(), 300);
	// A raise covers the last bond.
	assert_eq!(record.planned(400, 11), BondAtStake::new(400, 11));
	// A lowering keeps the last bond at stake until its sessions age out.
	let lowered = record.planned(100, 11);
	assert_eq!(
		lowered,
		BondAtStake {
			amount: 100,
			until: 11,
			earlier: Some(EarlierBond { amount: 300, until: 10 })
		}
	);
	assert_eq!(lowered.at_stake(), 300);
	// A raise below the earlier bond keeps it; one to it or above drops it.
	assert_eq!(lowered.planned(200, 12).earlier, Some(EarlierBond { amount: 300, until: 10 }));
	assert_eq!(lowered.planned(300, 12), BondAtStake::new(300, 12));
	// Two lowerings merge: the larger amount until the later end (never less at stake).
	let twice = lowered.planned(50, 12);
	assert_eq!(twice.earlier, Some(EarlierBond { amount: 300, until: 11 }));
	assert_eq!(twice.amount, 50);
	// Lower, raise, lower: still the largest, until the last end of a larger bond.
	let zigzag = lowered.planned(200, 12).planned(150, 13);
	assert_eq!(zigzag.earlier, Some(EarlierBond { amount: 300, until: 12 }));
	assert_eq!(zigzag.at_stake(), 300);
	// Ageing: the earlier bond goes after its end, the record after its own.
	assert_eq!(lowered.at_session(10), Some(lowered));
	assert_eq!(lowered.at_session(11), Some(BondAtStake::new(100, 11)));
	assert_eq!(lowered.at_session(12), None);
}

#[test]
fn a_candidate_without_session_keys_is_not_recorded() {
	ExtBuilder::default().build_and_execute(|| {
		register_candidate(5);
		assert_ok!(Session::purge_keys(RuntimeOrigin::signed(5)));
		run_to_session(1);
		assert_eq!(ValidatorSet::bond_at_stake(&5), None);
	});
}

#[test]
fn a_candidate_seated_as_an_invulnerable_is_still_slashed_from_its_bond() {
	ExtBuilder::default().build_and_execute(|| {
		register_candidate(5);
		run_to_session(2);
		assert_ok!(CollatorSelection::add_invulnerable(RuntimeOrigin::root(), 5));
		assert_eq!(ValidatorSet::bond_held(&5), BOND);
		// As an invulnerable it is not planned with a bond any more: the record is not renewed.
		run_to_session(4);
		assert_eq!(BondsAtStake::<Test>::get(5).map(|b| b.until), Some(3 + HISTORY_DEPTH));

		System::reset_events();
		report(&[5], Perbill::from_percent(10), 2);
		assert_eq!(
			events(),
			vec![
				Event::DepartedCandidateSlashed { who: 5, session: 2, slashed: BOND / 2 },
				Event::InvulnerableRemoved { who: 5, session: 2 },
			]
		);
		assert_eq!(ValidatorSet::bond_held(&5), 0);
	});
}

#[test]
fn a_candidate_that_registers_again_gets_its_old_hold_back_at_the_next_session() {
	ExtBuilder::default().build_and_execute(|| {
		register_candidate(5);
		run_to_session(2);
		assert_ok!(CollatorSelection::leave_intent(RuntimeOrigin::signed(5)));
		assert_ok!(CollatorSelection::register_as_candidate(RuntimeOrigin::signed(5)));
		// The new reserve and the old hold, both: BOND is at stake twice over for now.
		assert_eq!(Balances::reserved_balance(5), KEY_DEPOSIT + 2 * BOND);
		run_to_session(3);
		assert_eq!(ValidatorSet::bond_held(&5), 0);
		assert_eq!(Balances::reserved_balance(5), KEY_DEPOSIT + BOND);
		assert_eq!(ValidatorSet::bond_at_stake(&5), Some(BOND));
	});
}

#[test]
fn a_slashed_and_ejected_candidate_is_not_slashed_again() {
	ExtBuilder::default().build_and_execute(|| {
		register_candidate(5);
		run_to_session(2);
		report(&[5], Perbill::from_percent(10), 2);
		assert_eq!(ValidatorSet::bond_held(&5), 0);
		let after = Balances::free_balance(5);
		// An offence of session 3, which was planned with 5 in it: 5 validates, but nothing is
		// at stake any more (it was ejected and released).
		run_to_session(3);
		assert_eq!(ValidatorSet::bond_at_stake(&5), None);
		report(&[5], Perbill::from_percent(10), 3);
		assert_eq!(Balances::free_balance(5), after);
		assert!(events().contains(&Event::NoBondToSlash { who: 5, session: 3 }));
	});
}
