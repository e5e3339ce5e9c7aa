//! Tests on real Sepolia states (fixtures/) and EigenLayer's slashed-validator vector, one
//! file per call or concern; every test runs in `ExtBuilder::build_and_execute`, which checks
//! the pallet's books (`do_try_state`) when the test ends.

use crate::{mock::*, *};
use ballast_ethereum_proofs::{BeaconBlockHeader, ForkSchedule, Root};
use ballast_ethereum_prover::{fixtures, StateProver};
use frame_support::{assert_noop, assert_ok, dispatch::Pays, BoundedVec};
use sp_runtime::DispatchError;
use std::{collections::BTreeMap, sync::OnceLock};

mod credentials;
mod hooks;
mod invariants;
mod report_slashing;
mod submit_validator_proofs;
mod summaries;
mod try_state;
mod untrack_validators;

const LRT_A: AssetId = 100;
const LRT_B: AssetId = 101;
const CHECKPOINT: u64 = 4_570_752;
const LATER: u64 = 4_570_816;

/// The two execution addresses that back 100 Sepolia validators each (fixtures README).
fn credentials_of(address: &str) -> Root {
	let mut credentials = [0u8; 32];
	credentials[0] = 1;
	credentials[12..].copy_from_slice(&sp_core::bytes::from_hex(address).unwrap());
	Root::from(credentials)
}
fn pod_a() -> Root {
	credentials_of("0x25c4a76e7d118705e7ea2e9b7d8c59930d8acd3b")
}
fn pod_b() -> Root {
	credentials_of("0xe276bc378a527a8792b353cdca5b5e53263dfb9e")
}

fn prover(slot: u64) -> &'static StateProver {
	static PROVERS: OnceLock<BTreeMap<u64, StateProver>> = OnceLock::new();
	&PROVERS.get_or_init(|| {
		[CHECKPOINT, LATER].into_iter().map(|slot| (slot, fixtures::sepolia_prover(slot))).collect()
	})[&slot]
}

/// The anchor of the real state at `slot`, with its header declared finalized.
fn anchor(slot: u64) -> StateAnchor {
	let header = fixtures::sepolia_header(slot);
	MockLightClient::finalize(header.hash_tree_root(), slot);
	prover(slot).anchor(&header).expect("the header is the state's")
}

fn proof(slot: u64, index: u64) -> ValidatorRecordProof {
	prover(slot).batch_proof(index).expect("index in range")
}

/// Indices of the state's validators using `credentials`.
fn indices_with(slot: u64, credentials: Root) -> Vec<u64> {
	(0..prover(slot).validator_count())
		.filter(|i| prover(slot).validators()[*i as usize].withdrawal_credentials == credentials)
		.collect()
}

fn register_both() {
	assert_ok!(ValidatorHealth::register_credentials(RuntimeOrigin::root(), LRT_A, pod_a()));
	assert_ok!(ValidatorHealth::register_credentials(RuntimeOrigin::root(), LRT_B, pod_b()));
}

/// Proves `indices` at `slot` in one batch (the call's weight refund left out).
fn submit(slot: u64, indices: &[u64]) -> sp_runtime::DispatchResult {
	ValidatorHealth::submit_validator_proofs(
		RuntimeOrigin::signed(1),
		anchor(slot),
		indices.iter().map(|i| proof(slot, *i)).collect(),
	)
	.map(|_| ())
	.map_err(|error| error.error)
}

/// Aggregates recomputed from scratch over the stored records, by the test itself: independent of
/// the pallet's own recount (`recount_aggregates`, which `do_try_state` uses).
fn recomputed(lrt: AssetId) -> LrtAggregates {
	let mut aggregates = LrtAggregates::default();
	for (_, record) in Validators::<Test>::iter().filter(|(_, r)| r.lrt == lrt) {
		aggregates.account(&record, true);
		aggregates.oldest_proof_slot = Some(
			aggregates
				.oldest_proof_slot
				.map_or(record.proven_at_slot, |s| s.min(record.proven_at_slot)),
		);
	}
	aggregates
}
