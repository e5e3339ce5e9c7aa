//! What other pallets read through `ballast-primitives` traits: each LRT's proof freshness
//! (`ethereum::ValidatorFreshness`, for the valuation) and its validators' summaries
//! (`risk::ValidatorSummaries`, for the risk model off chain).

use crate::{Aggregates, Config, Pallet, Validators};
use alloc::{collections::BTreeMap, vec::Vec};
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
	/// Iterates every tracked validator: for off-chain use (the risk model), never in a
	/// dispatchable.
	fn validators_of(lrt: T::AssetId) -> Vec<ValidatorSummary> {
		Validators::<T>::iter()
			.filter(|(_, record)| record.lrt == lrt)
			.map(|(index, r)| summary(index, &r))
			.collect()
	}

	/// One pass over the tracked validators for all of `lrts` (the risk model's off-chain
	/// worker scores every LRT: O(validators), not O(LRTs × validators)).
	fn validators_of_each(lrts: &[T::AssetId]) -> Vec<Vec<ValidatorSummary>> {
		let position: BTreeMap<T::AssetId, usize> =
			lrts.iter().enumerate().map(|(i, lrt)| (*lrt, i)).collect();
		let mut out: Vec<Vec<ValidatorSummary>> = lrts.iter().map(|_| Vec::new()).collect();
		for (index, record) in Validators::<T>::iter() {
			if let Some(bucket) = position.get(&record.lrt).and_then(|i| out.get_mut(*i)) {
				bucket.push(summary(index, &record));
			}
		}
		out
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
