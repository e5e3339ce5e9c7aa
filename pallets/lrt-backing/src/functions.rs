//! The valuation's logic: the calls' bodies (`do_*`), booking losses, and the rate (computed
//! from its components when read, stored after every event that changes them).

use crate::{math, pallet::*, types::*};
use alloc::vec::Vec;
use ballast_gateway::{BackingReport, OperatorSlashing};
use ballast_primitives::{
	ethereum::{FinalizedBeaconBlocks, ValidatorFreshness},
	lrt::LrtRegistry,
	valuation::OnBackingRateDecreased,
};
use codec::Encode;
use frame_support::{
	dispatch::{DispatchResult, DispatchResultWithPostInfo, Pays},
	ensure,
	traits::{Get, UnixTime},
	weights::Weight,
	BoundedVec,
};
use snowbridge_beacon_primitives::VersionedExecutionPayloadHeader;
use snowbridge_verification_primitives::{EventProof, Verifier};
use sp_core::{H160, H256};
use sp_runtime::{FixedU128, Saturating};

/// A cancelled fall's growth-cap baseline: the rate before the unconfirmed fall and when it was
/// read (a recovery up to it, grown at the cap's pace since, is not capped).
pub(crate) type Recovery = Option<(FixedU128, u64)>;

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
	/// [`Pallet::set_params`]: stores `lrt`'s valuation settings (checked by the call); the
	/// first time, books the slashes proven while it had none ([`UnvaluedSlashes`]).
	pub(crate) fn do_set_params(lrt: T::AssetId, params: BackingParams) -> DispatchResult {
		let first = !Params::<T>::contains_key(lrt);
		Params::<T>::insert(lrt, &params);
		Self::deposit_event(Event::ParamsSet { lrt });
		if first {
			let previous = Self::read_rate(lrt);
			for slash in UnvaluedSlashes::<T>::take(lrt) {
				if BookedSlashes::<T>::contains_key(lrt, slash.index) {
					continue;
				}
				BookedSlashes::<T>::insert(lrt, slash.index, ());
				Self::book_expected_slashing_loss(
					lrt,
					&params,
					slash.index,
					slash.effective_balance,
					slash.slot,
					math::slashed_by(slash.withdrawable_epoch),
				);
			}
			Self::update_rate_after_loss(lrt, previous);
		}
		Ok(())
	}

	/// What booking `n` recorded slashes at `set_params` may weigh (no rate yet, so no hook).
	pub fn unvalued_booking_weight(n: u32) -> Weight {
		T::DbWeight::get()
			.reads_writes(4, 4)
			.saturating_add(Weight::from_parts(40_000_000, 0))
			.saturating_mul(n.into())
	}

	/// The storage an unconfirmed fall and the circuit breaker add to a re-rating.
	pub fn fall_weight() -> Weight {
		T::DbWeight::get().reads_writes(3, 3).saturating_add(Weight::from_parts(10_000_000, 2_000))
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
	/// delegations' count, then the proof), drops the losses the snapshot already includes,
	/// stores the snapshot, bounds a fall no proven loss explains ([`Self::assess_fall`]) and
	/// re-rates the LRT. Free when it succeeds.
	pub(crate) fn do_submit_backing_report(event: &EventProof) -> DispatchResultWithPostInfo {
		let report =
			BackingReport::from_log(&event.event_log).map_err(|_| Error::<T>::WrongEvent)?;
		let lrt = T::Registry::lrt_of_token(report.token).ok_or(Error::<T>::UnknownToken)?;
		ensure!(
			T::Registry::gateway(lrt) == Some(event.event_log.address),
			Error::<T>::WrongEmitter
		);
		let params = Params::<T>::get(lrt).ok_or(Error::<T>::NotValued)?;
		ensure!(
			Snapshots::<T>::get(lrt).is_none_or(|last| report.nonce > last.nonce),
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
		// The rate lending read until now: what a fall is measured from.
		let previous = Self::read_rate(lrt);
		// Losses booked long enough before the snapshot, and slashes at or before it, are in
		// the LRT's own books now.
		Losses::<T>::mutate(lrt, |losses| {
			losses.retain(|loss| {
				loss.booked_at.saturating_add(params.recognition_delay) > timestamp
					&& loss.position.is_none_or(|at| at > position)
			})
		});
		let snapshot = Snapshot {
			total_eth: report.total_eth,
			total_supply: report.total_supply,
			stakes,
			nonce: report.nonce,
			timestamp,
			position,
		};
		Self::deposit_event(Event::SnapshotAccepted {
			lrt,
			total_eth: report.total_eth,
			total_supply: report.total_supply,
			nonce: report.nonce,
		});
		let recovery = Self::assess_fall(lrt, &params, previous, &snapshot);
		Snapshots::<T>::insert(lrt, snapshot);
		Self::update_rate(lrt, previous, recovery);
		Ok(Pays::No.into())
	}

	/// Decides what a new snapshot does to the LRT's unconfirmed fall, before it is stored
	/// (losses already pruned), given `previous`, the rate lending read until now. Returns the
	/// growth-cap baseline to honour when an unconfirmed fall is undone.
	///
	/// `proven` is the snapshot's rate net of the losses still booked; the baseline is the rate
	/// before any unconfirmed fall (`PendingFall::before`) or else `previous`:
	/// - `proven ≥ baseline · (1 − max_unproven_fall)`: no unconfirmed fall (a pending one is
	///   cancelled and its baseline returned, so the recovery is not capped);
	/// - otherwise, with a pending fall: a snapshot reporting at most its target at least
	///   `fall_confirmation_delay` after it confirms it (the fall applies in full); one
	///   reporting more cancels it and starts a new one at its own report; either way the
	///   effective rate is held where it is (or at `proven` if higher);
	/// - otherwise, without one: a fall starts, the effective rate held at
	///   `previous · (1 − max_unproven_fall)`.
	fn assess_fall(
		lrt: T::AssetId,
		params: &BackingParams,
		previous: Option<FixedU128>,
		snapshot: &SnapshotOf<T>,
	) -> Recovery {
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
			return None;
		};
		let recovery = pending.as_ref().map(|p| (p.before, p.before_at));
		let baseline = pending.as_ref().map(|p| p.before).or(previous)?;
		if proven >= math::lowered(baseline, params.max_unproven_fall) {
			if let Some(p) = pending {
				PendingFalls::<T>::remove(lrt);
				Self::deposit_event(Event::FallCancelled {
					lrt,
					nonce: p.nonce,
					cancelled_by: snapshot.nonce,
				});
			}
			return recovery;
		}
		match pending {
			Some(p)
				if reported <= p.target
					&& snapshot.timestamp
						>= p.since.saturating_add(params.fall_confirmation_delay) =>
			{
				PendingFalls::<T>::remove(lrt);
				Self::deposit_event(Event::FallConfirmed {
					lrt,
					nonce: p.nonce,
					confirmed_by: snapshot.nonce,
				});
				None
			},
			Some(mut p) => {
				if reported > p.target {
					Self::deposit_event(Event::FallCancelled {
						lrt,
						nonce: p.nonce,
						cancelled_by: snapshot.nonce,
					});
					p.target = reported;
					p.nonce = snapshot.nonce;
					p.since = snapshot.timestamp;
				}
				let held = previous.map_or(proven, |previous| previous.max(proven));
				p.held_reported = held.saturating_add(loss_rate);
				if p.nonce == snapshot.nonce {
					Self::deposit_event(Event::FallPending { lrt, nonce: p.nonce, reported, held });
				}
				PendingFalls::<T>::insert(lrt, p);
				recovery
			},
			None => {
				let held = math::lowered(baseline, params.max_unproven_fall);
				PendingFalls::<T>::insert(
					lrt,
					PendingFall {
						target: reported,
						nonce: snapshot.nonce,
						since: snapshot.timestamp,
						before: baseline,
						before_at: Self::now(),
						held_reported: held.saturating_add(loss_rate),
					},
				);
				Self::deposit_event(Event::FallPending {
					lrt,
					nonce: snapshot.nonce,
					reported,
					held,
				});
				None
			},
		}
	}

	/// [`Pallet::submit_avs_slashing`]: checks the proven `OperatorSlashed` log (its emitter,
	/// its decoding, that it is not booked yet, that a valued LRT is exposed through a snapshot
	/// that predates the event, then the proof), books what it takes from every such LRT per
	/// strategy ([`math::slashed_stake`]) and re-rates each. Free when it succeeds.
	///
	/// A snapshot at or after the event includes the slash in its `total_eth`: booking it
	/// there would count it twice. A refused event is not remembered; a replay meets the same
	/// rule (a newer snapshot is still not older than the event).
	pub(crate) fn do_submit_avs_slashing(event: &EventProof) -> DispatchResultWithPostInfo {
		let manager = AllocationManager::<T>::get().ok_or(Error::<T>::NoAllocationManager)?;
		ensure!(event.event_log.address == manager, Error::<T>::WrongEmitter);
		let slashing =
			OperatorSlashing::from_log(&event.event_log).map_err(|_| Error::<T>::WrongEvent)?;
		let id: H256 = sp_io::hashing::keccak_256(
			&(&event.event_log, event.proof.execution_proof.execution_header.block_hash()).encode(),
		)
		.into();
		ensure!(!SeenAvsSlashings::<T>::contains_key(id), Error::<T>::AlreadyBooked);
		let position = position_of(event);
		let mut exposed: Vec<(T::AssetId, StrategyLosses)> = Vec::new();
		let mut reported = false;
		for (lrt, snapshot) in Snapshots::<T>::iter() {
			if !Params::<T>::contains_key(lrt) {
				continue;
			}
			let losses = math::slashed_stake(&snapshot.stakes, &slashing);
			if losses.is_empty() {
				continue;
			}
			if position <= snapshot.position {
				reported = true;
			} else {
				exposed.push((lrt, losses));
			}
		}
		ensure!(!exposed.is_empty() || !reported, Error::<T>::SlashPrecedesSnapshot);
		ensure!(!exposed.is_empty(), Error::<T>::NoExposure);
		T::Verifier::verify(&event.event_log, &event.proof)
			.map_err(|_| Error::<T>::InvalidProof)?;

		SeenAvsSlashings::<T>::insert(id, ());
		for (lrt, losses) in exposed {
			let previous = Self::read_rate(lrt);
			for (strategy, wei) in losses {
				Self::book(
					lrt,
					LossKind::AvsSlash { operator: slashing.operator, strategy },
					wei,
					Some(position),
				);
			}
			Self::update_rate_after_loss(lrt, previous);
		}
		Ok(Pays::No.into())
	}

	/// Ballast's clock, unix seconds.
	pub(crate) fn now() -> u64 {
		T::Time::now().as_secs()
	}

	/// Books a loss, merging the two oldest when the list is full (the merged loss keeps the
	/// newer booking time and the later Ethereum position, or none if either has none, so it
	/// stays at least as long as either would).
	pub(crate) fn book(
		lrt: T::AssetId,
		kind: LossKind,
		wei: u128,
		position: Option<EthereumPosition>,
	) {
		let loss = Loss { kind: kind.clone(), wei, booked_at: Self::now(), position };
		Losses::<T>::mutate(lrt, |losses| {
			if losses.is_full() && losses.len() >= 2 {
				let first = losses.remove(0);
				if let Some(second) = losses.get_mut(0) {
					second.wei = second.wei.saturating_add(first.wei);
					second.kind = LossKind::Merged;
					second.position = match (first.position, second.position) {
						(Some(a), Some(b)) => Some(a.max(b)),
						_ => None,
					};
				}
			}
			let _ = losses.try_push(loss);
		});
		Self::deposit_event(Event::LossBooked { lrt, kind, wei });
	}

	/// Books the expected loss of `lrt`'s validator `index`, of effective balance `eb` (Gwei),
	/// proven slashed at `slot` (and on Ethereum at `position` at the latest): records the
	/// slash in the correlation window ([`Self::correlated_slashing`]), then books
	/// [`math::expected_slashing_loss`] over the window's slashed balance, this slash included,
	/// as a [`LossKind::ValidatorSlashed`] in wei.
	pub(crate) fn book_expected_slashing_loss(
		lrt: T::AssetId,
		params: &BackingParams,
		index: u64,
		eb: u64,
		slot: u64,
		position: EthereumPosition,
	) {
		let correlated = Self::correlated_slashing(eb, slot);
		let gwei = math::expected_slashing_loss(params, eb, correlated);
		Self::book(
			lrt,
			LossKind::ValidatorSlashed { index },
			gwei.saturating_mul(WEI_PER_GWEI),
			Some(position),
		);
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
	pub fn components(lrt: T::AssetId) -> Option<RateComponents> {
		Self::components_with(lrt, None)
	}

	/// [`Self::components`], with a cancelled fall's growth-cap baseline honoured: the cap is
	/// then the higher of the stored rate's and `recovery`'s grown since.
	fn components_with(lrt: T::AssetId, recovery: Recovery) -> Option<RateComponents> {
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
				if let Some((before, at)) = recovery {
					let elapsed = now.saturating_sub(at);
					cap = cap.max(math::growth_cap(before, params.max_yearly_growth, elapsed));
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

	/// Re-rates `lrt` after a proven loss ([`Self::update_rate`]); while a fall is pending, the
	/// loss lowers its baseline too (`PendingFall::before`), so the proven part never counts
	/// as unconfirmed.
	pub(crate) fn update_rate_after_loss(lrt: T::AssetId, previous: Option<FixedU128>) {
		Self::update_rate(lrt, previous, None);
		if let (Some(previous), Some(current)) = (previous, Self::read_rate(lrt)) {
			if current < previous {
				PendingFalls::<T>::mutate(lrt, |pending| {
					if let Some(p) = pending {
						p.before = p.before.saturating_sub(previous.saturating_sub(current));
					}
				});
			}
		}
	}

	/// Stores the effective rate after an event (and appends it to the history). `previous` is
	/// the rate lending read before the event (its effective rate, which the growth cap may
	/// have raised above the stored one since): every fall below it tells
	/// `OnBackingRateDecreased` and is watched by the circuit breaker. Nothing is stored while
	/// the rate lending reads is unchanged.
	pub(crate) fn update_rate(lrt: T::AssetId, previous: Option<FixedU128>, recovery: Recovery) {
		let Some(components) = Self::components_with(lrt, recovery) else { return };
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
