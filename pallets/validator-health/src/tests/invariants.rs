//! Random sequences of proofs and untrackings: the books (`do_try_state`, the per-LRT index
//! included) hold after every step.

use super::*;
use crate::functions::AggregateChanges;
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
		ExtBuilder::default().build_and_execute(|| {
			for lrt in 0..3u8 {
				assert_ok!(ValidatorHealth::register_credentials(
					RuntimeOrigin::root(), LRT_A + lrt as u32, credentials(lrt)));
			}
			let mut slot = 32 * 5;
			for step in steps {
				slot += step.slot_step;
				let previous = Validators::<Test>::get(step.index);
				// A validator is never proven twice at one slot: such a step does nothing.
				let stale = previous.as_ref().is_some_and(|r| r.proven_at_slot >= slot);
				if step.untrack {
					if previous.is_some() {
						assert_ok!(ValidatorHealth::untrack_validators(
							RuntimeOrigin::root(), BoundedVec::try_from(vec![step.index]).unwrap()));
					}
				} else if !stale {
					// A validator keeps its LRT.
					let lrt = previous.as_ref().map_or(step.lrt, |r| (r.lrt - LRT_A) as u8);
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
					let mut changes = AggregateChanges::<Test>::default();
					let (index, balance) = (step.index, step.balance);
					Pallet::<Test>::apply(&mut changes, index, &fields, balance, slot, previous);
					changes.flush();
				}
				// The books hold after every step.
				prop_assert_eq!(ValidatorHealth::do_try_state(), Ok(()));
			}
			for lrt in 0..3u8 {
				let asset = LRT_A + lrt as u32;
				prop_assert_eq!(Aggregates::<Test>::get(asset), recomputed(asset));
				let tracked = Validators::<Test>::iter().filter(|(_, r)| r.lrt == asset).count() as u32;
				prop_assert_eq!(Credentials::<Test>::get(credentials(lrt)).unwrap().validators, tracked);
				let slots: u32 = ProofSlots::<Test>::iter_prefix(asset).map(|(_, n)| n).sum();
				prop_assert_eq!(slots, tracked);
				let indexed = ValidatorsByLrt::<Test>::iter_key_prefix(asset).count() as u32;
				prop_assert_eq!(indexed, tracked);
			}
			Ok(())
		})?;
	}
}
