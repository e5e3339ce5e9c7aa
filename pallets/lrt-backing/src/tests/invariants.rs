//! A property test of the bounds: random validator slashes, balance drops and waits, with the
//! valuation's books (`do_try_state`) checked after every step.

use super::*;
use ballast_primitives::{
	ethereum::{OnValidatorBalanceChanged, OnValidatorSlashed},
	time::SECONDS_PER_YEAR,
	valuation::BackingRate,
};
use proptest::prelude::*;
use sp_runtime::traits::{One, Saturating};

proptest! {
	#![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

	/// Whatever losses arrive and whenever, the effective rate never exceeds the reported one
	/// or the proven one, never rises faster than the cap, and every fall tells the hook; the
	/// books hold after every step.
	#[test]
	fn the_rate_stays_within_its_bounds(
		events in proptest::collection::vec((0u64..3, 1u64..40 * DAY, 1u64..2_000_000_000), 1..12)
	) {
		ExtBuilder.build_and_execute(|| {
			fresh_validators();
			set_time(T0 + 60);
			assert_ok!(submit(&valued(&[1_030])[0]));
			prop_assert_eq!(LrtBacking::do_try_state(), Ok(()));
			let slashed = <LrtBacking as OnValidatorSlashed<AssetId>>::on_validator_slashed;
			let balance =
				<LrtBacking as OnValidatorBalanceChanged<AssetId>>::on_validator_balance_changed;
			let mut now = T0 + 60;
			let mut index = 0u64;
			for (kind, wait, gwei) in events {
				let before = LrtBacking::backing_rate(LRT).expect("valued");
				let stored = Rates::<Test>::get(LRT).expect("stored");
				now += wait;
				set_time(now);
				let decreases_before = decreases().len();
				index += 1;
				match kind {
					0 => slashed(LRT, index, 32 * GWEI, 9_000),
					1 => balance(LRT, index, 32 * GWEI, 32 * GWEI - gwei.min(31 * GWEI), 9_000),
					_ => {},
				}
				let c = LrtBacking::components(LRT).expect("valued");
				prop_assert!(c.effective <= c.reported);
				prop_assert!(c.effective <= c.proven);
				let elapsed = now - stored.at;
				let growth = FixedU128::from(params().max_yearly_growth)
					.saturating_mul(FixedU128::saturating_from_rational(elapsed, SECONDS_PER_YEAR));
				let cap = stored.rate.saturating_mul(FixedU128::one().saturating_add(growth));
				prop_assert!(c.effective <= cap.max(stored.rate));
				if c.effective < before && kind != 2 {
					prop_assert_eq!(decreases().len(), decreases_before + 1);
				}
				prop_assert_eq!(LrtBacking::do_try_state(), Ok(()));
			}
			Ok(())
		})?;
	}
}
