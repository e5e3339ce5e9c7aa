use crate::{mock::*, *};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	pallet_prelude::{InvalidTransaction, TransactionSource, TransactionValidityError},
	traits::{Authorize, Hooks},
	weights::Weight,
};
use sp_runtime::PerThing;
use sp_runtime::{
	offchain::{
		testing::{TestOffchainExt, TestTransactionPoolExt},
		OffchainDbExt, OffchainWorkerExt, TransactionPoolExt,
	},
	traits::Dispatchable,
	DispatchError, FixedU128, Perbill,
};

type Error = crate::Error<Test>;

fn rate(percent: u128) -> FixedU128 {
	FixedU128::from_rational(percent, 100)
}

fn origin(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn eth(who: AccountId) -> u128 {
	Assets::balance(ETH, who)
}

fn lrt(who: AccountId) -> u128 {
	Assets::balance(LRT, who)
}

/// A market at rate 1.0 with `ALICE` lending 100 ETH.
fn market() -> MarketId {
	set_rate(LRT, rate(100));
	assert_ok!(Lending::create_market(RuntimeOrigin::root(), LRT, ETH, params()));
	assert_ok!(Lending::supply(origin(ALICE), 0, 100 * ETHER));
	0
}

fn borrower(who: AccountId, collateral: u128, debt: u128) {
	assert_ok!(Lending::deposit_collateral(origin(who), 0, collateral));
	assert_ok!(Lending::borrow(origin(who), 0, debt));
}

fn ledger() -> Ledger {
	Markets::<Test>::get(0).unwrap().ledger
}

fn debt(who: AccountId) -> u128 {
	Lending::position_view(0, &who).map(|p| p.debt).unwrap_or_default()
}

fn advance(seconds: u64) {
	let now = pallet_timestamp::Now::<Test>::get();
	Timestamp::set_timestamp(now + seconds * 1000);
}

fn events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Lending(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// The pallet account holds exactly what the books say.
fn assert_books_match_balances() {
	let account = Lending::account_id();
	let (mut cash, mut collateral) = (0, 0);
	for (_, m) in Markets::<Test>::iter() {
		cash += m.ledger.cash;
		collateral += m.ledger.total_collateral + m.ledger.stock;
	}
	assert_eq!(eth(account), cash, "cash");
	assert_eq!(lrt(account), collateral, "collateral");
	for (id, m) in Markets::<Test>::iter() {
		let positions: Vec<_> = Positions::<Test>::iter_prefix(id).map(|(_, p)| p).collect();
		assert_eq!(positions.iter().map(|p| p.collateral).sum::<u128>(), m.ledger.total_collateral);
		assert_eq!(
			positions.iter().map(|p| p.normalized_debt).sum::<u128>(),
			m.ledger.normalized_debt
		);
		assert_eq!(
			SupplyShares::<Test>::iter_prefix(id).map(|(_, s)| s).sum::<u128>(),
			m.ledger.supply_shares
		);
	}
}

#[test]
fn markets_are_created_by_governance_with_sound_parameters() {
	new_test_ext().execute_with(|| {
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
	new_test_ext().execute_with(|| {
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
fn lenders_get_shares_and_withdraw_what_they_are_worth() {
	new_test_ext().execute_with(|| {
		market();
		assert_eq!(SupplyShares::<Test>::get(0, ALICE), 100 * ETHER * VIRTUAL_SHARES);
		assert_eq!(Lending::lender(0, &ALICE).assets, 100 * ETHER);
		assert_noop!(Lending::supply(origin(BOB), 0, 0), Error::ZeroAmount);
		assert_noop!(Lending::supply(origin(BOB), 7, 1), Error::UnknownMarket);
		assert_noop!(Lending::withdraw(origin(BOB), 0, 1), Error::InsufficientShares);
		assert_noop!(
			Lending::withdraw(origin(ALICE), 0, 100 * ETHER + 1),
			Error::InsufficientShares
		);
		assert_ok!(Lending::withdraw(origin(ALICE), 0, 40 * ETHER));
		assert_eq!(eth(ALICE), 940 * ETHER);
		assert_eq!(Lending::lender(0, &ALICE).assets, 60 * ETHER);
		// Cash lent out cannot be withdrawn.
		borrower(BOB, 50 * ETHER, 40 * ETHER);
		assert_noop!(Lending::withdraw(origin(ALICE), 0, 30 * ETHER), Error::InsufficientLiquidity);
		assert_books_match_balances();
	});
}

#[test]
fn a_first_lender_cannot_inflate_the_share_price() {
	new_test_ext().execute_with(|| {
		set_rate(LRT, rate(100));
		assert_ok!(Lending::create_market(RuntimeOrigin::root(), LRT, ETH, params()));
		// The classic attack: one wei of supply, then a large donation to the pool account.
		assert_ok!(Lending::supply(origin(BOB), 0, 1));
		assert_ok!(<Assets as frame_support::traits::fungibles::Mutate<_>>::transfer(
			ETH,
			&BOB,
			&Lending::account_id(),
			10 * ETHER,
			frame_support::traits::tokens::Preservation::Expendable,
		));
		// The donation is not in the books, so the victim's deposit is priced as before.
		assert_ok!(Lending::supply(origin(ALICE), 0, 10 * ETHER));
		assert_eq!(Lending::lender(0, &ALICE).assets, 10 * ETHER);
		assert!(Lending::lender(0, &BOB).assets <= 1);
	});
}

#[test]
fn caps_and_states_are_enforced() {
	new_test_ext().execute_with(|| {
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
fn borrowing_is_limited_by_ltv_at_the_borrow_side_rate() {
	new_test_ext().execute_with(|| {
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
		assert_books_match_balances();
	});
}

#[test]
fn an_unvalued_collateral_cannot_be_borrowed_against() {
	new_test_ext().execute_with(|| {
		assert_ok!(Lending::create_market(RuntimeOrigin::root(), LRT, ETH, params()));
		assert_ok!(Lending::supply(origin(ALICE), 0, 10 * ETHER));
		assert_ok!(Lending::deposit_collateral(origin(BOB), 0, 10 * ETHER));
		assert_noop!(Lending::borrow(origin(BOB), 0, ETHER), Error::NoValuation);
	});
}

#[test]
fn interest_accrues_per_second_through_the_index_with_reserves() {
	new_test_ext().execute_with(|| {
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
		assert_books_match_balances();
	});
}

#[test]
fn repayment_is_for_anyone_and_never_leaves_dust() {
	new_test_ext().execute_with(|| {
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
		assert_books_match_balances();
	});
}

#[test]
fn a_risk_tier_caps_ltv_and_threshold_and_can_make_positions_liquidatable() {
	new_test_ext().execute_with(|| {
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

#[test]
fn healthy_positions_cannot_be_liquidated_and_nobody_liquidates_themselves() {
	new_test_ext().execute_with(|| {
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
	new_test_ext().execute_with(|| {
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
		assert_books_match_balances();
	});
}

#[test]
fn without_a_close_factor_the_repayment_lands_on_the_target_health() {
	new_test_ext().execute_with(|| {
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
	new_test_ext().execute_with(|| {
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
		assert_books_match_balances();
	});
}

#[test]
fn the_discount_never_turns_a_solvent_position_into_bad_debt() {
	new_test_ext().execute_with(|| {
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
		assert_books_match_balances();
	});
}

#[test]
fn a_liquidation_may_not_leave_dust() {
	new_test_ext().execute_with(|| {
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
	new_test_ext().execute_with(|| {
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
		// Insolvent even at par: the base discount only.
		assert_eq!(quote.discount, Perbill::from_percent(1));
		// 10 LRT · 0.5 · 0.99 = 4.95 ETH repaid for all the collateral; the rest is bad debt.
		let repaid = 495 * ETHER / 100;
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
			borrower: BOB,
			amount: bad,
			covered_by_reserves: reserves,
			socialised: bad - reserves,
		}));
		assert_books_match_balances();
	});
}

/// Three borrowers at different leverage; a rate drop to 0.96 leaves only the most leveraged
/// one under the threshold.
fn three_borrowers() {
	market();
	borrower(BOB, 10 * ETHER, 9 * ETHER); // health at 0.96: 0.992
	borrower(CAROL, 10 * ETHER, 8 * ETHER); // 1.116
	borrower(DAVE, 10 * ETHER, 5 * ETHER); // 1.786
}

#[test]
fn a_rate_drop_is_worked_off_in_the_same_block_by_the_market() {
	new_test_ext().execute_with(|| {
		three_borrowers();
		System::reset_events();
		set_rate(LRT, rate(96));
		assert!(Propagating::<Test>::contains_key(0));
		assert_eq!(
			events(),
			vec![crate::Event::PropagationStarted {
				market: 0,
				previous: rate(100),
				current: rate(96)
			}]
		);
		// The block's spare weight.
		let used = Lending::on_idle(1, Weight::from_parts(2_000_000_000_000, u64::MAX));
		assert_eq!(used, <() as WeightInfo>::work_off(3));
		let liquidated: Vec<_> = events()
			.into_iter()
			.filter_map(|e| match e {
				crate::Event::Liquidated { borrower, liquidator: None, .. } => Some(borrower),
				_ => None,
			})
			.collect();
		assert_eq!(liquidated, vec![BOB]);
		assert!(events().contains(&crate::Event::PropagationFinished { market: 0, liquidated: 1 }));
		assert!(!Propagating::<Test>::contains_key(0));
		// The market is not held to the close factor: one step to the target health.
		let health = Lending::position_view(0, &BOB).unwrap().health.unwrap();
		let off = if health > rate(125) { health - rate(125) } else { rate(125) - health };
		assert!(off < FixedU128::from_rational(1, 1_000_000_000), "{health:?}");
		// The market holds BOB's seized collateral at what it wrote off.
		let books = ledger();
		assert!(books.stock > 0 && books.stock_cost > 0);
		assert_books_match_balances();
	});
}

#[test]
fn the_work_off_is_bounded_by_weight_and_resumes_next_block() {
	new_test_ext().execute_with(|| {
		market();
		assert_ok!(Lending::supply(origin(BOB), 0, 200 * ETHER));
		for who in 10..30u64 {
			assert_ok!(Assets::mint(origin(ALICE), ETH, who, ETHER));
			assert_ok!(Assets::mint(origin(ALICE), LRT, who, 10 * ETHER));
			borrower(who, 10 * ETHER, 9 * ETHER);
		}
		set_rate(LRT, rate(96));
		let per_block = <() as WeightInfo>::work_off(7);
		assert_eq!(Lending::on_idle(1, per_block), per_block);
		let unhealthy = || {
			Positions::<Test>::iter_prefix(0)
				.filter(|(who, _)| Lending::position_view(0, who).unwrap().liquidatable)
				.count()
		};
		assert_eq!(unhealthy(), 13);
		assert!(Propagating::<Test>::get(0).unwrap().cursor.is_some());
		// Too little weight for one position: nothing happens.
		assert_eq!(Lending::on_idle(2, <() as WeightInfo>::work_off(0)), Weight::zero());
		assert_eq!(unhealthy(), 13);
		Lending::on_idle(2, per_block);
		Lending::on_idle(3, per_block);
		assert_eq!(unhealthy(), 0);
		assert!(!Propagating::<Test>::contains_key(0));
		assert_books_match_balances();
	});
}

#[test]
fn the_market_sells_its_collateral_and_books_the_result() {
	new_test_ext().execute_with(|| {
		three_borrowers();
		set_rate(LRT, rate(96));
		Lending::on_idle(1, Weight::MAX);
		let books = ledger();
		let (stock, cost) = (books.stock, books.stock_cost);
		// Price: 0.96 · (1 − 1 %) per LRT.
		let price = Perbill::from_percent(99)
			.mul_ceil(value_of(stock, rate(96), sp_runtime::Rounding::Up).unwrap());
		assert_noop!(
			Lending::buy_collateral(origin(LIQUIDATOR), 0, stock, price - 1),
			Error::PriceAboveLimit
		);
		assert_noop!(
			Lending::buy_collateral(origin(LIQUIDATOR), 0, stock + 1, u128::MAX),
			Error::InsufficientStock
		);
		assert_ok!(Lending::buy_collateral(origin(LIQUIDATOR), 0, stock, price));
		let after = ledger();
		assert_eq!((after.stock, after.stock_cost), (0, 0));
		// Bought at the liquidation discount (1.8 %), sold at 1 %: the difference is reserves.
		assert!(price > cost);
		assert_eq!(after.reserves, books.reserves + price - cost);
		assert_books_match_balances();
		// Governance takes reserves out, never more than there is.
		assert_noop!(
			Lending::withdraw_reserves(RuntimeOrigin::root(), 0, DAVE, after.reserves + 1),
			Error::InsufficientReserves
		);
		assert_ok!(Lending::withdraw_reserves(RuntimeOrigin::root(), 0, DAVE, after.reserves));
		assert_books_match_balances();
	});
}

type Pool = std::sync::Arc<parking_lot::RwLock<sp_core::offchain::testing::PoolState>>;

fn offchain_ext() -> (sp_io::TestExternalities, Pool) {
	let mut ext = new_test_ext();
	let (offchain, _) = TestOffchainExt::new();
	let (pool, pool_state) = TestTransactionPoolExt::new();
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(OffchainWorkerExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool));
	(ext, pool_state)
}

fn submitted(
	pool: &parking_lot::RwLock<sp_core::offchain::testing::PoolState>,
) -> Vec<RuntimeCall> {
	use codec::Decode;
	pool.write()
		.transactions
		.drain(..)
		.map(|bytes| Extrinsic::decode(&mut &bytes[..]).unwrap().function)
		.collect()
}

#[test]
fn the_keeper_liquidates_exactly_the_unhealthy_positions_through_authorized_transactions() {
	let (mut ext, pool) = offchain_ext();
	ext.execute_with(|| {
		three_borrowers();
		// No rate drop yet: nothing to do.
		Lending::offchain_worker(1);
		assert!(submitted(&pool).is_empty());
		// The drop happens without the hook (e.g. interest pushed BOB under): the keeper finds it.
		RATES.with(|r| r.borrow_mut().insert(LRT, (rate(96), Some(rate(96)))));
		Lending::offchain_worker(2);
		let calls = submitted(&pool);
		assert_eq!(
			calls,
			vec![RuntimeCall::Lending(crate::Call::liquidate_unhealthy {
				market: 0,
				borrower: BOB
			})]
		);
		// The pool accepts it once per (market, borrower, block) and only while unhealthy.
		let call = crate::Call::<Test>::liquidate_unhealthy { market: 0, borrower: BOB };
		let (validity, _) = call.authorize(TransactionSource::Local).unwrap().unwrap();
		assert_eq!(validity.provides, vec![("BallastLendingKeeper", (0u32, BOB, 1u64)).encode()]);
		let healthy = crate::Call::<Test>::liquidate_unhealthy { market: 0, borrower: CAROL };
		assert_eq!(
			healthy.authorize(TransactionSource::Local).unwrap().map(|_| ()),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Stale))
		);
		// Applied with the authorized origin, it liquidates; a second copy fails at validation
		// and at dispatch.
		assert_ok!(calls[0].clone().dispatch(frame_system::RawOrigin::Authorized.into()));
		assert!(!Lending::position_view(0, &BOB).unwrap().liquidatable);
		assert!(call.authorize(TransactionSource::Local).unwrap().is_err());
		assert_eq!(
			calls[0]
				.clone()
				.dispatch(frame_system::RawOrigin::Authorized.into())
				.map_err(|e| e.error),
			Err(Error::PositionHealthy.into())
		);
		// Signed origins cannot use the keeper's call.
		assert_noop!(
			Lending::liquidate_unhealthy(origin(LIQUIDATOR), 0, CAROL),
			DispatchError::BadOrigin
		);
		assert_books_match_balances();
	});
}

#[test]
fn the_keeper_checks_a_bounded_number_of_positions_per_run_from_a_cursor() {
	let (mut ext, pool) = offchain_ext();
	ext.execute_with(|| {
		market();
		assert_ok!(Lending::supply(origin(BOB), 0, 200 * ETHER));
		for who in 10..35u64 {
			assert_ok!(Assets::mint(origin(ALICE), ETH, who, ETHER));
			assert_ok!(Assets::mint(origin(ALICE), LRT, who, 10 * ETHER));
			borrower(who, 10 * ETHER, 9 * ETHER);
		}
		RATES.with(|r| r.borrow_mut().insert(LRT, (rate(96), Some(rate(96)))));
		// The node operator lowered the checks per run to 10.
		sp_io::offchain::local_storage_set(
			sp_core::offchain::StorageKind::PERSISTENT,
			keeper::MAX_CHECKS_KEY,
			&codec::Encode::encode(&10u32),
		);
		let mut seen = std::collections::BTreeSet::new();
		for (run, expected) in [(1, 10), (2, 10), (3, 5)] {
			let done = keeper::scan::<Test>();
			assert_eq!(done.checked, expected, "run {run}");
			for call in submitted(&pool) {
				let RuntimeCall::Lending(crate::Call::liquidate_unhealthy { borrower, .. }) = call
				else {
					panic!("unexpected call")
				};
				assert!(seen.insert(borrower), "{borrower} submitted twice");
			}
		}
		assert_eq!(seen.len(), 25);
		// The next pass starts over.
		assert_eq!(keeper::scan::<Test>().checked, 10);
	});
}

mod invariants {
	//! Random sequences of every call, time jumps and rate drops.
	use super::*;
	use proptest::prelude::*;

	const USERS: [AccountId; 4] = [ALICE, BOB, CAROL, DAVE];

	#[derive(Clone, Debug)]
	enum Op {
		Supply(usize, u128),
		Withdraw(usize, u128),
		Deposit(usize, u128),
		WithdrawCollateral(usize, u128),
		Borrow(usize, u128),
		Repay(usize, usize, u128),
		Liquidate(usize, u128),
		Keeper(usize),
		Idle,
		Buy(u128),
		Time(u64),
		Rate(u128),
	}

	fn op() -> impl Strategy<Value = Op> {
		let user = 0..USERS.len();
		let amount = 1u128..60 * ETHER;
		prop_oneof![
			1 => (user.clone(), amount.clone()).prop_map(|(u, a)| Op::Supply(u, a)),
			1 => (user.clone(), amount.clone()).prop_map(|(u, a)| Op::Withdraw(u, a)),
			1 => (user.clone(), amount.clone()).prop_map(|(u, a)| Op::Deposit(u, a)),
			1 => (user.clone(), amount.clone()).prop_map(|(u, a)| Op::WithdrawCollateral(u, a)),
			3 => (user.clone(), amount.clone()).prop_map(|(u, a)| Op::Borrow(u, a)),
			1 => (user.clone(), user.clone(), amount.clone()).prop_map(|(p, b, a)| Op::Repay(p, b, a)),
			2 => (user.clone(), amount.clone()).prop_map(|(u, a)| Op::Liquidate(u, a)),
			1 => user.clone().prop_map(Op::Keeper),
			1 => Just(Op::Idle),
			1 => amount.prop_map(Op::Buy),
			1 => (1u64..SECONDS_PER_YEAR).prop_map(Op::Time),
			2 => (40u128..130).prop_map(Op::Rate),
		]
	}

	fn total_eth() -> u128 {
		USERS.iter().chain([&LIQUIDATOR]).map(|w| eth(*w)).sum::<u128>()
			+ eth(Lending::account_id())
	}

	proptest! {
		#![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]
		#[test]
		fn no_value_is_created_and_liquidation_follows_health(ops in prop::collection::vec(op(), 1..60)) {
			new_test_ext().execute_with(|| {
				set_rate(LRT, rate(100));
				assert_ok!(Lending::create_market(RuntimeOrigin::root(), LRT, ETH, params()));
				assert_ok!(Assets::mint(origin(ALICE), ETH, LIQUIDATOR, 100_000 * ETHER));
				let eth_supply = total_eth();
				let mut index = FixedU128::from_u32(1);
				for op in ops {
					let before = ledger();
					match op {
						Op::Supply(u, a) => { let _ = Lending::supply(origin(USERS[u]), 0, a); },
						Op::Withdraw(u, a) => { let _ = Lending::withdraw(origin(USERS[u]), 0, a); },
						Op::Deposit(u, a) => { let _ = Lending::deposit_collateral(origin(USERS[u]), 0, a); },
						Op::WithdrawCollateral(u, a) => { let _ = Lending::withdraw_collateral(origin(USERS[u]), 0, a); },
						Op::Borrow(u, a) => { let _ = Lending::borrow(origin(USERS[u]), 0, a); },
						Op::Repay(p, b, a) => { let _ = Lending::repay(origin(USERS[p]), 0, USERS[b], a); },
						Op::Liquidate(u, a) => {
							let who = USERS[u];
							let view = Lending::position_view(0, &who);
							let result = Lending::liquidate(origin(LIQUIDATOR), 0, who, a);
							match view {
								// A healthy position never is, an unhealthy one can always be
								// liquidated by someone repaying enough.
								Some(v) if !v.liquidatable => prop_assert!(result.is_err()),
								Some(v) if v.debt > 0 => {
									if result.is_err() {
										prop_assert_eq!(result, Err(Error::DebtBelowMinimum.into()));
										assert_ok!(Lending::liquidate(origin(LIQUIDATOR), 0, who, u128::MAX));
									}
									let after = Lending::position_view(0, &who);
									// Health does not fall (or the position closes) unless the
									// position is too close to insolvency for even the base discount,
									// where every liquidation moves health towards LT / (1 − base).
									let pivot = params().liquidation_pivot(params().base_discount).unwrap();
									if let (Some(h0), Some(h1)) = (v.health, after.as_ref().and_then(|a| a.health)) {
										let slack = FixedU128::from_rational(1, 1_000_000_000);
										if h0 >= pivot {
											prop_assert!(h1 + slack >= h0, "health fell {:?} → {:?}", h0, h1);
										}
									}
								},
								_ => {},
							}
						},
						Op::Keeper(u) => {
							let call = crate::Call::<Test>::liquidate_unhealthy { market: 0, borrower: USERS[u] };
							let valid = call.authorize(TransactionSource::Local).unwrap().is_ok();
							let unhealthy = Lending::position_view(0, &USERS[u]).is_some_and(|v| v.liquidatable);
							prop_assert_eq!(valid, unhealthy);
							if valid {
								assert_ok!(RuntimeCall::Lending(call).dispatch(frame_system::RawOrigin::Authorized.into()));
							}
						},
						Op::Idle => { Lending::on_idle(1, Weight::MAX); },
						Op::Buy(a) => { let _ = Lending::buy_collateral(origin(LIQUIDATOR), 0, a.min(ledger().stock.max(1)), u128::MAX); },
						Op::Time(s) => advance(s),
						Op::Rate(r) => set_rate(LRT, rate(r)),
					}
					let after = ledger();
					// The index only grows; bad debt is always split exactly.
					prop_assert!(after.borrow_index >= index);
					index = after.borrow_index;
					prop_assert_eq!(after.bad_debt.total, after.bad_debt.covered_by_reserves + after.bad_debt.socialised);
					prop_assert!(after.bad_debt.total >= before.bad_debt.total);
					// No asset is created or destroyed; the books equal the balances.
					prop_assert_eq!(total_eth(), eth_supply);
					assert_books_match_balances();
					// Lenders' claims never exceed what the pool holds and is owed.
					let accrued = Lending::accrued_market(0).unwrap().ledger;
					let claims: u128 = USERS.iter().map(|w| Lending::lender(0, w).assets).sum();
					prop_assert!(claims + accrued.reserves <= accrued.cash + accrued.total_debt() + accrued.stock_cost);
				}
				// Unwind: every debt repaid, the stock sold, reserves and every lender paid out.
				set_rate(LRT, rate(100));
				for who in USERS {
					let _ = Assets::mint(origin(ALICE), ETH, who, 10_000 * ETHER);
					if debt(who) > 0 { assert_ok!(Lending::repay(origin(who), 0, who, u128::MAX)); }
				}
				let stock = ledger().stock;
				if stock > 0 { assert_ok!(Lending::buy_collateral(origin(LIQUIDATOR), 0, stock, u128::MAX)); }
				let reserves = ledger().reserves;
				if reserves > 0 { assert_ok!(Lending::withdraw_reserves(RuntimeOrigin::root(), 0, LIQUIDATOR, reserves)); }
				for who in USERS {
					let assets = Lending::lender(0, &who).assets;
					if assets > 0 { assert_ok!(Lending::withdraw(origin(who), 0, assets)); }
				}
				// Assets in = assets out + reserves + bad debt, up to rounding dust left with the
				// market (never owed by it).
				let books = ledger();
				prop_assert_eq!(books.total_debt(), 0);
				prop_assert!(books.cash <= 16, "dust left: {}", books.cash);
				Ok(())
			})?;
		}
	}
}
