//! The rate itself: rises capped at `max_yearly_growth` (CAPO), falls immediate, and stale data
//! blocking borrowing but not liquidations.

use super::*;
use ballast_primitives::{time::SECONDS_PER_YEAR, valuation::BackingRate};
use frame_support::assert_noop;
use sp_runtime::Saturating;

#[test]
fn rises_are_capped_and_falls_are_immediate() {
	ExtBuilder.build_and_execute(|| {
		fresh_validators();
		let reports = valued(&[1_030, 1_200, 1_250, 900]);
		set_time(T0 + 60);
		assert_ok!(submit(&reports[0]));
		// Half a year later the LRT reports 1.2: the rate may only grow 10%/year → ×1.05.
		set_time(T0 + 60 + SECONDS_PER_YEAR / 2);
		assert_ok!(submit(&reports[1]));
		let capped = rate(1_030, 1_000).saturating_mul(rate(105, 100));
		let c = LrtBacking::components(LRT).expect("valued");
		assert_eq!(c.reported, rate(1_200, 1_000));
		assert_eq!(c.effective, capped);
		// With time alone the cap keeps rising (lazily), never past the reported rate.
		set_time(T0 + 60 + SECONDS_PER_YEAR);
		let later = LrtBacking::backing_rate(LRT).expect("valued");
		assert_eq!(later, capped.saturating_mul(rate(105, 100)));
		set_time(T0 + 60 + 5 * SECONDS_PER_YEAR);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(1_200, 1_000)));
		// A report of 0.9 no proven loss explains falls at once by the bound (1 %) and tells the
		// hook; the rest waits for confirmation.
		assert_ok!(submit(&reports[2]));
		assert_ok!(submit(&reports[3]));
		let held = crate::math::lowered(rate(1_250, 1_000), Perbill::from_percent(1));
		assert_eq!(LrtBacking::backing_rate(LRT), Some(held));
		let (lrt, _, current) = *decreases().last().expect("a decrease");
		assert_eq!((lrt, current), (LRT, held));
		// The history keeps the last three rates.
		let history = History::<Test>::get(LRT);
		assert_eq!(history.len(), 3);
		assert_eq!(history.last().expect("rates").rate, held);
	});
}

#[test]
fn stale_data_blocks_borrowing_not_liquidations() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		let reports = valued(&[1_030]);
		assert_ok!(submit(&reports[0]));
		// No validator proofs at all: stale.
		assert_eq!(LrtBacking::borrow_rate(LRT), None);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(1_030, 1_000)));
		fresh_validators();
		assert_eq!(LrtBacking::borrow_rate(LRT), Some(rate(1_030, 1_000)));
		// Proofs too old.
		OLDEST_PROOF.with(|s| *s.borrow_mut() = Some(1_000));
		assert_eq!(LrtBacking::borrow_rate(LRT), None);
		fresh_validators();
		// The snapshot too old.
		set_time(T0 + 8 * DAY);
		assert!(LrtBacking::components(LRT).expect("valued").stale);
		assert_eq!(LrtBacking::borrow_rate(LRT), None);
		assert!(LrtBacking::backing_rate(LRT).is_some());
	});
}

#[test]
fn a_fall_while_the_cap_ramps_tells_the_hook() {
	ExtBuilder.build_and_execute(|| {
		fresh_validators();
		let reports = valued(&[100, 110]);
		// Stored 0.100, then a report of 0.110: capped, nothing stored yet.
		set_time(T0 + 60);
		assert_ok!(submit(&reports[0]));
		assert_ok!(submit(&reports[1]));
		// Half a year later lending reads 0.105 (the cap), while 0.100 is still stored.
		set_time(T0 + 60 + SECONDS_PER_YEAR / 2);
		let read = LrtBacking::backing_rate(LRT).expect("valued");
		assert_eq!(read, rate(105, 1_000));
		assert_eq!(Rates::<Test>::get(LRT).expect("stored").rate, rate(100, 1_000));
		// A proven loss takes it to 0.102: above what is stored, below what lending read.
		let hook = validator_balance_changed;
		hook(LRT, 1, 32 * GWEI, 24 * GWEI, 9_000);
		let after = LrtBacking::backing_rate(LRT).expect("valued");
		assert_eq!(after, rate(102, 1_000));
		assert_eq!(decreases(), vec![(LRT, read, after)]);
		System::assert_last_event(
			Event::RateChanged { lrt: LRT, previous: Some(read), current: after }.into(),
		);
	});
}

/// Four validators of the LRT lose 31 ETH each (124 ETH).
fn lose_124_eth(first_index: u64) {
	let hook = validator_balance_changed;
	for index in first_index..first_index + 4 {
		hook(LRT, index, 32 * GWEI, GWEI, 9_000);
	}
}

#[test]
fn a_fall_beyond_the_breaker_pauses_borrowing_until_the_window_ends_or_governance_clears_it() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		assert_ok!(submit(&valued(&[2_000])[0]));
		// Proven losses of 124 ETH out of 2,000: 6.2 %, under the 10 % breaker.
		lose_124_eth(1);
		assert!(LrtBacking::borrow_rate(LRT).is_some());
		// Another 124 ETH the same day: 12.4 % below the day's highest rate.
		set_time(T0 + 3_600);
		lose_124_eth(5);
		let rate_now = rate(2_000 - 248, 1_000);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate_now));
		assert!(LrtBacking::components(LRT).expect("valued").circuit_breaker);
		assert_eq!(LrtBacking::borrow_rate(LRT), None);
		assert!(System::events().iter().any(|record| matches!(
			record.event,
			RuntimeEvent::LrtBacking(Event::CircuitBreakerTripped { lrt: LRT, peak, .. })
				if peak == rate(2, 1)
		)));
		// Governance clears it: borrowing resumes; only governance may.
		assert_noop!(
			LrtBacking::clear_circuit_breaker(RuntimeOrigin::signed(1), LRT),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(LrtBacking::clear_circuit_breaker(RuntimeOrigin::root(), LRT));
		System::assert_last_event(Event::CircuitBreakerCleared { lrt: LRT }.into());
		assert_eq!(LrtBacking::borrow_rate(LRT), Some(rate_now));
		assert_noop!(
			LrtBacking::clear_circuit_breaker(RuntimeOrigin::root(), LRT),
			Error::<Test>::CircuitBreakerNotTripped
		);
		// The window restarts from there: another 6.2 % does not trip it...
		lose_124_eth(9);
		assert!(LrtBacking::borrow_rate(LRT).is_some());
		// ... a further one does, and the pause ends by itself a window later.
		lose_124_eth(13);
		assert_eq!(LrtBacking::borrow_rate(LRT), None);
		set_time(T0 + 3_600 + DAY);
		assert!(LrtBacking::borrow_rate(LRT).is_some());
	});
}
