//! Who governs (docs/governance.md): a council for protocol parameters, enacted after a delay
//! users can see; a technical committee for emergencies, which may only protect (pause,
//! freeze, halt, safe mode), never loosen; runtime upgrades and root-only calls by the
//! council's supermajority with the committee's approval, after a longer delay.

use crate::{
	configs::system::RuntimeBlockWeights, AccountId, Balance, Balances, BlockNumber, OriginCaller,
	Preimage, Runtime, RuntimeCall, RuntimeEvent, RuntimeHoldReason, RuntimeOrigin, Scheduler,
};
use ballast_primitives::{
	currency::deposit,
	time::{DAYS, HOURS},
};
use frame_support::{
	parameter_types,
	traits::{
		fungible::HoldConsideration, ConstU32, Contains, EitherOf, EitherOfDiverse,
		EqualPrivilegeOnly, LinearStoragePrice,
	},
	weights::Weight,
};
use frame_system::{EnsureRoot, EnsureRootWithSuccess, EnsureWithSuccess};
use pallet_tx_pause::RuntimeCallNameOf;
use sp_runtime::Perbill;

/// The council's collective.
pub type CouncilCollective = pallet_collective::Instance1;
/// The technical committee's collective.
pub type TechnicalCollective = pallet_collective::Instance2;

/// More than half of the council.
pub type CouncilMajority =
	pallet_collective::EnsureProportionMoreThan<AccountId, CouncilCollective, 1, 2>;
/// At least two thirds of the council.
pub type CouncilSupermajority =
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilCollective, 2, 3>;
/// More than half of the technical committee.
pub type TechnicalMajority =
	pallet_collective::EnsureProportionMoreThan<AccountId, TechnicalCollective, 1, 2>;

/// Protocol parameters (markets, LRTs, risk tiers, valuation settings): a council decision
/// once its delay has passed (`governance.scheduleParameters`), or root (itself reached only
/// through the council's supermajority, the committee's approval and a longer delay).
pub type ParametersOrigin =
	EitherOfDiverse<EnsureRoot<AccountId>, pallet_governance::EnsureParameters>;
/// Protective actions only (each pallet checks that the change tightens): the technical
/// committee, at once, or root.
pub type EmergencyOrigin = EitherOfDiverse<EnsureRoot<AccountId>, TechnicalMajority>;

parameter_types! {
	/// A proposal may use at most half a block's weight.
	pub MaxCollectiveProposalWeight: Weight =
		Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
	/// Scheduled calls may use most of a block (enactments are rare and matter).
	pub MaximumSchedulerWeight: Weight =
		Perbill::from_percent(80) * RuntimeBlockWeights::get().max_block;
	/// What noting a preimage holds: a base plus a price per byte.
	pub const PreimageBaseDeposit: Balance = deposit(2, 64);
	/// Held per byte of a noted preimage.
	pub const PreimageByteDeposit: Balance = deposit(0, 1);
	/// The hold reason of noted preimages.
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
	/// A parameter change waits two days unless the chain's genesis says otherwise.
	pub const DefaultParametersDelay: BlockNumber = 2 * DAYS;
	/// A root change (runtime upgrade, light-client checkpoint) waits seven days unless the
	/// chain's genesis says otherwise.
	pub const DefaultRootDelay: BlockNumber = 7 * DAYS;
}

impl pallet_collective::Config<CouncilCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = ConstU32<{ 3 * DAYS }>;
	type MaxProposals = ConstU32<100>;
	type MaxMembers = ConstU32<32>;
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	// Membership changes are root changes (supermajority, committee approval, delay).
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxCollectiveProposalWeight;
	type DisapproveOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	// Members are few and known; proposing costs only the transaction fee.
	type Consideration = ();
}

impl pallet_collective::Config<TechnicalCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = ConstU32<{ DAYS }>;
	type MaxProposals = ConstU32<100>;
	type MaxMembers = ConstU32<16>;
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	// The council replaces the committee after its delay (the committee cannot veto it: it
	// cannot cancel changes), so a committee that abuses its protective powers is removable.
	type SetMembersOrigin = ParametersOrigin;
	type MaxProposalWeight = MaxCollectiveProposalWeight;
	type DisapproveOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	type Consideration = ();
}

impl pallet_governance::Config for Runtime {
	type Scheduler = Scheduler;
	type Preimages = Preimage;
	type ParametersOrigin = CouncilMajority;
	type RootProposeOrigin = CouncilSupermajority;
	type RootApproveOrigin = TechnicalMajority;
	// The council withdraws its own pending changes. The committee may not: a veto over
	// every change (its own replacement included) would let it hold the chain still.
	type CancelOrigin = CouncilMajority;
	type ParametersDelay = DefaultParametersDelay;
	type RootDelay = DefaultRootDelay;
	type MaxPending = ConstU32<32>;
	type EmergencyOrigin = TechnicalMajority;
	type EmergencyCalls = ProtectiveRootCalls;
	type Paused = PausedNow;
	type WeightInfo = crate::weights::pallet_governance::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ProtectiveRootCalls;
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_governance::BenchmarkHelper<RuntimeCall> for ProtectiveRootCalls {
	fn emergency_call() -> RuntimeCall {
		RuntimeCall::EthereumBeaconClient(
			snowbridge_pallet_ethereum_client::Call::set_operating_mode {
				mode: snowbridge_core::BasicOperatingMode::Halted,
			},
		)
	}
}

/// The calls safe mode or tx-pause refuse now, looking into `utility`'s batches and wrappers:
/// the call filter sees only a call's outer layer (the inner calls are filtered as they
/// dispatch), and a council change must not be spent on a batch one of whose calls is paused.
pub struct PausedNow;
impl Contains<RuntimeCall> for PausedNow {
	fn contains(call: &RuntimeCall) -> bool {
		use pallet_utility::Call as Utility;
		if !<Runtime as frame_system::Config>::BaseCallFilter::contains(call) {
			return true;
		}
		match call {
			RuntimeCall::Utility(
				Utility::batch { calls }
				| Utility::batch_all { calls }
				| Utility::force_batch { calls },
			) => calls.iter().any(Self::contains),
			RuntimeCall::Utility(
				Utility::as_derivative { call, .. }
				| Utility::dispatch_as { call, .. }
				| Utility::with_weight { call, .. },
			) => Self::contains(call),
			RuntimeCall::Utility(Utility::if_else { main, fallback }) => {
				Self::contains(main) || Self::contains(fallback)
			},
			// `dispatch_as_fallible` bypasses the filter for its inner call.
			_ => false,
		}
	}
}

/// The root-only calls the technical committee may dispatch at once: halting the Ethereum
/// light client (resuming it is a root change).
pub struct ProtectiveRootCalls;
impl Contains<RuntimeCall> for ProtectiveRootCalls {
	fn contains(call: &RuntimeCall) -> bool {
		matches!(
			call,
			RuntimeCall::EthereumBeaconClient(
				snowbridge_pallet_ethereum_client::Call::set_operating_mode {
					mode: snowbridge_core::BasicOperatingMode::Halted
				}
			)
		)
	}
}

impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	// Only root schedules directly; governance schedules through `pallet_governance`. At least
	// `MaxPending` per block.
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type MaxScheduledPerBlock = ConstU32<50>;
	type WeightInfo = pallet_scheduler::weights::SubstrateWeight<Runtime>;
	type Preimages = Preimage;
	type BlockNumberProvider = frame_system::Pallet<Runtime>;
}

impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_preimage::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<AccountId>;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}

/// Calls a borrower needs to reduce its risk: never stopped by safe mode or a pause (interest
/// accrues meanwhile; liquidations, the keeper and the work-off wait for the pause to end).
fn reduces_risk(call: &RuntimeCall) -> bool {
	matches!(
		call,
		RuntimeCall::Lending(
			pallet_lending::Call::repay { .. } | pallet_lending::Call::deposit_collateral { .. }
		)
	)
}

/// The development runtime's sudo, which neither pause filters (the `production` runtime has
/// none).
#[cfg(not(feature = "production"))]
fn is_sudo(call: &RuntimeCall) -> bool {
	matches!(call, RuntimeCall::Sudo(_))
}
#[cfg(feature = "production")]
fn is_sudo(_: &RuntimeCall) -> bool {
	false
}

/// Calls that still dispatch in safe mode: block production and finality (inherents,
/// equivocation reports, session keys), governance (so it can act and leave safe mode; and
/// the development runtime's sudo), the pause itself, a borrower's repayments and added
/// collateral, and the Ethereum light client's updates (it anchors nothing by itself, and a
/// client left behind a sync-committee period would need a new checkpoint, a root change).
pub struct SafeModeWhitelistedCalls;
impl Contains<RuntimeCall> for SafeModeWhitelistedCalls {
	fn contains(call: &RuntimeCall) -> bool {
		reduces_risk(call)
			|| is_sudo(call)
			|| matches!(
				call,
				RuntimeCall::EthereumBeaconClient(
					snowbridge_pallet_ethereum_client::Call::submit { .. }
				) | RuntimeCall::System(_)
					| RuntimeCall::Timestamp(_)
					| RuntimeCall::Grandpa(_)
					| RuntimeCall::Beefy(_)
					| RuntimeCall::Session(_)
					| RuntimeCall::Council(_)
					| RuntimeCall::TechnicalCommittee(_)
					| RuntimeCall::Governance(_)
					| RuntimeCall::TxPause(_)
					| RuntimeCall::Multisig(_)
			)
	}
}

/// Calls that can never be paused: the same families, and a borrower's repayments and added
/// collateral (a selective pause must not leave borrowers unable to act while they are
/// liquidated).
pub struct TxPauseWhitelistedCalls;
impl Contains<RuntimeCallNameOf<Runtime>> for TxPauseWhitelistedCalls {
	fn contains(full_name: &RuntimeCallNameOf<Runtime>) -> bool {
		if full_name.0.as_slice() == b"Lending" {
			return matches!(full_name.1.as_slice(), b"repay" | b"deposit_collateral");
		}
		matches!(
			full_name.0.as_slice(),
			b"System"
				| b"Timestamp"
				| b"Grandpa" | b"Beefy"
				| b"Session" | b"Council"
				| b"TechnicalCommittee"
				| b"Governance"
				| b"SafeMode"
		) || (cfg!(not(feature = "production")) && full_name.0.as_slice() == b"Sudo")
	}
}

impl pallet_safe_mode::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type WhitelistedCalls = SafeModeWhitelistedCalls;
	type EnterDuration = ConstU32<{ 4 * HOURS }>;
	type ExtendDuration = ConstU32<{ 2 * HOURS }>;
	// Nobody enters or extends by deposit: only the committee (or root) does.
	type EnterDepositAmount = ();
	type ExtendDepositAmount = ();
	// The committee enters for a day (root for two); only the council (at once) or root
	// extends, so the committee alone cannot keep the chain in safe mode.
	type ForceEnterOrigin = EitherOf<
		EnsureRootWithSuccess<AccountId, ConstU32<{ 2 * DAYS }>>,
		EnsureWithSuccess<TechnicalMajority, AccountId, ConstU32<{ DAYS }>>,
	>;
	type ForceExtendOrigin = EitherOf<
		EnsureRootWithSuccess<AccountId, ConstU32<{ 2 * DAYS }>>,
		EnsureWithSuccess<CouncilMajority, AccountId, ConstU32<{ DAYS }>>,
	>;
	// Leaving safe mode early loosens: a council decision after its delay (or it expires).
	type ForceExitOrigin = ParametersOrigin;
	type ForceDepositOrigin = EnsureRoot<AccountId>;
	type ReleaseDelay = ();
	type Notify = ();
	type WeightInfo = pallet_safe_mode::weights::SubstrateWeight<Runtime>;
}

impl pallet_tx_pause::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	// Pausing protects: the committee at once.
	type PauseOrigin = EmergencyOrigin;
	// Unpausing loosens: the council after its delay.
	type UnpauseOrigin = ParametersOrigin;
	type WhitelistedCalls = TxPauseWhitelistedCalls;
	type MaxNameLen = ConstU32<256>;
	type WeightInfo = pallet_tx_pause::weights::SubstrateWeight<Runtime>;
}
