//! Borrowers: `deposit_collateral`, `withdraw_collateral`, `borrow`, `repay`, interest, and
//! the risk caps on LTV and threshold.

use super::*;
use ballast_primitives::time::SECONDS_PER_YEAR;
use frame_support::assert_noop;
use sp_runtime::Perbill;

#[test]
fn borrowing_is_limited_by_ltv_at_the_borrow_side_rate() {
	ExtBuilder.build_and_execute(|| {
		market();
		assert_noop!(Lending::borrow(origin(BOB), 0, ETHER), Error::NoPosition);
		assert_ok!(Lending::deposit_collateral(origin(BOB), 0, 10 * ETHER));
		// 10 LRT at 1.0 with LTV 90 %: 9 ETH.
		assert_noop!(
			Lending::borrow(origin(BOB), 0, 9 * ETHER + 1),
			Error::InsufficientBorrowLimit
		);
		assert_noop!(Lending::borrow(origin(BOB), 0, ETHER / 1000), Error::DebtBelowMinimum);
		assert_eq!(Lending::max_borrow(0, &BOB), 9 * ETHER);
		assert_ok!(Lending::borrow(origin(BOB), 0, 9 * ETHER));
		assert_eq!(eth(BOB), 1009 * ETHER);
		assert_eq!(debt(BOB), 9 * ETHER);
		// Collateral backing the debt cannot leave.
		assert_noop!(
			Lending::withdraw_collateral(origin(BOB), 0, 1),
			Error::InsufficientBorrowLimit
		);
		assert_noop!(
			Lending::withdraw_collateral(origin(BOB), 0, 11 * ETHER),
			Error::InsufficientCollateral
		);
		// A higher backing rate lends more.
		set_rate(LRT, rate(110));
		assert_ok!(Lending::borrow(origin(BOB), 0, ETHER / 2));
		// Stale data blocks new borrowing and collateral withdrawals from indebted positions,
		// not repayments.
		set_stale(LRT);
		assert_noop!(Lending::borrow(origin(BOB), 0, ETHER / 10), Error::ValuationStale);
		assert_noop!(Lending::withdraw_collateral(origin(BOB), 0, 1), Error::ValuationStale);
		assert_eq!(Lending::max_borrow(0, &BOB), 0);
		assert_ok!(Lending::repay(origin(BOB), 0, BOB, ETHER));
		assert_try_state();
	});
}

#[test]
fn an_unvalued_collateral_cannot_be_borrowed_against() {
	ExtBuilder.build_and_execute(|| {
		assert_ok!(Lending::create_market(RuntimeOrigin::root(), LRT, ETH, params()));
		assert_ok!(Lending::supply(origin(ALICE), 0, 10 * ETHER));
		assert_ok!(Lending::deposit_collateral(origin(BOB), 0, 10 * ETHER));
		assert_noop!(Lending::borrow(origin(BOB), 0, ETHER), Error::NoValuation);
	});
}

#[test]
fn interest_accrues_per_second_through_the_index_with_reserves() {
	ExtBuilder.build_and_execute(|| {
		market();
		borrower(BOB, 100 * ETHER, 45 * ETHER);
		// Utilisation 45 %: half the kink, 2 % + 4 % · 0.5 = 4 % a year.
		let view = Lending::market_view(0).unwrap();
		assert_eq!(view.utilisation, Perbill::from_percent(45));
		assert_eq!(view.borrow_rate, rate(4));
		advance(SECONDS_PER_YEAR);
		let grown = debt(BOB);
		// e^0.04 − 1 = 4.0811 %; the three-term series gives 4.0810667 %.
		let expected = 45 * ETHER + 45 * ETHER * 40_810_667 / 1_000_000_000;
		assert!(grown.abs_diff(expected) < ETHER / 1_000_000, "{grown} vs {expected}");
		// Nothing changes in storage until someone acts; then the books catch up.
		assert_eq!(ledger().borrow_index, FixedU128::from_u32(1));
		assert_ok!(Lending::supply(origin(CAROL), 0, ETHER));
		let books = ledger();
		let interest = grown - 45 * ETHER;
		assert!(books.reserves.abs_diff(interest / 10) <= 1, "{} vs {}", books.reserves, interest);
		// Lenders got the other 90 %.
		let alice = Lending::lender(0, &ALICE).assets;
		assert!(alice.abs_diff(100 * ETHER + interest - interest / 10) <= 2);
		// The full debt repays; the index never falls.
		let index = books.borrow_index;
		assert_ok!(Lending::repay(origin(BOB), 0, BOB, u128::MAX));
		assert_eq!(eth(BOB), 1045 * ETHER - grown);
		assert_eq!(debt(BOB), 0);
		assert!(ledger().borrow_index >= index);
		assert_try_state();
	});
}

#[test]
fn repayment_is_for_anyone_and_never_leaves_dust() {
	ExtBuilder.build_and_execute(|| {
		market();
		borrower(BOB, 10 * ETHER, 5 * ETHER);
		assert_noop!(Lending::repay(origin(CAROL), 0, DAVE, ETHER), Error::NoPosition);
		assert_noop!(
			Lending::repay(origin(CAROL), 0, BOB, 5 * ETHER - ETHER / 1000),
			Error::DebtBelowMinimum
		);
		assert_ok!(Lending::repay(origin(CAROL), 0, BOB, 2 * ETHER));
		assert_eq!(debt(BOB), 3 * ETHER);
		assert_eq!(eth(CAROL), 998 * ETHER);
		assert!(events().contains(&crate::Event::Repaid {
			market: 0,
			payer: CAROL,
			borrower: BOB,
			amount: 2 * ETHER,
			debt: 3 * ETHER
		}));
		assert_ok!(Lending::repay(origin(CAROL), 0, BOB, 10 * ETHER));
		assert_eq!(eth(CAROL), 995 * ETHER);
		assert_noop!(Lending::repay(origin(CAROL), 0, BOB, ETHER), Error::NoDebt);
		assert_ok!(Lending::withdraw_collateral(origin(BOB), 0, 10 * ETHER));
		assert!(Positions::<Test>::get(0, BOB).is_none());
		assert_try_state();
	});
}

#[test]
fn a_risk_tier_caps_ltv_and_threshold_and_can_make_positions_liquidatable() {
	ExtBuilder.build_and_execute(|| {
		market();
		borrower(BOB, 10 * ETHER, 8 * ETHER);
		// The LRT's accepted risk score puts its markets in a tier capped at 75 % / 80 %.
		CAPS.with(|c| {
			c.borrow_mut().insert(LRT, (Perbill::from_percent(75), Perbill::from_percent(80)))
		});
		let view = Lending::market_view(0).unwrap();
		assert_eq!(view.effective_ltv, Perbill::from_percent(75));
		assert_eq!(view.effective_liquidation_threshold, Perbill::from_percent(80));
		assert_eq!(view.market.params, params(), "governance's parameters are unchanged");
		// Borrowing is capped at 75 %: 10 LRT at 1.0 carry 7.5 ETH, BOB owes 8.
		assert_ok!(Lending::deposit_collateral(origin(CAROL), 0, 10 * ETHER));
		assert_noop!(
			Lending::borrow(origin(CAROL), 0, 7_500_000_000_000_000_001),
			Error::InsufficientBorrowLimit
		);
		assert_ok!(Lending::borrow(origin(CAROL), 0, 7_500_000_000_000_000_000));
		// BOB's position is under the capped threshold (10 · 0.8 = 8 = debt, plus interest soon).
		advance(3600);
		assert!(Lending::position_view(0, &BOB).unwrap().liquidatable);
		assert_ok!(Lending::liquidate(origin(LIQUIDATOR), 0, BOB, u128::MAX));
		// Caps never loosen governance's own parameters.
		CAPS.with(|c| {
			c.borrow_mut().insert(LRT, (Perbill::from_percent(95), Perbill::from_percent(98)))
		});
		assert_eq!(Lending::market_view(0).unwrap().effective_ltv, Perbill::from_percent(90));
	});
}
