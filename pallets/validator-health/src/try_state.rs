//! The pallet's books, checked against a recount over every tracked validator
//! ([`Pallet::do_try_state`]): run by `try-runtime` and after every unit test and proptest step.

use crate::{
	Aggregates, Config, Credentials, LrtAggregates, Pallet, ProofSlots, Validators, ValidatorsByLrt,
};
use alloc::collections::btree_map::BTreeMap;
use ballast_ethereum_proofs::Root;
use frame_support::ensure;
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants, recounting over every tracked validator:
	///
	/// - every tracked validator's withdrawal credentials are registered, for the validator's LRT;
	/// - every registered credentials are execution credentials (0x01/0x02), and their
	///   `validators` count equals the number of tracked validators using them;
	/// - `ProofSlots` holds, per LRT and slot, exactly the number (never zero) of the LRT's
	///   tracked validators last proven at that slot;
	/// - every LRT's `Aggregates` (counts, balance sums, slashed count, oldest proof slot) equal
	///   a recount over its tracked validators, and every LRT with tracked validators has them;
	/// - `ValidatorsByLrt` indexes every tracked validator under its LRT, and nothing else: each
	///   entry points at a tracked record of that LRT (so each LRT's prefix counts exactly its
	///   `Aggregates::validators`, which the recount checks).
	///
	/// Iterates all of the pallet's storage: for `try-runtime` and tests, never in a block.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut credentials = BTreeMap::<Root, u32>::new();
		let mut proof_slots = BTreeMap::<(T::AssetId, u64), u32>::new();
		for (index, record) in Validators::<T>::iter() {
			ensure!(
				ValidatorsByLrt::<T>::contains_key(record.lrt, index),
				"a tracked validator is not indexed under its LRT in ValidatorsByLrt"
			);
			let info = Credentials::<T>::get(record.withdrawal_credentials)
				.ok_or("a tracked validator's withdrawal credentials are not registered")?;
			ensure!(
				info.lrt == record.lrt,
				"a tracked validator counts towards another LRT than its credentials"
			);
			let count = credentials.entry(record.withdrawal_credentials).or_default();
			*count = count.saturating_add(1);
			let count = proof_slots.entry((record.lrt, record.proven_at_slot)).or_default();
			*count = count.saturating_add(1);
		}

		for (lrt, index) in ValidatorsByLrt::<T>::iter_keys() {
			ensure!(
				Validators::<T>::get(index).is_some_and(|record| record.lrt == lrt),
				"ValidatorsByLrt indexes a validator not tracked under that LRT"
			);
		}

		for (registered, info) in Credentials::<T>::iter() {
			ensure!(
				Self::withdrawal_address(&registered).is_some(),
				"registered credentials are not execution credentials"
			);
			ensure!(
				info.validators == credentials.get(&registered).copied().unwrap_or(0),
				"Credentials' validators count differs from the tracked validators using them"
			);
		}

		for (lrt, key, count) in ProofSlots::<T>::iter() {
			ensure!(count > 0, "ProofSlots holds an empty slot");
			ensure!(
				proof_slots.remove(&(lrt, u64::from_be_bytes(key))) == Some(count),
				"ProofSlots differs from the tracked validators proven at a slot"
			);
		}
		ensure!(
			proof_slots.is_empty(),
			"ProofSlots misses a slot tracked validators were proven at"
		);

		let mut recounted = Self::recount_aggregates();
		for (lrt, aggregates) in Aggregates::<T>::iter() {
			ensure!(
				aggregates == recounted.remove(&lrt).unwrap_or_default(),
				"Aggregates differ from a recount over the LRT's tracked validators"
			);
		}
		ensure!(recounted.is_empty(), "an LRT with tracked validators has no Aggregates");
		Ok(())
	}

	/// Every LRT's aggregates recounted over its tracked validators: what [`Aggregates`] must
	/// hold (LRTs without tracked validators are absent).
	pub(crate) fn recount_aggregates() -> BTreeMap<T::AssetId, LrtAggregates> {
		let mut recounted = BTreeMap::<T::AssetId, LrtAggregates>::new();
		for (_, record) in Validators::<T>::iter() {
			let aggregates = recounted.entry(record.lrt).or_default();
			aggregates.account(&record, true);
			aggregates.oldest_proof_slot = Some(
				aggregates
					.oldest_proof_slot
					.map_or(record.proven_at_slot, |slot| slot.min(record.proven_at_slot)),
			);
		}
		recounted
	}
}
