//! `submit_backing_report`: proven snapshots set the rate, bad reports change nothing, and losses
//! leave the books once a snapshot is old enough to include them.

use super::*;
use ballast_ethereum_harness::scenarios::deposit_and_report;
use ballast_primitives::{ethereum::OnValidatorBalanceChanged, valuation::BackingRate};
use frame_support::{assert_noop, dispatch::Pays};
use sp_core::H160;

#[test]
fn a_proven_snapshot_sets_the_rate() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let reports = valued(&[1_030]);
		let result = submit(&reports[0]).expect("accepted");
		assert_eq!(result.pays_fee, Pays::No);
		let c = LrtBacking::components(LRT).expect("valued");
		assert_eq!(c.reported, rate(1_030, 1_000));
		assert_eq!(c.effective, rate(1_030, 1_000));
		assert!(!c.stale);
		assert_eq!(LrtBacking::borrow_rate(LRT), Some(rate(1_030, 1_000)));
		let snapshot = Snapshots::<Test>::get(LRT).expect("stored");
		assert_eq!((snapshot.total_eth, snapshot.total_supply), (1_030 * ETH, 1_000 * ETH));
		assert_eq!(snapshot.stakes.len(), 2);
		assert!(decreases().is_empty());
		// The same report again is not newer.
		assert_noop!(submit(&reports[0]), Error::<Test>::StaleSnapshot);
	});
}

#[test]
fn bad_reports_change_nothing() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0);
		let scenario = deposit_and_report([1; 32], 10, 1_030);
		// Not valued yet, then not registered, then not finalized, then forged or foreign.
		register(LRT, scenario.token, scenario.gateway);
		assert_noop!(submit(&scenario.report), Error::<Test>::NotValued);
		assert_ok!(LrtBacking::set_params(RuntimeOrigin::root(), LRT, params()));
		assert_noop!(submit(&scenario.report), Error::<Test>::InvalidProof);
		finalize_execution_block(H256::from(
			scenario.beacon.execution_proof().execution_header.block_hash().0,
		));
		assert_noop!(submit(&scenario.deposit), Error::<Test>::WrongEvent);
		let mut forged = scenario.report.clone();
		forged.event_log.data[32 + 31] ^= 1; // totalEth
		assert_noop!(submit(&forged), Error::<Test>::InvalidProof);
		let mut foreign = scenario.report.clone();
		foreign.event_log.address = H160::repeat_byte(0x77);
		assert_noop!(submit(&foreign), Error::<Test>::WrongEmitter);
		register(LRT, H160::repeat_byte(0x55), scenario.gateway);
		LRTS.with(|l| l.borrow_mut().remove(&scenario.token));
		assert_noop!(submit(&scenario.report), Error::<Test>::UnknownToken);
		assert_noop!(
			LrtBacking::set_params(RuntimeOrigin::signed(1), LRT, params()),
			sp_runtime::DispatchError::BadOrigin
		);
		assert!(Snapshots::<Test>::get(LRT).is_none());
	});
}

#[test]
fn losses_leave_the_books_once_a_snapshot_is_old_enough_to_include_them() {
	ExtBuilder.build_and_execute(|| {
		fresh_validators();
		let reports = valued(&[1_030, 1_029, 1_029]);
		// Ballast's clock before the harness's Ethereum blocks, so a later snapshot can postdate
		// the loss.
		set_time(T0 - 1_000);
		assert_ok!(submit(&reports[0]));
		set_time(T0 - 900);
		<LrtBacking as OnValidatorBalanceChanged<AssetId>>::on_validator_balance_changed(
			LRT,
			3,
			32 * GWEI,
			31 * GWEI,
			9_000,
		);
		// Within the recognition delay the loss stays booked against the next snapshot.
		assert_ok!(submit(&reports[1]));
		assert_eq!(Losses::<Test>::get(LRT).len(), 1);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(1_028, 1_000)));
		// With no delay, a snapshot newer than the loss is taken to include it: the loss goes,
		// and the rate may only rise at the capped pace (no time has passed: not at all).
		assert_ok!(LrtBacking::set_params(
			RuntimeOrigin::root(),
			LRT,
			BackingParams { recognition_delay: 0, ..params() }
		));
		assert_ok!(submit(&reports[2]));
		assert!(Losses::<Test>::get(LRT).is_empty());
		let c = LrtBacking::components(LRT).expect("valued");
		assert_eq!((c.reported, c.proven), (rate(1_029, 1_000), rate(1_029, 1_000)));
		assert_eq!(c.effective, rate(1_028, 1_000));
	});
}
