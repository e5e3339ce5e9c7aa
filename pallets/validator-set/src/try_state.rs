//! The pallet's books, checked after every unit test (`ExtBuilder::build_and_execute`) and by
//! `try-runtime`'s `try_state` hook.
//!
//! The historical-root check assumes the runtime wires [`crate::SessionManagerWithHistory`] as
//! the session manager (the pallet is pointless otherwise). A chain adding the pallet by a runtime
//! upgrade keeps older roots until its first rotation prunes them.

use crate::{pallet::*, CurrencyOf};
use frame_support::{
	ensure,
	traits::{Get, ReservableCurrency},
};
use pallet_collator_selection::CandidateList;
use sp_runtime::{traits::Zero, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// Checks the pallet's storage and the part of its neighbours it maintains:
	///
	/// - `SessionPeriod` is not zero;
	/// - no `Punished` record is of a session older than `current - HistoryDepth`;
	/// - no historical root is of a session older than `current - HistoryDepth`;
	/// - every candidate has at least its recorded deposit reserved;
	/// - every `BondsAtStake` record ends between the current session and `current +
	///   HistoryDepth + 1` (expired ones are released at each rotation; the next session, planned
	///   at this one's start, is provable until `current + 1 + HistoryDepth`); its earlier bond
	///   is larger and ends before it; its hold is no larger than what it keeps at stake.
	///
	/// Each failed check returns its own error; nothing panics.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		ensure!(!SessionPeriod::<T>::get().is_zero(), "SessionPeriod is zero");

		let current = pallet_session::Pallet::<T>::current_index();
		let oldest = Self::oldest_provable_session(current);
		for (session, _who, ()) in Punished::<T>::iter() {
			ensure!(session >= oldest, "a Punished record is older than HistoryDepth");
		}

		if let Some((first, _end)) = pallet_session::historical::StoredRange::<T>::get() {
			ensure!(first >= oldest, "a historical root is older than HistoryDepth");
		}

		for candidate in CandidateList::<T>::get() {
			ensure!(
				CurrencyOf::<T>::reserved_balance(&candidate.who) >= candidate.deposit,
				"a candidate's reserved balance is below its recorded deposit"
			);
		}
		// Session `current + 1` was planned at the start of `current`.
		let latest = current.saturating_add(1).saturating_add(T::HistoryDepth::get());
		for (who, bond) in BondsAtStake::<T>::iter() {
			ensure!(bond.until >= current, "a bond at stake outlived its provable sessions");
			ensure!(bond.until <= latest, "a bond at stake ends after current + 1 + HistoryDepth");
			if let Some(earlier) = bond.earlier {
				ensure!(earlier.amount > bond.amount, "an earlier bond at stake is not larger");
				ensure!(earlier.until < bond.until, "an earlier bond at stake ends after the last");
			}
			ensure!(
				Self::bond_held(&who) <= bond.at_stake(),
				"more is held for a bond than it keeps at stake"
			);
		}
		Ok(())
	}
}
