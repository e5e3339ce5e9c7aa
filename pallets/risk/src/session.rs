//! The reporters from the session: pallet-session tells this pallet (its `OneSessionHandler`,
//! `impls.rs`) each session's validators with their `risk` keys, and the validators it disables.
//!
//! - Genesis: the genesis validators' keys are the reporters at once (no epoch is open yet).
//! - A new session: its validators' keys are scheduled (`PendingReporters`) and take over when
//!   the next epoch opens, so an open epoch's report positions and quorum never change. Only a
//!   list that differs from the one the next epoch would have is scheduled.
//! - Which keys: the first `MaxReporters` validators in the session's order, each key once (a key
//!   two validators share counts once, at its first place). pallet-session refuses a key held by
//!   two validators, so that is defence only; more validators than `MaxReporters` is not
//!   refused and emits `TooManyValidators`.
//! - A disabled validator: its key's report of the open epoch is removed and its reports are
//!   refused until an epoch opens after the session re-enabled it. pallet-session re-enables
//!   its disabled validators only when a session with a changed validator set begins (it has no
//!   hook for `reenable_index`, so a validator re-enabled earlier stays excluded until then).
//!
//! The work is bounded by `MaxReporters` (lists of at most that many keys, compared in memory)
//! plus one pass over the session's validator list; pallet-session charges a rotation block the
//! whole block's weight, and `on_disabled` runs inside its caller's (the offence handling's).

use crate::{pallet::*, types::*};
use alloc::{collections::BTreeSet, vec::Vec};
use frame_support::{traits::Get, BoundedVec};

impl<T: Config> Pallet<T> {
	/// `on_genesis_session`: the genesis validators' keys are the reporters and the session's
	/// validator keys; nothing is pending or disabled.
	pub(crate) fn genesis_session(keys: impl Iterator<Item = ReporterId>) {
		let (validator_keys, validators) = Self::first_keys(keys);
		let reporters = distinct(&validator_keys);
		Self::note_truncation(validators, reporters.len() as u32);
		Reporters::<T>::put(reporters);
		ValidatorKeys::<T>::put(validator_keys);
		PendingReporters::<T>::kill();
		SessionDisabled::<T>::kill();
		DisabledReporters::<T>::kill();
	}

	/// `on_new_session`: the new session's validator keys replace `ValidatorKeys` (and the
	/// session's disabled keys are cleared, as pallet-session clears its own) when `changed` or
	/// when they differ; the reporters they give are scheduled for the next epoch if they differ
	/// from those the next epoch would have.
	pub(crate) fn new_session(changed: bool, keys: impl Iterator<Item = ReporterId>) {
		let (validator_keys, validators) = Self::first_keys(keys);
		if changed || validator_keys != ValidatorKeys::<T>::get() {
			SessionDisabled::<T>::kill();
			ValidatorKeys::<T>::put(&validator_keys);
		}
		let reporters = distinct(&validator_keys);
		let next = PendingReporters::<T>::get().unwrap_or_else(Reporters::<T>::get);
		if reporters == next {
			return;
		}
		let count = reporters.len() as u32;
		Self::note_truncation(validators, count);
		PendingReporters::<T>::put(reporters);
		Self::deposit_event(Event::ReportersScheduled {
			count,
			from_epoch: Self::next_opening_epoch(),
		});
	}

	/// `on_disabled`: the session's validator at `index` is disabled. Its key is remembered
	/// until a session with a changed validator set begins; if it is one of the open epoch's
	/// reporters, that reporter's report is removed and its reports refused. An index past the
	/// kept keys (more validators than `MaxReporters`) is not a reporter: nothing to do.
	pub(crate) fn disable(index: u32) {
		let Some(key) = ValidatorKeys::<T>::get().get(index as usize).cloned() else {
			return;
		};
		SessionDisabled::<T>::mutate(|disabled| {
			if !disabled.contains(&key) {
				// Fits: the keys are distinct keys of `ValidatorKeys`, at most `MaxReporters`.
				let _ = disabled.try_push(key.clone());
			}
		});
		let Some(position) = Reporters::<T>::get().iter().position(|r| *r == key) else {
			return;
		};
		let position = position as u32;
		let newly = DisabledReporters::<T>::mutate(|disabled| {
			// Fits: distinct positions of `Reporters`, at most `MaxReporters`.
			!disabled.contains(&position) && disabled.try_push(position).is_ok()
		});
		if let Some(open) = OpenEpoch::<T>::get() {
			Reports::<T>::remove(open, position);
		}
		if newly {
			Self::deposit_event(Event::ReporterDisabled { reporter: key });
		}
	}

	/// The positions in `Reporters` of the keys the session disables, ascending: the reporters
	/// excluded from an epoch as it opens.
	pub(crate) fn disabled_positions() -> BoundedVec<u32, T::MaxReporters> {
		let reporters = Reporters::<T>::get();
		let disabled = SessionDisabled::<T>::get();
		let mut positions: Vec<u32> = reporters
			.iter()
			.enumerate()
			.filter(|(_, key)| disabled.contains(key))
			.map(|(position, _)| position as u32)
			.collect();
		positions.sort_unstable();
		BoundedVec::truncate_from(positions)
	}

	/// The first `MaxReporters` keys, in order, and how many keys there were in all.
	fn first_keys(
		mut keys: impl Iterator<Item = ReporterId>,
	) -> (BoundedVec<ReporterId, T::MaxReporters>, u32) {
		let max = T::MaxReporters::get();
		let first: Vec<ReporterId> = keys.by_ref().take(max as usize).collect();
		let total = (first.len() as u32).saturating_add(keys.count() as u32);
		(BoundedVec::truncate_from(first), total)
	}

	/// Emits `TooManyValidators` (and logs) if not all `validators` report.
	fn note_truncation(validators: u32, reporters: u32) {
		if validators > T::MaxReporters::get() {
			log::warn!(
				target: "risk",
				"{validators} session validators, more than MaxReporters: the first {reporters} \
				 report"
			);
			Self::deposit_event(Event::TooManyValidators { validators, reporters });
		}
	}
}

/// Each key once, at its first place.
fn distinct<S: Get<u32>>(keys: &BoundedVec<ReporterId, S>) -> BoundedVec<ReporterId, S> {
	let mut seen = BTreeSet::new();
	let kept: Vec<ReporterId> = keys.iter().filter(|key| seen.insert(*key)).cloned().collect();
	if kept.len() < keys.len() {
		log::warn!(target: "risk", "session validators share a risk key: it reports once");
	}
	BoundedVec::truncate_from(kept)
}
