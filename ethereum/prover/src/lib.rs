//! # Beacon-state prover
//!
//! Decodes a full SSZ `BeaconState` of Deneb, Electra or Fulu (as
//! `/eth/v2/debug/beacon/states/{id}` serves it) and builds the Merkle proofs that
//! `ballast-ethereum-proofs` verifies on chain: validator records, balance chunks, any top-level
//! state field, and Snowbridge's light-client messages (`light_client`).
//!
//! SSZ decoding and field hashing use Lighthouse's `ethereum_ssz` and `tree_hash` crates: well
//! kept, used by a production consensus client, and derive-based, so the state's containers are
//! written once, field for field as in the consensus specs. Those crates compute roots but not
//! branches, so the two big lists Ballast proves into (`validators`, `balances`) are re-built as
//! `StateTrees` (from `ballast-ethereum-proofs`, shared with the runtime's benchmarks), which keep
//! only the non-zero part of each level: memory is about twice the lists' leaves (a mainnet
//! state's 2 M validators: ~130 MB), and the decoded state is dropped once its roots are taken.
//!
//! Execution-layer events are proven through real beacon blocks (`beacon_block`: every body
//! field hashed, the payload header and its branch) and their ancestry in a finalized state's
//! `block_roots` (`ancestry`: Snowbridge's whole `ExecutionProof`, checked as the pallet checks
//! it).

pub mod ancestry;
pub mod beacon_block;
pub mod block_types;
pub mod execution;
pub mod fixtures;
pub mod light_client;
pub mod types;

pub use ballast_ethereum_proofs::state::{fields, BalanceProof, StateTrees, ValidatorBranch};
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
	/// The bytes do not decode as a `BeaconState` of the fork given (the decoder's message).
	#[error("invalid SSZ BeaconState: {0}")]
	Ssz(String),
	/// A header's `state_root` is not the root of the state paired with it.
	#[error("header at slot {slot} has state root {header:?}, the state hashes to {state:?}")]
	StateRootMismatch {
		/// The header's slot.
		slot: u64,
		/// The header's `state_root`.
		header: Root,
		/// The state's actual hash-tree-root.
		state: Root,
	},
	/// The finalized header given is not the one the attested state's `finalized_checkpoint`
	/// names.
	#[error("the attested state finalized {expected:?}, not the given header {found:?}")]
	NotTheFinalizedHeader {
		/// Block root in the attested state's `finalized_checkpoint`.
		expected: Root,
		/// Block root of the finalized header given.
		found: Root,
	},
	/// The block carrying the sync aggregate is not the attested header's child.
	#[error("the signature block's parent {parent:?} is not the attested header {attested:?}")]
	NotTheAttestedHeader {
		/// Block root of the attested header.
		attested: Root,
		/// `parent_root` of the signature block.
		parent: Root,
	},
	/// A beacon block's JSON lacks a field or holds a malformed one.
	#[error("invalid beacon block JSON: {0}")]
	BlockJson(String),
	/// The light-client message would be refused by the runtime, so it is not built.
	#[error("light-client message refused before submission: {0}")]
	LightClient(#[from] light_client::Refusal),
	/// A beacon block's `version` names a fork whose body layout this prover does not know.
	#[error("beacon block version {0:?} has no known body layout")]
	UnsupportedBlockVersion(String),
	/// Two computations of the same root disagree: a bug in a conversion, not bad input.
	#[error("inconsistent roots: {0}")]
	InconsistentBlock(&'static str),
	/// The finalized state's `block_roots` does not cover the slot: it is not before the
	/// finalized header, or more than 8,192 slots before it.
	#[error("slot {slot} is not among the 8192 slots before the finalized slot {finalized_slot}")]
	SlotOutsideBlockRoots {
		/// The block's slot.
		slot: u64,
		/// The finalized header's slot.
		finalized_slot: u64,
	},
	/// The finalized state holds another block root for the slot: the block is not on the
	/// finalized chain.
	#[error("the finalized state holds {held:?} for slot {slot}, not the block {block:?}")]
	NotAnAncestor {
		/// The block's slot.
		slot: u64,
		/// The block's root.
		block: Root,
		/// The root `block_roots` holds for that slot.
		held: Root,
	},
	/// The execution proof would be refused by the light client, so it is not returned.
	#[error("execution proof refused before submission: {0}")]
	ExecutionProof(#[from] ancestry::ExecutionProofRefusal),
}

impl From<StateRootMismatch> for Error {
	fn from(e: StateRootMismatch) -> Self {
		Error::StateRootMismatch { slot: e.slot, header: e.header, state: e.state }
	}
}

/// A sync committee's BLS public keys (512) and their aggregate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncCommitteeKeys {
	/// The members' 48-byte compressed BLS public keys, in committee order.
	pub pubkeys: Vec<[u8; 48]>,
	/// The committee's aggregate public key (48 bytes, compressed).
	pub aggregate_pubkey: [u8; 48],
}

/// Everything needed to prove validator records, balances and light-client fields of one
/// `BeaconState`. Dereferences to its [`StateTrees`] (shared with the runtime's benchmarks),
/// which give the validator and balance proofs.
pub struct StateProver {
	slot: u64,
	genesis_validators_root: Root,
	trees: StateTrees,
	/// The state's `block_roots` (8,192 roots, slot `s` at `s % 8192`).
	block_roots: Vec<Root>,
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

/// Hash-tree-roots of a state's top-level fields, except `validators` and `balances` (zero
/// placeholders: `StateTrees` builds those two itself, once, from the lists).
macro_rules! field_roots {
	($state:expr, [$($before:ident),*], [$($after:ident),*]) => {{
		let s = $state;
		let mut roots = vec![$(root(s.$before.tree_hash_root())),*];
		roots.extend([Root::zero(), Root::zero()]);
		roots.extend([$(root(s.$after.tree_hash_root())),*]);
		roots
	}};
}

/// The fields of Deneb's `BeaconState` before `validators`, and between `balances` and the end.
macro_rules! deneb_field_roots {
	($state:expr $(, $extra:ident)*) => {
		field_roots!(
			$state,
			[
				genesis_time, genesis_validators_root, slot, fork, latest_block_header,
				block_roots, state_roots, historical_roots, eth1_data, eth1_data_votes,
				eth1_deposit_index
			],
			[
				randao_mixes, slashings, previous_epoch_participation,
				current_epoch_participation, justification_bits, previous_justified_checkpoint,
				current_justified_checkpoint, finalized_checkpoint, inactivity_scores,
				current_sync_committee, next_sync_committee, latest_execution_payload_header,
				next_withdrawal_index, next_withdrawal_validator_index, historical_summaries
				$(, $extra)*
			]
		)
	};
}

/// Electra's fields: Deneb's, then the deposit, exit and consolidation queues (and Fulu's extra).
macro_rules! electra_field_roots {
	($state:expr $(, $extra:ident)*) => {
		deneb_field_roots!(
			$state,
			deposit_requests_start_index,
			deposit_balance_to_consume,
			exit_balance_to_consume,
			earliest_exit_epoch,
			consolidation_balance_to_consume,
			earliest_consolidation_epoch,
			pending_deposits,
			pending_partial_withdrawals,
			pending_consolidations
			$(, $extra)*
		)
	};
}

/// What every supported `BeaconState` holds that the prover reads, taken out of a decoded state.
struct Parts<'a> {
	slot: u64,
	genesis_validators_root: Root,
	validators: &'a [types::Validator],
	balances: &'a [u64],
	block_roots: &'a [tree_hash::Hash256],
	current_sync_committee: &'a types::SyncCommittee,
	next_sync_committee: &'a types::SyncCommittee,
	finalized_checkpoint: &'a types::Checkpoint,
	field_roots: Vec<Root>,
}

macro_rules! parts {
	($state:expr, $field_roots:expr) => {{
		let s = $state;
		Parts {
			slot: s.slot,
			genesis_validators_root: root(s.genesis_validators_root),
			validators: &s.validators[..],
			balances: &s.balances[..],
			block_roots: &s.block_roots[..],
			current_sync_committee: &s.current_sync_committee,
			next_sync_committee: &s.next_sync_committee,
			finalized_checkpoint: &s.finalized_checkpoint,
			field_roots: $field_roots,
		}
	}};
}

impl StateProver {
	/// Decodes `ssz` as a `BeaconState` of `fork` and builds its trees.
	pub fn from_ssz(fork: Fork, ssz: &[u8]) -> Result<Self, Error> {
		let invalid = |e: ssz::DecodeError| Error::Ssz(format!("{e:?}"));
		Ok(match fork {
			Fork::Deneb => {
				let state = types::BeaconStateDeneb::from_ssz_bytes(ssz).map_err(invalid)?;
				Self::from_parts(fork, parts!(&state, deneb_field_roots!(&state)))
			},
			Fork::Electra => {
				let state = types::BeaconStateElectra::from_ssz_bytes(ssz).map_err(invalid)?;
				Self::from_parts(fork, parts!(&state, electra_field_roots!(&state)))
			},
			Fork::Fulu => {
				let state = types::BeaconStateFulu::from_ssz_bytes(ssz).map_err(invalid)?;
				let roots = electra_field_roots!(&state, proposer_lookahead);
				Self::from_parts(fork, parts!(&state, roots))
			},
		})
	}

	fn from_parts(fork: Fork, parts: Parts<'_>) -> Self {
		let validators: Vec<ValidatorFields> = parts
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
		let committee = |c: &types::SyncCommittee| SyncCommitteeKeys {
			pubkeys: c.pubkeys.iter().map(key48).collect(),
			aggregate_pubkey: key48(&c.aggregate_pubkey),
		};
		StateProver {
			slot: parts.slot,
			genesis_validators_root: parts.genesis_validators_root,
			trees: StateTrees::new(fork, parts.field_roots, validators, parts.balances),
			block_roots: parts.block_roots.iter().copied().map(root).collect(),
			current_sync_committee: committee(parts.current_sync_committee),
			next_sync_committee: committee(parts.next_sync_committee),
			finalized_checkpoint: (
				parts.finalized_checkpoint.epoch,
				root(parts.finalized_checkpoint.root),
			),
		}
	}

	/// The state's slot.
	pub fn slot(&self) -> u64 {
		self.slot
	}

	/// The state's `genesis_validators_root` (identifies the network in signing domains).
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

	/// The state's `block_roots`: the roots of the 8,192 slots before the state's, slot `s` at
	/// index `s % 8192` (an empty slot holds the latest block root before it).
	pub fn block_roots(&self) -> &[Root] {
		&self.block_roots
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
		self.trees.memory_bytes() + 2 * 513 * 48 + self.block_roots.len() * 32
	}
}
