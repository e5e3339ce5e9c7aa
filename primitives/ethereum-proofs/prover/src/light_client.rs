//! Light-client messages for Snowbridge's `ethereum-client` pallet, built from full beacon states.
//!
//! The beacon API's `light_client/*` endpoints give finality and sync-committee branches but not
//! the `block_roots` branch Snowbridge also verifies, and providers have served wrong branches:
//! building every branch from the states themselves (and checking each header against its state)
//! avoids both problems.

use crate::{fields, Error, StateProver, SyncCommitteeKeys};
use ballast_ethereum_proofs::{BeaconBlockHeader, Root};
use snowbridge_beacon_primitives::{
	types::{BeaconHeader, PublicKey, Signature, SyncAggregate, SyncCommittee},
	updates::NextSyncCommitteeUpdate,
};

/// Members of a sync committee.
pub const SYNC_COMMITTEE_SIZE: usize = 512;
/// Bytes of a sync aggregate's participation bit vector.
pub const SYNC_COMMITTEE_BITS_SIZE: usize = SYNC_COMMITTEE_SIZE / 8;

/// `force_checkpoint`'s argument.
pub type CheckpointUpdate = snowbridge_beacon_primitives::CheckpointUpdate<SYNC_COMMITTEE_SIZE>;
/// `submit`'s argument.
pub type Update =
	snowbridge_beacon_primitives::Update<SYNC_COMMITTEE_SIZE, SYNC_COMMITTEE_BITS_SIZE>;
/// The sync committee's signature over an attested header.
pub type Aggregate = SyncAggregate<SYNC_COMMITTEE_SIZE, SYNC_COMMITTEE_BITS_SIZE>;

/// Snowbridge's header type for one of ours.
pub fn snowbridge_header(header: &BeaconBlockHeader) -> BeaconHeader {
	BeaconHeader {
		slot: header.slot,
		proposer_index: header.proposer_index,
		parent_root: header.parent_root,
		state_root: header.state_root,
		body_root: header.body_root,
	}
}

fn snowbridge_committee(keys: &SyncCommitteeKeys) -> SyncCommittee<SYNC_COMMITTEE_SIZE> {
	let mut committee = SyncCommittee::<SYNC_COMMITTEE_SIZE>::default();
	for (slot, key) in committee.pubkeys.iter_mut().zip(&keys.pubkeys) {
		*slot = PublicKey(*key);
	}
	committee.aggregate_pubkey = PublicKey(keys.aggregate_pubkey);
	committee
}

/// The checkpoint governance installs: `header`'s state with its current sync committee and
/// `block_roots` root, each with its branch.
pub fn checkpoint(
	header: &BeaconBlockHeader,
	state: &StateProver,
) -> Result<CheckpointUpdate, Error> {
	state.ensure_header_matches(header)?;
	Ok(CheckpointUpdate {
		header: snowbridge_header(header),
		current_sync_committee: snowbridge_committee(state.current_sync_committee()),
		current_sync_committee_branch: state.field_branch(fields::CURRENT_SYNC_COMMITTEE),
		validators_root: state.genesis_validators_root(),
		block_roots_root: field_root(state, fields::BLOCK_ROOTS),
		block_roots_branch: state.field_branch(fields::BLOCK_ROOTS),
	})
}

fn field_root(state: &StateProver, field: usize) -> Root {
	state.field_root(field).expect("every supported layout has the light-client fields")
}

/// What the sync committee signed: where, and over which parent.
#[derive(Clone, Debug, PartialEq)]
pub struct SignedBlock {
	/// Slot of the block carrying the aggregate (`signature_slot`).
	pub slot: u64,
	/// Its parent's root: the attested header's root.
	pub parent_root: Root,
	pub aggregate: Aggregate,
}

/// Reads the `sync_aggregate` of a block as `/eth/v2/beacon/blocks/{id}` returns it (JSON).
pub fn signed_block_from_json(block: &serde_json::Value) -> Result<SignedBlock, Error> {
	let message = block
		.pointer("/data/message")
		.or_else(|| block.pointer("/message"))
		.ok_or_else(|| Error::BlockJson("no `message`".into()))?;
	let text = |pointer: &str| {
		message
			.pointer(pointer)
			.and_then(serde_json::Value::as_str)
			.ok_or_else(|| Error::BlockJson(format!("no string at {pointer}")))
	};
	let slot = text("/slot")?.parse::<u64>().map_err(|e| Error::BlockJson(format!("slot: {e}")))?;
	let parent_root: [u8; 32] = hex_bytes(text("/parent_root")?, "parent_root")?;
	let bits: [u8; SYNC_COMMITTEE_BITS_SIZE] =
		hex_bytes(text("/body/sync_aggregate/sync_committee_bits")?, "sync_committee_bits")?;
	let signature: [u8; 96] = hex_bytes(
		text("/body/sync_aggregate/sync_committee_signature")?,
		"sync_committee_signature",
	)?;
	Ok(SignedBlock {
		slot,
		parent_root: Root::from(parent_root),
		aggregate: Aggregate {
			sync_committee_bits: bits,
			sync_committee_signature: Signature(signature),
		},
	})
}

fn hex_bytes<const N: usize>(text: &str, what: &str) -> Result<[u8; N], Error> {
	let bytes = alloy_primitives::hex::decode(text)
		.map_err(|e| Error::BlockJson(format!("{what}: {e}")))?;
	bytes
		.try_into()
		.map_err(|b: Vec<u8>| Error::BlockJson(format!("{what}: {} bytes, expected {N}", b.len())))
}

/// The inputs of one finality update.
pub struct UpdateInputs<'a> {
	/// The header the sync committee signed, and its state.
	pub attested: (&'a BeaconBlockHeader, &'a StateProver),
	/// The header the attested state holds as finalized, and its state.
	pub finalized: (&'a BeaconBlockHeader, &'a StateProver),
	/// The child of the attested block, carrying the signature.
	pub signed: &'a SignedBlock,
	/// Include the attested state's next sync committee (needed once per period).
	pub with_next_sync_committee: bool,
}

/// A finality update for Snowbridge's `submit`, every branch built from the states and every
/// link (state roots, finalized root, signed parent) checked before it is returned.
pub fn update(inputs: UpdateInputs<'_>) -> Result<Update, Error> {
	let (attested_header, attested_state) = inputs.attested;
	let (finalized_header, finalized_state) = inputs.finalized;
	attested_state.ensure_header_matches(attested_header)?;
	finalized_state.ensure_header_matches(finalized_header)?;
	let (_, expected) = attested_state.finalized_checkpoint();
	let found = finalized_header.hash_tree_root();
	if expected != found {
		return Err(Error::NotTheFinalizedHeader { expected, found });
	}
	let attested_root = attested_header.hash_tree_root();
	if inputs.signed.parent_root != attested_root {
		return Err(Error::NotTheAttestedHeader {
			attested: attested_root,
			parent: inputs.signed.parent_root,
		});
	}
	let next_sync_committee_update =
		inputs.with_next_sync_committee.then(|| NextSyncCommitteeUpdate {
			next_sync_committee: snowbridge_committee(attested_state.next_sync_committee()),
			next_sync_committee_branch: attested_state.field_branch(fields::NEXT_SYNC_COMMITTEE),
		});
	Ok(Update {
		attested_header: snowbridge_header(attested_header),
		sync_aggregate: inputs.signed.aggregate.clone(),
		signature_slot: inputs.signed.slot,
		next_sync_committee_update,
		finalized_header: snowbridge_header(finalized_header),
		finality_branch: attested_state.finality_branch(),
		block_roots_root: field_root(finalized_state, fields::BLOCK_ROOTS),
		block_roots_branch: finalized_state.field_branch(fields::BLOCK_ROOTS),
	})
}
