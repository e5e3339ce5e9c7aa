//! `buy_collateral` and `withdraw_reserves`: the market sells what it took over by a
//! descending-price auction; meanwhile the lenders' part is valued at the lower of its cost and
//! its floor price, and the protocol's part (its fees) reaches the reserves only when sold.

use super::*;
use frame_support::{assert_noop, traits::Hooks, weights::Weight};
use sp_runtime::Perbill;

#[test]
fn the_market_sells_its_collateral_and_books_the_result() {
	ExtBuilder.build_and_execute(|| {
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
		// The protocol fee's share of the seized collateral is the protocol's part of the stock,
		// not yet in the reserves; the lenders' part is in their assets at its floor price.
		assert!(books.protocol_stock > 0);
		assert_eq!(books.reserves, 0);
		let lenders_before = Lending::lender(0, &ALICE).assets;
		assert_ok!(Lending::buy_collateral(origin(LIQUIDATOR), 0, stock, price));
		let after = ledger();
		assert_eq!((after.stock, after.protocol_stock), (0, 0));
		assert_eq!((after.stock_cost, after.stock_value), (0, 0));
		// The protocol's part fetched its share of the price: the reserves now hold it.
		let protocol_share =
			mul_div(price, books.protocol_stock, stock, sp_runtime::Rounding::Down).unwrap();
		assert_eq!(after.reserves, protocol_share);
		// The lenders' part, bought at the liquidation discount (1.8 %), sold at 1 %: above its
		// cost, and the lenders gain what it fetched over its value in their assets.
		let lenders_share = price - protocol_share;
		assert!(lenders_share > cost);
		let gained = Lending::lender(0, &ALICE).assets - lenders_before;
		let expected = lenders_share - books.stock_value;
		assert!(gained.abs_diff(expected) <= 2, "{gained} vs {expected}");
		assert_try_state();
		// Governance takes reserves out, never more than there is.
		assert_noop!(
			Lending::withdraw_reserves(RuntimeOrigin::root(), 0, DAVE, after.reserves + 1),
			Error::InsufficientReserves
		);
		assert_ok!(Lending::withdraw_reserves(RuntimeOrigin::root(), 0, DAVE, after.reserves));
		assert_try_state();
	});
}

#[test]
fn stock_is_never_sold_for_nothing() {
	ExtBuilder.build_and_execute(|| {
		three_borrowers();
		set_rate(LRT, rate(96));
		Lending::on_idle(1, Weight::MAX);
		let stock = ledger().stock;
		assert!(stock > 0);
		set_rate(LRT, rate(0));
		assert_noop!(
			Lending::buy_collateral(origin(LIQUIDATOR), 0, stock, u128::MAX),
			Error::ZeroPrice
		);
		assert_try_state();
	});
}

#[test]
fn a_sale_below_cost_records_the_loss_as_bad_debt() {
	ExtBuilder.build_and_execute(|| {
		three_borrowers();
		set_rate(LRT, rate(96));
		Lending::on_idle(1, Weight::MAX);
		let books = ledger();
		let (stock, cost) = (books.stock, books.stock_cost);
		// A further fall: the stock now sells for less than the debt the market wrote off for it.
		set_rate(LRT, rate(90));
		System::reset_events();
		assert_ok!(Lending::buy_collateral(origin(LIQUIDATOR), 0, stock, u128::MAX));
		let paid = events()
			.into_iter()
			.find_map(|e| match e {
				crate::Event::CollateralBought { paid, .. } => Some(paid),
				_ => None,
			})
			.unwrap();
		// The protocol's part of the stock takes its share of the payment; the lenders' part
		// fetched less than they paid for it.
		let protocol_share =
			mul_div(paid, books.protocol_stock, stock, sp_runtime::Rounding::Down).unwrap();
		let lenders_share = paid - protocol_share;
		assert!(lenders_share < cost, "{lenders_share} vs {cost}");
		let loss = cost - lenders_share;
		// Their part of the stock is the lenders': they bear the loss (the reserves keep what
		// they had, and gain the protocol's share of the sale).
		assert!(events().contains(&crate::Event::BadDebtRecorded {
			market: 0,
			borrower: None,
			amount: loss,
			covered_by_reserves: 0,
			socialised: loss,
		}));
		assert_eq!(ledger().bad_debt.total, books.bad_debt.total + loss);
		assert_eq!(ledger().reserves, books.reserves + protocol_share);
		assert_try_state();
	});
}

#[test]
fn the_stock_is_sold_by_a_descending_auction_down_to_a_floor() {
	ExtBuilder.build_and_execute(|| {
		three_borrowers();
		set_rate(LRT, rate(96));
		Lending::on_idle(1, Weight::MAX);
		let stock = ledger().stock;
		let price = |discount: u32| {
			Perbill::from_rational(1_000 - discount, 1_000)
				.mul_ceil(value_of(stock, rate(96), sp_runtime::Rounding::Up).unwrap())
		};
		let stock_price = || Lending::market_view(0).unwrap().stock_price.unwrap();
		// It starts at the base discount (1 %)…
		assert_eq!(stock_price(), rate(96) * FixedU128::from_rational(99, 100));
		// …so a buyer who pays at most 85 % of the backing waits (a depeg: nobody pays 99 %)…
		let limit = price(150);
		assert_noop!(
			Lending::buy_collateral(origin(LIQUIDATOR), 0, stock, limit),
			Error::PriceAboveLimit
		);
		// …while the discount falls linearly to the floor, the max discount (20 %), in an hour:
		advance(1_800);
		assert_eq!(stock_price(), rate(96) * FixedU128::from_rational(895, 1_000));
		advance(1_800);
		assert_eq!(stock_price(), rate(96) * FixedU128::from_rational(80, 100));
		// and stays there.
		advance(100_000);
		assert_eq!(stock_price(), rate(96) * FixedU128::from_rational(80, 100));
		// Meanwhile the books carry the lenders' part of the stock at what it fetches at the
		// floor, below its cost.
		let books = Lending::market_view(0).unwrap().market.ledger;
		let lenders_stock = stock - books.protocol_stock;
		assert_eq!(
			books.stock_value,
			Perbill::from_percent(80)
				.mul_floor(value_of(lenders_stock, rate(96), sp_runtime::Rounding::Down).unwrap())
		);
		assert!(books.stock_value < books.stock_cost);
		System::reset_events();
		assert_ok!(Lending::buy_collateral(origin(LIQUIDATOR), 0, stock, limit));
		assert!(events().contains(&crate::Event::CollateralBought {
			market: 0,
			buyer: LIQUIDATOR,
			amount: stock,
			paid: price(200),
		}));
		assert_try_state();
	});
}

#[test]
fn a_lender_who_withdraws_first_does_not_escape_a_stock_loss() {
	ExtBuilder.build_and_execute(|| {
		three_borrowers();
		// A second lender, with as much as ALICE.
		let lender = 20;
		assert_ok!(Assets::mint(origin(ALICE), ETH, lender, 100 * ETHER));
		assert_ok!(Lending::supply(origin(lender), 0, 100 * ETHER));
		set_rate(LRT, rate(96));
		Lending::on_idle(1, Weight::MAX);
		// A further fall: the stock is worth even less than the market paid for it. The lenders'
		// assets show it at once.
		let before = Lending::lender(0, &ALICE).assets;
		set_rate(LRT, rate(90));
		let marked = Lending::lender(0, &ALICE).assets;
		assert!(marked < before, "{marked} vs {before}");
		// ALICE leaves first, with the stock at its floor price in her assets; it is sold
		// afterwards, at no less.
		assert_ok!(Lending::withdraw(origin(ALICE), 0, marked));
		let stock = ledger().stock;
		assert_ok!(Lending::buy_collateral(origin(LIQUIDATOR), 0, stock, u128::MAX));
		// She lost at least as much as the lender who stayed.
		let alice_lost = 100 * ETHER - marked;
		let lender_lost = 100 * ETHER - Lending::lender(0, &lender).assets.min(100 * ETHER);
		assert!(alice_lost > 0);
		assert!(alice_lost + 2 >= lender_lost, "{alice_lost} vs {lender_lost}");
		assert_try_state();
	});
}

#[test]
fn the_stock_is_valued_at_its_floor_whatever_the_auction_clock() {
	ExtBuilder.build_and_execute(|| {
		three_borrowers();
		set_rate(LRT, rate(96));
		Lending::on_idle(1, Weight::MAX);
		let books = ledger();
		assert!(books.stock > 0);
		// The books carry the stock at no more than it fetches at the auction's floor (the max
		// discount, 20 %), below its cost, from the moment the market takes it…
		let floor = Perbill::from_percent(80)
			.mul_floor(value_of(books.stock, rate(96), sp_runtime::Rounding::Down).unwrap());
		let value = || Lending::market_view(0).unwrap().market.ledger.stock_value;
		let at_start = value();
		assert!(at_start <= floor && at_start < books.stock_cost, "{at_start} vs {floor}");
		// …and the auction's clock alone never moves it, though the price a buyer pays falls.
		let price = || Lending::market_view(0).unwrap().stock_price.unwrap();
		let start_price = price();
		advance(1_800);
		assert_eq!(value(), at_start);
		assert!(price() < start_price);
		advance(100_000);
		assert_eq!(value(), at_start);
		assert_try_state();
	});
}

#[test]
fn the_protocol_fee_reaches_reserves_only_when_its_stock_is_sold() {
	ExtBuilder.build_and_execute(|| {
		market();
		borrower(BOB, 10 * ETHER, 9 * ETHER);
		set_rate(LRT, rate(96));
		let lenders = || Lending::lender(0, &ALICE).assets;
		let before = lenders();
		assert_ok!(Lending::liquidate(origin(LIQUIDATOR), 0, BOB, u128::MAX));
		// The fee is collateral the protocol holds, not yet value: reserves do not count it, and
		// the lenders neither gain nor lose by it.
		let fee = ledger().stock;
		assert!(fee > 0);
		assert_eq!(ledger().reserves, 0);
		assert_eq!(lenders(), before);
		// Sold, its price is realised: all of it goes to the reserves, none to the lenders.
		System::reset_events();
		assert_ok!(Lending::buy_collateral(origin(LIQUIDATOR), 0, fee, u128::MAX));
		let paid = events()
			.into_iter()
			.find_map(|e| match e {
				crate::Event::CollateralBought { paid, .. } => Some(paid),
				_ => None,
			})
			.unwrap();
		assert!(paid > 0);
		assert_eq!(ledger().reserves, paid);
		assert_eq!(lenders(), before);
		assert_eq!(ledger().bad_debt, BadDebt::default());
		assert_try_state();
	});
}
