//! The keeper: validators' off-chain workers scan positions and submit `liquidate_unhealthy` for
//! every liquidatable one, as authorized transactions (no signer, no fee; the runtime re-checks
//! the position when the transaction is validated and when it is applied).
//!
//! Per run it checks a bounded number of positions, resuming from a cursor kept in the node's
//! persistent off-chain storage, under a lock so that overlapping runs (blocks imported quickly)
//! do not submit twice. Markets working off a rate drop are scanned first.

use crate::{pallet::*, Liquidator, MarketId};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use frame_support::traits::Get;
use frame_system::{
	offchain::{CreateAuthorizedTransaction, SubmitTransaction},
	pallet_prelude::BlockNumberFor,
};
use sp_runtime::offchain::{
	storage::StorageValueRef,
	storage_lock::{StorageLock, Time},
	Duration,
};

/// Lock held while a run scans.
pub const LOCK_KEY: &[u8] = b"ballast/lending/keeper/lock";
/// Where the scan resumes: `(market, raw storage key of the last position checked)`.
pub const CURSOR_KEY: &[u8] = b"ballast/lending/keeper/cursor";
/// Node operators may set positions checked per run here (SCALE `u32`), e.g. with the
/// `offchain_localStorageSet` RPC.
pub const MAX_CHECKS_KEY: &[u8] = b"ballast/lending/keeper/max-checks";
/// A run gives up the lock after this long even if it did not finish.
const LOCK_DEADLINE_MS: u64 = 2_000;

/// Where the next run resumes, kept in the node's persistent off-chain storage.
#[derive(Encode, Decode, Clone, Debug, PartialEq, Eq, Default)]
pub struct Cursor {
	/// The market being scanned.
	pub market: MarketId,
	/// Raw storage key of the last position checked in it (`None`: from its first position).
	pub last_key: Option<Vec<u8>>,
}

/// What one run did.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Run {
	/// Positions checked.
	pub checked: u32,
	/// Liquidations the pool accepted.
	pub submitted: u32,
}

/// The off-chain worker's entry point: on validators only, under the lock, one [`scan`].
pub fn run<T: Config>(now: BlockNumberFor<T>) {
	if !sp_io::offchain::is_validator() {
		return;
	}
	let mut lock =
		StorageLock::<Time>::with_deadline(LOCK_KEY, Duration::from_millis(LOCK_DEADLINE_MS));
	let Ok(_guard) = lock.try_lock() else {
		log::debug!(target: "lending::keeper", "another run holds the lock at block {now:?}");
		return;
	};
	if Pallet::<T>::liquidations_paused() {
		log::debug!(target: "lending::keeper", "liquidations are paused (safe mode or tx-pause) at block {now:?}");
		return;
	}
	let done = scan::<T>();
	if done.submitted > 0 {
		log::info!(
			target: "lending::keeper",
			"block {now:?}: checked {} positions, submitted {} liquidations",
			done.checked,
			done.submitted,
		);
	}
}

/// Scans up to the configured number of positions from the stored cursor and submits a
/// liquidation for each liquidatable one.
pub fn scan<T: Config>() -> Run {
	let cursor_store = StorageValueRef::persistent(CURSOR_KEY);
	let max_checks = StorageValueRef::persistent(MAX_CHECKS_KEY)
		.get::<u32>()
		.ok()
		.flatten()
		.unwrap_or_else(T::KeeperChecksPerRun::get);
	let markets = NextMarketId::<T>::get();
	if markets == 0 {
		return Run::default();
	}
	let mut cursor = cursor_store.get::<Cursor>().ok().flatten().unwrap_or_default();
	// A new pass starts with a market working off a rate drop, if any.
	if cursor.last_key.is_none() {
		if let Some(market) = Propagating::<T>::iter_keys().next() {
			cursor.market = market;
		}
	}
	let mut done = Run::default();
	let mut markets_visited = 0;
	while done.checked < max_checks && markets_visited < markets {
		let market = cursor.market % markets;
		let mut finished_market = true;
		if let Some(m) = Pallet::<T>::accrued_market(market) {
			let valuation = Pallet::<T>::valuation_of(&m);
			let mut iter = match cursor.last_key.take() {
				Some(raw) => Positions::<T>::iter_prefix_from(market, raw),
				None => Positions::<T>::iter_prefix(market),
			};
			while done.checked < max_checks {
				let Some((who, position)) = iter.next() else { break };
				done.checked += 1;
				cursor.last_key = Some(iter.last_raw_key().to_vec());
				let unhealthy = Pallet::<T>::health_in(&valuation, &m, &position)
					.is_some_and(|h| h.liquidatable_by(Liquidator::Market));
				if unhealthy && submit::<T>(market, who) {
					done.submitted += 1;
				}
			}
			finished_market = done.checked < max_checks || iter.next().is_none();
		}
		if finished_market {
			cursor = Cursor { market: (market + 1) % markets, last_key: None };
			markets_visited += 1;
		} else {
			cursor.market = market;
		}
	}
	cursor_store.set(&cursor);
	done
}

/// Submits `liquidate_unhealthy(market, borrower)` as an authorized transaction; whether the
/// pool accepted it.
fn submit<T: Config>(market: MarketId, borrower: T::AccountId) -> bool {
	let call = Call::<T>::liquidate_unhealthy { market, borrower };
	let xt =
		<T as CreateAuthorizedTransaction<Call<T>>>::create_authorized_transaction(call.into());
	match SubmitTransaction::<T, Call<T>>::submit_transaction(xt) {
		Ok(()) => true,
		Err(()) => {
			// Already in the pool (another validator's, or this node's from a moment ago), or
			// no longer liquidatable: nothing to do.
			log::debug!(target: "lending::keeper", "liquidation of a position in market {market} not accepted by the pool");
			false
		},
	}
}
