//! A mock runtime: System and the risk pallet, with the registry, validator records and
//! valuation records as thread-local test doubles, and [`ExtBuilder`], which builds its genesis
//! and checks the pallet's books (`do_try_state`) after every test. There is no pallet-session:
//! [`new_session`] and [`disable`] call the pallet's `OneSessionHandler` as it would, the
//! genesis calls `on_genesis_session`.

use crate as pallet_risk;
use crate::Tier;
use ballast_ethereum_proofs::consensus::FAR_FUTURE_EPOCH;
use ballast_primitives::{
	lrt::{LrtRegistry, LrtState},
	risk::{BookedLoss, ValidatorSummaries, ValidatorSummary, ValuationRecords},
};
use core::cell::RefCell;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, OneSessionHandler},
};
use frame_system::EnsureRoot;
use sp_core::H160;
use sp_runtime::{BuildStorage, FixedU128, Perbill};
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;
pub type AssetId = u32;
pub const EZ: AssetId = 100;
pub const RS: AssetId = 101;
pub const EPOCH: u64 = 10;

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
	pub type Risk = pallet_risk;
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
		!(Paused::get() && matches!(call, RuntimeCall::Risk(_)))
	}
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type BaseCallFilter = PauseFilter;
	type Block = Block;
}

/// Everything the model reads about one LRT.
#[derive(Clone, Default)]
pub struct World {
	pub validators: Vec<ValidatorSummary>,
	pub stakes: Vec<(H160, u128)>,
	pub losses: Vec<BookedLoss>,
	pub history: Vec<FixedU128>,
	pub avss: u32,
}

thread_local! {
	pub static WORLD: RefCell<BTreeMap<AssetId, World>> = const { RefCell::new(BTreeMap::new()) };
	/// How many times the validator records were read (one call of `ValidatorSummaries`).
	pub static VALIDATOR_READS: core::cell::Cell<u32> = const { core::cell::Cell::new(0) };
}

pub fn with_world<R>(lrt: AssetId, f: impl FnOnce(&mut World) -> R) -> R {
	WORLD.with(|w| f(w.borrow_mut().entry(lrt).or_default()))
}

/// An LRT backed by `n` healthy validators and four equal operators, two AVSs, rate 1.03.
pub fn healthy(n: u64) -> World {
	World {
		validators: (0..n)
			.map(|index| ValidatorSummary {
				index,
				effective_balance: 32_000_000_000,
				balance: 32_000_000_000,
				slashed: false,
				exit_epoch: FAR_FUTURE_EPOCH,
				proven_at_slot: 1_000,
			})
			.collect(),
		stakes: (1..=4u8).map(|b| (H160::repeat_byte(b), 250 * 10u128.pow(18))).collect(),
		losses: Vec::new(),
		history: vec![FixedU128::from_rational(103, 100)],
		avss: 2,
	}
}

pub struct Registry;
impl LrtRegistry<AssetId> for Registry {
	fn token(_: AssetId) -> Option<H160> {
		None
	}
	fn lrt_of_token(_: H160) -> Option<AssetId> {
		None
	}
	fn gateway(_: AssetId) -> Option<H160> {
		None
	}
	fn operators(lrt: AssetId) -> Vec<H160> {
		with_world(lrt, |w| w.stakes.iter().map(|(o, _)| *o).collect())
	}
	fn avss(lrt: AssetId) -> Vec<H160> {
		with_world(lrt, |w| (0..w.avss).map(|i| H160::repeat_byte(0xa0 + i as u8)).collect())
	}
	fn state(_: AssetId) -> Option<LrtState> {
		Some(LrtState::Active)
	}
	fn lrts() -> Vec<AssetId> {
		WORLD.with(|w| w.borrow().keys().copied().collect())
	}
}

pub struct Records;
impl ValidatorSummaries<AssetId> for Records {
	fn validators_of(lrt: AssetId) -> Vec<ValidatorSummary> {
		VALIDATOR_READS.with(|r| r.set(r.get() + 1));
		with_world(lrt, |w| w.validators.clone())
	}
	fn validators_of_each(lrts: &[AssetId]) -> Vec<Vec<ValidatorSummary>> {
		VALIDATOR_READS.with(|r| r.set(r.get() + 1));
		lrts.iter().map(|lrt| with_world(*lrt, |w| w.validators.clone())).collect()
	}
}
impl ValuationRecords<AssetId> for Records {
	fn stakes(lrt: AssetId) -> Vec<(H160, u128)> {
		with_world(lrt, |w| w.stakes.clone())
	}
	fn losses(lrt: AssetId) -> Vec<BookedLoss> {
		with_world(lrt, |w| w.losses.clone())
	}
	fn rate_history(lrt: AssetId) -> Vec<FixedU128> {
		with_world(lrt, |w| w.history.clone())
	}
}

parameter_types! {
	pub const EpochBlocks: u64 = EPOCH;
	pub const LoosenStep: Perbill = Perbill::from_percent(1);
	pub const MaxThresholdStep: Perbill = Perbill::from_percent(2);
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

impl pallet_risk::Config for Test {
	type AssetId = AssetId;
	type Registry = Registry;
	type Validators = Records;
	type Valuation = Records;
	type GovernanceOrigin = EnsureRoot<u64>;
	type EpochBlocks = EpochBlocks;
	type MaxReporters = ConstU32<16>;
	type MaxLrts = ConstU32<8>;
	type MaxTiers = ConstU32<8>;
	type Tolerance = frame_support::traits::ConstU16<50>;
	type LoosenStep = LoosenStep;
	type MaxThresholdStepPerEpoch = MaxThresholdStep;
	type ReportPriority = frame_support::traits::ConstU64<{ u64::MAX / 4 }>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchHelper;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct BenchHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AssetId> for BenchHelper {
	fn register_lrts(n: u32) -> Vec<AssetId> {
		(0..n)
			.map(|i| {
				with_world(1_000 + i, |w| *w = healthy(1));
				1_000 + i
			})
			.collect()
	}
}

/// The test runtime with a keystore, for the benchmarks' reporter keys.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_bench_ext() -> sp_io::TestExternalities {
	let mut ext = ExtBuilder::default().reporters(0).build();
	ext.register_extension(sp_keystore::KeystoreExt(std::sync::Arc::new(
		sp_keystore::testing::MemoryKeystore::new(),
	)));
	ext
}

/// Tiers: ≤ 150 leaves the markets alone (caps at 95/98 %), ≤ 300 caps at 85/90 %, ≤ 500 at
/// 75/80 %, above at 50/60 %.
pub fn tiers() -> Vec<Tier> {
	let tier = |max_score, ltv, lt| Tier {
		max_score,
		ltv: Perbill::from_percent(ltv),
		liquidation_threshold: Perbill::from_percent(lt),
	};
	vec![tier(150, 95, 98), tier(300, 85, 90), tier(500, 75, 80), tier(1000, 50, 60)]
}

/// The reporters' seeds: `//Risk0` … `//Risk3`.
pub fn seed(i: usize) -> String {
	format!("//Risk{i}")
}

pub fn reporter(i: usize) -> crate::ReporterId {
	use sp_core::Pair;
	sp_core::sr25519::Pair::from_string(&seed(i), None).expect("seed").public().into()
}

/// The session's validators: account `n` holding the `risk` key `reporter(keys[n])`.
fn session_validators(keys: &[usize]) -> (Vec<u64>, Vec<crate::ReporterId>) {
	((0..keys.len() as u64).collect(), keys.iter().copied().map(reporter).collect())
}

/// What pallet-session does when a session begins whose validators hold the keys
/// `reporter(keys[0])`, `reporter(keys[1])` …, in that order (`changed`: the set or a key changed
/// since the last session).
pub fn new_session(changed: bool, keys: &[usize]) {
	let (accounts, keys) = session_validators(keys);
	let validators = || accounts.iter().zip(keys.iter().cloned());
	<Risk as OneSessionHandler<u64>>::on_new_session(changed, validators(), validators());
}

/// What pallet-session does when it disables the current session's validator at `index`.
pub fn disable(index: u32) {
	<Risk as OneSessionHandler<u64>>::on_disabled(index);
}

/// The test runtime's genesis: a genesis session of `reporters` validators (`//Risk0` …, 4
/// unless set), the [`tiers`], an empty world, at block [`EPOCH`] (epoch 1), whose
/// `on_initialize` opened epoch 1.
pub struct ExtBuilder {
	reporters: usize,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self { reporters: 4 }
	}
}

impl ExtBuilder {
	/// Makes `//Risk0` … `//Risk{n-1}` the genesis session's validators' `risk` keys.
	pub fn reporters(mut self, n: usize) -> Self {
		self.reporters = n;
		self
	}

	/// The externalities, at block [`EPOCH`].
	pub fn build(self) -> sp_io::TestExternalities {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_risk::GenesisConfig::<Test> { tiers: tiers(), _phantom: Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| {
			// pallet-session's genesis.
			let (accounts, keys) = session_validators(&(0..self.reporters).collect::<Vec<_>>());
			<Risk as OneSessionHandler<u64>>::on_genesis_session(accounts.iter().zip(keys));
			WORLD.with(|w| w.borrow_mut().clear());
			System::set_block_number(EPOCH);
			<Risk as frame_support::traits::Hooks<u64>>::on_initialize(EPOCH);
		});
		ext
	}

	/// Runs `test`, then checks the pallet's books.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			assert_eq!(Risk::do_try_state(), Ok(()), "the pallet's books after the test");
		});
	}
}
