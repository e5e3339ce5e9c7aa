//! The emergency origin: it may only tighten a market (pause borrowing, freeze), at once; it can
//! never loosen one, set the state it already has, or call any other governance call.
//! Governance keeps every move.

use super::*;
use frame_support::assert_noop;
use sp_runtime::DispatchError;

fn emergency() -> RuntimeOrigin {
	origin(EMERGENCY)
}

fn state() -> MarketState {
	Markets::<Test>::get(0).unwrap().state
}

/// Puts the market in `state` by governance and forgets the events so far.
fn governance_sets(state: MarketState) {
	assert_ok!(Lending::set_state(RuntimeOrigin::root(), 0, state));
	System::reset_events();
}

#[test]
fn market_states_are_ordered_active_then_borrow_paused_then_frozen() {
	use MarketState::*;
	let all = [Active, BorrowPaused, Frozen];
	for (i, a) in all.iter().enumerate() {
		for (j, b) in all.iter().enumerate() {
			assert_eq!(a.is_stricter_than(*b), i > j, "{a:?} stricter than {b:?}");
		}
	}
}

#[test]
fn emergency_pauses_an_active_market_at_once() {
	ExtBuilder.build_and_execute(|| {
		market();
		assert_ok!(Lending::deposit_collateral(origin(BOB), 0, 10 * ETHER));
		System::reset_events();
		assert_ok!(Lending::set_state(emergency(), 0, MarketState::BorrowPaused));
		assert_eq!(state(), MarketState::BorrowPaused);
		assert_eq!(
			events(),
			vec![crate::Event::StateChanged { market: 0, state: MarketState::BorrowPaused }]
		);
		// In the same block: no new borrowing.
		assert_noop!(Lending::borrow(origin(BOB), 0, ETHER), Error::BorrowPaused);
	});
}

#[test]
fn emergency_freezes_a_paused_or_active_market() {
	ExtBuilder.build_and_execute(|| {
		market();
		governance_sets(MarketState::BorrowPaused);
		assert_ok!(Lending::set_state(emergency(), 0, MarketState::Frozen));
		assert_eq!(state(), MarketState::Frozen);
		assert_eq!(
			events(),
			vec![crate::Event::StateChanged { market: 0, state: MarketState::Frozen }]
		);
		assert_noop!(Lending::supply(origin(BOB), 0, ETHER), Error::MarketFrozen);

		// From active straight to frozen too.
		governance_sets(MarketState::Active);
		assert_ok!(Lending::set_state(emergency(), 0, MarketState::Frozen));
		assert_eq!(state(), MarketState::Frozen);
	});
}

#[test]
fn emergency_cannot_reactivate_unpause_or_unfreeze_a_market() {
	ExtBuilder.build_and_execute(|| {
		market();
		let looser = [
			(MarketState::BorrowPaused, MarketState::Active),
			(MarketState::Frozen, MarketState::Active),
			(MarketState::Frozen, MarketState::BorrowPaused),
		];
		for (from, to) in looser {
			governance_sets(from);
			// `assert_noop`: no storage change (the market and its accrual) and no event.
			assert_noop!(Lending::set_state(emergency(), 0, to), Error::NotProtective);
			assert_eq!(state(), from);
			assert!(events().is_empty());
		}
	});
}

#[test]
fn emergency_cannot_set_the_state_a_market_already_has() {
	ExtBuilder.build_and_execute(|| {
		market();
		for same in [MarketState::Active, MarketState::BorrowPaused, MarketState::Frozen] {
			governance_sets(same);
			assert_noop!(Lending::set_state(emergency(), 0, same), Error::NotProtective);
			assert!(events().is_empty());
		}
	});
}

#[test]
fn emergency_on_an_unknown_market_fails_as_unknown() {
	ExtBuilder.build_and_execute(|| {
		market();
		assert_noop!(Lending::set_state(emergency(), 9, MarketState::Frozen), Error::UnknownMarket);
	});
}

#[test]
fn a_signed_account_can_neither_pause_nor_reactivate() {
	ExtBuilder.build_and_execute(|| {
		market();
		assert_noop!(
			Lending::set_state(origin(BOB), 0, MarketState::BorrowPaused),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Lending::set_state(origin(BOB), 0, MarketState::Frozen),
			DispatchError::BadOrigin
		);
		governance_sets(MarketState::Frozen);
		assert_noop!(
			Lending::set_state(origin(BOB), 0, MarketState::Active),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Lending::set_state(RuntimeOrigin::none(), 0, MarketState::Active),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn governance_may_still_set_any_state() {
	ExtBuilder.build_and_execute(|| {
		market();
		use MarketState::*;
		// Tighter, looser and the same, in every direction.
		for to in [Frozen, BorrowPaused, Active, Active, BorrowPaused, BorrowPaused, Frozen, Active]
		{
			System::reset_events();
			assert_ok!(Lending::set_state(RuntimeOrigin::root(), 0, to));
			assert_eq!(state(), to);
			assert_eq!(events(), vec![crate::Event::StateChanged { market: 0, state: to }]);
		}
	});
}

#[test]
fn emergency_cannot_call_the_other_governance_calls() {
	ExtBuilder.build_and_execute(|| {
		market();
		assert_noop!(
			Lending::create_market(emergency(), LRT, ETH, params()),
			DispatchError::BadOrigin
		);
		assert_noop!(Lending::set_params(emergency(), 0, params()), DispatchError::BadOrigin);
		assert_noop!(
			Lending::withdraw_reserves(emergency(), 0, EMERGENCY, 1),
			DispatchError::BadOrigin
		);
	});
}
