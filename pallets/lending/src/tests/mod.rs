//! The pallet's tests in the mock runtime, one file per concern. Every test runs inside
//! [`ExtBuilder::build_and_execute`] (or its off-chain variant), which checks
//! `Lending::do_try_state()` once the test is done; the property test checks it after every step.

use crate::{mock::*, *};
use frame_support::assert_ok;
use sp_runtime::FixedU128;

mod books;
mod borrowing;
mod buy_collateral;
mod emergency;
mod invariants;
mod lenders;
mod liquidation;
mod markets;
mod offchain_keeper;
mod work_off;

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

fn ledger() -> MarketBooks {
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

/// The pallet's invariants hold now (the books equal the balances, positions and shares sum to
/// the books, bad debt splits exactly, lenders' claims are covered).
fn assert_try_state() {
	assert_eq!(Lending::do_try_state(), Ok(()));
}

/// Three borrowers at different leverage; a rate drop to 0.96 leaves only the most leveraged
/// one under the threshold.
fn three_borrowers() {
	market();
	borrower(BOB, 10 * ETHER, 9 * ETHER); // health at 0.96: 0.992
	borrower(CAROL, 10 * ETHER, 8 * ETHER); // 1.116
	borrower(DAVE, 10 * ETHER, 5 * ETHER); // 1.786
}
