//! SSZ types of Deneb, Electra and Fulu beacon block bodies (mainnet preset, which Sepolia
//! shares), hashed by Lighthouse's `tree_hash` and read from the beacon API's JSON
//! (`/eth/v2/beacon/blocks/{id}`: integers as decimal strings, bytes and bitfields as `0x` hex).
//!
//! Every container denies unknown fields, so a body of another fork fails to parse instead of
//! hashing to a wrong root.

use serde::{Deserialize, Deserializer};
use ssz_types::{
	serde_utils::{
		hex_fixed_vec, hex_var_list, list_of_hex_fixed_vec, list_of_hex_var_list,
		quoted_u64_var_list,
	},
	typenum::{
		U1, U1048576, U1073741824, U128, U131072, U16, U2, U2048, U256, U32, U33, U4096, U48, U512,
		U64, U8, U8192, U96,
	},
	BitList, BitVector, FixedVector, VariableList,
};
use tree_hash::Hash256;
use tree_hash_derive::TreeHash;

use crate::types::{BeaconBlockHeader, Checkpoint, Eth1Data};

/// A BLS signature (96 bytes).
pub type Signature = FixedVector<u8, U96>;
/// A compressed BLS public key or KZG commitment (48 bytes).
pub type Bytes48 = FixedVector<u8, U48>;
/// An execution-layer transaction (`ByteList[MAX_BYTES_PER_TRANSACTION]`, 2^30).
pub type Transaction = VariableList<u8, U1073741824>;
/// `MAX_VALIDATORS_PER_COMMITTEE` (2,048).
pub type MaxValidatorsPerCommittee = U2048;
/// `MAX_VALIDATORS_PER_COMMITTEE * MAX_COMMITTEES_PER_SLOT` (2,048 · 64): Electra's aggregates
/// span every committee of a slot.
pub type MaxValidatorsPerSlot = U131072;

/// Deserializes a `u64` the beacon API writes as a decimal string (a bare number is accepted too).
pub(crate) fn quoted_u64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
	#[derive(Deserialize)]
	#[serde(untagged)]
	enum Quoted {
		Text(String),
		Number(u64),
	}
	match Quoted::deserialize(deserializer)? {
		Quoted::Text(text) => text.parse().map_err(serde::de::Error::custom),
		Quoted::Number(number) => Ok(number),
	}
}

/// Fields of the beacon API's JSON `Eth1Data`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Eth1DataJson {
	deposit_root: Hash256,
	#[serde(deserialize_with = "quoted_u64")]
	deposit_count: u64,
	block_hash: Hash256,
}

fn eth1_data<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Eth1Data, D::Error> {
	let json = Eth1DataJson::deserialize(deserializer)?;
	Ok(Eth1Data {
		deposit_root: json.deposit_root,
		deposit_count: json.deposit_count,
		block_hash: json.block_hash,
	})
}

/// Fields of the beacon API's JSON `BeaconBlockHeader`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HeaderJson {
	#[serde(deserialize_with = "quoted_u64")]
	slot: u64,
	#[serde(deserialize_with = "quoted_u64")]
	proposer_index: u64,
	parent_root: Hash256,
	state_root: Hash256,
	body_root: Hash256,
}

fn block_header<'de, D: Deserializer<'de>>(deserializer: D) -> Result<BeaconBlockHeader, D::Error> {
	let json = HeaderJson::deserialize(deserializer)?;
	Ok(BeaconBlockHeader {
		slot: json.slot,
		proposer_index: json.proposer_index,
		parent_root: json.parent_root,
		state_root: json.state_root,
		body_root: json.body_root,
	})
}

/// Fields of the beacon API's JSON `Checkpoint`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckpointJson {
	#[serde(deserialize_with = "quoted_u64")]
	epoch: u64,
	root: Hash256,
}

fn checkpoint<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Checkpoint, D::Error> {
	let json = CheckpointJson::deserialize(deserializer)?;
	Ok(Checkpoint { epoch: json.epoch, root: json.root })
}

/// A header and its proposer's signature.
// Fields mirror the consensus spec's SignedBeaconBlockHeader (Phase 0), in order; the spec
// documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Deserialize, TreeHash)]
#[serde(deny_unknown_fields)]
pub struct SignedBeaconBlockHeader {
	#[serde(deserialize_with = "block_header")]
	pub message: BeaconBlockHeader,
	#[serde(with = "hex_fixed_vec")]
	pub signature: Signature,
}

/// Two conflicting headers signed by one proposer.
// Fields mirror the consensus spec's ProposerSlashing (Phase 0), in order; the spec documents
// them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Deserialize, TreeHash)]
#[serde(deny_unknown_fields)]
pub struct ProposerSlashing {
	pub signed_header_1: SignedBeaconBlockHeader,
	pub signed_header_2: SignedBeaconBlockHeader,
}

/// What an attestation votes for.
// Fields mirror the consensus spec's AttestationData (Phase 0), in order; the spec documents
// them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Deserialize, TreeHash)]
#[serde(deny_unknown_fields)]
pub struct AttestationData {
	#[serde(deserialize_with = "quoted_u64")]
	pub slot: u64,
	#[serde(deserialize_with = "quoted_u64")]
	pub index: u64,
	pub beacon_block_root: Hash256,
	#[serde(deserialize_with = "checkpoint")]
	pub source: Checkpoint,
	#[serde(deserialize_with = "checkpoint")]
	pub target: Checkpoint,
}

/// An attestation with its attesters listed by index, for up to `N` attesters.
// Fields mirror the consensus spec's IndexedAttestation (Phase 0; Electra widens the list), in
// order; the spec documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Deserialize, TreeHash)]
#[serde(deny_unknown_fields)]
#[serde(bound = "")]
pub struct IndexedAttestation<N: ssz_types::typenum::Unsigned> {
	#[serde(with = "quoted_u64_var_list")]
	pub attesting_indices: VariableList<u64, N>,
	pub data: AttestationData,
	#[serde(with = "hex_fixed_vec")]
	pub signature: Signature,
}

/// Two conflicting attestations signed by the same validators, for up to `N` attesters each.
// Fields mirror the consensus spec's AttesterSlashing (Phase 0; Electra widens the lists), in
// order; the spec documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Deserialize, TreeHash)]
#[serde(deny_unknown_fields)]
#[serde(bound = "")]
pub struct AttesterSlashing<N: ssz_types::typenum::Unsigned> {
	pub attestation_1: IndexedAttestation<N>,
	pub attestation_2: IndexedAttestation<N>,
}

/// An aggregate attestation of one committee (Deneb).
// Fields mirror the consensus spec's Attestation (Phase 0), in order; the spec documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Deserialize, TreeHash)]
#[serde(deny_unknown_fields)]
pub struct Attestation {
	pub aggregation_bits: BitList<MaxValidatorsPerCommittee>,
	pub data: AttestationData,
	#[serde(with = "hex_fixed_vec")]
	pub signature: Signature,
}

/// An aggregate attestation over the committees `committee_bits` names (Electra, EIP-7549).
// Fields mirror the consensus spec's Attestation (Electra), in order; the spec documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Deserialize, TreeHash)]
#[serde(deny_unknown_fields)]
pub struct AttestationElectra {
	pub aggregation_bits: BitList<MaxValidatorsPerSlot>,
	pub data: AttestationData,
	#[serde(with = "hex_fixed_vec")]
	pub signature: Signature,
	pub committee_bits: BitVector<U64>,
}

/// What a deposit into the deposit contract says.
// Fields mirror the consensus spec's DepositData (Phase 0), in order; the spec documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Deserialize, TreeHash)]
#[serde(deny_unknown_fields)]
pub struct DepositData {
	#[serde(with = "hex_fixed_vec")]
	pub pubkey: Bytes48,
	pub withdrawal_credentials: Hash256,
	#[serde(deserialize_with = "quoted_u64")]
	pub amount: u64,
	#[serde(with = "hex_fixed_vec")]
	pub signature: Signature,
}

/// A deposit and its branch in the deposit contract's tree (`DEPOSIT_CONTRACT_TREE_DEPTH + 1`).
// Fields mirror the consensus spec's Deposit (Phase 0), in order; the spec documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Deserialize, TreeHash)]
#[serde(deny_unknown_fields)]
pub struct Deposit {
	pub proof: FixedVector<Hash256, U33>,
	pub data: DepositData,
}

/// A validator's request to exit.
// Fields mirror the consensus spec's VoluntaryExit (Phase 0), in order; the spec documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Deserialize, TreeHash)]
#[serde(deny_unknown_fields)]
pub struct VoluntaryExit {
	#[serde(deserialize_with = "quoted_u64")]
	pub epoch: u64,
	#[serde(deserialize_with = "quoted_u64")]
	pub validator_index: u64,
}

/// A voluntary exit and the validator's signature.
// Fields mirror the consensus spec's SignedVoluntaryExit (Phase 0), in order; the spec
// documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Deserialize, TreeHash)]
#[serde(deny_unknown_fields)]
pub struct SignedVoluntaryExit {
	pub message: VoluntaryExit,
	#[serde(with = "hex_fixed_vec")]
	pub signature: Signature,
}

/// The sync committee's participation bits and aggregate signature.
// Fields mirror the consensus spec's SyncAggregate (Altair), in order; the spec documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Deserialize, TreeHash)]
#[serde(deny_unknown_fields)]
pub struct SyncAggregate {
	pub sync_committee_bits: BitVector<U512>,
	#[serde(with = "hex_fixed_vec")]
	pub sync_committee_signature: Signature,
}

/// A withdrawal the execution layer credits.
// Fields mirror the consensus spec's Withdrawal (Capella), in order; the spec documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Deserialize, TreeHash)]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
	#[serde(deserialize_with = "quoted_u64")]
	pub index: u64,
	#[serde(deserialize_with = "quoted_u64")]
	pub validator_index: u64,
	pub address: alloy_primitives::Address,
	#[serde(deserialize_with = "quoted_u64")]
	pub amount: u64,
}

/// The execution block a beacon block carries (unchanged from Deneb to Fulu). Its root equals
/// its header's, whose `transactions_root` and `withdrawals_root` are these lists' roots.
// Fields mirror the consensus spec's ExecutionPayload (Deneb), in order; the spec documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Deserialize, TreeHash)]
#[serde(deny_unknown_fields)]
pub struct ExecutionPayload {
	pub parent_hash: Hash256,
	pub fee_recipient: alloy_primitives::Address,
	pub state_root: Hash256,
	pub receipts_root: Hash256,
	#[serde(with = "hex_fixed_vec")]
	pub logs_bloom: FixedVector<u8, U256>,
	pub prev_randao: Hash256,
	#[serde(deserialize_with = "quoted_u64")]
	pub block_number: u64,
	#[serde(deserialize_with = "quoted_u64")]
	pub gas_limit: u64,
	#[serde(deserialize_with = "quoted_u64")]
	pub gas_used: u64,
	#[serde(deserialize_with = "quoted_u64")]
	pub timestamp: u64,
	#[serde(with = "hex_var_list")]
	pub extra_data: VariableList<u8, U32>,
	pub base_fee_per_gas: alloy_primitives::U256,
	pub block_hash: Hash256,
	#[serde(with = "list_of_hex_var_list")]
	pub transactions: VariableList<Transaction, U1048576>,
	pub withdrawals: VariableList<Withdrawal, U16>,
	#[serde(deserialize_with = "quoted_u64")]
	pub blob_gas_used: u64,
	#[serde(deserialize_with = "quoted_u64")]
	pub excess_blob_gas: u64,
}

/// A BLS-keyed validator's switch to an execution withdrawal address.
// Fields mirror the consensus spec's BLSToExecutionChange (Capella), in order; the spec
// documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Deserialize, TreeHash)]
#[serde(deny_unknown_fields)]
pub struct BlsToExecutionChange {
	#[serde(deserialize_with = "quoted_u64")]
	pub validator_index: u64,
	#[serde(with = "hex_fixed_vec")]
	pub from_bls_pubkey: Bytes48,
	pub to_execution_address: alloy_primitives::Address,
}

/// A BLS-to-execution change and its signature.
// Fields mirror the consensus spec's SignedBLSToExecutionChange (Capella), in order; the spec
// documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Deserialize, TreeHash)]
#[serde(deny_unknown_fields)]
pub struct SignedBlsToExecutionChange {
	pub message: BlsToExecutionChange,
	#[serde(with = "hex_fixed_vec")]
	pub signature: Signature,
}

/// A deposit made through the execution layer (Electra, EIP-6110).
// Fields mirror the consensus spec's DepositRequest (Electra), in order; the spec documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Deserialize, TreeHash)]
#[serde(deny_unknown_fields)]
pub struct DepositRequest {
	#[serde(with = "hex_fixed_vec")]
	pub pubkey: Bytes48,
	pub withdrawal_credentials: Hash256,
	#[serde(deserialize_with = "quoted_u64")]
	pub amount: u64,
	#[serde(with = "hex_fixed_vec")]
	pub signature: Signature,
	#[serde(deserialize_with = "quoted_u64")]
	pub index: u64,
}

/// A withdrawal requested by a validator's withdrawal address (Electra, EIP-7002).
// Fields mirror the consensus spec's WithdrawalRequest (Electra), in order; the spec documents
// them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Deserialize, TreeHash)]
#[serde(deny_unknown_fields)]
pub struct WithdrawalRequest {
	pub source_address: alloy_primitives::Address,
	#[serde(with = "hex_fixed_vec")]
	pub validator_pubkey: Bytes48,
	#[serde(deserialize_with = "quoted_u64")]
	pub amount: u64,
}

/// A consolidation requested by a validator's withdrawal address (Electra, EIP-7251).
// Fields mirror the consensus spec's ConsolidationRequest (Electra), in order; the spec
// documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Deserialize, TreeHash)]
#[serde(deny_unknown_fields)]
pub struct ConsolidationRequest {
	pub source_address: alloy_primitives::Address,
	#[serde(with = "hex_fixed_vec")]
	pub source_pubkey: Bytes48,
	#[serde(with = "hex_fixed_vec")]
	pub target_pubkey: Bytes48,
}

/// The execution layer's requests to the consensus layer in one block (Electra).
// Fields mirror the consensus spec's ExecutionRequests (Electra), in order; the spec documents
// them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Deserialize, TreeHash)]
#[serde(deny_unknown_fields)]
pub struct ExecutionRequests {
	pub deposits: VariableList<DepositRequest, U8192>,
	pub withdrawals: VariableList<WithdrawalRequest, U16>,
	pub consolidations: VariableList<ConsolidationRequest, U2>,
}

/// `BeaconBlockBody` as of Deneb (12 fields).
// Fields mirror the consensus spec's BeaconBlockBody (Deneb), in order; the spec documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Deserialize, TreeHash)]
#[serde(deny_unknown_fields)]
pub struct BeaconBlockBodyDeneb {
	#[serde(with = "hex_fixed_vec")]
	pub randao_reveal: Signature,
	#[serde(deserialize_with = "eth1_data")]
	pub eth1_data: Eth1Data,
	pub graffiti: Hash256,
	pub proposer_slashings: VariableList<ProposerSlashing, U16>,
	pub attester_slashings: VariableList<AttesterSlashing<MaxValidatorsPerCommittee>, U2>,
	pub attestations: VariableList<Attestation, U128>,
	pub deposits: VariableList<Deposit, U16>,
	pub voluntary_exits: VariableList<SignedVoluntaryExit, U16>,
	pub sync_aggregate: SyncAggregate,
	pub execution_payload: ExecutionPayload,
	pub bls_to_execution_changes: VariableList<SignedBlsToExecutionChange, U16>,
	#[serde(with = "list_of_hex_fixed_vec")]
	pub blob_kzg_commitments: VariableList<Bytes48, U4096>,
}

/// `BeaconBlockBody` as of Electra, unchanged in Fulu (13 fields: Deneb's with wider
/// attestations and fewer of them, then `execution_requests`).
// Fields mirror the consensus spec's BeaconBlockBody (Electra), in order; the spec documents
// them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Deserialize, TreeHash)]
#[serde(deny_unknown_fields)]
pub struct BeaconBlockBodyElectra {
	#[serde(with = "hex_fixed_vec")]
	pub randao_reveal: Signature,
	#[serde(deserialize_with = "eth1_data")]
	pub eth1_data: Eth1Data,
	pub graffiti: Hash256,
	pub proposer_slashings: VariableList<ProposerSlashing, U16>,
	pub attester_slashings: VariableList<AttesterSlashing<MaxValidatorsPerSlot>, U1>,
	pub attestations: VariableList<AttestationElectra, U8>,
	pub deposits: VariableList<Deposit, U16>,
	pub voluntary_exits: VariableList<SignedVoluntaryExit, U16>,
	pub sync_aggregate: SyncAggregate,
	pub execution_payload: ExecutionPayload,
	pub bls_to_execution_changes: VariableList<SignedBlsToExecutionChange, U16>,
	#[serde(with = "list_of_hex_fixed_vec")]
	pub blob_kzg_commitments: VariableList<Bytes48, U4096>,
	pub execution_requests: ExecutionRequests,
}
