//! Slashing propagation: a rate drop marks the markets and `on_idle` works them off.

use super::*;
use ballast_primitives::time::SECONDS_PER_YEAR;
use frame_support::{traits::Hooks, weights::Weight};

#[test]
fn a_rate_drop_is_worked_off_in_the_same_block_by_the_market() {
	ExtBuilder.build_and_execute(|| {
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
		assert_try_state();
	});
}

#[test]
fn while_liquidations_are_paused_the_work_off_waits_and_resumes_after() {
	ExtBuilder.build_and_execute(|| {
		three_borrowers();
		set_rate(LRT, rate(96));
		// Safe mode or a tx-pause of `liquidate_unhealthy`: the market does not liquidate either.
		crate::mock::Paused::set(&true);
		let spare = Weight::from_parts(2_000_000_000_000, u64::MAX);
		System::reset_events();
		assert_eq!(Lending::on_idle(1, spare), <() as WeightInfo>::work_off(0));
		assert!(events().is_empty());
		assert!(Propagating::<Test>::contains_key(0));
		assert!(Lending::position_view(0, &BOB).unwrap().liquidatable);
		// Lifted: the marked market is worked off as if nothing had happened.
		crate::mock::Paused::set(&false);
		assert_eq!(Lending::on_idle(2, spare), <() as WeightInfo>::work_off(3));
		assert!(events().contains(&crate::Event::PropagationFinished { market: 0, liquidated: 1 }));
		assert!(!Lending::position_view(0, &BOB).unwrap().liquidatable);
		assert_try_state();
	});
}

#[test]
fn the_work_off_is_bounded_by_weight_and_resumes_next_block() {
	ExtBuilder.build_and_execute(|| {
		market();
		assert_ok!(Lending::supply(origin(BOB), 0, 200 * ETHER));
		for who in 10..30u64 {
			assert_ok!(Assets::mint(origin(ALICE), ETH, who, ETHER));
			// 10 LRT to deposit, and the first also endows the markets' account with LRT.
			assert_ok!(Assets::mint(origin(ALICE), LRT, who, 10 * ETHER + MIN_BALANCE));
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
		assert_try_state();
	});
}

/// `n` borrowers (accounts 10, 11, …) of 10 LRT each, owing `debt(i)`.
fn borrowers(n: u64, debt: impl Fn(u64) -> u128) {
	assert_ok!(Lending::supply(origin(BOB), 0, 200 * ETHER));
	for i in 0..n {
		let who = 10 + i;
		assert_ok!(Assets::mint(origin(ALICE), ETH, who, ETHER));
		// 10 LRT to deposit, and the first also endows the markets' account with LRT.
		assert_ok!(Assets::mint(origin(ALICE), LRT, who, 10 * ETHER + MIN_BALANCE));
		borrower(who, 10 * ETHER, debt(i));
	}
}

fn unhealthy() -> usize {
	Positions::<Test>::iter_prefix(0)
		.filter(|(who, _)| Lending::position_view(0, who).unwrap().liquidatable)
		.count()
}

#[test]
fn frequent_small_falls_still_let_the_work_off_pass_the_first_positions() {
	ExtBuilder.build_and_execute(|| {
		market();
		borrowers(20, |_| 9 * ETHER);
		let per_block = <() as WeightInfo>::work_off(7);
		// A small fall in every block, before its `on_idle` has room for 7 of the 20 positions.
		for block in 1..=6u64 {
			set_rate(LRT, FixedU128::from_rational(961 - block as u128, 1000));
			Lending::on_idle(block, per_block);
		}
		assert_eq!(unhealthy(), 0);
		assert_try_state();
	});
}

#[test]
fn a_fall_during_a_work_off_rechecks_the_positions_before_the_cursor() {
	ExtBuilder.build_and_execute(|| {
		market();
		// Half owe 9 ETH (unhealthy at 0.96), half 8.5 ETH (healthy at 0.96, not at 0.90).
		borrowers(20, |i| if i % 2 == 0 { 9 * ETHER } else { 85 * ETHER / 10 });
		let per_block = <() as WeightInfo>::work_off(7);
		set_rate(LRT, rate(96));
		Lending::on_idle(1, per_block);
		let cursor = Propagating::<Test>::get(0).unwrap().cursor;
		assert!(cursor.is_some());
		// The next fall comes with 13 positions still to check at 0.96 and 7 checked already.
		set_rate(LRT, rate(90));
		assert_eq!(Propagating::<Test>::get(0).unwrap().cursor, cursor, "the cursor is kept");
		Lending::on_idle(2, per_block);
		Lending::on_idle(3, per_block);
		assert!(
			Propagating::<Test>::contains_key(0),
			"the first 7 are checked again after the wrap"
		);
		Lending::on_idle(4, per_block);
		assert_eq!(unhealthy(), 0);
		assert!(!Propagating::<Test>::contains_key(0));
		assert!(events().contains(&crate::Event::PropagationFinished { market: 0, liquidated: 20 }));
		assert_try_state();
	});
}

#[test]
fn a_zero_rate_market_writes_its_bad_debt_off_against_reserves_then_lenders() {
	ExtBuilder.build_and_execute(|| {
		market();
		borrower(BOB, 10 * ETHER, 9 * ETHER);
		borrower(CAROL, 100 * ETHER, 45 * ETHER);
		// A year of interest fills the reserves; CAROL repays and keeps her collateral.
		advance(SECONDS_PER_YEAR);
		assert_ok!(Lending::repay(origin(CAROL), 0, CAROL, u128::MAX));
		let reserves = ledger().reserves;
		assert!(reserves > 0);
		let lenders_before = Lending::lender(0, &ALICE).assets;
		let owed = debt(BOB);
		assert!(owed > reserves);
		// The LRT's backing is lost entirely: the work-off starts in this block.
		System::reset_events();
		set_rate(LRT, rate(0));
		assert!(Propagating::<Test>::contains_key(0));
		Lending::on_idle(1, Weight::MAX);
		// BOB's debt is written off, reserves first and the lenders the rest, as when collateral
		// runs out; his worthless collateral joins the stock at no cost.
		assert!(Positions::<Test>::get(0, BOB).is_none());
		let books = ledger();
		let socialised = owed - reserves;
		assert_eq!(
			books.bad_debt,
			BadDebt { total: owed, covered_by_reserves: reserves, socialised }
		);
		assert_eq!((books.reserves, books.normalized_debt), (0, 0));
		assert_eq!((books.stock, books.stock_cost, books.stock_value), (10 * ETHER, 0, 0));
		assert!(events().contains(&crate::Event::BadDebtRecorded {
			market: 0,
			borrower: Some(BOB),
			amount: owed,
			covered_by_reserves: reserves,
			socialised,
		}));
		assert!(events().contains(&crate::Event::PropagationFinished { market: 0, liquidated: 1 }));
		// CAROL owes nothing: her collateral stays hers.
		assert_eq!(Positions::<Test>::get(0, CAROL).unwrap().collateral, 100 * ETHER);
		// The lenders lost exactly the socialised part.
		let lenders_after = Lending::lender(0, &ALICE).assets;
		assert!(
			(lenders_before - lenders_after).abs_diff(socialised) <= 2,
			"{lenders_before} → {lenders_after}, socialised {socialised}"
		);
		assert_try_state();
	});
}
