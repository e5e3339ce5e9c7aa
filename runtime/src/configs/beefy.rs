//! BEEFY and the MMR: Ballast's finality in a form Ethereum can check.
//!
//! Every block appends one leaf to a Merkle Mountain Range (keccak, as Ethereum hashes). The
//! leaf names the parent block, the next BEEFY authority set, and, as its extra data, the
//! withdrawal root the parent block committed (`pallet_lrt_bridge`'s `b"bwdr"` digest; zero
//! when it committed none). BEEFY validators sign the MMR root of finalized blocks with their
//! secp256k1 keys; Snowbridge's `BeefyClient.sol` checks those signatures on Ethereum, so one
//! accepted commitment proves every withdrawal below it to `BallastGateway.release`
//! (docs/bridge.md, "Releases").

use crate::{BlockNumber, Historical, LrtBridge, MmrLeaf, Offences, Runtime, System};
use frame_support::{parameter_types, traits::ConstU32};
use sp_consensus_beefy::{ecdsa_crypto::AuthorityId as BeefyId, mmr::BeefyDataProvider};
use sp_core::H256;

use super::validators::{HistoryDepth, MaxAuthorities, ReportLongevity};

parameter_types! {
	/// The MMR leaf format's version: (major 0, minor 0), the layout `BeefyClient.sol` and
	/// `BallastGateway.mmrLeafHash` encode.
	pub LeafVersion: sp_consensus_beefy::mmr::MmrLeafVersion =
		sp_consensus_beefy::mmr::MmrLeafVersion::new(0, 0);
}

impl pallet_beefy::Config for Runtime {
	type BeefyId = BeefyId;
	type MaxAuthorities = MaxAuthorities;
	type MaxNominators = ConstU32<0>;
	// A BEEFY set per session, as GRANDPA's: as many set ids as provable sessions.
	type MaxSetIdSessionEntries = frame_support::traits::ConstU64<{ HistoryDepth::get() as u64 }>;
	type OnNewValidatorSet = MmrLeaf;
	type AncestryHelper = MmrLeaf;
	type WeightInfo = ();
	type KeyOwnerProof = sp_session::MembershipProof;
	// A proven BEEFY equivocation is punished as a GRANDPA one is: `pallet_validator_set`
	// disables the signer, slashes its bond and takes its seat.
	type EquivocationReportSystem =
		pallet_beefy::EquivocationReportSystem<Self, Offences, Historical, ReportLongevity>;
}

impl pallet_mmr::Config for Runtime {
	// Leaves and nodes also go to the off-chain database (the node indexes them), where the
	// `mmr_generateProof` RPC and the runtime API read them.
	const INDEXING_PREFIX: &'static [u8] = b"mmr";
	type Hashing = sp_consensus_beefy::MmrHashing;
	// Each block's MMR root goes into its digest, where the BEEFY gadget finds what to sign.
	type OnNewRoot = pallet_beefy_mmr::DepositBeefyDigest<Runtime>;
	type LeafData = MmrLeaf;
	type BlockHashProvider = pallet_mmr::DefaultBlockHashProvider<Runtime>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

impl pallet_beefy_mmr::Config for Runtime {
	type LeafVersion = LeafVersion;
	// The authority set's Merkle leaves are the validators' Ethereum addresses (keccak of the
	// uncompressed key), which `BeefyClient.sol` recovers from signatures.
	type BeefyAuthorityToMerkleLeaf = pallet_beefy_mmr::BeefyEcdsaToEthereum;
	type LeafExtra = H256;
	type BeefyDataProvider = ParentWithdrawalRoot;
	// Upstream's weights (its `weights` module is private; `()` is Substrate's reference
	// machine's figures, as for pallet-mmr and pallet-beefy).
	type WeightInfo = ();
}

/// The leaf's extra data: the withdrawal root that the parent block committed, or zero. The
/// leaf is appended as a block starts (`pallet_mmr`'s `on_initialize`), after the parent's
/// `on_finalize` committed its withdrawals, so block `n`'s leaf carries block `n − 1`'s root.
pub struct ParentWithdrawalRoot;

impl BeefyDataProvider<H256> for ParentWithdrawalRoot {
	fn extra_data() -> H256 {
		let parent: BlockNumber = System::block_number().saturating_sub(1);
		LrtBridge::withdrawal_root(parent).unwrap_or_default()
	}
}
