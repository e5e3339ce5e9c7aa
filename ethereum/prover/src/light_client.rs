//! Light-client messages for Snowbridge's `ethereum-client` pallet, built from full beacon states.
//!
//! The beacon API's `light_client/*` endpoints give finality and sync-committee branches but not
//! the `block_roots` branch Snowbridge also verifies, and providers have served wrong branches:
//! building every branch from the states themselves (and checking each header against its state)
//! avoids both problems.

use crate::{fields, Error, StateProver, SyncCommitteeKeys};
use ballast_ethereum_proofs::{
	consensus::{SLOTS_PER_EPOCH, SLOTS_PER_HISTORICAL_ROOT, SLOTS_PER_SYNC_COMMITTEE_PERIOD},
	fork::{Fork, ForkSchedule},
	merkle::verify_branch,
	BeaconBlockHeader, Root,
};
use snowbridge_beacon_primitives::{
	bls::prepare_milagro_pubkey,
	decompress_sync_committee_bits, fast_aggregate_verify, prepare_g1_pubkeys,
	types::{
		BeaconHeader, ForkData, PublicKey, Signature, SigningData, SyncAggregate, SyncCommittee,
	},
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

/// How far Snowbridge lets a finalized header move in one update (`SLOTS_PER_HISTORICAL_ROOT`):
/// farther, and the ancestry proofs for the slots in between would be lost.
pub const MAX_FINALIZED_GAP: u64 = SLOTS_PER_HISTORICAL_ROOT;
/// `DOMAIN_SYNC_COMMITTEE`.
const DOMAIN_SYNC_COMMITTEE: [u8; 4] = [7, 0, 0, 0];

/// The sync-committee period of `slot`.
pub const fn period_of(slot: u64) -> u64 {
	slot / SLOTS_PER_SYNC_COMMITTEE_PERIOD
}

/// A light-client message that the chain would refuse, found before it was sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
	/// Fewer than two thirds of the sync committee signed.
	#[error("{participants} of 512 sync-committee members signed; at least 342 are needed")]
	TooFewParticipants {
		/// Members whose participation bit is set.
		participants: u32,
	},
	/// The slots do not satisfy finalized ≤ attested < signature.
	#[error(
		"slots out of order: finalized {finalized}, attested {attested}, signature {signature}"
	)]
	SlotsOutOfOrder {
		/// Slot of the finalized header.
		finalized: u64,
		/// Slot of the attested header.
		attested: u64,
		/// Slot of the block carrying the sync aggregate.
		signature: u64,
	},
	/// The slot (given) is in no fork whose state layout is known.
	#[error("the slot {0} belongs to no supported fork")]
	UnsupportedFork(u64),
	/// The named branch does not prove its leaf against the header's state root.
	#[error("the {0} branch does not lead to its state root")]
	InvalidBranch(&'static str),
	/// The sync committee's aggregate signature over the attested header does not verify.
	#[error("the sync committee's signature does not verify")]
	InvalidSignature,
}

fn layout_depth(forks: &ForkSchedule, slot: u64) -> Result<u32, Refusal> {
	let fork: Fork = forks.fork_at_slot(slot).map_err(|_| Refusal::UnsupportedFork(slot))?;
	Ok(fork.state_layout().depth)
}

fn check_field(
	depth: u32,
	state_root: Root,
	field: usize,
	leaf: Root,
	branch: &[Root],
	what: &'static str,
) -> Result<(), Refusal> {
	let gindex = (1u64 << depth) + field as u64;
	verify_branch(leaf, branch, gindex, state_root).map_err(|_| Refusal::InvalidBranch(what))
}

fn committee_root(committee: &SyncCommittee<SYNC_COMMITTEE_SIZE>) -> Result<Root, Refusal> {
	committee.hash_tree_root().map_err(|_| Refusal::InvalidBranch("sync committee"))
}

fn header_root(header: &BeaconHeader) -> Root {
	BeaconBlockHeader {
		slot: header.slot,
		proposer_index: header.proposer_index,
		parent_root: header.parent_root,
		state_root: header.state_root,
		body_root: header.body_root,
	}
	.hash_tree_root()
}

/// Checks a checkpoint's branches (committee and `block_roots`) against its header's state root.
pub fn verify_checkpoint(
	checkpoint: &CheckpointUpdate,
	forks: &ForkSchedule,
) -> Result<(), Refusal> {
	verify_checkpoint_at_depth(checkpoint, layout_depth(forks, checkpoint.header.slot)?)
}

fn verify_checkpoint_at_depth(checkpoint: &CheckpointUpdate, depth: u32) -> Result<(), Refusal> {
	let header = &checkpoint.header;
	check_field(
		depth,
		header.state_root,
		fields::CURRENT_SYNC_COMMITTEE,
		committee_root(&checkpoint.current_sync_committee)?,
		&checkpoint.current_sync_committee_branch,
		"current sync committee",
	)?;
	check_field(
		depth,
		header.state_root,
		fields::BLOCK_ROOTS,
		checkpoint.block_roots_root,
		&checkpoint.block_roots_branch,
		"block roots",
	)
}

/// Checks everything in an update that the chain checks without its own storage: participation,
/// slot order, the finality, `block_roots` and next-committee branches, and the BLS signature of
/// `signers` (the committee of the signature slot's period) over the attested header. What
/// depends on the chain's state (which period it is in, gaps) the caller decides.
pub fn verify_update(
	update: &Update,
	signers: &SyncCommitteeKeys,
	forks: &ForkSchedule,
	genesis_validators_root: Root,
) -> Result<(), Refusal> {
	let participation = decompress_sync_committee_bits::<
		SYNC_COMMITTEE_SIZE,
		SYNC_COMMITTEE_BITS_SIZE,
	>(update.sync_aggregate.sync_committee_bits);
	let participants = participation.iter().map(|bit| u32::from(*bit)).sum::<u32>();
	if participants * 3 < SYNC_COMMITTEE_SIZE as u32 * 2 {
		return Err(Refusal::TooFewParticipants { participants });
	}
	let (finalized, attested) = (&update.finalized_header, &update.attested_header);
	if !(update.signature_slot > attested.slot && attested.slot >= finalized.slot) {
		return Err(Refusal::SlotsOutOfOrder {
			finalized: finalized.slot,
			attested: attested.slot,
			signature: update.signature_slot,
		});
	}
	// `finalized_checkpoint.root` is leaf 1 of the two-field checkpoint container.
	let finalized_root_gindex = ((1u64 << layout_depth(forks, attested.slot)?)
		+ fields::FINALIZED_CHECKPOINT as u64)
		* 2 + 1;
	verify_branch(
		header_root(finalized),
		&update.finality_branch,
		finalized_root_gindex,
		attested.state_root,
	)
	.map_err(|_| Refusal::InvalidBranch("finality"))?;
	check_field(
		layout_depth(forks, finalized.slot)?,
		finalized.state_root,
		fields::BLOCK_ROOTS,
		update.block_roots_root,
		&update.block_roots_branch,
		"block roots",
	)?;
	if let Some(next) = &update.next_sync_committee_update {
		check_field(
			layout_depth(forks, attested.slot)?,
			attested.state_root,
			fields::NEXT_SYNC_COMMITTEE,
			committee_root(&next.next_sync_committee)?,
			&next.next_sync_committee_branch,
			"next sync committee",
		)?;
	}
	verify_signature(update, &participation, signers, forks, genesis_validators_root)
}

fn verify_signature(
	update: &Update,
	participation: &[u8; SYNC_COMMITTEE_SIZE],
	signers: &SyncCommitteeKeys,
	forks: &ForkSchedule,
	genesis_validators_root: Root,
) -> Result<(), Refusal> {
	let epoch = update.signature_slot.saturating_sub(1) / SLOTS_PER_EPOCH;
	let version = [
		forks.fulu,
		forks.electra,
		forks.deneb,
		forks.capella,
		forks.bellatrix,
		forks.altair,
		forks.genesis,
	]
	.into_iter()
	.find(|fork| epoch >= fork.epoch)
	.map_or(forks.genesis.version, |fork| fork.version);
	let fork_data_root =
		ForkData { current_version: version, genesis_validators_root: genesis_validators_root.0 }
			.hash_tree_root()
			.map_err(|_| Refusal::InvalidSignature)?;
	let mut domain = [0u8; 32];
	domain[..4].copy_from_slice(&DOMAIN_SYNC_COMMITTEE);
	domain[4..].copy_from_slice(&fork_data_root.0[..28]);
	let signing_root = SigningData {
		object_root: header_root(&update.attested_header),
		domain: Root::from(domain),
	}
	.hash_tree_root()
	.map_err(|_| Refusal::InvalidSignature)?;
	let absent: Vec<PublicKey> = signers
		.pubkeys
		.iter()
		.zip(participation)
		.filter(|(_, bit)| **bit == 0)
		.map(|(key, _)| PublicKey(*key))
		.collect();
	let absent = prepare_g1_pubkeys(&absent).map_err(|_| Refusal::InvalidSignature)?;
	let aggregate = prepare_milagro_pubkey(&PublicKey(signers.aggregate_pubkey))
		.map_err(|_| Refusal::InvalidSignature)?;
	fast_aggregate_verify(
		&aggregate,
		&absent,
		signing_root,
		&update.sync_aggregate.sync_committee_signature,
	)
	.map_err(|_| Refusal::InvalidSignature)
}

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
	let checkpoint = CheckpointUpdate {
		header: snowbridge_header(header),
		current_sync_committee: snowbridge_committee(state.current_sync_committee()),
		current_sync_committee_branch: state.field_branch(fields::CURRENT_SYNC_COMMITTEE),
		validators_root: state.genesis_validators_root(),
		block_roots_root: field_root(state, fields::BLOCK_ROOTS),
		block_roots_branch: state.field_branch(fields::BLOCK_ROOTS),
	};
	verify_checkpoint_at_depth(&checkpoint, state.fork().state_layout().depth)?;
	Ok(checkpoint)
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
	/// The sync committee's participation bits and aggregate signature.
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
	/// The network's fork schedule (for the signature's domain).
	pub forks: &'a ForkSchedule,
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
	let update = Update {
		attested_header: snowbridge_header(attested_header),
		sync_aggregate: inputs.signed.aggregate.clone(),
		signature_slot: inputs.signed.slot,
		next_sync_committee_update,
		finalized_header: snowbridge_header(finalized_header),
		finality_branch: attested_state.finality_branch(),
		block_roots_root: field_root(finalized_state, fields::BLOCK_ROOTS),
		block_roots_branch: finalized_state.field_branch(fields::BLOCK_ROOTS),
	};
	// The committee of the signature slot's period signed: the attested state's current one,
	// or its next one when the signature crossed into the next period.
	let signers = if period_of(update.signature_slot) == period_of(attested_header.slot) {
		attested_state.current_sync_committee()
	} else {
		attested_state.next_sync_committee()
	};
	verify_update(&update, signers, inputs.forks, attested_state.genesis_validators_root())?;
	Ok(update)
}
