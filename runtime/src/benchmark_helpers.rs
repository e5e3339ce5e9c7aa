//! The runtime's side of the pallets' benchmarks (`runtime-benchmarks` only): recorded Ethereum
//! stories installed in the light client, assets and pinned rates for the markets, LRTs for the
//! risk model.

use crate::{AccountId, AssetId, Runtime};
use codec::Encode;
use sp_core::H256;
use sp_runtime::FixedU128;

/// Benchmarks' Ethereum story: one block in which the gateway took a deposit and reported its
/// backing and EigenLayer slashed the LRT's operator, recorded by `ballast-ethereum-harness`
/// (`runtime/fixtures/bridge_story.scale`, checked by the runtime tests); installing it makes
/// the light client hold that block.
pub struct BridgeBenchmarks;

/// `(checkpoint, deposit, report, slashing, gateway, token, allocation manager)`.
pub type RecordedStory = (
	snowbridge_beacon_primitives::CheckpointUpdate<512>,
	snowbridge_verification_primitives::EventProof,
	snowbridge_verification_primitives::EventProof,
	snowbridge_verification_primitives::EventProof,
	sp_core::H160,
	sp_core::H160,
	sp_core::H160,
);

impl BridgeBenchmarks {
	fn install() -> RecordedStory {
		use codec::Decode;
		let story: RecordedStory =
			Decode::decode(&mut &include_bytes!("../fixtures/bridge_story.scale")[..])
				.expect("the recorded fixture decodes");
		// The benchmarks' submitter pays its proofs' length fees.
		let submitter: AccountId = frame_benchmarking::whitelisted_caller();
		<crate::Balances as frame_support::traits::fungible::Mutate<AccountId>>::set_balance(
			&submitter,
			1_000 * ballast_primitives::currency::BAL,
		);
		snowbridge_pallet_ethereum_client::Pallet::<Runtime>::force_checkpoint(
			frame_system::RawOrigin::Root.into(),
			alloc::boxed::Box::new(story.0.clone()),
		)
		.expect("the recorded checkpoint installs");
		story
	}
}

impl pallet_lrt_bridge::BenchmarkHelper<AssetId> for BridgeBenchmarks {
	fn valid_deposit() -> snowbridge_verification_primitives::EventProof {
		Self::install().1
	}

	fn lrt(n: u32) -> AssetId {
		1_000 + n
	}
}

impl pallet_lrt_backing::BenchmarkHelper<AssetId> for BridgeBenchmarks {
	fn story() -> (
		AssetId,
		snowbridge_verification_primitives::EventProof,
		snowbridge_verification_primitives::EventProof,
		sp_core::H160,
	) {
		let (_, _, report, slashing, gateway, token, manager) = Self::install();
		let lrt = 1_000;
		pallet_lrt_bridge::Pallet::<Runtime>::register_lrt(
			frame_system::RawOrigin::Root.into(),
			lrt,
			token,
			gateway,
			u128::MAX,
			10,
		)
		.expect("registers");
		(lrt, report, slashing, manager)
	}
}

/// The validator-health benchmarks' light client: finalizes the header a proof anchors to.
pub struct ValidatorHealthBenchmarks;

impl pallet_validator_health::BenchmarkHelper<AssetId> for ValidatorHealthBenchmarks {
	fn lrt() -> AssetId {
		100
	}

	fn finalize(header: &ballast_ethereum_proofs::BeaconBlockHeader, network: H256) {
		let header = snowbridge_beacon_primitives::BeaconHeader {
			slot: header.slot,
			proposer_index: header.proposer_index,
			parent_root: header.parent_root,
			state_root: header.state_root,
			body_root: header.body_root,
		};
		snowbridge_pallet_ethereum_client::ValidatorsRoot::<Runtime>::put(network);
		snowbridge_pallet_ethereum_client::Pallet::<Runtime>::store_finalized_header(
			header,
			H256::zero(),
		)
		.expect("a header always hashes");
	}
	/// The valuation's worst case for the hooks: the LRT registered, valued from the recorded
	/// story's backing report, its loss list one short of full (so every drop books and the
	/// list merges), and the collateral of `MaxMarketsPerCollateral` markets, each marked when
	/// the rate falls.
	fn make_lrt_costly(lrt: AssetId) {
		use frame_support::traits::Get;
		let root = || -> crate::RuntimeOrigin { frame_system::RawOrigin::Root.into() };
		let (_, _, report, _, gateway, token, _) = BridgeBenchmarks::install();
		crate::LrtBridge::register_lrt(root(), lrt, token, gateway, u128::MAX, 10)
			.expect("the benchmark LRT registers");
		let params = pallet_lrt_backing::BackingParams {
			max_yearly_growth: sp_runtime::Perbill::from_percent(10),
			// Together within `MaxAvsSlashingAge` (90 days), as `set_params` requires.
			max_snapshot_age: 50 * 24 * 3600,
			max_proof_age_slots: u64::MAX / 2,
			total_active_balance_gwei: 34_000_000_000_000_000,
			exit_penalty: sp_runtime::Perbill::from_rational(3u32, 1000u32),
			recognition_delay: 40 * 24 * 3600,
			max_unproven_fall: sp_runtime::Perbill::from_percent(1),
			fall_confirmation_delay: 24 * 3600,
			circuit_breaker_fall: sp_runtime::Perbill::from_percent(100),
			circuit_breaker_window: 24 * 3600,
		};
		crate::LrtBacking::set_params(root(), lrt, params.clone()).expect("the LRT is valued");
		// The worst case books every loss: the recorded proofs (Sepolia, 2024) are older than the
		// recorded snapshot (2025) by more than any recognition delay `set_params` accepts, so
		// the benchmark alone widens it (and the snapshot's age) past them.
		pallet_lrt_backing::Params::<crate::Runtime>::insert(
			lrt,
			pallet_lrt_backing::BackingParams {
				recognition_delay: u64::MAX / 2,
				max_snapshot_age: u64::MAX / 2,
				..params
			},
		);
		let relayer: AccountId = frame_benchmarking::whitelisted_caller();
		crate::LrtBacking::submit_backing_report(
			frame_system::RawOrigin::Signed(relayer).into(),
			alloc::boxed::Box::new(report),
		)
		.expect("the recorded report values the LRT");
		use ballast_primitives::ethereum::{OnValidatorBalanceChanged, OnValidatorProofsApplied};
		let losses: u32 = <Runtime as pallet_lrt_backing::Config>::MaxLosses::get();
		for index in 0..u64::from(losses.saturating_sub(1)) {
			<crate::LrtBacking as OnValidatorBalanceChanged<AssetId>>::on_validator_balance_changed(
				lrt,
				u64::MAX - index,
				32_000_000_000,
				31_999_000_000,
				1,
			);
		}
		<crate::LrtBacking as OnValidatorProofsApplied>::on_validator_proofs_applied();
		let markets: u32 = <Runtime as pallet_lending::Config>::MaxMarketsPerCollateral::get();
		for _ in 0..markets {
			crate::Lending::create_market(
				root(),
				lrt,
				ballast_primitives::assets::ETH,
				pallet_lending::MarketParams::reference(),
			)
			.expect("a market on the benchmark LRT");
		}
	}
}

/// Benchmarks' assets (bridged ETH from genesis and an LRT created on demand) and pinned rates.
pub struct LendingBenchmarks;

impl LendingBenchmarks {
	const LRT: AssetId = 1_000;

	fn key(lrt: AssetId) -> alloc::vec::Vec<u8> {
		(b":ballast:benchmark-rate:", lrt).using_encoded(|key| key.to_vec())
	}

	pub(crate) fn pinned(lrt: AssetId) -> Option<FixedU128> {
		frame_support::storage::unhashed::get(&Self::key(lrt))
	}
}

impl pallet_lending::BenchmarkHelper<AssetId> for LendingBenchmarks {
	fn assets() -> (AssetId, AssetId) {
		use frame_support::traits::fungibles::{Create, Inspect};
		if !crate::Assets::asset_exists(Self::LRT) {
			let owner = crate::configs::lending::LendingPalletId::get();
			let owner: AccountId =
				sp_runtime::traits::AccountIdConversion::into_account_truncating(&owner);
			<crate::Assets as Create<AccountId>>::create(Self::LRT, owner, true, 1)
				.expect("the benchmark LRT is created");
		}
		if !crate::Assets::asset_exists(ballast_primitives::assets::ETH) {
			let owner: AccountId = sp_runtime::traits::AccountIdConversion::into_account_truncating(
				&crate::configs::lending::LendingPalletId::get(),
			);
			<crate::Assets as Create<AccountId>>::create(
				ballast_primitives::assets::ETH,
				owner,
				true,
				1,
			)
			.expect("ETH is created");
		}
		(Self::LRT, ballast_primitives::assets::ETH)
	}

	fn set_rate(lrt: AssetId, rate: FixedU128) {
		frame_support::storage::unhashed::put(&Self::key(lrt), &rate);
	}
}

/// Benchmarks' LRTs, registered through the bridge as governance would.
pub struct RiskBenchmarks;

impl pallet_risk::BenchmarkHelper<AssetId> for RiskBenchmarks {
	fn register_lrts(n: u32) -> alloc::vec::Vec<AssetId> {
		(0..n)
			.map(|i| {
				let lrt = 10_000 + i;
				let mut token = [0u8; 20];
				token[16..].copy_from_slice(&(0x1000 + i).to_be_bytes());
				let token = sp_core::H160::from(token);
				let gateway = sp_core::H160::repeat_byte(0x77);
				crate::LrtBridge::register_lrt(
					frame_system::RawOrigin::Root.into(),
					lrt,
					token,
					gateway,
					u128::MAX,
					100,
				)
				.expect("a new LRT registers");
				lrt
			})
			.collect()
	}
}
