//! `submit_validator_proofs`: real batches, newer proofs, rejected batches and anchors.

use super::*;

#[test]
fn a_real_batch_tracks_every_validator_of_both_lrts() {
	ExtBuilder::default().build_and_execute(|| {
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
	ExtBuilder::default().build_and_execute(|| {
		register_both();
		let a = indices_with(CHECKPOINT, pod_a());
		assert_ok!(submit(CHECKPOINT, &a));
		// Half of them refreshed from the later real state: the oldest proof stays the checkpoint.
		assert_ok!(submit(LATER, &a[..50]));
		assert_eq!(Aggregates::<Test>::get(LRT_A).oldest_proof_slot, Some(CHECKPOINT));
		assert_eq!(Aggregates::<Test>::get(LRT_A), recomputed(LRT_A));
		assert_ok!(ValidatorHealth::do_try_state());
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
	ExtBuilder::default().build_and_execute(|| {
		register_both();
		let a = indices_with(CHECKPOINT, pod_a());
		assert_ok!(submit(LATER, &a[..3]));
		assert_noop!(submit(LATER, &a[..3]), Error::<Test>::StaleProof);
		assert_noop!(submit(CHECKPOINT, &a[..1]), Error::<Test>::StaleProof);
	});
}

#[test]
fn a_batch_is_all_or_nothing() {
	ExtBuilder::default().build_and_execute(|| {
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
	ExtBuilder::default().build_and_execute(|| {
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
			.map_err(|error| error.error)
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
fn anchors_need_the_configured_network_and_a_fork_schedule() {
	let first_of_a = || indices_with(CHECKPOINT, pod_a())[..1].to_vec();
	ExtBuilder::default().genesis_validators_root(None).build_and_execute(|| {
		register_both();
		assert_noop!(submit(CHECKPOINT, &first_of_a()), Error::<Test>::NoGenesisValidatorsRoot);
	});
	// The light client's checkpoint is of another network than the one configured at genesis.
	let other_network = ExtBuilder::default().light_client_network(Some(Root::repeat_byte(0xd8)));
	other_network.build_and_execute(|| {
		register_both();
		assert_noop!(submit(CHECKPOINT, &first_of_a()), Error::<Test>::WrongEthereumNetwork);
	});
	ExtBuilder::default().light_client_network(None).build_and_execute(|| {
		register_both();
		assert_noop!(submit(CHECKPOINT, &first_of_a()), Error::<Test>::WrongEthereumNetwork);
	});
	ExtBuilder::default().ethereum_forks(None).build_and_execute(|| {
		register_both();
		assert_noop!(submit(CHECKPOINT, &first_of_a()), Error::<Test>::NoForkSchedule);
	});
}

#[test]
fn every_single_byte_change_to_a_proof_is_rejected_without_state_change() {
	ExtBuilder::default().build_and_execute(|| {
		register_both();
		let index = indices_with(CHECKPOINT, pod_b())[7];
		let anchor = anchor(CHECKPOINT);
		let good = proof(CHECKPOINT, index);
		let run = |anchor: StateAnchor, proof: ValidatorRecordProof| {
			ValidatorHealth::submit_validator_proofs(RuntimeOrigin::signed(1), anchor, vec![proof])
				.map_err(|error| error.error)
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
