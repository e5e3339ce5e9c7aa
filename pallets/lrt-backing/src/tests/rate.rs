//! The rate itself: rises capped at `max_yearly_growth` (CAPO), falls immediate, and stale data
//! blocking borrowing but not liquidations.

use super::*;
use ballast_primitives::{time::SECONDS_PER_YEAR, valuation::BackingRate};
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
		// A report of 0.9 applies at once and tells the hook.
		assert_ok!(submit(&reports[2]));
		assert_ok!(submit(&reports[3]));
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(900, 1_000)));
		let (lrt, _, current) = *decreases().last().expect("a decrease");
		assert_eq!((lrt, current), (LRT, rate(900, 1_000)));
		// The history keeps the last three rates.
		let history = History::<Test>::get(LRT);
		assert_eq!(history.len(), 3);
		assert_eq!(history.last().expect("rates").rate, rate(900, 1_000));
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
