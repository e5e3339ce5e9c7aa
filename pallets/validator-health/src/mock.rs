//! A mock runtime: System, the pallet, a light client holding whichever beacon roots a test
//! declares finalized, and hooks that record what they were told (the end-of-call hook, which
//! LRTs it would re-rate). [`ExtBuilder`] builds its
//! state; `build_and_execute` checks the pallet's books after every test.

use crate as pallet_validator_health;
use ballast_ethereum_proofs::{ForkSchedule, Root};
use ballast_primitives::ethereum::{
	FinalizedBeaconBlocks, OnValidatorBalanceChanged, OnValidatorProofsApplied, OnValidatorSlashed,
};
use core::cell::RefCell;
use frame_support::{assert_ok, derive_impl, parameter_types};
use sp_runtime::BuildStorage;
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;
pub type AssetId = u32;

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
	pub type ValidatorHealth = pallet_validator_health;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// `(lrt, index, effective_balance, slot, withdrawable_epoch)` as `OnValidatorSlashed` was told.
pub type SlashReport = (AssetId, u64, u64, u64, u64);
/// `(lrt, index, previous, current, slot)` as `OnValidatorBalanceChanged` was told.
pub type BalanceChange = (AssetId, u64, u64, u64, u64);

thread_local! {
	static FINALIZED: RefCell<BTreeMap<Root, u64>> = const { RefCell::new(BTreeMap::new()) };
	pub static LIGHT_CLIENT_NETWORK: RefCell<Option<Root>> = const { RefCell::new(None) };
	pub static SLASHED: RefCell<Vec<SlashReport>> = const { RefCell::new(Vec::new()) };
	pub static BALANCE_CHANGES: RefCell<Vec<BalanceChange>> = const { RefCell::new(Vec::new()) };
	/// Per `OnValidatorProofsApplied` call: the LRTs the hooks were told of since the one
	/// before, in first-told order (what the valuation re-rates once each).
	pub static APPLIED: RefCell<Vec<Vec<AssetId>>> = const { RefCell::new(Vec::new()) };
	/// How many hook calls `APPLIED` has accounted for: (slashes, balance changes).
	static SETTLED: RefCell<(usize, usize)> = const { RefCell::new((0, 0)) };
}

/// The light client of the tests.
pub struct MockLightClient;

impl MockLightClient {
	/// Declares a beacon block root finalized at `slot`.
	pub fn finalize(block_root: Root, slot: u64) {
		FINALIZED.with(|roots| roots.borrow_mut().insert(block_root, slot));
	}
}

impl FinalizedBeaconBlocks for MockLightClient {
	fn finalized_slot(block_root: &Root) -> Option<u64> {
		FINALIZED.with(|roots| roots.borrow().get(block_root).copied())
	}

	fn genesis_validators_root() -> Option<Root> {
		LIGHT_CLIENT_NETWORK.with(|root| *root.borrow())
	}

	fn latest_finalized_slot() -> Option<u64> {
		FINALIZED.with(|roots| roots.borrow().values().max().copied())
	}
}

pub struct RecordSlashes;
impl OnValidatorSlashed<AssetId> for RecordSlashes {
	fn on_validator_slashed(
		lrt: AssetId,
		index: u64,
		effective_balance: u64,
		slot: u64,
		withdrawable_epoch: u64,
	) {
		SLASHED.with(|s| {
			s.borrow_mut().push((lrt, index, effective_balance, slot, withdrawable_epoch))
		});
	}
	fn weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::from_parts(7_000_000, 300)
	}
}

pub struct RecordBalanceChanges;
impl OnValidatorBalanceChanged<AssetId> for RecordBalanceChanges {
	fn on_validator_balance_changed(
		lrt: AssetId,
		index: u64,
		previous: u64,
		current: u64,
		slot: u64,
	) {
		BALANCE_CHANGES.with(|c| c.borrow_mut().push((lrt, index, previous, current, slot)));
	}
	fn weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::from_parts(5_000_000, 200)
	}
}

/// Records the LRTs the hooks were told of since its last call, as the valuation would re-rate
/// them: once each.
pub struct RecordApplied;
impl RecordApplied {
	/// What one LRT's re-rating stands in for.
	pub fn per_lrt() -> frame_support::weights::Weight {
		frame_support::weights::Weight::from_parts(11_000_000, 500)
	}
}
impl OnValidatorProofsApplied for RecordApplied {
	fn on_validator_proofs_applied() -> frame_support::weights::Weight {
		let (slashes, changes) = SETTLED.with(|s| *s.borrow());
		let mut lrts = Vec::new();
		SLASHED.with(|s| lrts.extend(s.borrow()[slashes..].iter().map(|report| report.0)));
		BALANCE_CHANGES.with(|c| lrts.extend(c.borrow()[changes..].iter().map(|change| change.0)));
		let mut once = Vec::new();
		for lrt in lrts {
			if !once.contains(&lrt) {
				once.push(lrt);
			}
		}
		SETTLED.with(|s| {
			*s.borrow_mut() =
				(SLASHED.with(|s| s.borrow().len()), BALANCE_CHANGES.with(|c| c.borrow().len()))
		});
		let weight = Self::per_lrt().saturating_mul(once.len() as u64);
		APPLIED.with(|a| a.borrow_mut().push(once));
		weight
	}
	/// Two LRTs at most in the tests.
	fn weight(hook_calls: u32) -> frame_support::weights::Weight {
		Self::per_lrt().saturating_mul(hook_calls.min(2).into())
	}
}

parameter_types! {
	pub const MaxProofsPerBatch: u32 = 2_000;
}

impl pallet_validator_health::Config for Test {
	type AssetId = AssetId;
	type LightClient = MockLightClient;
	type GovernanceOrigin = frame_system::EnsureRoot<u64>;
	type OnValidatorSlashed = RecordSlashes;
	type OnValidatorBalanceChanged = RecordBalanceChanges;
	type OnValidatorProofsApplied = RecordApplied;
	type MaxProofsPerBatch = MaxProofsPerBatch;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockLightClient;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AssetId> for MockLightClient {
	fn lrt() -> AssetId {
		100
	}

	fn finalize(header: &ballast_ethereum_proofs::BeaconBlockHeader, network: Root) {
		MockLightClient::finalize(header.hash_tree_root(), header.slot);
		LIGHT_CLIENT_NETWORK.with(|root| *root.borrow_mut() = Some(network));
	}
}

/// Sepolia's genesis validators root.
pub const SEPOLIA_GENESIS_VALIDATORS_ROOT: Root =
	sp_core::H256(ballast_ethereum_proofs::fork::SEPOLIA_GENESIS_VALIDATORS_ROOT);

/// Builds a test state. By default: Sepolia's fork schedule and genesis validators root, a light
/// client following Sepolia with nothing finalized, no credentials, block 1.
pub struct ExtBuilder {
	ethereum_forks: Option<ForkSchedule>,
	genesis_validators_root: Option<Root>,
	light_client_network: Option<Root>,
	credentials: Vec<(AssetId, Root)>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		ExtBuilder {
			ethereum_forks: Some(ForkSchedule::sepolia()),
			genesis_validators_root: Some(SEPOLIA_GENESIS_VALIDATORS_ROOT),
			light_client_network: Some(SEPOLIA_GENESIS_VALIDATORS_ROOT),
			credentials: Vec::new(),
		}
	}
}

impl ExtBuilder {
	/// The genesis fork schedule (`None`: none configured).
	pub fn ethereum_forks(mut self, forks: Option<ForkSchedule>) -> Self {
		self.ethereum_forks = forks;
		self
	}

	/// The genesis validators root configured at genesis (`None`: none).
	pub fn genesis_validators_root(mut self, root: Option<Root>) -> Self {
		self.genesis_validators_root = root;
		self
	}

	/// The network the mock light client follows (`None`: no checkpoint yet).
	pub fn light_client_network(mut self, root: Option<Root>) -> Self {
		self.light_client_network = root;
		self
	}

	/// Credentials registered at genesis.
	pub fn credentials(mut self, credentials: Vec<(AssetId, Root)>) -> Self {
		self.credentials = credentials;
		self
	}

	/// The state, with the mock light client and the hooks' records reset.
	pub fn build(self) -> sp_io::TestExternalities {
		let storage = RuntimeGenesisConfig {
			system: Default::default(),
			validator_health: pallet_validator_health::GenesisConfig {
				ethereum_forks: self.ethereum_forks,
				genesis_validators_root: self.genesis_validators_root,
				credentials: self.credentials,
			},
		}
		.build_storage()
		.expect("genesis builds");
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		FINALIZED.with(|r| r.borrow_mut().clear());
		LIGHT_CLIENT_NETWORK.with(|r| *r.borrow_mut() = self.light_client_network);
		SLASHED.with(|s| s.borrow_mut().clear());
		BALANCE_CHANGES.with(|c| c.borrow_mut().clear());
		APPLIED.with(|a| a.borrow_mut().clear());
		SETTLED.with(|s| *s.borrow_mut() = (0, 0));
		ext
	}

	/// Runs `test` in the built state, then checks the pallet's books (`do_try_state`).
	pub fn build_and_execute<R>(self, test: impl FnOnce() -> R) -> R {
		self.build().execute_with(|| {
			let result = test();
			assert_ok!(ValidatorHealth::do_try_state());
			result
		})
	}
}
