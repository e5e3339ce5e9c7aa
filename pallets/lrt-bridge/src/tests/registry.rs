//! Registration and the governance calls: origins, uniqueness, exposure, state.

use super::register;
use crate::{
	mock::{ethereum::*, *},
	*,
};
use frame_support::{assert_noop, assert_ok};
use sp_core::H160;
use sp_runtime::DispatchError;

#[test]
fn registration_is_governance_only_and_unique() {
	ExtBuilder::default().build_and_execute(|| {
		let gateway = Gateway::new();
		let (token, address) = (h160(gateway.token), h160(gateway.gateway));
		assert_noop!(
			LrtBridge::register_lrt(RuntimeOrigin::signed(ALICE), LRT, token, address, UNIT, 10),
			DispatchError::BadOrigin
		);
		assert_noop!(
			LrtBridge::register_lrt(RuntimeOrigin::root(), LRT, token, address, UNIT, 0),
			Error::<Test>::ZeroWindow
		);
		register(&gateway, 100 * UNIT, 10);
		assert!(pallet_assets::Asset::<Test>::contains_key(LRT));
		assert_eq!(Lrts::<Test>::get(LRT).expect("profile").state, LrtState::Active);
		assert_noop!(
			LrtBridge::register_lrt(
				RuntimeOrigin::root(),
				LRT,
				H160::repeat_byte(9),
				address,
				UNIT,
				10
			),
			Error::<Test>::AssetExists
		);
		assert_noop!(
			LrtBridge::register_lrt(RuntimeOrigin::root(), LRT + 1, token, address, UNIT, 10),
			Error::<Test>::TokenAlreadyRegistered
		);
		// An asset created elsewhere cannot be taken over.
		assert_ok!(Assets::force_create(RuntimeOrigin::root(), 5, ALICE, true, 1));
		assert_noop!(
			LrtBridge::register_lrt(
				RuntimeOrigin::root(),
				5,
				H160::repeat_byte(9),
				address,
				UNIT,
				10
			),
			Error::<Test>::AssetExists
		);

		let operators = vec![H160::repeat_byte(0x0a); 9];
		assert_noop!(
			LrtBridge::set_exposure(RuntimeOrigin::root(), LRT, operators, vec![]),
			Error::<Test>::TooManyEntries
		);
		assert_ok!(LrtBridge::set_exposure(
			RuntimeOrigin::root(),
			LRT,
			vec![H160::repeat_byte(0x0a)],
			vec![H160::repeat_byte(0xa5)]
		));
		use ballast_primitives::lrt::LrtRegistry;
		assert_eq!(
			<LrtBridge as LrtRegistry<AssetId>>::operators(LRT),
			vec![H160::repeat_byte(0x0a)]
		);
		assert_eq!(<LrtBridge as LrtRegistry<AssetId>>::gateway(LRT), Some(address));
		assert_noop!(
			LrtBridge::set_state(RuntimeOrigin::root(), LRT + 7, LrtState::Frozen),
			Error::<Test>::UnknownLrt
		);
	});
}
