//! The historical session manager: collator-selection's validator lists, each validator
//! identified by `()`, with the historical roots pruned to `HistoryDepth` sessions.

use crate::pallet::*;
use alloc::vec::Vec;
use core::marker::PhantomData;
use frame_support::traits::Get;
use pallet_session::historical;
use sp_runtime::traits::Convert;
use sp_staking::SessionIndex;

/// `pallet_session::historical::NoteHistoricalRoot` needs a
/// `historical::SessionManager<ValidatorId, FullIdentification>`; collator-selection implements
/// only `pallet_session::SessionManager`. This forwards every call to `Inner`, pairs each
/// validator with the identification `()`, refuses a new set in which no validator has session
/// keys (the current set stays: `KeylessSetRefused`), records the planned candidates' bonds at
/// stake ([`BondsAtStake`]), and at the start of session `i` prunes the historical roots (and
/// [`Punished`] records) of sessions before `i - HistoryDepth` (nothing else would: staking
/// normally does it) and releases the bonds no longer at stake.
///
/// Runtime: `type SessionManager = pallet_session::historical::NoteHistoricalRoot<Runtime,
/// SessionManagerWithHistory<Runtime, CollatorSelection>>;`
pub struct SessionManagerWithHistory<T, Inner>(PhantomData<(T, Inner)>);

impl<T, Inner> pallet_session::SessionManager<T::AccountId> for SessionManagerWithHistory<T, Inner>
where
	T: Config,
	Inner: pallet_session::SessionManager<T::AccountId>,
{
	fn new_session(new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		let next = Pallet::<T>::unless_keyless(Inner::new_session(new_index), new_index);
		// Recorded when planned, not when started: a candidate that leaves in between still
		// validates the session (pallet-session queued its keys).
		match &next {
			Some(validators) => Pallet::<T>::record_bonds_at_stake(validators, new_index, false),
			// pallet-session keeps the current validators for the session.
			None => Pallet::<T>::record_bonds_at_stake(
				&pallet_session::Validators::<T>::get(),
				new_index,
				true,
			),
		}
		next
	}

	fn new_session_genesis(new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		Inner::new_session_genesis(new_index)
	}

	fn end_session(end_index: SessionIndex) {
		Inner::end_session(end_index)
	}

	fn start_session(start_index: SessionIndex) {
		Inner::start_session(start_index);
		Pallet::<T>::prune_history(start_index);
		Pallet::<T>::release_bonds_no_longer_at_stake(start_index);
	}
}

impl<T, Inner> historical::SessionManager<T::AccountId, ()> for SessionManagerWithHistory<T, Inner>
where
	T: Config,
	Inner: pallet_session::SessionManager<T::AccountId>,
{
	fn new_session(new_index: SessionIndex) -> Option<Vec<(T::AccountId, ())>> {
		<Self as pallet_session::SessionManager<T::AccountId>>::new_session(new_index)
			.map(with_unit_identification)
	}

	fn new_session_genesis(new_index: SessionIndex) -> Option<Vec<(T::AccountId, ())>> {
		Inner::new_session_genesis(new_index).map(with_unit_identification)
	}

	fn start_session(start_index: SessionIndex) {
		<Self as pallet_session::SessionManager<T::AccountId>>::start_session(start_index)
	}

	fn end_session(end_index: SessionIndex) {
		Inner::end_session(end_index)
	}
}

fn with_unit_identification<AccountId>(validators: Vec<AccountId>) -> Vec<(AccountId, ())> {
	validators.into_iter().map(|validator| (validator, ())).collect()
}

/// Every session validator is identified by `()`: without staking there is no exposure to
/// record. pallet-session's historical part calls it only for the session's validators.
///
/// Runtime: `pallet_session::historical::Config::FullIdentificationOf = UnitIdentification`.
pub struct UnitIdentification;

impl<AccountId> Convert<AccountId, Option<()>> for UnitIdentification {
	fn convert(_: AccountId) -> Option<()> {
		Some(())
	}
}

impl<T: Config> Pallet<T> {
	/// `next` unless it has no validator with session keys: pallet-session would queue an
	/// empty set of keys and hand Aura and GRANDPA no authorities from session `session` on.
	/// `None` keeps the current set (and emits `KeylessSetRefused`).
	pub(crate) fn unless_keyless(
		next: Option<Vec<T::AccountId>>,
		session: SessionIndex,
	) -> Option<Vec<T::AccountId>> {
		let next = next?;
		if next.iter().any(pallet_session::NextKeys::<T>::contains_key) {
			return Some(next);
		}
		log::warn!(
			target: "runtime::validator-set",
			"no validator of session {session}'s set has session keys: the current set stays"
		);
		Self::deposit_event(Event::KeylessSetRefused { session });
		None
	}

	/// The oldest session whose offences can still be proven at session `current`: the
	/// historical roots of earlier ones are pruned. 0 while fewer than `HistoryDepth` sessions
	/// have passed.
	pub fn oldest_provable_session(current: SessionIndex) -> SessionIndex {
		current.saturating_sub(T::HistoryDepth::get())
	}

	/// At the start of session `current`: drops the historical roots of sessions before
	/// `current - HistoryDepth` and the [`Punished`] records of the session that just aged out
	/// (older ones were dropped at earlier rotations, and the offence handler records none).
	pub(crate) fn prune_history(current: SessionIndex) {
		let oldest = Self::oldest_provable_session(current);
		if oldest == 0 {
			return;
		}
		historical::Pallet::<T>::prune_up_to(oldest);
		// At most one record per validator of that session.
		let _ = Punished::<T>::clear_prefix(oldest - 1, u32::MAX, None);
	}
}
