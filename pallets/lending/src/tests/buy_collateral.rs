//! `buy_collateral` and `withdraw_reserves`: the market sells what it took over.

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
		assert_ok!(Lending::buy_collateral(origin(LIQUIDATOR), 0, stock, price));
		let after = ledger();
		assert_eq!((after.stock, after.stock_cost), (0, 0));
		// Bought at the liquidation discount (1.8 %), sold at 1 %: the difference is reserves.
		assert!(price > cost);
		assert_eq!(after.reserves, books.reserves + price - cost);
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
