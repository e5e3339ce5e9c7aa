//! The valuation's books as executable checks: [`Pallet::do_try_state`], run by `try-runtime`
//! after every block and by every test of this crate after it ran.

use crate::{math, pallet::*, types::*};
use alloc::collections::BTreeSet;
use frame_support::{ensure, traits::Get};
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Checks the valuation's books; the first broken one is returned as an error.
	///
	/// - Settings: every LRT's total active balance is non-zero, and its `recognition_delay +
	///   max_snapshot_age` at most `MaxAvsSlashingAge`; at most `MaxValuedLrts` LRTs have
	///   settings.
	/// - No re-rating is left pending ([`PendingRerates`] is emptied at the end of every call
	///   whose validator hooks booked a loss).
	/// - Every snapshot belongs to a valued LRT (one with settings) and has a non-zero supply.
	/// - Exposure: every (operator, strategy) a snapshot lists has its [`Exposures`] entry,
	///   starting at or before the snapshot's position, whose previous listing (if any) is
	///   before the snapshot and not before the run's start; every entry belongs to a snapshot
	///   listing its pair (so exactly one entry per listed pair).
	/// - Seen AVS slashings: the queue ([`SeenAvsSlashingsQueue`]) holds exactly the indices
	///   between its bounds, each naming a seen-mark, and every seen-mark is queued once.
	/// - Every LRT with a snapshot and a representable reported rate has rate components and a
	///   stored rate, and (`check_rate`):
	///   - `proven ≤ reported`; `effective ≤ reported`, `effective ≤ proven`, `effective ≤ cap`;
	///   - an effective rate below `min(reported, proven)` sits exactly at the cap;
	///   - the stored rate is at most `min(reported, proven)` (every loss and every snapshot
	///     re-rated the LRT by the end of its call) and at most the effective rate (no fall left
	///     unstored).
	/// - Every stored rate belongs to an LRT with a snapshot, was stored no later than now, and
	///   is the last entry of the LRT's history; every history is in time order and ends with
	///   the stored rate.
	/// - Losses are recorded only for valued LRTs, in booking order, none booked later than
	///   now, with at most one merged loss, the oldest; every validator-slash loss (initial or
	///   later penalties) has its validator in `BookedSlashes`, and every booked slash belongs to
	///   a valued LRT and still has a part in the books (a loss of its own, or in `MergedSlashes`),
	///   so entries leave with their last loss; merged slashes belong to an LRT whose books hold
	///   the merged loss, and are booked; every AVS-slash loss has its cut in [`AvsSlashCuts`],
	///   in the same order, and no cut is left without its loss (`check_avs_slash_cuts`).
	/// - A pending fall belongs to an LRT with a snapshot, started at a nonce no newer than it,
	///   no later than now; a circuit breaker belongs to a valued LRT and tripped no later than
	///   now; a rate window is strictly decreasing, no sample later than now; slashes waiting
	///   for valuation belong to LRTs without settings; an unproven-fall baseline belongs to an
	///   LRT with a snapshot and was set no later than now.
	///
	/// The bounds the property test checked after every step (`effective ≤ reported`,
	/// `effective ≤ proven`) are part of these checks; what it checks across a step (no rise
	/// past the cap of the rate stored before, one hook call per fall) needs the state before the
	/// step and stays in the test.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let now = Self::now();
		let mut valued = 0usize;
		for params in Params::<T>::iter_values() {
			ensure!(
				params.total_active_balance_gwei > 0,
				"LrtBacking: valuation settings with zero total active balance"
			);
			ensure!(
				params.recognition_delay.saturating_add(params.max_snapshot_age)
					<= T::MaxAvsSlashingAge::get(),
				"LrtBacking: recognition delay and snapshot age beyond MaxAvsSlashingAge"
			);
			valued = valued.saturating_add(1);
		}
		ensure!(
			valued <= T::MaxValuedLrts::get() as usize,
			"LrtBacking: more valued LRTs than MaxValuedLrts"
		);
		ensure!(
			PendingRerates::<T>::get().is_empty(),
			"LrtBacking: a re-rating left pending after the call that booked its loss"
		);
		for (lrt, snapshot) in Snapshots::<T>::iter() {
			ensure!(
				Params::<T>::contains_key(lrt),
				"LrtBacking: snapshot of an LRT without valuation settings"
			);
			ensure!(snapshot.total_supply > 0, "LrtBacking: snapshot of zero supply");
			for stake in snapshot.stakes.iter() {
				let pair = (stake.operator, stake.strategy);
				let run = Exposures::<T>::get(lrt, pair);
				ensure!(
					run.is_some_and(|run| run.since <= snapshot.position),
					"LrtBacking: a snapshot's stake not exposed since at or before it"
				);
				ensure!(
					run.and_then(|run| run.before.map(|(at, _)| (run.since, at)))
						.is_none_or(|(since, at)| since <= at && at < snapshot.position),
					"LrtBacking: an exposure's previous listing outside its run"
				);
			}
			Self::check_rate(lrt, &snapshot)?;
		}
		for (lrt, (operator, strategy), _) in Exposures::<T>::iter() {
			ensure!(
				Snapshots::<T>::get(lrt).is_some_and(|snapshot| snapshot
					.stakes
					.iter()
					.any(|stake| stake.operator == operator && stake.strategy == strategy)),
				"LrtBacking: exposure to a stake the LRT's snapshot does not list"
			);
		}
		Self::check_seen_avs_slashings()?;
		for (lrt, stored) in Rates::<T>::iter() {
			ensure!(
				Snapshots::<T>::contains_key(lrt),
				"LrtBacking: rate stored for an LRT without a snapshot"
			);
			ensure!(stored.at <= now, "LrtBacking: rate stored in the future");
			if T::MaxHistory::get() > 0 {
				ensure!(
					History::<T>::get(lrt).last() == Some(&stored),
					"LrtBacking: last history entry is not the stored rate"
				);
			}
		}
		for (lrt, history) in History::<T>::iter() {
			ensure!(
				history.windows(2).all(|pair| pair[0].at <= pair[1].at),
				"LrtBacking: history out of time order"
			);
			if let Some(last) = history.last() {
				ensure!(
					Rates::<T>::get(lrt).as_ref() == Some(last),
					"LrtBacking: history does not end with the stored rate"
				);
			}
		}
		for (lrt, losses) in Losses::<T>::iter() {
			ensure!(
				Params::<T>::contains_key(lrt),
				"LrtBacking: losses booked against an LRT without valuation settings"
			);
			ensure!(
				losses.windows(2).all(|pair| pair[0].booked_at <= pair[1].booked_at),
				"LrtBacking: losses out of booking order"
			);
			ensure!(
				losses.iter().skip(1).all(|loss| loss.kind != LossKind::Merged),
				"LrtBacking: a merged loss that is not the oldest"
			);
			Self::check_avs_slash_cuts(lrt)?;
			for loss in losses.iter() {
				ensure!(loss.booked_at <= now, "LrtBacking: loss booked in the future");
				if let Some(index) = loss.kind.slashed_validator() {
					ensure!(
						BookedSlashes::<T>::contains_key(lrt, index),
						"LrtBacking: validator-slash loss without its BookedSlashes entry"
					);
				}
			}
		}
		for lrt in AvsSlashCuts::<T>::iter_keys() {
			Self::check_avs_slash_cuts(lrt)?;
		}
		for (lrt, index) in BookedSlashes::<T>::iter_keys() {
			ensure!(
				Params::<T>::contains_key(lrt),
				"LrtBacking: slash booked for an LRT without valuation settings"
			);
			let in_books = MergedSlashes::<T>::get(lrt).contains(&index)
				|| Losses::<T>::get(lrt)
					.iter()
					.any(|loss| loss.kind.slashed_validator() == Some(index));
			ensure!(in_books, "LrtBacking: booked slash with nothing of it left in the books");
		}
		for (lrt, merged) in MergedSlashes::<T>::iter() {
			ensure!(
				merged.is_empty()
					|| Losses::<T>::get(lrt).iter().any(|loss| loss.kind == LossKind::Merged),
				"LrtBacking: merged slashes without a merged loss"
			);
			ensure!(
				merged.iter().all(|index| BookedSlashes::<T>::contains_key(lrt, index)),
				"LrtBacking: merged slash without its BookedSlashes entry"
			);
		}
		for (lrt, pending) in PendingFalls::<T>::iter() {
			let Some(snapshot) = Snapshots::<T>::get(lrt) else {
				return Err("LrtBacking: pending fall of an LRT without a snapshot".into());
			};
			ensure!(
				pending.nonce <= snapshot.nonce && pending.before_at <= now,
				"LrtBacking: pending fall newer than the snapshot or than now"
			);
		}
		for (lrt, at) in CircuitBreakers::<T>::iter() {
			ensure!(
				Params::<T>::contains_key(lrt) && at <= now,
				"LrtBacking: circuit breaker of an unvalued LRT or tripped in the future"
			);
		}
		for (_, window) in RateWindow::<T>::iter() {
			ensure!(
				window.windows(2).all(|pair| pair[0].rate > pair[1].rate)
					&& window.iter().all(|sample| sample.at <= now),
				"LrtBacking: rate window not decreasing or sampled in the future"
			);
		}
		for (lrt, baseline) in FallBaselines::<T>::iter() {
			ensure!(
				Snapshots::<T>::contains_key(lrt) && baseline.at <= now,
				"LrtBacking: unproven-fall baseline of an LRT without a snapshot or set in the future"
			);
		}
		for (lrt, _) in UnvaluedSlashes::<T>::iter() {
			ensure!(
				!Params::<T>::contains_key(lrt),
				"LrtBacking: unvalued slashes of an LRT with valuation settings"
			);
		}
		Ok(())
	}

	/// Checks that `lrt`'s [`AvsSlashCuts`] match its AVS-slash losses one to one, in order: as
	/// many cuts as [`LossKind::AvsSlash`] losses (an empty list is not stored), the n-th cut of
	/// the n-th such loss's operator and strategy, its slash at or before the loss's position
	/// (`recognition_delay` after the slash, in the same transaction).
	fn check_avs_slash_cuts(lrt: T::AssetId) -> Result<(), TryRuntimeError> {
		let cuts = AvsSlashCuts::<T>::get(lrt);
		ensure!(
			!(cuts.is_empty() && AvsSlashCuts::<T>::contains_key(lrt)),
			"LrtBacking: an empty AVS slash cut list stored"
		);
		let losses = Losses::<T>::get(lrt);
		let avs_losses = losses.iter().filter_map(|loss| match loss.kind {
			LossKind::AvsSlash { operator, strategy } => Some((operator, strategy, loss.position)),
			_ => None,
		});
		ensure!(
			avs_losses.clone().count() == cuts.len(),
			"LrtBacking: AVS slash cuts and AVS-slash losses differ in number"
		);
		for ((operator, strategy, position), cut) in avs_losses.zip(cuts.iter()) {
			ensure!(
				cut.operator == operator
					&& cut.strategy == strategy
					&& position.is_some_and(|at| {
						cut.slash.slot <= at.slot && cut.slash.tx_index == at.tx_index
					}),
				"LrtBacking: an AVS slash cut that does not match its loss"
			);
		}
		Ok(())
	}

	/// Checks the seen AVS slashings' queue: every index between its bounds names a seen-mark,
	/// none outside them is used, and every seen-mark is queued exactly once (so each is
	/// pruned in its turn).
	fn check_seen_avs_slashings() -> Result<(), TryRuntimeError> {
		let (first, next) = SeenAvsSlashingsBounds::<T>::get();
		ensure!(first <= next, "LrtBacking: seen AVS slashings' queue bounds reversed");
		let mut queued = BTreeSet::new();
		let mut entries = 0u64;
		for (index, id) in SeenAvsSlashingsQueue::<T>::iter() {
			ensure!(
				(first..next).contains(&index) && SeenAvsSlashings::<T>::contains_key(id),
				"LrtBacking: a queued AVS slashing outside the bounds or without its seen-mark"
			);
			queued.insert(id);
			entries = entries.saturating_add(1);
		}
		let marks = SeenAvsSlashings::<T>::iter_keys().count();
		ensure!(
			entries == next - first && queued.len() as u64 == entries && marks == queued.len(),
			"LrtBacking: seen AVS slashings and their queue differ"
		);
		Ok(())
	}

	/// Checks an LRT's rate against its components, as [`Self::components`] computes them now
	/// from the snapshot, the booked losses, the stored rate and the growth cap.
	///
	/// Losses booked beyond the snapshot's `total_eth` are not an error: the proven rate is then
	/// zero (nothing bounds a proven loss by the LRT's own, possibly stale, accounting).
	fn check_rate(lrt: T::AssetId, snapshot: &SnapshotOf<T>) -> Result<(), TryRuntimeError> {
		let Some(c) = Self::components(lrt) else {
			// With settings and a non-zero supply, only a reported rate beyond `FixedU128`
			// gives no components.
			ensure!(
				math::reported_rate(snapshot.total_eth, snapshot.total_supply).is_none(),
				"LrtBacking: no rate components for a valued LRT with a snapshot"
			);
			return Ok(());
		};
		let raw = c.reported.min(c.proven);
		ensure!(c.proven <= c.reported, "LrtBacking: proven rate above the reported rate");
		ensure!(
			c.effective <= raw,
			"LrtBacking: effective rate above the reported or the proven rate"
		);
		ensure!(c.effective <= c.cap, "LrtBacking: effective rate above its cap");
		ensure!(
			c.effective == raw || c.effective == c.cap,
			"LrtBacking: effective rate below min(reported, proven) but not at the cap"
		);
		let Some(stored) = Rates::<T>::get(lrt) else {
			return Err("LrtBacking: no stored rate for an LRT with a snapshot".into());
		};
		ensure!(
			stored.rate <= raw,
			"LrtBacking: stored rate above min(reported, proven): a loss or snapshot not rated"
		);
		ensure!(
			stored.rate <= c.effective,
			"LrtBacking: stored rate above the effective rate: a fall not stored"
		);
		Ok(())
	}
}
