//! SSZ types of the Deneb, Electra and Fulu `BeaconState`s, decoded and hashed by Lighthouse's
//! `ethereum_ssz` and `tree_hash` crates (the consensus spec's containers, field for field).

use ssz_derive::{Decode, Encode};
use ssz_types::{
	typenum::{
		U1099511627776, U134217728, U16777216, U2048, U256, U262144, U32, U4, U48, U512, U64,
		U65536, U8192, U96,
	},
	BitVector, FixedVector, VariableList,
};
use tree_hash::Hash256;
use tree_hash_derive::TreeHash;

/// Validator registry limit, 2^40.
pub type RegistryLimit = U1099511627776;
/// A compressed BLS public key (48 bytes).
pub type PublicKeyBytes = FixedVector<u8, U48>;

/// A state's fork: its current and previous fork versions and the epoch of the switch.
// Fields mirror the consensus spec's Fork (Phase 0), in order; the spec documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Encode, Decode, TreeHash)]
pub struct Fork {
	pub previous_version: [u8; 4],
	pub current_version: [u8; 4],
	pub epoch: u64,
}

/// A beacon block header (the state's `latest_block_header`).
// Fields mirror the consensus spec's BeaconBlockHeader (Phase 0), in order;
// the spec documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Encode, Decode, TreeHash)]
pub struct BeaconBlockHeader {
	pub slot: u64,
	pub proposer_index: u64,
	pub parent_root: Hash256,
	pub state_root: Hash256,
	pub body_root: Hash256,
}

/// The deposit contract's state, as voted on by proposers.
// Fields mirror the consensus spec's Eth1Data (Phase 0), in order; the spec documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Encode, Decode, TreeHash)]
pub struct Eth1Data {
	pub deposit_root: Hash256,
	pub deposit_count: u64,
	pub block_hash: Hash256,
}

/// A validator's registry record.
// Fields mirror the consensus spec's Validator (Phase 0), in order; the spec documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Encode, Decode, TreeHash)]
pub struct Validator {
	pub pubkey: PublicKeyBytes,
	pub withdrawal_credentials: Hash256,
	pub effective_balance: u64,
	pub slashed: bool,
	pub activation_eligibility_epoch: u64,
	pub activation_epoch: u64,
	pub exit_epoch: u64,
	pub withdrawable_epoch: u64,
}

/// An epoch and the block root at its start (justification and finality).
// Fields mirror the consensus spec's Checkpoint (Phase 0), in order; the spec documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Encode, Decode, TreeHash)]
pub struct Checkpoint {
	pub epoch: u64,
	pub root: Hash256,
}

/// The 512 members of a sync committee and their aggregate key.
// Fields mirror the consensus spec's SyncCommittee (Altair), in order; the spec documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Encode, Decode, TreeHash)]
pub struct SyncCommittee {
	pub pubkeys: FixedVector<PublicKeyBytes, U512>,
	pub aggregate_pubkey: PublicKeyBytes,
}

/// The header of the latest execution payload (unchanged from Deneb to Fulu).
// Fields mirror the consensus spec's ExecutionPayloadHeader (Deneb), in order;
// the spec documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Encode, Decode, TreeHash)]
pub struct ExecutionPayloadHeader {
	pub parent_hash: Hash256,
	pub fee_recipient: alloy_primitives::Address,
	pub state_root: Hash256,
	pub receipts_root: Hash256,
	pub logs_bloom: FixedVector<u8, U256>,
	pub prev_randao: Hash256,
	pub block_number: u64,
	pub gas_limit: u64,
	pub gas_used: u64,
	pub timestamp: u64,
	pub extra_data: VariableList<u8, U32>,
	pub base_fee_per_gas: alloy_primitives::U256,
	pub block_hash: Hash256,
	pub transactions_root: Hash256,
	pub withdrawals_root: Hash256,
	pub blob_gas_used: u64,
	pub excess_blob_gas: u64,
}

/// The block- and state-roots summary of one `SLOTS_PER_HISTORICAL_ROOT` period.
// Fields mirror the consensus spec's HistoricalSummary (Capella), in order;
// the spec documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Encode, Decode, TreeHash)]
pub struct HistoricalSummary {
	pub block_summary_root: Hash256,
	pub state_summary_root: Hash256,
}

/// `BeaconState` as of Deneb (28 fields).
// Fields mirror the consensus spec's BeaconState (Deneb), in order; the spec documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Encode, Decode, TreeHash)]
pub struct BeaconStateDeneb {
	pub genesis_time: u64,
	pub genesis_validators_root: Hash256,
	pub slot: u64,
	pub fork: Fork,
	pub latest_block_header: BeaconBlockHeader,
	pub block_roots: FixedVector<Hash256, U8192>,
	pub state_roots: FixedVector<Hash256, U8192>,
	pub historical_roots: VariableList<Hash256, U16777216>,
	pub eth1_data: Eth1Data,
	pub eth1_data_votes: VariableList<Eth1Data, U2048>,
	pub eth1_deposit_index: u64,
	pub validators: VariableList<Validator, RegistryLimit>,
	pub balances: VariableList<u64, RegistryLimit>,
	pub randao_mixes: FixedVector<Hash256, U65536>,
	pub slashings: FixedVector<u64, U8192>,
	pub previous_epoch_participation: VariableList<u8, RegistryLimit>,
	pub current_epoch_participation: VariableList<u8, RegistryLimit>,
	pub justification_bits: BitVector<U4>,
	pub previous_justified_checkpoint: Checkpoint,
	pub current_justified_checkpoint: Checkpoint,
	pub finalized_checkpoint: Checkpoint,
	pub inactivity_scores: VariableList<u64, RegistryLimit>,
	pub current_sync_committee: SyncCommittee,
	pub next_sync_committee: SyncCommittee,
	pub latest_execution_payload_header: ExecutionPayloadHeader,
	pub next_withdrawal_index: u64,
	pub next_withdrawal_validator_index: u64,
	pub historical_summaries: VariableList<HistoricalSummary, U16777216>,
}

/// A deposit waiting to be applied (Electra).
// Fields mirror the consensus spec's PendingDeposit (Electra), in order; the spec documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Encode, Decode, TreeHash)]
pub struct PendingDeposit {
	pub pubkey: PublicKeyBytes,
	pub withdrawal_credentials: Hash256,
	pub amount: u64,
	pub signature: FixedVector<u8, U96>,
	pub slot: u64,
}

/// A partial withdrawal waiting to be processed (Electra).
// Fields mirror the consensus spec's PendingPartialWithdrawal (Electra), in order;
// the spec documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Encode, Decode, TreeHash)]
pub struct PendingPartialWithdrawal {
	pub validator_index: u64,
	pub amount: u64,
	pub withdrawable_epoch: u64,
}

/// A consolidation waiting to be processed (Electra).
// Fields mirror the consensus spec's PendingConsolidation (Electra), in order;
// the spec documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Encode, Decode, TreeHash)]
pub struct PendingConsolidation {
	pub source_index: u64,
	pub target_index: u64,
}

/// `BeaconState` as of Electra (37 fields: Deneb's 28, then the EIP-7251/6110/7002 queues).
// Fields mirror the consensus spec's BeaconState (Electra), in order; the spec documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Encode, Decode, TreeHash)]
pub struct BeaconStateElectra {
	pub genesis_time: u64,
	pub genesis_validators_root: Hash256,
	pub slot: u64,
	pub fork: Fork,
	pub latest_block_header: BeaconBlockHeader,
	pub block_roots: FixedVector<Hash256, U8192>,
	pub state_roots: FixedVector<Hash256, U8192>,
	pub historical_roots: VariableList<Hash256, U16777216>,
	pub eth1_data: Eth1Data,
	pub eth1_data_votes: VariableList<Eth1Data, U2048>,
	pub eth1_deposit_index: u64,
	pub validators: VariableList<Validator, RegistryLimit>,
	pub balances: VariableList<u64, RegistryLimit>,
	pub randao_mixes: FixedVector<Hash256, U65536>,
	pub slashings: FixedVector<u64, U8192>,
	pub previous_epoch_participation: VariableList<u8, RegistryLimit>,
	pub current_epoch_participation: VariableList<u8, RegistryLimit>,
	pub justification_bits: BitVector<U4>,
	pub previous_justified_checkpoint: Checkpoint,
	pub current_justified_checkpoint: Checkpoint,
	pub finalized_checkpoint: Checkpoint,
	pub inactivity_scores: VariableList<u64, RegistryLimit>,
	pub current_sync_committee: SyncCommittee,
	pub next_sync_committee: SyncCommittee,
	pub latest_execution_payload_header: ExecutionPayloadHeader,
	pub next_withdrawal_index: u64,
	pub next_withdrawal_validator_index: u64,
	pub historical_summaries: VariableList<HistoricalSummary, U16777216>,
	pub deposit_requests_start_index: u64,
	pub deposit_balance_to_consume: u64,
	pub exit_balance_to_consume: u64,
	pub earliest_exit_epoch: u64,
	pub consolidation_balance_to_consume: u64,
	pub earliest_consolidation_epoch: u64,
	pub pending_deposits: VariableList<PendingDeposit, U134217728>,
	pub pending_partial_withdrawals: VariableList<PendingPartialWithdrawal, U134217728>,
	pub pending_consolidations: VariableList<PendingConsolidation, U262144>,
}

/// `BeaconState` as of Fulu (38 fields: Electra's, then `proposer_lookahead`, EIP-7917).
// Fields mirror the consensus spec's BeaconState (Fulu), in order; the spec documents them.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Encode, Decode, TreeHash)]
pub struct BeaconStateFulu {
	pub genesis_time: u64,
	pub genesis_validators_root: Hash256,
	pub slot: u64,
	pub fork: Fork,
	pub latest_block_header: BeaconBlockHeader,
	pub block_roots: FixedVector<Hash256, U8192>,
	pub state_roots: FixedVector<Hash256, U8192>,
	pub historical_roots: VariableList<Hash256, U16777216>,
	pub eth1_data: Eth1Data,
	pub eth1_data_votes: VariableList<Eth1Data, U2048>,
	pub eth1_deposit_index: u64,
	pub validators: VariableList<Validator, RegistryLimit>,
	pub balances: VariableList<u64, RegistryLimit>,
	pub randao_mixes: FixedVector<Hash256, U65536>,
	pub slashings: FixedVector<u64, U8192>,
	pub previous_epoch_participation: VariableList<u8, RegistryLimit>,
	pub current_epoch_participation: VariableList<u8, RegistryLimit>,
	pub justification_bits: BitVector<U4>,
	pub previous_justified_checkpoint: Checkpoint,
	pub current_justified_checkpoint: Checkpoint,
	pub finalized_checkpoint: Checkpoint,
	pub inactivity_scores: VariableList<u64, RegistryLimit>,
	pub current_sync_committee: SyncCommittee,
	pub next_sync_committee: SyncCommittee,
	pub latest_execution_payload_header: ExecutionPayloadHeader,
	pub next_withdrawal_index: u64,
	pub next_withdrawal_validator_index: u64,
	pub historical_summaries: VariableList<HistoricalSummary, U16777216>,
	pub deposit_requests_start_index: u64,
	pub deposit_balance_to_consume: u64,
	pub exit_balance_to_consume: u64,
	pub earliest_exit_epoch: u64,
	pub consolidation_balance_to_consume: u64,
	pub earliest_consolidation_epoch: u64,
	pub pending_deposits: VariableList<PendingDeposit, U134217728>,
	pub pending_partial_withdrawals: VariableList<PendingPartialWithdrawal, U134217728>,
	pub pending_consolidations: VariableList<PendingConsolidation, U262144>,
	pub proposer_lookahead: FixedVector<u64, U64>,
}
