//! # LRT backing (valuation)
//!
//! Each LRT's backing rate, ETH per LRT, without price feeds:
//!
//! - the last proven `BackingReported` snapshot of its gateway gives `total_eth` and
//!   `total_supply` ([`Pallet::submit_backing_report`]);
//! - every loss proven since is subtracted at once: validator slashes and balance drops of its
//!   tracked validators (through `pallet-validator-health`'s hooks, which this pallet
//!   implements) and AVS slashes proven from EigenLayer's `AllocationManager`
//!   `OperatorSlashed` events ([`Pallet::submit_avs_slashing`]), scaled by the LRT's stake with
//!   that operator and strategy;
//! - effective rate = `min(reported, proven)`; a rise is capped at `max_yearly_growth` from the
//!   last rate, or from the unproven-fall baseline while it stands (as Aave's CAPO does); a
//!   proven loss applies immediately; reported falls no proven loss explains apply up to
//!   `max_unproven_fall` in all below the highest rate lending read within the last
//!   `fall_confirmation_delay` ([`FallBaselines`]), and the rest waits for a later snapshot, at
//!   least `fall_confirmation_delay` after the first, to confirm it ([`PendingFalls`]); every
//!   fall of the rate lending reads calls
//!   [`OnBackingRateDecreased`](ballast_primitives::valuation::OnBackingRateDecreased) in the
//!   same block;
//! - an LRT is re-rated (its rate stored, lending told of a fall) once per call however many
//!   losses the call proves: validator-health's hooks only book, remembering each LRT they
//!   touch ([`PendingRerates`]), and
//!   [`OnValidatorProofsApplied`](ballast_primitives::ethereum::OnValidatorProofsApplied), which
//!   validator-health calls at the end of the call, re-rates each once; an AVS slashing books
//!   every strategy of an LRT before re-rating it. Every call declares its worst case, bounded by
//!   `MaxValuedLrts`, and is refunded to what it did (README, Weights);
//! - a slash is booked only against a snapshot that predates it (a later snapshot's
//!   `total_eth` includes it), in two parts: the initial penalty, and the correlation and exit
//!   penalties, which only a snapshot `recognition_delay` after the correlation penalty is
//!   applied includes;
//! - an AVS slash is booked against an LRT, per strategy, only if it is at or after the first
//!   snapshot of the current run listing a stake with the operator in that strategy
//!   ([`Exposures`]): stakes delegated after the slash were never cut by it, and an old event
//!   cannot be replayed once the LRT delegates. Its loss is the slashed share of what a
//!   snapshot before the slash listed: the current one, or the run's previous one when a
//!   report was relayed before the slash (`Exposure::cut_by`); later listings, already cut and
//!   possibly grown, never count. It leaves the books with a later snapshot that shows the cut
//!   (lists the stake at most at what the cut left, [`AvsSlashCuts`]) as far as that
//!   snapshot's own figure carries it (its proven rate without the loss no higher than the last
//!   report's net of every loss booked), the rest `recognition_delay` after the slash: the cut
//!   stakes alone, which EigenLayer shows at once, never erase it. An AVS slashing
//!   event more than `MaxAvsSlashingAge` old is refused, so its seen-mark
//!   ([`SeenAvsSlashings`]) is pruned then, a few a block (`on_initialize`);
//! - stale data (no snapshot, or a snapshot or validator proofs older than configured, or a
//!   halted light client), an unconfirmed fall, or a tripped circuit breaker (a fall beyond
//!   `circuit_breaker_fall` within `circuit_breaker_window`) block new borrowing
//!   ([`BackingRate::borrow_rate`](ballast_primitives::valuation::BackingRate) is `None`), never
//!   liquidations.
//!
//! The expected loss of a slashed validator is booked in full when the slash is proven (less
//! what the snapshot already includes; the formula is `math::expected_slashing_penalties`,
//! documented in the README):
//! `initial = eb / 4096`, `correlation = eb · min(3 · S, A) / A` (S: effective balance of the
//! validators proven slashed in the last 8,192 epochs, this one included; A: Ethereum's total
//! active balance, a governance parameter), `exit = eb · exit_penalty`.
//!
//! ## Invariants
//!
//! Checked by `Pallet::do_try_state` (after every block under `try-runtime`, after every test):
//!
//! - `effective ≤ reported` and `effective ≤ proven`; below `min(reported, proven)` it sits at
//!   the growth cap;
//! - the stored rate never exceeds what the snapshot net of its losses gives: every loss and
//!   every snapshot re-rates the LRT by the end of its call (and a fall tells the lending
//!   pallet); no re-rating is left pending between calls;
//! - at most `MaxValuedLrts` LRTs have valuation settings;
//! - stored rates and histories belong to LRTs with a snapshot, histories are in time order and
//!   end with the stored rate;
//! - losses and booked slashes belong to valued LRTs, losses in booking order; every
//!   validator-slash loss is in `BookedSlashes` (which books each validator once), and every
//!   booked slash still has a loss in the books (entries leave with their last loss); every
//!   AVS-slash loss has its cut in [`AvsSlashCuts`], in the same order, and no other cut is
//!   kept;
//! - pending falls and unproven-fall baselines belong to LRTs with a snapshot;
//! - exactly the (operator, strategy) pairs of each LRT's snapshot have an [`Exposures`] entry,
//!   starting at or before the snapshot, its previous listing (if any) within the run and
//!   before the snapshot; every seen AVS slashing is queued once for pruning, and settings keep
//!   `recognition_delay + max_snapshot_age` within `MaxAvsSlashingAge`.
//!
//! The crate's `README.md` documents the rate's formula, the calls, events and errors, and
//! the file map: `lib.rs` (the pallet's declarations), `functions.rs` (the calls' bodies and the
//! rate), `impls.rs` (the traits other pallets use), `math.rs` (pure arithmetic), `types.rs`,
//! `try_state.rs` (the invariants), `weights.rs`, `benchmarking.rs`, `mock.rs` and `tests/`.

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
	/// Registers an LRT and makes the verifier hold a block with its gateway's
	/// `BackingReported` and an EigenLayer `OperatorSlashed` of its operator. Returns the LRT,
	/// both event proofs and the AllocationManager's address.
	fn story() -> (
		AssetId,
		snowbridge_verification_primitives::EventProof,
		snowbridge_verification_primitives::EventProof,
		sp_core::H160,
	);
}

/// The valuation pallet: its configuration, storage, events, errors, hooks and calls. The calls'
/// bodies are in `functions.rs`, the traits it implements in `impls.rs`.
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::boxed::Box;
	use ballast_primitives::proofs::ProofLengthFee;
	use ballast_primitives::{
		ethereum::{FinalizedBeaconBlocks, ValidatorFreshness},
		lrt::LrtRegistry,
		valuation::OnBackingRateDecreased,
	};
	use frame_support::{pallet_prelude::*, traits::UnixTime};
	use frame_system::pallet_prelude::*;
	use snowbridge_verification_primitives::{EventProof, Verifier};
	use sp_core::{H160, H256};
	use sp_runtime::FixedU128;

	/// The snapshot type of a runtime (its delegations bounded by [`Config::MaxStakes`]).
	pub type SnapshotOf<T> = Snapshot<<T as Config>::MaxStakes>;

	/// The valuation pallet.
	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// The valuation's configuration.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Identifier of an LRT (its `pallet-assets` asset id).
		type AssetId: Member + Parameter + Copy + MaxEncodedLen + Ord;
		/// The registered LRTs (the bridge).
		type Registry: LrtRegistry<Self::AssetId>;
		/// Snowbridge's proof verifier.
		type Verifier: Verifier;
		/// The light client's finalized slot (freshness of validator proofs).
		type LightClient: FinalizedBeaconBlocks;
		/// How fresh each LRT's validator proofs are.
		type Validators: ValidatorFreshness<Self::AssetId>;
		/// Told of every fall of a rate, in the same block.
		type OnBackingRateDecreased: OnBackingRateDecreased<Self::AssetId>;
		/// Bounds a proof's size, weighs its bytes and charges its submitter for them: reports
		/// and slashings are free when they succeed, but their bytes are paid, as deposits'
		/// are (the runtime: the bridge, at transaction payment's length price).
		type ProofFees: ProofLengthFee<Self::AccountId>;
		/// Wall-clock time (unix), for the growth cap and staleness.
		type Time: UnixTime;
		/// Sets the valuation settings and EigenLayer's AllocationManager address.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Delegations a snapshot holds.
		#[pallet::constant]
		type MaxStakes: Get<u32>;
		/// Losses kept per LRT (older ones merge).
		#[pallet::constant]
		type MaxLosses: Get<u32>;
		/// Rates kept in each LRT's history.
		#[pallet::constant]
		type MaxHistory: Get<u32>;
		/// Slashings kept for the correlation window.
		#[pallet::constant]
		type MaxRecentSlashings: Get<u32>;
		/// LRTs that may have valuation settings: bounds the LRTs an AVS slashing scans and
		/// books, and those the validator proofs of one call re-rate.
		#[pallet::constant]
		type MaxValuedLrts: Get<u32>;
		/// The oldest `OperatorSlashed` event [`Pallet::submit_avs_slashing`] accepts, in
		/// seconds from its execution block's Ethereum time to Ballast's clock
		/// (`SlashingTooOld` beyond it). Its seen-mark ([`SeenAvsSlashings`]) is pruned once
		/// the event is that old, since it is refused anyway. Should be at least the light
		/// client's provable window (about 24 days at one finalized header per epoch), so that
		/// the age, not how often headers are relayed, decides; `set_params` refuses a
		/// `recognition_delay + max_snapshot_age` beyond it, so an event refused as too old is
		/// included in every LRT's snapshot that is not stale (e.g. 90 days).
		#[pallet::constant]
		type MaxAvsSlashingAge: Get<u64>;
		/// Weights of the calls (`scripts/benchmark.sh` measures them in the runtime's wasm).
		type WeightInfo: WeightInfo;
		/// Sets up a registered LRT and its proven events, for benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AssetId>;
	}

	/// Valuation settings per LRT (an LRT without them is not valued).
	#[pallet::storage]
	pub type Params<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AssetId, BackingParams, OptionQuery>;

	/// EigenLayer's `AllocationManager` on the Ethereum network Ballast follows.
	#[pallet::storage]
	pub type AllocationManager<T: Config> = StorageValue<_, H160, OptionQuery>;

	/// Each LRT's last proven `BackingReported` snapshot (its nonce only moves forward).
	#[pallet::storage]
	pub type Snapshots<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AssetId, SnapshotOf<T>, OptionQuery>;

	/// Losses proven since each LRT's snapshot, not yet in its own accounting.
	#[pallet::storage]
	pub type Losses<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AssetId, BoundedVec<Loss, T::MaxLosses>, ValueQuery>;

	/// A reported fall waiting for confirmation, per LRT (borrowing on the LRT pauses meanwhile).
	#[pallet::storage]
	pub type PendingFalls<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AssetId, PendingFall, OptionQuery>;

	/// Each LRT's unproven-fall baseline: the highest rate lending read within the last
	/// `fall_confirmation_delay` (Ballast time), lowered by every loss proven since, and when it
	/// was last read (it stands until `fall_confirmation_delay` after). Snapshots may lower the
	/// rate at most `max_unproven_fall` below it in all without confirmation, and the rate may
	/// recover up to it without the growth cap. One value per LRT: a higher rate replaces it, a
	/// lower one refreshes it, so it is never below the highest rate read within the delay; a
	/// confirmed fall restarts it at the confirmed rate.
	#[pallet::storage]
	pub type FallBaselines<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AssetId, StoredRate, OptionQuery>;

	/// When (Ballast time, unix seconds) each LRT's circuit breaker tripped: borrowing pauses
	/// until `circuit_breaker_window` later or until governance clears it.
	#[pallet::storage]
	pub type CircuitBreakers<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AssetId, u64, OptionQuery>;

	/// The rates lending read before each change within the circuit breaker's window, highest
	/// first (a decreasing sequence: its first entry is the window's highest rate).
	#[pallet::storage]
	pub type RateWindow<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AssetId,
		BoundedVec<StoredRate, MaxBreakerSamples>,
		ValueQuery,
	>;

	/// Validators proven slashed while their LRT had no valuation settings, booked when the
	/// settings are first set (at most `MaxLosses` per LRT).
	#[pallet::storage]
	pub type UnvaluedSlashes<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AssetId,
		BoundedVec<UnvaluedSlash, T::MaxLosses>,
		ValueQuery,
	>;

	/// The effective rate as of the last event.
	#[pallet::storage]
	pub type Rates<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AssetId, StoredRate, OptionQuery>;

	/// Each LRT's recent rates, oldest first.
	#[pallet::storage]
	pub type History<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AssetId,
		BoundedVec<StoredRate, T::MaxHistory>,
		ValueQuery,
	>;

	/// Validators whose slash is booked (once each), per LRT and beacon-chain index, while any
	/// part of it is in the books (a [`LossKind::ValidatorSlashed`] or
	/// [`LossKind::LaterSlashingPenalties`] loss, or the merged loss, [`MergedSlashes`]): their
	/// balance drops are covered by the booked penalties meanwhile.
	#[pallet::storage]
	pub type BookedSlashes<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AssetId, Twox64Concat, u64, (), OptionQuery>;

	/// Validators part of whose slash was merged into the LRT's merged loss
	/// ([`LossKind::Merged`]): they stay in [`BookedSlashes`] until it leaves the books (at most
	/// `MaxLosses`; past that, one with no other loss left is released at once).
	#[pallet::storage]
	pub type MergedSlashes<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AssetId, BoundedVec<u64, T::MaxLosses>, ValueQuery>;

	/// `(slot, effective balance Gwei)` of proven slashes, for the correlation penalty.
	#[pallet::storage]
	pub type RecentSlashings<T: Config> =
		StorageValue<_, BoundedVec<(u64, u64), T::MaxRecentSlashings>, ValueQuery>;

	/// AVS slashing events already booked (by log and block), with their execution block's
	/// Ethereum time (unix seconds). Each is pruned once older than `MaxAvsSlashingAge`
	/// ([`SeenAvsSlashingsQueue`]): the event is refused as too old from then on, so the mark
	/// is no longer needed to refuse a replay.
	#[pallet::storage]
	pub type SeenAvsSlashings<T: Config> = StorageMap<_, Identity, H256, u64, OptionQuery>;

	/// The booked AVS slashing events in booking order (queue index → event id), pruned from the
	/// front a few a block once older than `MaxAvsSlashingAge`. Every event is accepted at most
	/// `MaxAvsSlashingAge` after its Ethereum time, so each entry, and every one booked before
	/// it, is pruned about `MaxAvsSlashingAge` after its booking at the latest.
	#[pallet::storage]
	pub type SeenAvsSlashingsQueue<T: Config> = StorageMap<_, Twox64Concat, u64, H256, OptionQuery>;

	/// The queue's bounds: the index of its oldest entry and the index its next entry takes
	/// (equal when empty).
	#[pallet::storage]
	pub type SeenAvsSlashingsBounds<T: Config> = StorageValue<_, (u64, u64), ValueQuery>;

	/// Each LRT's exposure to each (operator, strategy), as far as Ballast can prove it
	/// ([`Exposure`]): the position of the first snapshot of the current uninterrupted run of
	/// snapshots listing a stake with the operator in the strategy, and what the run's previous
	/// snapshot listed (its position and shares) (kept while later snapshots list the pair, removed by
	/// the first that does not). An AVS slash before `since` is not booked against those
	/// stakes: they were not known to be delegated then. Exactly the pairs of each LRT's
	/// snapshot have an entry (at most `MaxStakes` per LRT).
	#[pallet::storage]
	pub type Exposures<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AssetId,
		Blake2_128Concat,
		(H160, H160),
		Exposure,
		OptionQuery,
	>;

	/// What each AVS-slash loss in an LRT's books cut ([`AvsSlashCut`]): one entry per
	/// [`LossKind::AvsSlash`] loss of [`Losses`], in the same order (the n-th entry belongs to the
	/// n-th such loss), added when the loss is booked and removed when it leaves the books or is
	/// merged (a loss carried in part keeps its cut). A snapshot after the slash that shows the
	/// cut includes the loss, before `recognition_delay`, as far as its own figure carries it.
	/// Empty lists are removed.
	#[pallet::storage]
	pub type AvsSlashCuts<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AssetId,
		BoundedVec<AvsSlashCut, T::MaxLosses>,
		ValueQuery,
	>;

	/// The LRTs whose losses the validator hooks booked in the current call, in the order they
	/// were first touched, each with the rate lending read before its first loss. The hooks only
	/// book; `OnValidatorProofsApplied::on_validator_proofs_applied`, which the caller calls at
	/// the end of the same call, re-rates each once (and tells lending of its fall once) and
	/// empties the list: it is empty between calls.
	#[pallet::storage]
	pub type PendingRerates<T: Config> =
		StorageValue<_, BoundedVec<(T::AssetId, Option<FixedU128>), T::MaxValuedLrts>, ValueQuery>;

	/// Events of the valuation.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Governance set an LRT's valuation settings.
		ParamsSet {
			/// The LRT.
			lrt: T::AssetId,
		},
		/// Governance set EigenLayer's AllocationManager address.
		AllocationManagerSet {
			/// The AllocationManager contract on the Ethereum network Ballast follows.
			address: H160,
		},
		/// A proven snapshot replaced the last one.
		SnapshotAccepted {
			/// The LRT.
			lrt: T::AssetId,
			/// Wei backing all the LRT's tokens, by its own accounting.
			total_eth: u128,
			/// The LRT's total supply.
			total_supply: u128,
			/// The gateway event's nonce.
			nonce: u64,
		},
		/// A proven loss was booked.
		LossBooked {
			/// The LRT whose backing lost.
			lrt: T::AssetId,
			/// What the loss was.
			kind: LossKind,
			/// The loss, in wei of ETH.
			wei: u128,
		},
		/// The effective rate changed.
		RateChanged {
			/// The LRT.
			lrt: T::AssetId,
			/// The rate lending read just before (`None` for the LRT's first rate).
			previous: Option<FixedU128>,
			/// The rate stored now.
			current: FixedU128,
		},
		/// A snapshot reported a fall beyond `max_unproven_fall` (below the unproven-fall
		/// baseline) that no proven loss explains: the rate is held at the bound and borrowing
		/// pauses until a later snapshot confirms or cancels it. Later snapshots still beyond the
		/// bound within the delay keep this episode (no new event).
		FallPending {
			/// The LRT.
			lrt: T::AssetId,
			/// The snapshot's nonce.
			nonce: u64,
			/// The snapshot's own reported rate (waiting for confirmation).
			reported: FixedU128,
			/// The effective rate held meanwhile.
			held: FixedU128,
		},
		/// A later snapshot, at least `fall_confirmation_delay` after the one that started the
		/// pending fall, still reported a fall beyond the bound: the rate falls to that
		/// snapshot's own (net of proven losses).
		FallConfirmed {
			/// The LRT.
			lrt: T::AssetId,
			/// The nonce of the snapshot that started the pending fall.
			nonce: u64,
			/// The nonce of the snapshot that confirmed it.
			confirmed_by: u64,
		},
		/// A later snapshot reported a rate back within the bound of the pending fall's
		/// baseline: the pending fall is dropped and the rate may recover up to that baseline.
		FallCancelled {
			/// The LRT.
			lrt: T::AssetId,
			/// The nonce of the snapshot that started the cancelled fall.
			nonce: u64,
			/// The nonce of the snapshot that cancelled it.
			cancelled_by: u64,
		},
		/// The effective rate fell more than `circuit_breaker_fall` within
		/// `circuit_breaker_window`: borrowing against the LRT pauses (liquidations go on).
		CircuitBreakerTripped {
			/// The LRT.
			lrt: T::AssetId,
			/// The highest rate lending read within the window.
			peak: FixedU128,
			/// The rate now.
			current: FixedU128,
		},
		/// Governance cleared an LRT's circuit breaker: borrowing resumes (if nothing else
		/// blocks it).
		CircuitBreakerCleared {
			/// The LRT.
			lrt: T::AssetId,
		},
		/// A validator proven slashed no later than the LRT's snapshot: its initial penalty is in
		/// the snapshot's `total_eth` already and is not booked; its correlation and exit
		/// penalties are booked (`LossBooked`) unless the snapshot includes them too.
		SlashAlreadyReported {
			/// The LRT.
			lrt: T::AssetId,
			/// The validator's beacon-chain index.
			index: u64,
		},
		/// A validator proven slashed while its LRT has no valuation settings: recorded, booked
		/// when they are first set.
		UnvaluedSlashRecorded {
			/// The LRT.
			lrt: T::AssetId,
			/// The validator's beacon-chain index.
			index: u64,
		},
		/// A slash of an LRT without valuation settings could not be recorded: `MaxLosses` are
		/// already waiting.
		UnvaluedSlashNotRecorded {
			/// The LRT.
			lrt: T::AssetId,
			/// The validator's beacon-chain index.
			index: u64,
		},
	}

	/// Errors of the valuation.
	#[pallet::error]
	pub enum Error<T> {
		/// The LRT has no valuation settings.
		NotValued,
		/// The log is not a `BackingReported` (or `OperatorSlashed`) event.
		WrongEvent,
		/// No LRT is registered for the reported token.
		UnknownToken,
		/// The log was not emitted by the LRT's gateway (or by EigenLayer's AllocationManager).
		WrongEmitter,
		/// A snapshot at least as new is already accepted.
		StaleSnapshot,
		/// A snapshot of zero supply cannot give a rate.
		ZeroSupply,
		/// A snapshot of zero backing (`total_eth`) is refused: no LRT is worth nothing by its
		/// own account short of a failure a proven loss would show.
		ZeroBacking,
		/// The slashing event is more than `recognition_delay` before the snapshot of every
		/// exposed LRT: those snapshots' `total_eth` include it.
		SlashPrecedesSnapshot,
		/// The LRT's circuit breaker is not tripped.
		CircuitBreakerNotTripped,
		/// The proof is larger than the bridge's `MaxProofSize` bytes (refused before anything
		/// is decoded, looked up or verified).
		ProofTooLarge,
		/// More delegations than a snapshot holds.
		TooManyStakes,
		/// The proof does not show the log in a finalized Ethereum block.
		InvalidProof,
		/// This slashing event was already booked.
		AlreadyBooked,
		/// No AllocationManager address is configured.
		NoAllocationManager,
		/// The slashing touches no valued LRT's stake, or none exposed to the operator at the
		/// event in a slashed strategy (its snapshots listed the stake only after it:
		/// [`Exposures`]).
		NoExposure,
		/// Parameters out of range (zero total active balance, zero circuit-breaker fall, or
		/// `recognition_delay + max_snapshot_age` beyond `MaxAvsSlashingAge`).
		InvalidParams,
		/// `MaxValuedLrts` LRTs have valuation settings already.
		TooManyValuedLrts,
		/// The slashing event's execution block is more than `MaxAvsSlashingAge` older than
		/// Ballast's clock.
		SlashingTooOld,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			// Booking a loss into full books merges the two oldest.
			assert!(T::MaxLosses::get() >= 2, "MaxLosses must hold at least two losses");
			assert!(T::MaxValuedLrts::get() >= 1, "MaxValuedLrts must allow a valued LRT");
			assert!(T::MaxAvsSlashingAge::get() > 0, "MaxAvsSlashingAge must allow a slashing");
		}

		/// Prunes the seen-marks of AVS slashing events older than `MaxAvsSlashingAge`, oldest
		/// booked first, at most [`MAX_AVS_SLASHINGS_PRUNED_PER_BLOCK`] a block; returns the
		/// weight used ([`Pallet::prune_seen_avs_slashings_weight`]).
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			Self::prune_seen_avs_slashings()
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Sets an LRT's valuation settings (an LRT without them is not valued). The first time,
		/// the slashes proven while the LRT had none ([`UnvaluedSlashes`]) are booked.
		///
		/// - Origin: `GovernanceOrigin`.
		/// - `lrt`: the LRT's asset id.
		/// - `params`: growth cap, staleness limits, Ethereum's total active balance (non-zero),
		///   exit penalty, recognition delay (with `max_snapshot_age`, at most
		///   `MaxAvsSlashingAge`), unproven-fall bound and confirmation delay, circuit breaker
		///   (non-zero fall) ([`BackingParams`]).
		///
		/// Emits `ParamsSet` (and `LossBooked` per recorded slash). Errors: `BadOrigin`,
		/// `InvalidParams`, `TooManyValuedLrts` (a new LRT beyond `MaxValuedLrts`). Weight:
		/// `WeightInfo::set_params` plus counting the valued LRTs and `MaxLosses` bookings.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::set_params()
			.saturating_add(T::DbWeight::get().reads(T::MaxValuedLrts::get().into()))
			.saturating_add(Pallet::<T>::unvalued_booking_weight(T::MaxLosses::get())))]
		pub fn set_params(
			origin: OriginFor<T>,
			lrt: T::AssetId,
			params: BackingParams,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(
				params.total_active_balance_gwei > 0 && !params.circuit_breaker_fall.is_zero(),
				Error::<T>::InvalidParams
			);
			// An AVS slash refused as too old must be one every fresh snapshot includes.
			ensure!(
				params.recognition_delay.saturating_add(params.max_snapshot_age)
					<= T::MaxAvsSlashingAge::get(),
				Error::<T>::InvalidParams
			);
			Self::do_set_params(lrt, params)
		}

		/// Sets EigenLayer's AllocationManager address, the only emitter of `OperatorSlashed`
		/// events [`Pallet::submit_avs_slashing`] accepts.
		///
		/// - Origin: `GovernanceOrigin`.
		/// - `address`: the AllocationManager contract on the Ethereum network Ballast follows.
		///
		/// Emits `AllocationManagerSet`. Errors: `BadOrigin`. Weight: `WeightInfo::set_params`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_allocation_manager(origin: OriginFor<T>, address: H160) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_allocation_manager(address)
		}

		/// Accepts a proven `BackingReported` snapshot of an LRT's gateway: the LRT's new
		/// `total_eth` and `total_supply`. Losses the snapshot includes leave the books (those
		/// without an Ethereum position once booked `recognition_delay` before its Ethereum time,
		/// the others once it is at or after their position; `Loss::included_in`; and an AVS
		/// slash whose cut the snapshot shows, as far as its figure carries it: [`AvsSlashCuts`],
		/// the README's Rules), with the booked slashes nothing is left of, and the LRT is
		/// re-rated. Each (operator, strategy)
		/// the snapshot lists and the last did not is exposed from its position on, one both
		/// list keeps its run's start and records what the last listed, one it no longer
		/// lists is not exposed ([`Exposures`]). Free when it succeeds.
		///
		/// - Origin: signed, anyone.
		/// - `event`: the gateway's `BackingReported` log with its receipt proof up to a
		///   finalized beacon block (Snowbridge's `EventProof`).
		///
		/// Falls that no proven loss explains lower the rate by `max_unproven_fall` in all below
		/// the unproven-fall baseline ([`FallBaselines`]); the rest is held at that bound until a
		/// snapshot at least `fall_confirmation_delay` after the first still reports a fall
		/// beyond it, which confirms it at its own rate ([`PendingFalls`]).
		///
		/// Emits `SnapshotAccepted`, `FallPending`/`FallConfirmed`/`FallCancelled` as the case
		/// may be, `RateChanged` if the effective rate changed (a fall also calls
		/// `OnBackingRateDecreased`) and `CircuitBreakerTripped` on a fall beyond the breaker's.
		/// Errors: `ProofTooLarge`, `WrongEvent`, `UnknownToken`, `WrongEmitter`, `NotValued`,
		/// `StaleSnapshot` (nonce not newer), `ZeroSupply`, `ZeroBacking`, `TooManyStakes`,
		/// `InvalidProof`, and the length fee's `CannotPayLengthFee`. Free when it succeeds,
		/// except for the proof's bytes: `ProofFees` charges the submitter their length fee.
		/// Weight: [`Pallet::backing_report_weight_without_exposure`]
		/// (`WeightInfo::submit_backing_report(MaxLosses)` plus the fall's and the breaker's
		/// storage, the booked slashes released, the snapshot's stakes summed
		/// ([`Pallet::snapshot_stakes_weight`]) and `OnBackingRateDecreased::weight`), the
		/// exposure index at most ([`Pallet::exposure_index_weight`]) and the proof's bytes;
		/// refunded to the exposure entries read and written
		/// ([`Pallet::exposure_index_actual_weight`]).
		#[pallet::call_index(2)]
		#[pallet::weight(Pallet::<T>::backing_report_weight_without_exposure()
			.saturating_add(Pallet::<T>::exposure_index_weight())
			.saturating_add(T::ProofFees::proof_bytes_weight(Pallet::<T>::proof_size(event))))]
		pub fn submit_backing_report(
			origin: OriginFor<T>,
			event: Box<EventProof>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let size = Self::checked_proof_size(&event)?;
			let mut post = Self::do_submit_backing_report(&event)?;
			T::ProofFees::charge(&who, size)?;
			post.actual_weight = post
				.actual_weight
				.map(|weight| weight.saturating_add(T::ProofFees::proof_bytes_weight(size)));
			Ok(post)
		}

		/// Books a proven `OperatorSlashed` event of EigenLayer's AllocationManager against every
		/// valued LRT whose snapshot delegates to that operator in a slashed strategy, exposed to
		/// the operator in that strategy since no later than the event ([`Exposures`]), and
		/// whose snapshot does not include it yet (one `recognition_delay` after it does), per
		/// strategy: `shares · wadSlashed / 1e18` of the shares the snapshot lists if it precedes
		/// the event, else of those the run's previous snapshot listed if that one precedes it
		/// (otherwise refused: `SlashPrecedesSnapshot`), with its cut ([`AvsSlashCuts`]: a later
		/// snapshot showing it may include the loss before `recognition_delay`). Each such LRT is
		/// re-rated. Free when it succeeds. An event
		/// more than `MaxAvsSlashingAge` old is refused.
		///
		/// - Origin: signed, anyone.
		/// - `event`: the AllocationManager's `OperatorSlashed` log with its receipt proof up to
		///   a finalized beacon block (Snowbridge's `EventProof`).
		///
		/// Emits `LossBooked` per exposed LRT and strategy, and `RateChanged` per LRT whose rate
		/// fell (each fall also calls `OnBackingRateDecreased`, once per LRT). Errors:
		/// `ProofTooLarge`, `NoAllocationManager`, `WrongEmitter`, `WrongEvent`, `SlashingTooOld`,
		/// `AlreadyBooked`, `NoExposure` (no valued LRT exposed to the operator at the event),
		/// `SlashPrecedesSnapshot` (every exposed LRT's snapshot is `recognition_delay` or more
		/// after the event),
		/// `InvalidProof`, and the length fee's `CannotPayLengthFee` (the proof's bytes are paid
		/// even though the call is free). Weight: [`Pallet::avs_slashing_weight`]: every valued LRT
		/// (`MaxValuedLrts`) scanned, exposed, booked once per strategy the log can name and
		/// re-rated, plus the proof's bytes; refunded to the LRTs scanned, exposed and booked.
		#[pallet::call_index(3)]
		#[pallet::weight(Pallet::<T>::avs_slashing_weight(event)
			.saturating_add(T::ProofFees::proof_bytes_weight(Pallet::<T>::proof_size(event))))]
		pub fn submit_avs_slashing(
			origin: OriginFor<T>,
			event: Box<EventProof>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let size = Self::checked_proof_size(&event)?;
			let mut post = Self::do_submit_avs_slashing(&event)?;
			T::ProofFees::charge(&who, size)?;
			post.actual_weight = post
				.actual_weight
				.map(|weight| weight.saturating_add(T::ProofFees::proof_bytes_weight(size)));
			Ok(post)
		}

		/// Clears an LRT's tripped circuit breaker before its window ends: borrowing resumes (if
		/// nothing else blocks it), and the window starts afresh from the current rate.
		///
		/// - Origin: `GovernanceOrigin`.
		/// - `lrt`: the LRT's asset id.
		///
		/// Emits `CircuitBreakerCleared`. Errors: `BadOrigin`, `CircuitBreakerNotTripped`.
		/// Weight: `WeightInfo::set_params` plus one write.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_params().saturating_add(T::DbWeight::get().writes(1)))]
		pub fn clear_circuit_breaker(origin: OriginFor<T>, lrt: T::AssetId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_clear_circuit_breaker(lrt)
		}
	}
}
