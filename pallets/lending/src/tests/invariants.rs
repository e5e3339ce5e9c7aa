//! Random sequences of every call, time jumps and rate drops, with the pallet's invariants
//! (`do_try_state`) checked after every step.

use super::*;
use ballast_primitives::time::SECONDS_PER_YEAR;
use frame_support::{
	pallet_prelude::TransactionSource,
	traits::{Authorize, Hooks},
	weights::Weight,
};
use proptest::prelude::*;
use sp_runtime::traits::Dispatchable;

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
	USERS.iter().chain([&LIQUIDATOR]).map(|w| eth(*w)).sum::<u128>() + eth(Lending::account_id())
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]
	#[test]
	fn no_value_is_created_and_liquidation_follows_health(ops in prop::collection::vec(op(), 1..60)) {
		ExtBuilder.build_and_execute(|| {
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
				prop_assert_eq!(Lending::do_try_state(), Ok(()));
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
