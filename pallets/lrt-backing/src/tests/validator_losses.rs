//! Validator losses through `pallet-validator-health`'s hooks: a slashed validator is booked once
//! at its expected loss, and balance drops are losses while withdrawals are not.

use super::*;
use ballast_primitives::{
	ethereum::{OnValidatorBalanceChanged, OnValidatorSlashed},
	valuation::BackingRate,
};

#[test]
fn a_slashed_validator_lowers_the_rate_by_the_documented_amount_in_the_same_block() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		assert_ok!(submit(&valued(&[1_030])[0]));
		let before = LrtBacking::backing_rate(LRT).expect("valued");

		<LrtBacking as OnValidatorSlashed<AssetId>>::on_validator_slashed(
			LRT,
			61_511,
			32 * GWEI,
			9_500,
		);

		// initial = eb/4096; correlation = eb·min(3·S, A)/A with S = eb (the only slash);
		// exit = eb·0.3%. All in Gwei.
		let eb: u128 = 32 * GWEI as u128;
		let a = params().total_active_balance_gwei;
		let expected_gwei = eb / 4096 + eb * (3 * eb).min(a) / a + eb * 3 / 1000;
		assert_eq!(expected_gwei, 7_812_500 + 90_352 + 96_000_000);
		let losses = Losses::<Test>::get(LRT);
		assert_eq!(losses[0].wei, expected_gwei * 1_000_000_000);
		let after = LrtBacking::backing_rate(LRT).expect("valued");
		assert_eq!(after, rate(1_030 * ETH - expected_gwei * 1_000_000_000, 1_000 * ETH));
		assert_eq!(decreases(), vec![(LRT, before, after)]);

		// Booked once per validator, whatever the hooks say later.
		<LrtBacking as OnValidatorSlashed<AssetId>>::on_validator_slashed(
			LRT,
			61_511,
			32 * GWEI,
			9_600,
		);
		<LrtBacking as OnValidatorBalanceChanged<AssetId>>::on_validator_balance_changed(
			LRT,
			61_511,
			32 * GWEI,
			31 * GWEI,
			9_600,
		);
		assert_eq!(Losses::<Test>::get(LRT).len(), 1);

		// A second slash in the window weighs more (the correlation grows with S).
		<LrtBacking as OnValidatorSlashed<AssetId>>::on_validator_slashed(LRT, 7, 32 * GWEI, 9_700);
		let second = Losses::<Test>::get(LRT)[1].wei / 1_000_000_000;
		assert_eq!(second, eb / 4096 + eb * (6 * eb) / a + eb * 3 / 1000);
	});
}

#[test]
fn balance_drops_are_losses_but_withdrawals_are_not() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		assert_ok!(submit(&valued(&[1_030])[0]));
		let hook = <LrtBacking as OnValidatorBalanceChanged<AssetId>>::on_validator_balance_changed;
		// A partial withdrawal sweeps the excess above 32 ETH; a full withdrawal empties it.
		hook(LRT, 1, 32_050_000_000, 32 * GWEI, 9_000);
		hook(LRT, 2, 32 * GWEI, 0, 9_000);
		assert!(Losses::<Test>::get(LRT).is_empty());
		// Penalties take it below what it held (capped at 32 ETH).
		hook(LRT, 3, 32_010_000_000, 31_900_000_000, 9_000);
		assert_eq!(Losses::<Test>::get(LRT)[0].wei, 100_000_000 * 1_000_000_000);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(1_030 * ETH - ETH / 10, 1_000 * ETH)));
		assert_eq!(decreases().len(), 1);
	});
}
