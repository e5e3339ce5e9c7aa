//! `do_try_state` itself: it holds on live markets and reports each broken book with its own
//! message. Every corruption below is made in a storage transaction and rolled back.

use super::*;
use frame_support::{
	storage::with_transaction,
	traits::{fungibles::Mutate, Hooks},
	weights::Weight,
};
use sp_runtime::{DispatchError, TransactionOutcome};

/// What `do_try_state` says after `corrupt`; storage is rolled back afterwards.
fn broken(corrupt: impl FnOnce()) -> Result<(), DispatchError> {
	with_transaction(|| {
		corrupt();
		TransactionOutcome::Rollback(Ok::<_, DispatchError>(Lending::do_try_state()))
	})
	.unwrap()
}

/// Changes market 0's books in storage.
fn books(change: impl FnOnce(&mut MarketBooks)) {
	Markets::<Test>::mutate(0, |m| change(&mut m.as_mut().unwrap().ledger));
}

fn fails(message: &'static str) -> Result<(), DispatchError> {
	Err(DispatchError::Other(message))
}

#[test]
fn the_books_hold_on_live_markets() {
	ExtBuilder.build_and_execute(|| {
		assert_try_state();
		three_borrowers();
		advance(3600);
		set_rate(LRT, rate(96));
		Lending::on_idle(1, Weight::MAX);
		assert!(ledger().stock > 0);
		assert_try_state();
	});
}

#[test]
fn broken_market_books_are_reported() {
	ExtBuilder.build_and_execute(|| {
		three_borrowers();
		assert_eq!(
			broken(|| NextMarketId::<Test>::put(0)),
			fails("a market's id is not below NextMarketId")
		);
		assert_eq!(
			broken(|| books(|b| b.total_collateral += 1)),
			fails("positions' collateral does not sum to total_collateral")
		);
		assert_eq!(
			broken(|| books(|b| b.normalized_debt += 1)),
			fails("positions' normalized debt does not sum to normalized_debt")
		);
		assert_eq!(
			broken(|| books(|b| b.supply_shares += 1)),
			fails("lenders' shares do not sum to supply_shares")
		);
		assert_eq!(
			broken(|| books(|b| b.reserves = b.cash + 1_000 * ETHER)),
			fails("lenders' claims and reserves exceed cash + debt + stock_cost")
		);
		assert_eq!(
			broken(|| books(|b| b.bad_debt.total += 1)),
			fails("bad debt is not split exactly into covered_by_reserves and socialised")
		);
		assert_eq!(
			broken(|| books(|b| b.borrow_index = rate(99))),
			fails("the borrow index fell below 1")
		);
		assert_eq!(
			broken(|| books(|b| b.stock_value = b.stock_cost + 1)),
			fails("the stock is valued above its cost")
		);
		assert_eq!(
			broken(|| books(|b| b.stock_cost = 1)),
			fails("a market without stock books a cost or value for it")
		);
		assert_eq!(
			broken(|| books(|b| b.protocol_stock = b.stock + 1)),
			fails("the protocol's part of the stock exceeds the stock")
		);
	});
}

#[test]
fn books_that_differ_from_the_balances_are_reported() {
	ExtBuilder.build_and_execute(|| {
		three_borrowers();
		assert_eq!(
			broken(|| books(|b| b.cash += 1)),
			fails("the markets' account holds less of an asset than the books")
		);
		assert_eq!(
			broken(|| books(|b| b.stock += 1)),
			fails("the markets' account holds less of an asset than the books")
		);
		assert_eq!(
			broken(|| books(|b| b.cash -= 1)),
			fails("the markets' account holds more of an asset than the books")
		);
		assert_eq!(
			broken(|| {
				assert_ok!(<Assets as Mutate<_>>::mint_into(LRT, &Lending::account_id(), 1));
			}),
			fails("the markets' account holds more of an asset than the books")
		);
		// The account's endowment (the asset's minimum balance) is not the books': without it
		// the account holds less than it must.
		assert_eq!(
			broken(|| {
				use frame_support::traits::tokens::{Fortitude, Precision, Preservation};
				assert_ok!(<Assets as Mutate<_>>::burn_from(
					ETH,
					&Lending::account_id(),
					1,
					Preservation::Preserve,
					Precision::Exact,
					Fortitude::Force,
				));
			}),
			fails("the markets' account holds less of an asset than the books")
		);
	});
}

#[test]
fn stray_entries_are_reported() {
	ExtBuilder.build_and_execute(|| {
		three_borrowers();
		assert_eq!(
			broken(|| Positions::<Test>::insert(0, 77, Position::default())),
			fails("an empty position is stored")
		);
		assert_eq!(
			broken(|| SupplyShares::<Test>::insert(0, 77, 0)),
			fails("a zero share balance is stored")
		);
		let position = Position { collateral: 1, normalized_debt: 0 };
		assert_eq!(
			broken(|| Positions::<Test>::insert(5, BOB, position)),
			fails("a position belongs to a market that does not exist")
		);
		assert_eq!(
			broken(|| SupplyShares::<Test>::insert(5, BOB, 1)),
			fails("a share balance belongs to a market that does not exist")
		);
		assert_eq!(
			broken(|| Propagating::<Test>::insert(5, Propagation::new(1))),
			fails("a work-off belongs to a missing market")
		);
		let window = ParamWindowStart {
			started: 0,
			ltv: params().ltv,
			liquidation_threshold: params().liquidation_threshold,
		};
		assert_eq!(
			broken(|| ParamWindow::<Test>::insert(5, window)),
			fails("a parameter window belongs to a missing market")
		);
		let far = ParamWindowStart {
			liquidation_threshold: sp_runtime::Perbill::from_percent(99),
			..window
		};
		assert_eq!(
			broken(|| ParamWindow::<Test>::insert(0, far)),
			fails("LTV or LT moved more than MaxParamStep from the start of their window")
		);
		assert_eq!(
			broken(|| MarketsOfCollateral::<Test>::remove(LRT)),
			fails("a market is missing from its collateral's MarketsOfCollateral")
		);
		assert_eq!(
			broken(|| MarketsOfCollateral::<Test>::mutate(ETH, |ids| ids.try_push(0).unwrap())),
			fails("MarketsOfCollateral lists a market that does not take that collateral")
		);
	});
}

#[test]
fn a_payout_never_reaps_the_markets_account_nor_loses_its_dust() {
	ExtBuilder.build_and_execute(|| {
		use frame_support::traits::fungibles::Inspect;
		// As the runtime's ETH (1 gwei), the mock's assets have a minimum balance above 1: an
		// account left with less is reaped, and what it held is gone.
		assert_eq!(<Assets as Inspect<_>>::minimum_balance(ETH), MIN_BALANCE);
		market();
		// BOB lends less than the minimum balance; ALICE then takes out everything she lent.
		assert_ok!(Lending::supply(origin(BOB), 0, MIN_BALANCE / 2));
		assert_ok!(Lending::withdraw(origin(ALICE), 0, Lending::lender(0, &ALICE).assets));
		// The account still holds BOB's assets, and he can take them out.
		assert_try_state();
		let dust = Lending::lender(0, &BOB).assets;
		assert!(dust > 0);
		assert_ok!(Lending::withdraw(origin(BOB), 0, dust));
		// The same with collateral: DAVE's dust stays when CAROL takes hers out.
		assert_ok!(Lending::deposit_collateral(origin(CAROL), 0, 10 * ETHER));
		assert_ok!(Lending::deposit_collateral(origin(DAVE), 0, MIN_BALANCE / 2));
		assert_ok!(Lending::withdraw_collateral(origin(CAROL), 0, 10 * ETHER));
		assert_try_state();
		assert_ok!(Lending::withdraw_collateral(origin(DAVE), 0, MIN_BALANCE / 2));
		assert_try_state();
	});
}
