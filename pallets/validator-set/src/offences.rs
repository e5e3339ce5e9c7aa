//! The offence handler for pallet-offences (GRANDPA and BEEFY equivocations): disable the offender for
//! the rest of the session, slash and eject a candidate, unseat an invulnerable, never below
//! collator-selection's `MinEligibleCollators`, and each offender once per session.

use crate::{pallet::*, weights, BalanceOf, CurrencyOf};
use frame_support::{
	pallet_prelude::Weight,
	traits::{DisabledValidators, Get, Imbalance, OnUnbalanced, ReservableCurrency},
};
use pallet_collator_selection::{CandidateList, Invulnerables, LastAuthoredBlock};
use sp_runtime::{traits::Saturating, Perbill};
use sp_staking::{
	offence::{OffenceDetails, OffenceSeverity, OnOffenceHandler},
	SessionIndex,
};

/// Runtime: `pallet_offences::Config::OnOffenceHandler = ValidatorSet` (the offender is
/// `pallet_session::historical::IdentificationTuple<Runtime>` = `(AccountId, ())`).
///
/// pallet-offences calls this with every offender reported so far for the same offence kind and
/// time slot, each time a new one is reported, and ignores the returned weight (the report's
/// call, e.g. GRANDPA's `report_equivocation`, pays for it). For each offender, in order:
///
/// 1. an offence older than `HistoryDepth` sessions is ignored (`StaleOffenceIgnored`);
/// 2. an offence of the current session asks pallet-session to disable the offender
///    (`report_offence`, severity = the offence's fraction; its `DisablingStrategy` decides, and
///    a repeated report only raises the severity); `OffenderDisabled` when it became disabled. An
///    offence of an earlier session disables nobody: the disabled list indexes the current set;
/// 3. unless [`Punished`] already records `(session, offender)`, it is recorded and punished:
///    a candidate is ejected from `CandidateList` and `max(fraction, MinSlash)` of the larger of
///    its recorded deposit and its bond at stake ([`BondsAtStake`]) is slashed to `Slash`, from
///    the deposit first, then from its hold of a bond at stake; the rest of the deposit is
///    unreserved and the hold released (`CandidateSlashed`); an invulnerable leaves
///    `Invulnerables` (`InvulnerableRemoved`); if the candidates and invulnerables together are
///    not above `MinEligibleCollators`, it stays, unslashed (`KeptToStayLive`). A candidate
///    that already left (even to become an invulnerable) but keeps a bond at stake is slashed
///    from it (`DepartedCandidateSlashed`), whatever the number of collators: that takes no
///    seat. Anyone else has nothing to lose (`NoBondToSlash`).
impl<T: Config> OnOffenceHandler<T::AccountId, (T::AccountId, ()), Weight> for Pallet<T> {
	fn on_offence(
		offenders: &[OffenceDetails<T::AccountId, (T::AccountId, ())>],
		slash_fraction: &[Perbill],
		session: SessionIndex,
	) -> Weight {
		let current = pallet_session::Pallet::<T>::current_index();
		let stale = session < Self::oldest_provable_session(current);
		for (i, details) in offenders.iter().enumerate() {
			let who = &details.offender.0;
			if stale {
				log::debug!(
					target: "runtime::validator-set",
					"offence of session {session} older than HistoryDepth (current {current}): ignored"
				);
				Self::deposit_event(Event::StaleOffenceIgnored { who: who.clone(), session });
				continue;
			}
			// pallet-offences gives one fraction per offender; a missing one counts as zero
			// (the offender still loses at least `MinSlash`).
			let fraction = slash_fraction.get(i).copied().unwrap_or_default();
			if session == current {
				Self::disable(who, fraction, session);
			}
			if !Punished::<T>::contains_key(session, who) {
				Punished::<T>::insert(session, who, ());
				Self::punish(who, fraction, session);
			}
		}
		weights::on_offence::<T>(offenders.len() as u32)
	}
}

impl<T: Config> Pallet<T> {
	/// Asks pallet-session to disable `who` in the current session.
	fn disable(who: &T::AccountId, fraction: Perbill, session: SessionIndex) {
		let index = pallet_session::Pallet::<T>::validator_id_to_index(who);
		let is_disabled =
			|| index.is_some_and(<pallet_session::Pallet<T> as DisabledValidators>::is_disabled);
		let was_disabled = is_disabled();
		pallet_session::Pallet::<T>::report_offence(who.clone(), OffenceSeverity(fraction));
		if !was_disabled && is_disabled() {
			Self::deposit_event(Event::OffenderDisabled { who: who.clone(), session });
		}
	}

	/// Ejects and slashes a candidate, unseats an invulnerable, unless that would leave fewer
	/// eligible collators than `MinEligibleCollators`.
	fn punish(who: &T::AccountId, fraction: Perbill, session: SessionIndex) {
		let is_candidate = CandidateList::<T>::get().iter().any(|c| &c.who == who);
		let is_invulnerable = Invulnerables::<T>::get().contains(who);
		if !is_candidate {
			match Self::bond_at_stake(who) {
				// Seated as an invulnerable since, it also loses its seat below.
				Some(at_stake) => Self::slash_departed(who, fraction, at_stake, session),
				None if !is_invulnerable => {
					Self::deposit_event(Event::NoBondToSlash { who: who.clone(), session });
					return;
				},
				None => {},
			}
		}
		// Set by `set_invulnerables`, an account may be both: it loses both.
		if is_candidate {
			if !Self::may_remove_collator() {
				Self::deposit_event(Event::KeptToStayLive { who: who.clone(), session });
				return;
			}
			Self::slash_and_eject(who, fraction, session);
		}
		if is_invulnerable {
			if !Self::may_remove_collator() {
				Self::deposit_event(Event::KeptToStayLive { who: who.clone(), session });
				return;
			}
			// `retain` keeps the list sorted, as collator-selection requires.
			Invulnerables::<T>::mutate(|seats| seats.retain(|seat| seat != who));
			Self::deposit_event(Event::InvulnerableRemoved { who: who.clone(), session });
		}
	}

	/// Whether one more collator may leave: candidates + invulnerables above
	/// `MinEligibleCollators` (collator-selection's own `leave_intent` rule).
	fn may_remove_collator() -> bool {
		let eligible = CandidateList::<T>::decode_len()
			.unwrap_or_default()
			.saturating_add(Invulnerables::<T>::decode_len().unwrap_or_default());
		eligible > <T as pallet_collator_selection::Config>::MinEligibleCollators::get() as usize
	}

	/// What collator-selection's private `try_remove_candidate` does, with a slash: removes
	/// `who` from `CandidateList` (the removal keeps it sorted) and `LastAuthoredBlock`, slashes
	/// `max(fraction, MinSlash)` of the larger of its recorded deposit and its bond at stake
	/// (a candidate that lowered its bond after validating) to `Slash`, from the deposit first
	/// and the rest from its hold of a bond at stake, unreserves what is left of the deposit
	/// (straight back: it is punished) and releases the rest of the hold. Never touches the
	/// account's other reserves and holds.
	fn slash_and_eject(who: &T::AccountId, fraction: Perbill, session: SessionIndex) {
		let removed = CandidateList::<T>::mutate(|candidates| {
			let position = candidates.iter().position(|c| &c.who == who)?;
			Some(candidates.remove(position))
		});
		let Some(candidate) = removed else { return };
		LastAuthoredBlock::<T>::remove(who);

		let deposit: BalanceOf<T> = candidate.deposit;
		let at_stake = Self::bond_at_stake(who).unwrap_or_default().max(deposit);
		let to_slash = fraction.max(T::MinSlash::get()).mul_floor(at_stake);
		let from_deposit = to_slash.min(deposit);
		let (mut imbalance, _) = CurrencyOf::<T>::slash_reserved(who, from_deposit);
		imbalance.subsume(Self::slash_bond_at_stake(who, to_slash.saturating_sub(from_deposit)));
		let slashed = imbalance.peek();
		T::Slash::on_unbalanced(imbalance);
		let rest = deposit.saturating_sub(from_deposit);
		let not_returned = T::BondCurrency::unreserve(who, rest);
		Self::release_bond(who);
		Self::deposit_event(Event::CandidateSlashed {
			who: who.clone(),
			session,
			slashed,
			returned: rest.saturating_sub(not_returned),
		});
	}

	/// Slashes `max(fraction, MinSlash)` of what a departed candidate kept at stake from its
	/// hold (and its free balance, if the hold fell short: an account short of its existential
	/// deposit when the bond came back), and releases the rest of the hold.
	fn slash_departed(
		who: &T::AccountId,
		fraction: Perbill,
		at_stake: BalanceOf<T>,
		session: SessionIndex,
	) {
		let to_slash = fraction.max(T::MinSlash::get()).mul_floor(at_stake);
		let imbalance = Self::slash_bond_at_stake(who, to_slash);
		let slashed = imbalance.peek();
		T::Slash::on_unbalanced(imbalance);
		Self::release_bond(who);
		Self::deposit_event(Event::DepartedCandidateSlashed { who: who.clone(), session, slashed });
	}
}
