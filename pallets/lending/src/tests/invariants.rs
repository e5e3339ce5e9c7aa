//! Random sequences of every call, time jumps, rate falls and rises (to 0, too), risk-cap and
//! parameter changes, self-liquidation through a second account and stock sales along the
//! auction, with the pallet's invariants (`do_try_state`) checked after every step. The mock's
//! assets have a minimum balance above 1 ([`MIN_BALANCE`]), so a payout that would reap the
//! markets' account shows.

use super::*;
use ballast_primitives::time::SECONDS_PER_YEAR;
use frame_support::{
	pallet_prelude::TransactionSource,
	traits::{Authorize, Hooks},
	weights::Weight,
};
use proptest::prelude::*;
use sp_runtime::{
	traits::{Dispatchable, Saturating, Zero},
	FixedPointNumber, Perbill, Rounding,
};

const USERS: [AccountId; 4] = [ALICE, BOB, CAROL, DAVE];
/// Each user's second account, from which they may liquidate their own position.
const SECOND: [AccountId; 4] = [101, 102, 103, 104];

#[derive(Clone, Debug)]
enum Op {
	Supply(usize, u128),
	Withdraw(usize, u128),
	Deposit(usize, u128),
	WithdrawCollateral(usize, u128),
	Borrow(usize, u128),
	Repay(usize, usize, u128),
	Liquidate(usize, u128),
	/// The user liquidates their own position from their second account.
	SelfLiquidate(usize, u128),
	Keeper(usize),
	Idle,
	/// `on_idle` with room for this many positions: the work-off goes on from its cursor.
	IdleSome(u32),
	Buy(u128),
	Time(u64),
	/// A new rate, up or down (from 0.40 to 1.30).
	Rate(u128),
	/// The LRT's backing is lost: a rate of 0.
	Wipe,
	/// The rate moves by this many permille (a small rise or fall).
	Nudge(i32),
	/// The rate moves to where the user's collateral is worth `1 + bps / 10⁴` times their debt:
	/// just solvent at par, where the base discount alone would exceed the solvency room.
	Edge(usize, u32),
	/// The LRT's risk tier caps (LTV, LT) in percent, or no cap.
	Caps(Option<(u32, u32)>),
	/// Governance moves LTV and LT by these points and sets the other parameters.
	Params {
		ltv: i32,
		lt: i32,
		base: u32,
		max: u32,
		close: u32,
		full: u32,
		target: u32,
		fee: u32,
	},
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
		2 => (user.clone(), prop_oneof![amount.clone(), Just(u128::MAX)]).prop_map(|(u, a)| Op::SelfLiquidate(u, a)),
		1 => user.clone().prop_map(Op::Keeper),
		1 => Just(Op::Idle),
		2 => (1u32..4).prop_map(Op::IdleSome),
		2 => amount.prop_map(Op::Buy),
		1 => prop_oneof![1u64..7_200, 1u64..SECONDS_PER_YEAR].prop_map(Op::Time),
		1 => (40u128..130).prop_map(Op::Rate),
		1 => Just(Op::Wipe),
		2 => (-30i32..30).prop_map(Op::Nudge),
		2 => (user.clone(), 0u32..150).prop_map(|(u, bps)| Op::Edge(u, bps)),
		1 => prop::option::of((60u32..=95).prop_flat_map(|lt| ((lt - 15)..lt, Just(lt)))).prop_map(Op::Caps),
		1 => (-6i32..=6, -6i32..=6, 0u32..6, 0u32..30, 10u32..=100, 80u32..=100, 110u32..=150, 0u32..30)
			.prop_map(|(ltv, lt, base, max, close, full, target, fee)| Op::Params { ltv, lt, base, max, close, full, target, fee }),
	]
}

fn total_eth() -> u128 {
	USERS.iter().chain(SECOND.iter()).chain([&LIQUIDATOR]).map(|w| eth(*w)).sum::<u128>()
		+ eth(Lending::account_id())
}

fn backing_rate() -> FixedU128 {
	RATES.with(|r| r.borrow().get(&LRT).map(|(rate, _)| *rate)).unwrap_or_default()
}

/// `collateral · rate` of a position, rounded down, and its debt.
fn value_and_debt(who: AccountId) -> Option<(u128, u128)> {
	Lending::position_view(0, &who)
		.map(|v| (value_of(v.collateral, backing_rate(), Rounding::Down).unwrap(), v.debt))
}

/// What a user and their second account own together, net of the user's debt, at the backing
/// rate: ETH, plus LRT in their wallets and in the position, minus the debt.
fn net_worth(u: usize) -> i128 {
	let (who, second) = (USERS[u], SECOND[u]);
	let collateral = Lending::position_view(0, &who).map(|v| v.collateral).unwrap_or_default();
	let lrt_held = lrt(who) + lrt(second) + collateral;
	(eth(who) + eth(second)) as i128
		+ value_of(lrt_held, backing_rate(), Rounding::Down).unwrap() as i128
		- debt(who) as i128
}

fn percent(x: i32) -> Perbill {
	Perbill::from_percent(x.clamp(0, 100) as u32)
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 1024, .. ProptestConfig::default() })]
	#[test]
	fn no_value_is_created_and_liquidation_follows_health(
		// Positions the users open before the sequence: (collateral in ETH, LTV used in %).
		opening in prop::collection::vec((1u128..60, 0u128..=90), USERS.len()),
		ops in prop::collection::vec(op(), 1..60),
	) {
		ExtBuilder.build_and_execute(|| {
			set_rate(LRT, rate(100));
			assert_ok!(Lending::create_market(RuntimeOrigin::root(), LRT, ETH, params()));
			assert_ok!(Assets::mint(origin(ALICE), ETH, LIQUIDATOR, 100_000 * ETHER));
			for second in SECOND {
				assert_ok!(Assets::mint(origin(ALICE), ETH, second, 1_000 * ETHER));
			}
			let eth_supply = total_eth();
			assert_ok!(Lending::supply(origin(ALICE), 0, 300 * ETHER));
			for (who, (collateral, ltv)) in USERS.into_iter().zip(opening) {
				assert_ok!(Lending::deposit_collateral(origin(who), 0, collateral * ETHER));
				let _ = Lending::borrow(origin(who), 0, collateral * ETHER * ltv / 100);
			}
			let mut index = FixedU128::from_u32(1);
			for op in ops {
				let before = ledger();
				// Liquidations never credit the reserves (a fee reaches them when its stock is
				// sold); only bad debt takes from them.
				let liquidating = matches!(op, Op::Liquidate(..) | Op::SelfLiquidate(..) | Op::Keeper(_) | Op::Idle | Op::IdleSome(_));
				let reserves = Lending::accrued_market(0).unwrap().ledger.reserves;
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
						let solvency = value_and_debt(who);
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
								let (value, debt) = solvency.unwrap();
								let after = Lending::position_view(0, &who);
								if value >= debt {
									// Solvent at par: health does not fall (or the position
									// closes), whatever the discount region, and no bad debt.
									if let (Some(h0), Some(h1)) = (v.health, after.as_ref().and_then(|a| a.health)) {
										let slack = FixedU128::from_rational(1, 1_000_000_000);
										prop_assert!(h1 + slack >= h0, "health fell {:?} → {:?}", h0, h1);
									}
									prop_assert_eq!(ledger().bad_debt, before.bad_debt, "bad debt on a solvent position");
								} else if let Some((value1, debt1)) = value_and_debt(who).filter(|(_, d)| *d > 0) {
									// Insolvent: its shortfall does not grow.
									prop_assert!(debt1.saturating_sub(value1) <= (debt - value) + 2,
										"shortfall grew {} → {}", debt - value, debt1.saturating_sub(value1));
								}
							},
							_ => {},
						}
					},
					Op::SelfLiquidate(u, a) => {
						// The borrower liquidates their own position from a second account: the
						// pair gains at most the bad debt the liquidation records, and none on a
						// position solvent at par.
						let who = USERS[u];
						let solvency = value_and_debt(who);
						let worth = net_worth(u);
						if Lending::liquidate(origin(SECOND[u]), 0, who, a).is_ok() {
							let (value, debt) = solvency.unwrap();
							let bad = ledger().bad_debt.total - before.bad_debt.total;
							if value >= debt {
								prop_assert_eq!(bad, 0, "bad debt on a position solvent at par");
							}
							let gain = net_worth(u) - worth;
							prop_assert!(gain <= bad as i128 + 2, "self-liquidation gained {} (bad debt {})", gain, bad);
						}
					},
					Op::Keeper(u) => {
						let call = crate::Call::<Test>::liquidate_unhealthy { market: 0, borrower: USERS[u] };
						let valid = call.authorize(TransactionSource::Local).unwrap().is_ok();
						// The market liquidates whatever is under the threshold, at a rate of 0
						// too (writing the debt off), where outside liquidators may not.
						let unhealthy = Lending::position_view(0, &USERS[u]).is_some_and(|v| v.weighted_collateral < v.debt);
						prop_assert_eq!(valid, unhealthy);
						let solvent = value_and_debt(USERS[u]).is_some_and(|(v, d)| v >= d);
						if valid {
							assert_ok!(RuntimeCall::Lending(call).dispatch(frame_system::RawOrigin::Authorized.into()));
							if solvent {
								prop_assert_eq!(ledger().bad_debt, before.bad_debt, "the market booked bad debt on a solvent position");
							}
						}
					},
					Op::Idle => {
						let solvent = USERS.iter().all(|w| value_and_debt(*w).is_none_or(|(v, d)| v >= d));
						Lending::on_idle(1, Weight::MAX);
						if solvent {
							prop_assert_eq!(ledger().bad_debt, before.bad_debt, "the market booked bad debt on a solvent position");
						}
						// At a rate of 0 the finished work-off wrote every debt off.
						if backing_rate().is_zero() {
							prop_assert_eq!(ledger().normalized_debt, 0, "debt left behind worthless collateral");
						}
					},
					Op::IdleSome(n) => { Lending::on_idle(1, <() as WeightInfo>::work_off(n)); },
					Op::Buy(a) => {
						// The books carry the lenders' stock at most at its floor price, under any
						// auction price, so a sale never lowers the lenders' assets: a loss
						// reached them before it.
						let lenders = || USERS.iter().map(|w| Lending::lender(0, w).assets).sum::<u128>();
						let before = lenders();
						if Lending::buy_collateral(origin(LIQUIDATOR), 0, a.min(ledger().stock.max(1)), u128::MAX).is_ok() {
							prop_assert!(lenders() + 4 >= before, "a sale lowered the lenders' assets {} → {}", before, lenders());
						}
					},
					Op::Time(s) => {
						// The stock's value in the books follows the rate, not the auction's clock.
						let marked = Lending::accrued_market(0).unwrap().ledger.stock_value;
						advance(s);
						prop_assert_eq!(Lending::accrued_market(0).unwrap().ledger.stock_value, marked);
					},
					Op::Rate(r) => set_rate(LRT, rate(r)),
					Op::Wipe => set_rate(LRT, rate(0)),
					Op::Nudge(permille) => {
						let moved = FixedU128::from_rational((1000 + permille) as u128, 1000);
						let next = backing_rate().saturating_mul(moved).clamp(rate(30), rate(150));
						set_rate(LRT, next);
					},
					Op::Edge(u, bps) => {
						if let Some(v) = Lending::position_view(0, &USERS[u]).filter(|v| v.debt > 0 && v.collateral > 0) {
							let wanted = v.debt.saturating_mul(10_000 + bps as u128) / 10_000;
							let edge = FixedU128::checked_from_rational(wanted, v.collateral).unwrap_or(rate(100));
							set_rate(LRT, edge.clamp(rate(30), rate(150)));
						}
					},
					Op::Caps(caps) => CAPS.with(|c| match caps {
						Some((ltv, lt)) => {
							c.borrow_mut().insert(LRT, (Perbill::from_percent(ltv), Perbill::from_percent(lt)));
						},
						None => {
							c.borrow_mut().remove(&LRT);
						},
					}),
					Op::Params { ltv, lt, base, max, close, full, target, fee } => {
						let now = Markets::<Test>::get(0).unwrap().params;
						let points = |p: Perbill| (p.deconstruct() / 10_000_000) as i32;
						let new = MarketParams {
							ltv: percent(points(now.ltv) + ltv),
							liquidation_threshold: percent(points(now.liquidation_threshold) + lt),
							base_discount: Perbill::from_percent(base),
							max_discount: Perbill::from_percent(base + max),
							close_factor: Perbill::from_percent(close),
							full_liquidation_health: rate(full as u128),
							target_health: rate(target as u128),
							protocol_fee: Perbill::from_percent(fee),
							..now
						};
						let _ = Lending::set_params(RuntimeOrigin::root(), 0, new);
					},
				}
				let after = ledger();
				if liquidating {
					prop_assert!(after.reserves <= reserves, "a liquidation credited the reserves {} → {}", reserves, after.reserves);
				}
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
			CAPS.with(|c| c.borrow_mut().clear());
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
