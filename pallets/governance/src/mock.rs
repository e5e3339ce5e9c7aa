//! A mock runtime: System, Balances (for the preimage pallet), Preimage, Scheduler, the
//! governance pallet and `params`, a parameter setter guarded by [`EnsureParameters`]. Fixed
//! accounts stand for the collectives' origins, and [`ExtBuilder`] checks the pallet's books
//! (`do_try_state`) after every test.

use crate as pallet_governance;
use crate::EnsureParameters;
use frame_support::{
	derive_impl, ord_parameter_types, parameter_types,
	traits::{ConstU32, ConstU64, EitherOf, EqualPrivilegeOnly, Hooks},
	weights::Weight,
};
use frame_system::{EnsureRoot, EnsureSignedBy};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

/// Stands for the council's majority (`ParametersOrigin`).
pub const COUNCIL: u64 = 1;
/// Stands for the council's supermajority (`RootProposeOrigin`).
pub const COUNCIL_SUPERMAJORITY: u64 = 2;
/// Stands for the technical committee (`RootApproveOrigin`).
pub const TECHNICAL_COMMITTEE: u64 = 3;
/// Anyone else.
pub const ATTACKER: u64 = 66;

pub const PARAMETERS_DELAY: u64 = 10;
pub const ROOT_DELAY: u64 = 20;
pub const MAX_PENDING: u32 = 3;

/// A pallet with parameters only `EnsureParameters` (a council change, after its delay) sets.
#[frame_support::pallet(dev_mode)]
pub mod params {
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	#[pallet::config]
	pub trait Config: frame_system::Config {
		type SetOrigin: EnsureOrigin<Self::RuntimeOrigin>;
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::storage]
	pub type Value<T> = StorageValue<_, u32, ValueQuery>;

	#[pallet::storage]
	pub type Blob<T> = StorageValue<_, Vec<u8>, ValueQuery>;

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		#[pallet::call_index(0)]
		pub fn set_value(origin: OriginFor<T>, value: u32) -> DispatchResult {
			T::SetOrigin::ensure_origin(origin)?;
			Value::<T>::put(value);
			Ok(())
		}

		/// A parameter large enough to need a preimage.
		#[pallet::call_index(1)]
		pub fn set_blob(origin: OriginFor<T>, blob: Vec<u8>) -> DispatchResult {
			T::SetOrigin::ensure_origin(origin)?;
			Blob::<T>::put(blob);
			Ok(())
		}

		#[pallet::call_index(2)]
		pub fn fail(origin: OriginFor<T>) -> DispatchResult {
			T::SetOrigin::ensure_origin(origin)?;
			Value::<T>::put(u32::MAX);
			Err(DispatchError::Other("fails after writing"))
		}
	}
}

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(2)]
	pub type Preimage = pallet_preimage;

	#[runtime::pallet_index(3)]
	pub type Scheduler = pallet_scheduler;

	#[runtime::pallet_index(4)]
	pub type Governance = pallet_governance;

	#[runtime::pallet_index(5)]
	pub type Params = crate::mock::params;
}

parameter_types! {
	/// Whether the chain's call filter refuses `params` calls (as safe mode or a tx-pause would).
	pub storage ParamsPaused: bool = false;
}

/// The runtime's call filter (safe mode, tx-pause), reduced to one switch over `params`.
pub struct PauseFilter;
impl frame_support::traits::Contains<RuntimeCall> for PauseFilter {
	fn contains(call: &RuntimeCall) -> bool {
		!(ParamsPaused::get() && matches!(call, RuntimeCall::Params(_)))
	}
}

/// What the pause refuses now.
pub struct PausedNow;
impl frame_support::traits::Contains<RuntimeCall> for PausedNow {
	fn contains(call: &RuntimeCall) -> bool {
		!<PauseFilter as frame_support::traits::Contains<RuntimeCall>>::contains(call)
	}
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type BaseCallFilter = PauseFilter;
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

impl pallet_preimage::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<u64>;
	type Consideration = ();
}

parameter_types! {
	pub SchedulerMaxWeight: Weight = Weight::from_parts(2_000_000_000_000, u64::MAX);
}

impl pallet_scheduler::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = SchedulerMaxWeight;
	type ScheduleOrigin = EnsureRoot<u64>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type MaxScheduledPerBlock = ConstU32<10>;
	type WeightInfo = ();
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

ord_parameter_types! {
	pub const Council: u64 = COUNCIL;
	pub const CouncilSupermajority: u64 = COUNCIL_SUPERMAJORITY;
	pub const TechnicalCommittee: u64 = TECHNICAL_COMMITTEE;
}

impl pallet_governance::Config for Test {
	type Scheduler = Scheduler;
	type Preimages = Preimage;
	type ParametersOrigin = EnsureSignedBy<Council, u64>;
	type RootProposeOrigin = EnsureSignedBy<CouncilSupermajority, u64>;
	type RootApproveOrigin = EnsureSignedBy<TechnicalCommittee, u64>;
	type CancelOrigin =
		EitherOf<EnsureSignedBy<TechnicalCommittee, u64>, EnsureSignedBy<Council, u64>>;
	type ParametersDelay = ConstU64<PARAMETERS_DELAY>;
	type RootDelay = ConstU64<ROOT_DELAY>;
	type MaxPending = ConstU32<MAX_PENDING>;
	type EmergencyOrigin = EnsureSignedBy<TechnicalCommittee, u64>;
	type EmergencyCalls = ProtectiveCalls;
	type Paused = PausedNow;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ProtectiveCalls;
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_governance::BenchmarkHelper<RuntimeCall> for ProtectiveCalls {
	fn emergency_call() -> RuntimeCall {
		RuntimeCall::System(frame_system::Call::set_storage {
			items: vec![(HALT_KEY.to_vec(), b"yes".to_vec())],
		})
	}
}

/// The storage key the mock's protective call writes (standing for "halt the light client").
pub const HALT_KEY: &[u8] = b":halted";

/// The mock's protective calls: writing `HALT_KEY` (root-only), and `params.set_value(0)`
/// (which root may not do: an emergency whose call fails).
pub struct ProtectiveCalls;
impl frame_support::traits::Contains<RuntimeCall> for ProtectiveCalls {
	fn contains(call: &RuntimeCall) -> bool {
		match call {
			RuntimeCall::System(frame_system::Call::set_storage { items }) => {
				!items.is_empty() && items.iter().all(|(key, _)| key.as_slice() == HALT_KEY)
			},
			RuntimeCall::Params(params::Call::set_value { value: 0 }) => true,
			_ => false,
		}
	}
}

impl params::Config for Test {
	type SetOrigin = EnsureParameters;
}

/// Runs blocks up to `n` (their `on_initialize`: the scheduler's agenda).
pub fn run_to_block(n: u64) {
	System::run_to_block::<AllPalletsWithSystem>(n);
}

/// The test runtime's genesis, at block 1.
pub struct ExtBuilder;

impl ExtBuilder {
	/// The externalities, at block 1.
	pub fn build(self) -> sp_io::TestExternalities {
		let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| {
			System::set_block_number(1);
			<Governance as Hooks<u64>>::integrity_test();
		});
		ext
	}

	/// Runs `test`, then checks the pallet's books.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			assert_eq!(Governance::do_try_state(), Ok(()), "the pallet's books after the test");
		});
	}
}
