//! Slashing propagation: a rate drop marks the markets and `on_idle` works them off.

use super::*;
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
fn the_work_off_is_bounded_by_weight_and_resumes_next_block() {
	ExtBuilder.build_and_execute(|| {
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
		assert_try_state();
	});
}
