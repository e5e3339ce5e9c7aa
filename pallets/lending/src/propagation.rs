//! Slashing propagation: a fall of an LRT's backing rate marks every market of the LRT
//! ([`Propagating`]), and `on_idle` works the marked markets off, in the same block and the
//! following ones, as far as each block's spare weight allows: it checks their positions from a
//! cursor and liquidates the unhealthy ones by the market. A fall during a work-off keeps the
//! cursor: the work-off goes on to the last position, wraps to the first and ends where the
//! cursor stood at the latest fall ([`Propagation`]). The keeper (`keeper.rs`) liquidates what
//! is left with authorized transactions.

use super::*;
use alloc::vec::Vec;
use core::cmp::Ordering;
use frame_support::{pallet_prelude::*, storage::with_transaction};
use sp_runtime::{FixedU128, TransactionOutcome};

impl<T: Config> Pallet<T> {
	/// Marks every market of `lrt` after its backing rate fell from `previous` to `current`:
	/// `on_idle` starts working its positions off in this very block. A market already being
	/// worked off keeps its cursor and goes round once more (`Propagation::fell_again`).
	pub(crate) fn start_propagation(lrt: T::AssetId, previous: FixedU128, current: FixedU128) {
		for market in MarketsOfCollateral::<T>::get(lrt) {
			Propagating::<T>::mutate(market, |work_off| match work_off {
				Some(work_off) => work_off.fell_again(),
				None => {
					*work_off = Some(Propagation::new(frame_system::Pallet::<T>::block_number()))
				},
			});
			Self::deposit_event(Event::PropagationStarted { market, previous, current });
		}
	}

	/// Works off the markets whose collateral's rate fell, within `remaining` weight: checks
	/// their positions from a cursor and liquidates the unhealthy ones by the market; nothing
	/// while the chain's call filter refuses `liquidate_unhealthy`. Returns the weight used
	/// (`WeightInfo::work_off` per position checked).
	pub(crate) fn work_off_propagations(remaining: Weight) -> Weight {
		let base = T::WeightInfo::work_off(0);
		let per_position = T::WeightInfo::work_off(1).saturating_sub(base);
		if !remaining.all_gte(base.saturating_add(per_position)) {
			return Weight::zero();
		}
		// While safe mode or a pause refuses the market's liquidations, the marked markets wait
		// (their marks and cursors kept) and are worked off when it ends.
		if Self::liquidations_paused() {
			return base;
		}
		let mut used = base;
		let markets: Vec<MarketId> = Propagating::<T>::iter_keys().collect();
		used.saturating_accrue(T::DbWeight::get().reads(markets.len() as u64));
		for market in markets {
			if !remaining.all_gte(used.saturating_add(per_position)) {
				break;
			}
			let Some(mut propagation) = Propagating::<T>::get(market) else { continue };
			let Some(mut m) = Markets::<T>::get(market) else {
				Propagating::<T>::remove(market);
				continue;
			};
			Self::bring_to_now(&mut m);
			// Liquidations change the books, not the rate or the parameters.
			let valuation = Self::valuation_of(&m);
			let mut iter = match &propagation.cursor {
				Some(raw) => Positions::<T>::iter_prefix_from(market, raw.to_vec()),
				None => Positions::<T>::iter_prefix(market),
			};
			let mut finished = true;
			loop {
				if !remaining.all_gte(used.saturating_add(per_position)) {
					finished = false;
					break;
				}
				let Some((who, position)) = iter.next() else {
					// Past the last position: done, unless a fall during the work-off left the
					// positions before its `end` to check again.
					if propagation.wrapped || propagation.end.is_none() {
						break;
					}
					propagation.wrapped = true;
					propagation.cursor = None;
					iter = Positions::<T>::iter_prefix(market);
					continue;
				};
				used.saturating_accrue(per_position);
				let raw = iter.last_raw_key().to_vec();
				// After wrapping, the work-off ends at `end`, where the cursor stood when the
				// rate last fell.
				let end = propagation
					.end
					.as_ref()
					.filter(|_| propagation.wrapped)
					.map(|end| raw.as_slice().cmp(end.as_slice()));
				if end == Some(Ordering::Greater) {
					// The position at `end` is gone; this one was checked after the fall.
					break;
				}
				propagation.cursor = raw.try_into().ok();
				let unhealthy = Self::health_in(&valuation, &m, &position)
					.is_some_and(|h| h.liquidatable_by(Liquidator::Market));
				if unhealthy && Self::liquidate_by_market(market, &mut m, &who) {
					propagation.liquidated = propagation.liquidated.saturating_add(1);
				}
				if end == Some(Ordering::Equal) {
					break;
				}
			}
			Self::mark_stock(&mut m);
			Markets::<T>::insert(market, m);
			if finished {
				Propagating::<T>::remove(market);
				Self::deposit_event(Event::PropagationFinished {
					market,
					liquidated: propagation.liquidated,
				});
			} else {
				Propagating::<T>::insert(market, propagation);
			}
		}
		used
	}

	/// The market liquidates `who` in `m` (accrued), all or nothing: `m` and storage change only
	/// if the liquidation succeeds. Returns whether it did.
	fn liquidate_by_market(
		market: MarketId,
		m: &mut Market<T::AssetId>,
		who: &T::AccountId,
	) -> bool {
		with_transaction(|| {
			let mut copy = *m;
			match Self::liquidate_position(market, &mut copy, who, None, Balance::MAX) {
				Ok(()) => {
					*m = copy;
					TransactionOutcome::Commit(Ok(()))
				},
				Err(e) => TransactionOutcome::Rollback(Err(e)),
			}
		})
		.is_ok()
	}
}
