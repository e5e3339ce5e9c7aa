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
