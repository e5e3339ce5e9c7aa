//! `set_tiers`: governance only, only sound tiers. (The reporters are the session's validators:
//! `session.rs`.)

use super::*;
use frame_support::assert_noop;

#[test]
fn governance_sets_only_sound_tiers() {
	ExtBuilder::default().build_and_execute(|| {
		let mut bad = tiers();
		bad[1].ltv = Perbill::from_percent(96); // riskier tier allowing more
		assert_noop!(Risk::set_tiers(RuntimeOrigin::root(), bad), Error::InvalidTiers);
		let mut short = tiers();
		short.pop(); // does not cover the whole scale
		assert_noop!(Risk::set_tiers(RuntimeOrigin::root(), short), Error::InvalidTiers);
		assert_noop!(Risk::set_tiers(RuntimeOrigin::signed(1), tiers()), DispatchError::BadOrigin);
		assert_ok!(Risk::set_tiers(RuntimeOrigin::root(), tiers()));
		assert!(events().contains(&crate::Event::TiersSet));
	});
}

#[test]
fn the_calls_keep_their_indices_and_set_reporters_is_gone() {
	// `report` 0 and `set_tiers` 2 as before; index 1 (`set_reporters`) is retired.
	use codec::Encode;
	let set_tiers = crate::Call::<Test>::set_tiers { tiers: tiers() }.encode();
	assert_eq!(set_tiers[0], 2);
	ExtBuilder::default().build_and_execute(|| {
		let (r, s) = report(0, &[]);
		assert_eq!(crate::Call::<Test>::report { report: r, signature: s }.encode()[0], 0);
		// Index 1 decodes to no call.
		let retired = [1u8, 0];
		assert!(<crate::Call<Test> as codec::Decode>::decode(&mut &retired[..]).is_err());
	});
}
