//! What the valuation's hooks are told by the calls, and what the calls declare for them.

use super::*;
use ballast_ethereum_proofs::{state::StateTrees, Fork, ValidatorFields};
use frame_support::dispatch::GetDispatchInfo;

pub(super) const GWEI_PER_ETH: u64 = 1_000_000_000;
/// Deneb slots on Sepolia, an epoch apart.
pub(super) const FIRST: u64 = 4_570_752;
pub(super) const SECOND: u64 = FIRST + 32;

/// Execution credentials of synthetic LRT number `n`.
pub(super) fn synthetic_credentials(n: u8) -> Root {
	let mut bytes = [0u8; 32];
	bytes[0] = 1;
	bytes[31] = n + 1;
	Root::from(bytes)
}

/// A 32 ETH validator using `credentials`.
pub(super) fn validator(index: u64, credentials: Root, slashed: bool) -> ValidatorFields {
	let mut pubkey_root = [0u8; 32];
	pubkey_root[24..].copy_from_slice(&(index + 1).to_be_bytes());
	ValidatorFields {
		pubkey_root: Root::from(pubkey_root),
		withdrawal_credentials: credentials,
		effective_balance: 32 * GWEI_PER_ETH,
		slashed,
		activation_eligibility_epoch: 1,
		activation_epoch: 2,
		exit_epoch: u64::MAX,
		withdrawable_epoch: if slashed { 150_000 } else { u64::MAX },
	}
}

/// Proves every validator of a synthetic state at `slot` in one batch (its header finalized).
fn prove_all(
	slot: u64,
	validators: Vec<ValidatorFields>,
	balances: &[u64],
) -> sp_runtime::DispatchResult {
	let (trees, anchor) = synthetic_state(slot, validators, balances);
	let proofs = (0..trees.validator_count()).map(|i| trees.batch_proof(i).expect("in range"));
	ValidatorHealth::submit_validator_proofs(RuntimeOrigin::signed(1), anchor, proofs.collect())
		.map(|_| ())
		.map_err(|error| error.error)
}

/// A synthetic Deneb state at `slot` and its anchor, its header declared finalized.
pub(super) fn synthetic_state(
	slot: u64,
	validators: Vec<ValidatorFields>,
	balances: &[u64],
) -> (StateTrees, StateAnchor) {
	let trees = StateTrees::new(Fork::Deneb, vec![Root::repeat_byte(7); 28], validators, balances);
	let header = BeaconBlockHeader {
		slot,
		proposer_index: 1,
		parent_root: Root::repeat_byte(1),
		state_root: trees.state_root(),
		body_root: Root::repeat_byte(2),
	};
	MockLightClient::finalize(header.hash_tree_root(), slot);
	let anchor = trees.anchor(&header).expect("the header is the state's");
	(trees, anchor)
}

#[test]
fn a_proof_revealing_a_slash_and_a_lower_balance_tells_only_the_slash_hook() {
	ExtBuilder::default().build_and_execute(|| {
		let pod = synthetic_credentials(0);
		assert_ok!(ValidatorHealth::register_credentials(RuntimeOrigin::root(), LRT_A, pod));
		assert_ok!(prove_all(FIRST, vec![validator(0, pod, false)], &[32 * GWEI_PER_ETH]));
		// Slashed between the two proofs: the slashing took its initial penalty (and maybe
		// more) from the balance. The slash's booked penalties cover that drop, so the valuation
		// hears of the slash alone and books it once.
		let lower = 32 * GWEI_PER_ETH - 8_000_000;
		assert_ok!(prove_all(SECOND, vec![validator(0, pod, true)], &[lower]));
		assert_eq!(
			SLASHED.with(|s| s.borrow().clone()),
			vec![(LRT_A, 0, 32 * GWEI_PER_ETH, SECOND, 150_000)]
		);
		assert!(BALANCE_CHANGES.with(|c| c.borrow().is_empty()));
		assert_eq!(Validators::<Test>::get(0).expect("tracked").balance, lower);
		// Later drops of the slashed validator are reported as such.
		assert_ok!(prove_all(SECOND + 32, vec![validator(0, pod, true)], &[lower - 1]));
		assert_eq!(
			BALANCE_CHANGES.with(|c| c.borrow().clone()),
			vec![(LRT_A, 0, lower, lower - 1, SECOND + 32)]
		);
	});
}

#[test]
fn a_batch_declares_the_hooks_worst_case() {
	ExtBuilder::default().build_and_execute(|| {
		use crate::WeightInfo;
		use ballast_primitives::ethereum::{
			OnValidatorBalanceChanged, OnValidatorProofsApplied, OnValidatorSlashed,
		};
		let pod = synthetic_credentials(0);
		for n in [1u64, 100, 1_000] {
			let validators = (0..n).map(|i| validator(i, pod, false)).collect();
			let (trees, anchor) =
				synthetic_state(FIRST, validators, &vec![GWEI_PER_ETH; n as usize]);
			let proofs = (0..n).map(|i| trees.batch_proof(i).expect("in range")).collect();
			let declared = Call::<Test>::submit_validator_proofs { anchor, proofs }
				.get_dispatch_info()
				.call_weight;
			// Every proof may tell one hook, and the end of the call re-rate every LRT told.
			let per_proof = RecordBalanceChanges::weight().max(RecordSlashes::weight());
			let hooks = per_proof
				.saturating_mul(n)
				.saturating_add(<RecordApplied as OnValidatorProofsApplied>::weight(n as u32));
			assert!(hooks.ref_time() > 0, "the mock's hooks weigh something");
			let own = <() as WeightInfo>::submit_validator_proofs(n as u32);
			assert!(declared.all_gte(own.saturating_add(hooks)), "{n} proofs: {declared:?}");
		}
	});
}

#[test]
fn a_batch_touching_two_lrts_ends_with_one_re_rating_of_each() {
	ExtBuilder::default().build_and_execute(|| {
		register_both();
		let all: Vec<u64> = indices_with(CHECKPOINT, pod_a())
			.into_iter()
			.chain(indices_with(CHECKPOINT, pod_b()))
			.collect();
		// First proofs track the validators: no hook is told, so the call does not end with
		// the re-rating hook either.
		assert_ok!(submit(CHECKPOINT, &all));
		assert!(APPLIED.with(|a| a.borrow().is_empty()));
		// The later state changes many balances of both LRTs in one batch.
		assert_ok!(submit(LATER, &all));
		let changes = BALANCE_CHANGES.with(|c| c.borrow().clone());
		for lrt in [LRT_A, LRT_B] {
			let told = changes.iter().filter(|change| change.0 == lrt).count();
			assert!(told > 10, "{told} balance changes of LRT {lrt}");
		}
		// The end-of-call hook ran once, after every balance change, for both LRTs.
		let mut applied = APPLIED.with(|a| a.borrow().clone());
		assert_eq!(applied.len(), 1);
		applied[0].sort();
		assert_eq!(applied, vec![vec![LRT_A, LRT_B]]);
	});
}

#[test]
fn a_batch_is_refunded_to_the_hooks_it_told() {
	use crate::WeightInfo;
	use ballast_primitives::ethereum::OnValidatorBalanceChanged;
	ExtBuilder::default().build_and_execute(|| {
		register_both();
		let a = indices_with(CHECKPOINT, pod_a());
		let own = |n: usize| <() as WeightInfo>::submit_validator_proofs(n as u32);
		let batch = |slot: u64, indices: &[u64]| {
			ValidatorHealth::submit_validator_proofs(
				RuntimeOrigin::signed(1),
				anchor(slot),
				indices.iter().map(|i| proof(slot, *i)).collect(),
			)
		};
		// First proofs tell no hook: the pallet's own weight alone.
		let post = batch(CHECKPOINT, &a).expect("tracked");
		assert_eq!(post.actual_weight, Some(own(a.len())));
		assert_eq!(post.pays_fee, Pays::Yes);
		// Balance changes of one LRT: each change at its declared weight, one re-rating.
		let post = batch(LATER, &a).expect("updated");
		let told = BALANCE_CHANGES.with(|c| c.borrow().len()) as u64;
		assert!(told > 0);
		let hooks = RecordBalanceChanges::weight()
			.saturating_mul(told)
			.saturating_add(RecordApplied::per_lrt());
		assert_eq!(post.actual_weight, Some(own(a.len()).saturating_add(hooks)));
		// A refused batch told no hook: the pallet's own weight.
		let refused = batch(LATER, &a).expect_err("stale");
		assert_eq!(refused.error, Error::<Test>::StaleProof.into());
		assert_eq!(refused.post_info.actual_weight, Some(own(a.len())));
	});
}
