//! A mock runtime: System, Timestamp and the valuation, with a registry, a light client, the
//! validators' freshness and the rate-decrease hook as thread-local test doubles; the verifier
//! checks receipt proofs for real and takes finality from a list the test declares.
//! [`ExtBuilder`] builds its externalities and runs a test with the books checked after it.

use crate as pallet_lrt_backing;
pub use ballast_ethereum_harness::verifier::{finalize_execution_block, TestVerifier};
use ballast_primitives::{
	ethereum::{FinalizedBeaconBlocks, ValidatorFreshness},
	lrt::{LrtRegistry, LrtState},
	valuation::OnBackingRateDecreased,
};
use core::cell::RefCell;
use frame_support::{
	derive_impl,
	traits::{ConstU32, ConstU64},
};
use frame_system::EnsureRoot;
use sp_core::{H160, H256};
use sp_runtime::{BuildStorage, FixedU128};
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
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(2)]
	pub type LrtBacking = pallet_lrt_backing;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	// Storage priced, so that the weights declared by hand (reads and writes) show in tests.
	type DbWeight = frame_support::weights::constants::RocksDbWeight;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

thread_local! {
	/// token → (lrt, gateway)
	pub static LRTS: RefCell<BTreeMap<H160, (AssetId, H160)>> =
		const { RefCell::new(BTreeMap::new()) };
	pub static HEAD_SLOT: RefCell<Option<u64>> = const { RefCell::new(None) };
	pub static OLDEST_PROOF: RefCell<Option<u64>> = const { RefCell::new(None) };
	pub static DECREASES: RefCell<Vec<(AssetId, FixedU128, FixedU128)>> =
		const { RefCell::new(Vec::new()) };
	/// `(who, proof bytes)` of every length fee charged.
	pub static LENGTH_FEES: RefCell<Vec<(u64, u32)>> = const { RefCell::new(Vec::new()) };
}

/// The largest proof the mock accepts (16 KiB; the harness's proofs are ~2 KiB).
pub const MAX_PROOF_SIZE: u32 = 16 * 1024;
/// The oldest AVS slashing the mock accepts: 60 days (the tests' settings use a 40-day
/// recognition delay and a 7-day snapshot age).
pub const MAX_AVS_SLASHING_AGE: u64 = 60 * 24 * 3600;
/// An account with no native balance: it cannot pay a proof's length fee.
pub const PENNILESS: u64 = 99;

/// Every length fee charged, `(who, proof bytes)`.
pub fn length_fees() -> Vec<(u64, u32)> {
	LENGTH_FEES.with(|fees| fees.borrow().clone())
}

/// The bridge's length fee, as a recorder: 16 KiB at most, 1 ns a byte, `PENNILESS` cannot pay.
pub struct RecordLengthFees;
impl ballast_primitives::proofs::ProofLengthFee<u64> for RecordLengthFees {
	fn max_proof_size() -> u32 {
		MAX_PROOF_SIZE
	}
	fn proof_bytes_weight(size: u32) -> frame_support::weights::Weight {
		frame_support::weights::Weight::from_parts(1_000, 1).saturating_mul(size.into())
	}
	fn charge(who: &u64, size: u32) -> Result<(), sp_runtime::DispatchError> {
		if *who == PENNILESS {
			return Err(sp_runtime::DispatchError::Other("cannot pay the length fee"));
		}
		LENGTH_FEES.with(|fees| fees.borrow_mut().push((*who, size)));
		Ok(())
	}
}

pub fn register(lrt: AssetId, token: H160, gateway: H160) {
	LRTS.with(|lrts| lrts.borrow_mut().insert(token, (lrt, gateway)));
}

pub fn decreases() -> Vec<(AssetId, FixedU128, FixedU128)> {
	DECREASES.with(|d| d.borrow().clone())
}

pub struct Registry;
impl LrtRegistry<AssetId> for Registry {
	fn token(lrt: AssetId) -> Option<H160> {
		LRTS.with(|l| l.borrow().iter().find(|(_, (id, _))| *id == lrt).map(|(token, _)| *token))
	}
	fn lrt_of_token(token: H160) -> Option<AssetId> {
		LRTS.with(|l| l.borrow().get(&token).map(|(id, _)| *id))
	}
	fn gateway(lrt: AssetId) -> Option<H160> {
		LRTS.with(|l| l.borrow().values().find(|(id, _)| *id == lrt).map(|(_, gateway)| *gateway))
	}
	fn operators(_: AssetId) -> Vec<H160> {
		Vec::new()
	}
	fn avss(_: AssetId) -> Vec<H160> {
		Vec::new()
	}
	fn state(_: AssetId) -> Option<LrtState> {
		Some(LrtState::Active)
	}
	fn lrts() -> Vec<AssetId> {
		LRTS.with(|l| l.borrow().values().map(|(id, _)| *id).collect())
	}
}

pub struct LightClient;
impl FinalizedBeaconBlocks for LightClient {
	fn finalized_slot(_: &H256) -> Option<u64> {
		None
	}
	fn genesis_validators_root() -> Option<H256> {
		None
	}
	fn latest_finalized_slot() -> Option<u64> {
		HEAD_SLOT.with(|s| *s.borrow())
	}
}

pub struct Freshness;
impl ValidatorFreshness<AssetId> for Freshness {
	fn oldest_proof_slot(_: AssetId) -> Option<u64> {
		OLDEST_PROOF.with(|s| *s.borrow())
	}
}

pub struct RecordDecreases;
impl OnBackingRateDecreased<AssetId> for RecordDecreases {
	fn on_backing_rate_decreased(lrt: AssetId, previous: FixedU128, current: FixedU128) {
		DECREASES.with(|d| d.borrow_mut().push((lrt, previous, current)));
	}
	/// Lending's marking stands in as 9 µs, so that what the valuation declares for it shows.
	fn weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::from_parts(9_000_000, 100)
	}
}

impl pallet_lrt_backing::Config for Test {
	type AssetId = AssetId;
	type Registry = Registry;
	type Verifier = TestVerifier;
	type LightClient = LightClient;
	type Validators = Freshness;
	type OnBackingRateDecreased = RecordDecreases;
	type ProofFees = RecordLengthFees;
	type Time = Timestamp;
	type GovernanceOrigin = EnsureRoot<u64>;
	type MaxStakes = ConstU32<4>;
	type MaxLosses = ConstU32<4>;
	type MaxHistory = ConstU32<3>;
	type MaxRecentSlashings = ConstU32<16>;
	type MaxValuedLrts = ConstU32<3>;
	type MaxAvsSlashingAge = ConstU64<MAX_AVS_SLASHING_AGE>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// Builds the mock's externalities: System's genesis at block 1, every test double reset (no
/// LRT registered, nothing finalized, no light-client head, no validator proofs, no decreases).
#[derive(Default)]
pub struct ExtBuilder;

impl ExtBuilder {
	/// The externalities, with the test doubles reset.
	pub fn build(self) -> sp_io::TestExternalities {
		let storage =
			frame_system::GenesisConfig::<Test>::default().build_storage().expect("genesis");
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		LRTS.with(|l| l.borrow_mut().clear());
		ballast_ethereum_harness::verifier::reset();
		HEAD_SLOT.with(|s| *s.borrow_mut() = None);
		OLDEST_PROOF.with(|s| *s.borrow_mut() = None);
		DECREASES.with(|d| d.borrow_mut().clear());
		LENGTH_FEES.with(|fees| fees.borrow_mut().clear());
		ext
	}

	/// Runs `test` in fresh externalities, then checks the valuation's books
	/// ([`crate::Pallet::do_try_state`]).
	pub fn build_and_execute<R>(self, test: impl FnOnce() -> R) -> R {
		self.build().execute_with(|| {
			let result = test();
			LrtBacking::do_try_state().expect("the valuation's books hold after the test");
			result
		})
	}
}

/// Benchmarks' story: the harness's block, finalized for the test verifier, its LRT registered.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AssetId> for MockBenchmarkHelper {
	fn story() -> (
		AssetId,
		snowbridge_verification_primitives::EventProof,
		snowbridge_verification_primitives::EventProof,
		H160,
	) {
		let story = ballast_ethereum_harness::scenarios::story([1; 32], 10, 1_030);
		register(100, story.token, story.gateway);
		finalize_execution_block(H256::from(
			story.beacon.execution_proof().execution_header.block_hash().0,
		));
		HEAD_SLOT.with(|s| *s.borrow_mut() = Some(10));
		(100, story.report, story.slashing, story.allocation_manager)
	}
}
