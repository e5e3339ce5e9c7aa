//! The market caps: the LTV tightening at once, the liquidation threshold by a bounded step per
//! accepted epoch, loosening a step per accepted epoch, and what a slash and concentration do
//! to them.

use super::*;
use sp_runtime::traits::Saturating;

#[test]
fn the_ltv_tightens_at_once_the_threshold_by_steps_and_both_loosen_gradually() {
	ExtBuilder::default().build_and_execute(|| {
		with_world(EZ, |w| *w = healthy(4));
		accept_epoch(&[(EZ, 100)]);
		let pct = Perbill::from_percent;
		assert_eq!(Risk::limits(EZ), Some((pct(95), pct(98))));
		accept_epoch(&[(EZ, 600)]);
		assert_eq!(Risk::limits(EZ), Some((pct(50), pct(96))), "LTV at once, LT a step");
		// 96 → 60 two points per accepted epoch: 18 more.
		for _ in 0..18 {
			accept_epoch(&[(EZ, 600)]);
		}
		assert_eq!(Risk::limits(EZ), Some((pct(50), pct(60))));
		accept_epoch(&[(EZ, 100)]);
		assert_eq!(Risk::limits(EZ), Some((pct(51), pct(61))), "one point per epoch");
		accept_epoch(&[(EZ, 100)]);
		assert_eq!(Risk::limits(EZ), Some((pct(52), pct(62))));
		accept_epoch(&[(EZ, 400)]);
		// Tier 75/80 is above the current caps: still only a step up.
		assert_eq!(Risk::limits(EZ), Some((pct(53), pct(63))));
	});
}

#[test]
fn a_slash_and_concentration_lower_the_market_ltv_in_the_next_accepted_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		with_world(EZ, |w| *w = healthy(4));
		let scores = || -> Vec<(AssetId, u16)> {
			Risk::compute_all().into_iter().map(|(lrt, s)| (lrt, s.score)).collect()
		};
		accept_epoch(&scores());
		let before = Scores::<Test>::get(EZ).unwrap();
		let (ltv_before, lt_before) = Risk::limits(EZ).unwrap();
		// A validator proven slashed, and the stake moves to one operator.
		risky_world();
		accept_epoch(&scores());
		let after = Scores::<Test>::get(EZ).unwrap();
		let (ltv_after, lt_after) = Risk::limits(EZ).unwrap();
		assert!(after.score > before.score, "{} → {}", before.score, after.score);
		assert!(after.tier > before.tier);
		assert!(ltv_after < ltv_before);
		// The LTV at the tier's at once; the threshold one step towards the tier's.
		let tier = tiers()[after.tier as usize];
		assert_eq!(ltv_after, tier.ltv);
		assert_eq!(
			lt_after,
			tier.liquidation_threshold.max(lt_before.saturating_sub(Perbill::from_percent(2)))
		);
		assert!(lt_after < lt_before);
	});
}

#[test]
fn a_tier_change_moves_the_liquidation_threshold_one_step_per_epoch_and_the_ltv_at_once() {
	ExtBuilder::default().build_and_execute(|| {
		let pct = Perbill::from_percent;
		// The safest tier at 90/93 %, the riskiest at 50/60 %.
		let mut custom = tiers();
		custom[0] = Tier { max_score: 150, ltv: pct(90), liquidation_threshold: pct(93) };
		assert_ok!(Risk::set_tiers(RuntimeOrigin::root(), custom));
		with_world(EZ, |w| *w = healthy(4));
		for _ in 0..5 {
			accept_epoch(&[(EZ, 100)]);
		}
		assert_eq!(Risk::limits(EZ), Some((pct(90), pct(93))));
		// The LRT moves to the riskiest tier and stays there.
		let mut thresholds = Vec::new();
		for _ in 0..18 {
			accept_epoch(&[(EZ, 600)]);
			let (ltv, threshold) = Risk::limits(EZ).unwrap();
			assert_eq!(ltv, pct(50), "LTV, which only limits new borrowing, drops at once");
			thresholds.push(threshold);
		}
		// 93 → 91 → 89 … → 61 → 60: two points per accepted epoch, never below the tier's.
		let expected: Vec<Perbill> =
			(0..16).map(|k| pct(91 - 2 * k)).chain([pct(60), pct(60)]).collect();
		assert_eq!(thresholds, expected);
	});
}

#[test]
fn a_first_accepted_score_lowers_the_threshold_by_a_step_from_no_cap() {
	ExtBuilder::default().build_and_execute(|| {
		let pct = Perbill::from_percent;
		with_world(EZ, |w| *w = healthy(4));
		// No cap yet: lending uses the market's own parameters (at most 100 %).
		assert_eq!(Risk::limits(EZ), None);
		accept_epoch(&[(EZ, 600)]);
		assert_eq!(Risk::limits(EZ), Some((pct(50), pct(98))));
		accept_epoch(&[(EZ, 600)]);
		assert_eq!(Risk::limits(EZ), Some((pct(50), pct(96))));
	});
}
