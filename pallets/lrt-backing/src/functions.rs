//! The valuation's logic: the calls' bodies (`do_*`), booking losses, and the rate (computed
//! from its components when read, stored after every event that changes them).

use crate::{math, pallet::*, types::*, WeightInfo};
use alloc::vec::Vec;
use ballast_gateway::{BackingReport, OperatorSlashing};
use ballast_primitives::proofs::ProofLengthFee;
use ballast_primitives::{
	ethereum::{FinalizedBeaconBlocks, ValidatorFreshness},
	lrt::LrtRegistry,
	valuation::OnBackingRateDecreased,
};
use codec::{Encode, MaxEncodedLen};
use frame_support::{
	dispatch::{DispatchResult, DispatchResultWithPostInfo, Pays, PostDispatchInfo},
	ensure,
	traits::{Get, UnixTime},
	weights::Weight,
	BoundedVec,
};
use snowbridge_beacon_primitives::VersionedExecutionPayloadHeader;
use snowbridge_verification_primitives::{EventProof, Verifier};
use sp_core::{H160, H256};
use sp_runtime::{FixedU128, Saturating};

/// Where a proven log sits in Ethereum's order: its beacon block's slot and its transaction.
fn position_of(event: &EventProof) -> EthereumPosition {
	EthereumPosition {
		slot: event.proof.execution_proof.header.slot,
		tx_index: event.event_log.tx_index,
	}
}

/// Ethereum time (unix seconds) of the execution block a proof's log is in.
fn execution_timestamp(header: &VersionedExecutionPayloadHeader) -> u64 {
	match header {
		VersionedExecutionPayloadHeader::Capella(h) => h.timestamp,
		VersionedExecutionPayloadHeader::Deneb(h) => h.timestamp,
	}
}

impl<T: Config> Pallet<T> {
	/// A proof's size: the bytes of its SCALE encoding (saturating at `u32::MAX`), what the
	/// bound, the weight and the length fee count.
	pub fn proof_size(event: &EventProof) -> u32 {
		ballast_primitives::proofs::proof_size(event)
	}

	/// The proof's size, if within the bound (`ProofTooLarge` otherwise).
	pub(crate) fn checked_proof_size(event: &EventProof) -> Result<u32, Error<T>> {
		let size = Self::proof_size(event);
		ensure!(size <= T::ProofFees::max_proof_size(), Error::<T>::ProofTooLarge);
		Ok(size)
	}

	/// [`Pallet::set_params`]: stores `lrt`'s valuation settings (checked by the call); the
	/// first time, checks that fewer than `MaxValuedLrts` LRTs have settings (counting them, at
	/// most that many reads) and books the slashes proven while it had none
	/// ([`UnvaluedSlashes`]).
	pub(crate) fn do_set_params(lrt: T::AssetId, params: BackingParams) -> DispatchResult {
		let first = !Params::<T>::contains_key(lrt);
		if first {
			let valued = Params::<T>::iter_keys().take(T::MaxValuedLrts::get() as usize).count();
			ensure!(valued < T::MaxValuedLrts::get() as usize, Error::<T>::TooManyValuedLrts);
		}
		Params::<T>::insert(lrt, &params);
		Self::deposit_event(Event::ParamsSet { lrt });
		if first {
			let previous = Self::read_rate(lrt);
			for slash in UnvaluedSlashes::<T>::take(lrt) {
				if BookedSlashes::<T>::contains_key(lrt, slash.index) {
					continue;
				}
				Self::book_slash(
					lrt,
					&params,
					slash.index,
					slash.effective_balance,
					slash.slot,
					slash.withdrawable_epoch,
				);
			}
			Self::update_rate_after_loss(lrt, previous);
		}
		Ok(())
	}

	/// What booking `n` recorded slashes at `set_params` may weigh (two losses each; no rate
	/// yet, so no hook).
	pub fn unvalued_booking_weight(n: u32) -> Weight {
		T::DbWeight::get()
			.reads_writes(5, 6)
			.saturating_add(Weight::from_parts(40_000_000, 0))
			.saturating_mul(n.into())
	}

	/// The storage an unconfirmed fall, the unproven-fall baseline and the circuit breaker add to
	/// a re-rating.
	pub fn fall_weight() -> Weight {
		T::DbWeight::get().reads_writes(4, 4).saturating_add(Weight::from_parts(10_000_000, 2_000))
	}

	/// What booking one loss into an LRT's books already read may weigh: the loss list decoded,
	/// shifted and encoded, its event, and the two oldest merged when the list is full, which
	/// may release a validator's booked slash ([`BookedSlashes`], one write) or drop an AVS
	/// slash's cut (the LRT's [`AvsSlashCuts`], counted once per LRT with its other keys). A
	/// merge leaves the merged loss first, so every later merge in the same call releases at
	/// most the one validator of the second-oldest loss; the first merge of a call may release
	/// two, and that second write is counted once per LRT ([`Self::rerate_weight`], or the AVS
	/// exposure), as are the LRT's own keys.
	pub fn booking_weight() -> Weight {
		T::DbWeight::get().writes(1).saturating_add(Weight::from_parts(30_000_000, 200))
	}

	/// What re-rating one LRT after losses may weigh, the first access to its keys in the call
	/// included: settings, snapshot, losses, merged slashes, stored rate, history and the rate's
	/// inputs read (the validators' freshness and the light client's head and mode too), the
	/// losses and merged slashes written (and the second booked slash the call's first merge
	/// may release), the AVS slashes' cuts a merge may drop ([`Self::avs_slash_cuts_weight`]),
	/// the rate computed before and after and stored (rate, history), the fall's and the
	/// breaker's storage ([`Self::fall_weight`]), and lending told of the fall
	/// (`OnBackingRateDecreased::weight`).
	pub fn rerate_weight() -> Weight {
		T::DbWeight::get()
			.reads_writes(12, 6)
			.saturating_add(Weight::from_parts(60_000_000, 25_000))
			.saturating_add(Self::avs_slash_cuts_weight())
			.saturating_add(Self::fall_weight())
			.saturating_add(T::OnBackingRateDecreased::weight())
	}

	/// Reading and writing an LRT's [`AvsSlashCuts`] once: a read, a write and the list's
	/// largest encoding in the proof (by hand: added after the calls were last measured).
	pub fn avs_slash_cuts_weight() -> Weight {
		let proof = BoundedVec::<AvsSlashCut, T::MaxLosses>::max_encoded_len() as u64;
		T::DbWeight::get().reads_writes(1, 1).saturating_add(Weight::from_parts(0, proof))
	}

	/// What re-rating `lrts` LRTs at the end of a call of the validator hooks weighs
	/// ([`PendingRerates`] taken; the clock and the correlation window, read by the hooks,
	/// counted once here).
	pub fn pending_rerates_weight(lrts: u32) -> Weight {
		T::DbWeight::get()
			.reads_writes(3, 2)
			.saturating_add(Self::rerate_weight().saturating_mul(lrts.into()))
	}

	/// The most [`Pallet::submit_avs_slashing`] of `event` may weigh: `MaxValuedLrts` LRTs
	/// scanned and exposed (`WeightInfo::submit_avs_slashing`, measured with one strategy
	/// booked per LRT), each booking every other strategy the log can name (its data holds 64
	/// bytes per strategy, at most `MaxStakes` match one LRT's stakes) and re-rated
	/// ([`Self::avs_exposure_weight`]), with an [`Exposures`] entry read per LRT and such
	/// strategy.
	pub fn avs_slashing_weight(event: &EventProof) -> Weight {
		let lrts = T::MaxValuedLrts::get();
		let strategies = ((event.event_log.data.len() / 64) as u32).min(T::MaxStakes::get());
		let per_strategy = strategies.saturating_mul(lrts);
		Self::avs_slashing_actual_weight(lrts, lrts, per_strategy, per_strategy)
	}

	/// What an AVS slashing weighs that scanned `scanned` valued LRTs' snapshots and booked
	/// `bookings` losses against `exposed` of them: `WeightInfo::submit_avs_slashing(scanned)`,
	/// plus, per exposed LRT, its re-rating's fall and lending and the booked slashes its first
	/// merge may release ([`Self::avs_exposure_weight`]), and every booking beyond one per
	/// exposed LRT ([`Self::booking_weight`]). (The benchmark measures the re-rating with the
	/// runtime's lending, but the LRTs it values have no markets and no booked slashes.) Added
	/// by hand until the call is benchmarked again: the `exposure_reads` [`Exposures`] entries
	/// read (one per LRT scanned and slashed strategy its snapshot lists), the seen-mark's
	/// queue ([`SeenAvsSlashingsQueue`] and its bounds: one read, two writes), and per exposed
	/// LRT its [`AvsSlashCuts`] ([`Self::avs_exposure_weight`]).
	pub fn avs_slashing_actual_weight(
		scanned: u32,
		exposed: u32,
		bookings: u32,
		exposure_reads: u32,
	) -> Weight {
		T::WeightInfo::submit_avs_slashing(scanned)
			.saturating_add(T::DbWeight::get().reads_writes(u64::from(exposure_reads) + 1, 2))
			.saturating_add(Self::avs_exposure_weight().saturating_mul(exposed.into()))
			.saturating_add(
				Self::booking_weight().saturating_mul(bookings.saturating_sub(exposed).into()),
			)
	}

	/// What one exposed LRT adds to the measured AVS slashing: the fall's and the breaker's
	/// storage, lending's marking, two booked slashes its first merge may release, and its
	/// slashes' cuts ([`AvsSlashCuts`], [`Self::avs_slash_cuts_weight`]: read and written when
	/// its losses are booked).
	pub fn avs_exposure_weight() -> Weight {
		Self::fall_weight()
			.saturating_add(T::OnBackingRateDecreased::weight())
			.saturating_add(T::DbWeight::get().writes(2))
			.saturating_add(Self::avs_slash_cuts_weight())
	}

	/// Books a loss of `lrt` through `book` and leaves its re-rating to the end of the call
	/// ([`PendingRerates`]): the first time `lrt` is touched in the call, the rate lending read
	/// before is remembered (even if `book` then books nothing, e.g. a slash its snapshot
	/// includes: the rate's storage was read, and the re-rating finds no change). Should the
	/// list be full (more valued LRTs than `MaxValuedLrts`, which `set_params` prevents), the
	/// LRT is re-rated at once instead.
	pub(crate) fn book_and_defer_rerate(lrt: T::AssetId, book: impl FnOnce()) {
		let mut pending = PendingRerates::<T>::get();
		if pending.iter().any(|(touched, _)| *touched == lrt) {
			book();
			return;
		}
		let previous = Self::read_rate(lrt);
		book();
		if pending.try_push((lrt, previous)).is_ok() {
			PendingRerates::<T>::put(pending);
		} else {
			Self::update_rate_after_loss(lrt, previous);
		}
	}

	/// Re-rates every LRT in [`PendingRerates`] once, from the rate lending read before its
	/// first loss of the call (so lending hears of each fall once), and empties the list.
	/// Returns the weight ([`Self::pending_rerates_weight`]).
	pub(crate) fn rerate_pending() -> Weight {
		let pending = PendingRerates::<T>::take();
		let lrts = pending.len() as u32;
		for (lrt, previous) in pending {
			Self::update_rate_after_loss(lrt, previous);
		}
		Self::pending_rerates_weight(lrts)
	}

	/// What releasing the booked slashes of the losses a snapshot drops may weigh: the merged
	/// slashes read and taken, and up to `MaxLosses` validators from the losses that left plus
	/// `MaxLosses` merged ones removed from [`BookedSlashes`].
	pub fn booked_slash_release_weight() -> Weight {
		T::DbWeight::get().reads_writes(1, 1 + 2 * u64::from(T::MaxLosses::get()))
	}

	/// [`Pallet::clear_circuit_breaker`]: clears a tripped breaker and restarts its window.
	pub(crate) fn do_clear_circuit_breaker(lrt: T::AssetId) -> DispatchResult {
		ensure!(CircuitBreakers::<T>::contains_key(lrt), Error::<T>::CircuitBreakerNotTripped);
		CircuitBreakers::<T>::remove(lrt);
		RateWindow::<T>::remove(lrt);
		Self::deposit_event(Event::CircuitBreakerCleared { lrt });
		Ok(())
	}

	/// [`Pallet::set_allocation_manager`]: stores EigenLayer's AllocationManager address.
	pub(crate) fn do_set_allocation_manager(address: H160) -> DispatchResult {
		AllocationManager::<T>::put(address);
		Self::deposit_event(Event::AllocationManagerSet { address });
		Ok(())
	}

	/// [`Pallet::submit_backing_report`]: checks the proven `BackingReported` log (its LRT, its
	/// emitter, the LRT's settings, a newer nonce, a non-zero supply and backing, the
	/// delegations' count, then the proof), drops the losses the snapshot already includes (and
	/// the booked slashes nothing is left of), stores the snapshot, bounds a fall no proven loss
	/// explains ([`Self::assess_fall`]) and re-rates the LRT (a confirmed fall restarts the
	/// unproven-fall baseline at the confirmed rate). Free when it succeeds.
	pub(crate) fn do_submit_backing_report(event: &EventProof) -> DispatchResultWithPostInfo {
		let report =
			BackingReport::from_log(&event.event_log).map_err(|_| Error::<T>::WrongEvent)?;
		let lrt = T::Registry::lrt_of_token(report.token).ok_or(Error::<T>::UnknownToken)?;
		ensure!(
			T::Registry::gateway(lrt) == Some(event.event_log.address),
			Error::<T>::WrongEmitter
		);
		let params = Params::<T>::get(lrt).ok_or(Error::<T>::NotValued)?;
		let last = Snapshots::<T>::get(lrt);
		ensure!(
			last.as_ref().is_none_or(|last| report.nonce > last.nonce),
			Error::<T>::StaleSnapshot
		);
		ensure!(report.total_supply > 0, Error::<T>::ZeroSupply);
		ensure!(report.total_eth > 0, Error::<T>::ZeroBacking);
		let stakes: BoundedVec<_, T::MaxStakes> =
			report.stakes.try_into().map_err(|_| Error::<T>::TooManyStakes)?;
		T::Verifier::verify(&event.event_log, &event.proof)
			.map_err(|_| Error::<T>::InvalidProof)?;

		let timestamp = execution_timestamp(&event.proof.execution_proof.execution_header);
		let position = position_of(event);
		let snapshot = Snapshot {
			total_eth: report.total_eth,
			total_supply: report.total_supply,
			stakes,
			nonce: report.nonce,
			timestamp,
			position,
		};
		// The rate lending read until now: what a fall is measured from.
		let previous = Self::read_rate(lrt);
		// Losses the snapshot includes are in the LRT's own books now.
		let left = Self::drop_included_losses(lrt, &params, last.as_ref(), &snapshot);
		Self::release_booked_slashes(lrt, &left);
		Self::deposit_event(Event::SnapshotAccepted {
			lrt,
			total_eth: report.total_eth,
			total_supply: report.total_supply,
			nonce: report.nonce,
		});
		let confirmed = Self::assess_fall(lrt, &params, previous, &snapshot);
		let (exposure_reads, exposure_writes) =
			Self::update_exposure(lrt, last.as_ref(), &snapshot);
		Snapshots::<T>::insert(lrt, snapshot);
		Self::update_rate(lrt, previous);
		if confirmed {
			// The confirmed rate is the new baseline: a further unproven fall is bounded from
			// it, and a rise above it is capped.
			if let Some(rate) = Self::read_rate(lrt) {
				FallBaselines::<T>::insert(lrt, StoredRate { rate, at: Self::now() });
			}
		}
		Ok(PostDispatchInfo {
			actual_weight: Some(Self::backing_report_weight_without_exposure().saturating_add(
				Self::exposure_index_actual_weight(exposure_reads, exposure_writes),
			)),
			pays_fee: Pays::No,
		})
	}

	/// Drops from `lrt`'s books what `snapshot` (replacing `last`) includes, and the cuts of the
	/// AVS slashes that leave ([`AvsSlashCuts`]); returns the kinds of the losses that left.
	/// - A loss leaves by its position or age ([`Loss::included_in`]).
	/// - An AVS slash ([`LossKind::AvsSlash`]) whose cut the snapshot shows
	///   ([`AvsSlashCut::shown_by`]: after the slash, listing at most the shares the cut left)
	///   also leaves as far as the snapshot's own figure carries it: as long as the snapshot's
	///   proven rate without it stays at most `last`'s net of every loss booked before
	///   ([`math::carried_loss`]). Those carried whole leave first, oldest first, then the
	///   others in part, oldest first (what is not carried stays, with its cut). EigenLayer's
	///   withdrawable shares show a cut at once, but an LRT's own figure may price it only when
	///   its oracle reprices: the shares alone would let a report taken right after the slash
	///   (anyone may take one) erase it; and a figure that prices only some of the slashes (or
	///   less than the model booked, or that rewards since `last` offset) carries only that
	///   much. Both rates are the reports' own (not a pending fall's held rate, which an
	///   unpriced slash could hide under).
	///
	/// So what leaves by the second rule never lifts the proven rate above `last`'s. A merged
	/// loss, or an AVS slash without its cut, leaves by the first rule only.
	fn drop_included_losses(
		lrt: T::AssetId,
		params: &BackingParams,
		last: Option<&SnapshotOf<T>>,
		snapshot: &SnapshotOf<T>,
	) -> Vec<LossKind> {
		let mut losses = Losses::<T>::get(lrt);
		let cuts = AvsSlashCuts::<T>::get(lrt);
		let booked = losses.iter().fold(0u128, |sum, loss| sum.saturating_add(loss.wei));
		// The ceiling: the last report's figure net of every loss booked until now.
		let ceiling =
			last.and_then(|last| math::proven_rate(last.total_eth, booked, last.total_supply));
		let mut included: Vec<bool> = losses
			.iter()
			.map(|loss| {
				loss.included_in(snapshot.timestamp, snapshot.position, params.recognition_delay)
			})
			.collect();
		let mut changed = included.contains(&true);
		let mut remaining = losses
			.iter()
			.zip(&included)
			.filter(|(_, included)| !**included)
			.fold(0u128, |sum, (loss, _)| sum.saturating_add(loss.wei));
		let listed = math::listed_pairs(&snapshot.stakes);
		// The AVS slashes whose cut the snapshot shows (the n-th cut belongs to the n-th
		// AVS-slash loss), oldest first.
		let mut avs_cuts = cuts.iter();
		let mut shown = Vec::new();
		for (index, (loss, included)) in losses.iter().zip(&included).enumerate() {
			let LossKind::AvsSlash { operator, strategy } = loss.kind else { continue };
			let cut = avs_cuts.next();
			let listed = listed.get(&(operator, strategy)).copied();
			if !*included && cut.is_some_and(|cut| cut.shown_by(snapshot.position, listed)) {
				shown.push(index);
			}
		}
		// Those the figure carries whole leave first, then the rest in part, so that a figure
		// pricing some slashes drops those, not a share of each.
		for whole_only in [true, false] {
			let Some(ceiling) = ceiling else { break };
			for &index in &shown {
				let (Some(loss), Some(included)) = (losses.get_mut(index), included.get_mut(index))
				else {
					continue;
				};
				if *included {
					continue;
				}
				let carried = math::carried_loss(
					snapshot.total_eth,
					snapshot.total_supply,
					remaining,
					loss.wei,
					ceiling,
				);
				if carried == 0 || (whole_only && carried < loss.wei) {
					continue;
				}
				if carried >= loss.wei {
					*included = true;
				} else {
					loss.wei = loss.wei.saturating_sub(carried);
				}
				remaining = remaining.saturating_sub(carried);
				changed = true;
			}
		}
		if !changed {
			return Vec::new();
		}
		let mut left = Vec::new();
		let mut kept = Vec::new();
		let mut kept_cuts = Vec::new();
		let mut avs_cuts = cuts.into_iter();
		for (loss, included) in losses.into_iter().zip(included) {
			let cut = match loss.kind {
				LossKind::AvsSlash { .. } => avs_cuts.next(),
				_ => None,
			};
			if included {
				left.push(loss.kind);
			} else {
				kept_cuts.extend(cut);
				kept.push(loss);
			}
		}
		// No more losses and cuts than before: both fit their bound.
		Losses::<T>::insert(lrt, BoundedVec::truncate_from(kept));
		Self::put_avs_slash_cuts(lrt, BoundedVec::truncate_from(kept_cuts));
		left
	}

	/// Stores `lrt`'s AVS-slash cuts, or removes the entry when there are none.
	fn put_avs_slash_cuts(lrt: T::AssetId, cuts: BoundedVec<AvsSlashCut, T::MaxLosses>) {
		if cuts.is_empty() {
			AvsSlashCuts::<T>::remove(lrt);
		} else {
			AvsSlashCuts::<T>::insert(lrt, cuts);
		}
	}

	/// Keeps [`Exposures`] of `lrt` as `snapshot` replaces `last`, per (operator, strategy)
	/// with the shares each lists summed: a pair `last` did not list (or without an entry)
	/// starts a run at `snapshot`'s position; one both list keeps its run's start and records
	/// what `last` listed (its position and shares); one only `last` listed loses its entry (a
	/// later listing starts a new run). Returns the entries read (one per pair listed now) and
	/// written (those started or continued, and those removed), at most `MaxStakes` and
	/// `2 · MaxStakes` ([`Self::exposure_index_weight`]).
	pub(crate) fn update_exposure(
		lrt: T::AssetId,
		last: Option<&SnapshotOf<T>>,
		snapshot: &SnapshotOf<T>,
	) -> (u32, u32) {
		let listed_now = math::listed_pairs(&snapshot.stakes);
		let listed_before = last.map(|last| math::listed_pairs(&last.stakes)).unwrap_or_default();
		let (mut reads, mut writes) = (0u32, 0u32);
		for pair in listed_now.keys() {
			reads.saturating_inc();
			let stored = Exposures::<T>::get(lrt, pair);
			let exposure = match (stored, listed_before.get(pair), last) {
				(Some(run), Some(shares), Some(last)) => run.listed_again(last.position, *shares),
				_ => Exposure::new(snapshot.position),
			};
			if stored != Some(exposure) {
				Exposures::<T>::insert(lrt, pair, exposure);
				writes.saturating_inc();
			}
		}
		for pair in listed_before.keys().filter(|pair| !listed_now.contains_key(*pair)) {
			Exposures::<T>::remove(lrt, pair);
			writes.saturating_inc();
		}
		(reads, writes)
	}

	/// What keeping [`Exposures`] may cost a snapshot: an entry read and written per (operator,
	/// strategy) it lists and one removed per pair the last one listed (`MaxStakes` each).
	pub fn exposure_index_weight() -> Weight {
		let stakes = T::MaxStakes::get();
		Self::exposure_index_actual_weight(stakes, stakes.saturating_mul(2))
	}

	/// What keeping [`Exposures`] cost a snapshot that read `reads` entries and wrote (or
	/// removed) `writes`: storage only, plus a little computation per entry read (the
	/// snapshot's pairs summed and looked up in ordered maps).
	pub fn exposure_index_actual_weight(reads: u32, writes: u32) -> Weight {
		T::DbWeight::get()
			.reads_writes(reads.into(), writes.into())
			.saturating_add(Weight::from_parts(1_000_000, 0).saturating_mul(reads.into()))
	}

	/// What [`Pallet::submit_backing_report`] may weigh besides the exposure index and the
	/// proof's bytes: `WeightInfo::submit_backing_report(MaxLosses)`, the fall's and the
	/// breaker's storage ([`Self::fall_weight`]), the booked slashes released
	/// ([`Self::booked_slash_release_weight`]), the snapshot's stakes summed
	/// ([`Self::snapshot_stakes_weight`]) and `OnBackingRateDecreased::weight`.
	pub fn backing_report_weight_without_exposure() -> Weight {
		T::WeightInfo::submit_backing_report(T::MaxLosses::get())
			.saturating_add(Self::fall_weight())
			.saturating_add(Self::booked_slash_release_weight())
			.saturating_add(Self::snapshot_stakes_weight())
			.saturating_add(T::OnBackingRateDecreased::weight())
	}

	/// What summing a snapshot's pairs in an ordered map adds (1 µs per stake) beyond the
	/// benchmark, whose real report lists a few stakes where a snapshot may list
	/// `MaxStakes`. The AVS slashes' cuts and their per-loss pricing are in the benchmark
	/// (`submit_backing_report` books `l` AVS slashes, each shown and priced).
	pub fn snapshot_stakes_weight() -> Weight {
		Weight::from_parts(1_000_000, 0).saturating_mul(T::MaxStakes::get().into())
	}

	/// Removes from [`BookedSlashes`] the validators whose slash has nothing left in `lrt`'s
	/// books after the losses of kinds `left` left them: the slashed validators of those losses
	/// and, if the merged loss left, the ones merged into it ([`MergedSlashes`]), unless a loss
	/// still in the books (or a merged loss still there) is part of their slash.
	fn release_booked_slashes(lrt: T::AssetId, left: &[LossKind]) {
		let mut released: Vec<u64> = left.iter().filter_map(LossKind::slashed_validator).collect();
		if left.contains(&LossKind::Merged) {
			released.extend(MergedSlashes::<T>::take(lrt));
		}
		if released.is_empty() {
			return;
		}
		let losses = Losses::<T>::get(lrt);
		let merged = MergedSlashes::<T>::get(lrt);
		for index in released {
			let still_booked = merged.contains(&index)
				|| losses.iter().any(|loss| loss.kind.slashed_validator() == Some(index));
			if !still_booked {
				BookedSlashes::<T>::remove(lrt, index);
			}
		}
	}

	/// Decides what a new snapshot does to the LRT's unconfirmed fall, before it is stored
	/// (losses already pruned), given `previous`, the rate lending read until now. Returns
	/// whether it confirmed a pending fall.
	///
	/// `proven` is the snapshot's rate net of the losses still booked; the bound is
	/// `max_unproven_fall` below the unproven-fall baseline (the highest rate lending read within
	/// the last `fall_confirmation_delay`, [`FallBaselines`], or `previous` if higher), so however
	/// many snapshots report a fall within that delay, the unconfirmed part of it stays within
	/// the bound. With a pending fall (an episode), the baseline is the episode's
	/// (`PendingFall::before`):
	/// - `proven` within the bound of it: the episode is cancelled, and its baseline stands (the
	///   rate may recover up to it at once);
	/// - otherwise, at least `fall_confirmation_delay` after the episode started: the fall is
	///   confirmed, down to this snapshot's own rate;
	/// - otherwise the effective rate stays held (at `proven` if higher) and the episode keeps
	///   its start, nonce and baseline: a noisy or adversarial report cannot restart it.
	///
	/// Without one: `proven` below the bound and below `previous` starts an episode, the
	/// effective rate held at the bound (or at `previous` if lower); otherwise nothing waits.
	fn assess_fall(
		lrt: T::AssetId,
		params: &BackingParams,
		previous: Option<FixedU128>,
		snapshot: &SnapshotOf<T>,
	) -> bool {
		let pending = PendingFalls::<T>::get(lrt);
		let losses = Self::booked_losses(lrt);
		let supply = snapshot.total_supply;
		let rates = (
			math::reported_rate(snapshot.total_eth, supply),
			math::proven_rate(snapshot.total_eth, losses, supply),
			math::loss_rate(losses, supply),
		);
		let (Some(reported), Some(proven), Some(loss_rate)) = rates else {
			PendingFalls::<T>::remove(lrt);
			return false;
		};
		// The LRT's first rate falls from nothing.
		let Some(previous) = previous else { return false };
		let now = Self::now();
		let standing = Self::fall_baseline(lrt, params, now).map(|baseline| baseline.rate);
		match pending {
			Some(p) if proven >= math::lowered(p.before, params.max_unproven_fall) => {
				PendingFalls::<T>::remove(lrt);
				let rate = standing.map_or(p.before, |rate| rate.max(p.before));
				FallBaselines::<T>::insert(lrt, StoredRate { rate, at: now });
				Self::deposit_event(Event::FallCancelled {
					lrt,
					nonce: p.nonce,
					cancelled_by: snapshot.nonce,
				});
				false
			},
			Some(p)
				if snapshot.timestamp >= p.since.saturating_add(params.fall_confirmation_delay) =>
			{
				PendingFalls::<T>::remove(lrt);
				Self::deposit_event(Event::FallConfirmed {
					lrt,
					nonce: p.nonce,
					confirmed_by: snapshot.nonce,
				});
				true
			},
			Some(mut p) => {
				let held = previous.max(proven);
				p.held_reported = held.saturating_add(loss_rate);
				PendingFalls::<T>::insert(lrt, p);
				false
			},
			None => {
				let baseline = standing.map_or(previous, |rate| rate.max(previous));
				let bound = math::lowered(baseline, params.max_unproven_fall);
				if proven >= bound || proven >= previous {
					return false;
				}
				let held = previous.min(bound);
				PendingFalls::<T>::insert(
					lrt,
					PendingFall {
						target: reported,
						nonce: snapshot.nonce,
						since: snapshot.timestamp,
						before: baseline,
						before_at: now,
						held_reported: held.saturating_add(loss_rate),
					},
				);
				Self::deposit_event(Event::FallPending {
					lrt,
					nonce: snapshot.nonce,
					reported,
					held,
				});
				false
			},
		}
	}

	/// `lrt`'s unproven-fall baseline while it stands (set or refreshed less than
	/// `fall_confirmation_delay` seconds ago).
	pub(crate) fn fall_baseline(
		lrt: T::AssetId,
		params: &BackingParams,
		now: u64,
	) -> Option<StoredRate> {
		FallBaselines::<T>::get(lrt)
			.filter(|baseline| now < baseline.at.saturating_add(params.fall_confirmation_delay))
	}

	/// Records `previous`, the rate lending read until a change at `now`, in `lrt`'s
	/// unproven-fall baseline: it becomes the baseline if higher (or if the baseline no longer
	/// stands); otherwise the higher baseline is kept and refreshed. One value per LRT: kept
	/// while changes come within the delay of each other, it is at least the highest rate read
	/// within the last delay (it errs towards bounding more).
	fn record_fall_baseline(
		lrt: T::AssetId,
		params: &BackingParams,
		previous: FixedU128,
		now: u64,
	) {
		let delay = params.fall_confirmation_delay;
		FallBaselines::<T>::mutate(lrt, |baseline| match baseline {
			Some(standing)
				if now < standing.at.saturating_add(delay) && standing.rate > previous =>
			{
				standing.at = now
			},
			_ => *baseline = Some(StoredRate { rate: previous, at: now }),
		});
	}

	/// [`Pallet::submit_avs_slashing`]: checks the proven `OperatorSlashed` log (its emitter,
	/// its decoding, its age, that it is not booked yet, that a valued LRT is exposed through a
	/// snapshot that does not yet include the event, then the proof), books what it takes from
	/// every such LRT per strategy ([`math::slashed_stake`]) and re-rates each. Free when it
	/// succeeds.
	///
	/// An LRT's stake in a slashed strategy is exposed to the event only if its snapshot lists
	/// it and the current run of snapshots listing the (operator, strategy) started at or
	/// before the event ([`Exposures`]): a slash before the run's first snapshot is not booked
	/// against those stakes, however they look now (they may have been delegated after the
	/// slash). The loss is the slashed share of what a snapshot before the slash listed
	/// ([`Exposure::cut_by`], [`math::avs_slash_loss`]): the current snapshot's if it precedes
	/// the slash, else the run's previous snapshot's if that one does (a report relayed before
	/// the slash); otherwise nothing Ballast holds proves what the slash cut, and it is refused
	/// (`SlashPrecedesSnapshot`): stake delegated after a slash never inflates it. Each loss
	/// is booked with its cut ([`AvsSlashCuts`]: the slash's position and the shares it leaves
	/// of that listing). A later snapshot includes it once it shows the cut and its own figure
	/// carries the loss (`drop_included_losses`), or else once it is `recognition_delay` after
	/// the event ([`math::avs_slash_included_from`]): an LRT's accounting may price a slash only
	/// when its oracle reprices, so a report right after it, whose stakes EigenLayer already
	/// cut, must not erase it by its stakes alone. A snapshot `recognition_delay` after the
	/// event is the only inclusion checked here: one after the event but not that late books it
	/// (a report made after the slash and relayed before its proof may have priced it already,
	/// and Ballast holds no figure from before the slash to tell; later snapshots are measured
	/// against that report net of the loss, so it then counts twice until `recognition_delay`:
	/// an error towards a lower rate). A refused event is not remembered: a replay is judged
	/// against the books as they are then. Stakes whose run starts after the event (a later
	/// delegation, or a run restarted after a snapshot dropped the pair) never make it bookable;
	/// a snapshot that predates the event, relayed after the refusal, may (its stakes were
	/// exposed). A booked event is remembered ([`SeenAvsSlashings`]) until it is older than
	/// `MaxAvsSlashingAge`, and refused as too old from then on. Refunded to what it did: the
	/// LRTs scanned, exposed and booked, and the exposure entries read
	/// ([`Self::avs_slashing_actual_weight`]).
	pub(crate) fn do_submit_avs_slashing(event: &EventProof) -> DispatchResultWithPostInfo {
		let manager = AllocationManager::<T>::get().ok_or(Error::<T>::NoAllocationManager)?;
		ensure!(event.event_log.address == manager, Error::<T>::WrongEmitter);
		let slashing =
			OperatorSlashing::from_log(&event.event_log).map_err(|_| Error::<T>::WrongEvent)?;
		let timestamp = execution_timestamp(&event.proof.execution_proof.execution_header);
		ensure!(!Self::is_too_old(timestamp, Self::now()), Error::<T>::SlashingTooOld);
		let id: H256 = sp_io::hashing::keccak_256(
			&(&event.event_log, event.proof.execution_proof.execution_header.block_hash()).encode(),
		)
		.into();
		ensure!(!SeenAvsSlashings::<T>::contains_key(id), Error::<T>::AlreadyBooked);
		let position = position_of(event);
		let mut exposed: Vec<(T::AssetId, StrategyLosses, EthereumPosition, Vec<(H160, u128)>)> =
			Vec::new();
		let mut reported = false;
		// Snapshots belong to valued LRTs, at most `MaxValuedLrts` (`set_params`).
		let (mut scanned, mut exposure_reads) = (0u32, 0u32);
		for (lrt, snapshot) in Snapshots::<T>::iter() {
			scanned.saturating_inc();
			let Some(params) = Params::<T>::get(lrt) else {
				continue;
			};
			// Only a snapshot before the slash proves the stake it cut: the current one if it
			// precedes the slash, else the run's previous one if that does (a report relayed
			// before the slash). A later listing is already cut and may hold stake delegated
			// since: not booked against it.
			let mut delegated_at_the_slash = false;
			// Per strategy: the shares the listing the loss is cut from held.
			let mut cut_from: Vec<(H160, u128)> = Vec::new();
			let losses = math::slashed_stake(&snapshot.stakes, &slashing, |strategy, listed| {
				exposure_reads.saturating_inc();
				let run = Exposures::<T>::get(lrt, (slashing.operator, strategy))?;
				delegated_at_the_slash |= run.since <= position;
				let shares = run.cut_by(position, snapshot.position, listed)?;
				cut_from.push((strategy, shares));
				Some(shares)
			});
			if losses.is_empty() {
				// Delegated at the slash, but only snapshots after it list the stake: what the
				// slash cut is not proven (relayed too late; the LRT's own books carry it).
				reported |= delegated_at_the_slash;
				continue;
			}
			let included_from = math::avs_slash_included_from(position, params.recognition_delay);
			if included_from <= snapshot.position {
				reported = true;
			} else {
				exposed.push((lrt, losses, included_from, cut_from));
			}
		}
		ensure!(!exposed.is_empty() || !reported, Error::<T>::SlashPrecedesSnapshot);
		ensure!(!exposed.is_empty(), Error::<T>::NoExposure);
		T::Verifier::verify(&event.event_log, &event.proof)
			.map_err(|_| Error::<T>::InvalidProof)?;

		Self::note_seen_avs_slashing(id, timestamp);
		let exposed_lrts = exposed.len() as u32;
		let mut bookings = 0u32;
		// Each exposed LRT is re-rated once, after all its strategies are booked.
		for (lrt, losses, included_from, cut_from) in exposed {
			let previous = Self::read_rate(lrt);
			for (strategy, wei) in losses {
				bookings.saturating_inc();
				// What the listing held, less this loss, is the least the cut leaves.
				let cut = cut_from.iter().find(|(cut, _)| *cut == strategy).map(|(_, shares)| {
					AvsSlashCut {
						operator: slashing.operator,
						strategy,
						slash: position,
						left: shares.saturating_sub(wei),
					}
				});
				Self::book_with_cut(
					lrt,
					LossKind::AvsSlash { operator: slashing.operator, strategy },
					wei,
					Some(included_from),
					cut,
				);
			}
			Self::update_rate_after_loss(lrt, previous);
		}
		Ok(PostDispatchInfo {
			actual_weight: Some(Self::avs_slashing_actual_weight(
				scanned,
				exposed_lrts,
				bookings,
				exposure_reads,
			)),
			pays_fee: Pays::No,
		})
	}

	/// Ballast's clock, unix seconds.
	pub(crate) fn now() -> u64 {
		T::Time::now().as_secs()
	}

	/// Whether an AVS slashing event of Ethereum time `timestamp` is too old at `now` (more than
	/// `MaxAvsSlashingAge` seconds): refused, and its seen-mark pruned. Ballast's clock never
	/// goes back, so an event too old stays too old: a pruned mark is never needed again.
	pub(crate) fn is_too_old(timestamp: u64, now: u64) -> bool {
		now.saturating_sub(timestamp) > T::MaxAvsSlashingAge::get()
	}

	/// Marks AVS slashing event `id` (of Ethereum time `timestamp`) booked and queues it for
	/// pruning ([`SeenAvsSlashingsQueue`]).
	pub(crate) fn note_seen_avs_slashing(id: H256, timestamp: u64) {
		SeenAvsSlashings::<T>::insert(id, timestamp);
		SeenAvsSlashingsBounds::<T>::mutate(|(_, next)| {
			SeenAvsSlashingsQueue::<T>::insert(*next, id);
			*next = next.saturating_add(1);
		});
	}

	/// Prunes, oldest booked first, the seen-marks of AVS slashing events too old at Ballast's
	/// clock ([`Self::is_too_old`]), at most [`MAX_AVS_SLASHINGS_PRUNED_PER_BLOCK`]; stops at
	/// the first one not too old yet (events are booked in about their Ethereum order, and
	/// each is accepted at most `MaxAvsSlashingAge` after its Ethereum time, so one waiting
	/// behind a younger one waits at most that long after its own booking). Returns the weight
	/// used ([`Self::prune_seen_avs_slashings_weight`]).
	pub(crate) fn prune_seen_avs_slashings() -> Weight {
		let (mut first, next) = SeenAvsSlashingsBounds::<T>::get();
		let (mut checked, mut pruned) = (0u32, 0u32);
		if first == next {
			// Nothing queued: the clock is not read (its read is weighed only with an entry).
			return Self::prune_seen_avs_slashings_weight(checked, pruned);
		}
		let now = Self::now();
		while first < next && pruned < MAX_AVS_SLASHINGS_PRUNED_PER_BLOCK {
			checked.saturating_inc();
			let id = SeenAvsSlashingsQueue::<T>::get(first);
			// A queued event whose mark is gone (broken books, which `do_try_state` reports)
			// is dropped from the queue.
			let timestamp = id.and_then(SeenAvsSlashings::<T>::get);
			if timestamp.is_some_and(|timestamp| !Self::is_too_old(timestamp, now)) {
				break;
			}
			if let Some(id) = id {
				SeenAvsSlashings::<T>::remove(id);
			}
			SeenAvsSlashingsQueue::<T>::remove(first);
			first.saturating_inc();
			pruned.saturating_inc();
		}
		if pruned > 0 {
			SeenAvsSlashingsBounds::<T>::put((first, next));
		}
		Self::prune_seen_avs_slashings_weight(checked, pruned)
	}

	/// What pruning weighs that checked `checked` queued seen-marks and pruned `pruned` of
	/// them, by hand (storage only, at the runtime's `DbWeight`, plus a little computation per
	/// entry; not benchmarked): the queue's bounds read (and written if any was pruned), the
	/// clock read if any was checked (an empty queue does not read it), each checked entry's
	/// id and mark read, each pruned entry's id and mark removed. At most
	/// [`MAX_AVS_SLASHINGS_PRUNED_PER_BLOCK`] are checked per block.
	pub fn prune_seen_avs_slashings_weight(checked: u32, pruned: u32) -> Weight {
		let reads = 1 + u64::from(checked > 0) + 2 * u64::from(checked);
		let writes = 2 * u64::from(pruned) + u64::from(pruned > 0);
		T::DbWeight::get()
			.reads_writes(reads, writes)
			.saturating_add(Weight::from_parts(2_000_000, 100).saturating_mul(checked.into()))
	}

	/// Books a loss, merging the two oldest when the list is full (the merged loss, always the
	/// oldest and the only one, keeps the newer booking time and the later Ethereum position, so
	/// it stays at least as long as either would: `Loss::included_in`). Slashed validators
	/// whose losses are merged are remembered in [`MergedSlashes`], so their booked slash stays
	/// until the merged loss leaves the books; AVS slashes merged lose their cut
	/// ([`AvsSlashCuts`]): the merged loss leaves by position and age only.
	pub(crate) fn book(
		lrt: T::AssetId,
		kind: LossKind,
		wei: u128,
		position: Option<EthereumPosition>,
	) {
		Self::book_with_cut(lrt, kind, wei, position, None)
	}

	/// [`Self::book`], keeping an AVS slash's cut beside its loss ([`AvsSlashCuts`], in the
	/// order of the LRT's AVS-slash losses).
	fn book_with_cut(
		lrt: T::AssetId,
		kind: LossKind,
		wei: u128,
		position: Option<EthereumPosition>,
		cut: Option<AvsSlashCut>,
	) {
		let is_avs = |kind: &LossKind| matches!(kind, LossKind::AvsSlash { .. });
		let loss = Loss { kind: kind.clone(), wei, booked_at: Self::now(), position };
		let (merged_away, avs_merged, booked) = Losses::<T>::mutate(lrt, |losses| {
			let mut merged_away = Vec::new();
			// The merged losses were the oldest: their cuts, if any, are the first ones.
			let mut avs_merged = 0usize;
			if losses.is_full() && losses.len() >= 2 {
				let first = losses.remove(0);
				avs_merged += usize::from(is_avs(&first.kind));
				if let Some(second) = losses.get_mut(0) {
					avs_merged += usize::from(is_avs(&second.kind));
					merged_away.extend(first.kind.slashed_validator());
					merged_away.extend(second.kind.slashed_validator());
					second.wei = second.wei.saturating_add(first.wei);
					second.kind = LossKind::Merged;
					second.position = match (first.position, second.position) {
						(Some(a), Some(b)) => Some(a.max(b)),
						(a, b) => a.or(b),
					};
				}
			}
			let booked = losses.try_push(loss).is_ok();
			// Whether another part of each merged validator's slash is still on its own.
			let merged_away = merged_away
				.into_iter()
				.map(|index| {
					(index, losses.iter().any(|loss| loss.kind.slashed_validator() == Some(index)))
				})
				.collect::<Vec<_>>();
			(merged_away, avs_merged, booked)
		});
		let cut = cut.filter(|_| booked && is_avs(&kind));
		if avs_merged > 0 || cut.is_some() {
			let mut cuts = AvsSlashCuts::<T>::get(lrt);
			for _ in 0..avs_merged.min(cuts.len()) {
				cuts.remove(0);
			}
			if let Some(cut) = cut {
				// As many cuts as AVS-slash losses, which fit `MaxLosses`.
				let _ = cuts.try_push(cut);
			}
			Self::put_avs_slash_cuts(lrt, cuts);
		}
		for (index, in_books) in merged_away {
			Self::remember_merged_slash(lrt, index, in_books);
		}
		Self::deposit_event(Event::LossBooked { lrt, kind, wei });
	}

	/// Remembers that part of validator `index`'s slash was merged into `lrt`'s merged loss
	/// (`in_books`: whether another part of it is still a loss of its own). Past `MaxLosses` such
	/// validators, one with no other part left is forgotten at once (removed from
	/// [`BookedSlashes`]: its later balance drops count again, which errs towards a lower rate)
	/// so that the books stay bounded.
	fn remember_merged_slash(lrt: T::AssetId, index: u64, in_books: bool) {
		let remembered = MergedSlashes::<T>::mutate(lrt, |merged| {
			merged.contains(&index) || merged.try_push(index).is_ok()
		});
		if !remembered && !in_books {
			BookedSlashes::<T>::remove(lrt, index);
		}
	}

	/// Books what the slash of `lrt`'s validator `index` (effective balance `eb` Gwei, proven at
	/// `slot`, withdrawable at `withdrawable_epoch`) will cost beyond what the LRT's snapshot
	/// includes: records the slash in the correlation window ([`Self::correlated_slashing`]),
	/// then books the parts of [`math::expected_slashing_penalties`] the snapshot does not
	/// include yet (a snapshot at or after a part's position includes it): the initial penalty
	/// ([`LossKind::ValidatorSlashed`], from [`math::slashed_by`]) and the correlation and exit
	/// penalties ([`LossKind::LaterSlashingPenalties`], from
	/// [`math::later_penalties_included_from`]). The validator is in [`BookedSlashes`] while any
	/// part is in the books.
	pub(crate) fn book_slash(
		lrt: T::AssetId,
		params: &BackingParams,
		index: u64,
		eb: u64,
		slot: u64,
		withdrawable_epoch: u64,
	) {
		let correlated = Self::correlated_slashing(eb, slot);
		let penalties = math::expected_slashing_penalties(params, eb, correlated);
		let snapshot = Snapshots::<T>::get(lrt).map(|snapshot| snapshot.position);
		let parts = [
			(
				LossKind::ValidatorSlashed { index },
				penalties.initial,
				math::slashed_by(withdrawable_epoch),
			),
			(
				LossKind::LaterSlashingPenalties { index },
				penalties.later,
				math::later_penalties_included_from(withdrawable_epoch, params.recognition_delay),
			),
		];
		for (kind, gwei, included_from) in parts {
			if gwei == 0 || snapshot.is_some_and(|at| included_from <= at) {
				continue;
			}
			BookedSlashes::<T>::insert(lrt, index, ());
			Self::book(lrt, kind, gwei.saturating_mul(WEI_PER_GWEI), Some(included_from));
		}
	}

	/// Records a slash of effective balance `eb` (Gwei) proven at `slot` in the correlation
	/// window ([`RecentSlashings`], dropping those older than [`math::CORRELATION_WINDOW_SLOTS`]
	/// and the oldest when full); returns the window's slashed balance, this one included.
	pub(crate) fn correlated_slashing(eb: u64, slot: u64) -> u128 {
		RecentSlashings::<T>::mutate(|recent| {
			recent.retain(|(at, _)| at.saturating_add(math::CORRELATION_WINDOW_SLOTS) > slot);
			if recent.is_full() {
				recent.remove(0);
			}
			let _ = recent.try_push((slot, eb));
			recent.iter().fold(0u128, |sum, (_, balance)| sum.saturating_add(*balance as u128))
		})
	}

	/// Wei of the losses booked against `lrt`.
	pub(crate) fn booked_losses(lrt: T::AssetId) -> u128 {
		Losses::<T>::get(lrt).iter().fold(0u128, |sum, l| sum.saturating_add(l.wei))
	}

	/// The rate lending reads now (`None` until the LRT is valued).
	pub(crate) fn read_rate(lrt: T::AssetId) -> Option<FixedU128> {
		Self::components(lrt).map(|c| c.effective)
	}

	/// An LRT's rate and its parts, now: `None` until the LRT has settings and a snapshot (or
	/// when its reported rate does not fit `FixedU128`). The growth cap rises with time, so the
	/// effective rate is computed when read.
	///
	/// While a fall is pending, `reported` is the rate it holds (`PendingFall::held_reported`)
	/// and `unconfirmed` the snapshot's own.
	///
	/// The growth cap is the higher of the stored rate's and the unproven-fall baseline's (while
	/// it stands) grown since: after a dip within the bound, or a cancelled unconfirmed fall, the
	/// rate recovers up to the baseline at once (an unconfirmed dip never ratchets the cap
	/// down).
	pub fn components(lrt: T::AssetId) -> Option<RateComponents> {
		let params = Params::<T>::get(lrt)?;
		let snapshot = Snapshots::<T>::get(lrt)?;
		let losses = Self::booked_losses(lrt);
		let own = math::reported_rate(snapshot.total_eth, snapshot.total_supply)?;
		let pending = PendingFalls::<T>::get(lrt);
		let (reported, proven) = match &pending {
			Some(p) => (
				p.held_reported,
				p.held_reported.saturating_sub(math::loss_rate(losses, snapshot.total_supply)?),
			),
			None => (own, math::proven_rate(snapshot.total_eth, losses, snapshot.total_supply)?),
		};
		let raw = reported.min(proven);
		let now = Self::now();
		let (cap, effective) = match Rates::<T>::get(lrt) {
			Some(last) => {
				let elapsed = now.saturating_sub(last.at);
				let mut cap = math::growth_cap(last.rate, params.max_yearly_growth, elapsed);
				if let Some(baseline) = Self::fall_baseline(lrt, &params, now) {
					let elapsed = now.saturating_sub(baseline.at);
					let grown = math::growth_cap(baseline.rate, params.max_yearly_growth, elapsed);
					cap = cap.max(grown);
				}
				(cap, math::capped_rate(raw, last.rate, cap))
			},
			None => (raw, raw),
		};
		let stale = Self::is_stale(lrt, &params, &snapshot, now);
		let circuit_breaker = CircuitBreakers::<T>::get(lrt)
			.is_some_and(|at| now < at.saturating_add(params.circuit_breaker_window));
		Some(RateComponents {
			reported,
			proven,
			cap,
			effective,
			losses,
			stale,
			unconfirmed: pending.map(|_| own),
			circuit_breaker,
		})
	}

	/// Stale data blocks borrowing: a snapshot older than `max_snapshot_age`, or validator
	/// proofs older than `max_proof_age_slots` behind the light client (or none), or a halted
	/// light client.
	fn is_stale(
		lrt: T::AssetId,
		params: &BackingParams,
		snapshot: &SnapshotOf<T>,
		now: u64,
	) -> bool {
		let old_snapshot = now.saturating_sub(snapshot.timestamp) > params.max_snapshot_age;
		let old_proofs = match (
			T::LightClient::latest_finalized_slot(),
			T::Validators::oldest_proof_slot(lrt),
		) {
			(Some(head), Some(oldest)) => head.saturating_sub(oldest) > params.max_proof_age_slots,
			(_, None) => true,
			(None, Some(_)) => true,
		};
		old_snapshot || old_proofs || T::LightClient::is_halted()
	}

	/// Re-rates `lrt` after a proven loss ([`Self::update_rate`]); the fall it caused lowers the
	/// unproven-fall baseline ([`FallBaselines`]) and a pending fall's (`PendingFall::before`)
	/// too, so the proven part never counts as unconfirmed.
	pub(crate) fn update_rate_after_loss(lrt: T::AssetId, previous: Option<FixedU128>) {
		Self::update_rate(lrt, previous);
		if let (Some(previous), Some(current)) = (previous, Self::read_rate(lrt)) {
			if current < previous {
				let fall = previous.saturating_sub(current);
				PendingFalls::<T>::mutate(lrt, |pending| {
					if let Some(p) = pending {
						p.before = p.before.saturating_sub(fall);
					}
				});
				FallBaselines::<T>::mutate(lrt, |baseline| {
					if let Some(baseline) = baseline {
						baseline.rate = baseline.rate.saturating_sub(fall);
					}
				});
			}
		}
	}

	/// Stores the effective rate after an event (and appends it to the history). `previous` is
	/// the rate lending read before the event (its effective rate, which the growth cap may
	/// have raised above the stored one since): every fall below it tells
	/// `OnBackingRateDecreased` and is watched by the circuit breaker, and every change records
	/// it in the unproven-fall baseline. Nothing is stored while the rate lending reads is
	/// unchanged.
	pub(crate) fn update_rate(lrt: T::AssetId, previous: Option<FixedU128>) {
		let Some(components) = Self::components(lrt) else { return };
		let current = components.effective;
		if Rates::<T>::contains_key(lrt) && previous == Some(current) {
			return;
		}
		let now = Self::now();
		let stored = StoredRate { rate: current, at: now };
		Rates::<T>::insert(lrt, &stored);
		History::<T>::mutate(lrt, |history| {
			if history.is_full() {
				history.remove(0);
			}
			let _ = history.try_push(stored);
		});
		Self::deposit_event(Event::RateChanged { lrt, previous, current });
		let Some(previous) = previous else { return };
		if current < previous {
			T::OnBackingRateDecreased::on_backing_rate_decreased(lrt, previous, current);
		}
		if let Some(params) = Params::<T>::get(lrt) {
			Self::record_fall_baseline(lrt, &params, previous, now);
			Self::watch_circuit_breaker(lrt, &params, previous, current, now);
		}
	}

	/// Records `previous` (the rate read before a change at `now`) in the breaker's window and
	/// trips the breaker if `current` is more than `circuit_breaker_fall` below the window's
	/// highest rate. The window keeps a decreasing sequence of samples no older than
	/// `circuit_breaker_window`, so its first is the highest; when full, the newest sample is
	/// kept longer instead of adding one (the window only errs towards tripping).
	fn watch_circuit_breaker(
		lrt: T::AssetId,
		params: &BackingParams,
		previous: FixedU128,
		current: FixedU128,
		now: u64,
	) {
		let window = params.circuit_breaker_window;
		let peak = RateWindow::<T>::mutate(lrt, |samples| {
			samples.retain(|sample| sample.at.saturating_add(window) >= now);
			while samples.last().is_some_and(|sample| sample.rate <= previous) {
				samples.pop();
			}
			if samples.is_full() {
				if let Some(last) = samples.last_mut() {
					last.at = now;
				}
			} else {
				let _ = samples.try_push(StoredRate { rate: previous, at: now });
			}
			samples.first().map_or(previous, |sample| sample.rate)
		});
		if current < math::lowered(peak, params.circuit_breaker_fall) {
			CircuitBreakers::<T>::insert(lrt, now);
			Self::deposit_event(Event::CircuitBreakerTripped { lrt, peak, current });
		} else if CircuitBreakers::<T>::get(lrt).is_some_and(|at| at.saturating_add(window) <= now)
		{
			CircuitBreakers::<T>::remove(lrt);
		}
	}
}
