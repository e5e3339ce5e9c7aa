//! `submit_backing_report`: proven snapshots set the rate, bad reports change nothing, and losses
//! leave the books once a snapshot is old enough to include them.

use super::*;
use ballast_ethereum_harness::scenarios::deposit_and_report;
use ballast_primitives::{ethereum::OnValidatorBalanceChanged, valuation::BackingRate};
use frame_support::{assert_noop, dispatch::Pays};
use sp_core::H160;

#[test]
fn a_proven_snapshot_sets_the_rate() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let reports = valued(&[1_030]);
		let result = submit(&reports[0]).expect("accepted");
		assert_eq!(result.pays_fee, Pays::No);
		let c = LrtBacking::components(LRT).expect("valued");
		assert_eq!(c.reported, rate(1_030, 1_000));
		assert_eq!(c.effective, rate(1_030, 1_000));
		assert!(!c.stale);
		assert_eq!(LrtBacking::borrow_rate(LRT), Some(rate(1_030, 1_000)));
		let snapshot = Snapshots::<Test>::get(LRT).expect("stored");
		assert_eq!((snapshot.total_eth, snapshot.total_supply), (1_030 * ETH, 1_000 * ETH));
		assert_eq!(snapshot.stakes.len(), 2);
		assert!(decreases().is_empty());
		// The same report again is not newer.
		assert_noop!(submit(&reports[0]), Error::<Test>::StaleSnapshot);
	});
}

#[test]
fn bad_reports_change_nothing() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0);
		let scenario = deposit_and_report([1; 32], 10, 1_030);
		// Not valued yet, then not registered, then not finalized, then forged or foreign.
		register(LRT, scenario.token, scenario.gateway);
		assert_noop!(submit(&scenario.report), Error::<Test>::NotValued);
		assert_ok!(LrtBacking::set_params(RuntimeOrigin::root(), LRT, params()));
		assert_noop!(submit(&scenario.report), Error::<Test>::InvalidProof);
		finalize_execution_block(H256::from(
			scenario.beacon.execution_proof().execution_header.block_hash().0,
		));
		assert_noop!(submit(&scenario.deposit), Error::<Test>::WrongEvent);
		let mut forged = scenario.report.clone();
		forged.event_log.data[32 + 31] ^= 1; // totalEth
		assert_noop!(submit(&forged), Error::<Test>::InvalidProof);
		let mut foreign = scenario.report.clone();
		foreign.event_log.address = H160::repeat_byte(0x77);
		assert_noop!(submit(&foreign), Error::<Test>::WrongEmitter);
		register(LRT, H160::repeat_byte(0x55), scenario.gateway);
		LRTS.with(|l| l.borrow_mut().remove(&scenario.token));
		assert_noop!(submit(&scenario.report), Error::<Test>::UnknownToken);
		assert_noop!(
			LrtBacking::set_params(RuntimeOrigin::signed(1), LRT, params()),
			sp_runtime::DispatchError::BadOrigin
		);
		assert!(Snapshots::<Test>::get(LRT).is_none());
	});
}

#[test]
fn losses_leave_the_books_once_a_snapshot_is_old_enough_to_include_them() {
	ExtBuilder.build_and_execute(|| {
		fresh_validators();
		let reports = valued(&[1_030, 1_029, 1_029]);
		// Ballast's clock before the harness's Ethereum blocks, so a later snapshot can postdate
		// the loss.
		set_time(T0 - 1_000);
		assert_ok!(submit(&reports[0]));
		set_time(T0 - 900);
		<LrtBacking as OnValidatorBalanceChanged<AssetId>>::on_validator_balance_changed(
			LRT,
			3,
			32 * GWEI,
			31 * GWEI,
			9_000,
		);
		// Within the recognition delay the loss stays booked against the next snapshot.
		assert_ok!(submit(&reports[1]));
		assert_eq!(Losses::<Test>::get(LRT).len(), 1);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(1_028, 1_000)));
		// With no delay, a snapshot newer than the loss is taken to include it: the loss goes,
		// and the rate may only rise at the capped pace (no time has passed: not at all).
		assert_ok!(LrtBacking::set_params(
			RuntimeOrigin::root(),
			LRT,
			BackingParams { recognition_delay: 0, ..params() }
		));
		assert_ok!(submit(&reports[2]));
		assert!(Losses::<Test>::get(LRT).is_empty());
		let c = LrtBacking::components(LRT).expect("valued");
		assert_eq!((c.reported, c.proven), (rate(1_029, 1_000), rate(1_029, 1_000)));
		assert_eq!(c.effective, rate(1_028, 1_000));
	});
}

#[test]
fn a_snapshot_reporting_zero_eth_is_refused() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let reports = valued(&[1_030, 0]);
		assert_ok!(submit(&reports[0]));
		// At rate 0 an outside liquidation would repay nothing and seize everything.
		assert_noop!(submit(&reports[1]), Error::<Test>::ZeroBacking);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(1_030, 1_000)));
	});
}

/// Params whose confirmation delay is `blocks` harness blocks (12 s of Ethereum time each).
fn confirm_after(blocks: u64) -> BackingParams {
	BackingParams { fall_confirmation_delay: 12 * blocks, ..params() }
}

#[test]
fn an_unproven_fall_is_bounded_until_a_later_snapshot_confirms_it() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		// Ethereum times T0+12, +24, +36, +48.
		let reports = valued(&[1_030, 500, 480, 490]);
		assert_ok!(LrtBacking::set_params(RuntimeOrigin::root(), LRT, confirm_after(2)));
		assert_ok!(submit(&reports[0]));
		let before = rate(1_030, 1_000);

		// The LRT reports half its backing, and no proven loss explains it: the rate falls 1 %
		// at most, the rest waits, and borrowing pauses.
		assert_ok!(submit(&reports[1]));
		let held = before - before * FixedU128::from(Perbill::from_percent(1));
		assert_eq!(LrtBacking::backing_rate(LRT), Some(held));
		assert_eq!(LrtBacking::borrow_rate(LRT), None);
		let c = LrtBacking::components(LRT).expect("valued");
		assert_eq!(c.unconfirmed, Some(rate(500, 1_000)));
		assert!(!c.stale && !c.circuit_breaker);
		System::assert_has_event(
			Event::FallPending { lrt: LRT, nonce: 2, reported: rate(500, 1_000), held }.into(),
		);
		assert_eq!(decreases(), vec![(LRT, before, held)]);

		// A proven loss still comes off at once.
		let hook = <LrtBacking as OnValidatorBalanceChanged<AssetId>>::on_validator_balance_changed;
		hook(LRT, 3, 32 * GWEI, 31 * GWEI, 9_000);
		let lowered = held - rate(1, 1_000);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(lowered));
		assert_eq!(decreases().last(), Some(&(LRT, held, lowered)));

		// A lower report within the delay (12 s after the first, of 24): the rate holds.
		assert_ok!(submit(&reports[2]));
		assert_eq!(LrtBacking::backing_rate(LRT), Some(lowered));
		assert_eq!(LrtBacking::borrow_rate(LRT), None);
		assert!(PendingFalls::<Test>::contains_key(LRT));

		// A report still at or below the pending one, the delay (24 s) after it: the fall applies
		// in full, at once (and trips the circuit breaker).
		assert_ok!(submit(&reports[3]));
		let confirmed = rate(490 * ETH - ETH, 1_000 * ETH);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(confirmed));
		assert!(!PendingFalls::<Test>::contains_key(LRT));
		System::assert_has_event(
			Event::FallConfirmed { lrt: LRT, nonce: 2, confirmed_by: 4 }.into(),
		);
		assert_eq!(decreases().last(), Some(&(LRT, lowered, confirmed)));
		let c = LrtBacking::components(LRT).expect("valued");
		assert!(c.unconfirmed.is_none() && c.circuit_breaker);
		assert_eq!(LrtBacking::borrow_rate(LRT), None);
	});
}

#[test]
fn a_dip_reported_by_a_lower_nonce_is_undone_at_once_by_the_next() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let reports = valued(&[1_030, 500, 1_030]);
		assert_ok!(submit(&reports[0]));
		// Someone submits a dipped report (a lower nonce) first: held at 1 % below.
		assert_ok!(submit(&reports[1]));
		assert!(LrtBacking::backing_rate(LRT) < Some(rate(1_030, 1_000)));
		// The next report is back: the rate is back at once, not at the growth cap's pace from
		// the dip, and borrowing resumes.
		set_time(T0 + 120);
		assert_ok!(submit(&reports[2]));
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(1_030, 1_000)));
		assert_eq!(LrtBacking::borrow_rate(LRT), Some(rate(1_030, 1_000)));
		assert!(!PendingFalls::<Test>::contains_key(LRT));
		System::assert_has_event(
			Event::FallCancelled { lrt: LRT, nonce: 2, cancelled_by: 3 }.into(),
		);
	});
}

#[test]
fn a_higher_report_cancels_a_pending_fall_and_a_lesser_fall_waits_again() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let reports = valued(&[1_030, 500, 1_000, 1_000]);
		assert_ok!(LrtBacking::set_params(RuntimeOrigin::root(), LRT, confirm_after(1)));
		assert_ok!(submit(&reports[0]));
		assert_ok!(submit(&reports[1]));
		let held = LrtBacking::backing_rate(LRT);
		// 1.00 is above the pending 0.50 (cancelled) but still 2.9 % below 1.03: it waits for
		// its own confirmation, the rate held where it was.
		assert_ok!(submit(&reports[2]));
		System::assert_has_event(
			Event::FallCancelled { lrt: LRT, nonce: 2, cancelled_by: 3 }.into(),
		);
		let pending = PendingFalls::<Test>::get(LRT).expect("pending");
		assert_eq!((pending.target, pending.nonce), (rate(1, 1), 3));
		assert_eq!(LrtBacking::backing_rate(LRT), held);
		assert_eq!(LrtBacking::borrow_rate(LRT), None);
		// Confirmed one block later: 1.00 applies.
		assert_ok!(submit(&reports[3]));
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(1, 1)));
		assert_eq!(LrtBacking::borrow_rate(LRT), Some(rate(1, 1)));
	});
}

#[test]
fn a_fall_within_the_bound_applies_at_once() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let reports = valued(&[1_030, 1_025]);
		assert_ok!(submit(&reports[0]));
		assert_ok!(submit(&reports[1]));
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(1_025, 1_000)));
		assert_eq!(LrtBacking::borrow_rate(LRT), Some(rate(1_025, 1_000)));
		assert_eq!(decreases(), vec![(LRT, rate(1_030, 1_000), rate(1_025, 1_000))]);
	});
}
