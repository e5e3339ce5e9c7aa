//! Tests on real Sepolia states (shared/fixtures) and EigenLayer's slashed-validator vector.

use crate::{mock::*, *};
use ballast_ethereum_proofs::{BeaconBlockHeader, ForkSchedule, Root};
use ballast_ethereum_prover::{fixtures, StateProver};
use frame_support::{assert_noop, assert_ok, dispatch::Pays, BoundedVec};
use sp_runtime::DispatchError;
use std::{collections::BTreeMap, sync::OnceLock};

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

fn proof(slot: u64, index: u64) -> ValidatorProof {
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

fn submit(slot: u64, indices: &[u64]) -> sp_runtime::DispatchResult {
	ValidatorHealth::submit_validator_proofs(
		RuntimeOrigin::signed(1),
		anchor(slot),
		indices.iter().map(|i| proof(slot, *i)).collect(),
	)
}

/// Aggregates recomputed from scratch over the stored records.
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

#[test]
fn governance_registers_execution_credentials_only() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			ValidatorHealth::register_credentials(RuntimeOrigin::signed(1), LRT_A, pod_a()),
			DispatchError::BadOrigin
		);
		let mut bls = pod_a();
		bls.0[0] = 0;
		assert_noop!(
			ValidatorHealth::register_credentials(RuntimeOrigin::root(), LRT_A, bls),
			Error::<Test>::NotExecutionCredentials
		);
		assert_ok!(ValidatorHealth::register_credentials(RuntimeOrigin::root(), LRT_A, pod_a()));
		assert_noop!(
			ValidatorHealth::register_credentials(RuntimeOrigin::root(), LRT_B, pod_a()),
			Error::<Test>::CredentialsAlreadyRegistered
		);
		assert_noop!(
			ValidatorHealth::deregister_credentials(RuntimeOrigin::root(), LRT_B, pod_a()),
			Error::<Test>::CredentialsNotRegistered
		);
		assert_ok!(ValidatorHealth::deregister_credentials(RuntimeOrigin::root(), LRT_A, pod_a()));
		assert!(Credentials::<Test>::get(pod_a()).is_none());
	});
}

#[test]
fn a_real_batch_tracks_every_validator_of_both_lrts() {
	new_test_ext().execute_with(|| {
		register_both();
		let (a, b) = (indices_with(CHECKPOINT, pod_a()), indices_with(CHECKPOINT, pod_b()));
		assert_eq!((a.len(), b.len()), (100, 100));
		let all: Vec<u64> = a.iter().chain(&b).copied().collect();
		assert_ok!(submit(CHECKPOINT, &all));
		System::assert_last_event(Event::ValidatorsProven { slot: CHECKPOINT, count: 200 }.into());

		for index in &all {
			let record = Validators::<Test>::get(index).expect("tracked");
			let state = prover(CHECKPOINT);
			assert_eq!(record.pubkey_root, state.validators()[*index as usize].pubkey_root);
			assert_eq!(record.balance, state.balance(*index).unwrap().balance);
			assert_eq!(record.proven_at_slot, CHECKPOINT);
		}
		for (lrt, indices) in [(LRT_A, &a), (LRT_B, &b)] {
			let aggregates = Aggregates::<Test>::get(lrt);
			assert_eq!(aggregates, recomputed(lrt));
			assert_eq!(aggregates.validators, 100);
			let expected_total: u128 = indices
				.iter()
				.map(|i| prover(CHECKPOINT).balance(*i).unwrap().balance as u128)
				.sum();
			assert_eq!(aggregates.total_balance, expected_total);
			assert_eq!(aggregates.oldest_proof_slot, Some(CHECKPOINT));
			assert!(aggregates.active + aggregates.exited <= aggregates.validators);
		}
		assert_eq!(Credentials::<Test>::get(pod_a()).unwrap().validators, 100);
	});
}

#[test]
fn newer_proofs_update_records_and_report_balance_changes() {
	new_test_ext().execute_with(|| {
		register_both();
		let a = indices_with(CHECKPOINT, pod_a());
		assert_ok!(submit(CHECKPOINT, &a));
		// Half of them refreshed from the later real state: the oldest proof stays the checkpoint.
		assert_ok!(submit(LATER, &a[..50]));
		assert_eq!(Aggregates::<Test>::get(LRT_A).oldest_proof_slot, Some(CHECKPOINT));
		assert_eq!(Aggregates::<Test>::get(LRT_A), recomputed(LRT_A));
		assert_ok!(submit(LATER, &a[50..]));
		assert_eq!(Aggregates::<Test>::get(LRT_A).oldest_proof_slot, Some(LATER));
		assert_eq!(Aggregates::<Test>::get(LRT_A), recomputed(LRT_A));

		let changes = BALANCE_CHANGES.with(|c| c.borrow().clone());
		let expected: Vec<_> = a
			.iter()
			.filter_map(|i| {
				let (before, after) = (
					prover(CHECKPOINT).balance(*i).unwrap().balance,
					prover(LATER).balance(*i).unwrap().balance,
				);
				(before != after).then_some((LRT_A, *i, before, after, LATER))
			})
			.collect();
		assert!(!expected.is_empty(), "balances move between these real epochs");
		assert_eq!(changes, expected);
	});
}

#[test]
fn stale_or_repeated_proofs_are_rejected() {
	new_test_ext().execute_with(|| {
		register_both();
		let a = indices_with(CHECKPOINT, pod_a());
		assert_ok!(submit(LATER, &a[..3]));
		assert_noop!(submit(LATER, &a[..3]), Error::<Test>::StaleProof);
		assert_noop!(submit(CHECKPOINT, &a[..1]), Error::<Test>::StaleProof);
	});
}

#[test]
fn a_batch_is_all_or_nothing() {
	new_test_ext().execute_with(|| {
		register_both();
		let a = indices_with(CHECKPOINT, pod_a());
		// Validator 0 uses credentials no LRT registered.
		assert_noop!(submit(CHECKPOINT, &[a[0], a[1], 0]), Error::<Test>::UntrackedCredentials);
		assert_noop!(submit(CHECKPOINT, &[a[0], a[0]]), Error::<Test>::DuplicateValidator);
		assert_noop!(submit(CHECKPOINT, &[]), Error::<Test>::EmptyBatch);
		assert!(Validators::<Test>::get(a[0]).is_none());
	});
}

#[test]
fn headers_must_be_finalized_and_of_a_known_fork() {
	new_test_ext().execute_with(|| {
		register_both();
		let a = indices_with(CHECKPOINT, pod_a());
		let good = anchor(CHECKPOINT);
		let proofs = vec![proof(CHECKPOINT, a[0])];
		let submit_with = |anchor: StateAnchor| {
			ValidatorHealth::submit_validator_proofs(
				RuntimeOrigin::signed(1),
				anchor,
				proofs.clone(),
			)
		};
		// Every header field is bound by its root.
		let tweaks: [fn(&mut BeaconBlockHeader); 5] = [
			|h| h.slot += 1,
			|h| h.proposer_index += 1,
			|h| h.parent_root.0[0] ^= 1,
			|h| h.state_root.0[31] ^= 1,
			|h| h.body_root.0[7] ^= 1,
		];
		for tweak in tweaks {
			let mut anchor = good.clone();
			tweak(&mut anchor.header);
			assert_noop!(submit_with(anchor), Error::<Test>::HeaderNotFinalized);
		}
		// The state is Deneb; a schedule that calls it Electra picks the wrong layout.
		let electra_early = ForkSchedule {
			electra: ballast_ethereum_proofs::ForkVersion {
				version: [0x90, 0, 0, 0x74],
				epoch: 140_000,
			},
			..ForkSchedule::sepolia()
		};
		assert_ok!(ValidatorHealth::set_ethereum_forks(RuntimeOrigin::root(), electra_early));
		assert_noop!(submit_with(good.clone()), Error::<Test>::InvalidValidatorsRoot);
		// A fork whose layout is unknown.
		let next_unknown =
			ForkSchedule { next_unknown_fork_epoch: 142_000, ..ForkSchedule::sepolia() };
		assert_ok!(ValidatorHealth::set_ethereum_forks(RuntimeOrigin::root(), next_unknown));
		assert_noop!(submit_with(good.clone()), Error::<Test>::UnsupportedFork);
		assert_ok!(ValidatorHealth::set_ethereum_forks(
			RuntimeOrigin::root(),
			ForkSchedule::sepolia()
		));
		assert_ok!(submit_with(good));
	});
}

#[test]
fn every_single_byte_change_to_a_proof_is_rejected_without_state_change() {
	new_test_ext().execute_with(|| {
		register_both();
		let index = indices_with(CHECKPOINT, pod_b())[7];
		let anchor = anchor(CHECKPOINT);
		let good = proof(CHECKPOINT, index);
		let run = |anchor: StateAnchor, proof: ValidatorProof| {
			ValidatorHealth::submit_validator_proofs(RuntimeOrigin::signed(1), anchor, vec![proof])
		};
		for position in 0..good.validator_branch.len() {
			for byte in 0..32 {
				let mut bad = good.clone();
				bad.validator_branch[position].0[byte] ^= 1;
				assert_noop!(run(anchor.clone(), bad), Error::<Test>::InvalidValidatorProof);
			}
		}
		for position in 0..good.balance_branch.len() {
			for byte in 0..32 {
				let mut bad = good.clone();
				bad.balance_branch[position].0[byte] ^= 1;
				assert_noop!(run(anchor.clone(), bad), Error::<Test>::InvalidBalanceProof);
			}
		}
		for byte in 0..32 {
			let mut bad = good.clone();
			bad.balance_chunk.0[byte] ^= 1;
			assert_noop!(run(anchor.clone(), bad), Error::<Test>::InvalidBalanceProof);
			let mut bad = good.clone();
			bad.fields.pubkey_root.0[byte] ^= 1;
			assert_noop!(run(anchor.clone(), bad), Error::<Test>::InvalidValidatorProof);
			let mut bad_anchor = anchor.clone();
			bad_anchor.validators_root.0[byte] ^= 1;
			assert_noop!(run(bad_anchor, good.clone()), Error::<Test>::InvalidValidatorsRoot);
			let mut bad_anchor = anchor.clone();
			bad_anchor.balances_root.0[byte] ^= 1;
			assert_noop!(run(bad_anchor, good.clone()), Error::<Test>::InvalidBalancesRoot);
		}
		let mut bad = good.clone();
		bad.fields.effective_balance += 1;
		assert_noop!(run(anchor.clone(), bad), Error::<Test>::InvalidValidatorProof);
		let mut bad = good.clone();
		bad.index += 1;
		assert!(run(anchor.clone(), bad).is_err());
		assert_ok!(run(anchor, good));
	});
}

/// EigenLayer's vector of slashed validator 61511, anchored in a header whose state root is the
/// vector's (the vector does not carry the rest of the header).
fn slashing_case() -> (BeaconBlockHeader, SlashingProof) {
	let json = fixtures::eigenpod("balanceUpdateProof_Overcommitted_61511");
	let root = |v: &serde_json::Value| {
		Root::from_slice(&sp_core::bytes::from_hex(v.as_str().unwrap()).unwrap())
	};
	let roots = |v: &serde_json::Value| v.as_array().unwrap().iter().map(root).collect::<Vec<_>>();
	let leaves: [Root; 8] = roots(&json["ValidatorFields"]).try_into().unwrap();
	let header = BeaconBlockHeader {
		slot: 4_600_000,
		proposer_index: 1,
		parent_root: Root::repeat_byte(0x11),
		state_root: root(&json["beaconStateRoot"]),
		body_root: Root::repeat_byte(0x22),
	};
	MockLightClient::finalize(header.hash_tree_root(), header.slot);
	let proof = SlashingProof {
		index: json["validatorIndex"].as_u64().unwrap(),
		fields: ballast_ethereum_proofs::ValidatorFields::from_leaves(&leaves).unwrap(),
		branch: Branch::try_from(roots(&json["WithdrawalCredentialProof"])).unwrap(),
	};
	(header, proof)
}

#[test]
fn a_proven_slash_is_reported_once_free_and_reaches_the_hook() {
	new_test_ext().execute_with(|| {
		let (header, proof) = slashing_case();
		assert_noop!(
			ValidatorHealth::report_slashing(RuntimeOrigin::signed(1), header, proof.clone()),
			Error::<Test>::UntrackedCredentials
		);
		assert_ok!(ValidatorHealth::register_credentials(
			RuntimeOrigin::root(),
			LRT_A,
			proof.fields.withdrawal_credentials
		));
		let post =
			ValidatorHealth::report_slashing(RuntimeOrigin::signed(1), header, proof.clone())
				.expect("a real slashed validator");
		assert_eq!(post.pays_fee, Pays::No);
		System::assert_has_event(
			Event::ValidatorSlashed {
				lrt: LRT_A,
				index: 61_511,
				effective_balance: 31_000_000_000,
				slot: header.slot,
			}
			.into(),
		);
		assert_eq!(
			SLASHED.with(|s| s.borrow().clone()),
			vec![(LRT_A, 61_511, 31_000_000_000, header.slot)]
		);
		let aggregates = Aggregates::<Test>::get(LRT_A);
		assert_eq!((aggregates.validators, aggregates.slashed), (1, 1));
		assert_eq!(aggregates, recomputed(LRT_A));
		assert_noop!(
			ValidatorHealth::report_slashing(RuntimeOrigin::signed(1), header, proof),
			Error::<Test>::AlreadySlashed
		);
	});
}

#[test]
fn slashing_reports_need_a_slashed_and_valid_proof() {
	new_test_ext().execute_with(|| {
		let (header, proof) = slashing_case();
		assert_ok!(ValidatorHealth::register_credentials(
			RuntimeOrigin::root(),
			LRT_A,
			proof.fields.withdrawal_credentials
		));
		let mut unslashed = proof.clone();
		unslashed.fields.slashed = false;
		assert_noop!(
			ValidatorHealth::report_slashing(RuntimeOrigin::signed(1), header, unslashed),
			Error::<Test>::NotSlashed
		);
		let mut tampered = proof.clone();
		tampered.branch[45].0[0] ^= 1;
		assert_noop!(
			ValidatorHealth::report_slashing(RuntimeOrigin::signed(1), header, tampered),
			Error::<Test>::InvalidValidatorProof
		);
		let mut unfinalized = header;
		unfinalized.slot += 1;
		assert_noop!(
			ValidatorHealth::report_slashing(RuntimeOrigin::signed(1), unfinalized, proof),
			Error::<Test>::HeaderNotFinalized
		);
	});
}

#[test]
fn untracking_releases_credentials() {
	new_test_ext().execute_with(|| {
		register_both();
		let a = indices_with(CHECKPOINT, pod_a());
		assert_ok!(submit(CHECKPOINT, &a[..2]));
		assert_noop!(
			ValidatorHealth::deregister_credentials(RuntimeOrigin::root(), LRT_A, pod_a()),
			Error::<Test>::CredentialsInUse
		);
		let indices = BoundedVec::try_from(a[..2].to_vec()).unwrap();
		assert_noop!(
			ValidatorHealth::untrack_validators(
				RuntimeOrigin::root(),
				BoundedVec::try_from(vec![0]).unwrap()
			),
			Error::<Test>::UnknownValidator
		);
		assert_ok!(ValidatorHealth::untrack_validators(RuntimeOrigin::root(), indices));
		assert_eq!(Aggregates::<Test>::get(LRT_A), LrtAggregates::default());
		assert_ok!(ValidatorHealth::deregister_credentials(RuntimeOrigin::root(), LRT_A, pod_a()));
	});
}

mod invariants {
	use super::*;
	use ballast_ethereum_proofs::ValidatorFields;
	use proptest::prelude::*;

	/// One step: prove validator `index` (of LRT `lrt`) with these fields `slot_step` slots after
	/// the newest proof so far, or untrack it.
	#[derive(Clone, Debug)]
	struct Step {
		index: u64,
		lrt: u8,
		balance: u64,
		effective: u64,
		slashed: bool,
		activation_epoch: u64,
		exit_epoch: u64,
		slot_step: u64,
		untrack: bool,
	}

	fn step() -> impl Strategy<Value = Step> {
		(
			0u64..16,
			0u8..3,
			0u64..40_000_000_000,
			0u64..33,
			any::<bool>(),
			0u64..10,
			0u64..12,
			0u64..3,
			prop::bool::weighted(0.15),
		)
			.prop_map(
				|(
					index,
					lrt,
					balance,
					effective,
					slashed,
					activation_epoch,
					exit_epoch,
					slot_step,
					untrack,
				)| Step {
					index,
					lrt,
					balance,
					effective: effective * 1_000_000_000,
					slashed,
					activation_epoch,
					exit_epoch,
					slot_step,
					untrack,
				},
			)
	}

	fn credentials(lrt: u8) -> Root {
		let mut c = [0u8; 32];
		c[0] = 1;
		c[31] = lrt + 1;
		Root::from(c)
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(96))]
		#[test]
		fn aggregates_and_counts_always_equal_a_recount(steps in prop::collection::vec(step(), 1..80)) {
			new_test_ext().execute_with(|| {
				for lrt in 0..3u8 {
					assert_ok!(ValidatorHealth::register_credentials(
						RuntimeOrigin::root(), LRT_A + lrt as u32, credentials(lrt)));
				}
				let mut slot = 32 * 5;
				for step in steps {
					slot += step.slot_step;
					let previous = Validators::<Test>::get(step.index);
					if step.untrack {
						if previous.is_some() {
							assert_ok!(ValidatorHealth::untrack_validators(
								RuntimeOrigin::root(), BoundedVec::try_from(vec![step.index]).unwrap()));
						}
						continue;
					}
					// A validator keeps its LRT and is never proven twice at one slot.
					let lrt = previous.as_ref().map_or(step.lrt, |r| (r.lrt - LRT_A) as u8);
					if previous.as_ref().is_some_and(|r| r.proven_at_slot >= slot) {
						continue;
					}
					let fields = ValidatorFields {
						pubkey_root: Root::repeat_byte(step.index as u8),
						withdrawal_credentials: credentials(lrt),
						effective_balance: step.effective,
						slashed: step.slashed || previous.as_ref().is_some_and(|r| r.slashed),
						activation_eligibility_epoch: 0,
						activation_epoch: step.activation_epoch,
						exit_epoch: step.activation_epoch + step.exit_epoch,
						withdrawable_epoch: u64::MAX,
					};
					let mut ledger = Ledger::<Test>::default();
					Pallet::<Test>::apply(&mut ledger, step.index, &fields, step.balance, slot, previous);
					ledger.flush();
				}
				for lrt in 0..3u8 {
					let asset = LRT_A + lrt as u32;
					prop_assert_eq!(Aggregates::<Test>::get(asset), recomputed(asset));
					let tracked = Validators::<Test>::iter().filter(|(_, r)| r.lrt == asset).count() as u32;
					prop_assert_eq!(Credentials::<Test>::get(credentials(lrt)).unwrap().validators, tracked);
					let slots: u32 = ProofSlots::<Test>::iter_prefix(asset).map(|(_, n)| n).sum();
					prop_assert_eq!(slots, tracked);
				}
				Ok(())
			})?;
		}
	}
}
