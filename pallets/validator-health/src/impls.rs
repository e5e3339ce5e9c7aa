//! What other pallets read through `ballast-primitives` traits: each LRT's proof freshness
//! (`ethereum::ValidatorFreshness`, for the valuation) and its validators' summaries
//! (`risk::ValidatorSummaries`, for the risk model off chain).

use crate::{Aggregates, Config, Pallet, Validators};
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
	/// Iterates every tracked validator: for off-chain use (the risk model), never in a
	/// dispatchable.
	fn validators_of(lrt: T::AssetId) -> Vec<ValidatorSummary> {
		Validators::<T>::iter()
			.filter(|(_, record)| record.lrt == lrt)
			.map(|(index, r)| ValidatorSummary {
				index,
				effective_balance: r.effective_balance,
				balance: r.balance,
				slashed: r.slashed,
				exit_epoch: r.exit_epoch,
				proven_at_slot: r.proven_at_slot,
			})
			.collect()
	}
}
