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
				LossKind::ValidatorSlashed { index }
				| LossKind::LaterSlashingPenalties { index } => BookedLoss::ValidatorSlashed { index },
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

	/// `None` while the data is stale, a reported fall waits for confirmation or the circuit
	/// breaker is tripped.
	fn borrow_rate(lrt: T::AssetId) -> Option<FixedU128> {
		Self::components(lrt).filter(|c| c.borrowable()).map(|c| c.effective)
	}
}

impl<T: Config> OnValidatorSlashed<T::AssetId> for Pallet<T> {
	/// Books a valued LRT's slashed validator once (while any part of its slash is in the
	/// books), at its expected penalties (`book_slash`), and re-rates the LRT. The part its
	/// snapshot already includes is not booked: slashing sets `withdrawable_epoch ≥ epoch +
	/// EPOCHS_PER_SLASHINGS_VECTOR`, so if the last slot of epoch `withdrawable_epoch −
	/// EPOCHS_PER_SLASHINGS_VECTOR` is at or before the snapshot's, the snapshot includes the
	/// initial penalty (`SlashAlreadyReported`); the correlation and exit penalties come later
	/// (the correlation penalty at the end of epoch `withdrawable_epoch −
	/// EPOCHS_PER_SLASHINGS_VECTOR / 2`) and are booked until a snapshot `recognition_delay`
	/// after that. The slash counts in the correlation window either way. An LRT without
	/// valuation settings has the slash recorded ([`UnvaluedSlashes`]) and booked when they are
	/// first set.
	fn on_validator_slashed(
		lrt: T::AssetId,
		index: u64,
		effective_balance: u64,
		slot: u64,
		withdrawable_epoch: u64,
	) {
		let Some(params) = Params::<T>::get(lrt) else {
			let slash = UnvaluedSlash { index, effective_balance, slot, withdrawable_epoch };
			let recorded = UnvaluedSlashes::<T>::mutate(lrt, |slashes| {
				slashes.iter().any(|s| s.index == index) || slashes.try_push(slash).is_ok()
			});
			Self::deposit_event(if recorded {
				Event::UnvaluedSlashRecorded { lrt, index }
			} else {
				Event::UnvaluedSlashNotRecorded { lrt, index }
			});
			return;
		};
		if BookedSlashes::<T>::contains_key(lrt, index) {
			return;
		}
		let slashed_by = math::slashed_by(withdrawable_epoch);
		if Snapshots::<T>::get(lrt).is_some_and(|snapshot| slashed_by <= snapshot.position) {
			Self::deposit_event(Event::SlashAlreadyReported { lrt, index });
		}
		let previous = Self::read_rate(lrt);
		if Self::book_slash(lrt, &params, index, effective_balance, slot, withdrawable_epoch) {
			Self::update_rate_after_loss(lrt, previous);
		}
	}

	/// Params, booked slashes, recent slashings, snapshot, losses, merged slashes, pending fall,
	/// unproven-fall baseline, breaker, rate window, rate and history read; up to eleven items
	/// written (two losses booked); then the rate-decrease hook. Priced by the storage it
	/// touches.
	fn weight() -> Weight {
		T::DbWeight::get()
			.reads_writes(13, 11)
			.saturating_add(Weight::from_parts(70_000_000, 2_000))
			.saturating_add(T::OnBackingRateDecreased::weight())
	}
}

impl<T: Config> OnValidatorBalanceChanged<T::AssetId> for Pallet<T> {
	/// Books a valued LRT's validator's balance drop (`math::balance_drop_gwei`) unless part of
	/// the validator's slash is still in the books (its expected penalties cover the drop), and
	/// re-rates the LRT.
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
		let rate = Self::read_rate(lrt);
		Self::book(
			lrt,
			LossKind::BalanceDrop { index },
			(drop as u128).saturating_mul(WEI_PER_GWEI),
			None,
		);
		Self::update_rate_after_loss(lrt, rate);
	}

	/// Params, booked slashes, snapshot, losses, merged slashes, pending fall, unproven-fall
	/// baseline, breaker, rate window, rate and history read; up to nine items written; then
	/// the rate-decrease hook. Priced by the storage it touches.
	fn weight() -> Weight {
		T::DbWeight::get()
			.reads_writes(11, 9)
			.saturating_add(Weight::from_parts(40_000_000, 2_000))
			.saturating_add(T::OnBackingRateDecreased::weight())
	}
}
