//! The session length from storage: `pallet_session::PeriodicSessions` at offset 0, with the
//! period read from [`SessionPeriod`] instead of a compile-time constant.

use crate::{pallet::*, weights};
use frame_support::{
	pallet_prelude::Weight,
	traits::{EstimateNextSessionRotation, Get},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{One, Saturating, Zero},
	Permill,
};

impl<T: Config> Pallet<T> {
	/// Blocks per session. Never zero: a zero in storage (which genesis refuses and nothing
	/// writes) falls back to `DefaultSessionPeriod`, and that to 1, rather than dividing by zero.
	pub fn session_period() -> BlockNumberFor<T> {
		let stored = SessionPeriod::<T>::get();
		if !stored.is_zero() {
			return stored;
		}
		let default = T::DefaultSessionPeriod::get();
		if default.is_zero() {
			One::one()
		} else {
			default
		}
	}
}

/// A session ends at every block whose number is a multiple of the period.
impl<T: Config> pallet_session::ShouldEndSession<BlockNumberFor<T>> for Pallet<T> {
	fn should_end_session(now: BlockNumberFor<T>) -> bool {
		(now % Self::session_period()).is_zero()
	}
}

/// `PeriodicSessions<SessionPeriod, 0>`'s estimates, each reporting its one read.
impl<T: Config> EstimateNextSessionRotation<BlockNumberFor<T>> for Pallet<T> {
	fn average_session_length() -> BlockNumberFor<T> {
		Self::session_period()
	}

	/// `(now % period + 1) / period`: the current block counts as elapsed, so the last block of
	/// a session is at 100 % and 0 % is never returned.
	fn estimate_current_session_progress(now: BlockNumberFor<T>) -> (Option<Permill>, Weight) {
		let period = Self::session_period();
		let current = (now % period).saturating_add(One::one());
		(Some(Permill::from_rational(current, period)), weights::read_session_period::<T>())
	}

	/// The next block after `now` whose number is a multiple of the period; at a rotation block
	/// the one a period later (as `PeriodicSessions`, this assumes pallet-session's
	/// `on_initialize` already rotated). Block 0 gives 0.
	fn estimate_next_session_rotation(
		now: BlockNumberFor<T>,
	) -> (Option<BlockNumberFor<T>>, Weight) {
		let period = Self::session_period();
		let next = if now.is_zero() {
			now
		} else {
			let into_session = now % period;
			if into_session.is_zero() {
				now.saturating_add(period)
			} else {
				now.saturating_add(period.saturating_sub(into_session))
			}
		};
		(Some(next), weights::read_session_period::<T>())
	}
}
