//! Weights of the pallet's hooks and handler, counted from their storage accesses at the
//! runtime's `DbWeight`: the pallet has no calls, so nothing is benchmarked.
//!
//! - Rotation blocks (where `SessionManagerWithHistory` prunes) are charged the whole block by
//!   pallet-session, so the pruning needs no weight of its own.
//! - pallet-offences ignores the weight `on_offence` returns: the reporting call (GRANDPA's
//!   `report_equivocation`) pays with its own weight. [`on_offence`] is an upper bound for
//!   callers that want it.

use frame_support::{pallet_prelude::Weight, traits::Get};

/// One read of `SessionPeriod`: what `ShouldEndSession` costs pallet-session's `on_initialize`
/// in every block (booked by this pallet's `on_initialize`).
pub fn should_end_session<T: frame_system::Config>() -> Weight {
	read_session_period::<T>()
}

/// One read of `SessionPeriod`: what each `EstimateNextSessionRotation` estimate returns.
pub fn read_session_period<T: frame_system::Config>() -> Weight {
	T::DbWeight::get().reads(1)
}

/// Reads per offender, at most: `Punished`, the session's `Validators` and `DisabledValidators`
/// (disabling), `CandidateList`, `Invulnerables`, `BondsAtStake`, the offender's account and
/// holds, the `Slash` destination's account, the total issuance.
pub const READS_PER_OFFENDER: u64 = 10;
/// Writes per offender, at most: `Punished`, `DisabledValidators`, `CandidateList`,
/// `Invulnerables`, `LastAuthoredBlock`, `BondsAtStake`, the offender's account and holds, the
/// `Slash` destination's account, the total issuance.
pub const WRITES_PER_OFFENDER: u64 = 10;

/// `on_offence` with `offenders` offenders: the session index, then each offender's reads and
/// writes at most.
pub fn on_offence<T: frame_system::Config>(offenders: u32) -> Weight {
	let db = T::DbWeight::get();
	db.reads(1).saturating_add(
		db.reads_writes(READS_PER_OFFENDER, WRITES_PER_OFFENDER).saturating_mul(offenders.into()),
	)
}
