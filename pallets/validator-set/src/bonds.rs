//! Bonds kept at stake: collator-selection unreserves a candidate's bond as soon as it leaves
//! (`leave_intent`), is kicked, is outbid (`take_candidate_slot`), becomes an invulnerable or
//! lowers it (`update_bond`), but an equivocation it signed stays provable for `HistoryDepth`
//! sessions.
//!
//! - When pallet-session plans session `i`, each planned validator that is a candidate gets a
//!   record ([`BondsAtStake`]) of its bond, provable until `i + HistoryDepth`.
//! - collator-selection's currency is [`CurrencyKeepingBondsAtStake`]: what it unreserves from an
//!   account with a record goes on hold ([`HoldReason::BondAtStake`]) instead of back to the
//!   free balance, up to what the record keeps at stake. Only this pallet releases that hold: it
//!   cannot be moved into another hold or reserve, spent or transferred, and it is slashed
//!   (`DepartedCandidateSlashed`).
//! - At the start of each session the records whose sessions are no longer provable are removed
//!   and their holds released; a hold above what is at stake beyond the candidate's current
//!   deposit is released too.

use crate::{pallet::*, BalanceOf, CurrencyOf};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::marker::PhantomData;
use frame_support::traits::{
	fungible::{Inspect, InspectHold, MutateHold},
	tokens::{Fortitude, Precision, Preservation},
	BalanceStatus, Currency, ExistenceRequirement, Get, ReservableCurrency, SignedImbalance,
	WithdrawReasons,
};
use pallet_collator_selection::{CandidateList, Invulnerables};
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchError, DispatchResult,
};
use sp_staking::SessionIndex;

/// A larger bond of earlier sessions, still provable until `until`.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct EarlierBond<Balance> {
	/// The largest bond of those sessions.
	pub amount: Balance,
	/// The last session in which an offence of the last of them is provable.
	pub until: SessionIndex,
}

/// A recent validator's bond kept at stake ([`BondsAtStake`]).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct BondAtStake<Balance> {
	/// Its bond when its last planned session was planned.
	pub amount: Balance,
	/// The last session in which an offence of its last planned session is provable: that
	/// session plus `HistoryDepth`. The record goes at the start of the next one.
	pub until: SessionIndex,
	/// A larger bond it validated with before lowering it, kept at stake until its own end
	/// (earlier than `until`). Two lowerings within `HistoryDepth` sessions merge into one, the
	/// larger amount until the later end: it errs on keeping more, never less.
	pub earlier: Option<EarlierBond<Balance>>,
}

impl<Balance: Copy + Ord + Zero> BondAtStake<Balance> {
	/// A first planned session with `amount`, provable until `until`.
	pub fn new(amount: Balance, until: SessionIndex) -> Self {
		Self { amount, until, earlier: None }
	}

	/// What is at stake: the largest bond of the sessions still provable.
	pub fn at_stake(&self) -> Balance {
		self.earlier.map_or(self.amount, |earlier| earlier.amount.max(self.amount))
	}

	/// The record after one more planned session with bond `amount`, provable until `until`.
	pub fn planned(self, amount: Balance, until: SessionIndex) -> Self {
		let earlier = if amount >= self.amount {
			// The last bond is covered by the new one; a larger earlier one stays.
			self.earlier.filter(|earlier| earlier.amount > amount)
		} else {
			// Lowered: the last bond stays at stake until its sessions age out.
			Some(EarlierBond { amount: self.at_stake(), until: self.until })
		};
		Self { amount, until, earlier }
	}

	/// The record at session `current`, without what aged out; `None` once all of it did.
	pub fn at_session(self, current: SessionIndex) -> Option<Self> {
		if self.until < current {
			return None;
		}
		Some(Self { earlier: self.earlier.filter(|earlier| earlier.until >= current), ..self })
	}
}

impl<T: Config> Pallet<T> {
	/// The hold of bonds at stake, as the runtime's hold reason.
	fn bond_hold() -> T::RuntimeHoldReason {
		HoldReason::BondAtStake.into()
	}

	/// When session `planned` is planned with `validators`: each one that is a candidate and has
	/// session keys (pallet-session leaves out a planned validator without) has its bond
	/// recorded at stake until `planned + HistoryDepth`. A validator of a kept set
	/// (`kept`: the current validators again, after a refused set) that left the candidates
	/// keeps what it had at stake for that session too; an invulnerable's bond backs nothing.
	pub(crate) fn record_bonds_at_stake(
		validators: &[T::AccountId],
		planned: SessionIndex,
		kept: bool,
	) {
		let candidates = CandidateList::<T>::get();
		let invulnerables = Invulnerables::<T>::get();
		let until = planned.saturating_add(T::HistoryDepth::get());
		for validator in validators {
			if !pallet_session::NextKeys::<T>::contains_key(validator) {
				continue;
			}
			let deposit = candidates.iter().find(|c| &c.who == validator).map(|c| c.deposit);
			let record = BondsAtStake::<T>::get(validator);
			let planned = match (deposit, record) {
				(Some(deposit), None) => BondAtStake::new(deposit, until),
				(Some(deposit), Some(bond)) => bond.planned(deposit, until),
				(None, Some(bond)) if kept && !invulnerables.contains(validator) => {
					bond.planned(bond.amount, until)
				},
				(None, _) => continue,
			};
			BondsAtStake::<T>::insert(validator, planned);
		}
	}

	/// At the start of session `current`: drops what aged out of each record (releasing the
	/// hold of a record that is gone) and releases a hold above what is at stake beyond the
	/// account's current candidacy deposit (a candidate that registered again, or raised and
	/// lowered its bond within a session).
	pub(crate) fn release_bonds_no_longer_at_stake(current: SessionIndex) {
		let candidates = CandidateList::<T>::get();
		let records: Vec<_> = BondsAtStake::<T>::iter().collect();
		for (who, bond) in records {
			let Some(current_bond) = bond.at_session(current) else {
				Self::release_bond(&who);
				continue;
			};
			if current_bond != bond {
				BondsAtStake::<T>::insert(&who, current_bond);
			}
			let bond = current_bond;
			let deposit = candidates
				.iter()
				.find(|c| c.who == who)
				.map(|c| c.deposit)
				.unwrap_or_else(Zero::zero);
			let needed = bond.at_stake().saturating_sub(deposit);
			let held = Self::bond_held(&who);
			if held > needed {
				Self::release_held(&who, held.saturating_sub(needed));
			}
		}
	}

	/// What collator-selection unreserved from `who`: the part of it still at stake (beyond
	/// what is already on hold) goes on hold, as much as the account can (its existential
	/// deposit stays free).
	pub(crate) fn hold_unreserved_bond(who: &T::AccountId, unreserved: BalanceOf<T>) {
		let Some(bond) = BondsAtStake::<T>::get(who) else { return };
		let reducible =
			T::BondCurrency::reducible_balance(who, Preservation::Protect, Fortitude::Force);
		let to_hold =
			unreserved.min(bond.at_stake().saturating_sub(Self::bond_held(who))).min(reducible);
		if to_hold.is_zero() {
			return;
		}
		if let Err(error) = T::BondCurrency::hold(&Self::bond_hold(), who, to_hold) {
			// Only a full hold list fails here (the amount is reducible): the funds stay free.
			log::error!(
				target: "runtime::validator-set",
				"could not keep {to_hold:?} of {who:?}'s bond at stake: {error:?}"
			);
		}
	}

	/// What `who` keeps at stake now (nothing once released or punished).
	pub fn bond_at_stake(who: &T::AccountId) -> Option<BalanceOf<T>> {
		BondsAtStake::<T>::get(who).map(|bond| bond.at_stake())
	}

	/// What is on hold for `who`'s bond at stake.
	pub fn bond_held(who: &T::AccountId) -> BalanceOf<T> {
		T::BondCurrency::balance_on_hold(&Self::bond_hold(), who)
	}

	/// Slashes up to `amount` from `who`: what is on hold for its bond at stake first (released
	/// into its free balance, then slashed from there), the rest from its free balance.
	pub(crate) fn slash_bond_at_stake(
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> crate::NegativeImbalanceOf<T> {
		Self::release_held(who, amount);
		CurrencyOf::<T>::slash(who, amount).0
	}

	/// Removes `who`'s record and releases its hold.
	pub(crate) fn release_bond(who: &T::AccountId) {
		BondsAtStake::<T>::remove(who);
		let held = Self::bond_held(who);
		Self::release_held(who, held);
	}

	/// Releases up to `amount` of `who`'s hold into its free balance.
	fn release_held(who: &T::AccountId, amount: BalanceOf<T>) {
		if amount.is_zero() {
			return;
		}
		// Best effort: releases at most what is held, and a hold never fails to release.
		let _ = T::BondCurrency::release(&Self::bond_hold(), who, amount, Precision::BestEffort);
	}
}

/// collator-selection's currency (the runtime: `CurrencyKeepingBondsAtStake<Runtime>`):
/// `T::BondCurrency` in every respect but `unreserve`, which puts the part of a recent
/// validator's bond that is still at stake on hold ([`HoldReason::BondAtStake`]).
pub struct CurrencyKeepingBondsAtStake<T>(PhantomData<T>);

type BalanceOfBond<T> =
	<<T as Config>::BondCurrency as Currency<<T as frame_system::Config>::AccountId>>::Balance;
type PositiveOf<T> = <<T as Config>::BondCurrency as Currency<
	<T as frame_system::Config>::AccountId,
>>::PositiveImbalance;
type NegativeOf<T> = <<T as Config>::BondCurrency as Currency<
	<T as frame_system::Config>::AccountId,
>>::NegativeImbalance;

impl<T: Config> Currency<T::AccountId> for CurrencyKeepingBondsAtStake<T> {
	type Balance = BalanceOfBond<T>;
	type PositiveImbalance = PositiveOf<T>;
	type NegativeImbalance = NegativeOf<T>;

	fn total_balance(who: &T::AccountId) -> Self::Balance {
		<T::BondCurrency as Currency<_>>::total_balance(who)
	}
	fn can_slash(who: &T::AccountId, value: Self::Balance) -> bool {
		<T::BondCurrency as Currency<_>>::can_slash(who, value)
	}
	fn total_issuance() -> Self::Balance {
		<T::BondCurrency as Currency<_>>::total_issuance()
	}
	fn minimum_balance() -> Self::Balance {
		<T::BondCurrency as Currency<_>>::minimum_balance()
	}
	fn burn(amount: Self::Balance) -> Self::PositiveImbalance {
		<T::BondCurrency as Currency<_>>::burn(amount)
	}
	fn issue(amount: Self::Balance) -> Self::NegativeImbalance {
		<T::BondCurrency as Currency<_>>::issue(amount)
	}
	fn free_balance(who: &T::AccountId) -> Self::Balance {
		<T::BondCurrency as Currency<_>>::free_balance(who)
	}
	fn ensure_can_withdraw(
		who: &T::AccountId,
		amount: Self::Balance,
		reasons: WithdrawReasons,
		new_balance: Self::Balance,
	) -> DispatchResult {
		<T::BondCurrency as Currency<_>>::ensure_can_withdraw(who, amount, reasons, new_balance)
	}
	fn transfer(
		source: &T::AccountId,
		dest: &T::AccountId,
		value: Self::Balance,
		existence_requirement: ExistenceRequirement,
	) -> DispatchResult {
		<T::BondCurrency as Currency<_>>::transfer(source, dest, value, existence_requirement)
	}
	fn slash(who: &T::AccountId, value: Self::Balance) -> (Self::NegativeImbalance, Self::Balance) {
		<T::BondCurrency as Currency<_>>::slash(who, value)
	}
	fn deposit_into_existing(
		who: &T::AccountId,
		value: Self::Balance,
	) -> Result<Self::PositiveImbalance, DispatchError> {
		<T::BondCurrency as Currency<_>>::deposit_into_existing(who, value)
	}
	fn deposit_creating(who: &T::AccountId, value: Self::Balance) -> Self::PositiveImbalance {
		<T::BondCurrency as Currency<_>>::deposit_creating(who, value)
	}
	fn withdraw(
		who: &T::AccountId,
		value: Self::Balance,
		reasons: WithdrawReasons,
		liveness: ExistenceRequirement,
	) -> Result<Self::NegativeImbalance, DispatchError> {
		<T::BondCurrency as Currency<_>>::withdraw(who, value, reasons, liveness)
	}
	fn make_free_balance_be(
		who: &T::AccountId,
		balance: Self::Balance,
	) -> SignedImbalance<Self::Balance, Self::PositiveImbalance> {
		<T::BondCurrency as Currency<_>>::make_free_balance_be(who, balance)
	}
}

impl<T: Config> ReservableCurrency<T::AccountId> for CurrencyKeepingBondsAtStake<T> {
	fn can_reserve(who: &T::AccountId, value: Self::Balance) -> bool {
		<T::BondCurrency as ReservableCurrency<_>>::can_reserve(who, value)
	}
	fn slash_reserved(
		who: &T::AccountId,
		value: Self::Balance,
	) -> (Self::NegativeImbalance, Self::Balance) {
		<T::BondCurrency as ReservableCurrency<_>>::slash_reserved(who, value)
	}
	fn reserved_balance(who: &T::AccountId) -> Self::Balance {
		<T::BondCurrency as ReservableCurrency<_>>::reserved_balance(who)
	}
	fn reserve(who: &T::AccountId, value: Self::Balance) -> DispatchResult {
		<T::BondCurrency as ReservableCurrency<_>>::reserve(who, value)
	}
	/// Unreserves, then keeps on hold what of it is still at stake.
	fn unreserve(who: &T::AccountId, value: Self::Balance) -> Self::Balance {
		let not_unreserved = <T::BondCurrency as ReservableCurrency<_>>::unreserve(who, value);
		Pallet::<T>::hold_unreserved_bond(who, value.saturating_sub(not_unreserved));
		not_unreserved
	}
	fn repatriate_reserved(
		slashed: &T::AccountId,
		beneficiary: &T::AccountId,
		value: Self::Balance,
		status: BalanceStatus,
	) -> Result<Self::Balance, DispatchError> {
		<T::BondCurrency as ReservableCurrency<_>>::repatriate_reserved(
			slashed,
			beneficiary,
			value,
			status,
		)
	}
}
