//! Slashing propagation: a fall of an LRT's backing rate marks every market of the LRT
//! ([`Propagating`]), and `on_idle` works the marked markets off, in the same block and the
//! following ones, as far as each block's spare weight allows: it checks their positions from a
//! cursor and liquidates the unhealthy ones by the market. The keeper (`keeper.rs`) liquidates
//! what is left with authorized transactions.

use super::*;
use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, storage::with_transaction};
use sp_runtime::{FixedU128, TransactionOutcome};

impl<T: Config> Pallet<T> {
	/// Marks every market of `lrt` after its backing rate fell from `previous` to `current`:
	/// `on_idle` starts working its positions off in this very block.
	pub(crate) fn start_propagation(lrt: T::AssetId, previous: FixedU128, current: FixedU128) {
		for market in MarketsOfCollateral::<T>::get(lrt) {
			Propagating::<T>::insert(
				market,
				Propagation::new(frame_system::Pallet::<T>::block_number()),
			);
			Self::deposit_event(Event::PropagationStarted { market, previous, current });
		}
	}

	/// Works off the markets whose collateral's rate fell, within `remaining` weight: checks
	/// their positions from a cursor and liquidates the unhealthy ones by the market. Returns
	/// the weight used (`WeightInfo::work_off` per position checked).
	pub(crate) fn work_off_propagations(remaining: Weight) -> Weight {
		let base = T::WeightInfo::work_off(0);
		let per_position = T::WeightInfo::work_off(1).saturating_sub(base);
		if !remaining.all_gte(base.saturating_add(per_position)) {
			return Weight::zero();
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
			m.ledger.accrue(&m.params, Self::now());
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
				let Some((who, position)) = iter.next() else { break };
				used.saturating_accrue(per_position);
				propagation.cursor = iter.last_raw_key().to_vec().try_into().ok();
				let unhealthy =
					Self::health_in(&valuation, &m, &position).is_some_and(|h| h.liquidatable);
				if unhealthy && Self::liquidate_by_market(market, &mut m, &who) {
					propagation.liquidated = propagation.liquidated.saturating_add(1);
				}
			}
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
