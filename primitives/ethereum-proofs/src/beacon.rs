//! `BeaconBlockHeader` and the proof of a state root inside it.

use crate::merkle::{merkleize, u64_chunk, verify_branch, ProofError, Root};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Generalized index of `state_root` in a `BeaconBlockHeader` (field 3 of 5, depth 3).
pub const STATE_ROOT_GINDEX: u64 = 8 + 3;

/// A beacon block header: its hash-tree-root is the block root the light client stores.
#[derive(
	Clone,
	Copy,
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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BeaconBlockHeader {
	/// Slot of the block.
	pub slot: u64,
	/// Validator index of the block's proposer.
	pub proposer_index: u64,
	/// Block root of the parent block.
	pub parent_root: Root,
	/// `hash_tree_root` of the `BeaconState` after this block.
	pub state_root: Root,
	/// `hash_tree_root` of the block body.
	pub body_root: Root,
}

impl BeaconBlockHeader {
	/// The block root: `hash_tree_root(header)`.
	pub fn hash_tree_root(&self) -> Root {
		merkleize(
			&[
				u64_chunk(self.slot),
				u64_chunk(self.proposer_index),
				self.parent_root,
				self.state_root,
				self.body_root,
			],
			3,
		)
	}
}

/// Checks a state root against a block root with its 3-hash branch (EigenPod's form, for
/// callers that know only the block root).
pub fn verify_state_root(
	block_root: Root,
	state_root: Root,
	branch: &[Root],
) -> Result<(), ProofError> {
	verify_branch(state_root, branch, STATE_ROOT_GINDEX, block_root)
}
