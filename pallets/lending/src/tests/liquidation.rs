//! `liquidate`: who may be liquidated, the discount, the repayment, leftovers and bad debt.

use super::*;
use ballast_primitives::time::SECONDS_PER_YEAR;
use frame_support::{
	assert_noop,
	pallet_prelude::TransactionSource,
	traits::{Authorize, Hooks},
	weights::Weight,
};
use sp_runtime::{PerThing, Perbill, Rounding};

#[test]
fn healthy_positions_cannot_be_liquidated_and_nobody_liquidates_themselves() {
	ExtBuilder.build_and_execute(|| {
		market();
		borrower(BOB, 10 * ETHER, 9 * ETHER);
		assert_noop!(Lending::liquidate(origin(LIQUIDATOR), 0, BOB, ETHER), Error::PositionHealthy);
		set_rate(LRT, rate(95));
		assert_noop!(Lending::liquidate(origin(BOB), 0, BOB, ETHER), Error::SelfLiquidation);
		assert_noop!(Lending::liquidate(origin(LIQUIDATOR), 0, CAROL, ETHER), Error::NoPosition);
	});
}

#[test]
fn a_partial_liquidation_restores_the_target_health_at_a_growing_discount() {
	ExtBuilder.build_and_execute(|| {
		market();
		borrower(BOB, 10 * ETHER, 9 * ETHER);
		// 10 · 0.96 · 0.93 = 8.928 < 9: health 0.992, discount 1 % + 0.8 % = 1.8 %.
		set_rate(LRT, rate(96));
		let quote = Lending::liquidation_quote(0, &BOB).unwrap();
		assert_eq!(quote.discount, Perbill::from_parts(18_000_000));
		let close = Perbill::from_percent(50).mul_ceil(9 * ETHER);
		// R = (1.25 · 9 − 8.928) / (1.25 − 0.93 / 0.982) = 7.107…; the close factor caps it at 4.5.
		assert_eq!(quote.repay, close);
		let before = (eth(LIQUIDATOR), lrt(LIQUIDATOR));
		assert_ok!(Lending::liquidate(origin(LIQUIDATOR), 0, BOB, u128::MAX));
		let seized = quote.seize;
		// 4.5 ETH / (0.96 · 0.982) LRT.
		let expected_seize = 4_500_000_000_000_000_000u128 * 1_000_000_000_000_000_000
			/ 960_000_000_000_000_000
			* 1_000_000_000
			/ 982_000_000;
		assert!(seized.abs_diff(expected_seize) <= 2, "{seized} vs {expected_seize}");
		assert_eq!(eth(LIQUIDATOR), before.0 - close);
		assert_eq!(lrt(LIQUIDATOR), before.1 + seized - quote.protocol_fee);
		assert!(quote.protocol_fee > 0);
		assert_eq!(ledger().stock, quote.protocol_fee);
		let view = Lending::position_view(0, &BOB).unwrap();
		assert_eq!(view.debt, 9 * ETHER - close);
		assert!(!view.liquidatable);
		assert_try_state();
	});
}

#[test]
fn without_a_close_factor_the_repayment_lands_on_the_target_health() {
	ExtBuilder.build_and_execute(|| {
		market();
		let params = MarketParams { close_factor: Perbill::one(), ..params() };
		assert_ok!(Lending::set_params(RuntimeOrigin::root(), 0, params));
		borrower(BOB, 100 * ETHER, 90 * ETHER);
		set_rate(LRT, rate(96));
		assert_ok!(Lending::liquidate(origin(LIQUIDATOR), 0, BOB, u128::MAX));
		let health = Lending::position_view(0, &BOB).unwrap().health.unwrap();
		let target = rate(125);
		let off = if health > target { health - target } else { target - health };
		assert!(off < FixedU128::from_rational(1, 1_000_000_000), "{health:?}");
	});
}

#[test]
fn a_very_unhealthy_position_is_closed_and_its_leftover_collateral_returned() {
	ExtBuilder.build_and_execute(|| {
		market();
		let params = MarketParams { full_liquidation_health: rate(98), ..params() };
		assert_ok!(Lending::set_params(RuntimeOrigin::root(), 0, params));
		borrower(BOB, 10 * ETHER, 9 * ETHER);
		// Health 10 · 0.948 · 0.93 / 9 = 0.9796 < 0.98: the whole debt may go, at a discount of
		// 1 % + 2.04 %.
		set_rate(LRT, FixedU128::from_rational(948, 1000));
		let quote = Lending::liquidation_quote(0, &BOB).unwrap();
		assert_eq!(quote.repay, 9 * ETHER);
		assert_eq!(quote.discount, Perbill::from_parts(30_400_000));
		assert_eq!(quote.bad_debt, 0);
		assert!(quote.returned > ETHER / 5);
		let bob_lrt = lrt(BOB);
		assert_ok!(Lending::liquidate(origin(LIQUIDATOR), 0, BOB, u128::MAX));
		assert_eq!(lrt(BOB), bob_lrt + quote.returned);
		assert!(Positions::<Test>::get(0, BOB).is_none());
		assert!(events().contains(&crate::Event::CollateralReturned {
			market: 0,
			who: BOB,
			amount: quote.returned
		}));
		assert_try_state();
	});
}

#[test]
fn the_discount_never_turns_a_solvent_position_into_bad_debt() {
	ExtBuilder.build_and_execute(|| {
		market();
		borrower(BOB, 10 * ETHER, 9 * ETHER);
		// Health 10 · 0.91 · 0.93 / 9 = 0.940: 1 % + 6 % would take more collateral than there
		// is, though it is worth 9.1 ETH against 9 ETH of debt. The discount stops at 1 − 9/9.1.
		set_rate(LRT, rate(91));
		let quote = Lending::liquidation_quote(0, &BOB).unwrap();
		assert_eq!(
			quote.discount,
			Perbill::one()
				- Perbill::from_rational_with_rounding(90u32, 91u32, sp_runtime::Rounding::Up)
					.unwrap()
		);
		assert_eq!(quote.repay, 9 * ETHER);
		assert_eq!(quote.bad_debt, 0);
		assert_ok!(Lending::liquidate(origin(LIQUIDATOR), 0, BOB, u128::MAX));
		assert_eq!(ledger().bad_debt, BadDebt::default());
		assert_try_state();
	});
}

#[test]
fn a_liquidation_may_not_leave_dust() {
	ExtBuilder.build_and_execute(|| {
		market();
		// Debt 0.015 ETH, minimum 0.01: half of it would leave dust, so the whole debt goes.
		borrower(BOB, 167 * ETHER / 10_000, 15 * ETHER / 1000);
		set_rate(LRT, rate(96));
		assert_eq!(Lending::liquidation_quote(0, &BOB).unwrap().repay, 15 * ETHER / 1000);
		assert_noop!(
			Lending::liquidate(origin(LIQUIDATOR), 0, BOB, ETHER / 100),
			Error::DebtBelowMinimum
		);
		assert_ok!(Lending::liquidate(origin(LIQUIDATOR), 0, BOB, u128::MAX));
		assert_eq!(debt(BOB), 0);
	});
}

#[test]
fn bad_debt_is_covered_by_reserves_first_then_socialised() {
	ExtBuilder.build_and_execute(|| {
		market();
		borrower(BOB, 10 * ETHER, 9 * ETHER);
		borrower(CAROL, 100 * ETHER, 45 * ETHER);
		advance(SECONDS_PER_YEAR);
		assert_ok!(Lending::repay(origin(CAROL), 0, CAROL, u128::MAX));
		let reserves = ledger().reserves;
		assert!(reserves > 0);
		let lenders_before = Lending::lender(0, &ALICE).assets;
		// A 50 % slash: BOB's 10 LRT are worth 5 ETH against more than 9 ETH of debt.
		set_rate(LRT, rate(50));
		let owed = debt(BOB);
		let quote = Lending::liquidation_quote(0, &BOB).unwrap();
		assert_eq!(quote.seize, 10 * ETHER);
		// Insolvent even at par: no solvency room, so no discount (not even the base).
		assert_eq!(quote.discount, Perbill::zero());
		// 10 LRT · 0.5 = 5 ETH repaid for all the collateral; the rest is bad debt.
		let repaid = 5 * ETHER;
		assert_eq!(quote.repay, repaid);
		assert_eq!(quote.bad_debt, owed - repaid);
		assert_ok!(Lending::liquidate(origin(LIQUIDATOR), 0, BOB, u128::MAX));
		let books = ledger();
		let bad = owed - repaid;
		assert_eq!(books.bad_debt.total, bad);
		assert_eq!(books.bad_debt.covered_by_reserves, reserves);
		assert_eq!(books.bad_debt.socialised, bad - reserves);
		assert_eq!(books.reserves, 0);
		assert!(Positions::<Test>::get(0, BOB).is_none());
		// The lenders lose exactly the socialised part.
		let lenders_after = Lending::lender(0, &ALICE).assets;
		assert!(
			(lenders_before - lenders_after).abs_diff(bad - reserves) <= 2,
			"{lenders_before} → {lenders_after}, socialised {}",
			bad - reserves
		);
		assert!(events().contains(&crate::Event::BadDebtRecorded {
			market: 0,
			borrower: Some(BOB),
			amount: bad,
			covered_by_reserves: reserves,
			socialised: bad - reserves,
		}));
		assert_try_state();
	});
}

#[test]
fn a_position_solvent_at_par_books_no_bad_debt_under_the_base_discount() {
	ExtBuilder.build_and_execute(|| {
		market();
		borrower(BOB, 10 * ETHER, 9 * ETHER);
		borrower(CAROL, 10 * ETHER, 9 * ETHER);
		// Rate 0.905: 10 LRT are worth 9.05 ETH against 9 ETH of debt (health 0.935, under
		// 0.95: the whole debt goes). The base discount of 1 % would seize 9 / (0.905 · 0.99) =
		// 10.045 LRT, more than there is, and book 0.0405 ETH of bad debt. The discount stops at
		// the solvency room 1 − 9 / 9.05 = 0.55 %, under the base.
		let rate = FixedU128::from_rational(905, 1000);
		set_rate(LRT, rate);
		let room = Perbill::one()
			- Perbill::from_rational_with_rounding(9_000u32, 9_050u32, Rounding::Up).unwrap();
		assert!(room < Perbill::from_percent(1));
		let quote = Lending::liquidation_quote(0, &BOB).unwrap();
		assert_eq!(quote.discount, room);
		assert_eq!((quote.repay, quote.bad_debt), (9 * ETHER, 0));
		assert!(quote.seize <= 10 * ETHER);
		// BOB liquidates himself through a second account (DAVE): together they gain nothing.
		let worth = || {
			let lrt_held =
				lrt(BOB) + lrt(DAVE) + Positions::<Test>::get(0, BOB).unwrap().collateral;
			(eth(BOB) + eth(DAVE)) as i128
				+ value_of(lrt_held, rate, Rounding::Down).unwrap() as i128
				- debt(BOB) as i128
		};
		let before = worth();
		assert_ok!(Lending::liquidate(origin(DAVE), 0, BOB, u128::MAX));
		assert!(Positions::<Test>::get(0, BOB).is_none());
		let after = (eth(BOB) + eth(DAVE)) as i128
			+ value_of(lrt(BOB) + lrt(DAVE), rate, Rounding::Down).unwrap() as i128;
		assert!(after <= before, "self-liquidation gained {}", after - before);
		// The market's own liquidation of CAROL's identical position books none either.
		Lending::on_idle(1, Weight::MAX);
		assert!(Positions::<Test>::get(0, CAROL).is_none());
		assert_eq!(ledger().bad_debt, BadDebt::default());
		assert!(!events().iter().any(|e| matches!(e, crate::Event::BadDebtRecorded { .. })));
		assert_try_state();
	});
}

#[test]
fn a_zero_rate_lets_no_outside_liquidator_take_collateral() {
	ExtBuilder.build_and_execute(|| {
		market();
		borrower(BOB, 10 * ETHER, 9 * ETHER);
		set_rate(LRT, rate(0));
		let position = Positions::<Test>::get(0, BOB);
		// Nothing to repay against collateral valued at 0: no collateral leaves for nothing.
		assert_noop!(Lending::liquidate(origin(LIQUIDATOR), 0, BOB, u128::MAX), Error::ZeroRepay);
		assert!(Lending::liquidation_quote(0, &BOB).is_none());
		assert!(!Lending::position_view(0, &BOB).unwrap().liquidatable);
		assert_eq!(Positions::<Test>::get(0, BOB), position);
		assert_eq!((ledger().stock, ledger().bad_debt), (0, BadDebt::default()));
		assert_try_state();
	});
}

#[test]
fn at_a_zero_rate_the_keepers_liquidation_writes_the_debt_off() {
	ExtBuilder.build_and_execute(|| {
		market();
		borrower(BOB, 10 * ETHER, 9 * ETHER);
		set_rate(LRT, rate(0));
		let owed = debt(BOB);
		let lenders_before = Lending::lender(0, &ALICE).assets;
		// The keeper's transaction is valid: the market writes the debt off.
		let call = crate::Call::<Test>::liquidate_unhealthy { market: 0, borrower: BOB };
		assert!(call.authorize(TransactionSource::Local).unwrap().is_ok());
		assert_ok!(Lending::liquidate_unhealthy(
			frame_system::RawOrigin::Authorized.into(),
			0,
			BOB
		));
		assert!(Positions::<Test>::get(0, BOB).is_none());
		let books = ledger();
		assert_eq!(
			books.bad_debt,
			BadDebt { total: owed, covered_by_reserves: 0, socialised: owed }
		);
		assert_eq!((books.stock, books.stock_cost), (10 * ETHER, 0));
		assert!(Lending::lender(0, &ALICE).assets + owed <= lenders_before + 2);
		// Worthless, the stock is not sold; if the LRT recovers, its sale is the lenders' gain.
		assert_noop!(
			Lending::buy_collateral(origin(LIQUIDATOR), 0, 10 * ETHER, u128::MAX),
			Error::ZeroPrice
		);
		set_rate(LRT, rate(50));
		let written_off = Lending::lender(0, &ALICE).assets;
		assert_ok!(Lending::buy_collateral(origin(LIQUIDATOR), 0, 10 * ETHER, u128::MAX));
		assert!(Lending::lender(0, &ALICE).assets > written_off);
		assert_try_state();
	});
}
