//! The arguments of the validator-health calls, shared by the runtime (which verifies them) and
//! the prover and relayer (which build them).

use crate::{BeaconBlockHeader, Root, ValidatorFields};
use codec::{Decode, DecodeWithMemTracking, Encode};
use scale_info::TypeInfo;
use sp_core::{bounded::BoundedVec, ConstU32};

/// Longest Merkle branch a call may carry: validator proofs are 46–47 hashes deep today, and
/// Gloas's layout is expected to add at most two levels.
pub type MaxBranch = ConstU32<64>;
/// A Merkle branch, leaf level first.
pub type Branch = BoundedVec<Root, MaxBranch>;

/// The beacon state a batch of proofs is anchored in: a finalized header, and the roots of the
/// state's `validators` and `balances` lists proven against its `state_root` once for the batch.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StateAnchor {
	/// The finalized beacon block header whose `state_root` the batch is proven against.
	pub header: BeaconBlockHeader,
	/// Hash-tree-root of the state's `validators` list.
	pub validators_root: Root,
	/// `validators_root` up to `header.state_root` (5 hashes in Deneb, 6 in Electra/Fulu).
	pub validators_branch: Branch,
	/// Hash-tree-root of the state's `balances` list.
	pub balances_root: Root,
	/// `balances_root` up to `header.state_root` (5 hashes in Deneb, 6 in Electra/Fulu).
	pub balances_branch: Branch,
}

/// One validator's record and balance, proven below the anchor's list roots.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ValidatorRecordProof {
	/// The validator's index in the beacon state's registry.
	pub index: u64,
	/// The validator's record; its hash-tree-root is the leaf `validator_branch` proves.
	pub fields: ValidatorFields,
	/// Below the `validators` list root (41 hashes).
	pub validator_branch: Branch,
	/// The 32-byte chunk of `balances` holding this validator's balance.
	pub balance_chunk: Root,
	/// Below the `balances` list root (39 hashes).
	pub balance_branch: Branch,
}

/// A single validator's record proven directly against a header's state root: the cheapest
/// evidence of a slashing.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SlashingProof {
	/// The validator's index in the beacon state's registry.
	pub index: u64,
	/// The validator's record (its hash-tree-root is the leaf `branch` proves); must be `slashed`.
	pub fields: ValidatorFields,
	/// Below the state root (46 hashes in Deneb, 47 in Electra/Fulu).
	pub branch: Branch,
}
