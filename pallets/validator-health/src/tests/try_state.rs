//! `do_try_state` finds every book that disagrees with the tracked validators.

use super::*;
use frame_support::storage::{with_transaction, TransactionOutcome};

/// Asserts that `do_try_state` fails with `message` once `corrupt` has run, then rolls the
/// corruption back.
fn assert_breaks(corrupt: impl FnOnce(), message: &'static str) {
	assert_ok!(with_transaction(|| {
		corrupt();
		assert_eq!(ValidatorHealth::do_try_state(), Err(DispatchError::Other(message)));
		TransactionOutcome::Rollback(Ok::<(), DispatchError>(()))
	}));
	assert_ok!(ValidatorHealth::do_try_state());
}

#[test]
fn try_state_finds_every_broken_book() {
	ExtBuilder::default().build_and_execute(|| {
		register_both();
		let a = indices_with(CHECKPOINT, pod_a());
		assert_ok!(submit(CHECKPOINT, &a[..3]));
		assert_ok!(ValidatorHealth::do_try_state());

		assert_breaks(
			|| Credentials::<Test>::remove(pod_a()),
			"a tracked validator's withdrawal credentials are not registered",
		);
		assert_breaks(
			|| Credentials::<Test>::mutate(pod_a(), |info| info.as_mut().unwrap().lrt = LRT_B),
			"a tracked validator counts towards another LRT than its credentials",
		);
		assert_breaks(
			|| {
				let mut bls = pod_b();
				bls.0[0] = 0;
				Credentials::<Test>::insert(bls, CredentialsInfo { lrt: LRT_B, validators: 0 });
			},
			"registered credentials are not execution credentials",
		);
		assert_breaks(
			|| Credentials::<Test>::mutate(pod_a(), |info| info.as_mut().unwrap().validators += 1),
			"Credentials' validators count differs from the tracked validators using them",
		);
		assert_breaks(
			|| ProofSlots::<Test>::insert(LRT_A, LATER.to_be_bytes(), 0u32),
			"ProofSlots holds an empty slot",
		);
		assert_breaks(
			|| ProofSlots::<Test>::insert(LRT_A, LATER.to_be_bytes(), 1u32),
			"ProofSlots differs from the tracked validators proven at a slot",
		);
		assert_breaks(
			|| ProofSlots::<Test>::mutate(LRT_A, CHECKPOINT.to_be_bytes(), |count| *count += 1),
			"ProofSlots differs from the tracked validators proven at a slot",
		);
		assert_breaks(
			|| ProofSlots::<Test>::remove(LRT_A, CHECKPOINT.to_be_bytes()),
			"ProofSlots misses a slot tracked validators were proven at",
		);
		assert_breaks(
			|| Aggregates::<Test>::mutate(LRT_A, |aggregates| aggregates.total_balance += 1),
			"Aggregates differ from a recount over the LRT's tracked validators",
		);
		assert_breaks(
			|| Aggregates::<Test>::mutate(LRT_A, |aggregates| aggregates.slashed += 1),
			"Aggregates differ from a recount over the LRT's tracked validators",
		);
		assert_breaks(
			|| Aggregates::<Test>::mutate(LRT_A, |a| a.oldest_proof_slot = Some(LATER)),
			"Aggregates differ from a recount over the LRT's tracked validators",
		);
		let phantom = LrtAggregates { validators: 1, ..Default::default() };
		assert_breaks(
			move || Aggregates::<Test>::insert(LRT_B, phantom),
			"Aggregates differ from a recount over the LRT's tracked validators",
		);
		assert_breaks(
			|| Aggregates::<Test>::remove(LRT_A),
			"an LRT with tracked validators has no Aggregates",
		);
	});
}

#[test]
fn try_state_finds_a_corrupted_validator_index() {
	ExtBuilder::default().build_and_execute(|| {
		register_both();
		let (a, b) = (indices_with(CHECKPOINT, pod_a()), indices_with(CHECKPOINT, pod_b()));
		assert_ok!(submit(CHECKPOINT, &[a[0], a[1], b[0]]));
		assert_ok!(ValidatorHealth::do_try_state());

		assert_breaks(
			|| ValidatorsByLrt::<Test>::remove(LRT_A, a[0]),
			"a tracked validator is not indexed under its LRT in ValidatorsByLrt",
		);
		// Listed under the other LRT as well, or instead.
		assert_breaks(
			|| ValidatorsByLrt::<Test>::insert(LRT_B, a[0], ()),
			"ValidatorsByLrt indexes a validator not tracked under that LRT",
		);
		assert_breaks(
			|| {
				ValidatorsByLrt::<Test>::remove(LRT_B, b[0]);
				ValidatorsByLrt::<Test>::insert(LRT_A, b[0], ());
			},
			"a tracked validator is not indexed under its LRT in ValidatorsByLrt",
		);
		// Listing a validator nobody tracks (or one untracked without its entry).
		assert_breaks(
			|| ValidatorsByLrt::<Test>::insert(LRT_A, a[2], ()),
			"ValidatorsByLrt indexes a validator not tracked under that LRT",
		);
		assert_breaks(
			|| Validators::<Test>::remove(a[1]),
			"ValidatorsByLrt indexes a validator not tracked under that LRT",
		);
	});
}
