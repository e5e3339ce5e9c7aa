//! # Validator set
//!
//! Ballast's validators are chosen by `pallet-collator-selection` (governance's invulnerables and
//! permissionless candidates with a bond) and rotated by `pallet-session`, without
//! `pallet-staking`. Upstream leaves three pieces of glue to staking; this pallet provides them:
//!
//! 1. **The session length, set at genesis** ([`SessionPeriod`]): `Pallet<T>` is the session's
//!    `ShouldEndSession` and `NextSessionRotation`, with the semantics of
//!    `pallet_session::PeriodicSessions` at offset 0, but the period is read from storage, so one
//!    runtime build serves a test network with short sessions and production with one-hour ones.
//! 2. **The historical session manager** ([`SessionManagerWithHistory`]): adapts
//!    collator-selection's `pallet_session::SessionManager` to the
//!    `pallet_session::historical::SessionManager` that `NoteHistoricalRoot` requires (each
//!    validator identified by `()`, [`UnitIdentification`]) and prunes the historical roots (and
//!    this pallet's [`Punished`] records) older than `HistoryDepth` sessions, which staking would
//!    otherwise do.
//! 3. **The offence handler** (`sp_staking::offence::OnOffenceHandler`, for `pallet-offences`):
//!    an offender of the current session is disabled for the rest of it; a bonded candidate is
//!    slashed (at least `MinSlash` of its bond, to `T::Slash`) and ejected from the candidates; an
//!    invulnerable loses its seat; never below collator-selection's `MinEligibleCollators`. Each
//!    offender is punished once per session ([`Punished`]).
//! 4. **Bonds kept at stake** ([`BondsAtStake`]): collator-selection returns a bond at once on
//!    `leave_intent` (or when a candidate is kicked, outbid, seated as an invulnerable or lowers
//!    its bond), while an equivocation of its last sessions stays provable for `HistoryDepth`
//!    sessions. Each candidate planned into a session has its bond recorded at stake until that
//!    session plus `HistoryDepth`; collator-selection's currency
//!    ([`CurrencyKeepingBondsAtStake`]) puts what it unreserves from such an account on hold
//!    ([`HoldReason::BondAtStake`]) instead, where only this pallet releases or slashes it
//!    (`DepartedCandidateSlashed`).
//! 5. **No keyless set**: a new set in which no validator has session keys would hand Aura and
//!    GRANDPA no authorities and halt the chain (every key purged with `session.purge_keys`);
//!    the current set stays instead (`KeylessSetRefused`).
//!
//! The pallet has no calls (so no benchmarks): the period is fixed at genesis (see the README for
//! why), and everything else runs inside pallet-session's rotation and pallet-offences' reports.
//!
//! ## Invariants
//!
//! Checked by `Pallet::do_try_state` after every unit test and by `try-runtime`:
//!
//! - the session period is not zero;
//! - no [`Punished`] record and no historical root is older than `HistoryDepth` sessions;
//! - every collator-selection candidate still has its recorded deposit reserved (a slash never
//!   takes more than the slashed candidate's deposit, and the rest is unreserved);
//! - every [`BondsAtStake`] record is still provable (`until` not before the current session)
//!   and no later than `current + 1 + HistoryDepth` (the next session is planned at the start
//!   of this one); its earlier bond, if any, is larger and ends
//!   before it; no hold of a bond at stake is larger than the record's amount at stake.
//!
//! ## Files
//!
//! - `lib.rs`: the FRAME parts: config, storage, genesis, events, hooks;
//! - `session.rs`: `ShouldEndSession` and `EstimateNextSessionRotation` over [`SessionPeriod`];
//! - `history.rs`: [`SessionManagerWithHistory`], [`UnitIdentification`] and the pruning;
//! - `offences.rs`: the `OnOffenceHandler`: disabling, slashing, ejecting;
//! - `bonds.rs`: [`BondsAtStake`], [`CurrencyKeepingBondsAtStake`]: the bonds kept on hold
//!   after a session, their slashing and their release;
//! - `try_state.rs`: `do_try_state`, the invariants above;
//! - `weights.rs`: the storage reads and writes the hooks and the handler report;
//! - `mock.rs`, `tests/`.
//!
//! See `pallets/validator-set/README.md` for the rules and how the runtime wires the pieces.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod bonds;
mod history;
#[cfg(test)]
mod mock;
mod offences;
mod session;
#[cfg(test)]
mod tests;
mod try_state;
pub mod weights;

pub use bonds::{BondAtStake, CurrencyKeepingBondsAtStake, EarlierBond};
pub use history::{SessionManagerWithHistory, UnitIdentification};

use frame_support::traits::Currency;

/// The currency of collator-selection's bonds.
pub type CurrencyOf<T> = <T as pallet_collator_selection::Config>::Currency;
/// An amount of [`CurrencyOf`].
pub type BalanceOf<T> =
	<CurrencyOf<T> as Currency<<T as frame_system::Config>::AccountId>>::Balance;
/// Funds slashed from a candidate's bond, handed to `Config::Slash`.
pub type NegativeImbalanceOf<T> =
	<CurrencyOf<T> as Currency<<T as frame_system::Config>::AccountId>>::NegativeImbalance;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible, OnUnbalanced, ReservableCurrency},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{traits::Zero, Perbill};
	use sp_staking::SessionIndex;

	/// The validator-set pallet.
	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// The pallet's configuration. The runtime's session must use this pallet's pieces:
	/// `ShouldEndSession = NextSessionRotation = ValidatorSet`, `SessionManager =
	/// NoteHistoricalRoot<Runtime, SessionManagerWithHistory<Runtime, CollatorSelection>>`,
	/// `FullIdentificationOf = UnitIdentification`, and pallet-offences `OnOffenceHandler =
	/// ValidatorSet`.
	#[pallet::config]
	pub trait Config:
		frame_system::Config<RuntimeEvent: From<Event<Self>>>
		+ pallet_session::Config<ValidatorId = <Self as frame_system::Config>::AccountId>
		+ pallet_session::historical::Config<FullIdentification = ()>
		+ pallet_collator_selection::Config
	{
		/// The session length, in blocks, of a chain whose genesis gives none (and of a chain
		/// that adds this pallet by a runtime upgrade). Not zero, and below collator-selection's
		/// `KickThreshold`.
		#[pallet::constant]
		type DefaultSessionPeriod: Get<BlockNumberFor<Self>>;
		/// How many past sessions stay provable: historical roots (and [`Punished`] records)
		/// of sessions older than `current - HistoryDepth` are pruned at each rotation, and
		/// offences of such sessions are ignored. Must be at least GRANDPA's
		/// `MaxSetIdSessionEntries` (one set id per session here), or equivocation reports that
		/// GRANDPA still accepts fail their key-ownership proof. Not zero.
		#[pallet::constant]
		type HistoryDepth: Get<SessionIndex>;
		/// The least part of an offending candidate's bond that is slashed, whatever the
		/// offence's own fraction (GRANDPA's is `min(1, (3k/n)²)` for `k` offenders of `n`).
		#[pallet::constant]
		type MinSlash: Get<Perbill>;
		/// Where slashed bonds go (the runtime: the treasury).
		type Slash: OnUnbalanced<NegativeImbalanceOf<Self>>;
		/// The currency behind collator-selection's (the runtime: `Balances`, with
		/// collator-selection's `Currency = CurrencyKeepingBondsAtStake<Runtime>`): its reserves
		/// hold the bonds, its holds what is kept at stake after they are unreserved.
		type BondCurrency: ReservableCurrency<Self::AccountId, Balance = BalanceOf<Self>>
			+ fungible::MutateHold<
				Self::AccountId,
				Balance = BalanceOf<Self>,
				Reason = Self::RuntimeHoldReason,
			>;
		/// The runtime's hold reasons, of which [`HoldReason::BondAtStake`] is one.
		type RuntimeHoldReason: From<HoldReason>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The part of a recent validator's bond that collator-selection returned while its
		/// sessions are still provable ([`BondsAtStake`]).
		#[codec(index = 0)]
		BondAtStake,
	}

	/// The default of [`SessionPeriod`]: `DefaultSessionPeriod`.
	#[pallet::type_value]
	pub fn DefaultPeriod<T: Config>() -> BlockNumberFor<T> {
		T::DefaultSessionPeriod::get()
	}

	/// Blocks per session: a session ends at every block whose number is a multiple of it
	/// (`PeriodicSessions` at offset 0). Set by genesis (always stored, so a runtime whose
	/// `DefaultSessionPeriod` changes does not move it); no call changes it.
	#[pallet::storage]
	pub type SessionPeriod<T: Config> =
		StorageValue<_, BlockNumberFor<T>, ValueQuery, DefaultPeriod<T>>;

	/// Offenders already punished (slashed, ejected, unseated, or kept to stay live) for an
	/// offence in a session: `(session, offender)`. pallet-offences reports every offender of a
	/// time slot again each time a new one is reported for it; these are not punished twice.
	/// Pruned with the historical roots (`HistoryDepth`).
	#[pallet::storage]
	pub type Punished<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		SessionIndex,
		Twox64Concat,
		T::AccountId,
		(),
		OptionQuery,
	>;

	/// The bond each recent validator keeps at stake: slashable, and on hold
	/// ([`HoldReason::BondAtStake`]) once collator-selection returns it, until session `until`
	/// (its last planned session plus `HistoryDepth`: the last session in which an offence of
	/// that session is provable). At most one record per candidate planned into the last
	/// `HistoryDepth` sessions.
	#[pallet::storage]
	pub type BondsAtStake<T: Config> =
		StorageMap<_, Twox64Concat, T::AccountId, BondAtStake<BalanceOf<T>>, OptionQuery>;

	/// The session length of a new chain.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Blocks per session; `DefaultSessionPeriod` if none. Not zero, and below
		/// collator-selection's `KickThreshold` (else a new candidate is kicked at the rotation
		/// that makes it a validator).
		pub session_period: Option<BlockNumberFor<T>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let period = self.session_period.unwrap_or_else(T::DefaultSessionPeriod::get);
			assert!(!period.is_zero(), "genesis session_period must not be zero");
			assert!(
				period < <T as pallet_collator_selection::Config>::KickThreshold::get(),
				"genesis session_period must be below collator-selection's KickThreshold: a new \
				 candidate would be kicked at the rotation that makes it a validator"
			);
			SessionPeriod::<T>::put(period);
		}
	}

	/// The pallet's events.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An offender of the current session was disabled for the rest of it (pallet-session's
		/// `DisablingStrategy` agreed).
		OffenderDisabled {
			/// The offending validator.
			who: T::AccountId,
			/// The session of the offence (the current one).
			session: SessionIndex,
		},
		/// An offending candidate's bond was slashed and it left the candidates.
		CandidateSlashed {
			/// The offending candidate.
			who: T::AccountId,
			/// The session of the offence.
			session: SessionIndex,
			/// What was slashed (sent to `Slash`): `max(fraction, MinSlash)` of the larger of
			/// its deposit and its bond at stake.
			slashed: BalanceOf<T>,
			/// What was unreserved: the rest of its deposit.
			returned: BalanceOf<T>,
		},
		/// An offending invulnerable lost its seat; governance may add it again.
		InvulnerableRemoved {
			/// The offending invulnerable.
			who: T::AccountId,
			/// The session of the offence.
			session: SessionIndex,
		},
		/// An offending candidate or invulnerable kept its place, unslashed, because removing it
		/// would leave fewer than collator-selection's `MinEligibleCollators`. It is only
		/// disabled (if the offence is of the current session). (An invulnerable that was a
		/// candidate recently is still slashed from the bond it kept at stake:
		/// `DepartedCandidateSlashed` before this event.)
		KeptToStayLive {
			/// The offender.
			who: T::AccountId,
			/// The session of the offence.
			session: SessionIndex,
		},
		/// The offender is neither a candidate nor an invulnerable and keeps no bond at stake
		/// (it never had a bond, or was already punished): nothing to slash, no seat to take.
		NoBondToSlash {
			/// The offender.
			who: T::AccountId,
			/// The session of the offence.
			session: SessionIndex,
		},
		/// An offence of a session older than `HistoryDepth` sessions: ignored (its record
		/// would already have been pruned, so it could be punished twice).
		StaleOffenceIgnored {
			/// The offender.
			who: T::AccountId,
			/// The session of the offence.
			session: SessionIndex,
		},
		/// An offender that left the candidates (or was kicked, outbid or seated as an
		/// invulnerable) after the offence was slashed from the bond it kept at stake
		/// ([`BondsAtStake`]), taken from its hold; its record is gone and the rest of the hold
		/// released.
		DepartedCandidateSlashed {
			/// The offender.
			who: T::AccountId,
			/// The session of the offence.
			session: SessionIndex,
			/// What was slashed (sent to `Slash`): `max(fraction, MinSlash)` of the bond at
			/// stake, from its hold, then from its free balance if the hold fell short.
			slashed: BalanceOf<T>,
		},
		/// The next session's set had no validator with session keys (all purged): the current
		/// set stays for the next session instead of halting block production and finality.
		KeylessSetRefused {
			/// The session the set was for.
			session: SessionIndex,
		},
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Books the read of [`SessionPeriod`] that pallet-session's `on_initialize` makes in
		/// every block through `ShouldEndSession` (pallet-session does not count it).
		fn on_initialize(_now: BlockNumberFor<T>) -> Weight {
			weights::should_end_session::<T>()
		}

		fn integrity_test() {
			assert!(!T::DefaultSessionPeriod::get().is_zero(), "DefaultSessionPeriod is zero");
			assert!(
				T::DefaultSessionPeriod::get()
					< <T as pallet_collator_selection::Config>::KickThreshold::get(),
				"DefaultSessionPeriod must be below collator-selection's KickThreshold"
			);
			assert!(T::HistoryDepth::get() > 0, "HistoryDepth is zero");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}
