//! `submit_backing_report`: proven snapshots set the rate, bad reports change nothing, and losses
//! leave the books once a snapshot is old enough to include them.

use super::*;
use ballast_ethereum_harness::scenarios::deposit_and_report;
use ballast_primitives::valuation::BackingRate;
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
		let reports = valued(&[1_030, 1_029, 1_030]);
		// Ballast's clock before the harness's Ethereum blocks, so a later snapshot can postdate
		// the loss.
		set_time(T0 - 1_000);
		assert_ok!(submit(&reports[0]));
		set_time(T0 - 900);
		validator_balance_changed(LRT, 3, 32 * GWEI, 31 * GWEI, 9_000);
		// Within the recognition delay the loss stays booked against the next snapshot.
		assert_ok!(submit(&reports[1]));
		assert_eq!(Losses::<Test>::get(LRT).len(), 1);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(1_028, 1_000)));
		// With no delay, a snapshot newer than the loss is taken to include it: the loss goes,
		// and the rate recovers at once up to the highest rate read within the confirmation
		// delay (1.029, after the loss), beyond it only at the capped pace (no time has passed:
		// not at all).
		assert_ok!(LrtBacking::set_params(
			RuntimeOrigin::root(),
			LRT,
			BackingParams { recognition_delay: 0, ..params() }
		));
		assert_ok!(submit(&reports[2]));
		assert!(Losses::<Test>::get(LRT).is_empty());
		let c = LrtBacking::components(LRT).expect("valued");
		assert_eq!((c.reported, c.proven), (rate(1_030, 1_000), rate(1_030, 1_000)));
		assert_eq!(c.effective, rate(1_029, 1_000));
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
		let hook = validator_balance_changed;
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
fn a_pending_fall_is_confirmed_at_the_confirming_snapshots_own_rate() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let reports = valued(&[1_030, 500, 1_000, 1_000]);
		assert_ok!(LrtBacking::set_params(RuntimeOrigin::root(), LRT, confirm_after(1)));
		assert_ok!(submit(&reports[0]));
		assert_ok!(submit(&reports[1]));
		// 1.00 is above the pending 0.50 but still 2.9 % below 1.03, one block (the delay) after
		// the fall started: it confirms the fall, at its own rate (never lower than it
		// reports), and borrowing resumes.
		assert_ok!(submit(&reports[2]));
		System::assert_has_event(
			Event::FallConfirmed { lrt: LRT, nonce: 2, confirmed_by: 3 }.into(),
		);
		assert!(!PendingFalls::<Test>::contains_key(LRT));
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(1, 1)));
		assert_eq!(LrtBacking::borrow_rate(LRT), Some(rate(1, 1)));
		// The confirmed rate is the new baseline: the same report again changes nothing.
		assert_ok!(submit(&reports[3]));
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(1, 1)));
		assert!(!PendingFalls::<Test>::contains_key(LRT));
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

#[test]
fn slightly_higher_reports_do_not_keep_a_pending_fall_from_confirming() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		// Ethereum times T0+12, +24, +36, +48.
		let reports = valued(&[1_030, 500, 510, 520]);
		assert_ok!(LrtBacking::set_params(RuntimeOrigin::root(), LRT, confirm_after(2)));
		assert_ok!(submit(&reports[0]));
		assert_ok!(submit(&reports[1]));
		let held = LrtBacking::backing_rate(LRT);
		// Anyone may report in between: a slightly higher report, still beyond the bound, keeps
		// the episode (its start and its baseline) and the held rate.
		assert_ok!(submit(&reports[2]));
		let pending = PendingFalls::<Test>::get(LRT).expect("pending");
		assert_eq!((pending.nonce, pending.since), (2, T0 + 24));
		assert_eq!(LrtBacking::backing_rate(LRT), held);
		// The delay (24 s) after the episode started, a report still beyond the bound confirms
		// the fall at its own rate (0.52, not the episode's first 0.50).
		assert_ok!(submit(&reports[3]));
		assert!(!PendingFalls::<Test>::contains_key(LRT));
		System::assert_has_event(
			Event::FallConfirmed { lrt: LRT, nonce: 2, confirmed_by: 4 }.into(),
		);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(520, 1_000)));
	});
}

/// 1.030 → 1.021 → 1.012 → 1.003 → 0.994: each under 1 % below the one before, 3.5 % in all.
const WALK_DOWN: [u64; 5] = [1_030, 1_021, 1_012, 1_003, 994];

/// Submits `WALK_DOWN` (the first report at `T0 + 60`, each later one `spacing` seconds of Ballast
/// time after the one before) and checks that the rate fell by the bound at most and waits.
fn walk_down(spacing: u64) {
	set_time(T0 + 60);
	fresh_validators();
	let reports = valued(&WALK_DOWN);
	assert_ok!(submit(&reports[0]));
	for (step, report) in reports.iter().enumerate().skip(1) {
		set_time(T0 + 60 + spacing * step as u64);
		assert_ok!(submit(report));
	}
	// 1.021 is within 1 % of 1.03 and applies; 1.012 is not: the rate is held at the bound of
	// the highest rate within the confirmation delay, and borrowing pauses.
	let bound = crate::math::lowered(rate(1_030, 1_000), Perbill::from_percent(1));
	assert_eq!(LrtBacking::backing_rate(LRT), Some(bound));
	assert_eq!(LrtBacking::borrow_rate(LRT), None);
	assert_eq!(PendingFalls::<Test>::get(LRT).map(|p| p.nonce), Some(3));
	assert_eq!(
		decreases(),
		vec![(LRT, rate(1_030, 1_000), rate(1_021, 1_000)), (LRT, rate(1_021, 1_000), bound)]
	);
}

#[test]
fn in_bound_dips_in_one_batch_cannot_walk_the_rate_down() {
	ExtBuilder.build_and_execute(|| walk_down(0));
}

#[test]
fn in_bound_dips_over_consecutive_blocks_cannot_walk_the_rate_down() {
	ExtBuilder.build_and_execute(|| walk_down(6));
}

#[test]
fn a_recovery_after_an_in_bound_dip_is_not_capped() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let reports = valued(&[1_030, 1_025, 1_030]);
		assert_ok!(submit(&reports[0]));
		set_time(T0 + 120);
		assert_ok!(submit(&reports[1]));
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(1_025, 1_000)));
		// Back to the rate lending read before the dip, a minute later: at once, not at the
		// growth cap's pace from the dip.
		set_time(T0 + 180);
		assert_ok!(submit(&reports[2]));
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(1_030, 1_000)));
		assert_eq!(LrtBacking::borrow_rate(LRT), Some(rate(1_030, 1_000)));
	});
}

#[test]
fn the_unproven_fall_bound_renews_once_the_confirmation_delay_has_passed() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let reports = valued(&[1_030, 1_024, 1_018]);
		assert_ok!(submit(&reports[0]));
		set_time(T0 + 120);
		assert_ok!(submit(&reports[1]));
		// 1.018 is 1.2 % below 1.03 but 0.6 % below 1.024, the highest rate lending read in the
		// last day (the confirmation delay): it applies.
		set_time(T0 + 120 + DAY);
		assert_ok!(submit(&reports[2]));
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(1_018, 1_000)));
		assert!(!PendingFalls::<Test>::contains_key(LRT));
	});
}

#[test]
fn valuing_more_lrts_than_max_valued_lrts_is_refused() {
	ExtBuilder.build_and_execute(|| {
		// The mock values three LRTs at most.
		for lrt in [LRT, LRT + 1, LRT + 2] {
			assert_ok!(LrtBacking::set_params(RuntimeOrigin::root(), lrt, params()));
		}
		assert_noop!(
			LrtBacking::set_params(RuntimeOrigin::root(), LRT + 3, params()),
			Error::<Test>::TooManyValuedLrts
		);
		// Those valued may still change their settings.
		let slower = BackingParams { max_yearly_growth: Perbill::from_percent(5), ..params() };
		assert_ok!(LrtBacking::set_params(RuntimeOrigin::root(), LRT + 1, slower));
	});
}

/// Finding 13: a report is free when it succeeds, but its bytes are not: the proof is bounded
/// and its submitter pays its length fee (a refused report pays its transaction's full fee).
#[test]
fn a_free_report_still_pays_for_its_bytes_and_is_bounded() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let reports = valued(&[1_030, 1_030]);
		let size = LrtBacking::proof_size(&reports[0]);
		// Who cannot pay for the bytes changes nothing.
		assert_noop!(
			LrtBacking::submit_backing_report(
				RuntimeOrigin::signed(PENNILESS),
				Box::new(reports[0].clone())
			),
			sp_runtime::DispatchError::Other("cannot pay the length fee")
		);
		assert_ok!(submit(&reports[0]));
		assert_eq!(length_fees(), vec![(1, size)]);
		// An oversized proof is refused before anything is looked at.
		let mut padded = reports[1].clone();
		padded.event_log.data = vec![0; MAX_PROOF_SIZE as usize];
		assert_noop!(
			LrtBacking::submit_backing_report(RuntimeOrigin::signed(1), Box::new(padded.clone())),
			Error::<Test>::ProofTooLarge
		);
		// The declared weight grows with the proof's bytes.
		use frame_support::dispatch::GetDispatchInfo;
		let weight = |proof: &EventProof| {
			Call::<Test>::submit_backing_report { event: Box::new(proof.clone()) }
				.get_dispatch_info()
				.call_weight
		};
		assert!(weight(&padded).ref_time() > weight(&reports[1]).ref_time());
		assert_eq!(length_fees().len(), 1);
	});
}
