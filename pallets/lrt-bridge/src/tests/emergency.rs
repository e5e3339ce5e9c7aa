//! The emergency origin: it may only tighten an LRT (pause deposits, freeze), at once; it can
//! never loosen one, set the state it already has, or call any other governance call.
//! Governance keeps every move.

use super::{register, submit};
use crate::{
	mock::{ethereum::*, *},
	*,
};
use frame_support::{assert_noop, assert_ok};
use sp_core::H160;
use sp_runtime::DispatchError;

fn emergency() -> RuntimeOrigin {
	RuntimeOrigin::signed(EMERGENCY)
}

fn state() -> LrtState {
	Lrts::<Test>::get(LRT).expect("registered").state
}

/// The bridge's events since the last reset.
fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::LrtBridge(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// Puts the LRT in `state` by governance and forgets the events so far.
fn governance_sets(state: LrtState) {
	assert_ok!(LrtBridge::set_state(RuntimeOrigin::root(), LRT, state));
	System::reset_events();
}

/// Registers `LRT` and forgets the registration's events.
fn registered() -> Gateway {
	let gateway = Gateway::new();
	register(&gateway, 100 * UNIT, 10);
	System::reset_events();
	gateway
}

#[test]
fn lrt_states_are_ordered_active_then_deposits_paused_then_frozen() {
	use LrtState::*;
	let all = [Active, DepositsPaused, Frozen];
	for (i, a) in all.iter().enumerate() {
		for (j, b) in all.iter().enumerate() {
			assert_eq!(a.is_stricter_than(*b), i > j, "{a:?} stricter than {b:?}");
		}
	}
}

#[test]
fn emergency_pauses_deposits_of_an_active_lrt_at_once() {
	ExtBuilder::default().build_and_execute(|| {
		let mut gateway = registered();
		let deposit = gateway.deposit(10, ALICE);
		assert_ok!(LrtBridge::set_state(emergency(), LRT, LrtState::DepositsPaused));
		assert_eq!(state(), LrtState::DepositsPaused);
		assert_eq!(
			events(),
			vec![Event::StateChanged { lrt: LRT, state: LrtState::DepositsPaused }]
		);
		// In the same block: nothing mints.
		assert_noop!(submit(deposit), Error::<Test>::DepositsPaused);
	});
}

#[test]
fn emergency_freezes_a_paused_or_active_lrt() {
	ExtBuilder::default().build_and_execute(|| {
		let mut gateway = registered();
		let deposit = gateway.deposit(10, ALICE);
		governance_sets(LrtState::DepositsPaused);
		assert_ok!(LrtBridge::set_state(emergency(), LRT, LrtState::Frozen));
		assert_eq!(state(), LrtState::Frozen);
		assert_eq!(events(), vec![Event::StateChanged { lrt: LRT, state: LrtState::Frozen }]);
		assert_noop!(submit(deposit), Error::<Test>::Frozen);

		// From active straight to frozen too.
		governance_sets(LrtState::Active);
		assert_ok!(LrtBridge::set_state(emergency(), LRT, LrtState::Frozen));
		assert_eq!(state(), LrtState::Frozen);
	});
}

#[test]
fn emergency_cannot_reactivate_unpause_or_unfreeze_an_lrt() {
	ExtBuilder::default().build_and_execute(|| {
		registered();
		let looser = [
			(LrtState::DepositsPaused, LrtState::Active),
			(LrtState::Frozen, LrtState::Active),
			(LrtState::Frozen, LrtState::DepositsPaused),
		];
		for (from, to) in looser {
			governance_sets(from);
			// `assert_noop`: no storage change and no event.
			assert_noop!(LrtBridge::set_state(emergency(), LRT, to), Error::<Test>::NotProtective);
			assert_eq!(state(), from);
			assert!(events().is_empty());
		}
	});
}

#[test]
fn emergency_cannot_set_the_state_an_lrt_already_has() {
	ExtBuilder::default().build_and_execute(|| {
		registered();
		for same in [LrtState::Active, LrtState::DepositsPaused, LrtState::Frozen] {
			governance_sets(same);
			assert_noop!(
				LrtBridge::set_state(emergency(), LRT, same),
				Error::<Test>::NotProtective
			);
			assert!(events().is_empty());
		}
	});
}

#[test]
fn emergency_on_an_unknown_lrt_fails_as_unknown() {
	ExtBuilder::default().build_and_execute(|| {
		registered();
		assert_noop!(
			LrtBridge::set_state(emergency(), LRT + 7, LrtState::Frozen),
			Error::<Test>::UnknownLrt
		);
	});
}

#[test]
fn a_signed_account_can_neither_pause_nor_reactivate_an_lrt() {
	ExtBuilder::default().build_and_execute(|| {
		registered();
		for to in [LrtState::DepositsPaused, LrtState::Frozen] {
			assert_noop!(
				LrtBridge::set_state(RuntimeOrigin::signed(ALICE), LRT, to),
				DispatchError::BadOrigin
			);
		}
		governance_sets(LrtState::Frozen);
		assert_noop!(
			LrtBridge::set_state(RuntimeOrigin::signed(ALICE), LRT, LrtState::Active),
			DispatchError::BadOrigin
		);
		assert_noop!(
			LrtBridge::set_state(RuntimeOrigin::none(), LRT, LrtState::Active),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn governance_may_still_set_any_lrt_state() {
	ExtBuilder::default().build_and_execute(|| {
		registered();
		use LrtState::*;
		// Tighter, looser and the same, in every direction.
		for to in
			[Frozen, DepositsPaused, Active, Active, DepositsPaused, DepositsPaused, Frozen, Active]
		{
			System::reset_events();
			assert_ok!(LrtBridge::set_state(RuntimeOrigin::root(), LRT, to));
			assert_eq!(state(), to);
			assert_eq!(events(), vec![Event::StateChanged { lrt: LRT, state: to }]);
		}
	});
}

#[test]
fn emergency_cannot_call_the_other_governance_calls() {
	ExtBuilder::default().build_and_execute(|| {
		let gateway = registered();
		let (token, address) = (h160(gateway.other_token), h160(gateway.gateway));
		assert_noop!(
			LrtBridge::register_lrt(emergency(), LRT + 1, token, address, UNIT, 10),
			DispatchError::BadOrigin
		);
		assert_noop!(
			LrtBridge::register_ether(emergency(), LRT + 1, token, address, UNIT, 10),
			DispatchError::BadOrigin
		);
		assert_noop!(
			LrtBridge::set_exposure(emergency(), LRT, vec![H160::repeat_byte(1)], vec![]),
			DispatchError::BadOrigin
		);
		assert_noop!(
			LrtBridge::set_mint_limit(emergency(), LRT, UNIT, 10),
			DispatchError::BadOrigin
		);
		assert_noop!(LrtBridge::cancel_deposit(emergency(), LRT, 0), DispatchError::BadOrigin);
	});
}
