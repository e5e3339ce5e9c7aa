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

pub use ballast_ethereum_proofs::state::{fields, BalanceProof, StateTrees, ValidatorProof};
use ballast_ethereum_proofs::{
	calls,
	fork::Fork,
	merkle::{u64_chunk, Root},
	state::StateRootMismatch,
	validator::pubkey_root,
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

impl From<StateRootMismatch> for Error {
	fn from(e: StateRootMismatch) -> Self {
		Error::StateRootMismatch { slot: e.slot, header: e.header, state: e.state }
	}
}

/// A sync committee's BLS public keys (512) and their aggregate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncCommitteeKeys {
	pub pubkeys: Vec<[u8; 48]>,
	pub aggregate_pubkey: [u8; 48],
}

/// Everything needed to prove validator records, balances and light-client fields of one
/// `BeaconState`. Dereferences to its [`StateTrees`] (shared with the runtime's benchmarks),
/// which give the validator and balance proofs.
pub struct StateProver {
	slot: u64,
	genesis_validators_root: Root,
	trees: StateTrees,
	current_sync_committee: SyncCommitteeKeys,
	next_sync_committee: SyncCommitteeKeys,
	/// `(epoch, root)` of the state's `finalized_checkpoint`.
	finalized_checkpoint: (u64, Root),
}

impl core::ops::Deref for StateProver {
	type Target = StateTrees;
	fn deref(&self) -> &StateTrees {
		&self.trees
	}
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
		let s = &state;
		// `validators` and `balances` (fields 11 and 12) are filled in by `StateTrees`.
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
			Root::zero(),
			Root::zero(),
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
			slot: state.slot,
			genesis_validators_root: root(state.genesis_validators_root),
			trees: StateTrees::new(Fork::Deneb, field_roots, validators, &state.balances),
			current_sync_committee: committee(&state.current_sync_committee),
			next_sync_committee: committee(&state.next_sync_committee),
			finalized_checkpoint: (
				state.finalized_checkpoint.epoch,
				root(state.finalized_checkpoint.root),
			),
		}
	}

	pub fn slot(&self) -> u64 {
		self.slot
	}

	pub fn genesis_validators_root(&self) -> Root {
		self.genesis_validators_root
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

	/// The anchor of a batch for `header`, which must be this state's.
	pub fn anchor(&self, header: &BeaconBlockHeader) -> Result<calls::StateAnchor, Error> {
		Ok(self.trees.anchor(header)?)
	}

	/// Memory held by the prover (the decoded state is not kept).
	pub fn memory_bytes(&self) -> usize {
		self.trees.memory_bytes() + 2 * 513 * 48
	}
}
