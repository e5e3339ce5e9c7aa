//! Releases on Ethereum: what `BallastGateway.release` and Snowbridge's `BeefyClient.sol` take,
//! and the conversions from what Ballast serves (an MMR leaf's SCALE encoding, Substrate's MMR
//! proof) into it. The relayer and the tests' EVM use these; the contracts are the reference.
//!
//! A withdrawal is released with three proofs: its message is a leaf of the withdrawal root its
//! block committed (`binary-merkle-tree`, keccak); that root is the extra data of the next
//! block's MMR leaf; that leaf is in the MMR root Ballast's BEEFY validators signed, which
//! `BeefyClient` accepted. The MMR proof goes to Ethereum "simplified": one hash per step and a
//! bit per step saying on which side it goes (`MMRProof.sol`).

use alloc::vec::Vec;
use alloy_primitives::{keccak256, B256, U256};
use codec::{Decode, Encode};

/// Solidity declarations of the release path (the ABI only).
pub mod abi {
	alloy_sol_types::sol! {
		/// A leaf of Ballast's MMR; `withdrawalRoot` is what `BeefyClient.MMRLeaf` calls
		/// `parachainHeadsRoot` (the ABI is the same tuple).
		#[derive(Debug, PartialEq, Eq, Default)]
		struct MMRLeaf {
			uint8 version;
			uint32 parentNumber;
			bytes32 parentHash;
			uint64 nextAuthoritySetID;
			uint32 nextAuthoritySetLen;
			bytes32 nextAuthoritySetRoot;
			bytes32 withdrawalRoot;
		}

		/// A withdrawal and its place in its block's withdrawal tree.
		#[derive(Debug, PartialEq, Eq, Default)]
		struct Withdrawal {
			address token;
			address recipient;
			uint256 amount;
			uint64 nonce;
			uint256 leafIndex;
			uint256 leafCount;
			bytes32[] proof;
		}

		// BallastGateway
		function release(Withdrawal withdrawal, MMRLeaf leaf, bytes32[] leafProof, uint256 leafProofOrder);
		function mmrLeafHash(MMRLeaf leaf) returns (bytes32);
		function released(uint64 withdrawalNonce) returns (bool);
		function beefyClient() returns (address);
		error InvalidWithdrawalProof();
		error InvalidMMRLeafProof();

		// BeefyClient
		#[derive(Debug, PartialEq, Eq)]
		struct PayloadItem { bytes2 payloadID; bytes data; }
		#[derive(Debug, PartialEq, Eq)]
		struct Commitment { uint32 blockNumber; uint64 validatorSetID; PayloadItem[] payload; }
		#[derive(Debug, PartialEq, Eq)]
		struct ValidatorProof { uint8 v; bytes32 r; bytes32 s; uint256 index; address account; bytes32[] proof; }
		#[derive(Debug, PartialEq, Eq)]
		struct ValidatorSet { uint128 id; uint128 length; bytes32 root; }
		struct Uint16Array { uint256[] data; uint256 length; }

		constructor(
			uint256 randaoCommitDelay,
			uint256 randaoCommitExpiration,
			uint256 minNumRequiredSignatures,
			uint256 fiatShamirRequiredSignatures,
			uint64 initialBeefyBlock,
			ValidatorSet initialValidatorSet,
			ValidatorSet nextValidatorSet
		);
		function submitInitial(Commitment commitment, uint256[] bitfield, ValidatorProof proof);
		function commitPrevRandao(bytes32 commitmentHash);
		function createFinalBitfield(bytes32 commitmentHash, uint256[] bitfield) returns (uint256[]);
		function submitFinal(
			Commitment commitment,
			uint256[] bitfield,
			ValidatorProof[] proofs,
			MMRLeaf leaf,
			bytes32[] leafProof,
			uint256 leafProofOrder
		);
		function createFiatShamirFinalBitfield(Commitment commitment, uint256[] bitfield) returns (uint256[]);
		function submitFiatShamir(
			Commitment commitment,
			uint256[] bitfield,
			ValidatorProof[] proofs,
			MMRLeaf leaf,
			bytes32[] leafProof,
			uint256 leafProofOrder
		);
		function verifyMMRLeafProof(bytes32 leafHash, bytes32[] proof, uint256 proofOrder) returns (bool);
		function latestBeefyBlock() returns (uint64);
		function latestMMRRoot() returns (bytes32);
		function randaoCommitDelay() returns (uint256);
		function currentValidatorSet() returns (uint128 id, uint128 length, bytes32 root, Uint16Array usageCounters);
		function nextValidatorSet() returns (uint128 id, uint128 length, bytes32 root, Uint16Array usageCounters);
		event NewMMRRoot(bytes32 mmrRoot, uint64 blockNumber);
		error InvalidBitfield();
		error InvalidCommitment();
		error InvalidMMRLeaf();
		error InvalidSignature();
		error InvalidValidatorProof();
		error InvalidValidatorProofLength();
		error StaleCommitment();
		error WaitPeriodNotOver();
		error PrevRandaoNotCaptured();
	}
}

/// Ballast's MMR leaf as the runtime encodes it (`sp_consensus_beefy::mmr::MmrLeaf` with
/// Ballast's types: u32 block numbers, keccak roots, the withdrawal root as extra data).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct ScaleMmrLeaf {
	/// The leaf format's version.
	pub version: u8,
	/// The parent of the block that appended the leaf.
	pub parent_number_and_hash: (u32, [u8; 32]),
	/// The next BEEFY authority set: id, length, Merkle root of its Ethereum addresses.
	pub next_authority_set: (u64, u32, [u8; 32]),
	/// The withdrawal root the parent block committed (zero: none).
	pub withdrawal_root: [u8; 32],
}

impl ScaleMmrLeaf {
	/// The leaf's hash in the MMR: keccak of its SCALE encoding.
	pub fn hash(&self) -> B256 {
		keccak256(self.encode())
	}

	/// As `BallastGateway.release` and `BeefyClient.submitFinal` take it.
	pub fn to_abi(&self) -> abi::MMRLeaf {
		abi::MMRLeaf {
			version: self.version,
			parentNumber: self.parent_number_and_hash.0,
			parentHash: self.parent_number_and_hash.1.into(),
			nextAuthoritySetID: self.next_authority_set.0,
			nextAuthoritySetLen: self.next_authority_set.1,
			nextAuthoritySetRoot: self.next_authority_set.2.into(),
			withdrawalRoot: self.withdrawal_root.into(),
		}
	}
}

/// Why a Substrate MMR proof could not be simplified.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MmrProofError {
	/// The leaf index is not below the leaf count.
	LeafOutOfRange,
	/// The proof has not the number of items an MMR of that size needs for that leaf.
	WrongItemCount {
		/// Items an MMR of that size needs.
		expected: usize,
		/// Items the proof has.
		got: usize,
	},
}

/// A simplified MMR proof: `BeefyClient.verifyMMRLeafProof(leafHash, items, order)` folds the
/// leaf hash with each item in turn, the item on the left where `order`'s bit is set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimplifiedMmrProof {
	/// One hash per step, from the leaf up to the root.
	pub items: Vec<B256>,
	/// Bit `i` set: `items[i]` goes on the left at step `i`.
	pub order: U256,
}

/// Converts the proof of leaf `leaf_index` in an MMR of `leaf_count` leaves, as Substrate's
/// MMR (`mmr_generateProof`, `LeafProof::items`) gives it, into the simplified proof
/// `BeefyClient.sol` verifies.
///
/// Substrate's items are: the peaks left of the leaf's peak, then the siblings on the path
/// from the leaf up to its peak, then the peaks right of it bagged into one hash (when there
/// are any). Its root bags the peaks right to left: `H(…H(H(P_n, P_n−1), P_n−2)…, P_0)`. So
/// after the path, the right bag goes on the left of the leaf's peak, and each left peak, from
/// the nearest, on the right of the running hash.
pub fn simplified_mmr_proof(
	leaf_index: u64,
	leaf_count: u64,
	items: &[B256],
) -> Result<SimplifiedMmrProof, MmrProofError> {
	if leaf_index >= leaf_count {
		return Err(MmrProofError::LeafOutOfRange);
	}
	// The peaks hold 2^h leaves for each bit h of the leaf count, the largest first.
	let peaks: Vec<u32> = (0..64u32).rev().filter(|bit| leaf_count & (1u64 << bit) != 0).collect();
	let mut first_leaf = 0u64;
	let mut peak = 0usize;
	for (i, height) in peaks.iter().enumerate() {
		let size = 1u64 << height;
		if leaf_index < first_leaf + size {
			peak = i;
			break;
		}
		first_leaf += size;
	}
	let height = peaks[peak] as usize;
	let left_peaks = peak;
	let right_bag = usize::from(peak + 1 < peaks.len());
	let expected = left_peaks + height + right_bag;
	if items.len() != expected {
		return Err(MmrProofError::WrongItemCount { expected, got: items.len() });
	}

	let mut simplified = Vec::with_capacity(expected);
	let mut order = U256::ZERO;
	let mut step = 0usize;
	// Up the leaf's own tree: a set bit of its index there is a right child, whose sibling
	// goes on the left.
	let index_in_peak = leaf_index - first_leaf;
	for (level, sibling) in items[left_peaks..left_peaks + height].iter().enumerate() {
		if (index_in_peak >> level) & 1 == 1 {
			order |= U256::from(1u8) << step;
		}
		simplified.push(*sibling);
		step += 1;
	}
	if right_bag == 1 {
		order |= U256::from(1u8) << step;
		simplified.push(items[left_peaks + height]);
		step += 1;
	}
	for left_peak in items[..left_peaks].iter().rev() {
		simplified.push(*left_peak);
		step += 1;
	}
	debug_assert_eq!(step, expected);
	Ok(SimplifiedMmrProof { items: simplified, order })
}

/// The root a simplified proof leads to from `leaf_hash`, as `MMRProof.sol` computes it.
pub fn simplified_mmr_root(leaf_hash: B256, proof: &SimplifiedMmrProof) -> B256 {
	proof.items.iter().enumerate().fold(leaf_hash, |acc, (i, item)| {
		let (left, right) = if proof.order.bit(i) { (item, &acc) } else { (&acc, item) };
		let mut pair = [0u8; 64];
		pair[..32].copy_from_slice(left.as_slice());
		pair[32..].copy_from_slice(right.as_slice());
		keccak256(pair)
	})
}

/// `BeefyClient`'s bitfield of `length` validators with the bits of `indices` set (as its
/// `createInitialBitfield`: bit `i` is bit `i % 256` of word `i / 256`).
pub fn bitfield(indices: &[usize], length: usize) -> Vec<U256> {
	let mut words = alloc::vec![U256::ZERO; length.div_ceil(256)];
	for index in indices.iter().filter(|index| **index < length) {
		words[index / 256] |= U256::from(1u8) << (index % 256);
	}
	words
}

/// The indices whose bits are set in `BeefyClient`'s bitfield `words`, in order.
pub fn set_bits(words: &[U256]) -> Vec<usize> {
	words
		.iter()
		.enumerate()
		.flat_map(|(w, word)| (0..256).filter(move |b| word.bit(*b)).map(move |b| w * 256 + b))
		.collect()
}

/// The BEEFY authority set's Merkle tree as `pallet-beefy-mmr` builds it (and `BeefyClient`
/// checks): leaves are the validators' Ethereum addresses, hashed with keccak.
#[cfg(feature = "std")]
pub mod authority_set {
	use super::*;
	use alloy_primitives::Address;

	/// The set's root (`keyset_commitment`).
	pub fn root(addresses: &[Address]) -> B256 {
		let root: sp_core::H256 = binary_merkle_tree::merkle_root::<sp_core::KeccakHasher, _>(
			addresses.iter().map(|a| a.as_slice()),
		);
		B256::from(root.0)
	}

	/// The proof that `addresses[index]` is in the set, from the leaf up.
	pub fn proof(addresses: &[Address], index: usize) -> Vec<B256> {
		binary_merkle_tree::merkle_proof::<sp_core::KeccakHasher, _, _>(
			addresses.iter().map(|a| a.as_slice()),
			index as u32,
		)
		.proof
		.into_iter()
		.map(|hash| B256::from(hash.0))
		.collect()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_proof_needs_the_items_its_mmr_shape_asks_for() {
		let item = B256::repeat_byte(1);
		// One leaf: the leaf is the root.
		assert_eq!(
			simplified_mmr_proof(0, 1, &[]),
			Ok(SimplifiedMmrProof { items: Vec::new(), order: U256::ZERO })
		);
		assert_eq!(simplified_mmr_proof(1, 1, &[]), Err(MmrProofError::LeafOutOfRange));
		// 7 leaves = peaks of 4, 2, 1. Leaf 5 (second of the 2-peak): one left peak, one
		// sibling (it is a right child), one right peak.
		let proof = simplified_mmr_proof(5, 7, &[item, item, item]).expect("shape");
		assert_eq!(proof.order, U256::from(0b011u8));
		assert_eq!(
			simplified_mmr_proof(5, 7, &[item]),
			Err(MmrProofError::WrongItemCount { expected: 3, got: 1 })
		);
	}

	#[test]
	fn bitfields_round_trip() {
		let words = bitfield(&[0, 3, 255, 256, 300, 999], 301);
		assert_eq!(words.len(), 2);
		assert_eq!(set_bits(&words), vec![0, 3, 255, 256, 300]);
	}
}
