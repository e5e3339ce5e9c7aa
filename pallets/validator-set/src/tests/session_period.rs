//! The session length from genesis: rotations, estimates, the genesis checks.

use crate::{mock::*, SessionPeriod};
use frame_support::{
	pallet_prelude::Weight,
	traits::{EstimateNextSessionRotation, Hooks},
};
use pallet_session::{PeriodicSessions, ShouldEndSession};
use sp_runtime::Permill;

/// The blocks up to `last` at which pallet-session started a new session.
fn rotation_blocks(last: u64) -> Vec<u64> {
	let mut rotations = Vec::new();
	while System::block_number() < last {
		let before = Session::current_index();
		run_to_block(System::block_number() + 1);
		if Session::current_index() != before {
			assert_eq!(Session::current_index(), before + 1, "one session per rotation");
			rotations.push(System::block_number());
		}
	}
	rotations
}

#[test]
fn sessions_rotate_every_genesis_period() {
	ExtBuilder::default().session_period(4).build_and_execute(|| {
		assert_eq!(SessionPeriod::<Test>::get(), 4);
		assert_eq!(rotation_blocks(17), vec![4, 8, 12, 16]);
		assert_eq!(Session::current_index(), 4);
	});
}

#[test]
fn sessions_rotate_every_default_period_without_genesis_value() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(ValidatorSet::session_period(), PERIOD);
		assert_eq!(rotation_blocks(35), vec![10, 20, 30]);
	});
}

#[test]
fn genesis_stores_the_default_period_so_a_new_default_cannot_move_it() {
	ExtBuilder::default().build_and_execute(|| {
		// Stored, not the `ValueQuery` default: a runtime upgrade changing
		// `DefaultSessionPeriod` leaves this chain's sessions alone.
		assert_eq!(SessionPeriod::<Test>::try_get(), Ok(PERIOD));
	});
}

#[test]
fn should_end_session_and_estimates_match_periodic_sessions_at_offset_zero() {
	frame_support::parameter_types! {
		pub const Four: u64 = 4;
		pub const Zero: u64 = 0;
	}
	type Reference = PeriodicSessions<Four, Zero>;
	ExtBuilder::default().session_period(4).build_and_execute(|| {
		for now in 0..=40u64 {
			assert_eq!(
				ValidatorSet::should_end_session(now),
				Reference::should_end_session(now),
				"should_end_session({now})"
			);
			assert_eq!(
				ValidatorSet::estimate_next_session_rotation(now).0,
				Reference::estimate_next_session_rotation(now).0,
				"estimate_next_session_rotation({now})"
			);
			assert_eq!(
				ValidatorSet::estimate_current_session_progress(now).0,
				Reference::estimate_current_session_progress(now).0,
				"estimate_current_session_progress({now})"
			);
		}
		assert_eq!(ValidatorSet::average_session_length(), 4);
	});
}

#[test]
fn estimated_rotation_is_the_next_actual_rotation() {
	ExtBuilder::default().session_period(5).build_and_execute(|| {
		let estimates: Vec<(u64, u64)> = (1..=20u64)
			.map(|now| (now, ValidatorSet::estimate_next_session_rotation(now).0.unwrap()))
			.collect();
		let rotations = rotation_blocks(30);
		for (now, estimate) in estimates {
			let next = rotations.iter().copied().find(|block| *block > now).unwrap();
			assert_eq!(estimate, next, "at block {now}");
		}
		// Progress: the current block counts as elapsed.
		assert_eq!(
			ValidatorSet::estimate_current_session_progress(10).0,
			Some(Permill::from_percent(20))
		);
		assert_eq!(ValidatorSet::estimate_current_session_progress(14).0, Some(Permill::one()));
	});
}

#[test]
fn estimates_report_their_read_of_the_period() {
	ExtBuilder::default().build_and_execute(|| {
		let one_read = <Test as frame_system::Config>::DbWeight::get().reads(1);
		assert_ne!(one_read, Weight::zero());
		assert_eq!(ValidatorSet::estimate_next_session_rotation(3).1, one_read);
		assert_eq!(ValidatorSet::estimate_current_session_progress(3).1, one_read);
		// pallet-session reads it through `should_end_session` in every block; this pallet's
		// `on_initialize` books that read.
		assert_eq!(<ValidatorSet as Hooks<u64>>::on_initialize(3), one_read);
	});
}

#[test]
fn a_zero_period_in_storage_falls_back_to_the_default_instead_of_dividing_by_zero() {
	ExtBuilder::default().session_period(4).build_and_execute(|| {
		SessionPeriod::<Test>::put(0);
		assert_eq!(ValidatorSet::session_period(), PERIOD);
		assert!(ValidatorSet::should_end_session(20));
		assert!(!ValidatorSet::should_end_session(4));
		SessionPeriod::<Test>::put(4);
	});
}

#[test]
#[should_panic(expected = "genesis session_period must not be zero")]
fn a_zero_genesis_period_is_refused() {
	let _ = ExtBuilder::default().session_period(0).build();
}

#[test]
#[should_panic(
	expected = "genesis session_period must be below collator-selection's KickThreshold"
)]
fn a_genesis_period_reaching_the_kick_threshold_is_refused() {
	// A candidate registered just after a rotation becomes a validator two rotations later; with
	// `KickThreshold ≤ period` the second rotation already finds it lazy.
	let _ = ExtBuilder::default().session_period(KICK_THRESHOLD).build();
}

#[test]
fn the_runtime_constants_pass_the_integrity_test() {
	ExtBuilder::default().build_and_execute(|| {
		<ValidatorSet as Hooks<u64>>::integrity_test();
	});
}
