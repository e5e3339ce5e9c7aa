//! `set_tiers` and `set_reporters`: governance only, and only sound tiers.

use super::*;
use frame_support::assert_noop;

#[test]
fn governance_sets_sound_tiers_and_the_reporters() {
	ExtBuilder::default().build_and_execute(|| {
		let mut bad = tiers();
		bad[1].ltv = Perbill::from_percent(96); // riskier tier allowing more
		assert_noop!(Risk::set_tiers(RuntimeOrigin::root(), bad), Error::InvalidTiers);
		let mut short = tiers();
		short.pop(); // does not cover the whole scale
		assert_noop!(Risk::set_tiers(RuntimeOrigin::root(), short), Error::InvalidTiers);
		assert_noop!(Risk::set_tiers(RuntimeOrigin::signed(1), tiers()), DispatchError::BadOrigin);
		assert_ok!(Risk::set_tiers(RuntimeOrigin::root(), tiers()));
		assert_noop!(
			Risk::set_reporters(RuntimeOrigin::signed(1), vec![reporter(0)]),
			DispatchError::BadOrigin
		);
		assert_ok!(Risk::set_reporters(RuntimeOrigin::root(), vec![reporter(0)]));
		// One reporter: one report is the quorum.
		with_world(EZ, |w| *w = healthy(4));
		let (r, s) = report(0, &[(EZ, 100)]);
		assert_ok!(submit(r, s));
		assert!(LastAccepted::<Test>::get().is_some());
	});
}
