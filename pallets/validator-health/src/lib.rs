//! # Validator health
//!
//! Tracks every Ethereum validator behind every LRT, from proofs against finalized beacon states
//! that the on-chain Ethereum light client verified. Modelled on EigenLayer's EigenPod proofs:
//!
//! - governance registers, per LRT, the withdrawal credentials (EigenPod addresses) of its
//!   validators ([`Pallet::register_credentials`]);
//! - anyone submits a batch of validator-record and balance proofs anchored in one finalized
//!   header ([`Pallet::submit_validator_proofs`]); a validator is tracked from its first proof
//!   showing registered credentials;
//! - anyone reports a slashed validator with a single proof ([`Pallet::report_slashing`]), the
//!   cheapest path, free when it succeeds.
//!
//! Slashes and balance changes reach the valuation through the [`OnValidatorSlashed`] and
//! [`OnValidatorBalanceChanged`] hooks (traits in `ballast-primitives`). Per-LRT aggregates are
//! updated incrementally; no call loops over all validators.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

/// What benchmarks need from the runtime around the pallet.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AssetId> {
	/// An LRT's asset id.
	fn lrt() -> AssetId;
	/// Makes the light client hold `header` as finalized, on the network of
	/// `genesis_validators_root`.
	fn finalize(
		header: &ballast_ethereum_proofs::BeaconBlockHeader,
		genesis_validators_root: sp_core::H256,
	);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::collections::btree_map::BTreeMap;
	use ballast_ethereum_proofs::{
		fork::{Fork, ForkSchedule},
		validator::{
			verify_balance_in_list, verify_balances_root, verify_validator,
			verify_validator_in_list, verify_validators_root,
		},
		Root, ValidatorFields,
	};
	use ballast_primitives::ethereum::{
		FinalizedBeaconBlocks, OnValidatorBalanceChanged, OnValidatorSlashed,
	};
	use frame_support::{
		dispatch::{DispatchResultWithPostInfo, Pays},
		pallet_prelude::*,
	};
	use frame_system::pallet_prelude::*;

	/// Storage key of a slot that iterates in numeric order (big-endian bytes, `Identity` hash).
	pub type SlotKey = [u8; 8];

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Identifier of an LRT (its `pallet-assets` asset id).
		type AssetId: Member + Parameter + Copy + MaxEncodedLen + Ord + MaybeSerializeDeserialize;
		/// Finalized beacon blocks, from the Ethereum light client.
		type LightClient: FinalizedBeaconBlocks;
		/// Registers and deregisters withdrawal credentials; untracks validators.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Told of every slash a proof reveals.
		type OnValidatorSlashed: OnValidatorSlashed<Self::AssetId>;
		/// Told of every balance change a newer proof reveals.
		type OnValidatorBalanceChanged: OnValidatorBalanceChanged<Self::AssetId>;
		/// Largest batch of validator proofs in one call.
		#[pallet::constant]
		type MaxProofsPerBatch: Get<u32>;
		type WeightInfo: WeightInfo;
		/// Makes beacon headers finalized in the light client, for benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AssetId>;
	}

	/// The Ethereum network's fork schedule: which `BeaconState` layout a slot's proofs use.
	#[pallet::storage]
	pub type EthereumForks<T> = StorageValue<_, ForkSchedule, OptionQuery>;

	/// The genesis validators root of the Ethereum network this chain follows: the light
	/// client must follow the same network for its headers to anchor proofs.
	#[pallet::storage]
	pub type GenesisValidatorsRoot<T> = StorageValue<_, Root, OptionQuery>;

	/// Registered withdrawal credentials (0x01/0x02 ‖ 0^11 ‖ EigenPod address) → their LRT.
	#[pallet::storage]
	pub type Credentials<T: Config> =
		StorageMap<_, Blake2_128Concat, Root, CredentialsInfo<T::AssetId>, OptionQuery>;

	/// Tracked validators by beacon-chain index.
	#[pallet::storage]
	pub type Validators<T: Config> =
		StorageMap<_, Twox64Concat, u64, ValidatorRecord<T::AssetId>, OptionQuery>;

	/// Per-LRT totals over its tracked validators.
	#[pallet::storage]
	pub type Aggregates<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AssetId, LrtAggregates, ValueQuery>;

	/// How many of an LRT's validators were last proven at each slot. Keys iterate in slot order,
	/// so the oldest standing proof is the first key.
	#[pallet::storage]
	pub type ProofSlots<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AssetId, Identity, SlotKey, u32, ValueQuery>;

	/// Which LRT registered credentials belong to, and how many tracked validators use them.
	#[derive(
		Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
	)]
	pub struct CredentialsInfo<AssetId> {
		pub lrt: AssetId,
		pub validators: u32,
	}

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The Ethereum network this chain follows (mainnet or Sepolia).
		pub ethereum_forks: Option<ForkSchedule>,
		/// That network's genesis validators root.
		pub genesis_validators_root: Option<Root>,
		/// Initial withdrawal credentials per LRT.
		pub credentials: alloc::vec::Vec<(T::AssetId, Root)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(forks) = self.ethereum_forks {
				EthereumForks::<T>::put(forks);
			}
			if let Some(root) = self.genesis_validators_root {
				GenesisValidatorsRoot::<T>::put(root);
			}
			for (lrt, credentials) in &self.credentials {
				assert!(
					Pallet::<T>::withdrawal_address(credentials).is_some(),
					"genesis credentials must be 0x01/0x02 execution credentials"
				);
				Credentials::<T>::insert(credentials, CredentialsInfo { lrt: *lrt, validators: 0 });
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Validators using `credentials` now count towards `lrt`.
		CredentialsRegistered { lrt: T::AssetId, credentials: Root },
		/// `credentials` no longer back `lrt`.
		CredentialsDeregistered { lrt: T::AssetId, credentials: Root },
		/// A validator is tracked from now on.
		ValidatorTracked { lrt: T::AssetId, index: u64 },
		/// A validator is no longer tracked.
		ValidatorUntracked { lrt: T::AssetId, index: u64 },
		/// A batch of validator proofs was accepted.
		ValidatorsProven { slot: u64, count: u32 },
		/// A proof showed a tracked validator slashed.
		ValidatorSlashed { lrt: T::AssetId, index: u64, effective_balance: u64, slot: u64 },
		/// Governance set the Ethereum fork schedule.
		EthereumForksSet { forks: ForkSchedule },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The header does not hash to a beacon block the light client holds as finalized.
		HeaderNotFinalized,
		/// No Ethereum fork schedule is configured.
		NoForkSchedule,
		/// No genesis validators root is configured.
		NoGenesisValidatorsRoot,
		/// The light client follows another Ethereum network (genesis validators root) than
		/// the one this chain was configured for.
		WrongEthereumNetwork,
		/// The header's slot is before Deneb or after a fork whose state layout is unknown.
		UnsupportedFork,
		/// The `validators` list root does not prove against the state root.
		InvalidValidatorsRoot,
		/// The `balances` list root does not prove against the state root.
		InvalidBalancesRoot,
		/// A validator record does not prove against its root.
		InvalidValidatorProof,
		/// A balance chunk does not prove against the `balances` root.
		InvalidBalanceProof,
		/// The validator's withdrawal credentials are not registered for any LRT.
		UntrackedCredentials,
		/// The validator is already proven at this slot or a later one (no rollback).
		StaleProof,
		/// The batch is empty.
		EmptyBatch,
		/// The batch holds more proofs than `MaxProofsPerBatch`.
		BatchTooLarge,
		/// The batch proves the same validator twice.
		DuplicateValidator,
		/// The proof shows the validator not slashed.
		NotSlashed,
		/// The validator is already recorded as slashed.
		AlreadySlashed,
		/// Credentials must be execution credentials (0x01 or 0x02 ‖ 0^11 ‖ address).
		NotExecutionCredentials,
		/// The credentials are already registered.
		CredentialsAlreadyRegistered,
		/// The credentials are not registered (for this LRT).
		CredentialsNotRegistered,
		/// Tracked validators still use the credentials: untrack them first.
		CredentialsInUse,
		/// The validator is not tracked.
		UnknownValidator,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers withdrawal credentials whose validators back `lrt`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_credentials())]
		pub fn register_credentials(
			origin: OriginFor<T>,
			lrt: T::AssetId,
			credentials: Root,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(
				Self::withdrawal_address(&credentials).is_some(),
				Error::<T>::NotExecutionCredentials
			);
			ensure!(
				!Credentials::<T>::contains_key(credentials),
				Error::<T>::CredentialsAlreadyRegistered
			);
			Credentials::<T>::insert(credentials, CredentialsInfo { lrt, validators: 0 });
			Self::deposit_event(Event::CredentialsRegistered { lrt, credentials });
			Ok(())
		}

		/// Deregisters credentials no tracked validator uses any more.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::deregister_credentials())]
		pub fn deregister_credentials(
			origin: OriginFor<T>,
			lrt: T::AssetId,
			credentials: Root,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			let info = Credentials::<T>::get(credentials)
				.filter(|info| info.lrt == lrt)
				.ok_or(Error::<T>::CredentialsNotRegistered)?;
			ensure!(info.validators == 0, Error::<T>::CredentialsInUse);
			Credentials::<T>::remove(credentials);
			Self::deposit_event(Event::CredentialsDeregistered { lrt, credentials });
			Ok(())
		}

		/// Proves a batch of validators' records and balances against one finalized beacon state.
		///
		/// `anchor.header` must hash to a block root the light client holds as finalized; its
		/// `state_root` anchors the `validators` and `balances` list roots, and those anchor each
		/// proof. Validators with registered credentials are tracked (new ones) or updated; each
		/// proof must be newer than the validator's stored one. All or nothing: one bad proof
		/// rejects the batch.
		#[pallet::call_index(2)]
		// The hooks' own weight is not added per proof here (a full batch would no longer fit a
		// block); the benchmark measures them on the path where the valuation ignores the LRT.
		#[pallet::weight(T::WeightInfo::submit_validator_proofs(proofs.len() as u32))]
		pub fn submit_validator_proofs(
			origin: OriginFor<T>,
			anchor: StateAnchor,
			proofs: alloc::vec::Vec<ValidatorProof>,
		) -> DispatchResult {
			ensure_signed(origin)?;
			ensure!(!proofs.is_empty(), Error::<T>::EmptyBatch);
			ensure!(
				proofs.len() <= T::MaxProofsPerBatch::get() as usize,
				Error::<T>::BatchTooLarge
			);
			let (fork, slot) = Self::finalized_anchor(&anchor.header)?;
			let state_root = anchor.header.state_root;
			verify_validators_root(
				fork,
				state_root,
				anchor.validators_root,
				&anchor.validators_branch,
			)
			.map_err(|_| Error::<T>::InvalidValidatorsRoot)?;
			verify_balances_root(fork, state_root, anchor.balances_root, &anchor.balances_branch)
				.map_err(|_| Error::<T>::InvalidBalancesRoot)?;

			// Verify everything before writing anything.
			let mut updates = BTreeMap::new();
			for proof in &proofs {
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
			let mut ledger = Ledger::<T>::default();
			for (index, (fields, balance, previous)) in updates {
				Self::apply(&mut ledger, index, &fields, balance, slot, previous);
			}
			ledger.flush();
			Self::deposit_event(Event::ValidatorsProven { slot, count });
			Ok(())
		}

		/// Reports a slashed validator with one proof against a finalized header's state root.
		/// Permissionless and free when it succeeds; the validator's credentials must be
		/// registered. The valuation is told at once through `OnValidatorSlashed`.
		///
		/// A slashing is irreversible, so a proof from a state older than the stored record is
		/// accepted too; it then sets only the `slashed` flag and leaves newer fields alone.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::report_slashing().saturating_add(T::OnValidatorSlashed::weight()))]
		pub fn report_slashing(
			origin: OriginFor<T>,
			header: BeaconBlockHeaderOf,
			proof: SlashingProof,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			ensure!(proof.fields.slashed, Error::<T>::NotSlashed);
			let (fork, slot) = Self::finalized_anchor(&header)?;
			verify_validator(fork, header.state_root, proof.index, &proof.fields, &proof.branch)
				.map_err(|_| Error::<T>::InvalidValidatorProof)?;

			let mut ledger = Ledger::<T>::default();
			match Validators::<T>::get(proof.index) {
				Some(record) if record.slashed => return Err(Error::<T>::AlreadySlashed.into()),
				Some(record) if record.proven_at_slot >= slot => {
					// Older evidence: only the irreversible flag moves.
					let mut updated = record.clone();
					updated.slashed = true;
					ledger.replace(Some(&record), Some(&updated));
					Validators::<T>::insert(proof.index, &updated);
					Self::notify_slashed(&updated, proof.index, slot);
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
					Self::apply(&mut ledger, proof.index, &proof.fields, balance, slot, existing);
				},
			}
			ledger.flush();
			Ok(Pays::No.into())
		}

		/// Stops tracking validators (e.g. after their LRT stopped using their credentials).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::untrack_validators(indices.len() as u32))]
		pub fn untrack_validators(
			origin: OriginFor<T>,
			indices: BoundedVec<u64, T::MaxProofsPerBatch>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			for index in &indices {
				ensure!(Validators::<T>::contains_key(index), Error::<T>::UnknownValidator);
			}
			let mut ledger = Ledger::<T>::default();
			for index in indices {
				if let Some(record) = Validators::<T>::take(index) {
					ledger.replace(Some(&record), None);
					Self::deposit_event(Event::ValidatorUntracked { lrt: record.lrt, index });
				}
			}
			ledger.flush();
			Ok(())
		}

		/// Sets the Ethereum fork schedule, e.g. to schedule the next fork's epoch as unknown
		/// until a runtime upgrade teaches Ballast its layout.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_ethereum_forks())]
		pub fn set_ethereum_forks(origin: OriginFor<T>, forks: ForkSchedule) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			EthereumForks::<T>::put(forks);
			Self::deposit_event(Event::EthereumForksSet { forks });
			Ok(())
		}
	}

	/// Changes to per-LRT aggregates, proof-slot counts and per-credentials validator counts,
	/// gathered over a call and written once per key at the end.
	pub(crate) struct Ledger<T: Config> {
		aggregates: BTreeMap<T::AssetId, LrtAggregates>,
		proof_slots: BTreeMap<(T::AssetId, u64), i64>,
		credentials: BTreeMap<Root, i64>,
	}

	impl<T: Config> Default for Ledger<T> {
		fn default() -> Self {
			Ledger {
				aggregates: BTreeMap::new(),
				proof_slots: BTreeMap::new(),
				credentials: BTreeMap::new(),
			}
		}
	}

	impl<T: Config> Ledger<T> {
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

		/// Writes the booked changes.
		pub(crate) fn flush(self) {
			for (credentials, delta) in self.credentials.into_iter().filter(|(_, d)| *d != 0) {
				Credentials::<T>::mutate(credentials, |info| {
					if let Some(info) = info {
						info.validators = (info.validators as i64 + delta).max(0) as u32;
					}
				});
			}
			for ((lrt, slot), delta) in self.proof_slots.into_iter().filter(|(_, d)| *d != 0) {
				ProofSlots::<T>::mutate_exists(lrt, slot.to_be_bytes(), |count| {
					let updated = count.unwrap_or(0) as i64 + delta;
					*count = (updated > 0).then_some(updated as u32);
				});
			}
			for (lrt, mut aggregates) in self.aggregates {
				aggregates.oldest_proof_slot =
					ProofSlots::<T>::iter_key_prefix(lrt).next().map(u64::from_be_bytes);
				Aggregates::<T>::insert(lrt, aggregates);
			}
		}
	}

	/// A beacon block header, as calls take it.
	pub type BeaconBlockHeaderOf = ballast_ethereum_proofs::BeaconBlockHeader;

	impl<T: Config> Pallet<T> {
		/// The execution address in 0x01/0x02 credentials.
		pub fn withdrawal_address(credentials: &Root) -> Option<[u8; 20]> {
			ballast_ethereum_proofs::validator::withdrawal_address(credentials)
		}

		/// The fork and slot of a header the light client holds as finalized.
		fn finalized_anchor(header: &BeaconBlockHeaderOf) -> Result<(Fork, u64), Error<T>> {
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

		/// Stores a validator's proven state, books it in the ledger and tells the hooks.
		pub(crate) fn apply(
			ledger: &mut Ledger<T>,
			index: u64,
			fields: &ValidatorFields,
			balance: u64,
			slot: u64,
			previous: Option<ValidatorRecord<T::AssetId>>,
		) {
			let Ok(lrt) = Self::lrt_of(fields) else { return };
			let record = ValidatorRecord::new(lrt, fields, balance, slot);
			if previous.is_none() {
				Self::deposit_event(Event::ValidatorTracked { lrt, index });
			}
			ledger.replace(previous.as_ref(), Some(&record));
			Validators::<T>::insert(index, &record);
			match &previous {
				Some(old) if old.balance != record.balance => {
					T::OnValidatorBalanceChanged::on_validator_balance_changed(
						lrt,
						index,
						old.balance,
						record.balance,
						slot,
					)
				},
				_ => {},
			}
			if record.slashed && !previous.as_ref().is_some_and(|old| old.slashed) {
				Self::notify_slashed(&record, index, slot);
			}
		}

		fn notify_slashed(record: &ValidatorRecord<T::AssetId>, index: u64, slot: u64) {
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
			);
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

	impl<T: Config> ballast_primitives::ethereum::ValidatorFreshness<T::AssetId> for Pallet<T> {
		fn oldest_proof_slot(lrt: T::AssetId) -> Option<u64> {
			Aggregates::<T>::get(lrt).oldest_proof_slot
		}
	}

	impl<T: Config> ballast_primitives::risk::ValidatorSummaries<T::AssetId> for Pallet<T> {
		/// Iterates every tracked validator: for off-chain use (the risk model), never in a
		/// dispatchable.
		fn validators_of(
			lrt: T::AssetId,
		) -> alloc::vec::Vec<ballast_primitives::risk::ValidatorSummary> {
			Validators::<T>::iter()
				.filter(|(_, record)| record.lrt == lrt)
				.map(|(index, r)| ballast_primitives::risk::ValidatorSummary {
					index,
					effective_balance: r.effective_balance,
					balance: r.balance,
					slashed: r.slashed,
					exit_epoch: r.exit_epoch,
					proven_at_slot: r.proven_at_slot,
				})
				.collect()
		}
	}
}
