//! # Beacon-state prover
//!
//! Decodes a full SSZ `BeaconState` (as `/eth/v2/debug/beacon/states/{id}` serves it) and builds
//! the Merkle proofs that `ballast-ethereum-proofs` verifies on chain: validator records, balance
//! chunks, and any top-level state field.
//!
//! SSZ decoding and field hashing use Lighthouse's `ethereum_ssz` and `tree_hash` crates: well
//! kept, used by a production consensus client, and derive-based, so the state's containers are
//! written once, field for field as in the consensus specs. Those crates compute roots but not
//! branches, so the two big lists Ballast proves into (`validators`, `balances`) are re-built here
//! as `ListTree`s (from `ballast-ethereum-proofs`), which keep only the non-zero part of each level: memory is about twice
//! the list's leaves (a mainnet state's 2 M validators: ~130 MB), and the decoded state itself is
//! dropped once its roots are taken.

pub mod fixtures;
pub mod types;

use ballast_ethereum_proofs::tree::{container_branch, ListTree};
use ballast_ethereum_proofs::{
	fork::Fork,
	merkle::{merkleize, Root},
	validator::{pubkey_root, BALANCE_LIST_DEPTH, VALIDATOR_LIST_DEPTH},
	ValidatorFields,
};
use ssz::Decode;
use tree_hash::TreeHash;

/// Why a state cannot be proven from.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	#[error("invalid SSZ BeaconState: {0}")]
	Ssz(String),
	#[error("no BeaconState layout is implemented for {0:?} yet")]
	UnsupportedFork(Fork),
}

/// A validator's record with its branch up to the state root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidatorProof {
	pub index: u64,
	pub fields: ValidatorFields,
	pub branch: Vec<Root>,
}

/// A validator's balance chunk with its branch up to the state root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BalanceProof {
	pub index: u64,
	/// Balance in Gwei, as read from the chunk.
	pub balance: u64,
	pub chunk: Root,
	pub branch: Vec<Root>,
}

/// Everything needed to prove validator records and balances of one `BeaconState`.
pub struct StateProver {
	fork: Fork,
	slot: u64,
	genesis_validators_root: Root,
	/// Hash-tree-roots of the state's top-level fields, in order.
	field_roots: Vec<Root>,
	validators: Vec<ValidatorFields>,
	validators_tree: ListTree,
	balances_tree: ListTree,
}

fn root(hash: tree_hash::Hash256) -> Root {
	Root::from(hash.0)
}

impl StateProver {
	/// Decodes `ssz` as a `BeaconState` of `fork` and builds its trees.
	pub fn from_ssz(fork: Fork, ssz: &[u8]) -> Result<Self, Error> {
		match fork {
			Fork::Deneb => {
				let state = types::BeaconStateDeneb::from_ssz_bytes(ssz)
					.map_err(|e| Error::Ssz(format!("{e:?}")))?;
				Ok(Self::from_deneb(state))
			},
			Fork::Electra | Fork::Fulu => Err(Error::UnsupportedFork(fork)),
		}
	}

	fn from_deneb(state: types::BeaconStateDeneb) -> Self {
		let validators: Vec<ValidatorFields> = state
			.validators
			.iter()
			.map(|v| ValidatorFields {
				pubkey_root: pubkey_root(
					v.pubkey[..].try_into().expect("a PublicKeyBytes holds 48 bytes"),
				),
				withdrawal_credentials: root(v.withdrawal_credentials),
				effective_balance: v.effective_balance,
				slashed: v.slashed,
				activation_eligibility_epoch: v.activation_eligibility_epoch,
				activation_epoch: v.activation_epoch,
				exit_epoch: v.exit_epoch,
				withdrawable_epoch: v.withdrawable_epoch,
			})
			.collect();
		let validators_tree = ListTree::new(
			validators.iter().map(ValidatorFields::hash_tree_root).collect(),
			VALIDATOR_LIST_DEPTH,
			validators.len() as u64,
		);
		let balances_tree = ListTree::new(
			state
				.balances
				.chunks(4)
				.map(|four| {
					let mut chunk = [0u8; 32];
					for (i, balance) in four.iter().enumerate() {
						chunk[i * 8..i * 8 + 8].copy_from_slice(&balance.to_le_bytes());
					}
					Root::from(chunk)
				})
				.collect(),
			BALANCE_LIST_DEPTH,
			state.balances.len() as u64,
		);
		let s = &state;
		let field_roots = vec![
			root(s.genesis_time.tree_hash_root()),
			root(s.genesis_validators_root.tree_hash_root()),
			root(s.slot.tree_hash_root()),
			root(s.fork.tree_hash_root()),
			root(s.latest_block_header.tree_hash_root()),
			root(s.block_roots.tree_hash_root()),
			root(s.state_roots.tree_hash_root()),
			root(s.historical_roots.tree_hash_root()),
			root(s.eth1_data.tree_hash_root()),
			root(s.eth1_data_votes.tree_hash_root()),
			root(s.eth1_deposit_index.tree_hash_root()),
			validators_tree.root(),
			balances_tree.root(),
			root(s.randao_mixes.tree_hash_root()),
			root(s.slashings.tree_hash_root()),
			root(s.previous_epoch_participation.tree_hash_root()),
			root(s.current_epoch_participation.tree_hash_root()),
			root(s.justification_bits.tree_hash_root()),
			root(s.previous_justified_checkpoint.tree_hash_root()),
			root(s.current_justified_checkpoint.tree_hash_root()),
			root(s.finalized_checkpoint.tree_hash_root()),
			root(s.inactivity_scores.tree_hash_root()),
			root(s.current_sync_committee.tree_hash_root()),
			root(s.next_sync_committee.tree_hash_root()),
			root(s.latest_execution_payload_header.tree_hash_root()),
			root(s.next_withdrawal_index.tree_hash_root()),
			root(s.next_withdrawal_validator_index.tree_hash_root()),
			root(s.historical_summaries.tree_hash_root()),
		];
		StateProver {
			fork: Fork::Deneb,
			slot: state.slot,
			genesis_validators_root: root(state.genesis_validators_root),
			field_roots,
			validators,
			validators_tree,
			balances_tree,
		}
	}

	pub fn fork(&self) -> Fork {
		self.fork
	}

	pub fn slot(&self) -> u64 {
		self.slot
	}

	pub fn genesis_validators_root(&self) -> Root {
		self.genesis_validators_root
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

	/// Branch of top-level field `field` (0-based) up to the state root.
	pub fn field_branch(&self, field: usize) -> Vec<Root> {
		container_branch(&self.field_roots, self.fork.state_layout().depth, field)
	}

	/// The `validators` list root and its branch to the state root (for batches).
	pub fn validators_root_proof(&self) -> (Root, Vec<Root>) {
		(self.validators_tree.root(), self.field_branch(11))
	}

	/// The `balances` list root and its branch to the state root (for batches).
	pub fn balances_root_proof(&self) -> (Root, Vec<Root>) {
		(self.balances_tree.root(), self.field_branch(12))
	}

	/// Validator `index`'s record and its branch up to the `validators` list root.
	pub fn validator_in_list(&self, index: u64) -> Option<ValidatorProof> {
		let fields = *self.validators.get(usize::try_from(index).ok()?)?;
		let (_, branch) = self.validators_tree.branch(index)?;
		Some(ValidatorProof { index, fields, branch })
	}

	/// Validator `index`'s record and its full branch up to the state root.
	pub fn validator(&self, index: u64) -> Option<ValidatorProof> {
		let mut proof = self.validator_in_list(index)?;
		proof.branch.extend(self.field_branch(11));
		Some(proof)
	}

	/// Validator `index`'s balance chunk and its branch up to the `balances` list root.
	pub fn balance_in_list(&self, index: u64) -> Option<BalanceProof> {
		if index >= self.validator_count() {
			return None;
		}
		let (chunk, branch) = self.balances_tree.branch(index / 4)?;
		let balance = ballast_ethereum_proofs::balance_from_chunk(&chunk, index);
		Some(BalanceProof { index, balance, chunk, branch })
	}

	/// Validator `index`'s balance chunk and its full branch up to the state root.
	pub fn balance(&self, index: u64) -> Option<BalanceProof> {
		let mut proof = self.balance_in_list(index)?;
		proof.branch.extend(self.field_branch(12));
		Some(proof)
	}

	/// Memory held by the prover's trees and records (the decoded state is not kept).
	pub fn memory_bytes(&self) -> usize {
		self.validators_tree.memory_bytes()
			+ self.balances_tree.memory_bytes()
			+ self.validators.len() * core::mem::size_of::<ValidatorFields>()
			+ self.field_roots.len() * 32
	}
}
