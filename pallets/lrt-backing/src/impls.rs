//! The `ballast_primitives` traits the valuation implements for other pallets:
//! validator-health's hooks ([`OnValidatorSlashed`], [`OnValidatorBalanceChanged`]), the rate the
//! lending pallet reads ([`BackingRate`]) and the records the risk model reads
//! ([`ValuationRecords`]).

use crate::{math, pallet::*, types::*};
use alloc::vec::Vec;
use ballast_primitives::{
	ethereum::{OnValidatorBalanceChanged, OnValidatorSlashed},
	risk::{BookedLoss, ValuationRecords},
	valuation::{BackingRate, OnBackingRateDecreased},
};
use frame_support::{traits::Get, weights::Weight};
use sp_core::H160;
use sp_runtime::FixedU128;

impl<T: Config> ValuationRecords<T::AssetId> for Pallet<T> {
	fn stakes(lrt: T::AssetId) -> Vec<(H160, u128)> {
		Snapshots::<T>::get(lrt)
			.map(|s| s.stakes.iter().map(|stake| (stake.operator, stake.shares)).collect())
			.unwrap_or_default()
	}

	fn losses(lrt: T::AssetId) -> Vec<BookedLoss> {
		Losses::<T>::get(lrt)
			.iter()
			.map(|loss| match loss.kind {
				LossKind::ValidatorSlashed { index } => BookedLoss::ValidatorSlashed { index },
				LossKind::BalanceDrop { index } => BookedLoss::BalanceDrop { index },
				LossKind::AvsSlash { operator, .. } => BookedLoss::AvsSlash { operator },
				LossKind::Merged => BookedLoss::Merged,
			})
			.collect()
	}

	fn rate_history(lrt: T::AssetId) -> Vec<FixedU128> {
		History::<T>::get(lrt).iter().map(|stored| stored.rate).collect()
	}
}

impl<T: Config> BackingRate<T::AssetId> for Pallet<T> {
	fn backing_rate(lrt: T::AssetId) -> Option<FixedU128> {
		Self::components(lrt).map(|c| c.effective)
	}

	fn borrow_rate(lrt: T::AssetId) -> Option<FixedU128> {
		Self::components(lrt).filter(|c| !c.stale).map(|c| c.effective)
	}
}

impl<T: Config> OnValidatorSlashed<T::AssetId> for Pallet<T> {
	/// Books a valued LRT's slashed validator once, at its expected loss
	/// (`book_expected_slashing_loss`), and re-rates the LRT.
	fn on_validator_slashed(lrt: T::AssetId, index: u64, effective_balance: u64, slot: u64) {
		let Some(params) = Params::<T>::get(lrt) else { return };
		if BookedSlashes::<T>::contains_key(lrt, index) {
			return;
		}
		BookedSlashes::<T>::insert(lrt, index, ());
		Self::book_expected_slashing_loss(lrt, &params, index, effective_balance, slot);
		Self::update_rate(lrt);
	}

	/// Params, booked slashes, recent slashings, snapshot, losses, rate and history read;
	/// up to six items written; then the rate-decrease hook. Priced by the storage it touches.
	fn weight() -> Weight {
		T::DbWeight::get()
			.reads_writes(8, 6)
			.saturating_add(Weight::from_parts(50_000_000, 0))
			.saturating_add(T::OnBackingRateDecreased::weight())
	}
}

impl<T: Config> OnValidatorBalanceChanged<T::AssetId> for Pallet<T> {
	/// Books a valued LRT's validator's balance drop (`math::balance_drop_gwei`) unless the
	/// validator's slash is booked already, and re-rates the LRT.
	fn on_validator_balance_changed(
		lrt: T::AssetId,
		index: u64,
		previous: u64,
		current: u64,
		_slot: u64,
	) {
		// Partial withdrawals sweep balances above 32 ETH and full withdrawals empty exited
		// validators: the ETH moves to the LRT's EigenPod, it is not lost. A loss is a fall
		// below what the validator held, capped at 32 ETH, to a non-zero balance.
		if current == 0
			|| !Params::<T>::contains_key(lrt)
			|| BookedSlashes::<T>::contains_key(lrt, index)
		{
			return;
		}
		let drop = math::balance_drop_gwei(previous, current);
		if drop == 0 {
			return;
		}
		Self::book(
			lrt,
			LossKind::BalanceDrop { index },
			(drop as u128).saturating_mul(WEI_PER_GWEI),
		);
		Self::update_rate(lrt);
	}

	/// Params, snapshot, losses, rate and history read; up to four items written; then the
	/// rate-decrease hook. Priced by the storage it touches.
	fn weight() -> Weight {
		T::DbWeight::get()
			.reads_writes(6, 4)
			.saturating_add(Weight::from_parts(30_000_000, 0))
			.saturating_add(T::OnBackingRateDecreased::weight())
	}
}
