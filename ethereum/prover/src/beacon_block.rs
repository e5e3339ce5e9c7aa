//! Real beacon blocks, as the beacon API serves them (`/eth/v2/beacon/blocks/{id}`, JSON): the
//! hash-tree-root of every body field, the body root and so the block's header and root, and the
//! execution payload's header with its branch to the body root — what Snowbridge's
//! `ExecutionProof` carries besides the ancestry (`crate::ancestry`).
//!
//! The body's containers (`crate::block_types`) are hashed by `tree_hash`; the body root is then
//! computed twice, by `tree_hash` over the whole body and by `execution::body_proof` from the
//! field roots (which gives the branch), and the payload header's root is computed by both
//! `tree_hash` (over the full payload) and Snowbridge (over the header it verifies), so a
//! conversion mistake fails here instead of on chain.

use crate::{
	block_types::{quoted_u64, BeaconBlockBodyDeneb, BeaconBlockBodyElectra, ExecutionPayload},
	execution::body_proof,
	light_client::snowbridge_header,
	Error,
};
use ballast_ethereum_proofs::{fork::Fork, BeaconBlockHeader, Root};
use serde::{de::DeserializeOwned, Deserialize};
use snowbridge_beacon_primitives::{types::deneb, BeaconHeader, VersionedExecutionPayloadHeader};
use sp_core::{H160, H256, U256};
use tree_hash::TreeHash;

fn root(hash: tree_hash::Hash256) -> Root {
	Root::from(hash.0)
}

/// A beacon block body of one fork's layout.
pub trait BlockBody: DeserializeOwned + TreeHash {
	/// Hash-tree-roots of the body's fields, in order.
	fn field_roots(&self) -> Vec<Root>;
	/// The execution payload the body carries.
	fn execution_payload(&self) -> &ExecutionPayload;
}

/// Hash-tree-roots of the named fields of a body, in the order given.
macro_rules! roots_of {
	($body:expr, [$($field:ident),* $(,)?]) => {
		vec![$(root($body.$field.tree_hash_root())),*]
	};
}

impl BlockBody for BeaconBlockBodyDeneb {
	fn field_roots(&self) -> Vec<Root> {
		roots_of!(
			self,
			[
				randao_reveal,
				eth1_data,
				graffiti,
				proposer_slashings,
				attester_slashings,
				attestations,
				deposits,
				voluntary_exits,
				sync_aggregate,
				execution_payload,
				bls_to_execution_changes,
				blob_kzg_commitments,
			]
		)
	}

	fn execution_payload(&self) -> &ExecutionPayload {
		&self.execution_payload
	}
}

impl BlockBody for BeaconBlockBodyElectra {
	fn field_roots(&self) -> Vec<Root> {
		roots_of!(
			self,
			[
				randao_reveal,
				eth1_data,
				graffiti,
				proposer_slashings,
				attester_slashings,
				attestations,
				deposits,
				voluntary_exits,
				sync_aggregate,
				execution_payload,
				bls_to_execution_changes,
				blob_kzg_commitments,
				execution_requests,
			]
		)
	}

	fn execution_payload(&self) -> &ExecutionPayload {
		&self.execution_payload
	}
}

/// The beacon API's `BeaconBlock` (the `message` of a signed block) with a body of type `B`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, bound = "B: DeserializeOwned")]
struct Message<B> {
	#[serde(deserialize_with = "quoted_u64")]
	slot: u64,
	#[serde(deserialize_with = "quoted_u64")]
	proposer_index: u64,
	parent_root: tree_hash::Hash256,
	state_root: tree_hash::Hash256,
	body: B,
}

/// A beacon block reduced to what an execution proof needs, every root computed from the block
/// itself.
#[derive(Clone, Debug, PartialEq)]
pub struct BeaconBlock {
	/// The fork whose body layout the block has.
	pub fork: Fork,
	/// The block's header; its `body_root` is the body's computed hash-tree-root.
	pub header: BeaconBlockHeader,
	/// Hash-tree-roots of the body's fields, in order: 12 in Deneb, 13 from Electra on.
	pub body_field_roots: Vec<Root>,
	/// The execution payload's header, as Snowbridge verifies it (Deneb's layout, unchanged in
	/// Electra and Fulu), with the payload's transactions and withdrawals roots.
	pub execution_header: VersionedExecutionPayloadHeader,
	/// `execution_header`'s branch to `header.body_root` (4 hashes, leaf level first).
	pub execution_branch: Vec<Root>,
}

/// The fork a beacon API `version` names (`Eth-Consensus-Version`), if its block body is known.
pub fn fork_of_version(version: &str) -> Result<Fork, Error> {
	match version {
		"deneb" => Ok(Fork::Deneb),
		"electra" => Ok(Fork::Electra),
		"fulu" => Ok(Fork::Fulu),
		other => Err(Error::UnsupportedBlockVersion(other.into())),
	}
}

/// Snowbridge's execution payload header of `payload`: the payload's fields, with its
/// transactions and withdrawals replaced by their lists' roots.
pub fn execution_header(payload: &ExecutionPayload) -> VersionedExecutionPayloadHeader {
	let h256 = |hash: tree_hash::Hash256| H256::from(hash.0);
	VersionedExecutionPayloadHeader::Deneb(deneb::ExecutionPayloadHeader {
		parent_hash: h256(payload.parent_hash),
		fee_recipient: H160::from(payload.fee_recipient.0 .0),
		state_root: h256(payload.state_root),
		receipts_root: h256(payload.receipts_root),
		logs_bloom: payload.logs_bloom.to_vec(),
		prev_randao: h256(payload.prev_randao),
		block_number: payload.block_number,
		gas_limit: payload.gas_limit,
		gas_used: payload.gas_used,
		timestamp: payload.timestamp,
		extra_data: payload.extra_data.to_vec(),
		base_fee_per_gas: U256::from_little_endian(&payload.base_fee_per_gas.to_le_bytes::<32>()),
		block_hash: h256(payload.block_hash),
		transactions_root: h256(payload.transactions.tree_hash_root()),
		withdrawals_root: h256(payload.withdrawals.tree_hash_root()),
		blob_gas_used: payload.blob_gas_used,
		excess_blob_gas: payload.excess_blob_gas,
	})
}

impl BeaconBlock {
	/// Reads a `/eth/v2/beacon/blocks/{id}` response (`{"version", "data": {"message", ..}}`),
	/// the body layout chosen by its `version`.
	pub fn from_json(response: &serde_json::Value) -> Result<Self, Error> {
		let version = response
			.get("version")
			.and_then(serde_json::Value::as_str)
			.ok_or_else(|| Error::BlockJson("no `version`".into()))?;
		let message = response
			.pointer("/data/message")
			.ok_or_else(|| Error::BlockJson("no `data.message`".into()))?;
		Self::from_message(fork_of_version(version)?, message)
	}

	/// Reads a `/eth/v2/beacon/blocks/{id}` response from its bytes.
	pub fn from_json_bytes(response: &[u8]) -> Result<Self, Error> {
		let value: serde_json::Value =
			serde_json::from_slice(response).map_err(|e| Error::BlockJson(e.to_string()))?;
		Self::from_json(&value)
	}

	/// Reads a block `message` (JSON) whose body has `fork`'s layout (for callers that have the
	/// version from the `Eth-Consensus-Version` header).
	pub fn from_message(fork: Fork, message: &serde_json::Value) -> Result<Self, Error> {
		match fork {
			Fork::Deneb => Self::from_typed_message::<BeaconBlockBodyDeneb>(fork, message),
			// Fulu's body is Electra's.
			Fork::Electra | Fork::Fulu => {
				Self::from_typed_message::<BeaconBlockBodyElectra>(fork, message)
			},
		}
	}

	fn from_typed_message<B: BlockBody>(
		fork: Fork,
		message: &serde_json::Value,
	) -> Result<Self, Error> {
		let message =
			Message::<B>::deserialize(message).map_err(|e| Error::BlockJson(e.to_string()))?;
		let body = &message.body;
		let execution_header = execution_header(body.execution_payload());
		let header_root = execution_header
			.hash_tree_root()
			.map_err(|_| Error::InconsistentBlock("the execution header does not hash"))?;
		if header_root != root(body.execution_payload().tree_hash_root()) {
			return Err(Error::InconsistentBlock(
				"the execution header's root is not the payload's",
			));
		}
		let field_roots = body.field_roots();
		let proof =
			body_proof(&field_roots, &execution_header).map_err(Error::InconsistentBlock)?;
		if proof.body_root != root(body.tree_hash_root()) {
			return Err(Error::InconsistentBlock("the body's field roots do not make its root"));
		}
		Ok(BeaconBlock {
			fork,
			header: BeaconBlockHeader {
				slot: message.slot,
				proposer_index: message.proposer_index,
				parent_root: root(message.parent_root),
				state_root: root(message.state_root),
				body_root: proof.body_root,
			},
			body_field_roots: field_roots,
			execution_header,
			execution_branch: proof.execution_branch,
		})
	}

	/// The block root: `hash_tree_root` of the header.
	pub fn block_root(&self) -> Root {
		self.header.hash_tree_root()
	}

	/// The header as Snowbridge's `ExecutionProof` carries it.
	pub fn snowbridge_header(&self) -> BeaconHeader {
		snowbridge_header(&self.header)
	}
}
