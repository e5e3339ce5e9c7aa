//! The bodies of the calls (`do_*`, each called once its call checked the origin and the
//! arguments), the checks they share, the hooks' weights, the read-only helpers of the runtime
//! API, [`AggregateChanges`], which gathers what a call changes in the aggregates and writes
//! each key once, and [`HookCalls`], which counts the hooks a call told.

use crate::{
	math, Aggregates, BeaconBlockHeaderOf, Config, Credentials, CredentialsInfo, Error,
	EthereumForks, Event, GenesisValidatorsRoot, LrtAggregates, Pallet, ProofSlots, SlashingProof,
	StateAnchor, ValidatorRecord, ValidatorRecordProof, Validators, ValidatorsByLrt,
};
use alloc::collections::btree_map::BTreeMap;
use ballast_ethereum_proofs::{
	validator::{
		verify_balance_in_list, verify_balances_root, verify_validator, verify_validator_in_list,
		verify_validators_root,
	},
	Fork, ForkSchedule, Root, ValidatorFields,
};
use ballast_primitives::ethereum::{
	FinalizedBeaconBlocks, OnValidatorBalanceChanged, OnValidatorProofsApplied, OnValidatorSlashed,
};
use frame_support::{ensure, weights::Weight};
use sp_runtime::{DispatchError, DispatchResult, Saturating};

impl<T: Config> Pallet<T> {
	/// Registers `credentials` for `lrt` (the call checked that they are execution credentials).
	pub(crate) fn do_register_credentials(lrt: T::AssetId, credentials: Root) -> DispatchResult {
		ensure!(
			!Credentials::<T>::contains_key(credentials),
			Error::<T>::CredentialsAlreadyRegistered
		);
		Credentials::<T>::insert(credentials, CredentialsInfo { lrt, validators: 0 });
		Self::deposit_event(Event::CredentialsRegistered { lrt, credentials });
		Ok(())
	}

	/// Deregisters `credentials` of `lrt` when no tracked validator uses them.
	pub(crate) fn do_deregister_credentials(lrt: T::AssetId, credentials: Root) -> DispatchResult {
		let info = Credentials::<T>::get(credentials)
			.filter(|info| info.lrt == lrt)
			.ok_or(Error::<T>::CredentialsNotRegistered)?;
		ensure!(info.validators == 0, Error::<T>::CredentialsInUse);
		Credentials::<T>::remove(credentials);
		Self::deposit_event(Event::CredentialsDeregistered { lrt, credentials });
		Ok(())
	}

	/// The most the hooks may weigh for a call proving `proofs` validators: each proof tells one
	/// hook at most (the heavier one counted), then `OnValidatorProofsApplied` once.
	pub fn hooks_weight(proofs: u32) -> Weight {
		T::OnValidatorSlashed::weight()
			.max(T::OnValidatorBalanceChanged::weight())
			.saturating_mul(proofs.into())
			.saturating_add(T::OnValidatorProofsApplied::weight(proofs))
	}

	/// Verifies a batch of proofs below `anchor` (the call checked its size), then tracks or
	/// updates every validator in it and tells the hooks. All or nothing: everything is verified
	/// before anything is written. Returns the hooks' weight ([`HookCalls::finish`]).
	pub(crate) fn do_submit_validator_proofs(
		anchor: &StateAnchor,
		proofs: &[ValidatorRecordProof],
	) -> Result<Weight, DispatchError> {
		let (fork, slot) = Self::finalized_anchor(&anchor.header)?;
		let state_root = anchor.header.state_root;
		verify_validators_root(fork, state_root, anchor.validators_root, &anchor.validators_branch)
			.map_err(|_| Error::<T>::InvalidValidatorsRoot)?;
		verify_balances_root(fork, state_root, anchor.balances_root, &anchor.balances_branch)
			.map_err(|_| Error::<T>::InvalidBalancesRoot)?;

		// Verify everything before writing anything.
		let mut updates = BTreeMap::new();
		for proof in proofs {
			verify_validator_in_list(
				anchor.validators_root,
				proof.index,
				&proof.fields,
				&proof.validator_branch,
			)
			.map_err(|_| Error::<T>::InvalidValidatorProof)?;
			let balance = verify_balance_in_list(
				anchor.balances_root,
				proof.index,
				proof.balance_chunk,
				&proof.balance_branch,
			)
			.map_err(|_| Error::<T>::InvalidBalanceProof)?;
			let previous = Self::checked_update(proof.index, &proof.fields, slot)?;
			ensure!(
				updates.insert(proof.index, (proof.fields, balance, previous)).is_none(),
				Error::<T>::DuplicateValidator
			);
		}

		let count = updates.len() as u32;
		let mut changes = AggregateChanges::<T>::default();
		let mut hooks = HookCalls::default();
		for (index, (fields, balance, previous)) in updates {
			hooks.record(Self::apply(&mut changes, index, &fields, balance, slot, previous));
		}
		changes.flush();
		Self::deposit_event(Event::ValidatorsProven { slot, count });
		Ok(hooks.finish::<T>())
	}

	/// Verifies a slashed validator's record against `header`'s state root (the call checked
	/// that it shows `slashed`) and records the slash. A proof older than the stored record sets
	/// only the `slashed` flag. Returns the hooks' weight ([`HookCalls::finish`]).
	pub(crate) fn do_report_slashing(
		header: &BeaconBlockHeaderOf,
		proof: &SlashingProof,
	) -> Result<Weight, DispatchError> {
		let (fork, slot) = Self::finalized_anchor(header)?;
		verify_validator(fork, header.state_root, proof.index, &proof.fields, &proof.branch)
			.map_err(|_| Error::<T>::InvalidValidatorProof)?;

		let mut changes = AggregateChanges::<T>::default();
		let mut hooks = HookCalls::default();
		match Validators::<T>::get(proof.index) {
			Some(record) if record.slashed => return Err(Error::<T>::AlreadySlashed.into()),
			Some(record) if record.proven_at_slot >= slot => {
				// Older evidence: only the irreversible flag moves.
				let mut updated = record.clone();
				updated.slashed = true;
				changes.replace(Some(&record), Some(&updated));
				Self::write_record(proof.index, Some(record.lrt), Some(&updated));
				hooks.record(Some(Self::notify_slashed(&updated, proof.index, slot)));
			},
			existing => {
				let lrt = Self::lrt_of(&proof.fields)?;
				ensure!(
					existing.as_ref().is_none_or(|r| r.lrt == lrt),
					Error::<T>::UntrackedCredentials
				);
				// The balance is not proven here: keep the last proven one.
				let balance =
					existing.as_ref().map_or(proof.fields.effective_balance, |r| r.balance);
				hooks.record(Self::apply(
					&mut changes,
					proof.index,
					&proof.fields,
					balance,
					slot,
					existing,
				));
			},
		}
		changes.flush();
		Ok(hooks.finish::<T>())
	}

	/// Stops tracking the validators at `indices`, all of which must be tracked.
	pub(crate) fn do_untrack_validators(indices: &[u64]) -> DispatchResult {
		for index in indices {
			ensure!(Validators::<T>::contains_key(index), Error::<T>::UnknownValidator);
		}
		let mut changes = AggregateChanges::<T>::default();
		for &index in indices {
			if let Some(record) = Validators::<T>::get(index) {
				changes.replace(Some(&record), None);
				Self::write_record(index, Some(record.lrt), None);
				Self::deposit_event(Event::ValidatorUntracked { lrt: record.lrt, index });
			}
		}
		changes.flush();
		Ok(())
	}

	/// Stores the Ethereum fork schedule.
	pub(crate) fn do_set_ethereum_forks(forks: ForkSchedule) -> DispatchResult {
		EthereumForks::<T>::put(forks);
		Self::deposit_event(Event::EthereumForksSet { forks });
		Ok(())
	}

	/// The execution address in 0x01/0x02 credentials.
	pub fn withdrawal_address(credentials: &Root) -> Option<[u8; 20]> {
		ballast_ethereum_proofs::validator::withdrawal_address(credentials)
	}

	/// The fork and slot of a header the light client holds as finalized (none while the light
	/// client is halted).
	fn finalized_anchor(header: &BeaconBlockHeaderOf) -> Result<(Fork, u64), Error<T>> {
		ensure!(!T::LightClient::is_halted(), Error::<T>::LightClientHalted);
		let slot = T::LightClient::finalized_slot(&header.hash_tree_root())
			.filter(|slot| *slot == header.slot)
			.ok_or(Error::<T>::HeaderNotFinalized)?;
		let network =
			GenesisValidatorsRoot::<T>::get().ok_or(Error::<T>::NoGenesisValidatorsRoot)?;
		ensure!(
			T::LightClient::genesis_validators_root() == Some(network),
			Error::<T>::WrongEthereumNetwork
		);
		let forks = EthereumForks::<T>::get().ok_or(Error::<T>::NoForkSchedule)?;
		let fork = forks.fork_at_slot(slot).map_err(|_| Error::<T>::UnsupportedFork)?;
		Ok((fork, slot))
	}

	/// The LRT whose registered credentials a validator uses.
	fn lrt_of(fields: &ValidatorFields) -> Result<T::AssetId, Error<T>> {
		Credentials::<T>::get(fields.withdrawal_credentials)
			.map(|info| info.lrt)
			.ok_or(Error::<T>::UntrackedCredentials)
	}

	/// Checks that a proof at `slot` may update validator `index`; returns its stored record.
	fn checked_update(
		index: u64,
		fields: &ValidatorFields,
		slot: u64,
	) -> Result<Option<ValidatorRecord<T::AssetId>>, Error<T>> {
		let lrt = Self::lrt_of(fields)?;
		let previous = Validators::<T>::get(index);
		if let Some(record) = &previous {
			ensure!(record.proven_at_slot < slot, Error::<T>::StaleProof);
			// Credentials can change only from 0x00 to 0x01/0x02 on Ethereum; a move between
			// LRTs means one of them registered credentials it does not own.
			ensure!(record.lrt == lrt, Error::<T>::UntrackedCredentials);
		}
		Ok(previous)
	}

	/// Stores a validator's proven state, books it in `changes` and tells one hook at most:
	/// `OnValidatorSlashed` if the proof newly shows it slashed (the slash's penalties account
	/// for the balance change of that proof: the slashing took its initial penalty from it),
	/// otherwise `OnValidatorBalanceChanged` if its balance changed. Returns the hook told.
	pub(crate) fn apply(
		changes: &mut AggregateChanges<T>,
		index: u64,
		fields: &ValidatorFields,
		balance: u64,
		slot: u64,
		previous: Option<ValidatorRecord<T::AssetId>>,
	) -> Option<HookCall> {
		let Ok(lrt) = Self::lrt_of(fields) else { return None };
		let record = ValidatorRecord::new(lrt, fields, balance, slot);
		if previous.is_none() {
			Self::deposit_event(Event::ValidatorTracked { lrt, index });
		}
		changes.replace(previous.as_ref(), Some(&record));
		Self::write_record(index, previous.as_ref().map(|old| old.lrt), Some(&record));
		if record.slashed && !previous.as_ref().is_some_and(|old| old.slashed) {
			return Some(Self::notify_slashed(&record, index, slot));
		}
		match &previous {
			Some(old) if old.balance != record.balance => {
				T::OnValidatorBalanceChanged::on_validator_balance_changed(
					lrt,
					index,
					old.balance,
					record.balance,
					slot,
				);
				Some(HookCall::BalanceChanged)
			},
			_ => None,
		}
	}

	/// Writes validator `index`'s record (`None`: untracks it), whose stored record belonged to
	/// `previous_lrt` (`None`: not tracked), and keeps [`ValidatorsByLrt`] in step: its entry
	/// is written only when the validator is new, leaves or changes LRT (the calls never move a
	/// validator between LRTs, but the index would follow).
	fn write_record(
		index: u64,
		previous_lrt: Option<T::AssetId>,
		record: Option<&ValidatorRecord<T::AssetId>>,
	) {
		let lrt = record.map(|record| record.lrt);
		if previous_lrt != lrt {
			if let Some(old) = previous_lrt {
				ValidatorsByLrt::<T>::remove(old, index);
			}
			if let Some(new) = lrt {
				ValidatorsByLrt::<T>::insert(new, index, ());
			}
		}
		match record {
			Some(record) => Validators::<T>::insert(index, record),
			None => Validators::<T>::remove(index),
		}
	}

	/// Emits `ValidatorSlashed` and tells `OnValidatorSlashed`.
	fn notify_slashed(record: &ValidatorRecord<T::AssetId>, index: u64, slot: u64) -> HookCall {
		Self::deposit_event(Event::ValidatorSlashed {
			lrt: record.lrt,
			index,
			effective_balance: record.effective_balance,
			slot,
		});
		T::OnValidatorSlashed::on_validator_slashed(
			record.lrt,
			index,
			record.effective_balance,
			slot,
			record.withdrawable_epoch,
		);
		HookCall::Slashed
	}

	/// Checks, without changing anything, a validator record proven directly against a
	/// finalized header's state root (the `report_slashing` form, 46/47 hashes). Returns the
	/// header's slot. For relayers to preflight a proof before paying for it.
	pub fn check_validator_proof(
		header: &BeaconBlockHeaderOf,
		proof: &SlashingProof,
	) -> Result<u64, DispatchError> {
		let (fork, slot) = Self::finalized_anchor(header)?;
		verify_validator(fork, header.state_root, proof.index, &proof.fields, &proof.branch)
			.map_err(|_| Error::<T>::InvalidValidatorProof)?;
		Ok(slot)
	}

	/// A tracked validator's record.
	pub fn validator(index: u64) -> Option<ValidatorRecord<T::AssetId>> {
		Validators::<T>::get(index)
	}

	/// An LRT's aggregates.
	pub fn lrt_aggregates(lrt: T::AssetId) -> LrtAggregates {
		Aggregates::<T>::get(lrt)
	}
}

/// What one call changes in the per-LRT [`Aggregates`], the [`ProofSlots`] counts and the
/// [`Credentials`] validator counts: gathered record by record over the call and written once
/// per key by [`AggregateChanges::flush`].
pub(crate) struct AggregateChanges<T: Config> {
	aggregates: BTreeMap<T::AssetId, LrtAggregates>,
	proof_slots: BTreeMap<(T::AssetId, u64), i64>,
	credentials: BTreeMap<Root, i64>,
}

impl<T: Config> Default for AggregateChanges<T> {
	fn default() -> Self {
		AggregateChanges {
			aggregates: BTreeMap::new(),
			proof_slots: BTreeMap::new(),
			credentials: BTreeMap::new(),
		}
	}
}

impl<T: Config> AggregateChanges<T> {
	/// Books the replacement of a validator's record `old` by `new` (either may be absent).
	pub(crate) fn replace(
		&mut self,
		old: Option<&ValidatorRecord<T::AssetId>>,
		new: Option<&ValidatorRecord<T::AssetId>>,
	) {
		for (record, add) in [(old, false), (new, true)] {
			let Some(record) = record else { continue };
			let delta = if add { 1 } else { -1 };
			self.aggregates
				.entry(record.lrt)
				.or_insert_with(|| Aggregates::<T>::get(record.lrt))
				.account(record, add);
			*self.proof_slots.entry((record.lrt, record.proven_at_slot)).or_default() += delta;
			*self.credentials.entry(record.withdrawal_credentials).or_default() += delta;
		}
	}

	/// Writes the booked changes; each LRT's `oldest_proof_slot` is the first key of its
	/// [`ProofSlots`] once they are written.
	pub(crate) fn flush(self) {
		for (credentials, delta) in self.credentials.into_iter().filter(|(_, d)| *d != 0) {
			Credentials::<T>::mutate(credentials, |info| {
				if let Some(info) = info {
					info.validators = math::moved_count(info.validators, delta).unwrap_or(0);
				}
			});
		}
		for ((lrt, slot), delta) in self.proof_slots.into_iter().filter(|(_, d)| *d != 0) {
			ProofSlots::<T>::mutate_exists(lrt, slot.to_be_bytes(), |count| {
				*count = math::moved_count(count.unwrap_or(0), delta);
			});
		}
		for (lrt, mut aggregates) in self.aggregates {
			aggregates.oldest_proof_slot =
				ProofSlots::<T>::iter_key_prefix(lrt).next().map(u64::from_be_bytes);
			Aggregates::<T>::insert(lrt, aggregates);
		}
	}
}

/// A hook a proof told.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HookCall {
	/// `OnValidatorSlashed`.
	Slashed,
	/// `OnValidatorBalanceChanged`.
	BalanceChanged,
}

/// The hooks a call told, for its actual weight.
#[derive(Default)]
pub(crate) struct HookCalls {
	slashed: u32,
	balance_changed: u32,
}

impl HookCalls {
	/// Counts the hook a proof told, if any.
	pub(crate) fn record(&mut self, call: Option<HookCall>) {
		match call {
			Some(HookCall::Slashed) => self.slashed.saturating_inc(),
			Some(HookCall::BalanceChanged) => self.balance_changed.saturating_inc(),
			None => {},
		}
	}

	/// Ends the call: tells `OnValidatorProofsApplied` if any hook was told, and returns the
	/// hooks' weight: each call told at its declared weight, plus what the end of the call
	/// weighed.
	pub(crate) fn finish<T: Config>(self) -> Weight {
		if self.slashed == 0 && self.balance_changed == 0 {
			return Weight::zero();
		}
		let applied = T::OnValidatorProofsApplied::on_validator_proofs_applied();
		T::OnValidatorSlashed::weight()
			.saturating_mul(self.slashed.into())
			.saturating_add(
				T::OnValidatorBalanceChanged::weight().saturating_mul(self.balance_changed.into()),
			)
			.saturating_add(applied)
	}
}
