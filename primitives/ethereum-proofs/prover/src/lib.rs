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
pub mod light_client;
pub mod types;

use ballast_ethereum_proofs::tree::{container_branch, ListTree};
use ballast_ethereum_proofs::{
	calls,
	fork::Fork,
	merkle::{merkleize, u64_chunk, Root},
	validator::{pubkey_root, BALANCE_LIST_DEPTH, VALIDATOR_LIST_DEPTH},
	BeaconBlockHeader, ValidatorFields,
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
	#[error("header at slot {slot} has state root {header:?}, the state hashes to {state:?}")]
	StateRootMismatch { slot: u64, header: Root, state: Root },
	#[error("the attested state finalized {expected:?}, not the given header {found:?}")]
	NotTheFinalizedHeader { expected: Root, found: Root },
	#[error("the signature block's parent {parent:?} is not the attested header {attested:?}")]
	NotTheAttestedHeader { attested: Root, parent: Root },
	#[error("invalid beacon block JSON: {0}")]
	BlockJson(String),
}

/// A sync committee's BLS public keys (512) and their aggregate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncCommitteeKeys {
	pub pubkeys: Vec<[u8; 48]>,
	pub aggregate_pubkey: [u8; 48],
}

/// `BeaconState` fields the light client proves into (field numbers, same in Deneb and Electra).
pub mod fields {
	pub const BLOCK_ROOTS: usize = 5;
	pub const VALIDATORS: usize = 11;
	pub const BALANCES: usize = 12;
	pub const FINALIZED_CHECKPOINT: usize = 20;
	pub const CURRENT_SYNC_COMMITTEE: usize = 22;
	pub const NEXT_SYNC_COMMITTEE: usize = 23;
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
	current_sync_committee: SyncCommitteeKeys,
	next_sync_committee: SyncCommitteeKeys,
	/// `(epoch, root)` of the state's `finalized_checkpoint`.
	finalized_checkpoint: (u64, Root),
}

/// Every branch a supported layout produces fits `MaxBranch` (at most 47 hashes).
fn bounded(branch: Vec<Root>) -> calls::Branch {
	calls::Branch::try_from(branch).expect("beacon-state branches are at most 47 hashes deep")
}

fn key48(key: &types::PublicKeyBytes) -> [u8; 48] {
	key[..].try_into().expect("a PublicKeyBytes holds 48 bytes")
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
				pubkey_root: pubkey_root(&key48(&v.pubkey)),
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
		let committee = |c: &types::SyncCommittee| SyncCommitteeKeys {
			pubkeys: c.pubkeys.iter().map(key48).collect(),
			aggregate_pubkey: key48(&c.aggregate_pubkey),
		};
		StateProver {
			fork: Fork::Deneb,
			slot: state.slot,
			genesis_validators_root: root(state.genesis_validators_root),
			field_roots,
			validators,
			validators_tree,
			balances_tree,
			current_sync_committee: committee(&state.current_sync_committee),
			next_sync_committee: committee(&state.next_sync_committee),
			finalized_checkpoint: (
				state.finalized_checkpoint.epoch,
				root(state.finalized_checkpoint.root),
			),
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

	/// Hash-tree-root of top-level field `field`.
	pub fn field_root(&self, field: usize) -> Option<Root> {
		self.field_roots.get(field).copied()
	}

	/// The sync committee of the state's period.
	pub fn current_sync_committee(&self) -> &SyncCommitteeKeys {
		&self.current_sync_committee
	}

	/// The sync committee of the next period.
	pub fn next_sync_committee(&self) -> &SyncCommitteeKeys {
		&self.next_sync_committee
	}

	/// `(epoch, block root)` of the checkpoint this state holds as finalized.
	pub fn finalized_checkpoint(&self) -> (u64, Root) {
		self.finalized_checkpoint
	}

	/// Branch of `finalized_checkpoint.root` to the state root (gindex 105 in Deneb): the
	/// checkpoint's `epoch` leaf, then the field's branch.
	pub fn finality_branch(&self) -> Vec<Root> {
		let mut branch = vec![u64_chunk(self.finalized_checkpoint.0)];
		branch.extend(self.field_branch(fields::FINALIZED_CHECKPOINT));
		branch
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
	pub fn validator_in_list(&self, index: u64) -> Option<ValidatorProof> {
		let fields = *self.validators.get(usize::try_from(index).ok()?)?;
		let (_, branch) = self.validators_tree.branch(index)?;
		Some(ValidatorProof { index, fields, branch })
	}

	/// Validator `index`'s record and its full branch up to the state root.
	pub fn validator(&self, index: u64) -> Option<ValidatorProof> {
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
		let balance = ballast_ethereum_proofs::balance_from_chunk(&chunk, index);
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
	pub fn anchor(&self, header: &BeaconBlockHeader) -> Result<calls::StateAnchor, Error> {
		light_client::ensure_header_matches(header, self)?;
		let (validators_root, validators_branch) = self.validators_root_proof();
		let (balances_root, balances_branch) = self.balances_root_proof();
		Ok(calls::StateAnchor {
			header: *header,
			validators_root,
			validators_branch: bounded(validators_branch),
			balances_root,
			balances_branch: bounded(balances_branch),
		})
	}

	/// Validator `index`'s record and balance, proven below the anchor's list roots.
	pub fn batch_proof(&self, index: u64) -> Option<calls::ValidatorProof> {
		let validator = self.validator_in_list(index)?;
		let balance = self.balance_in_list(index)?;
		Some(calls::ValidatorProof {
			index,
			fields: validator.fields,
			validator_branch: bounded(validator.branch),
			balance_chunk: balance.chunk,
			balance_branch: bounded(balance.branch),
		})
	}

	/// Validator `index`'s record proven directly against the state root (`report_slashing`).
	pub fn slashing_proof(&self, index: u64) -> Option<calls::SlashingProof> {
		let validator = self.validator(index)?;
		Some(calls::SlashingProof {
			index,
			fields: validator.fields,
			branch: bounded(validator.branch),
		})
	}

	/// Memory held by the prover's trees and records (the decoded state is not kept).
	pub fn memory_bytes(&self) -> usize {
		self.validators_tree.memory_bytes()
			+ self.balances_tree.memory_bytes()
			+ self.validators.len() * core::mem::size_of::<ValidatorFields>()
			+ self.field_roots.len() * 32
			+ 2 * 513 * 48
	}
}
