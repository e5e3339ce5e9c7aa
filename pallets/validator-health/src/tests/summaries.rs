//! `ValidatorSummaries` (what the risk model reads, over the runtime API too) and the per-LRT
//! index it reads through.

use super::*;
use ballast_primitives::risk::ValidatorSummaries;
use codec::Encode;

/// Whether `bytes` occurs in `node`.
fn holds(node: &[u8], bytes: &[u8]) -> bool {
	node.windows(bytes.len()).any(|window| window == bytes)
}

/// The indices of `summaries`, sorted.
fn indices_of(summaries: &[ballast_primitives::risk::ValidatorSummary]) -> Vec<u64> {
	let mut indices: Vec<u64> = summaries.iter().map(|s| s.index).collect();
	indices.sort();
	indices
}

/// The storage proof of `validators_of(LRT_A)` (every trie node it read from the backend) holds
/// the records of LRT A's validators and none of LRT B's: the query costs A's validators, not
/// every tracked one. Before the index, it iterated every record.
#[test]
fn validators_of_reads_only_that_lrts_validators() {
	let mut ext = ExtBuilder::default().build();
	let (a, b) = ext.execute_with(|| {
		register_both();
		let (a, b) = (indices_with(CHECKPOINT, pod_a()), indices_with(CHECKPOINT, pod_b()));
		let a = a[..5].to_vec();
		assert_ok!(submit(CHECKPOINT, &a));
		assert_ok!(submit(CHECKPOINT, &b));
		(a, b)
	});
	// Into the backend, where the proof recorder sees every read.
	ext.commit_all().expect("the test state commits");
	let ((one, each), proof) = ext.execute_and_prove(|| {
		(ValidatorHealth::validators_of(LRT_A), ValidatorHealth::validators_of_each(&[LRT_A]))
	});
	let nodes: Vec<&Vec<u8>> = proof.iter_nodes().collect();
	ext.execute_with(|| {
		let mut sorted = a.clone();
		sorted.sort();
		assert_eq!(indices_of(&one), sorted);
		assert_eq!(each.len(), 1);
		assert_eq!(indices_of(&each[0]), sorted);
		let read = |index: &u64| {
			let record = Validators::<Test>::get(index).expect("tracked").encode();
			nodes.iter().any(|node| holds(node, &record))
		};
		// The recorder sees the records read (so the check below can fail)...
		assert!(a.iter().all(read), "LRT A's records are read");
		// ...and none of the other LRT's.
		let touched: Vec<u64> = b.iter().copied().filter(|index| read(index)).collect();
		assert_eq!(touched, Vec::<u64>::new(), "LRT B's records were read");
		assert_ok!(ValidatorHealth::do_try_state());
	});
}

/// LRT `lrt`'s validators as the index lists them, sorted.
fn indexed(lrt: AssetId) -> Vec<u64> {
	let mut indices: Vec<u64> = ValidatorsByLrt::<Test>::iter_key_prefix(lrt).collect();
	indices.sort();
	indices
}

/// Tracking (a batch, a first slashing report), updating (a newer batch, an older slashing
/// proof), refusing a move to another LRT and untracking each leave the index listing exactly
/// the tracked validators of each LRT, and `validators_of` with them.
#[test]
fn the_validator_index_follows_registration_updates_and_removal() {
	use super::hooks::{synthetic_credentials, synthetic_state, validator, FIRST, SECOND};
	ExtBuilder::default().build_and_execute(|| {
		let (pod_a, pod_b) = (synthetic_credentials(0), synthetic_credentials(1));
		assert_ok!(ValidatorHealth::register_credentials(RuntimeOrigin::root(), LRT_A, pod_a));
		assert_ok!(ValidatorHealth::register_credentials(RuntimeOrigin::root(), LRT_B, pod_b));
		let state = |slashed: u64| {
			let pods = [pod_a, pod_a, pod_a, pod_b, pod_b, pod_b];
			(0..6u64).map(|i| validator(i, pods[i as usize], i == slashed)).collect::<Vec<_>>()
		};
		let balances = [32 * hooks::GWEI_PER_ETH; 6];
		let batch = |slot: u64, slashed: u64, indices: &[u64]| {
			let (trees, anchor) = synthetic_state(slot, state(slashed), &balances);
			let proofs = indices.iter().map(|i| trees.batch_proof(*i).expect("in range"));
			ValidatorHealth::submit_validator_proofs(
				RuntimeOrigin::signed(1),
				anchor,
				proofs.collect(),
			)
			.map(|_| ())
			.map_err(|error| error.error)
		};
		let report = |slot: u64, index: u64| {
			let (trees, anchor) = synthetic_state(slot, state(index), &balances);
			let proof = trees.slashing_proof(index).expect("in range");
			ValidatorHealth::report_slashing(RuntimeOrigin::signed(1), anchor.header, proof)
				.map(|_| ())
				.map_err(|error| error.error)
		};
		let summaries = |lrt| indices_of(&ValidatorHealth::validators_of(lrt));

		// Tracked by a batch: each under its LRT.
		assert_ok!(batch(FIRST, u64::MAX, &[0, 1, 2, 3, 4]));
		assert_eq!((indexed(LRT_A), indexed(LRT_B)), (vec![0, 1, 2], vec![3, 4]));
		// Tracked by a first slashing report.
		assert_ok!(report(FIRST, 5));
		assert_eq!(indexed(LRT_B), vec![3, 4, 5]);
		// Updated by a newer batch, and by an older slashing proof: the index stays.
		assert_ok!(batch(SECOND, u64::MAX, &[0, 3]));
		assert_ok!(report(FIRST - 32, 1));
		assert!(Validators::<Test>::get(1).expect("tracked").slashed);
		assert_eq!((indexed(LRT_A), indexed(LRT_B)), (vec![0, 1, 2], vec![3, 4, 5]));
		// A proof moving validator 2 to LRT B is refused: nothing moves.
		let moved = {
			let mut validators = state(u64::MAX);
			validators[2].withdrawal_credentials = pod_b;
			let (trees, anchor) = synthetic_state(SECOND + 32, validators, &balances);
			ValidatorHealth::submit_validator_proofs(
				RuntimeOrigin::signed(1),
				anchor,
				vec![trees.batch_proof(2).expect("in range")],
			)
			.map_err(|error| error.error)
		};
		assert_eq!(moved.map(|_| ()), Err(Error::<Test>::UntrackedCredentials.into()));
		assert_eq!(indexed(LRT_A), vec![0, 1, 2]);
		// Untracked: gone from the index, the others stay.
		assert_ok!(ValidatorHealth::untrack_validators(
			RuntimeOrigin::root(),
			BoundedVec::try_from(vec![0, 4]).unwrap()
		));
		assert_eq!((indexed(LRT_A), indexed(LRT_B)), (vec![1, 2], vec![3, 5]));
		assert_eq!((summaries(LRT_A), summaries(LRT_B)), (vec![1, 2], vec![3, 5]));
		assert_eq!(
			ValidatorHealth::validators_of_each(&[LRT_B, LRT_A, LRT_B])
				.iter()
				.map(Vec::as_slice)
				.map(indices_of)
				.collect::<Vec<_>>(),
			vec![vec![3, 5], vec![1, 2], vec![3, 5]]
		);
		// Were a record ever to change LRT (the calls refuse it, above), the index follows.
		let previous = Validators::<Test>::get(2);
		let mut changes = crate::functions::AggregateChanges::<Test>::default();
		let fields = validator(2, pod_b, false);
		Pallet::<Test>::apply(&mut changes, 2, &fields, balances[2], SECOND + 64, previous);
		changes.flush();
		assert_eq!((indexed(LRT_A), indexed(LRT_B)), (vec![1], vec![2, 3, 5]));
	});
}
