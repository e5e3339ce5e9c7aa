//! Ethereum: Snowbridge's beacon light client, the validator-health oracle and the LRT bridge on
//! top of it.
//!
//! Which Ethereum network Ballast follows (fork versions, genesis validators root) is genesis
//! configuration of `pallet-validator-health`; the light client reads the fork versions from
//! there, and validator proofs are only anchored while the light client's checkpoint carries
//! the configured genesis validators root.
//!
//! Light-client spam: `submit` is signed and its full weight (26 ms; 122 ms with a sync
//! committee, Snowbridge's figures) is charged up front, so an invalid or redundant update costs
//! its sender the fee. A successful update is refunded (`Pays::No`) only when it makes real
//! progress: the first update carrying the next sync committee of a period, or a finalized header
//! at least `FreeHeadersInterval` slots past the stored one. Relaying therefore costs nothing at
//! one update per epoch, and flooding costs full fees.

use crate::{AccountId, Runtime, RuntimeEvent};
use ballast_primitives::{ethereum::FinalizedBeaconBlocks, AssetId};
use frame_support::parameter_types;
use snowbridge_beacon_primitives::{Fork, ForkVersions};
use sp_core::H256;

/// Snowbridge's fork versions, from the schedule configured at genesis. Before one is configured
/// every epoch is "far future", so nothing verifies.
pub struct GenesisForkVersions;

impl frame_support::traits::Get<ForkVersions> for GenesisForkVersions {
	fn get() -> ForkVersions {
		let fork =
			|f: ballast_ethereum_proofs::ForkVersion| Fork { version: f.version, epoch: f.epoch };
		match pallet_validator_health::EthereumForks::<Runtime>::get() {
			Some(s) => ForkVersions {
				genesis: fork(s.genesis),
				altair: fork(s.altair),
				bellatrix: fork(s.bellatrix),
				capella: fork(s.capella),
				deneb: fork(s.deneb),
				electra: fork(s.electra),
				fulu: fork(s.fulu),
			},
			None => {
				let never = || Fork { version: [0; 4], epoch: u64::MAX };
				ForkVersions {
					genesis: Fork { version: [0; 4], epoch: 0 },
					altair: never(),
					bellatrix: never(),
					capella: never(),
					deneb: never(),
					electra: never(),
					fulu: never(),
				}
			},
		}
	}
}

parameter_types! {
	/// One epoch: a finalized-header update this far past the stored one is free.
	pub const FreeHeadersInterval: u32 = 32;
	/// Validator proofs per batch: a full batch stays under half a block's weight.
	pub const MaxProofsPerBatch: u32 = 1_000;
	/// Owner of the bridged LRT assets.
	pub const LrtBridgePalletId: frame_support::PalletId = frame_support::PalletId(*b"bal/brdg");
}

impl pallet_lrt_bridge::Config for Runtime {
	type AssetId = AssetId;
	type Assets = crate::Assets;
	// Snowbridge's verifier: receipt proof, execution header, ancestry to a finalized header.
	type Verifier = crate::EthereumBeaconClient;
	type GovernanceOrigin = frame_system::EnsureRoot<AccountId>;
	type PalletId = LrtBridgePalletId;
	type MaxOperators = frame_support::traits::ConstU32<64>;
	type MaxAvss = frame_support::traits::ConstU32<32>;
	type MaxWithdrawalsPerBlock = frame_support::traits::ConstU32<256>;
	// A successful deposit is free of weight fees but pays for its proof's bytes, in BAL, at
	// transaction payment's own length price (burned, as transaction fees are).
	type Currency = crate::Balances;
	type LengthToFee = <Runtime as pallet_transaction_payment::Config>::LengthToFee;
	type OnLengthFee = ();
	// 64 KiB: a deposit straight through the gateway proves in ~2-3 KiB (its receipt holds two
	// logs); the bound leaves room for receipts of contracts that deposit among other work.
	type MaxProofSize = frame_support::traits::ConstU32<{ 64 * 1024 }>;
	// 0.01 of an 18-decimal LRT.
	type MinDeposit = frame_support::traits::ConstU128<10_000_000_000_000_000>;
	// A week: the releaser has seven days to read a withdrawal's proof from any node; after
	// that, the root stays in the block's header and the withdrawal in its events.
	type CommitmentRetention =
		frame_support::traits::ConstU32<{ 7 * ballast_primitives::time::DAYS }>;
	type WeightInfo = crate::weights::pallet_lrt_bridge::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BridgeBenchmarks;
}

impl pallet_lrt_backing::Config for Runtime {
	type AssetId = AssetId;
	type Registry = crate::LrtBridge;
	type Verifier = crate::EthereumBeaconClient;
	type LightClient = SnowbridgeFinalizedBlocks;
	type Validators = crate::ValidatorHealth;
	// The lending markets mark the LRT's markets and work their positions off in the same block.
	type OnBackingRateDecreased = crate::Lending;
	type Time = crate::Timestamp;
	type GovernanceOrigin = frame_system::EnsureRoot<AccountId>;
	type MaxStakes = frame_support::traits::ConstU32<64>;
	type MaxLosses = frame_support::traits::ConstU32<256>;
	type MaxHistory = frame_support::traits::ConstU32<64>;
	type MaxRecentSlashings = frame_support::traits::ConstU32<1024>;
	type WeightInfo = crate::weights::pallet_lrt_backing::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BridgeBenchmarks;
}

/// Benchmarks' Ethereum story: one block in which the gateway took a deposit and reported its
/// backing and EigenLayer slashed the LRT's operator, recorded by `ballast-ethereum-harness`
/// (`runtime/fixtures/bridge_story.scale`, checked by the runtime tests); installing it makes
/// the light client hold that block.
#[cfg(feature = "runtime-benchmarks")]
pub struct BridgeBenchmarks;

/// `(checkpoint, deposit, report, slashing, gateway, token, allocation manager)`.
#[cfg(feature = "runtime-benchmarks")]
pub type RecordedStory = (
	snowbridge_beacon_primitives::CheckpointUpdate<512>,
	snowbridge_verification_primitives::EventProof,
	snowbridge_verification_primitives::EventProof,
	snowbridge_verification_primitives::EventProof,
	sp_core::H160,
	sp_core::H160,
	sp_core::H160,
);

#[cfg(feature = "runtime-benchmarks")]
impl BridgeBenchmarks {
	fn install() -> RecordedStory {
		use codec::Decode;
		let story: RecordedStory =
			Decode::decode(&mut &include_bytes!("../../fixtures/bridge_story.scale")[..])
				.expect("the recorded fixture decodes");
		snowbridge_pallet_ethereum_client::Pallet::<Runtime>::force_checkpoint(
			frame_system::RawOrigin::Root.into(),
			alloc::boxed::Box::new(story.0.clone()),
		)
		.expect("the recorded checkpoint installs");
		story
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_lrt_bridge::BenchmarkHelper<AssetId> for BridgeBenchmarks {
	fn valid_deposit() -> snowbridge_verification_primitives::EventProof {
		Self::install().1
	}

	fn lrt(n: u32) -> AssetId {
		1_000 + n
	}
}

#[cfg(feature = "runtime-benchmarks")]
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

impl snowbridge_pallet_ethereum_client::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ForkVersions = GenesisForkVersions;
	type FreeHeadersInterval = FreeHeadersInterval;
	// Snowbridge's own benchmarked figures (BLS dominates; no storage-size dependence).
	type WeightInfo = ();
}

/// Finalized beacon blocks as Snowbridge's light client stores them. While governance has the
/// light client halted (`set_operating_mode(Halted)`: a suspected compromise), it holds none:
/// headers imported before the halt anchor no validator proof, and the valuation is stale.
pub struct SnowbridgeFinalizedBlocks;

impl FinalizedBeaconBlocks for SnowbridgeFinalizedBlocks {
	fn finalized_slot(block_root: &H256) -> Option<u64> {
		if Self::is_halted() {
			return None;
		}
		snowbridge_pallet_ethereum_client::FinalizedBeaconState::<Runtime>::get(block_root)
			.map(|state| state.slot)
	}

	fn genesis_validators_root() -> Option<H256> {
		let root = snowbridge_pallet_ethereum_client::ValidatorsRoot::<Runtime>::get();
		(root != H256::zero()).then_some(root)
	}

	fn latest_finalized_slot() -> Option<u64> {
		if Self::is_halted() {
			return None;
		}
		let root = snowbridge_pallet_ethereum_client::LatestFinalizedBlockRoot::<Runtime>::get();
		snowbridge_pallet_ethereum_client::FinalizedBeaconState::<Runtime>::get(root)
			.map(|state| state.slot)
	}

	fn is_halted() -> bool {
		snowbridge_pallet_ethereum_client::OperatingMode::<Runtime>::get().is_halted()
	}
}

impl pallet_validator_health::Config for Runtime {
	type AssetId = AssetId;
	type LightClient = SnowbridgeFinalizedBlocks;
	type GovernanceOrigin = frame_system::EnsureRoot<AccountId>;
	// The valuation books every proven slash and balance drop at once.
	type OnValidatorSlashed = crate::LrtBacking;
	type OnValidatorBalanceChanged = crate::LrtBacking;
	type MaxProofsPerBatch = MaxProofsPerBatch;
	type WeightInfo = crate::weights::pallet_validator_health::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = SnowbridgeFinalizedBlocks;
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_validator_health::BenchmarkHelper<AssetId> for SnowbridgeFinalizedBlocks {
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
