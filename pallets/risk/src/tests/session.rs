//! The reporters are the session's validators (`OneSessionHandler`, called here as
//! pallet-session would, `mock::new_session` / `mock::disable`): the genesis validators report
//! at once, a new session's from the next epoch, a key two validators share reports once, more
//! validators than `MaxReporters` are cut to the first ones, and a disabled validator's reports
//! stop counting.

use super::*;
use frame_support::assert_noop;

/// `reporter(i)` for each `i`.
fn keys(list: impl IntoIterator<Item = usize>) -> Vec<ReporterId> {
	list.into_iter().map(reporter).collect()
}

fn reporters() -> Vec<ReporterId> {
	Reporters::<Test>::get().into_inner()
}

fn pending() -> Option<Vec<ReporterId>> {
	PendingReporters::<Test>::get().map(|p| p.into_inner())
}

/// Applies `i`'s report with the authorized origin, without the pool: the call's own error.
fn dispatch(i: usize, scores: &[(AssetId, u16)]) -> Result<(), DispatchError> {
	let (report, signature) = report(i, scores);
	RuntimeCall::Risk(crate::Call::report { report, signature })
		.dispatch(frame_system::RawOrigin::Authorized.into())
		.map(|_| ())
		.map_err(|e| e.error)
}

#[test]
fn the_genesis_sessions_validators_are_the_reporters() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(reporters(), keys(0..4));
		assert_eq!(ValidatorKeys::<Test>::get().into_inner(), keys(0..4));
		assert_eq!(pending(), None);
		with_world(EZ, |w| *w = healthy(4));
		accept_epoch(&[(EZ, 100)]);
		assert!(LastAccepted::<Test>::get().is_some());
	});
}

#[test]
fn a_new_sessions_validators_report_from_the_next_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		with_world(EZ, |w| *w = healthy(4));
		let epoch = Risk::current_epoch();
		let (r, s) = report(0, &[(EZ, 100)]);
		assert_ok!(submit(r, s));
		new_session(true, &[4, 5, 6]);
		assert_eq!(pending(), Some(keys(4..7)));
		assert!(events()
			.contains(&crate::Event::ReportersScheduled { count: 3, from_epoch: epoch + 1 }));
		// This epoch: still reporters 0 … 3, at their positions.
		let (r, s) = report(4, &[(EZ, 100)]);
		pool_rejects(r, s, InvalidTransaction::BadProof);
		for i in [1, 2] {
			let (r, s) = report(i, &[(EZ, 100)]);
			assert_ok!(submit(r, s));
		}
		let listed: Vec<_> = Risk::reporters_status().1.into_iter().map(|(k, _)| k).collect();
		assert_eq!(listed, keys(0..4));
		// The epoch ends: accepted with 3 of its 4 reporters; the session's take over.
		next_epoch();
		assert_eq!(LastAccepted::<Test>::get(), Some(epoch));
		assert_eq!(reporters(), keys(4..7));
		assert_eq!(pending(), None);
		assert!(events().contains(&crate::Event::ReportersSet { count: 3 }));
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

#[test]
fn a_validator_leaving_the_session_stops_counting_from_the_next_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		with_world(EZ, |w| *w = healthy(4));
		new_session(true, &[0, 1, 2]);
		// Validator 3 left, but reports in the open epoch, which it started in.
		let (r, s) = report(3, &[(EZ, 100)]);
		assert_ok!(submit(r, s));
		next_epoch();
		assert_eq!(reporters(), keys(0..3));
		let (r, s) = report(3, &[(EZ, 100)]);
		pool_rejects(r, s, InvalidTransaction::BadProof);
		assert_noop!(dispatch(3, &[(EZ, 100)]), Error::NotAReporter);
		// Two of the three remaining are the quorum (two of four would not be).
		let epoch = Risk::current_epoch();
		for i in [0, 1] {
			let (r, s) = report(i, &[(EZ, 100)]);
			assert_ok!(submit(r, s));
		}
		next_epoch();
		assert_eq!(LastAccepted::<Test>::get(), Some(epoch));
	});
}

#[test]
fn a_session_with_the_same_keys_schedules_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		System::reset_events();
		new_session(false, &[0, 1, 2, 3]);
		// pallet-session says `changed` when the economic identities changed, keys or not.
		new_session(true, &[0, 1, 2, 3]);
		assert_eq!(pending(), None);
		assert!(events().is_empty());
		next_epoch();
		assert_eq!(reporters(), keys(0..4));
		assert!(!events().contains(&crate::Event::ReportersSet { count: 4 }));
	});
}

#[test]
fn a_later_session_in_the_same_epoch_replaces_the_pending_reporters() {
	ExtBuilder::default().build_and_execute(|| {
		new_session(true, &[4, 5, 6]);
		new_session(true, &[5, 6, 7, 8]);
		assert_eq!(pending(), Some(keys(5..9)));
		// Scheduling the list already pending again changes nothing.
		System::reset_events();
		new_session(false, &[5, 6, 7, 8]);
		assert!(events().is_empty());
		// Back to the epoch's own reporters: they are what the next epoch gets.
		new_session(true, &[0, 1, 2, 3]);
		assert_eq!(pending(), Some(keys(0..4)));
		next_epoch();
		assert_eq!(reporters(), keys(0..4));
	});
}

#[test]
fn the_scheduled_epoch_is_the_one_that_opens_next() {
	ExtBuilder::default().build_and_execute(|| {
		let epoch = Risk::current_epoch();
		// At the first block of the next epoch, before this pallet's `on_initialize` opened it
		// (pallet-session's hook runs first when it comes first in the runtime).
		System::set_block_number((epoch as u64 + 1) * EPOCH);
		new_session(true, &[4, 5, 6]);
		assert!(events()
			.contains(&crate::Event::ReportersScheduled { count: 3, from_epoch: epoch + 1 }));
		Risk::on_initialize((epoch as u64 + 1) * EPOCH);
		assert_eq!(reporters(), keys(4..7));
		// Once that epoch is open, the next session's reporters wait for the one after.
		new_session(true, &[0, 1]);
		assert!(events()
			.contains(&crate::Event::ReportersScheduled { count: 2, from_epoch: epoch + 2 }));
		assert_eq!(reporters(), keys(4..7));
	});
}

#[test]
fn validators_sharing_a_key_report_once() {
	ExtBuilder::default().build_and_execute(|| {
		with_world(EZ, |w| *w = healthy(4));
		// Validators 0 and 2 hold the same key (pallet-session refuses that; defence only).
		new_session(true, &[0, 1, 0, 2]);
		assert_eq!(pending(), Some(keys([0, 1, 2])));
		assert_eq!(ValidatorKeys::<Test>::get().into_inner(), keys([0, 1, 0, 2]));
		next_epoch();
		assert_eq!(reporters(), keys([0, 1, 2]));
		let (r, s) = report(0, &[(EZ, 100)]);
		assert_ok!(submit(r.clone(), s.clone()));
		pool_rejects(r, s, InvalidTransaction::Stale);
		// Disabling the second holder (session index 2) disables the key.
		disable(2);
		assert_eq!(DisabledReporters::<Test>::get().into_inner(), vec![0]);
		assert!(events().contains(&crate::Event::ReporterDisabled { reporter: reporter(0) }));
		assert!(!Reports::<Test>::contains_key(Risk::current_epoch(), 0));
	});
}

#[test]
fn more_validators_than_max_reporters_are_cut_to_the_first_ones() {
	// MaxReporters is 16 in the mock. At genesis: no panic, the first 16.
	ExtBuilder::default().reporters(20).build_and_execute(|| {
		assert_eq!(reporters(), keys(0..16));
		assert_noop!(dispatch(17, &[]), Error::NotAReporter);
		// A new session of 20 others.
		new_session(true, &(20..40).collect::<Vec<_>>());
		assert_eq!(pending(), Some(keys(20..36)));
		assert_eq!(ValidatorKeys::<Test>::get().into_inner(), keys(20..36));
		assert!(
			events().contains(&crate::Event::TooManyValidators { validators: 20, reporters: 16 })
		);
		// A validator past the kept keys is no reporter: disabling it changes nothing.
		disable(18);
		assert!(SessionDisabled::<Test>::get().is_empty());
		next_epoch();
		assert_eq!(reporters(), keys(20..36));
		assert!(DisabledReporters::<Test>::get().is_empty());
	});
}

#[test]
fn a_disabled_validators_report_stops_counting_in_the_open_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		with_world(EZ, |w| *w = healthy(4));
		let epoch = Risk::current_epoch();
		for i in 0..3 {
			let (r, s) = report(i, &[(EZ, 100)]);
			assert_ok!(submit(r, s));
		}
		disable(2);
		assert!(events().contains(&crate::Event::ReporterDisabled { reporter: reporter(2) }));
		// Its report is gone and a new one refused.
		assert!(!Reports::<Test>::contains_key(epoch, 2));
		let (r, s) = report(2, &[(EZ, 100)]);
		pool_rejects(r, s, InvalidTransaction::BadProof);
		assert_noop!(dispatch(2, &[(EZ, 100)]), Error::ReporterDisabled);
		assert_eq!(Risk::reporters_status().1[2], (reporter(2), false));
		// Two reports of four reporters (the denominator stays): no quorum, where the three
		// reports would have been one.
		next_epoch();
		assert_eq!(LastAccepted::<Test>::get(), None);
		assert!(events().contains(&crate::Event::QuorumMissed { epoch, reports: 2, reporters: 4 }));
	});
}

#[test]
fn a_disabled_validator_stays_excluded_until_the_session_reenables_it_and_an_epoch_opens() {
	ExtBuilder::default().build_and_execute(|| {
		with_world(EZ, |w| *w = healthy(4));
		disable(3);
		// Disabled still when the next epoch opens (no changed session): excluded there too.
		next_epoch();
		assert_eq!(DisabledReporters::<Test>::get().into_inner(), vec![3]);
		assert_noop!(dispatch(3, &[(EZ, 100)]), Error::ReporterDisabled);
		// A session without a change keeps it disabled (pallet-session keeps its list).
		new_session(false, &[0, 1, 2, 3]);
		next_epoch();
		assert_noop!(dispatch(3, &[(EZ, 100)]), Error::ReporterDisabled);
		// A changed session re-enables it in pallet-session; the open epoch still excludes it.
		new_session(true, &[0, 1, 2, 3]);
		assert!(SessionDisabled::<Test>::get().is_empty());
		assert_noop!(dispatch(3, &[(EZ, 100)]), Error::ReporterDisabled);
		// It reports again from the next epoch.
		next_epoch();
		assert!(DisabledReporters::<Test>::get().is_empty());
		assert_ok!(dispatch(3, &[(EZ, 100)]));
	});
}

#[test]
fn on_disabled_takes_the_sessions_validator_index_not_the_epochs_reporter_position() {
	ExtBuilder::default().build_and_execute(|| {
		with_world(EZ, |w| *w = healthy(4));
		new_session(true, &[4, 5, 6]);
		// Index 0 of the new session is key 4: not one of the open epoch's reporters.
		disable(0);
		assert!(DisabledReporters::<Test>::get().is_empty());
		assert_eq!(SessionDisabled::<Test>::get().into_inner(), keys([4]));
		assert_ok!(dispatch(0, &[(EZ, 100)]));
		// Key 4 reports from the next epoch, disabled: excluded there.
		next_epoch();
		assert_eq!(DisabledReporters::<Test>::get().into_inner(), vec![0]);
		assert_noop!(dispatch(4, &[(EZ, 100)]), Error::ReporterDisabled);
		let epoch = Risk::current_epoch();
		for i in [5, 6] {
			let (r, s) = report(i, &[(EZ, 100)]);
			assert_ok!(submit(r, s));
		}
		next_epoch();
		assert_eq!(LastAccepted::<Test>::get(), Some(epoch));
	});
}
