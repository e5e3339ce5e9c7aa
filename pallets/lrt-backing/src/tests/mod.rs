//! The valuation's tests: snapshots and AVS slashings proven from the contracts' own receipts
//! (run in revm), validator losses through the hooks, the growth cap, staleness, the books
//! (`do_try_state`) and a property test of the bounds. Every test runs in
//! [`ExtBuilder::build_and_execute`], which checks `do_try_state` once the test is done.
//!
//! - `snapshot`: `submit_backing_report`, its errors, and losses leaving the books;
//! - `validator_losses`: the validator-health hooks (slashes, balance drops);
//! - `rate`: the growth cap and staleness;
//! - `avs_slashing`: `submit_avs_slashing`, the exposure index and the seen-marks' expiry;
//! - `avs_inclusion`: when a booked AVS slash leaves the books (a report showing its cut and
//!   pricing it, or `recognition_delay` after it);
//! - `try_state`: `do_try_state` catching broken books;
//! - `invariants`: the property test.

mod avs_inclusion;
mod avs_slashing;
mod invariants;
mod rate;
mod snapshot;
mod try_state;
mod validator_losses;

use crate::{mock::*, *};
use ballast_ethereum_harness::scenarios::backing_reports;
use frame_support::assert_ok;
use snowbridge_verification_primitives::EventProof;
use sp_core::H256;
use sp_runtime::{FixedPointNumber, FixedU128, Perbill};

const LRT: AssetId = 100;
const ETH: u128 = 1_000_000_000_000_000_000;
const GWEI: u64 = 1_000_000_000;
const DAY: u64 = 24 * 3600;
/// Ethereum time of the harness's blocks.
const T0: u64 = 1_750_000_000;
/// Beacon slot of the harness's first report (`SYNTHETIC_SLOT`); each later one is 32 after.
const SNAPSHOT_SLOT: u64 = 4_600_000;
/// The `withdrawable_epoch` of a validator slashed in the epoch of slot 4,600,064, after the
/// first report (slashing sets it to the epoch plus `EPOCHS_PER_SLASHINGS_VECTOR`).
const SLASHED_AFTER_SNAPSHOT: u64 = 4_600_064 / 32 + 8_192;

fn params() -> BackingParams {
	BackingParams {
		max_yearly_growth: Perbill::from_percent(10),
		max_snapshot_age: 7 * DAY,
		max_proof_age_slots: 7_200,
		total_active_balance_gwei: 34_000_000 * GWEI as u128,
		exit_penalty: Perbill::from_rational(3u32, 1000u32),
		recognition_delay: 40 * DAY,
		max_unproven_fall: Perbill::from_percent(1),
		fall_confirmation_delay: DAY,
		circuit_breaker_fall: Perbill::from_percent(10),
		circuit_breaker_window: DAY,
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

/// Values `other` like `LRT`: its settings, snapshot and exposure copied (a second LRT with the
/// same delegations, without a proof of its own).
fn value_like_lrt(other: AssetId) {
	Params::<Test>::insert(other, params());
	Snapshots::<Test>::insert(other, Snapshots::<Test>::get(LRT).expect("snapshot"));
	for (pair, exposure) in Exposures::<Test>::iter_prefix(LRT) {
		Exposures::<Test>::insert(other, pair, exposure);
	}
}

fn fresh_validators() {
	HEAD_SLOT.with(|s| *s.borrow_mut() = Some(10_000));
	OLDEST_PROOF.with(|s| *s.borrow_mut() = Some(9_000));
}

/// `proof` as if its execution block were at Ethereum time `timestamp` (the test verifier takes
/// finality from the block hash alone, which does not change).
fn at_time(mut proof: EventProof, timestamp: u64) -> EventProof {
	use snowbridge_beacon_primitives::VersionedExecutionPayloadHeader as Header;
	match &mut proof.proof.execution_proof.execution_header {
		Header::Capella(header) => header.timestamp = timestamp,
		Header::Deneb(header) => header.timestamp = timestamp,
	}
	proof
}

/// `proof` as if its beacon block were at `slot` (the light client proves the slot; the test
/// verifier does not look at it).
fn at_slot(mut proof: EventProof, slot: u64) -> EventProof {
	proof.proof.execution_proof.header.slot = slot;
	proof
}

/// The end of a call that told the validator hooks of losses: the LRTs they touched are
/// re-rated (validator-health calls this after every batch).
fn end_of_call() {
	use ballast_primitives::ethereum::OnValidatorProofsApplied;
	<LrtBacking as OnValidatorProofsApplied>::on_validator_proofs_applied();
}

/// A proof telling `OnValidatorSlashed`, in a call of its own.
fn validator_slashed(
	lrt: AssetId,
	index: u64,
	effective_balance: u64,
	slot: u64,
	withdrawable_epoch: u64,
) {
	use ballast_primitives::ethereum::OnValidatorSlashed;
	<LrtBacking as OnValidatorSlashed<AssetId>>::on_validator_slashed(
		lrt,
		index,
		effective_balance,
		slot,
		withdrawable_epoch,
	);
	end_of_call();
}

/// A proof telling `OnValidatorBalanceChanged`, in a call of its own.
fn validator_balance_changed(lrt: AssetId, index: u64, previous: u64, current: u64, slot: u64) {
	use ballast_primitives::ethereum::OnValidatorBalanceChanged;
	<LrtBacking as OnValidatorBalanceChanged<AssetId>>::on_validator_balance_changed(
		lrt, index, previous, current, slot,
	);
	end_of_call();
}
