//! SSZ Merkle branches addressed by `u64` generalized indices.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::H256;

/// A 32-byte SSZ chunk or Merkle node.
pub type Root = H256;

/// Why a branch does not prove its leaf.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum ProofError {
	/// The generalized index is 0, which addresses no node.
	InvalidGeneralizedIndex,
	/// The branch must have exactly as many hashes as the index is deep.
	BranchLength {
		/// Hashes required: the depth of the generalized index.
		expected: u32,
		/// Hashes the branch has.
		found: u32,
	},
	/// Leaf and branch hash to a different root.
	RootMismatch,
	/// An index is outside the tree it should address (e.g. validator index ≥ 2^40).
	IndexOutOfRange,
}

/// `sha256(left ‖ right)`: the SSZ node hash.
pub fn hash_pair(left: &Root, right: &Root) -> Root {
	let mut joined = [0u8; 64];
	joined[..32].copy_from_slice(left.as_bytes());
	joined[32..].copy_from_slice(right.as_bytes());
	H256(sp_io::hashing::sha2_256(&joined))
}

/// Depth of the node a generalized index addresses (the root, gindex 1, has depth 0).
pub fn depth_of(gindex: u64) -> Result<u32, ProofError> {
	if gindex == 0 {
		return Err(ProofError::InvalidGeneralizedIndex);
	}
	Ok(63 - gindex.leading_zeros())
}

/// The gindex of node `inner` of a subtree whose root is node `outer`.
pub fn concat(outer: u64, inner: u64) -> Result<u64, ProofError> {
	let inner_depth = depth_of(inner)?;
	depth_of(outer)?;
	let shifted = outer.checked_shl(inner_depth).ok_or(ProofError::IndexOutOfRange)?;
	if shifted >> inner_depth != outer {
		return Err(ProofError::IndexOutOfRange);
	}
	Ok(shifted | (inner - (1u64 << inner_depth)))
}

/// The root that `leaf` at `gindex` and its `branch` (sibling hashes, leaf level first) hash to.
pub fn root_from_branch(leaf: Root, branch: &[Root], gindex: u64) -> Result<Root, ProofError> {
	let depth = depth_of(gindex)?;
	if branch.len() != depth as usize {
		return Err(ProofError::BranchLength { expected: depth, found: branch.len() as u32 });
	}
	let mut node = leaf;
	for (level, sibling) in branch.iter().enumerate() {
		node = if (gindex >> level) & 1 == 1 {
			hash_pair(sibling, &node)
		} else {
			hash_pair(&node, sibling)
		};
	}
	Ok(node)
}

/// Checks that `leaf` sits at `gindex` in the tree whose root is `root`.
pub fn verify_branch(
	leaf: Root,
	branch: &[Root],
	gindex: u64,
	root: Root,
) -> Result<(), ProofError> {
	if root_from_branch(leaf, branch, gindex)? == root {
		Ok(())
	} else {
		Err(ProofError::RootMismatch)
	}
}

/// Hash-tree-root of `chunks` padded with zero chunks to `2^depth` leaves. For small containers
/// (a validator's 8 fields, a header's 5).
pub fn merkleize(chunks: &[Root], depth: u32) -> Root {
	let mut layer: Vec<Root> = chunks.to_vec();
	layer.resize(1usize << depth, Root::zero());
	while layer.len() > 1 {
		layer = layer.chunks(2).map(|pair| hash_pair(&pair[0], &pair[1])).collect();
	}
	layer[0]
}

/// A `u64` as an SSZ chunk: little-endian, right-padded with zeros.
pub fn u64_chunk(value: u64) -> Root {
	let mut chunk = [0u8; 32];
	chunk[..8].copy_from_slice(&value.to_le_bytes());
	H256(chunk)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn depths_and_concatenation() {
		assert_eq!(depth_of(1), Ok(0));
		assert_eq!(depth_of(11), Ok(3));
		assert_eq!(depth_of(0), Err(ProofError::InvalidGeneralizedIndex));
		// Deneb: validators (43) → list data (2) → item i.
		let validator_100 = concat(concat(43, 2).unwrap(), (1 << 40) + 100).unwrap();
		assert_eq!(validator_100, 43 * (1 << 41) + 100);
		assert_eq!(depth_of(validator_100), Ok(46));
		assert_eq!(concat(u64::MAX, 2), Err(ProofError::IndexOutOfRange));
	}

	#[test]
	fn a_branch_proves_its_leaf_and_nothing_else() {
		let leaves: Vec<Root> = (0u8..8).map(|i| H256([i; 32])).collect();
		let root = merkleize(&leaves, 3);
		let l01 = hash_pair(&leaves[0], &leaves[1]);
		let l23 = hash_pair(&leaves[2], &leaves[3]);
		let l4567 =
			hash_pair(&hash_pair(&leaves[4], &leaves[5]), &hash_pair(&leaves[6], &leaves[7]));
		// Leaf 2 is gindex 8 + 2 = 10; siblings: leaf 3, node(0,1), node(4..7).
		let branch = [leaves[3], l01, l4567];
		assert_eq!(verify_branch(leaves[2], &branch, 10, root), Ok(()));
		assert_eq!(verify_branch(leaves[3], &branch, 10, root), Err(ProofError::RootMismatch));
		assert_eq!(verify_branch(leaves[2], &branch, 11, root), Err(ProofError::RootMismatch));
		assert_eq!(
			verify_branch(leaves[2], &branch[..2], 10, root),
			Err(ProofError::BranchLength { expected: 3, found: 2 })
		);
		assert_eq!(hash_pair(&l01, &l23), merkleize(&leaves[..4], 2));
	}

	#[test]
	fn deep_indices_use_all_64_bits() {
		// A 46-level path whose bits above 31 matter: flipping bit 40 must change the root.
		let leaf = H256([7; 32]);
		let branch: Vec<Root> = (0u8..46).map(|i| H256([i; 32])).collect();
		let gindex = (1u64 << 46) | (1 << 40) | 5;
		let root = root_from_branch(leaf, &branch, gindex).unwrap();
		let other = root_from_branch(leaf, &branch, gindex ^ (1 << 40)).unwrap();
		assert_ne!(root, other);
	}
}
