//! The Merkle trees of a `BeaconState` that Ballast proves into, and the proofs they give.
//!
//! Built from the state's top-level field roots plus its `validators` and `balances` lists (the
//! prover decodes those from SSZ; runtime benchmarks build synthetic ones). Only the verifier's
//! counterpart: nothing here is needed to verify a proof.

use crate::{
	calls::{Branch, SlashingProof, StateAnchor, ValidatorRecordProof},
	fork::Fork,
	merkle::{merkleize, Root},
	tree::{container_branch, ListTree},
	validator::{balance_from_chunk, BALANCE_LIST_DEPTH, VALIDATOR_LIST_DEPTH},
	BeaconBlockHeader, ValidatorFields,
};
use alloc::vec::Vec;

/// Field numbers of the `BeaconState` containers Ballast proves into (the same from Altair to
/// Fulu; the container depth changes with Electra).
pub mod fields {
	/// `block_roots`: the last 8,192 block roots.
	pub const BLOCK_ROOTS: usize = 5;
	/// `validators`: the validator registry.
	pub const VALIDATORS: usize = 11;
	/// `balances`: the validators' balances (Gwei).
	pub const BALANCES: usize = 12;
	/// `finalized_checkpoint`.
	pub const FINALIZED_CHECKPOINT: usize = 20;
	/// `current_sync_committee`.
	pub const CURRENT_SYNC_COMMITTEE: usize = 22;
	/// `next_sync_committee`.
	pub const NEXT_SYNC_COMMITTEE: usize = 23;
}

/// A validator's record with its branch (to the list root or the state root).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidatorBranch {
	/// The validator's index in the registry.
	pub index: u64,
	/// The validator's record.
	pub fields: ValidatorFields,
	/// Sibling hashes, leaf level first: 41 to the list root, 46 (Deneb) or 47 to the state root.
	pub branch: Vec<Root>,
}

/// A validator's balance chunk with its branch (to the list root or the state root).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BalanceProof {
	/// The validator's index in the registry.
	pub index: u64,
	/// Balance in Gwei, as read from the chunk.
	pub balance: u64,
	/// The 32-byte chunk of `balances` holding this balance and three neighbours'.
	pub chunk: Root,
	/// Sibling hashes, leaf level first: 39 to the list root, 44 (Deneb) or 45 to the state root.
	pub branch: Vec<Root>,
}

/// A header whose `state_root` is not the root of the state it is paired with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StateRootMismatch {
	/// The header's slot.
	pub slot: u64,
	/// The header's `state_root`.
	pub header: Root,
	/// The actual hash-tree-root of the state.
	pub state: Root,
}

/// The trees of one `BeaconState`.
pub struct StateTrees {
	fork: Fork,
	/// Hash-tree-roots of the state's top-level fields, in order.
	field_roots: Vec<Root>,
	validators: Vec<ValidatorFields>,
	validators_tree: ListTree,
	balances_tree: ListTree,
}

/// Packs Gwei balances four to a chunk, little-endian.
fn balance_chunks(balances: &[u64]) -> Vec<Root> {
	balances
		.chunks(4)
		.map(|four| {
			let mut chunk = [0u8; 32];
			for (i, balance) in four.iter().enumerate() {
				chunk[i * 8..i * 8 + 8].copy_from_slice(&balance.to_le_bytes());
			}
			Root::from(chunk)
		})
		.collect()
}

impl StateTrees {
	/// Builds the trees; `field_roots` are the state's top-level field roots, whose `validators`
	/// and `balances` entries are replaced by the roots of the lists given.
	pub fn new(
		fork: Fork,
		mut field_roots: Vec<Root>,
		validators: Vec<ValidatorFields>,
		balances: &[u64],
	) -> Self {
		let validators_tree = ListTree::new(
			validators.iter().map(ValidatorFields::hash_tree_root).collect(),
			VALIDATOR_LIST_DEPTH,
			validators.len() as u64,
		);
		let balances_tree =
			ListTree::new(balance_chunks(balances), BALANCE_LIST_DEPTH, balances.len() as u64);
		if field_roots.len() <= fields::BALANCES {
			field_roots.resize(fields::BALANCES + 1, Root::zero());
		}
		field_roots[fields::VALIDATORS] = validators_tree.root();
		field_roots[fields::BALANCES] = balances_tree.root();
		StateTrees { fork, field_roots, validators, validators_tree, balances_tree }
	}

	/// The fork whose layout the state's trees follow.
	pub fn fork(&self) -> Fork {
		self.fork
	}

	/// Number of validators in the registry.
	pub fn validator_count(&self) -> u64 {
		self.validators.len() as u64
	}

	/// The validators' records, by index.
	pub fn validators(&self) -> &[ValidatorFields] {
		&self.validators
	}

	/// `hash_tree_root(state)`: what the block header's `state_root` must equal.
	pub fn state_root(&self) -> Root {
		merkleize(&self.field_roots, self.fork.state_layout().depth)
	}

	/// Hash-tree-root of top-level field `field`.
	pub fn field_root(&self, field: usize) -> Option<Root> {
		self.field_roots.get(field).copied()
	}

	/// Branch of top-level field `field` (0-based) up to the state root.
	pub fn field_branch(&self, field: usize) -> Vec<Root> {
		container_branch(&self.field_roots, self.fork.state_layout().depth, field)
	}

	/// Fails unless `header.state_root` is this state's root.
	pub fn ensure_header_matches(
		&self,
		header: &BeaconBlockHeader,
	) -> Result<(), StateRootMismatch> {
		let state = self.state_root();
		if header.state_root != state {
			return Err(StateRootMismatch { slot: header.slot, header: header.state_root, state });
		}
		Ok(())
	}

	/// The `validators` list root and its branch to the state root (for batches).
	pub fn validators_root_proof(&self) -> (Root, Vec<Root>) {
		(self.validators_tree.root(), self.field_branch(fields::VALIDATORS))
	}

	/// The `balances` list root and its branch to the state root (for batches).
	pub fn balances_root_proof(&self) -> (Root, Vec<Root>) {
		(self.balances_tree.root(), self.field_branch(fields::BALANCES))
	}

	/// Validator `index`'s record and its branch up to the `validators` list root.
	pub fn validator_in_list(&self, index: u64) -> Option<ValidatorBranch> {
		let fields = *self.validators.get(usize::try_from(index).ok()?)?;
		let (_, branch) = self.validators_tree.branch(index)?;
		Some(ValidatorBranch { index, fields, branch })
	}

	/// Validator `index`'s record and its full branch up to the state root.
	pub fn validator(&self, index: u64) -> Option<ValidatorBranch> {
		let mut proof = self.validator_in_list(index)?;
		proof.branch.extend(self.field_branch(fields::VALIDATORS));
		Some(proof)
	}

	/// Validator `index`'s balance chunk and its branch up to the `balances` list root.
	pub fn balance_in_list(&self, index: u64) -> Option<BalanceProof> {
		if index >= self.validator_count() {
			return None;
		}
		let (chunk, branch) = self.balances_tree.branch(index / 4)?;
		let balance = balance_from_chunk(&chunk, index);
		Some(BalanceProof { index, balance, chunk, branch })
	}

	/// Validator `index`'s balance chunk and its full branch up to the state root.
	pub fn balance(&self, index: u64) -> Option<BalanceProof> {
		let mut proof = self.balance_in_list(index)?;
		proof.branch.extend(self.field_branch(fields::BALANCES));
		Some(proof)
	}

	/// The anchor of a batch: `header` (which must be this state's) and the `validators` and
	/// `balances` list roots with their branches.
	pub fn anchor(&self, header: &BeaconBlockHeader) -> Result<StateAnchor, StateRootMismatch> {
		self.ensure_header_matches(header)?;
		let (validators_root, validators_branch) = self.validators_root_proof();
		let (balances_root, balances_branch) = self.balances_root_proof();
		Ok(StateAnchor {
			header: *header,
			validators_root,
			validators_branch: bounded(validators_branch),
			balances_root,
			balances_branch: bounded(balances_branch),
		})
	}

	/// Validator `index`'s record and balance, proven below the anchor's list roots.
	pub fn batch_proof(&self, index: u64) -> Option<ValidatorRecordProof> {
		let validator = self.validator_in_list(index)?;
		let balance = self.balance_in_list(index)?;
		Some(ValidatorRecordProof {
			index,
			fields: validator.fields,
			validator_branch: bounded(validator.branch),
			balance_chunk: balance.chunk,
			balance_branch: bounded(balance.branch),
		})
	}

	/// Validator `index`'s record proven directly against the state root (`report_slashing`).
	pub fn slashing_proof(&self, index: u64) -> Option<SlashingProof> {
		let validator = self.validator(index)?;
		Some(SlashingProof { index, fields: validator.fields, branch: bounded(validator.branch) })
	}

	/// Bytes held by the trees and records.
	pub fn memory_bytes(&self) -> usize {
		self.validators_tree.memory_bytes()
			+ self.balances_tree.memory_bytes()
			+ self.validators.len() * core::mem::size_of::<ValidatorFields>()
			+ self.field_roots.len() * 32
	}
}

/// Branches of the supported layouts are at most 47 hashes, within `MaxBranch` (64), so nothing
/// is ever cut.
fn bounded(branch: Vec<Root>) -> Branch {
	Branch::truncate_from(branch)
}
