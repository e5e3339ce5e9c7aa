//! # Governance
//!
//! Delayed enactment for Ballast's collectives, replacing the sudo key:
//!
//! - the council (`ParametersOrigin`, its majority) changes protocol parameters with
//!   `schedule_parameters(call)`: the call runs with [`Origin::Parameters`] `ParametersDelay`
//!   blocks later, so users see every change coming;
//! - root-only calls (runtime upgrades, the light client's checkpoint) need the council's
//!   supermajority to `propose_root(call)` *and* the technical committee to
//!   `approve_root(call_hash)`; the call then runs with the root origin `RootDelay` blocks later;
//! - until a change runs, `CancelOrigin` (the technical committee or the council) may `cancel`
//!   it, or `reject_root` a root proposal still awaiting approval: both only stop changes.
//!
//! polkadot-sdk has no pallet enforcing "this origin's calls take effect N blocks later" short
//! of `pallet-referenda` (OpenGov, too heavy here): this pallet is that glue, on
//! `pallet-scheduler` (v3 `Named`) and `pallet-preimage` (calls over 128 bytes).
//!
//! ## How a change runs
//!
//! The pallet schedules, under the name [`task_name`]`(id)`, not the call itself but its
//! enactment `enact(id, call)`, dispatched by the scheduler with the track's origin. `enact`
//! runs the call only if change `id` is still in `Pending`, on the same track as the origin, due
//! (`at` ≤ now) and the call is the one recorded (same hash); it removes the entry, dispatches
//! the call with that same origin and emits `Enacted` with the call's result. So `Pending` holds
//! exactly the changes that have yet to run, with no hook and no pruning, and cancelling is
//! removing the entry: the scheduler's task then finds nothing to enact and only releases its
//! preimage. (`ScheduleNamed::cancel_named` is not used: pallet-scheduler 51 does not release the
//! preimage request of a task cancelled through it, which would leave a large call's preimage on
//! chain for good.)
//!
//! ## Invariants
//!
//! Checked by `Pallet::do_try_state` after every unit test and by `try-runtime`:
//!
//! - `Pending` and `AwaitingApproval` hold at most `MaxPending` entries each, their counters
//!   match, every number is below `NextChangeId`, and no number is in both;
//! - every pending change not yet due is in the scheduler's agenda, under its task name, at its
//!   block;
//! - every awaiting proposal's enactment is available: inline, or a preimage that is stored and
//!   requested (this pallet holds one request per awaiting proposal, the scheduler one per
//!   scheduled task).
//!
//! See `pallets/governance/README.md` for the calls, origins, events and errors.

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

use frame_support::traits::{Bounded, EnsureOrigin, OriginTrait};

/// The runtime's `OriginCaller`: what the scheduler dispatches with.
pub type PalletsOriginOf<T> =
	<<T as frame_system::Config>::RuntimeOrigin as OriginTrait>::PalletsOrigin;

/// A call as the scheduler stores it: inline if at most 128 bytes, else its preimage's hash and
/// length.
pub type BoundedCallOf<T> =
	Bounded<<T as frame_system::Config>::RuntimeCall, <T as frame_system::Config>::Hashing>;

/// A scheduled change as `Pending` records it.
pub type PendingChangeOf<T> = PendingChange<
	frame_system::pallet_prelude::BlockNumberFor<T>,
	<T as frame_system::Config>::Hash,
>;

/// A root proposal as `AwaitingApproval` records it.
pub type RootProposalOf<T> =
	RootProposal<frame_system::pallet_prelude::BlockNumberFor<T>, BoundedCallOf<T>>;

/// Passes only [`Origin::Parameters`], the origin a council parameter change runs with once its
/// delay has passed. Pallets guard their parameter setters with it (possibly
/// `EitherOf<EnsureRoot, EnsureParameters>`). It is not root: root-only calls refuse it.
pub struct EnsureParameters;

impl<O: OriginTrait> EnsureOrigin<O> for EnsureParameters
where
	O::PalletsOrigin: From<Origin>,
{
	type Success = ();

	fn try_origin(o: O) -> Result<Self::Success, O> {
		if *o.caller() == O::PalletsOrigin::from(Origin::Parameters) {
			Ok(())
		} else {
			Err(o)
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<O, ()> {
		Ok(O::PalletsOrigin::from(Origin::Parameters).into())
	}
}

/// What the benchmarks need from the runtime.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<Call> {
	/// One of the runtime's `EmergencyCalls` that succeeds as root.
	fn emergency_call() -> Call;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::{boxed::Box, vec::Vec};
	use frame_support::{
		dispatch::{
			extract_actual_weight, GetDispatchInfo, PostDispatchInfo, WithPostDispatchInfo,
		},
		pallet_prelude::*,
		traits::{
			schedule::{v3::Named as ScheduleNamed, DispatchTime, HARD_DEADLINE},
			Contains, QueryPreimage, StorePreimage,
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{
		traits::{Dispatchable, Hash, Saturating},
		ArithmeticError,
	};

	/// The governance pallet.
	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// The pallet's configuration.
	///
	/// The runtime's `OriginCaller` must convert from [`Origin`] (it does once the pallet is in
	/// the runtime) and its `RuntimeCall` from this pallet's calls.
	#[pallet::config]
	pub trait Config:
		frame_system::Config<
		RuntimeEvent: From<Event<Self>>,
		RuntimeCall: From<Call<Self>> + Dispatchable<PostInfo = PostDispatchInfo>,
		RuntimeOrigin: OriginTrait<PalletsOrigin: From<Origin>>,
	>
	{
		/// The scheduler (`pallet_scheduler::Pallet`) that dispatches enactments.
		type Scheduler: ScheduleNamed<
			BlockNumberFor<Self>,
			<Self as frame_system::Config>::RuntimeCall,
			PalletsOriginOf<Self>,
			Hasher = Self::Hashing,
		>;
		/// Where calls over 128 bytes are stored (`pallet_preimage::Pallet`): the same as the
		/// scheduler's.
		type Preimages: QueryPreimage<H = Self::Hashing> + StorePreimage;
		/// Who schedules parameter changes: the council's majority.
		type ParametersOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Who proposes root changes: the council's supermajority (2/3).
		type RootProposeOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Who approves the council's root proposals: the technical committee.
		type RootApproveOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Who cancels pending changes and rejects root proposals: the technical committee or
		/// the council (both only stop changes).
		type CancelOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Blocks between scheduling a parameter change and its run, unless the chain's genesis
		/// sets [`Delays`]. At least 1.
		#[pallet::constant]
		type ParametersDelay: Get<BlockNumberFor<Self>>;
		/// Blocks between approving a root change and its run, unless the chain's genesis sets
		/// [`Delays`]. At least `ParametersDelay`.
		#[pallet::constant]
		type RootDelay: Get<BlockNumberFor<Self>>;
		/// The most changes pending, and the most root proposals awaiting approval. At least 1.
		#[pallet::constant]
		type MaxPending: Get<u32>;
		/// Who dispatches protective root-only calls at once (`emergency`): the technical
		/// committee.
		type EmergencyOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The root-only calls that only protect (halting the Ethereum light client): what
		/// `emergency` may dispatch. Never a call that loosens, moves funds or changes code.
		type EmergencyCalls: Contains<<Self as frame_system::Config>::RuntimeCall>;
		/// The calls the chain's pauses (safe mode, tx-pause) refuse now, calls inside batches
		/// and wrappers included: a parameter change whose call is one of them waits
		/// (`Postponed`) instead of failing. (The call filter alone sees only the outer call.)
		type Paused: Contains<<Self as frame_system::Config>::RuntimeCall>;
		/// Weights of the calls.
		type WeightInfo: WeightInfo;
		/// What the benchmarks need from the runtime.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<<Self as frame_system::Config>::RuntimeCall>;
	}

	/// The origin a parameter change runs with: dispatched by the scheduler only, for a change
	/// the council scheduled `ParametersDelay` blocks before.
	#[pallet::origin]
	#[derive(
		Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
	)]
	pub enum Origin {
		/// A council parameter change whose delay has passed.
		Parameters,
	}

	/// The delays of this chain, `(parameters, root)` in blocks, when its genesis set them
	/// (test networks wait a few blocks, so a whole governance cycle fits in a test); otherwise
	/// `ParametersDelay` and `RootDelay`. Only a root change (a runtime upgrade with a
	/// migration) changes them later.
	#[pallet::storage]
	pub type Delays<T: Config> =
		StorageValue<_, (BlockNumberFor<T>, BlockNumberFor<T>), OptionQuery>;

	/// The chain's own delays, if not `ParametersDelay` and `RootDelay`.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Blocks a parameter change waits (at least 1).
		pub parameters_delay: Option<BlockNumberFor<T>>,
		/// Blocks a root change waits (at least the parameters delay).
		pub root_delay: Option<BlockNumberFor<T>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if self.parameters_delay.is_none() && self.root_delay.is_none() {
				return;
			}
			let parameters = self.parameters_delay.unwrap_or_else(T::ParametersDelay::get);
			let root = self.root_delay.unwrap_or_else(T::RootDelay::get);
			assert!(!parameters.is_zero(), "the parameters delay must be at least one block");
			assert!(root >= parameters, "the root delay must not be shorter than the parameters'");
			Delays::<T>::put((parameters, root));
		}
	}

	/// The number the next change gets (scheduled parameter change or root proposal).
	#[pallet::storage]
	pub type NextChangeId<T: Config> = StorageValue<_, ChangeId, ValueQuery>;

	/// Every change scheduled and not yet run or cancelled: its track, call hash and the block
	/// it runs at. At most `MaxPending`.
	#[pallet::storage]
	pub type Pending<T: Config> =
		CountedStorageMap<_, Twox64Concat, ChangeId, PendingChangeOf<T>, OptionQuery>;

	/// The council's root proposals awaiting the technical committee, by call hash. At most
	/// `MaxPending`.
	#[pallet::storage]
	pub type AwaitingApproval<T: Config> =
		CountedStorageMap<_, Identity, T::Hash, RootProposalOf<T>, OptionQuery>;

	/// The pallet's events.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A change was scheduled: it runs at the start of block `at` unless cancelled.
		Scheduled {
			/// Its number.
			id: ChangeId,
			/// Its track (the origin it runs with).
			track: Track,
			/// The hash of the call.
			call_hash: T::Hash,
			/// The block it runs at.
			at: BlockNumberFor<T>,
		},
		/// The council proposed a root change; it awaits the technical committee.
		RootProposed {
			/// The number it is scheduled under once approved.
			id: ChangeId,
			/// The hash of the call (what `approve_root` and `reject_root` take).
			call_hash: T::Hash,
		},
		/// A root proposal was rejected before approval: it never runs.
		RootRejected {
			/// Its number.
			id: ChangeId,
			/// The hash of the call.
			call_hash: T::Hash,
		},
		/// A pending change was cancelled: it never runs.
		Cancelled {
			/// Its number.
			id: ChangeId,
			/// Its track.
			track: Track,
			/// The hash of the call.
			call_hash: T::Hash,
		},
		/// A change ran.
		Enacted {
			/// Its number.
			id: ChangeId,
			/// Its track (the origin it ran with).
			track: Track,
			/// The hash of the call.
			call_hash: T::Hash,
			/// The call's result: an error means the call failed and changed nothing; the
			/// change is over all the same.
			result: DispatchResult,
		},
		/// A protective call ran at once, as root (`emergency`).
		EmergencyDispatched {
			/// The hash of the call.
			call_hash: T::Hash,
			/// The call's result.
			result: DispatchResult,
		},
		/// A parameter change came due while safe mode or a pause filtered its call: it was not
		/// run and waits another parameters delay (a paused call is not used up).
		Postponed {
			/// Its number.
			id: ChangeId,
			/// The hash of the call.
			call_hash: T::Hash,
			/// The block it now runs at.
			at: BlockNumberFor<T>,
		},
	}

	/// The pallet's errors.
	#[pallet::error]
	pub enum Error<T> {
		/// `MaxPending` changes are pending already.
		TooManyPending,
		/// `MaxPending` root proposals await approval already.
		TooManyAwaiting,
		/// The same call is already awaiting approval.
		AlreadyProposed,
		/// No root proposal awaits approval with this call hash.
		NotAwaiting,
		/// No pending change has this number (never scheduled, run or cancelled).
		NotPending,
		/// The change is not due yet.
		TooEarly,
		/// The call is not the one the change recorded.
		WrongCall,
		/// The call is not one of the protective calls `emergency` may dispatch.
		NotProtective,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				!T::ParametersDelay::get().is_zero(),
				"ParametersDelay must be at least 1: a parameter change must not run in the block \
				 that schedules it"
			);
			assert!(
				T::RootDelay::get() >= T::ParametersDelay::get(),
				"RootDelay must not be shorter than ParametersDelay"
			);
			assert!(T::MaxPending::get() > 0, "MaxPending must be at least 1");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Schedules a parameter change: `call` runs with [`Origin::Parameters`] at the start of
		/// the block `ParametersDelay` after this one, unless cancelled before.
		///
		/// - origin: `ParametersOrigin` (the council's majority).
		/// - `call`: any call; it succeeds only if it accepts `Origin::Parameters` (parameter
		///   setters guarded by [`EnsureParameters`]); root-only calls fail when run.
		///
		/// Emits `Scheduled`. Errors: `BadOrigin`, `TooManyPending`; the scheduler's (its
		/// block's agenda full) and the preimage pallet's (a call over its size limit).
		///
		/// Weight: `WeightInfo::schedule_parameters(len)`, `len` the call's encoded length.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::schedule_parameters(encoded_len(call.as_ref())))]
		pub fn schedule_parameters(
			origin: OriginFor<T>,
			call: Box<<T as frame_system::Config>::RuntimeCall>,
		) -> DispatchResult {
			T::ParametersOrigin::ensure_origin(origin)?;
			Self::do_schedule_parameters(*call)
		}

		/// Proposes a root change: `call` is stored, and runs with the root origin `RootDelay`
		/// blocks after the technical committee approves it (`approve_root`).
		///
		/// - origin: `RootProposeOrigin` (the council's supermajority).
		/// - `call`: any call, typically `System::authorize_upgrade` or the light client's
		///   checkpoint.
		///
		/// Emits `RootProposed`. Errors: `BadOrigin`, `AlreadyProposed`, `TooManyAwaiting`; the
		/// preimage pallet's (a call over its size limit).
		///
		/// Weight: `WeightInfo::propose_root(len)`, `len` the call's encoded length.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::propose_root(encoded_len(call.as_ref())))]
		pub fn propose_root(
			origin: OriginFor<T>,
			call: Box<<T as frame_system::Config>::RuntimeCall>,
		) -> DispatchResult {
			T::RootProposeOrigin::ensure_origin(origin)?;
			Self::do_propose_root(*call)
		}

		/// Approves the council's root proposal of the call with this hash: it runs with the root
		/// origin at the start of the block `RootDelay` after this one, unless cancelled before.
		///
		/// - origin: `RootApproveOrigin` (the technical committee).
		///
		/// Emits `Scheduled`. Errors: `BadOrigin`, `NotAwaiting` (unknown hash, or already
		/// approved or rejected), `TooManyPending`; the scheduler's.
		///
		/// Weight: `WeightInfo::approve_root`.
		#[pallet::call_index(2)]
		pub fn approve_root(origin: OriginFor<T>, call_hash: T::Hash) -> DispatchResult {
			T::RootApproveOrigin::ensure_origin(origin)?;
			Self::do_approve_root(call_hash)
		}

		/// Rejects a root proposal awaiting approval: it never runs.
		///
		/// - origin: `CancelOrigin`.
		///
		/// Emits `RootRejected`. Errors: `BadOrigin`, `NotAwaiting`.
		///
		/// Weight: `WeightInfo::reject_root`.
		#[pallet::call_index(3)]
		pub fn reject_root(origin: OriginFor<T>, call_hash: T::Hash) -> DispatchResult {
			T::CancelOrigin::ensure_origin(origin)?;
			Self::do_reject_root(call_hash)
		}

		/// Cancels a pending change: it never runs (its scheduled enactment finds no entry).
		/// Also clears the entry of a change whose enactment the scheduler dropped (overweight).
		///
		/// - origin: `CancelOrigin`.
		///
		/// Emits `Cancelled`. Errors: `BadOrigin`, `NotPending`.
		///
		/// Weight: `WeightInfo::cancel`.
		#[pallet::call_index(4)]
		pub fn cancel(origin: OriginFor<T>, id: ChangeId) -> DispatchResult {
			T::CancelOrigin::ensure_origin(origin)?;
			Self::do_cancel(id)
		}

		/// Runs change `id`: what the scheduler dispatches at the change's block.
		///
		/// - origin: the change's track origin, exactly ([`Origin::Parameters`] or root).
		/// - `call`: the change's call (same hash as recorded).
		///
		/// Removes the change from `Pending`, dispatches `call` with the same origin and emits
		/// `Enacted` with its result. The call's failure does not fail `enact`: the change is
		/// over either way. A parameter change whose call the chain's call filter refuses (safe
		/// mode, a tx-pause) is not run and not used up: it is scheduled again one parameters
		/// delay later (`Postponed`). Errors (nothing runs): `BadOrigin` (another origin, or the
		/// other track's), `NotPending` (cancelled, already run, unknown), `TooEarly`,
		/// `WrongCall`.
		///
		/// Weight: `WeightInfo::enact(len)` plus the larger of the call's weight and scheduling
		/// it again; refunded to what ran.
		#[pallet::call_index(5)]
		#[pallet::weight({
			let info = call.get_dispatch_info();
			let len = encoded_len(call.as_ref());
			(
				T::WeightInfo::enact(len)
					.saturating_add(info.call_weight.max(T::WeightInfo::schedule_parameters(len))),
				info.class,
			)
		})]
		pub fn enact(
			origin: OriginFor<T>,
			id: ChangeId,
			call: Box<<T as frame_system::Config>::RuntimeCall>,
		) -> DispatchResultWithPostInfo {
			let len = encoded_len(call.as_ref());
			let overhead = T::WeightInfo::enact(len);
			let reschedule = T::WeightInfo::schedule_parameters(len);
			Self::do_enact(origin, id, *call, overhead, reschedule)
		}

		/// Dispatches a protective root-only call at once (one of `EmergencyCalls`, e.g.
		/// halting the Ethereum light client), with the root origin.
		///
		/// - origin: `EmergencyOrigin`.
		/// - `call`: one of `EmergencyCalls`.
		///
		/// Emits `EmergencyDispatched` with the call's result (a failed call changes nothing
		/// and fails this call too). Errors: `BadOrigin`, `NotProtective`, or the call's.
		///
		/// Weight: `WeightInfo::emergency` plus the call's weight; refunded to the call's
		/// actual weight.
		#[pallet::call_index(6)]
		#[pallet::weight({
			let info = call.get_dispatch_info();
			(T::WeightInfo::emergency().saturating_add(info.call_weight), info.class)
		})]
		pub fn emergency(
			origin: OriginFor<T>,
			call: Box<<T as frame_system::Config>::RuntimeCall>,
		) -> DispatchResultWithPostInfo {
			T::EmergencyOrigin::ensure_origin(origin)?;
			ensure!(T::EmergencyCalls::contains(&call), Error::<T>::NotProtective);
			let call_hash = T::Hashing::hash_of(&call);
			let info = call.get_dispatch_info();
			let overhead = T::WeightInfo::emergency();
			let outcome = call.dispatch(frame_system::RawOrigin::Root.into());
			let actual = extract_actual_weight(&outcome, &info).saturating_add(overhead);
			match outcome {
				Ok(_) => {
					Self::deposit_event(Event::EmergencyDispatched { call_hash, result: Ok(()) });
					Ok(Some(actual).into())
				},
				Err(error) => Err(error.error.with_weight(actual)),
			}
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// Every pending change, by number: its track, call hash and the block it runs at.
		pub fn pending() -> Vec<(ChangeId, PendingChangeOf<T>)> {
			let mut pending: Vec<_> = Pending::<T>::iter().collect();
			pending.sort_by_key(|(id, _)| *id);
			pending
		}

		/// Every root proposal awaiting approval, by number: its call hash and the block it was
		/// proposed in.
		pub fn awaiting_approval() -> Vec<(ChangeId, T::Hash, BlockNumberFor<T>)> {
			let mut awaiting: Vec<_> = AwaitingApproval::<T>::iter()
				.map(|(call_hash, proposal)| (proposal.id, call_hash, proposal.proposed_at))
				.collect();
			awaiting.sort_by_key(|(id, _, _)| *id);
			awaiting
		}
	}

	impl<T: Config> Pallet<T> {
		/// The origin a track's changes run with.
		pub fn track_origin(track: Track) -> PalletsOriginOf<T> {
			match track {
				Track::Parameters => Origin::Parameters.into(),
				Track::Root => frame_system::RawOrigin::Root.into(),
			}
		}

		/// The track whose origin `origin` is, exactly.
		fn track_of(origin: &OriginFor<T>) -> Option<Track> {
			[Track::Parameters, Track::Root]
				.into_iter()
				.find(|track| *origin.caller() == Self::track_origin(*track))
		}

		fn take_next_id() -> Result<ChangeId, DispatchError> {
			let id = NextChangeId::<T>::get();
			NextChangeId::<T>::put(id.checked_add(1).ok_or(ArithmeticError::Overflow)?);
			Ok(id)
		}

		/// Bounds `enact(id, call)` for the scheduler, holding one request for its preimage if
		/// it needs one (a call over 128 bytes): the caller hands that request to the scheduler
		/// or releases it ([`Self::release`]).
		fn bound_enactment(
			id: ChangeId,
			call: <T as frame_system::Config>::RuntimeCall,
		) -> Result<BoundedCallOf<T>, DispatchError> {
			let enactment: <T as frame_system::Config>::RuntimeCall =
				Call::<T>::enact { id, call: Box::new(call) }.into();
			let encoded = enactment.encode();
			let hash = T::Hashing::hash(&encoded);
			// `note` requests a preimage only if nobody had requested it: then its request is
			// ours; otherwise we add ours.
			let requested_before = T::Preimages::is_requested(&hash);
			let bounded = T::Preimages::bound(enactment)?;
			if bounded.lookup_needed() && requested_before {
				T::Preimages::hold(&bounded);
			}
			Ok(bounded)
		}

		/// Releases the request [`Self::bound_enactment`] took (none for an inline call).
		fn release(enactment: &BoundedCallOf<T>) {
			T::Preimages::drop(enactment);
		}

		/// Schedules change `id`'s enactment `delay` blocks from now with its track's origin and
		/// records it in `Pending`; returns its block. The caller checked `MaxPending` and emits
		/// the event.
		fn schedule(
			id: ChangeId,
			track: Track,
			call_hash: T::Hash,
			enactment: BoundedCallOf<T>,
			delay: BlockNumberFor<T>,
		) -> Result<BlockNumberFor<T>, DispatchError> {
			let at = frame_system::Pallet::<T>::block_number().saturating_add(delay);
			T::Scheduler::schedule_named(
				task_name(id),
				DispatchTime::At(at),
				None,
				HARD_DEADLINE,
				Self::track_origin(track),
				enactment.clone(),
			)?;
			// The scheduler took its own request for the preimage: ours is no longer needed.
			Self::release(&enactment);
			Pending::<T>::insert(id, PendingChange { track, call_hash, at });
			Ok(at)
		}

		/// Blocks a parameter change waits on this chain.
		pub fn parameters_delay() -> BlockNumberFor<T> {
			Delays::<T>::get().map_or_else(T::ParametersDelay::get, |(parameters, _)| parameters)
		}

		/// Blocks an approved root change waits on this chain.
		pub fn root_delay() -> BlockNumberFor<T> {
			Delays::<T>::get().map_or_else(T::RootDelay::get, |(_, root)| root)
		}

		pub(crate) fn do_schedule_parameters(
			call: <T as frame_system::Config>::RuntimeCall,
		) -> DispatchResult {
			ensure!(Pending::<T>::count() < T::MaxPending::get(), Error::<T>::TooManyPending);
			let call_hash = T::Hashing::hash_of(&call);
			let id = Self::take_next_id()?;
			let enactment = Self::bound_enactment(id, call)?;
			let track = Track::Parameters;
			let at = Self::schedule(id, track, call_hash, enactment, Self::parameters_delay())?;
			Self::deposit_event(Event::Scheduled { id, track, call_hash, at });
			Ok(())
		}

		pub(crate) fn do_propose_root(
			call: <T as frame_system::Config>::RuntimeCall,
		) -> DispatchResult {
			let call_hash = T::Hashing::hash_of(&call);
			ensure!(!AwaitingApproval::<T>::contains_key(call_hash), Error::<T>::AlreadyProposed);
			ensure!(
				AwaitingApproval::<T>::count() < T::MaxPending::get(),
				Error::<T>::TooManyAwaiting
			);
			let id = Self::take_next_id()?;
			let enactment = Self::bound_enactment(id, call)?;
			let proposed_at = frame_system::Pallet::<T>::block_number();
			AwaitingApproval::<T>::insert(call_hash, RootProposal { id, enactment, proposed_at });
			Self::deposit_event(Event::RootProposed { id, call_hash });
			Ok(())
		}

		pub(crate) fn do_approve_root(call_hash: T::Hash) -> DispatchResult {
			let proposal = AwaitingApproval::<T>::take(call_hash).ok_or(Error::<T>::NotAwaiting)?;
			ensure!(Pending::<T>::count() < T::MaxPending::get(), Error::<T>::TooManyPending);
			let (id, track) = (proposal.id, Track::Root);
			let at = Self::schedule(id, track, call_hash, proposal.enactment, Self::root_delay())?;
			Self::deposit_event(Event::Scheduled { id, track, call_hash, at });
			Ok(())
		}

		pub(crate) fn do_reject_root(call_hash: T::Hash) -> DispatchResult {
			let proposal = AwaitingApproval::<T>::take(call_hash).ok_or(Error::<T>::NotAwaiting)?;
			Self::release(&proposal.enactment);
			Self::deposit_event(Event::RootRejected { id: proposal.id, call_hash });
			Ok(())
		}

		pub(crate) fn do_cancel(id: ChangeId) -> DispatchResult {
			let change = Pending::<T>::take(id).ok_or(Error::<T>::NotPending)?;
			Self::deposit_event(Event::Cancelled {
				id,
				track: change.track,
				call_hash: change.call_hash,
			});
			Ok(())
		}

		fn do_enact(
			origin: OriginFor<T>,
			id: ChangeId,
			call: <T as frame_system::Config>::RuntimeCall,
			overhead: Weight,
			reschedule: Weight,
		) -> DispatchResultWithPostInfo {
			// Refused enactments cost the overhead only: the call did not run.
			let refuse = |error: DispatchError| error.with_weight(overhead);
			let track = Self::track_of(&origin).ok_or_else(|| refuse(DispatchError::BadOrigin))?;
			let change =
				Pending::<T>::get(id).ok_or_else(|| refuse(Error::<T>::NotPending.into()))?;
			ensure!(change.track == track, refuse(DispatchError::BadOrigin));
			ensure!(
				frame_system::Pallet::<T>::block_number() >= change.at,
				refuse(Error::<T>::TooEarly.into())
			);
			ensure!(
				T::Hashing::hash_of(&call) == change.call_hash,
				refuse(Error::<T>::WrongCall.into())
			);
			// Safe mode or a pause would refuse the call (root bypasses the filter): the change
			// waits, instead of being spent on a refusal. The scheduler freed the task's name
			// before dispatching this.
			if track == Track::Parameters && T::Paused::contains(&call) {
				let call_hash = change.call_hash;
				let enactment = Self::bound_enactment(id, call)?;
				let at = Self::schedule(id, track, call_hash, enactment, Self::parameters_delay())?;
				Self::deposit_event(Event::Postponed { id, call_hash, at });
				return Ok(Some(overhead.saturating_add(reschedule)).into());
			}
			// Removed before the call runs: a call enacting its own change finds nothing.
			Pending::<T>::remove(id);
			let info = call.get_dispatch_info();
			let result = call.dispatch(origin);
			let call_weight = extract_actual_weight(&result, &info);
			Self::deposit_event(Event::Enacted {
				id,
				track,
				call_hash: change.call_hash,
				result: result.map(|_| ()).map_err(|e| e.error),
			});
			Ok(Some(overhead.saturating_add(call_weight)).into())
		}

		/// Checks the invariants of the crate docs; each failed check returns its own error
		/// (try-runtime after every block, and the runtime's integration tests).
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let next = NextChangeId::<T>::get();
			let now = frame_system::Pallet::<T>::block_number();
			let max = T::MaxPending::get();

			let pending: Vec<_> = Pending::<T>::iter().collect();
			ensure!(
				pending.len() as u32 == Pending::<T>::count(),
				"Governance: Pending's counter is not its length"
			);
			ensure!(pending.len() as u32 <= max, "Governance: more than MaxPending pending");
			for (id, change) in &pending {
				ensure!(*id < next, "Governance: a pending change numbered NextChangeId or more");
				if change.at > now {
					ensure!(
						T::Scheduler::next_dispatch_time(task_name(*id)).ok() == Some(change.at),
						"Governance: a pending change is not in the scheduler's agenda at its block"
					);
				}
			}

			let awaiting: Vec<_> = AwaitingApproval::<T>::iter().collect();
			ensure!(
				awaiting.len() as u32 == AwaitingApproval::<T>::count(),
				"Governance: AwaitingApproval's counter is not its length"
			);
			ensure!(awaiting.len() as u32 <= max, "Governance: more than MaxPending awaiting");
			for (_, proposal) in &awaiting {
				ensure!(
					proposal.id < next,
					"Governance: an awaiting proposal numbered NextChangeId or more"
				);
				ensure!(
					!Pending::<T>::contains_key(proposal.id),
					"Governance: a number both awaiting and pending"
				);
				ensure!(
					T::Preimages::have(&proposal.enactment),
					"Governance: an awaiting proposal's preimage is missing"
				);
				if let Some(hash) = proposal.enactment.lookup_hash() {
					ensure!(
						T::Preimages::is_requested(&hash),
						"Governance: an awaiting proposal's preimage is not requested"
					);
				}
			}
			Ok(())
		}
	}

	/// A call's encoded length, for weights (saturating at `u32::MAX`).
	fn encoded_len<C: Encode>(call: &C) -> u32 {
		u32::try_from(call.encoded_size()).unwrap_or(u32::MAX)
	}
}
