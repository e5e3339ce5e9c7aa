//! What other pallets read through `ballast-primitives` traits: each LRT's proof freshness
//! (`ethereum::ValidatorFreshness`, for the valuation) and its validators' summaries
//! (`risk::ValidatorSummaries`, for the risk model off chain).

use crate::{Aggregates, Config, Pallet, Validators, ValidatorsByLrt};
use alloc::vec::Vec;
use ballast_primitives::{
	ethereum::ValidatorFreshness,
	risk::{ValidatorSummaries, ValidatorSummary},
};

impl<T: Config> ValidatorFreshness<T::AssetId> for Pallet<T> {
	fn oldest_proof_slot(lrt: T::AssetId) -> Option<u64> {
		Aggregates::<T>::get(lrt).oldest_proof_slot
	}
}

impl<T: Config> ValidatorSummaries<T::AssetId> for Pallet<T> {
	/// Iterates `lrt`'s prefix of [`ValidatorsByLrt`] and reads those records: O(the LRT's
	/// validators), whatever the other LRTs track. For off-chain use (the risk model, its
	/// runtime API), never in a dispatchable.
	fn validators_of(lrt: T::AssetId) -> Vec<ValidatorSummary> {
		ValidatorsByLrt::<T>::iter_key_prefix(lrt)
			.filter_map(|index| {
				Validators::<T>::get(index)
					.filter(|record| record.lrt == lrt)
					.map(|record| summary(index, &record))
			})
			.collect()
	}

	/// One prefix per LRT of `lrts` (the risk model's off-chain worker scores every LRT). Per
	/// validator this costs what one pass over all of `Validators` would (a key step and a
	/// record read), so it is never dearer, and it skips every validator of an LRT not asked
	/// for (past `MaxLrts`, no longer registered): O(their validators), not O(all validators).
	fn validators_of_each(lrts: &[T::AssetId]) -> Vec<Vec<ValidatorSummary>> {
		lrts.iter().map(|lrt| Self::validators_of(*lrt)).collect()
	}
}

/// What the risk model reads of a tracked validator.
fn summary<AssetId>(index: u64, r: &crate::ValidatorRecord<AssetId>) -> ValidatorSummary {
	ValidatorSummary {
		index,
		effective_balance: r.effective_balance,
		balance: r.balance,
		slashed: r.slashed,
		exit_epoch: r.exit_epoch,
		proven_at_slot: r.proven_at_slot,
	}
}
