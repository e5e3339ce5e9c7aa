//! Snapshots and AVS slashings proven from the contracts' own receipts (run in revm), validator
//! losses through the hooks, the growth cap, staleness, and a property test of the bounds.

use crate::{mock::*, *};
use alloy_primitives::U256;
use ballast_ethereum_harness::scenarios::{avs_slashing, backing_reports, deposit_and_report};
use ballast_primitives::{
	ethereum::{OnValidatorBalanceChanged, OnValidatorSlashed},
	valuation::BackingRate,
};
use frame_support::{assert_noop, assert_ok, dispatch::Pays};
use snowbridge_verification_primitives::EventProof;
use sp_core::{H160, H256};
use sp_runtime::{
	traits::{One, Saturating},
	FixedPointNumber, FixedU128, Perbill,
};

const LRT: AssetId = 100;
const ETH: u128 = 1_000_000_000_000_000_000;
const GWEI: u64 = 1_000_000_000;
const DAY: u64 = 24 * 3600;
/// Ethereum time of the harness's blocks.
const T0: u64 = 1_750_000_000;

fn params() -> BackingParams {
	BackingParams {
		max_yearly_growth: Perbill::from_percent(10),
		max_snapshot_age: 7 * DAY,
		max_proof_age_slots: 7_200,
		total_active_balance_gwei: 34_000_000 * GWEI as u128,
		exit_penalty: Perbill::from_rational(3u32, 1000u32),
		recognition_delay: 40 * DAY,
	}
}

fn set_time(secs: u64) {
	pallet_timestamp::Now::<Test>::put(secs * 1000);
}

fn rate(numerator: u128, denominator: u128) -> FixedU128 {
	FixedU128::checked_from_rational(numerator, denominator).expect("valid")
}

fn submit(proof: &EventProof) -> frame_support::dispatch::DispatchResultWithPostInfo {
	LrtBacking::submit_backing_report(RuntimeOrigin::signed(1), Box::new(proof.clone()))
}

/// Reports of 1,000 tokens backed by each of `totals` ETH, registered, valued and finalized.
fn valued(totals: &[u64]) -> Vec<EventProof> {
	let (gateway, token, reports) = backing_reports(totals);
	register(LRT, token, gateway);
	assert_ok!(LrtBacking::set_params(RuntimeOrigin::root(), LRT, params()));
	reports
		.into_iter()
		.map(|(beacon, proof)| {
			finalize_execution_block(H256::from(
				beacon.execution_proof().execution_header.block_hash().0,
			));
			proof
		})
		.collect()
}

fn fresh_validators() {
	HEAD_SLOT.with(|s| *s.borrow_mut() = Some(10_000));
	OLDEST_PROOF.with(|s| *s.borrow_mut() = Some(9_000));
}

#[test]
fn a_proven_snapshot_sets_the_rate() {
	new_test_ext().execute_with(|| {
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
	new_test_ext().execute_with(|| {
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
fn a_slashed_validator_lowers_the_rate_by_the_documented_amount_in_the_same_block() {
	new_test_ext().execute_with(|| {
		set_time(T0 + 60);
		fresh_validators();
		assert_ok!(submit(&valued(&[1_030])[0]));
		let before = LrtBacking::backing_rate(LRT).expect("valued");

		<LrtBacking as OnValidatorSlashed<AssetId>>::on_validator_slashed(
			LRT,
			61_511,
			32 * GWEI,
			9_500,
		);

		// initial = eb/4096; correlation = eb·min(3·S, A)/A with S = eb (the only slash);
		// exit = eb·0.3%. All in Gwei.
		let eb: u128 = 32 * GWEI as u128;
		let a = params().total_active_balance_gwei;
		let expected_gwei = eb / 4096 + eb * (3 * eb).min(a) / a + eb * 3 / 1000;
		assert_eq!(expected_gwei, 7_812_500 + 90_352 + 96_000_000);
		let losses = Losses::<Test>::get(LRT);
		assert_eq!(losses[0].wei, expected_gwei * 1_000_000_000);
		let after = LrtBacking::backing_rate(LRT).expect("valued");
		assert_eq!(after, rate(1_030 * ETH - expected_gwei * 1_000_000_000, 1_000 * ETH));
		assert_eq!(decreases(), vec![(LRT, before, after)]);

		// Booked once per validator, whatever the hooks say later.
		<LrtBacking as OnValidatorSlashed<AssetId>>::on_validator_slashed(
			LRT,
			61_511,
			32 * GWEI,
			9_600,
		);
		<LrtBacking as OnValidatorBalanceChanged<AssetId>>::on_validator_balance_changed(
			LRT,
			61_511,
			32 * GWEI,
			31 * GWEI,
			9_600,
		);
		assert_eq!(Losses::<Test>::get(LRT).len(), 1);

		// A second slash in the window weighs more (the correlation grows with S).
		<LrtBacking as OnValidatorSlashed<AssetId>>::on_validator_slashed(LRT, 7, 32 * GWEI, 9_700);
		let second = Losses::<Test>::get(LRT)[1].wei / 1_000_000_000;
		assert_eq!(second, eb / 4096 + eb * (6 * eb) / a + eb * 3 / 1000);
	});
}

#[test]
fn balance_drops_are_losses_but_withdrawals_are_not() {
	new_test_ext().execute_with(|| {
		set_time(T0 + 60);
		fresh_validators();
		assert_ok!(submit(&valued(&[1_030])[0]));
		let hook = <LrtBacking as OnValidatorBalanceChanged<AssetId>>::on_validator_balance_changed;
		// A partial withdrawal sweeps the excess above 32 ETH; a full withdrawal empties it.
		hook(LRT, 1, 32_050_000_000, 32 * GWEI, 9_000);
		hook(LRT, 2, 32 * GWEI, 0, 9_000);
		assert!(Losses::<Test>::get(LRT).is_empty());
		// Penalties take it below what it held (capped at 32 ETH).
		hook(LRT, 3, 32_010_000_000, 31_900_000_000, 9_000);
		assert_eq!(Losses::<Test>::get(LRT)[0].wei, 100_000_000 * 1_000_000_000);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(1_030 * ETH - ETH / 10, 1_000 * ETH)));
		assert_eq!(decreases().len(), 1);
	});
}

#[test]
fn rises_are_capped_and_falls_are_immediate() {
	new_test_ext().execute_with(|| {
		fresh_validators();
		let reports = valued(&[1_030, 1_200, 1_250, 900]);
		set_time(T0 + 60);
		assert_ok!(submit(&reports[0]));
		// Half a year later the LRT reports 1.2: the rate may only grow 10%/year → ×1.05.
		set_time(T0 + 60 + SECONDS_PER_YEAR / 2);
		assert_ok!(submit(&reports[1]));
		let capped = rate(1_030, 1_000).saturating_mul(rate(105, 100));
		let c = LrtBacking::components(LRT).expect("valued");
		assert_eq!(c.reported, rate(1_200, 1_000));
		assert_eq!(c.effective, capped);
		// With time alone the cap keeps rising (lazily), never past the reported rate.
		set_time(T0 + 60 + SECONDS_PER_YEAR);
		let later = LrtBacking::backing_rate(LRT).expect("valued");
		assert_eq!(later, capped.saturating_mul(rate(105, 100)));
		set_time(T0 + 60 + 5 * SECONDS_PER_YEAR);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(1_200, 1_000)));
		// A report of 0.9 applies at once and tells the hook.
		assert_ok!(submit(&reports[2]));
		assert_ok!(submit(&reports[3]));
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(900, 1_000)));
		let (lrt, _, current) = *decreases().last().expect("a decrease");
		assert_eq!((lrt, current), (LRT, rate(900, 1_000)));
		// The history keeps the last three rates.
		let history = History::<Test>::get(LRT);
		assert_eq!(history.len(), 3);
		assert_eq!(history.last().expect("rates").rate, rate(900, 1_000));
	});
}

#[test]
fn stale_data_blocks_borrowing_not_liquidations() {
	new_test_ext().execute_with(|| {
		set_time(T0 + 60);
		let reports = valued(&[1_030]);
		assert_ok!(submit(&reports[0]));
		// No validator proofs at all: stale.
		assert_eq!(LrtBacking::borrow_rate(LRT), None);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(1_030, 1_000)));
		fresh_validators();
		assert_eq!(LrtBacking::borrow_rate(LRT), Some(rate(1_030, 1_000)));
		// Proofs too old.
		OLDEST_PROOF.with(|s| *s.borrow_mut() = Some(1_000));
		assert_eq!(LrtBacking::borrow_rate(LRT), None);
		fresh_validators();
		// The snapshot too old.
		set_time(T0 + 8 * DAY);
		assert!(LrtBacking::components(LRT).expect("valued").stale);
		assert_eq!(LrtBacking::borrow_rate(LRT), None);
		assert!(LrtBacking::backing_rate(LRT).is_some());
	});
}

#[test]
fn avs_slashes_are_scaled_by_the_lrts_stake() {
	new_test_ext().execute_with(|| {
		set_time(T0 + 60);
		fresh_validators();
		assert_ok!(submit(&valued(&[1_030])[0]));
		let operator = H160::repeat_byte(0x0a);
		let strategy = H160::repeat_byte(0xbe);
		let wad = U256::from(10u64).pow(U256::from(17u64)); // 10%
		let (manager, beacon, proof) = avs_slashing(operator, strategy, wad);
		let submit_slash = |proof: &EventProof| {
			LrtBacking::submit_avs_slashing(RuntimeOrigin::signed(1), Box::new(proof.clone()))
		};
		assert_noop!(submit_slash(&proof), Error::<Test>::NoAllocationManager);
		assert_ok!(LrtBacking::set_allocation_manager(RuntimeOrigin::root(), manager));
		assert_noop!(submit_slash(&proof), Error::<Test>::InvalidProof);
		finalize_execution_block(H256::from(
			beacon.execution_proof().execution_header.block_hash().0,
		));
		let mut foreign = proof.clone();
		foreign.event_log.address = H160::repeat_byte(0x31);
		assert_noop!(submit_slash(&foreign), Error::<Test>::WrongEmitter);

		assert_eq!(submit_slash(&proof).expect("booked").pays_fee, Pays::No);
		// Operator 0x0a holds 60% of 1,030 ETH; 10% of it is slashed: 61.8 ETH.
		assert_eq!(Losses::<Test>::get(LRT)[0].wei, 61_800 * ETH / 1_000);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(1_030_000 - 61_800, 1_000_000)));
		assert_eq!(decreases().len(), 1);
		assert_noop!(submit_slash(&proof), Error::<Test>::AlreadyBooked);

		// An operator the LRT does not delegate to.
		let (_, beacon, other) = avs_slashing(H160::repeat_byte(0x0c), strategy, wad);
		finalize_execution_block(H256::from(
			beacon.execution_proof().execution_header.block_hash().0,
		));
		assert_noop!(submit_slash(&other), Error::<Test>::NoExposure);
	});
}

#[test]
fn losses_leave_the_books_once_a_snapshot_is_old_enough_to_include_them() {
	new_test_ext().execute_with(|| {
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

mod bounds {
	use super::*;
	use proptest::prelude::*;

	proptest! {
		#![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

		/// Whatever losses arrive and whenever, the effective rate never exceeds the reported one
		/// or the proven one, never rises faster than the cap, and every fall tells the hook.
		#[test]
		fn the_rate_stays_within_its_bounds(
			events in proptest::collection::vec((0u64..3, 1u64..40 * DAY, 1u64..2_000_000_000), 1..12)
		) {
			new_test_ext().execute_with(|| {
				fresh_validators();
				set_time(T0 + 60);
				assert_ok!(submit(&valued(&[1_030])[0]));
				let mut now = T0 + 60;
				let mut index = 0u64;
				for (kind, wait, gwei) in events {
					let before = LrtBacking::backing_rate(LRT).expect("valued");
					let stored = Rates::<Test>::get(LRT).expect("stored");
					now += wait;
					set_time(now);
					let decreases_before = decreases().len();
					index += 1;
					match kind {
						0 => <LrtBacking as OnValidatorSlashed<AssetId>>::on_validator_slashed(LRT, index, 32 * GWEI, 9_000),
						1 => <LrtBacking as OnValidatorBalanceChanged<AssetId>>::on_validator_balance_changed(LRT, index, 32 * GWEI, 32 * GWEI - gwei.min(31 * GWEI), 9_000),
						_ => {},
					}
					let c = LrtBacking::components(LRT).expect("valued");
					prop_assert!(c.effective <= c.reported);
					prop_assert!(c.effective <= c.proven);
					let elapsed = now - stored.at;
					let cap = stored.rate.saturating_mul(FixedU128::one().saturating_add(
						FixedU128::from(params().max_yearly_growth).saturating_mul(FixedU128::saturating_from_rational(elapsed, SECONDS_PER_YEAR))));
					prop_assert!(c.effective <= cap.max(stored.rate));
					if c.effective < before && kind != 2 {
						prop_assert_eq!(decreases().len(), decreases_before + 1);
					}
				}
				Ok(())
			})?;
		}
	}
}
