//! A property test of the bounds: random validator slashes, balance drops, snapshots above the
//! stored rate and waits, with the valuation's books (`do_try_state`) checked after every step.

use super::*;
use ballast_primitives::{
	ethereum::{OnValidatorBalanceChanged, OnValidatorSlashed},
	time::SECONDS_PER_YEAR,
	valuation::BackingRate,
};
use proptest::prelude::*;
use sp_runtime::traits::{One, Saturating};

/// The most the rate may be `elapsed` seconds after `base`, at the params' growth cap.
fn grown(base: FixedU128, elapsed: u64) -> FixedU128 {
	let growth = FixedU128::from(params().max_yearly_growth)
		.saturating_mul(FixedU128::saturating_from_rational(elapsed, SECONDS_PER_YEAR));
	base.saturating_mul(FixedU128::one().saturating_add(growth))
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

	/// Whatever losses and snapshots arrive and whenever, the effective rate never exceeds the
	/// reported one or the proven one, never rises faster than the cap, and every fall of the
	/// rate lending reads tells the hook once, with that rate; the books hold after every step.
	#[test]
	fn the_rate_stays_within_its_bounds(
		totals in proptest::collection::vec(1_030u64..1_400, 1..5),
		events in proptest::collection::vec((0u64..4, 1u64..40 * DAY, 1u64..2_000_000_000), 1..12)
	) {
		ExtBuilder.build_and_execute(|| {
			fresh_validators();
			set_time(T0 + 60);
			let mut all = vec![1_030];
			all.extend(totals);
			let reports = valued(&all);
			assert_ok!(submit(&reports[0]));
			prop_assert_eq!(LrtBacking::do_try_state(), Ok(()));
			let slashed = <LrtBacking as OnValidatorSlashed<AssetId>>::on_validator_slashed;
			let balance =
				<LrtBacking as OnValidatorBalanceChanged<AssetId>>::on_validator_balance_changed;
			let mut now = T0 + 60;
			let mut index = 0u64;
			let mut next_report = 1;
			for (kind, wait, gwei) in events {
				now += wait;
				set_time(now);
				// What lending reads before the step, and the cap's baselines.
				let before = LrtBacking::backing_rate(LRT).expect("valued");
				let stored = Rates::<Test>::get(LRT).expect("stored");
				let pending = PendingFalls::<Test>::get(LRT);
				let decreases_before = decreases().len();
				index += 1;
				match kind {
					0 => slashed(LRT, index, 32 * GWEI, 9_000, SLASHED_AFTER_SNAPSHOT),
					1 => balance(LRT, index, 32 * GWEI, 32 * GWEI - gwei.min(31 * GWEI), 9_000),
					// A snapshot reporting at least the first one (above the stored rate
					// unless losses or a fall intervened).
					2 if next_report < reports.len() => {
						assert_ok!(submit(&reports[next_report]));
						next_report += 1;
					},
					_ => {},
				}
				let c = LrtBacking::components(LRT).expect("valued");
				prop_assert!(c.effective <= c.reported);
				prop_assert!(c.effective <= c.proven);
				let mut cap = grown(stored.rate, now - stored.at).max(stored.rate);
				if let Some(p) = pending {
					cap = cap.max(grown(p.before, now - p.before_at));
				}
				prop_assert!(c.effective <= cap);
				// The read rate fell ⇒ the hook was told, once, with the rate lending read.
				if c.effective < before {
					prop_assert_eq!(decreases().len(), decreases_before + 1);
					prop_assert_eq!(decreases().last().cloned(), Some((LRT, before, c.effective)));
				} else {
					prop_assert_eq!(decreases().len(), decreases_before);
				}
				prop_assert_eq!(LrtBacking::do_try_state(), Ok(()));
			}
			Ok(())
		})?;
	}
}
