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
	traits::UnixTime,
	BoundedVec,
};
use snowbridge_beacon_primitives::VersionedExecutionPayloadHeader;
use snowbridge_verification_primitives::{EventProof, Verifier};
use sp_core::{H160, H256};

/// Ethereum time (unix seconds) of the execution block a proof's log is in.
fn execution_timestamp(header: &VersionedExecutionPayloadHeader) -> u64 {
	match header {
		VersionedExecutionPayloadHeader::Capella(h) => h.timestamp,
		VersionedExecutionPayloadHeader::Deneb(h) => h.timestamp,
	}
}

impl<T: Config> Pallet<T> {
	/// [`Pallet::set_params`]: stores `lrt`'s valuation settings (checked by the call).
	pub(crate) fn do_set_params(lrt: T::AssetId, params: BackingParams) -> DispatchResult {
		Params::<T>::insert(lrt, params);
		Self::deposit_event(Event::ParamsSet { lrt });
		Ok(())
	}

	/// [`Pallet::set_allocation_manager`]: stores EigenLayer's AllocationManager address.
	pub(crate) fn do_set_allocation_manager(address: H160) -> DispatchResult {
		AllocationManager::<T>::put(address);
		Self::deposit_event(Event::AllocationManagerSet { address });
		Ok(())
	}

	/// [`Pallet::submit_backing_report`]: checks the proven `BackingReported` log (its LRT, its
	/// emitter, the LRT's settings, a newer nonce, a non-zero supply, the delegations' count,
	/// then the proof), drops the losses the snapshot already includes, stores the snapshot and
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
		let stakes: BoundedVec<_, T::MaxStakes> =
			report.stakes.try_into().map_err(|_| Error::<T>::TooManyStakes)?;
		T::Verifier::verify(&event.event_log, &event.proof)
			.map_err(|_| Error::<T>::InvalidProof)?;

		let timestamp = execution_timestamp(&event.proof.execution_proof.execution_header);
		// Losses booked long enough before the snapshot are in the LRT's own books now.
		Losses::<T>::mutate(lrt, |losses| {
			losses
				.retain(|loss| loss.booked_at.saturating_add(params.recognition_delay) > timestamp)
		});
		Snapshots::<T>::insert(
			lrt,
			Snapshot {
				total_eth: report.total_eth,
				total_supply: report.total_supply,
				stakes,
				nonce: report.nonce,
				timestamp,
			},
		);
		Self::deposit_event(Event::SnapshotAccepted {
			lrt,
			total_eth: report.total_eth,
			total_supply: report.total_supply,
			nonce: report.nonce,
		});
		Self::update_rate(lrt);
		Ok(Pays::No.into())
	}

	/// [`Pallet::submit_avs_slashing`]: checks the proven `OperatorSlashed` log (its emitter,
	/// its decoding, that it is not booked yet, that a valued LRT is exposed, then the proof),
	/// books what it takes from every exposed LRT per strategy ([`math::slashed_stake`]) and
	/// re-rates each. Free when it succeeds.
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
		let exposed: Vec<(T::AssetId, StrategyLosses)> = Snapshots::<T>::iter()
			.filter(|(lrt, _)| Params::<T>::contains_key(lrt))
			.map(|(lrt, snapshot)| (lrt, math::slashed_stake(&snapshot.stakes, &slashing)))
			.filter(|(_, losses)| !losses.is_empty())
			.collect();
		ensure!(!exposed.is_empty(), Error::<T>::NoExposure);
		T::Verifier::verify(&event.event_log, &event.proof)
			.map_err(|_| Error::<T>::InvalidProof)?;

		SeenAvsSlashings::<T>::insert(id, ());
		for (lrt, losses) in exposed {
			for (strategy, wei) in losses {
				Self::book(lrt, LossKind::AvsSlash { operator: slashing.operator, strategy }, wei);
			}
			Self::update_rate(lrt);
		}
		Ok(Pays::No.into())
	}

	/// Ballast's clock, unix seconds.
	pub(crate) fn now() -> u64 {
		T::Time::now().as_secs()
	}

	/// Books a loss, merging the two oldest when the list is full (the merged loss keeps the
	/// newer booking time, so it stays at least as long).
	pub(crate) fn book(lrt: T::AssetId, kind: LossKind, wei: u128) {
		let loss = Loss { kind: kind.clone(), wei, booked_at: Self::now() };
		Losses::<T>::mutate(lrt, |losses| {
			if losses.is_full() && losses.len() >= 2 {
				let first = losses.remove(0);
				if let Some(second) = losses.get_mut(0) {
					second.wei = second.wei.saturating_add(first.wei);
					second.kind = LossKind::Merged;
				}
			}
			let _ = losses.try_push(loss);
		});
		Self::deposit_event(Event::LossBooked { lrt, kind, wei });
	}

	/// Books the expected loss of `lrt`'s validator `index`, of effective balance `eb` (Gwei),
	/// proven slashed at `slot`: records the slash in the correlation window
	/// ([`RecentSlashings`], dropping those older than [`math::CORRELATION_WINDOW_SLOTS`] and
	/// the oldest when full), then books [`math::expected_slashing_loss`] over the window's
	/// slashed balance, this slash included, as a [`LossKind::ValidatorSlashed`] in wei.
	pub(crate) fn book_expected_slashing_loss(
		lrt: T::AssetId,
		params: &BackingParams,
		index: u64,
		eb: u64,
		slot: u64,
	) {
		let correlated = RecentSlashings::<T>::mutate(|recent| {
			recent.retain(|(at, _)| at.saturating_add(math::CORRELATION_WINDOW_SLOTS) > slot);
			if recent.is_full() {
				recent.remove(0);
			}
			let _ = recent.try_push((slot, eb));
			recent.iter().fold(0u128, |sum, (_, balance)| sum.saturating_add(*balance as u128))
		});
		let gwei = math::expected_slashing_loss(params, eb, correlated);
		Self::book(lrt, LossKind::ValidatorSlashed { index }, gwei.saturating_mul(WEI_PER_GWEI));
	}

	/// An LRT's rate and its parts, now: `None` until the LRT has settings and a snapshot (or
	/// when its reported rate does not fit `FixedU128`). The growth cap rises with time, so the
	/// effective rate is computed when read.
	pub fn components(lrt: T::AssetId) -> Option<RateComponents> {
		let params = Params::<T>::get(lrt)?;
		let snapshot = Snapshots::<T>::get(lrt)?;
		let losses = Losses::<T>::get(lrt).iter().fold(0u128, |sum, l| sum.saturating_add(l.wei));
		let reported = math::reported_rate(snapshot.total_eth, snapshot.total_supply)?;
		let proven = math::proven_rate(snapshot.total_eth, losses, snapshot.total_supply)?;
		let raw = reported.min(proven);
		let now = Self::now();
		let (cap, effective) = match Rates::<T>::get(lrt) {
			Some(last) => {
				let elapsed = now.saturating_sub(last.at);
				let cap = math::growth_cap(last.rate, params.max_yearly_growth, elapsed);
				(cap, math::capped_rate(raw, last.rate, cap))
			},
			None => (raw, raw),
		};
		let stale = Self::is_stale(lrt, &params, &snapshot, now);
		Some(RateComponents { reported, proven, cap, effective, losses, stale })
	}

	/// Stale data blocks borrowing: a snapshot older than `max_snapshot_age`, or validator
	/// proofs older than `max_proof_age_slots` behind the light client (or none).
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
		old_snapshot || old_proofs
	}

	/// Stores the effective rate after an event (and appends it to the history); a fall tells
	/// `OnBackingRateDecreased`. Nothing is stored while the rate is unchanged.
	pub(crate) fn update_rate(lrt: T::AssetId) {
		let Some(components) = Self::components(lrt) else { return };
		let previous = Rates::<T>::get(lrt).map(|stored| stored.rate);
		if previous == Some(components.effective) {
			return;
		}
		let stored = StoredRate { rate: components.effective, at: Self::now() };
		Rates::<T>::insert(lrt, &stored);
		History::<T>::mutate(lrt, |history| {
			if history.is_full() {
				history.remove(0);
			}
			let _ = history.try_push(stored);
		});
		Self::deposit_event(Event::RateChanged { lrt, previous, current: components.effective });
		if let Some(previous) = previous.filter(|previous| components.effective < *previous) {
			T::OnBackingRateDecreased::on_backing_rate_decreased(
				lrt,
				previous,
				components.effective,
			);
		}
	}
}
