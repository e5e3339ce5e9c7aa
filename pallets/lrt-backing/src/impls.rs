//! The `ballast_primitives` traits the valuation implements for other pallets:
//! validator-health's hooks ([`OnValidatorSlashed`], [`OnValidatorBalanceChanged`], which book,
//! and [`OnValidatorProofsApplied`], which re-rates each LRT they touched once at the end of the
//! call), the rate the lending pallet reads ([`BackingRate`]) and the records the risk model
//! reads ([`ValuationRecords`]).

use crate::{math, pallet::*, types::*};
use alloc::vec::Vec;
use ballast_primitives::{
	ethereum::{OnValidatorBalanceChanged, OnValidatorProofsApplied, OnValidatorSlashed},
	risk::{BookedLoss, ValuationRecords},
	valuation::BackingRate,
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
	/// books), at its expected penalties (`book_slash`); the LRT is re-rated at the end of the
	/// call ([`OnValidatorProofsApplied`]). The expected penalties cover the balance change of
	/// the proof that revealed the slash (validator-health tells only this hook of it) and
	/// every later drop while any part of the slash is in the books. The part its
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
		Self::book_and_defer_rerate(lrt, || {
			Self::book_slash(lrt, &params, index, effective_balance, slot, withdrawable_epoch);
		});
	}

	/// The validator's booked slash read and written; the LRT's settings and snapshot, or its
	/// unvalued slashes, read (and those written); two losses booked
	/// ([`Pallet::booking_weight`]); the correlation window's pass and the events. The LRT's
	/// losses and rate are counted once per LRT by [`OnValidatorProofsApplied`]. Priced by the
	/// storage it touches.
	fn weight() -> Weight {
		T::DbWeight::get()
			.reads_writes(4, 2)
			.saturating_add(Weight::from_parts(40_000_000, 17_000))
			.saturating_add(Self::booking_weight().saturating_mul(2))
	}
}

impl<T: Config> OnValidatorBalanceChanged<T::AssetId> for Pallet<T> {
	/// Books a valued LRT's validator's balance drop (`math::balance_drop_gwei`) unless part of
	/// the validator's slash is still in the books (its expected penalties cover the drop); the
	/// LRT is re-rated at the end of the call ([`OnValidatorProofsApplied`]).
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
		Self::book_and_defer_rerate(lrt, || {
			let wei = (drop as u128).saturating_mul(WEI_PER_GWEI);
			Self::book(lrt, LossKind::BalanceDrop { index }, wei, None);
		});
	}

	/// The validator's booked slash and the LRT's settings read, one loss booked
	/// ([`Pallet::booking_weight`]) and the list of LRTs to re-rate checked. The LRT's snapshot,
	/// losses and rate are counted once per LRT by [`OnValidatorProofsApplied`]. Priced by the
	/// storage it touches.
	fn weight() -> Weight {
		T::DbWeight::get()
			.reads(2)
			.saturating_add(Weight::from_parts(5_000_000, 0))
			.saturating_add(Self::booking_weight())
	}
}

impl<T: Config> OnValidatorProofsApplied for Pallet<T> {
	/// Re-rates each LRT the hooks booked a loss of in this call once, from the rate lending
	/// read before its first loss: `RateChanged` and `OnBackingRateDecreased` once per LRT,
	/// however many of its validators the call proved.
	fn on_validator_proofs_applied() -> Weight {
		Self::rerate_pending()
	}

	/// The list taken, and one re-rating per LRT the calls can have touched: at most one per
	/// call, and at most `MaxValuedLrts` (only valued LRTs are re-rated).
	fn weight(hook_calls: u32) -> Weight {
		Self::pending_rerates_weight(hook_calls.min(T::MaxValuedLrts::get()))
	}
}
