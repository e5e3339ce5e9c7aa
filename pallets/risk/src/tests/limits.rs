//! The market caps: tightening at once, loosening a step per accepted epoch, and what a slash
//! and concentration do to them.

use super::*;

#[test]
fn tightening_applies_at_once_and_loosening_gradually() {
	ExtBuilder::default().build_and_execute(|| {
		with_world(EZ, |w| *w = healthy(4));
		accept_epoch(&[(EZ, 100)]);
		let pct = Perbill::from_percent;
		assert_eq!(Risk::limits(EZ), Some((pct(95), pct(98))));
		next_epoch();
		accept_epoch(&[(EZ, 600)]);
		assert_eq!(Risk::limits(EZ), Some((pct(50), pct(60))), "at once");
		next_epoch();
		accept_epoch(&[(EZ, 100)]);
		assert_eq!(Risk::limits(EZ), Some((pct(51), pct(61))), "one point per epoch");
		next_epoch();
		accept_epoch(&[(EZ, 100)]);
		assert_eq!(Risk::limits(EZ), Some((pct(52), pct(62))));
		next_epoch();
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
		let (ltv_before, _) = Risk::limits(EZ).unwrap();
		// A validator proven slashed, and the stake moves to one operator.
		risky_world();
		next_epoch();
		accept_epoch(&scores());
		let after = Scores::<Test>::get(EZ).unwrap();
		let (ltv_after, lt_after) = Risk::limits(EZ).unwrap();
		assert!(after.score > before.score, "{} → {}", before.score, after.score);
		assert!(after.tier > before.tier);
		assert!(ltv_after < ltv_before);
		assert_eq!((ltv_after, lt_after), {
			let tier = tiers()[after.tier as usize];
			(tier.ltv, tier.liquidation_threshold)
		});
	});
}
