//! A beacon block committing to a sealed Ethereum block, its checkpoint, and the `EventProof`
//! of any log in it.

use crate::evm::SealedBlock;
use alloy_primitives::{Log as AlloyLog, B256};
use ballast_ethereum_proofs::{
	merkle::{merkleize, u64_chunk},
	state::fields,
	tree::container_branch,
	BeaconBlockHeader, Root,
};
use ballast_ethereum_prover::{
	execution::{body_proof, BodyProof},
	fixtures,
	light_client::{snowbridge_header, CheckpointUpdate, SYNC_COMMITTEE_SIZE},
};
use snowbridge_beacon_primitives::{
	types::{deneb, SyncCommittee},
	ExecutionProof, PublicKey, VersionedExecutionPayloadHeader,
};
use snowbridge_verification_primitives::{EventProof, Log, Proof};
use sp_core::{H160, H256, U256};

/// A Deneb slot on Sepolia (the dev chain's network), after the real fixtures.
pub const SYNTHETIC_SLOT: u64 = 4_600_000;
/// Deneb `BeaconState` container depth.
const STATE_DEPTH: u32 = 5;

/// A distinct stand-in root for a field nothing verifies.
fn label(text: &str, n: u64) -> Root {
	let mut padded = [0u8; 32];
	let text = &text.as_bytes()[..text.len().min(32)];
	padded[..text.len()].copy_from_slice(text);
	ballast_ethereum_proofs::merkle::hash_pair(&Root::from(padded), &u64_chunk(n))
}

/// A beacon block whose body commits to one sealed Ethereum block.
#[derive(Clone)]
pub struct BeaconBlock {
	/// The beacon block header (synthetic proposer, parent and state).
	pub header: BeaconBlockHeader,
	/// The Deneb execution payload header of the sealed Ethereum block.
	pub execution_header: VersionedExecutionPayloadHeader,
	/// `execution_header`'s branch to `header.body_root` (4 hashes).
	pub execution_branch: Vec<Root>,
	/// A light-client checkpoint at this block, with a real Sepolia sync committee.
	pub checkpoint: CheckpointUpdate,
	receipt_proofs: Vec<Vec<Vec<u8>>>,
}

fn execution_header(block: &SealedBlock) -> VersionedExecutionPayloadHeader {
	let h = &block.header;
	let h256 = |b: B256| H256::from(b.0);
	VersionedExecutionPayloadHeader::Deneb(deneb::ExecutionPayloadHeader {
		parent_hash: h256(h.parent_hash),
		fee_recipient: H160::from(h.beneficiary.0 .0),
		state_root: h256(h.state_root),
		receipts_root: h256(h.receipts_root),
		logs_bloom: h.logs_bloom.0.to_vec(),
		prev_randao: h256(h.mix_hash),
		block_number: h.number,
		gas_limit: h.gas_limit,
		gas_used: h.gas_used,
		timestamp: h.timestamp,
		extra_data: h.extra_data.to_vec(),
		base_fee_per_gas: U256::from(h.base_fee_per_gas.unwrap_or_default()),
		block_hash: h256(block.hash()),
		transactions_root: h256(h.transactions_root),
		withdrawals_root: h256(h.withdrawals_root.unwrap_or_default()),
		blob_gas_used: h.blob_gas_used.unwrap_or_default(),
		excess_blob_gas: h.excess_blob_gas.unwrap_or_default(),
	})
}

impl BeaconBlock {
	/// The beacon block of `slot` carrying `block`, with a state whose sync committee is a real
	/// Sepolia committee (so the light client can prepare its keys).
	pub fn new(slot: u64, block: &SealedBlock) -> Self {
		let execution_header = execution_header(block);
		let body_fields: Vec<Root> = (0..12).map(|i| label("body field", slot * 16 + i)).collect();
		let BodyProof { body_root, execution_branch } =
			body_proof(&body_fields, &execution_header).expect("12 body fields");

		let committee_keys = fixtures::sepolia_prover(4_570_752).current_sync_committee().clone();
		let mut committee = SyncCommittee::<SYNC_COMMITTEE_SIZE>::default();
		for (slot_key, key) in committee.pubkeys.iter_mut().zip(&committee_keys.pubkeys) {
			*slot_key = PublicKey(*key);
		}
		committee.aggregate_pubkey = PublicKey(committee_keys.aggregate_pubkey);
		let committee_root = committee.hash_tree_root().expect("committee hashes");
		let mut state_fields: Vec<Root> =
			(0..28).map(|i| label("state field", slot * 32 + i)).collect();
		state_fields[fields::CURRENT_SYNC_COMMITTEE] = committee_root;
		let state_root = merkleize(&state_fields, STATE_DEPTH);
		let header = BeaconBlockHeader {
			slot,
			proposer_index: 7,
			parent_root: label("parent", slot),
			state_root,
			body_root,
		};
		let checkpoint = CheckpointUpdate {
			header: snowbridge_header(&header),
			current_sync_committee: committee,
			current_sync_committee_branch: container_branch(
				&state_fields,
				STATE_DEPTH,
				fields::CURRENT_SYNC_COMMITTEE,
			),
			validators_root: Root::from(
				ballast_ethereum_proofs::fork::SEPOLIA_GENESIS_VALIDATORS_ROOT,
			),
			block_roots_root: state_fields[fields::BLOCK_ROOTS],
			block_roots_branch: container_branch(&state_fields, STATE_DEPTH, fields::BLOCK_ROOTS),
		};
		let receipt_proofs = (0..block.receipts.len())
			.map(|i| block.trie.proof(i).expect("every receipt has a proof").clone())
			.collect();
		BeaconBlock { header, execution_header, execution_branch, checkpoint, receipt_proofs }
	}

	/// The execution proof of this block, as a finalized header (no ancestry proof).
	pub fn execution_proof(&self) -> ExecutionProof {
		ExecutionProof {
			header: snowbridge_header(&self.header),
			ancestry_proof: None,
			execution_header: self.execution_header.clone(),
			execution_branch: self.execution_branch.clone(),
		}
	}

	/// The `EventProof` of `log`, emitted by transaction `tx_index` of this block.
	pub fn event_proof(&self, log: &AlloyLog, tx_index: u64) -> EventProof {
		EventProof { event_log: to_log(log, tx_index), proof: self.proof(tx_index) }
	}

	/// The receipt proof of transaction `tx_index` with this block's execution proof.
	pub fn proof(&self, tx_index: u64) -> Proof {
		Proof {
			receipt_proof: self.receipt_proofs[tx_index as usize].clone(),
			execution_proof: self.execution_proof(),
		}
	}
}

/// Snowbridge's form of an EVM log.
pub fn to_log(log: &AlloyLog, tx_index: u64) -> Log {
	Log {
		address: H160::from(log.address.0 .0),
		topics: log.topics().iter().map(|topic| H256::from(topic.0)).collect(),
		data: log.data.data.to_vec(),
		tx_index,
	}
}
