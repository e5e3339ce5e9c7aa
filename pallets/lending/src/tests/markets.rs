//! Governance: `create_market`, `set_params`, `set_state`, and the caps and states they set.

use super::*;
use frame_support::assert_noop;
use sp_runtime::{DispatchError, Perbill};

#[test]
fn markets_are_created_by_governance_with_sound_parameters() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(
			Lending::create_market(origin(ALICE), LRT, ETH, params()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Lending::create_market(RuntimeOrigin::root(), ETH, ETH, params()),
			Error::SameAsset
		);
		assert_noop!(
			Lending::create_market(RuntimeOrigin::root(), 77, ETH, params()),
			Error::UnknownAsset
		);
		let broken = [
			MarketParams { ltv: Perbill::from_percent(93), ..params() },
			MarketParams { liquidation_threshold: Perbill::one(), ..params() },
			MarketParams { base_discount: Perbill::from_percent(30), ..params() },
			// 0.93 / 0.8 = 1.1625: a target of 1.1 could never be reached at the max discount.
			MarketParams { target_health: rate(110), ..params() },
			MarketParams { close_factor: Perbill::zero(), ..params() },
			MarketParams { reserve_factor: Perbill::one(), ..params() },
			MarketParams {
				interest: InterestModel { kink: Perbill::one(), ..params().interest },
				..params()
			},
			MarketParams {
				interest: InterestModel { slope_high: rate(1_000), ..params().interest },
				..params()
			},
		];
		for bad in broken {
			assert_noop!(
				Lending::create_market(RuntimeOrigin::root(), LRT, ETH, bad),
				Error::InvalidParams
			);
		}
		assert_ok!(Lending::create_market(RuntimeOrigin::root(), LRT, ETH, params()));
		assert_eq!(MarketsOfCollateral::<Test>::get(LRT).to_vec(), vec![0]);
		assert_eq!(
			events(),
			vec![crate::Event::MarketCreated { market: 0, collateral: LRT, borrow_asset: ETH }]
		);
	});
}

#[test]
fn parameter_changes_are_validated_and_bounded_per_change() {
	ExtBuilder.build_and_execute(|| {
		market();
		let tighter = MarketParams {
			ltv: Perbill::from_percent(80),
			liquidation_threshold: Perbill::from_percent(85),
			..params()
		};
		assert_noop!(
			Lending::set_params(RuntimeOrigin::root(), 0, tighter),
			Error::ParamStepTooLarge
		);
		assert_noop!(
			Lending::set_params(
				RuntimeOrigin::root(),
				0,
				MarketParams { ltv: Perbill::from_percent(95), ..params() }
			),
			Error::InvalidParams
		);
		assert_noop!(Lending::set_params(origin(ALICE), 0, params()), DispatchError::BadOrigin);
		assert_noop!(Lending::set_params(RuntimeOrigin::root(), 9, params()), Error::UnknownMarket);
		let step = MarketParams {
			ltv: Perbill::from_percent(86),
			liquidation_threshold: Perbill::from_percent(89),
			..params()
		};
		assert_ok!(Lending::set_params(RuntimeOrigin::root(), 0, step));
		assert_eq!(Markets::<Test>::get(0).unwrap().params, step);
	});
}

#[test]
fn caps_and_states_are_enforced() {
	ExtBuilder.build_and_execute(|| {
		market();
		let capped = MarketParams { supply_cap: 120 * ETHER, borrow_cap: 10 * ETHER, ..params() };
		assert_ok!(Lending::set_params(RuntimeOrigin::root(), 0, capped));
		assert_noop!(Lending::supply(origin(BOB), 0, 20 * ETHER + 1), Error::SupplyCapExceeded);
		assert_ok!(Lending::deposit_collateral(origin(BOB), 0, 50 * ETHER));
		assert_noop!(Lending::borrow(origin(BOB), 0, 10 * ETHER + 1), Error::BorrowCapExceeded);
		assert_ok!(Lending::set_state(RuntimeOrigin::root(), 0, MarketState::BorrowPaused));
		assert_noop!(Lending::borrow(origin(BOB), 0, ETHER), Error::BorrowPaused);
		assert_ok!(Lending::supply(origin(BOB), 0, ETHER));
		assert_ok!(Lending::set_state(RuntimeOrigin::root(), 0, MarketState::Frozen));
		assert_noop!(Lending::borrow(origin(BOB), 0, ETHER), Error::MarketFrozen);
		assert_noop!(Lending::supply(origin(BOB), 0, ETHER), Error::MarketFrozen);
		assert_noop!(Lending::deposit_collateral(origin(BOB), 0, ETHER), Error::MarketFrozen);
		// The ways out stay open.
		assert_ok!(Lending::withdraw(origin(BOB), 0, ETHER / 2));
		assert_ok!(Lending::withdraw_collateral(origin(BOB), 0, ETHER));
		assert_noop!(
			Lending::set_state(origin(BOB), 0, MarketState::Active),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_batch_of_parameter_changes_moves_ltv_and_threshold_one_step_per_window() {
	ExtBuilder.build_and_execute(|| {
		market();
		let with = |ltv, lt| MarketParams {
			ltv: Perbill::from_percent(ltv),
			liquidation_threshold: Perbill::from_percent(lt),
			..params()
		};
		let root = || RuntimeOrigin::root();
		// Several changes in one block, as a `utility.batch` makes them: each within 5 points
		// of the last, but the step counts from where the window started (90 % / 93 %).
		assert_ok!(Lending::set_params(root(), 0, with(87, 90)));
		assert_ok!(Lending::set_params(root(), 0, with(85, 88)));
		assert_noop!(Lending::set_params(root(), 0, with(84, 87)), Error::ParamStepTooLarge);
		assert_noop!(Lending::set_params(root(), 0, with(85, 87)), Error::ParamStepTooLarge);
		assert_noop!(Lending::set_params(root(), 0, with(84, 88)), Error::ParamStepTooLarge);
		// Back and forth within the window is measured from its start too.
		assert_ok!(Lending::set_params(root(), 0, with(90, 93)));
		assert_ok!(Lending::set_params(root(), 0, with(85, 88)));
		// A window later the next step starts from there.
		advance(86_399);
		assert_noop!(Lending::set_params(root(), 0, with(84, 87)), Error::ParamStepTooLarge);
		advance(1);
		assert_noop!(Lending::set_params(root(), 0, with(79, 82)), Error::ParamStepTooLarge);
		assert_ok!(Lending::set_params(root(), 0, with(80, 83)));
		assert_noop!(Lending::set_params(root(), 0, with(80, 82)), Error::ParamStepTooLarge);
		assert_eq!(Markets::<Test>::get(0).unwrap().params, with(80, 83));
	});
}
