//! The keeper: off-chain workers submit `liquidate_unhealthy` as authorized transactions.

use super::*;
use codec::Encode;
use frame_support::{
	assert_noop,
	pallet_prelude::{InvalidTransaction, TransactionSource, TransactionValidityError},
	traits::{Authorize, Hooks},
};
use sp_runtime::{traits::Dispatchable, DispatchError};

/// The calls the keeper submitted to the pool since the last look.
fn submitted(pool: &Pool) -> Vec<RuntimeCall> {
	use codec::Decode;
	pool.write()
		.transactions
		.drain(..)
		.map(|bytes| Extrinsic::decode(&mut &bytes[..]).unwrap().function)
		.collect()
}

#[test]
fn the_keeper_liquidates_exactly_the_unhealthy_positions_through_authorized_transactions() {
	ExtBuilder.build_and_execute_offchain(|pool| {
		three_borrowers();
		// No rate drop yet: nothing to do.
		Lending::offchain_worker(1);
		assert!(submitted(pool).is_empty());
		// The drop happens without the hook (e.g. interest pushed BOB under): the keeper finds it.
		RATES.with(|r| r.borrow_mut().insert(LRT, (rate(96), Some(rate(96)))));
		Lending::offchain_worker(2);
		let calls = submitted(pool);
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
		assert_try_state();
	});
}

#[test]
fn while_liquidations_are_paused_the_keeper_submits_nothing_and_the_pool_refuses_them() {
	ExtBuilder.build_and_execute_offchain(|pool| {
		three_borrowers();
		RATES.with(|r| r.borrow_mut().insert(LRT, (rate(96), Some(rate(96)))));
		// Safe mode or a tx-pause would refuse the call at dispatch: no free transaction that
		// can only fail enters the pool or a block.
		crate::mock::Paused::set(&true);
		Lending::offchain_worker(2);
		assert!(submitted(pool).is_empty());
		let call = crate::Call::<Test>::liquidate_unhealthy { market: 0, borrower: BOB };
		assert_eq!(
			call.authorize(TransactionSource::External).unwrap().map(|_| ()),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Call))
		);
		// Lifted, the same position is liquidated as usual.
		crate::mock::Paused::set(&false);
		Lending::offchain_worker(3);
		assert_eq!(submitted(pool).len(), 1);
		assert!(call.authorize(TransactionSource::External).unwrap().is_ok());
		assert_try_state();
	});
}

#[test]
fn the_keeper_checks_a_bounded_number_of_positions_per_run_from_a_cursor() {
	ExtBuilder.build_and_execute_offchain(|pool| {
		market();
		assert_ok!(Lending::supply(origin(BOB), 0, 200 * ETHER));
		for who in 10..35u64 {
			assert_ok!(Assets::mint(origin(ALICE), ETH, who, ETHER));
			// 10 LRT to deposit, and the first also endows the markets' account with LRT.
			assert_ok!(Assets::mint(origin(ALICE), LRT, who, 10 * ETHER + MIN_BALANCE));
			borrower(who, 10 * ETHER, 9 * ETHER);
		}
		RATES.with(|r| r.borrow_mut().insert(LRT, (rate(96), Some(rate(96)))));
		// The node operator lowered the checks per run to 10.
		sp_io::offchain::local_storage_set(
			sp_core::offchain::StorageKind::PERSISTENT,
			crate::keeper::MAX_CHECKS_KEY,
			&codec::Encode::encode(&10u32),
		);
		let mut seen = std::collections::BTreeSet::new();
		for (run, expected) in [(1, 10), (2, 10), (3, 5)] {
			let done = crate::keeper::scan::<Test>();
			assert_eq!(done.checked, expected, "run {run}");
			for call in submitted(pool) {
				let RuntimeCall::Lending(crate::Call::liquidate_unhealthy { borrower, .. }) = call
				else {
					panic!("unexpected call")
				};
				assert!(seen.insert(borrower), "{borrower} submitted twice");
			}
		}
		assert_eq!(seen.len(), 25);
		// The next pass starts over.
		assert_eq!(crate::keeper::scan::<Test>().checked, 10);
	});
}
