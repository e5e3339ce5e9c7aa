//! A mock runtime: System, Balances, Timestamp, Assets and the lending pallet, with the valuation
//! and the risk caps as thread-local test doubles the tests set, and [`ExtBuilder`], which runs
//! every test and then checks the pallet's invariants. Governance is root; the emergency origin
//! is the signed [`EMERGENCY`] account.

use crate as pallet_lending;
use crate::MarketParams;
use ballast_primitives::valuation::{BackingRate, OnBackingRateDecreased};
use core::cell::RefCell;
use frame_support::{
	derive_impl, ord_parameter_types, parameter_types,
	traits::{AsEnsureOriginWithArg, ConstU128, ConstU32, ConstU64},
	PalletId,
};
use frame_system::{EnsureRoot, EnsureSigned, EnsureSignedBy};
use sp_runtime::{
	offchain::{
		testing::{TestOffchainExt, TestTransactionPoolExt},
		OffchainDbExt, OffchainWorkerExt, TransactionPoolExt,
	},
	traits::IdentityLookup,
	BuildStorage, FixedU128, Perbill,
};
use std::collections::BTreeMap;

pub type AccountId = u64;
pub type AssetId = u32;
type Block = frame_system::mocking::MockBlock<Test>;

pub const LRT: AssetId = 100;
pub const ETH: AssetId = 1;
pub const ETHER: u128 = 1_000_000_000_000_000_000;
pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CAROL: AccountId = 3;
pub const DAVE: AccountId = 4;
pub const LIQUIDATOR: AccountId = 9;
/// The emergency origin's one account (a technical committee's stand-in): governance is root.
pub const EMERGENCY: AccountId = 66;
/// Minimum balance of both mock assets: above 1, as the runtime's ETH (1 gwei), so that a payout
/// leaving the markets' account with less would reap it.
pub const MIN_BALANCE: u128 = 1_000;

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
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(3)]
	pub type Assets = pallet_assets;
	#[runtime::pallet_index(4)]
	pub type Lending = pallet_lending;
}

frame_support::parameter_types! {
	/// Whether the chain's call filter refuses this pallet's calls (as safe mode or a tx-pause
	/// would).
	pub storage Paused: bool = false;
}

/// The runtime's call filter (safe mode, tx-pause), reduced to one switch over this pallet.
pub struct PauseFilter;
impl frame_support::traits::Contains<RuntimeCall> for PauseFilter {
	fn contains(call: &RuntimeCall) -> bool {
		!(Paused::get() && matches!(call, RuntimeCall::Lending(_)))
	}
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type BaseCallFilter = PauseFilter;
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<u128>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = u128;
	type AccountStore = System;
	type ExistentialDeposit = ConstU128<1>;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config for Test {
	type Balance = u128;
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type Freezer = ();
	type Holder = ();
	type AssetDeposit = ConstU128<1>;
	type AssetAccountDeposit = ConstU128<1>;
	type MetadataDepositBase = ConstU128<1>;
	type MetadataDepositPerByte = ConstU128<1>;
	type ApprovalDeposit = ConstU128<1>;
}

thread_local! {
	/// lrt → (backing rate, borrow-side rate)
	pub static RATES: RefCell<BTreeMap<AssetId, (FixedU128, Option<FixedU128>)>> = const { RefCell::new(BTreeMap::new()) };
}

/// Sets the LRT's rate (fresh: both sides) and tells the lending pallet if it fell, as the
/// valuation does.
pub fn set_rate(lrt: AssetId, rate: FixedU128) {
	let previous = RATES.with(|r| r.borrow_mut().insert(lrt, (rate, Some(rate))));
	if let Some((previous, _)) = previous {
		if rate < previous {
			<Lending as OnBackingRateDecreased<AssetId>>::on_backing_rate_decreased(
				lrt, previous, rate,
			);
		}
	}
}

/// Makes the valuation stale: the backing rate stays, borrowing is blocked.
pub fn set_stale(lrt: AssetId) {
	RATES.with(|r| {
		if let Some(entry) = r.borrow_mut().get_mut(&lrt) {
			entry.1 = None;
		}
	});
}

thread_local! {
	/// lrt → (LTV, LT) caps from accepted risk scores
	pub static CAPS: RefCell<BTreeMap<AssetId, (Perbill, Perbill)>> = const { RefCell::new(BTreeMap::new()) };
}

pub struct RiskCaps;
impl ballast_primitives::risk::RiskLimits<AssetId> for RiskCaps {
	fn limits(lrt: AssetId) -> Option<(Perbill, Perbill)> {
		CAPS.with(|c| c.borrow().get(&lrt).copied())
	}
}

pub struct Valuation;
impl BackingRate<AssetId> for Valuation {
	fn backing_rate(lrt: AssetId) -> Option<FixedU128> {
		RATES.with(|r| r.borrow().get(&lrt).map(|(rate, _)| *rate))
	}
	fn borrow_rate(lrt: AssetId) -> Option<FixedU128> {
		RATES.with(|r| r.borrow().get(&lrt).and_then(|(_, rate)| *rate))
	}
}

ord_parameter_types! {
	/// The account `EmergencyOrigin` accepts.
	pub const Emergency: AccountId = EMERGENCY;
}

parameter_types! {
	pub const LendingPalletId: PalletId = PalletId(*b"bl/lendg");
	pub const MaxParamStep: Perbill = Perbill::from_percent(5);
	pub const ParamStepWindow: u64 = 86_400;
	pub const StockAuctionDuration: u64 = 3_600;
}

pub type Extrinsic = sp_runtime::testing::TestXt<RuntimeCall, frame_system::AuthorizeCall<Test>>;

impl<C> frame_system::offchain::CreateTransactionBase<C> for Test
where
	RuntimeCall: From<C>,
{
	type RuntimeCall = RuntimeCall;
	type Extrinsic = Extrinsic;
}

impl<C> frame_system::offchain::CreateTransaction<C> for Test
where
	RuntimeCall: From<C>,
{
	type Extension = frame_system::AuthorizeCall<Test>;
	fn create_transaction(call: RuntimeCall, extension: Self::Extension) -> Extrinsic {
		Extrinsic::new_transaction(call, extension)
	}
}

impl<C> frame_system::offchain::CreateAuthorizedTransaction<C> for Test
where
	RuntimeCall: From<C>,
{
	fn create_extension() -> Self::Extension {
		frame_system::AuthorizeCall::new()
	}
}

impl pallet_lending::Config for Test {
	type AssetId = AssetId;
	type Assets = Assets;
	type Valuation = Valuation;
	type RiskLimits = RiskCaps;
	type Time = Timestamp;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type EmergencyOrigin = EnsureSignedBy<Emergency, AccountId>;
	type PalletId = LendingPalletId;
	type MaxMarketsPerCollateral = ConstU32<4>;
	type MaxParamStep = MaxParamStep;
	type ParamStepWindow = ParamStepWindow;
	type StockAuctionDuration = StockAuctionDuration;
	type KeeperChecksPerRun = ConstU32<1000>;
	type KeeperPriority = ConstU64<{ u64::MAX / 2 }>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchHelper;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct BenchHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AssetId> for BenchHelper {
	fn assets() -> (AssetId, AssetId) {
		(LRT, ETH)
	}
	fn set_rate(lrt: AssetId, rate: FixedU128) {
		set_rate(lrt, rate)
	}
}

pub fn params() -> MarketParams {
	MarketParams::reference()
}

/// The off-chain transaction pool the keeper submits to in tests.
pub type Pool = std::sync::Arc<parking_lot::RwLock<sp_core::offchain::testing::PoolState>>;

/// Builds the test externalities: five accounts with BAL, 1,000 ETH and 1,000 LRT each (ALICE
/// owns both assets, whose minimum balance is [`MIN_BALANCE`]), no market and no rate yet, block 1
/// at a fixed time.
#[derive(Default)]
pub struct ExtBuilder;

impl ExtBuilder {
	/// The externalities, without running anything.
	pub fn build(self) -> sp_io::TestExternalities {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> {
			balances: vec![
				(ALICE, 1_000),
				(BOB, 1_000),
				(CAROL, 1_000),
				(DAVE, 1_000),
				(LIQUIDATOR, 1_000),
			],
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let holders = [ALICE, BOB, CAROL, DAVE, LIQUIDATOR];
		pallet_assets::GenesisConfig::<Test> {
			assets: vec![(ETH, ALICE, true, MIN_BALANCE), (LRT, ALICE, true, MIN_BALANCE)],
			accounts: holders
				.iter()
				.flat_map(|who| [(ETH, *who, 1_000 * ETHER), (LRT, *who, 1_000 * ETHER)])
				.collect(),
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| {
			RATES.with(|r| r.borrow_mut().clear());
			CAPS.with(|c| c.borrow_mut().clear());
			System::set_block_number(1);
			Timestamp::set_timestamp(1_700_000_000_000);
		});
		ext
	}

	/// The externalities with an off-chain worker's extensions (local storage, a transaction
	/// pool), and the pool's state.
	pub fn build_offchain(self) -> (sp_io::TestExternalities, Pool) {
		let mut ext = self.build();
		let (offchain, _) = TestOffchainExt::new();
		let (pool, pool_state) = TestTransactionPoolExt::new();
		ext.register_extension(OffchainDbExt::new(offchain.clone()));
		ext.register_extension(OffchainWorkerExt::new(offchain));
		ext.register_extension(TransactionPoolExt::new(pool));
		(ext, pool_state)
	}

	/// Runs `test`, then checks the pallet's invariants (`do_try_state`).
	pub fn build_and_execute<R>(self, test: impl FnOnce() -> R) -> R {
		self.build().execute_with(|| {
			let result = test();
			assert_eq!(Lending::do_try_state(), Ok(()));
			result
		})
	}

	/// Runs `test` with the off-chain worker's extensions and the pool's state, then checks the
	/// pallet's invariants (`do_try_state`).
	pub fn build_and_execute_offchain<R>(self, test: impl FnOnce(&Pool) -> R) -> R {
		let (mut ext, pool) = self.build_offchain();
		ext.execute_with(|| {
			let result = test(&pool);
			assert_eq!(Lending::do_try_state(), Ok(()));
			result
		})
	}
}
