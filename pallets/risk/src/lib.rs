//! # Risk
//!
//! Validators' off-chain workers score every registered LRT with the deterministic model of
//! [`model`] (`docs/risk-model.md`) once per epoch and report the scores as authorized
//! transactions signed with their `risk` key. Only the reporters may report, once per epoch
//! each, scores in 0..=1000 for registered LRTs: the `risk` session keys of the session's
//! validators (`pallet-session` calls this pallet's `OneSessionHandler`; a validator the session
//! disables stops counting).
//! Reports are collected over the whole epoch. When it ends (`on_initialize` of the next
//! epoch's first block) the epoch is accepted if 2/3 of all its reporters reported; an LRT's
//! score counts if 2/3 of the reporters scored it, and is the median of all their scores
//! (reports further than `Tolerance` from it are recorded as disagreement and left out). The
//! score maps to a tier whose caps the LRT's lending markets' LTV and liquidation threshold
//! move towards ([`ballast_primitives::risk::RiskLimits`]): the LTV down at once, the threshold
//! down by at most `MaxThresholdStepPerEpoch`, both up by at most `LoosenStep`, per accepted
//! epoch. Reporter-set changes (a new session's validators) take effect at the next epoch.
//!
//! ## Invariants
//!
//! Checked by `Pallet::do_try_state` after every unit test and by `try-runtime`:
//!
//! - reporter lists without duplicates; the open epoch not after the current one; disabled
//!   reporters are positions of `Reporters`, each once, with no report in the open epoch; the
//!   session's disabled keys are keys of its validators, each once;
//! - reports only for the open epoch and the last accepted one (older ones are pruned); every
//!   report of the open epoch comes from a position of `Reporters`; stored scores are ≤ 1000,
//!   each LRT once per report;
//! - the last accepted epoch is not after the current one and has reports; every accepted score
//!   is from an accepted epoch and, if from the last one, is one of the scores reported for its
//!   LRT in it;
//! - accepted scores and market limits exist for the same LRTs; tiers are valid (ascending, the
//!   last covering 1000, LTV < threshold < 100 %, never looser for a riskier tier); every market
//!   limit has LTV < liquidation threshold < 100 %.
//!
//! ## Files
//!
//! - `lib.rs`: the FRAME parts: config, storage, genesis, events, errors, hooks and calls (each
//!   call checks its origin and delegates to a `Pallet::do_*` function);
//! - `functions.rs`: the calls' bodies, report validation (pool and call), the quorum's
//!   acceptance, the model's inputs from chain state and the views the runtime API serves;
//! - `model.rs`: the risk model itself, the pallet's pure arithmetic (this pallet's "math"
//!   module: validator, operator and LRT scores, the median), public as [`model`];
//! - `offchain.rs`: the off-chain worker that scores and submits reports;
//! - `impls.rs`: the `ballast_primitives` traits the pallet implements (`RiskLimits`), the
//!   `risk` session key binding and the session handler (`OneSessionHandler`);
//! - `session.rs`: the reporters from the session: its validators' keys, scheduled for the next
//!   epoch, and the validators it disables;
//! - `types.rs`: reports, tiers, accepted scores, limits, the `risk` key;
//! - `try_state.rs`: `do_try_state`, the invariants above;
//! - `weights.rs`, `benchmarking.rs`, `mock.rs`, `tests/`.
//!
//! See `pallets/risk/README.md` for the calls, events, errors and how the quorum works.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod functions;
mod impls;
#[cfg(test)]
mod mock;
pub mod model;
mod offchain;
mod session;
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
	/// Registers `n` LRTs and returns them.
	fn register_lrts(n: u32) -> alloc::vec::Vec<AssetId>;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use ballast_primitives::{
		lrt::LrtRegistry,
		risk::{ValidatorSummaries, ValuationRecords},
	};
	use frame_support::pallet_prelude::*;
	use frame_system::{offchain::CreateAuthorizedTransaction, pallet_prelude::*};
	use sp_runtime::Perbill;

	/// A report as the `report` call takes it.
	pub type ReportOf<T> = RiskReport<<T as Config>::AssetId, <T as Config>::MaxLrts>;
	/// A report's scores, as stored.
	pub type ScoresOf<T> = BoundedVec<(<T as Config>::AssetId, u16), <T as Config>::MaxLrts>;

	/// The risk pallet.
	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// The pallet's configuration.
	#[pallet::config]
	pub trait Config:
		frame_system::Config<RuntimeEvent: From<Event<Self>>, RuntimeCall: From<Call<Self>>>
		+ CreateAuthorizedTransaction<Call<Self>>
	{
		/// Identifier of an LRT (its `pallet-assets` asset id).
		type AssetId: Member + Parameter + Copy + MaxEncodedLen + Ord;
		/// The registered LRTs (the bridge).
		type Registry: LrtRegistry<Self::AssetId>;
		/// The model's inputs: the validator records (validator health).
		type Validators: ValidatorSummaries<Self::AssetId>;
		/// The model's inputs: the valuation's records (stakes, losses, rate history).
		type Valuation: ValuationRecords<Self::AssetId>;
		/// Who sets the tiers.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Blocks per scoring epoch.
		#[pallet::constant]
		type EpochBlocks: Get<BlockNumberFor<Self>>;
		/// The most reporters: the first `MaxReporters` validators of a session (in the session's
		/// order) report, the rest do not (`TooManyValidators`). Also bounds the work of the
		/// session handler.
		#[pallet::constant]
		type MaxReporters: Get<u32>;
		/// The most LRTs one report scores (the off-chain worker scores the first ones by id).
		#[pallet::constant]
		type MaxLrts: Get<u32>;
		/// The most tiers governance may set.
		#[pallet::constant]
		type MaxTiers: Get<u32>;
		/// How far from the median a report may be before it counts as disagreement.
		#[pallet::constant]
		type Tolerance: Get<u16>;
		/// The most a cap may rise per accepted epoch.
		#[pallet::constant]
		type LoosenStep: Get<Perbill>;
		/// The most the liquidation-threshold cap may fall per accepted epoch (in points of
		/// the threshold: 2 % moves 93 % to 91 %). Not zero. The LTV cap falls at once.
		#[pallet::constant]
		type MaxThresholdStepPerEpoch: Get<Perbill>;
		/// Pool priority of reports.
		#[pallet::constant]
		type ReportPriority: Get<TransactionPriority>;
		/// Weights of the calls and of the pool's validation of reports.
		type WeightInfo: WeightInfo;
		/// Sets up the runtime around the pallet for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AssetId>;
	}

	/// The keys allowed to report in the open epoch: the `risk` session keys of the validators
	/// of the session in force when the epoch opened (the first `MaxReporters`), each once.
	#[pallet::storage]
	pub type Reporters<T: Config> =
		StorageValue<_, BoundedVec<ReporterId, T::MaxReporters>, ValueQuery>;

	/// The reporters of a session that began during the open epoch with other keys than the
	/// next epoch would have: they replace `Reporters` when the next epoch opens.
	#[pallet::storage]
	pub type PendingReporters<T: Config> =
		StorageValue<_, BoundedVec<ReporterId, T::MaxReporters>, OptionQuery>;

	/// The `risk` keys of the current session's validators in the session's order (the first
	/// `MaxReporters`; a key two validators share appears twice): `on_disabled`'s validator
	/// index is a position here.
	#[pallet::storage]
	pub type ValidatorKeys<T: Config> =
		StorageValue<_, BoundedVec<ReporterId, T::MaxReporters>, ValueQuery>;

	/// The keys of the validators the session disabled, each once: pallet-session keeps them
	/// disabled until a session with a changed validator set begins, and so does this list.
	#[pallet::storage]
	pub type SessionDisabled<T: Config> =
		StorageValue<_, BoundedVec<ReporterId, T::MaxReporters>, ValueQuery>;

	/// Positions in `Reporters` whose reports do not count in the open epoch, each once: their
	/// key was disabled by the session during the epoch, or still was when it opened. Their
	/// report of the open epoch is removed and a new one refused; the quorum's denominator
	/// stays all of `Reporters`.
	#[pallet::storage]
	pub type DisabledReporters<T: Config> =
		StorageValue<_, BoundedVec<u32, T::MaxReporters>, ValueQuery>;

	/// The epoch whose reports are being collected (its reporters are `Reporters`). When the
	/// block's epoch differs, `on_initialize` closes it and opens the block's.
	#[pallet::storage]
	pub type OpenEpoch<T: Config> = StorageValue<_, Epoch, OptionQuery>;

	/// Score ranges and the market caps they set, ascending.
	#[pallet::storage]
	pub type Tiers<T: Config> = StorageValue<_, BoundedVec<Tier, T::MaxTiers>, ValueQuery>;

	/// Reports of an epoch, by reporter position in `Reporters`: only the open epoch's and the
	/// last accepted epoch's are kept.
	#[pallet::storage]
	pub type Reports<T: Config> =
		StorageDoubleMap<_, Twox64Concat, Epoch, Twox64Concat, u32, ScoresOf<T>, OptionQuery>;

	/// The last epoch whose scores were accepted.
	#[pallet::storage]
	pub type LastAccepted<T: Config> = StorageValue<_, Epoch, OptionQuery>;

	/// Each LRT's last accepted score, its tier and the epoch that accepted it.
	#[pallet::storage]
	pub type Scores<T: Config> = StorageMap<_, Blake2_128Concat, T::AssetId, Accepted, OptionQuery>;

	/// The caps accepted scores put on each LRT's lending markets now.
	#[pallet::storage]
	pub type MarketLimits<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AssetId, Limits, OptionQuery>;

	/// The tiers a chain starts with. The reporters come from pallet-session's genesis keys
	/// (`OneSessionHandler::on_genesis_session`).
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The tiers (valid as `set_tiers` requires, at most `MaxTiers`); none if empty.
		pub tiers: Vec<Tier>,
		/// Binds the configuration to the runtime.
		#[serde(skip)]
		pub _phantom: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if !self.tiers.is_empty() {
				assert!(tiers_are_valid(&self.tiers), "genesis risk tiers are invalid");
				let tiers: BoundedVec<_, T::MaxTiers> =
					self.tiers.clone().try_into().expect("genesis tiers fit MaxTiers");
				Tiers::<T>::put(tiers);
			}
		}
	}

	/// The pallet's events.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A new session's reporters took over, as their first epoch opened.
		ReportersSet {
			/// How many reporters are listed now.
			count: u32,
		},
		/// A session began whose validators' `risk` keys differ from the next epoch's
		/// reporters: they take over when the next epoch opens.
		ReportersScheduled {
			/// How many reporters the new list holds.
			count: u32,
			/// The first epoch they report in.
			from_epoch: Epoch,
		},
		/// Governance replaced the tiers.
		TiersSet,
		/// A reporter's report was stored.
		Reported {
			/// The epoch of the report.
			epoch: Epoch,
			/// Who reported.
			reporter: ReporterId,
		},
		/// A score further than the tolerance from the median of its LRT's scores: left out.
		Disagreement {
			/// The epoch of the report.
			epoch: Epoch,
			/// Who reported the score.
			reporter: ReporterId,
			/// The LRT scored.
			lrt: T::AssetId,
			/// The reporter's score.
			score: u16,
			/// The median of all the epoch's scores for the LRT.
			median: u16,
		},
		/// The epoch ended with reports from 2/3 of its reporters: its medians are accepted.
		EpochAccepted {
			/// The accepted epoch.
			epoch: Epoch,
			/// How many reports it collected.
			reports: u32,
		},
		/// The epoch ended with reports from fewer than 2/3 of its reporters: nothing changes
		/// and its reports are dropped.
		QuorumMissed {
			/// The epoch that ended.
			epoch: Epoch,
			/// How many reports it collected.
			reports: u32,
			/// How many reporters it had.
			reporters: u32,
		},
		/// In an accepted epoch, fewer than 2/3 of the reporters scored this LRT: its score and
		/// caps stay as they were.
		ScoreWithoutQuorum {
			/// The accepted epoch.
			epoch: Epoch,
			/// The LRT.
			lrt: T::AssetId,
			/// How many reports scored it.
			reports: u32,
		},
		/// An LRT's score was accepted and its market caps moved towards its tier's.
		ScoreAccepted {
			/// The LRT.
			lrt: T::AssetId,
			/// The accepted score (median of the agreeing reports).
			score: u16,
			/// The tier it falls in (index in `Tiers`).
			tier: u8,
			/// The LTV cap in force now.
			ltv: Perbill,
			/// The liquidation-threshold cap in force now (one step towards the tier's).
			liquidation_threshold: Perbill,
		},
		/// A session has more validators than `MaxReporters`: only the first `reporters` (in the
		/// session's order) report.
		TooManyValidators {
			/// How many validators the session has.
			validators: u32,
			/// How many of them report.
			reporters: u32,
		},
		/// The session disabled a reporter: its report of the open epoch was removed and its
		/// reports do not count until the session re-enables it and an epoch opens.
		ReporterDisabled {
			/// The disabled reporter's key.
			reporter: ReporterId,
		},
	}

	/// The pallet's errors.
	#[pallet::error]
	pub enum Error<T> {
		/// The key is not a reporter.
		NotAReporter,
		/// This reporter already reported in the epoch.
		AlreadyReported,
		/// The report is not for the current epoch.
		WrongEpoch,
		/// A score above 1000.
		ScoreOutOfRange,
		/// A score for an LRT that is not registered, or twice for one LRT.
		UnknownLrt,
		/// The signature is not the reporter's over the report's SCALE encoding.
		BadSignature,
		/// Tiers that are not ascending, do not end at 1000, have LTV ≥ threshold or a
		/// threshold of 100 %, loosen for a riskier tier, or exceed `MaxTiers`.
		InvalidTiers,
		/// The session disabled this reporter: its reports do not count in the open epoch.
		ReporterDisabled,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// At the first block of an epoch: closes the epoch that ended (acceptance, market
		/// limits, pruning) and opens the new one (pending reporters take over, the session's
		/// disabled validators stay excluded). One read on every other block.
		///
		/// Weight: `WeightInfo::close_epoch(r, l)` for the reports read or pruned and the LRTs
		/// scored, both bounded (`MaxReporters`, `MaxLrts`).
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::open_epoch_of(now)
		}

		fn integrity_test() {
			assert!(
				!T::MaxThresholdStepPerEpoch::get().is_zero(),
				"MaxThresholdStepPerEpoch must not be zero: the threshold could never tighten"
			);
		}

		/// On validators: once per epoch, score every registered LRT and submit this node's
		/// reports (`offchain.rs`).
		fn offchain_worker(now: BlockNumberFor<T>) {
			if sp_io::offchain::is_validator() {
				Self::report_from_local_keys(now);
			}
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// A reporter's scores for the current epoch, signed with its `risk` key; submitted by
		/// its validator's off-chain worker as an authorized transaction (no signer, no fee).
		///
		/// - origin: authorized (`#[pallet::authorize]`: the pool and the block check the report
		///   with `authorize_report`); signed and root origins are refused.
		/// - `report`: the epoch (the current one), the reporter's key, the block its state was
		///   read at, and `(lrt, score)` for registered LRTs, each once, scores ≤ 1000.
		/// - `signature`: the reporter's signature over the SCALE encoding of `report`.
		///
		/// Stores the report and emits `Reported`. Nothing is accepted here: the epoch is
		/// judged when it ends, over all its reports (`on_initialize`).
		///
		/// Errors: `NotAReporter`, `ReporterDisabled`, `BadSignature`, `WrongEpoch`,
		/// `AlreadyReported`, `ScoreOutOfRange`, `UnknownLrt`. In the pool: `BadProof` (key,
		/// disabled reporter or signature), `Stale` (epoch, duplicate), `Call` (scores).
		///
		/// Weight: `WeightInfo::report(MaxReporters, MaxLrts)`; the pool's check
		/// `WeightInfo::authorize_report(MaxLrts)`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::report(T::MaxReporters::get(), T::MaxLrts::get()))]
		#[pallet::authorize(Pallet::<T>::authorize_report)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_report(T::MaxLrts::get()))]
		pub fn report(
			origin: OriginFor<T>,
			report: ReportOf<T>,
			signature: ReporterSignature,
		) -> DispatchResult {
			frame_system::ensure_authorized(origin)?;
			Self::do_report(report, signature)
		}

		// Call index 1 (`set_reporters`) is retired: the reporters are the session's validators
		// (`OneSessionHandler`). It must not be reused.

		/// Replaces the tiers; they apply from the next accepted epoch.
		///
		/// - origin: `GovernanceOrigin`.
		/// - `tiers`: ascending `max_score`, the last = 1000, LTV < threshold < 100 % in each, a
		///   riskier tier never looser than a safer one, at most `MaxTiers`.
		///
		/// Emits `TiersSet`. Errors: `BadOrigin`, `InvalidTiers`.
		///
		/// Weight: `WeightInfo::set_tiers`.
		#[pallet::call_index(2)]
		pub fn set_tiers(origin: OriginFor<T>, tiers: Vec<Tier>) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_tiers(tiers)
		}
	}
}
