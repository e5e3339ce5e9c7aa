//! Snowbridge's `ExecutionProof` for a real beacon block: the block's header, its execution
//! payload header and branch (`crate::beacon_block`), and — unless the block is itself the
//! finalized header — its root's branch in the finalized state's `block_roots`, checked before
//! it is returned exactly as the `ethereum-client` pallet checks it on chain.
//!
//! The pallet keeps, per finalized header it imports, only the header's slot and the root of
//! its state's `block_roots` (`CompactBeaconState`, keyed by block root). A block at slot `s`
//! before that header's slot `f` is proven by the 13-hash branch of `block_roots[s % 8192]`
//! (leaf index `8192 + s % 8192` in the vector's tree) to that root; the vector holds the last
//! 8,192 slots only, so `f - 8192 ≤ s < f`. [`FinalizedBlockRoots`] keeps that vector
//! (256 KiB) apart from the state, so a relayer can hold one per finalized header it submitted.

use crate::{beacon_block::BeaconBlock, execution, fields, Error, StateProver};
use ballast_ethereum_proofs::{
	consensus::SLOTS_PER_HISTORICAL_ROOT, merkle::merkleize, tree::container_branch,
	BeaconBlockHeader, Root,
};
use snowbridge_beacon_primitives::{
	merkle_proof::{generalized_index_length, subtree_index},
	verify_merkle_branch, AncestryProof, CompactBeaconState, ExecutionProof,
};

/// Depth of the `block_roots` vector's tree (8,192 leaves): the ancestry branch's length
/// (Snowbridge's `BLOCK_ROOT_AT_INDEX_DEPTH`).
pub const BLOCK_ROOTS_DEPTH: u32 = SLOTS_PER_HISTORICAL_ROOT.trailing_zeros();
/// Generalized index of `execution_payload` in a beacon block body (Snowbridge's
/// `EXECUTION_HEADER_INDEX`, the same from Deneb to Fulu).
pub const EXECUTION_HEADER_GINDEX: usize =
	(1 << execution::BODY_DEPTH) + execution::EXECUTION_PAYLOAD_FIELD;

/// Why the light client would refuse an execution proof: the pallet's errors, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExecutionProofRefusal {
	/// The beacon block is after the latest finalized header, or not before the finalized
	/// header its ancestry proof names.
	#[error("the beacon block is not finalized (HeaderNotFinalized)")]
	HeaderNotFinalized,
	/// The finalized header named (by the ancestry proof, or the block itself without one) is
	/// not one the light client stores.
	#[error("the finalized header is not stored (ExpectedFinalizedHeaderNotStored)")]
	ExpectedFinalizedHeaderNotStored,
	/// The block root's branch does not lead to the finalized state's `block_roots` root.
	#[error("the ancestry branch does not verify (InvalidAncestryMerkleProof)")]
	InvalidAncestryMerkleProof,
	/// The execution header's branch does not lead to the block's `body_root`.
	#[error("the execution header branch does not verify (InvalidExecutionHeaderProof)")]
	InvalidExecutionHeaderProof,
	/// The beacon header cannot be hashed.
	#[error("the beacon header does not hash (HeaderHashTreeRootFailed)")]
	HeaderHashTreeRootFailed,
	/// The execution header cannot be hashed (e.g. a logs bloom that is not 256 bytes).
	#[error("the execution header does not hash (BlockBodyHashTreeRootFailed)")]
	BlockBodyHashTreeRootFailed,
}

/// Checks `proof` as Snowbridge's `ethereum-client` pallet does (`verify_execution_proof`,
/// which is not public), with the same Merkle check (`verify_merkle_branch`) and indices, against
/// the pallet's state: the slot of its latest finalized header, and the `CompactBeaconState`
/// it stores for a finalized block root (`stored`, `None` for a root it does not store).
pub fn verify_execution_proof(
	proof: &ExecutionProof,
	latest_finalized_slot: u64,
	stored: impl Fn(Root) -> Option<CompactBeaconState>,
) -> Result<(), ExecutionProofRefusal> {
	use ExecutionProofRefusal::*;
	if proof.header.slot > latest_finalized_slot {
		return Err(HeaderNotFinalized);
	}
	let block_root = proof.header.hash_tree_root().map_err(|_| HeaderHashTreeRootFailed)?;
	match &proof.ancestry_proof {
		Some(ancestry) => {
			let state =
				stored(ancestry.finalized_block_root).ok_or(ExpectedFinalizedHeaderNotStored)?;
			if proof.header.slot >= state.slot {
				return Err(HeaderNotFinalized);
			}
			let leaf_index =
				SLOTS_PER_HISTORICAL_ROOT + proof.header.slot % SLOTS_PER_HISTORICAL_ROOT;
			if !verify_merkle_branch(
				block_root,
				&ancestry.header_branch,
				leaf_index as usize,
				BLOCK_ROOTS_DEPTH as usize,
				state.block_roots_root,
			) {
				return Err(InvalidAncestryMerkleProof);
			}
		},
		None => {
			let state = stored(block_root).ok_or(ExpectedFinalizedHeaderNotStored)?;
			if proof.header.slot != state.slot {
				return Err(ExpectedFinalizedHeaderNotStored);
			}
		},
	}
	let execution_header_root =
		proof.execution_header.hash_tree_root().map_err(|_| BlockBodyHashTreeRootFailed)?;
	if !verify_merkle_branch(
		execution_header_root,
		&proof.execution_branch,
		subtree_index(EXECUTION_HEADER_GINDEX),
		generalized_index_length(EXECUTION_HEADER_GINDEX),
		proof.header.body_root,
	) {
		return Err(InvalidExecutionHeaderProof);
	}
	Ok(())
}

/// A finalized header and its state's `block_roots`: what ancestry proofs under that header are
/// built from, and what the light client stores for it.
#[derive(Clone, Debug, PartialEq)]
pub struct FinalizedBlockRoots {
	header: BeaconBlockHeader,
	block_root: Root,
	block_roots: Vec<Root>,
	block_roots_root: Root,
}

impl FinalizedBlockRoots {
	/// Takes `state`'s `block_roots`, once the state is checked to be `header`'s.
	pub fn new(header: &BeaconBlockHeader, state: &StateProver) -> Result<Self, Error> {
		state.ensure_header_matches(header)?;
		let block_roots = state.block_roots().to_vec();
		let block_roots_root = merkleize(&block_roots, BLOCK_ROOTS_DEPTH);
		if state.field_root(fields::BLOCK_ROOTS) != Some(block_roots_root) {
			return Err(Error::InconsistentBlock("the state's block_roots do not make its field"));
		}
		Ok(FinalizedBlockRoots {
			header: *header,
			block_root: header.hash_tree_root(),
			block_roots,
			block_roots_root,
		})
	}

	/// The finalized header.
	pub fn header(&self) -> &BeaconBlockHeader {
		&self.header
	}

	/// The finalized header's block root (the pallet's key for it).
	pub fn block_root(&self) -> Root {
		self.block_root
	}

	/// The finalized header's slot.
	pub fn slot(&self) -> u64 {
		self.header.slot
	}

	/// Root of the state's `block_roots` (the `block_roots_root` of the light client's updates).
	pub fn block_roots_root(&self) -> Root {
		self.block_roots_root
	}

	/// What the light client stores for this header once it has imported it.
	pub fn stored_state(&self) -> CompactBeaconState {
		CompactBeaconState { slot: self.header.slot, block_roots_root: self.block_roots_root }
	}

	/// The block root the state holds for `slot`: that slot's block, or the latest block before
	/// it when the slot was empty. `None` unless `slot` is one of the 8,192 before the header's.
	pub fn block_root_at(&self, slot: u64) -> Option<Root> {
		if slot >= self.header.slot || self.header.slot - slot > SLOTS_PER_HISTORICAL_ROOT {
			return None;
		}
		self.block_roots.get((slot % SLOTS_PER_HISTORICAL_ROOT) as usize).copied()
	}

	/// The proof that `block_root`, the block at `slot`, is an ancestor of this header.
	pub fn ancestry_proof(&self, slot: u64, block_root: Root) -> Result<AncestryProof, Error> {
		let held = self
			.block_root_at(slot)
			.ok_or(Error::SlotOutsideBlockRoots { slot, finalized_slot: self.header.slot })?;
		if held != block_root {
			return Err(Error::NotAnAncestor { slot, block: block_root, held });
		}
		let index = (slot % SLOTS_PER_HISTORICAL_ROOT) as usize;
		Ok(AncestryProof {
			header_branch: container_branch(&self.block_roots, BLOCK_ROOTS_DEPTH, index),
			finalized_block_root: self.block_root,
		})
	}

	/// Checks `proof` as the light client would with this header as its latest finalized one.
	pub fn verify(&self, proof: &ExecutionProof) -> Result<(), ExecutionProofRefusal> {
		verify_execution_proof(proof, self.header.slot, |root| {
			(root == self.block_root).then(|| self.stored_state())
		})
	}

	/// The execution proof of `block`'s payload under this header: with no ancestry proof when
	/// `block` is this header's block, else with its branch in `block_roots`. Verified as the
	/// pallet verifies it before it is returned.
	pub fn execution_proof(&self, block: &BeaconBlock) -> Result<ExecutionProof, Error> {
		let block_root = block.block_root();
		let ancestry_proof = if block_root == self.block_root {
			None
		} else {
			Some(self.ancestry_proof(block.header.slot, block_root)?)
		};
		let proof = ExecutionProof {
			header: block.snowbridge_header(),
			ancestry_proof,
			execution_header: block.execution_header.clone(),
			execution_branch: block.execution_branch.clone(),
		};
		self.verify(&proof)?;
		Ok(proof)
	}
}
