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
			SLASHED_AFTER_SNAPSHOT,
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
			SLASHED_AFTER_SNAPSHOT,
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
		<LrtBacking as OnValidatorSlashed<AssetId>>::on_validator_slashed(
			LRT,
			7,
			32 * GWEI,
			9_700,
			SLASHED_AFTER_SNAPSHOT,
		);
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

#[test]
fn a_validator_slash_older_than_the_snapshot_is_not_booked() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		assert_ok!(submit(&valued(&[1_030])[0]));
		let before = LrtBacking::backing_rate(LRT);
		// EigenLayer's 61511: withdrawable at epoch 10,244, so slashed in epoch 2,052 at the
		// latest, long before the snapshot's slot 4,600,000: the LRT's total_eth includes it.
		let slashed = <LrtBacking as OnValidatorSlashed<AssetId>>::on_validator_slashed;
		slashed(LRT, 61_511, 31 * GWEI, 4_600_064, 10_244);
		System::assert_last_event(Event::SlashAlreadyReported { lrt: LRT, index: 61_511 }.into());
		assert!(Losses::<Test>::get(LRT).is_empty());
		assert!(!BookedSlashes::<Test>::contains_key(LRT, 61_511));
		assert_eq!(LrtBacking::backing_rate(LRT), before);
		assert!(decreases().is_empty());
		// Its later penalties are new: a balance drop after the snapshot is still a loss.
		let hook = <LrtBacking as OnValidatorBalanceChanged<AssetId>>::on_validator_balance_changed;
		hook(LRT, 61_511, 31 * GWEI, 30 * GWEI, 4_700_000);
		assert_eq!(Losses::<Test>::get(LRT)[0].wei, ETH);
		// A slash in the snapshot's epoch may be after it: booked (the epoch's last slot counts).
		slashed(LRT, 8, 32 * GWEI, 4_600_064, SNAPSHOT_SLOT / 32 + 8_192);
		assert!(BookedSlashes::<Test>::contains_key(LRT, 8));
		assert_eq!(Losses::<Test>::get(LRT).len(), 2);
	});
}

#[test]
fn a_booked_slash_leaves_the_books_once_a_snapshot_includes_it() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let reports = valued(&[1_030, 1_030, 1_030, 1_030]);
		assert_ok!(submit(&reports[0]));
		// Slashed in the epoch of slot 4,600,064 at the latest (last slot 4,600,095).
		<LrtBacking as OnValidatorSlashed<AssetId>>::on_validator_slashed(
			LRT,
			7,
			32 * GWEI,
			4_600_064,
			SLASHED_AFTER_SNAPSHOT,
		);
		assert_eq!(Losses::<Test>::get(LRT).len(), 1);
		// The next report (slot 4,600,032) may predate the slash: it stays.
		assert_ok!(submit(&reports[1]));
		assert_eq!(Losses::<Test>::get(LRT).len(), 1);
		// So does the one at 4,600,064, within the slash's epoch.
		assert_ok!(submit(&reports[2]));
		assert_eq!(Losses::<Test>::get(LRT).len(), 1);
		let lowered = LrtBacking::backing_rate(LRT);
		// The one at 4,600,096 is after the epoch: its total_eth includes the slash, which
		// leaves the books; the rate may only rise at the capped pace (no time passed: not at
		// all).
		assert_ok!(submit(&reports[3]));
		assert!(Losses::<Test>::get(LRT).is_empty());
		assert_eq!(LrtBacking::backing_rate(LRT), lowered);
	});
}

#[test]
fn a_slash_proven_before_the_lrt_was_valued_is_booked_when_params_are_set() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let slashed = <LrtBacking as OnValidatorSlashed<AssetId>>::on_validator_slashed;
		slashed(LRT, 7, 32 * GWEI, 9_000, SLASHED_AFTER_SNAPSHOT);
		System::assert_last_event(Event::UnvaluedSlashRecorded { lrt: LRT, index: 7 }.into());
		// Told twice (e.g. untracked and proven again): recorded once.
		slashed(LRT, 7, 32 * GWEI, 9_100, SLASHED_AFTER_SNAPSHOT);
		assert_eq!(UnvaluedSlashes::<Test>::get(LRT).len(), 1);
		assert!(Losses::<Test>::get(LRT).is_empty());

		// Governance values the LRT: the slash is booked at its expected loss.
		let reports = valued(&[1_030]);
		assert!(UnvaluedSlashes::<Test>::get(LRT).is_empty());
		let eb: u128 = 32 * GWEI as u128;
		let a = params().total_active_balance_gwei;
		let expected = (eb / 4096 + eb * (3 * eb).min(a) / a + eb * 3 / 1000) * GWEI as u128;
		assert_eq!(Losses::<Test>::get(LRT)[0].wei, expected);
		assert!(BookedSlashes::<Test>::contains_key(LRT, 7));
		// The first snapshot (slot 4,600,000) predates it: it lowers the first rate.
		assert_ok!(submit(&reports[0]));
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(1_030 * ETH - expected, 1_000 * ETH)));
		// Setting the params again books nothing twice.
		assert_ok!(LrtBacking::set_params(RuntimeOrigin::root(), LRT, params()));
		assert_eq!(Losses::<Test>::get(LRT).len(), 1);
	});
}
