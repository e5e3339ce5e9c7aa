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

/// Bridged ether's asset id in these tests.
const ETHER: AssetId = 1;

/// Creates `asset` the way the runtime's genesis creates bridged ether: the bridge's account in
/// every role, no units.
fn create_for_the_bridge(asset: AssetId) {
	assert_ok!(Assets::force_create(
		RuntimeOrigin::root(),
		asset,
		LrtBridge::account_id(),
		true,
		1
	));
}

#[test]
fn ether_is_bridged_through_proofs_but_is_no_lrt() {
	use ballast_primitives::lrt::LrtRegistry;
	use frame_support::traits::fungibles::Inspect;
	ExtBuilder::default().build_and_execute(|| {
		let mut gateway = Gateway::new();
		register(&gateway, 100 * UNIT, 10);
		create_for_the_bridge(ETHER);
		// The gateway's second token plays WETH.
		let (weth, address) = (h160(gateway.other_token), h160(gateway.gateway));
		assert_noop!(
			LrtBridge::register_ether(RuntimeOrigin::signed(ALICE), ETHER, weth, address, UNIT, 10),
			DispatchError::BadOrigin
		);
		assert_noop!(
			LrtBridge::register_ether(RuntimeOrigin::root(), ETHER, weth, address, UNIT, 0),
			Error::<Test>::ZeroWindow
		);
		assert_ok!(LrtBridge::register_ether(
			RuntimeOrigin::root(),
			ETHER,
			weth,
			address,
			100 * UNIT,
			10
		));
		System::assert_last_event(
			Event::EtherRegistered { asset: ETHER, token: weth, gateway: address }.into(),
		);
		assert_eq!(BridgedEther::<Test>::get(), Some(ETHER));
		assert_noop!(
			LrtBridge::register_ether(RuntimeOrigin::root(), ETHER + 1, weth, address, UNIT, 10),
			Error::<Test>::EtherAlreadyRegistered
		);

		// No pallet sees ether as an LRT.
		assert_eq!(<LrtBridge as LrtRegistry<AssetId>>::lrts(), vec![LRT]);
		assert_eq!(<LrtBridge as LrtRegistry<AssetId>>::lrt_of_token(weth), None);
		assert_eq!(<LrtBridge as LrtRegistry<AssetId>>::gateway(ETHER), None);
		assert_eq!(<LrtBridge as LrtRegistry<AssetId>>::state(ETHER), None);
		assert_noop!(
			LrtBridge::set_exposure(
				RuntimeOrigin::root(),
				ETHER,
				vec![H160::repeat_byte(1)],
				vec![]
			),
			Error::<Test>::NotAnLrt
		);

		// A proven WETH deposit mints ether, once; a withdrawal burns it.
		let proof = gateway.deposit_of(gateway.other_token, 5, ALICE);
		assert_ok!(super::submit(proof.clone()));
		assert_eq!(Assets::balance(ETHER, ALICE), 5 * UNIT);
		assert_eq!(Assets::balance(LRT, ALICE), 0);
		assert_noop!(super::submit(proof), Error::<Test>::NonceAlreadyUsed);
		assert_ok!(LrtBridge::withdraw(
			RuntimeOrigin::signed(ALICE),
			ETHER,
			2 * UNIT,
			H160::repeat_byte(0x42)
		));
		assert_eq!(Assets::total_issuance(ETHER), 3 * UNIT);
		assert_eq!(
			Totals::<Test>::get(ETHER),
			BridgeTotals { deposited: 5 * UNIT, withdrawn: 2 * UNIT }
		);
	});
}

#[test]
fn only_an_unissued_asset_held_wholly_by_the_bridge_is_adopted() {
	ExtBuilder::default().build_and_execute(|| {
		let gateway = Gateway::new();
		let (weth, address) = (h160(gateway.other_token), h160(gateway.gateway));
		let bridge = LrtBridge::account_id();
		let register = |asset| {
			LrtBridge::register_ether(RuntimeOrigin::root(), asset, weth, address, UNIT, 10)
		};
		// Owned by someone else.
		assert_ok!(Assets::force_create(RuntimeOrigin::root(), 5, ALICE, true, 1));
		assert_noop!(register(5), Error::<Test>::AssetExists);
		// The bridge owns it, but another account holds one of its other roles.
		for (asset, issuer, admin, freezer) in
			[(6, ALICE, bridge, bridge), (9, bridge, ALICE, bridge), (10, bridge, bridge, ALICE)]
		{
			create_for_the_bridge(asset);
			assert_ok!(Assets::set_team(
				RuntimeOrigin::signed(bridge),
				asset,
				issuer,
				admin,
				freezer
			));
			assert_noop!(register(asset), Error::<Test>::AssetExists);
		}
		// Units exist that no proven deposit minted.
		create_for_the_bridge(7);
		assert_ok!(Assets::mint(RuntimeOrigin::signed(bridge), 7, ALICE, 1));
		assert_noop!(register(7), Error::<Test>::AssetExists);
		// An LRT never adopts: only ether is created at genesis.
		create_for_the_bridge(8);
		assert_noop!(
			LrtBridge::register_lrt(RuntimeOrigin::root(), 8, weth, address, UNIT, 10),
			Error::<Test>::AssetExists
		);
		// One held wholly by the bridge, with nothing minted, is adopted as ether.
		assert_ok!(register(8));
		assert_eq!(BridgedEther::<Test>::get(), Some(8));
	});
}

#[test]
fn a_withdrawal_that_would_leave_dust_carries_the_dust() {
	use frame_support::traits::fungibles::Inspect;
	ExtBuilder::default().build_and_execute(|| {
		let mut gateway = Gateway::new();
		let (weth, address) = (h160(gateway.other_token), h160(gateway.gateway));
		// Ether with a minimum balance of 1,000 units, as the runtime's (1 gwei).
		assert_ok!(Assets::force_create(
			RuntimeOrigin::root(),
			ETHER,
			LrtBridge::account_id(),
			true,
			1_000
		));
		assert_ok!(LrtBridge::register_ether(
			RuntimeOrigin::root(),
			ETHER,
			weth,
			address,
			100 * UNIT,
			10
		));
		assert_ok!(super::submit(gateway.deposit_of(gateway.other_token, 5, ALICE)));
		// Leaving 1 unit, under the minimum: the burn takes all 5 ETH, and the withdrawal says so.
		assert_ok!(LrtBridge::withdraw(
			RuntimeOrigin::signed(ALICE),
			ETHER,
			5 * UNIT - 1,
			H160::repeat_byte(0x42)
		));
		assert_eq!(Assets::balance(ETHER, ALICE), 0);
		assert_eq!(Assets::total_issuance(ETHER), 0);
		assert_eq!(Totals::<Test>::get(ETHER).withdrawn, 5 * UNIT);
		let withdrawal = Withdrawals::<Test>::get(0).expect("queued");
		assert_eq!(withdrawal.amount, 5 * UNIT);
		System::assert_last_event(
			Event::WithdrawalQueued {
				nonce: 0,
				lrt: ETHER,
				who: ALICE,
				recipient: H160::repeat_byte(0x42),
				amount: 5 * UNIT,
			}
			.into(),
		);
	});
}
