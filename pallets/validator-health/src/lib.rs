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
//! Slashes and balance changes reach the valuation through the
//! [`OnValidatorSlashed`](ballast_primitives::ethereum::OnValidatorSlashed) and
//! [`OnValidatorBalanceChanged`](ballast_primitives::ethereum::OnValidatorBalanceChanged) hooks
//! (traits in `ballast-primitives`), at most one per proof (a proof that newly shows a slash
//! tells only the slash hook: the slash's penalties account for its balance change), then
//! [`OnValidatorProofsApplied`](ballast_primitives::ethereum::OnValidatorProofsApplied) once at
//! the end of the call, so that the valuation re-rates each LRT once per call. A call declares
//! the hooks' worst case and is refunded to the hook calls it made. Per-LRT aggregates are
//! updated incrementally; no call loops over all validators.
//!
//! ## Invariants
//!
//! - A record is only replaced by a proof from a strictly later slot; an older slashing proof
//!   only sets `slashed`.
//! - A call that fails changes nothing: every proof is verified before anything is written.
//! - The books, which `Pallet::do_try_state` checks against a recount over the tracked validators
//!   (under `try-runtime`, and after every test):
//!   - every tracked validator uses registered credentials of its own LRT, and each registered
//!     credentials' `validators` count is the number of tracked validators using them;
//!   - [`ProofSlots`] counts, per LRT and slot, the validators last proven at that slot (no empty
//!     entries), so an LRT's oldest standing proof is its first key;
//!   - [`Aggregates`] of every LRT equal a recount over its tracked validators;
//!   - [`ValidatorsByLrt`] holds `(lrt, index)` exactly for every tracked validator `index` of
//!     `lrt`, so reading one LRT's validators costs that LRT's validators only.
//!
//! See the pallet's README for the calls, events, errors and the file map.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod functions;
mod impls;
mod math;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
mod try_state;
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
	/// Makes `lrt` as costly as it can be for the hooks: valued (settings, a snapshot, a
	/// stored rate, fresh proofs) with its loss books full and the most lending markets on it,
	/// so that every balance drop is booked and the rate's fall marks every market. The
	/// benchmarks call it before proving `lrt`'s validators; a runtime whose hooks do nothing
	/// costly may leave it empty.
	fn make_lrt_costly(_lrt: AssetId) {}
}

/// The validator-health pallet: its configuration, storage, events, errors, hooks and calls.
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use ballast_ethereum_proofs::{ForkSchedule, Root};
	use ballast_primitives::ethereum::{
		FinalizedBeaconBlocks, OnValidatorBalanceChanged, OnValidatorProofsApplied,
		OnValidatorSlashed,
	};
	use frame_support::{
		dispatch::{DispatchResultWithPostInfo, Pays, PostDispatchInfo, WithPostDispatchInfo},
		pallet_prelude::*,
	};
	use frame_system::pallet_prelude::*;

	/// The validator-health pallet.
	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the validator-health pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Identifier of an LRT (its `pallet-assets` asset id).
		type AssetId: Member + Parameter + Copy + MaxEncodedLen + Ord + MaybeSerializeDeserialize;
		/// Finalized beacon blocks, from the Ethereum light client.
		type LightClient: FinalizedBeaconBlocks;
		/// Registers and deregisters withdrawal credentials; untracks validators; sets the fork
		/// schedule.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Told of every slash a proof reveals.
		type OnValidatorSlashed: OnValidatorSlashed<Self::AssetId>;
		/// Told of every balance change a newer proof reveals (unless the proof newly shows
		/// the validator slashed).
		type OnValidatorBalanceChanged: OnValidatorBalanceChanged<Self::AssetId>;
		/// Told once at the end of every call that told the two hooks above anything (the
		/// valuation re-rates each LRT they touched there): wire it to whatever implements
		/// them.
		type OnValidatorProofsApplied: OnValidatorProofsApplied;
		/// Largest batch of validator proofs in one call (and of validators untracked at once).
		#[pallet::constant]
		type MaxProofsPerBatch: Get<u32>;
		/// Weights of the calls (`weights.rs`; the runtime's are measured by `benchmarking.rs`).
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

	/// Registered withdrawal credentials (0x01/0x02 ‖ 0^11 ‖ EigenPod address) → their LRT and
	/// how many tracked validators use them.
	#[pallet::storage]
	pub type Credentials<T: Config> =
		StorageMap<_, Blake2_128Concat, Root, CredentialsInfo<T::AssetId>, OptionQuery>;

	/// Tracked validators by beacon-chain index.
	#[pallet::storage]
	pub type Validators<T: Config> =
		StorageMap<_, Twox64Concat, u64, ValidatorRecord<T::AssetId>, OptionQuery>;

	/// The tracked validators of each LRT: `(lrt, index)` is present exactly when
	/// `Validators[index]` is tracked for `lrt`. Lets a reader of one LRT's validators (the risk
	/// model, over the runtime API) iterate that LRT's prefix instead of every tracked
	/// validator. Written wherever a `Validators` entry appears, leaves or changes LRT.
	#[pallet::storage]
	pub type ValidatorsByLrt<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AssetId, Twox64Concat, u64, (), OptionQuery>;

	/// Per-LRT totals over its tracked validators.
	#[pallet::storage]
	pub type Aggregates<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AssetId, LrtAggregates, ValueQuery>;

	/// How many of an LRT's validators were last proven at each slot. Keys iterate in slot order,
	/// so the oldest standing proof is the first key.
	#[pallet::storage]
	pub type ProofSlots<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AssetId, Identity, SlotKey, u32, ValueQuery>;

	/// Genesis: the Ethereum network followed and the initial credentials.
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

	/// Events of the validator-health pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Validators using `credentials` now count towards `lrt`.
		CredentialsRegistered {
			/// The LRT the credentials' validators back.
			lrt: T::AssetId,
			/// The withdrawal credentials registered.
			credentials: Root,
		},
		/// `credentials` no longer back `lrt`.
		CredentialsDeregistered {
			/// The LRT the credentials backed.
			lrt: T::AssetId,
			/// The withdrawal credentials deregistered.
			credentials: Root,
		},
		/// A validator is tracked from now on.
		ValidatorTracked {
			/// The LRT whose credentials the validator uses.
			lrt: T::AssetId,
			/// The validator's beacon-chain index.
			index: u64,
		},
		/// A validator is no longer tracked.
		ValidatorUntracked {
			/// The LRT the validator backed.
			lrt: T::AssetId,
			/// The validator's beacon-chain index.
			index: u64,
		},
		/// A batch of validator proofs was accepted.
		ValidatorsProven {
			/// Slot of the finalized beacon state the batch was proven against.
			slot: u64,
			/// How many validators the batch proved.
			count: u32,
		},
		/// A proof showed a tracked validator slashed.
		ValidatorSlashed {
			/// The LRT the validator backs.
			lrt: T::AssetId,
			/// The validator's beacon-chain index.
			index: u64,
			/// The validator's effective balance as of the proof, Gwei.
			effective_balance: u64,
			/// Slot of the beacon state that proved the slash.
			slot: u64,
		},
		/// Governance set the Ethereum fork schedule.
		EthereumForksSet {
			/// The new fork schedule.
			forks: ForkSchedule,
		},
	}

	/// Errors of the validator-health pallet.
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
		/// The light client is halted (governance suspects a compromise): its headers anchor no
		/// proof until it resumes.
		LightClientHalted,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers withdrawal credentials whose validators back `lrt`.
		///
		/// - Origin: `GovernanceOrigin`.
		/// - `lrt`: the LRT's asset id.
		/// - `credentials`: execution withdrawal credentials (0x01/0x02 ‖ 0^11 ‖ EigenPod
		///   address).
		///
		/// Emits `CredentialsRegistered`. Errors: `NotExecutionCredentials`,
		/// `CredentialsAlreadyRegistered`. Weight: `WeightInfo::register_credentials`.
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
			Self::do_register_credentials(lrt, credentials)
		}

		/// Deregisters credentials no tracked validator uses any more.
		///
		/// - Origin: `GovernanceOrigin`.
		/// - `lrt`: the LRT the credentials are registered for.
		/// - `credentials`: the withdrawal credentials.
		///
		/// Emits `CredentialsDeregistered`. Errors: `CredentialsNotRegistered` (not registered,
		/// or for another LRT), `CredentialsInUse` (untrack their validators first). Weight:
		/// `WeightInfo::deregister_credentials`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::deregister_credentials())]
		pub fn deregister_credentials(
			origin: OriginFor<T>,
			lrt: T::AssetId,
			credentials: Root,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_deregister_credentials(lrt, credentials)
		}

		/// Proves a batch of validators' records and balances against one finalized beacon state.
		///
		/// `anchor.header` must hash to a block root the light client holds as finalized; its
		/// `state_root` anchors the `validators` and `balances` list roots, and those anchor each
		/// proof. Validators with registered credentials are tracked (new ones) or updated; each
		/// proof must be newer than the validator's stored one. All or nothing: one bad proof
		/// rejects the batch.
		///
		/// - Origin: signed (anyone).
		/// - `anchor`: the finalized header and the list roots proven against its state root.
		/// - `proofs`: 1 to `MaxProofsPerBatch` validator records and balance chunks below them.
		///
		/// Emits `ValidatorTracked` per new validator, `ValidatorSlashed` per validator newly
		/// shown slashed, then `ValidatorsProven`. Tells `OnValidatorSlashed` of each validator
		/// newly shown slashed and `OnValidatorBalanceChanged` of each other balance change (one
		/// hook per proof at most), then `OnValidatorProofsApplied` once. Errors: `EmptyBatch`,
		/// `BatchTooLarge`, `LightClientHalted`, `HeaderNotFinalized`,
		/// `NoGenesisValidatorsRoot`, `WrongEthereumNetwork`, `NoForkSchedule`,
		/// `UnsupportedFork`, `InvalidValidatorsRoot`, `InvalidBalancesRoot`,
		/// `InvalidValidatorProof`, `InvalidBalanceProof`, `UntrackedCredentials`, `StaleProof`,
		/// `DuplicateValidator`. Weight: `WeightInfo::submit_validator_proofs(proofs.len())`
		/// plus the hooks' worst case ([`Pallet::hooks_weight`]); refunded to the hook calls
		/// made (and to the pallet's own weight when the batch is refused).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::submit_validator_proofs(proofs.len() as u32)
			.saturating_add(Pallet::<T>::hooks_weight(proofs.len() as u32)))]
		pub fn submit_validator_proofs(
			origin: OriginFor<T>,
			anchor: StateAnchor,
			proofs: alloc::vec::Vec<ValidatorRecordProof>,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			ensure!(!proofs.is_empty(), Error::<T>::EmptyBatch);
			ensure!(
				proofs.len() <= T::MaxProofsPerBatch::get() as usize,
				Error::<T>::BatchTooLarge
			);
			let own = T::WeightInfo::submit_validator_proofs(proofs.len() as u32);
			let hooks = Self::do_submit_validator_proofs(&anchor, &proofs)
				.map_err(|error| error.with_weight(own))?;
			Ok(PostDispatchInfo {
				actual_weight: Some(own.saturating_add(hooks)),
				pays_fee: Pays::Yes,
			})
		}

		/// Reports a slashed validator with one proof against a finalized header's state root.
		/// Permissionless and free when it succeeds; the validator's credentials must be
		/// registered. The valuation is told at once through `OnValidatorSlashed`.
		///
		/// A slashing is irreversible, so a proof from a state older than the stored record is
		/// accepted too; it then sets only the `slashed` flag and leaves newer fields alone.
		///
		/// - Origin: signed (anyone); pays no fee when the report succeeds.
		/// - `header`: a finalized beacon block header.
		/// - `proof`: the validator's record (`slashed` set) proven against `header.state_root`.
		///
		/// Emits `ValidatorTracked` if the validator was not tracked, and `ValidatorSlashed`;
		/// tells `OnValidatorSlashed` (the balance is not proven here, so the stored one stays),
		/// then `OnValidatorProofsApplied`. Errors: `NotSlashed`, `LightClientHalted`,
		/// `HeaderNotFinalized`, `NoGenesisValidatorsRoot`, `WrongEthereumNetwork`,
		/// `NoForkSchedule`, `UnsupportedFork`, `InvalidValidatorProof`, `AlreadySlashed`,
		/// `UntrackedCredentials`. Weight: `WeightInfo::report_slashing` plus
		/// `OnValidatorSlashed::weight` and `OnValidatorProofsApplied::weight(1)`; refunded to
		/// what the hooks did.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::report_slashing()
			.saturating_add(T::OnValidatorSlashed::weight())
			.saturating_add(T::OnValidatorProofsApplied::weight(1)))]
		pub fn report_slashing(
			origin: OriginFor<T>,
			header: BeaconBlockHeaderOf,
			proof: SlashingProof,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			ensure!(proof.fields.slashed, Error::<T>::NotSlashed);
			let own = T::WeightInfo::report_slashing();
			let hooks = Self::do_report_slashing(&header, &proof)
				.map_err(|error| error.with_weight(own))?;
			Ok(PostDispatchInfo {
				actual_weight: Some(own.saturating_add(hooks)),
				pays_fee: Pays::No,
			})
		}

		/// Stops tracking validators (e.g. after their LRT stopped using their credentials).
		///
		/// - Origin: `GovernanceOrigin`.
		/// - `indices`: beacon-chain indices of tracked validators, at most `MaxProofsPerBatch`.
		///
		/// Emits `ValidatorUntracked` per validator. Errors: `UnknownValidator` (one of them is
		/// not tracked; nothing changes). Weight: `WeightInfo::untrack_validators(indices.len())`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::untrack_validators(indices.len() as u32))]
		pub fn untrack_validators(
			origin: OriginFor<T>,
			indices: BoundedVec<u64, T::MaxProofsPerBatch>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_untrack_validators(&indices)
		}

		/// Sets the Ethereum fork schedule, e.g. to schedule the next fork's epoch as unknown
		/// until a runtime upgrade teaches Ballast its layout.
		///
		/// - Origin: `GovernanceOrigin`.
		/// - `forks`: the schedule (fork versions and epochs, and the first unknown fork's
		///   epoch).
		///
		/// Emits `EthereumForksSet`. Errors: none besides the origin. Weight:
		/// `WeightInfo::set_ethereum_forks`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_ethereum_forks())]
		pub fn set_ethereum_forks(origin: OriginFor<T>, forks: ForkSchedule) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_ethereum_forks(forks)
		}
	}
}
