//! The pallet's books, checked after every unit test (`ExtBuilder::build_and_execute`) and by
//! `try-runtime`'s `try_state` hook.
//!
//! Only what holds in every state the pallet can reach is checked. Three things are not:
//! accepted scores against the *current* tiers (governance may change the tiers after an
//! epoch was accepted), the quorum of an accepted epoch against the *current* reporters (they
//! may have changed since), and accepted scores of epochs before the last accepted one against
//! their reports (pruned).

use crate::{model::MAX_SCORE, pallet::*, types::*};
use alloc::vec::Vec;
use frame_support::traits::Get;
use sp_runtime::{Perbill, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// Checks the pallet's storage is consistent:
	///
	/// - `Tiers` are empty (none set at genesis) or valid (`tiers_are_valid`);
	/// - `Reporters` and `PendingReporters` list no key twice; `OpenEpoch` is not after the
	///   current epoch; `SessionDisabled` lists keys of `ValidatorKeys`, each once;
	///   `DisabledReporters` lists positions of `Reporters`, each once, and none of them has a
	///   report in the open epoch;
	/// - no report is for an epoch after the current one; reports are kept only for the open
	///   epoch and the last accepted one (the rest is pruned); every report of the open epoch is
	///   at a position of `Reporters`; every stored score is ≤ 1000 and no report scores an LRT
	///   twice;
	/// - `LastAccepted` is not after the current epoch and its epoch has reports;
	/// - every accepted score is from the last accepted epoch or an earlier one, is ≤ 1000, has a
	///   tier below `MaxTiers`, and its LRT has market limits; one from the last accepted epoch
	///   is one of the scores reported for its LRT in it (a median is always one of them);
	/// - every market limit has LTV < liquidation threshold < 100 %, and its LRT an accepted
	///   score.
	///
	/// Each failed check returns its own error; nothing panics.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let current = Self::current_epoch();
		Self::check_tiers()?;
		Self::check_reporters(current)?;
		let last = Self::check_last_accepted(current)?;
		Self::check_reports(current, last)?;
		Self::check_scores(last)?;
		Self::check_market_limits()
	}

	fn check_tiers() -> Result<(), TryRuntimeError> {
		let tiers = Tiers::<T>::get();
		if !tiers.is_empty() && !tiers_are_valid(&tiers) {
			return Err("Risk: the stored tiers are not valid".into());
		}
		Ok(())
	}

	fn check_reporters(current: Epoch) -> Result<(), TryRuntimeError> {
		if !reporters_are_distinct(&Reporters::<T>::get()) {
			return Err("Risk: a reporter listed twice".into());
		}
		if PendingReporters::<T>::get().is_some_and(|pending| !reporters_are_distinct(&pending)) {
			return Err("Risk: a pending reporter listed twice".into());
		}
		if OpenEpoch::<T>::get().is_some_and(|open| open > current) {
			return Err("Risk: the open epoch is after the current one".into());
		}
		Self::check_disabled()
	}

	fn check_disabled() -> Result<(), TryRuntimeError> {
		let session_disabled = SessionDisabled::<T>::get();
		if !reporters_are_distinct(&session_disabled) {
			return Err("Risk: a disabled validator key listed twice".into());
		}
		let validator_keys = ValidatorKeys::<T>::get();
		if session_disabled.iter().any(|key| !validator_keys.contains(key)) {
			return Err("Risk: a disabled key of no session validator".into());
		}
		let disabled = DisabledReporters::<T>::get();
		let reporters = Reporters::<T>::get().len() as u32;
		if disabled.iter().enumerate().any(|(i, position)| disabled[..i].contains(position)) {
			return Err("Risk: a disabled reporter listed twice".into());
		}
		if disabled.iter().any(|position| *position >= reporters) {
			return Err("Risk: a disabled position of no reporter".into());
		}
		if let Some(open) = OpenEpoch::<T>::get() {
			if disabled.iter().any(|position| Reports::<T>::contains_key(open, position)) {
				return Err("Risk: a disabled reporter's report in the open epoch".into());
			}
		}
		Ok(())
	}

	fn check_reports(current: Epoch, last: Option<Epoch>) -> Result<(), TryRuntimeError> {
		let reporters = Reporters::<T>::get().len() as u32;
		let open = OpenEpoch::<T>::get();
		for (epoch, position, scores) in Reports::<T>::iter() {
			if epoch > current {
				return Err("Risk: a report for an epoch after the current one".into());
			}
			if Some(epoch) != open && Some(epoch) != last {
				return Err("Risk: a report of an epoch neither open nor last accepted".into());
			}
			if Some(epoch) == open && position >= reporters {
				return Err("Risk: a report of the current epoch from no current reporter".into());
			}
			let mut seen: Vec<T::AssetId> = Vec::new();
			for (lrt, score) in scores {
				if score > MAX_SCORE {
					return Err("Risk: a stored report holds a score above 1000".into());
				}
				if seen.contains(&lrt) {
					return Err("Risk: a stored report scores an LRT twice".into());
				}
				seen.push(lrt);
			}
		}
		Ok(())
	}

	fn check_last_accepted(current: Epoch) -> Result<Option<Epoch>, TryRuntimeError> {
		let last = LastAccepted::<T>::get();
		if let Some(last) = last {
			if last > current {
				return Err("Risk: the last accepted epoch is after the current one".into());
			}
			if Reports::<T>::iter_prefix(last).next().is_none() {
				return Err("Risk: the last accepted epoch has no reports".into());
			}
		}
		Ok(last)
	}

	fn check_scores(last: Option<Epoch>) -> Result<(), TryRuntimeError> {
		for (lrt, accepted) in Scores::<T>::iter() {
			if last.is_none_or(|last| accepted.epoch > last) {
				return Err("Risk: an accepted score from an epoch that was not accepted".into());
			}
			if accepted.score > MAX_SCORE {
				return Err("Risk: an accepted score above 1000".into());
			}
			if accepted.tier as u32 >= T::MaxTiers::get() {
				return Err("Risk: an accepted tier beyond MaxTiers".into());
			}
			let reported = Reports::<T>::iter_prefix_values(accepted.epoch).any(|scores| {
				scores.iter().any(|(l, score)| *l == lrt && *score == accepted.score)
			});
			if last == Some(accepted.epoch) && !reported {
				return Err("Risk: an accepted score no report of its epoch holds".into());
			}
			if !MarketLimits::<T>::contains_key(lrt) {
				return Err("Risk: an accepted score without market limits".into());
			}
		}
		Ok(())
	}

	fn check_market_limits() -> Result<(), TryRuntimeError> {
		for (lrt, limits) in MarketLimits::<T>::iter() {
			if limits.ltv >= limits.liquidation_threshold {
				return Err("Risk: market limits with an LTV not below the threshold".into());
			}
			if limits.liquidation_threshold >= Perbill::one() {
				return Err("Risk: market limits with a liquidation threshold of 100 %".into());
			}
			if !Scores::<T>::contains_key(lrt) {
				return Err("Risk: market limits without an accepted score".into());
			}
		}
		Ok(())
	}
}
