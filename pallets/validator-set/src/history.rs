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
/// validator with the identification `()`, and at the start of session `i` prunes the
/// historical roots (and [`Punished`] records) of sessions before `i - HistoryDepth` (nothing
/// else would: staking normally does it).
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
		Inner::new_session(new_index)
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
	}
}

impl<T, Inner> historical::SessionManager<T::AccountId, ()> for SessionManagerWithHistory<T, Inner>
where
	T: Config,
	Inner: pallet_session::SessionManager<T::AccountId>,
{
	fn new_session(new_index: SessionIndex) -> Option<Vec<(T::AccountId, ())>> {
		Inner::new_session(new_index).map(with_unit_identification)
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
