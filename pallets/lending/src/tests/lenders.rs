//! Lenders: `supply` and `withdraw`, and the virtual shares' guard against inflation.

use super::*;
use frame_support::assert_noop;

#[test]
fn lenders_get_shares_and_withdraw_what_they_are_worth() {
	ExtBuilder.build_and_execute(|| {
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
		// The first to bring ETH into the markets' account also paid its minimum balance, which
		// stays there (the account's endowment).
		assert_eq!(eth(ALICE), 940 * ETHER - MIN_BALANCE);
		assert_eq!(Lending::lender(0, &ALICE).assets, 60 * ETHER);
		// Cash lent out cannot be withdrawn.
		borrower(BOB, 50 * ETHER, 40 * ETHER);
		assert_noop!(Lending::withdraw(origin(ALICE), 0, 30 * ETHER), Error::InsufficientLiquidity);
		assert_try_state();
	});
}

#[test]
fn a_first_lender_cannot_inflate_the_share_price() {
	ExtBuilder.build_and_execute(|| {
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
		// In these tests the account must hold exactly what the books say: the donation shows.
		assert_eq!(
			Lending::do_try_state(),
			Err("the markets' account holds more of an asset than the books".into())
		);
		// Handed back, the account holds the books again (checked after the test).
		assert_ok!(<Assets as frame_support::traits::fungibles::Mutate<_>>::transfer(
			ETH,
			&Lending::account_id(),
			&BOB,
			10 * ETHER,
			frame_support::traits::tokens::Preservation::Expendable,
		));
	});
}
