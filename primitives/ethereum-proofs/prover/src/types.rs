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
pub type PublicKeyBytes = FixedVector<u8, U48>;

#[derive(Clone, Debug, PartialEq, Encode, Decode, TreeHash)]
pub struct Fork {
	pub previous_version: [u8; 4],
	pub current_version: [u8; 4],
	pub epoch: u64,
}

#[derive(Clone, Debug, PartialEq, Encode, Decode, TreeHash)]
pub struct BeaconBlockHeader {
	pub slot: u64,
	pub proposer_index: u64,
	pub parent_root: Hash256,
	pub state_root: Hash256,
	pub body_root: Hash256,
}

#[derive(Clone, Debug, PartialEq, Encode, Decode, TreeHash)]
pub struct Eth1Data {
	pub deposit_root: Hash256,
	pub deposit_count: u64,
	pub block_hash: Hash256,
}

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

#[derive(Clone, Debug, PartialEq, Encode, Decode, TreeHash)]
pub struct Checkpoint {
	pub epoch: u64,
	pub root: Hash256,
}

#[derive(Clone, Debug, PartialEq, Encode, Decode, TreeHash)]
pub struct SyncCommittee {
	pub pubkeys: FixedVector<PublicKeyBytes, U512>,
	pub aggregate_pubkey: PublicKeyBytes,
}

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

#[derive(Clone, Debug, PartialEq, Encode, Decode, TreeHash)]
pub struct HistoricalSummary {
	pub block_summary_root: Hash256,
	pub state_summary_root: Hash256,
}

/// `BeaconState` as of Deneb (28 fields).
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
#[derive(Clone, Debug, PartialEq, Encode, Decode, TreeHash)]
pub struct PendingDeposit {
	pub pubkey: PublicKeyBytes,
	pub withdrawal_credentials: Hash256,
	pub amount: u64,
	pub signature: FixedVector<u8, U96>,
	pub slot: u64,
}

/// A partial withdrawal waiting to be processed (Electra).
#[derive(Clone, Debug, PartialEq, Encode, Decode, TreeHash)]
pub struct PendingPartialWithdrawal {
	pub validator_index: u64,
	pub amount: u64,
	pub withdrawable_epoch: u64,
}

/// A consolidation waiting to be processed (Electra).
#[derive(Clone, Debug, PartialEq, Encode, Decode, TreeHash)]
pub struct PendingConsolidation {
	pub source_index: u64,
	pub target_index: u64,
}

/// `BeaconState` as of Electra (37 fields: Deneb's 28, then the EIP-7251/6110/7002 queues).
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
