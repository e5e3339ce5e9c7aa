//! `set_tiers` and `set_reporters`: governance only, only sound tiers, no repeated reporter,
//! and a new reporter set only from the next epoch.

use super::*;
use frame_support::assert_noop;

#[test]
fn governance_sets_sound_tiers_and_the_reporters() {
	ExtBuilder::default().build_and_execute(|| {
		let mut bad = tiers();
		bad[1].ltv = Perbill::from_percent(96); // riskier tier allowing more
		assert_noop!(Risk::set_tiers(RuntimeOrigin::root(), bad), Error::InvalidTiers);
		let mut short = tiers();
		short.pop(); // does not cover the whole scale
		assert_noop!(Risk::set_tiers(RuntimeOrigin::root(), short), Error::InvalidTiers);
		assert_noop!(Risk::set_tiers(RuntimeOrigin::signed(1), tiers()), DispatchError::BadOrigin);
		assert_ok!(Risk::set_tiers(RuntimeOrigin::root(), tiers()));
		assert_noop!(
			Risk::set_reporters(RuntimeOrigin::signed(1), vec![reporter(0)]),
			DispatchError::BadOrigin
		);
		assert_ok!(Risk::set_reporters(RuntimeOrigin::root(), vec![reporter(0)]));
		// From the next epoch, one reporter: one report is the quorum.
		next_epoch();
		with_world(EZ, |w| *w = healthy(4));
		let (r, s) = report(0, &[(EZ, 100)]);
		assert_ok!(submit(r, s));
		next_epoch();
		assert!(LastAccepted::<Test>::get().is_some());
	});
}

#[test]
fn duplicate_reporter_keys_are_refused() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Risk::set_reporters(RuntimeOrigin::root(), vec![reporter(0), reporter(1), reporter(0)]),
			Error::DuplicateReporter
		);
		assert_eq!(PendingReporters::<Test>::get(), None);
		assert_eq!(Reporters::<Test>::get().len(), 4);
	});
}

#[test]
fn a_reporter_set_change_takes_effect_at_the_next_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		with_world(EZ, |w| *w = healthy(4));
		let (r, s) = report(0, &[(EZ, 100)]);
		assert_ok!(submit(r, s));
		assert_ok!(Risk::set_reporters(
			RuntimeOrigin::root(),
			vec![reporter(4), reporter(5), reporter(6)]
		));
		// This epoch: still reporters 0 … 3.
		let (r, s) = report(4, &[(EZ, 100)]);
		pool_rejects(r, s, InvalidTransaction::BadProof);
		for i in [1, 2] {
			let (r, s) = report(i, &[(EZ, 100)]);
			assert_ok!(submit(r, s));
		}
		let epoch = Risk::current_epoch();
		let listed: Vec<_> = Risk::reporters_status().1.into_iter().map(|(k, _)| k).collect();
		assert_eq!(listed, (0..4).map(reporter).collect::<Vec<_>>());
		// The epoch ends: accepted with 3 of its 4 reporters; the new set takes over.
		next_epoch();
		assert_eq!(LastAccepted::<Test>::get(), Some(epoch));
		let (r, s) = report(0, &[(EZ, 100)]);
		pool_rejects(r, s, InvalidTransaction::BadProof);
		for i in [4, 5] {
			let (r, s) = report(i, &[(EZ, 100)]);
			assert_ok!(submit(r, s));
		}
		next_epoch();
		assert_eq!(LastAccepted::<Test>::get(), Some(epoch + 1));
	});
}
