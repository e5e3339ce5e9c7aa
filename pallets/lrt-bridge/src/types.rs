//! Types of the LRT bridge.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::Get, BoundedVec};
use scale_info::TypeInfo;
use sp_core::{H160, H256};

pub use ballast_primitives::lrt::LrtState;

/// The emergency origin only moves an LRT up its order (`Active` < `DepositsPaused` <
/// `Frozen`): the shared rule of `ballast-primitives`.
pub use ballast_primitives::protective::Strictness;

/// What makes an LRT its own asset: where it lives on Ethereum, what it is exposed to, how fast
/// it may be minted, and whether it may move.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxOperators, MaxAvss))]
pub struct LrtProfile<Balance, BlockNumber, MaxOperators: Get<u32>, MaxAvss: Get<u32>> {
	/// The LRT's ERC-20 address on Ethereum.
	pub token: H160,
	/// The `BallastGateway` whose events mint this LRT.
	pub gateway: H160,
	/// EigenLayer operators the LRT's stake is delegated to.
	pub operators: BoundedVec<H160, MaxOperators>,
	/// AVSs whose slashing the LRT is exposed to.
	pub avss: BoundedVec<H160, MaxAvss>,
	/// The mint rate limit's capacity, refilled continuously at this much per `mint_window`
	/// blocks (a compromised light client or gateway must not mint unlimited value): over any
	/// `t` blocks at most `mint_limit × (1 + t / mint_window)` is minted.
	pub mint_limit: Balance,
	/// The blocks in which the rate limit refills `mint_limit` (at least one).
	pub mint_window: BlockNumber,
	/// Whether deposits mint and withdrawals burn.
	pub state: LrtState,
}

/// An LRT's mint rate limit as a token bucket: it holds `mint_limit` and refills continuously at
/// `mint_limit` per `mint_window` blocks. `used` is what is taken, as of block `updated`; the
/// room at block `now` is `mint_limit − (used − refill(now − updated))`. The default (nothing
/// used) is a full bucket.
#[derive(
	Clone,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct MintBucket<Balance, BlockNumber> {
	/// The block of the last mint (when `used` was last brought up to date).
	pub updated: BlockNumber,
	/// Taken from the bucket and not yet refilled, as of `updated`.
	pub used: Balance,
}

/// Everything that crossed the bridge for one LRT: `supply == deposited - withdrawn` always.
#[derive(
	Clone,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct BridgeTotals<Balance> {
	/// Every proven deposit minted.
	pub deposited: Balance,
	/// Every withdrawal burned.
	pub withdrawn: Balance,
}

/// A withdrawal burned on Ballast, for the gateway to release.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct Withdrawal<AccountId, AssetId, Balance, BlockNumber> {
	/// The LRT burned.
	pub lrt: AssetId,
	/// The Ballast account that burned it.
	pub who: AccountId,
	/// The LRT's gateway, which releases it.
	pub gateway: H160,
	/// The LRT's ERC-20 address on Ethereum.
	pub token: H160,
	/// The Ethereum address to release to.
	pub recipient: H160,
	/// The amount burned (and to release).
	pub amount: Balance,
	/// The block whose commitment includes it.
	pub block: BlockNumber,
}

/// The Merkle proof of a withdrawal message in its block's commitment (keccak, binary tree as
/// `binary-merkle-tree` builds it; leaves are the keccak of the ABI-encoded messages).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct WithdrawalProof<BlockNumber> {
	/// The block whose commitment holds the withdrawal.
	pub block: BlockNumber,
	/// That block's withdrawal root (also in its header's digest).
	pub root: H256,
	/// `abi.encode(gateway, token, recipient, amount, withdrawalNonce)`.
	pub message: alloc::vec::Vec<u8>,
	/// The message's leaf position in the tree.
	pub leaf_index: u32,
	/// How many leaves the tree has.
	pub leaf_count: u32,
	/// The sibling hashes from the leaf up to the root.
	pub proof: alloc::vec::Vec<H256>,
}

/// Prefix of the header digest item that carries a block's withdrawal root
/// (`DigestItem::Other(WITHDRAWALS_DIGEST_PREFIX ++ root)`).
pub const WITHDRAWALS_DIGEST_PREFIX: &[u8; 4] = b"bwdr";
