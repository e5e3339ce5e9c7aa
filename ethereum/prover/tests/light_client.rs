//! Light-client messages built from the real Sepolia states: every branch proves what Snowbridge
//! will check, and inconsistent inputs (the wrong header, state or signed block) are refused
//! before anything could be submitted, and so is an update whose branches or BLS signature the
//! chain would reject. The runtime's tests run Snowbridge's pallet itself on these messages.

use ballast_ethereum_proofs::{
	fork::{ForkSchedule, SEPOLIA_GENESIS_VALIDATORS_ROOT},
	merkle::{verify_branch, Root},
};
use ballast_ethereum_prover::{
	fixtures,
	light_client::{self, signed_block_from_json, Refusal, UpdateInputs},
	Error, StateProver,
};
use std::{collections::BTreeMap, sync::OnceLock};

fn state(slot: u64) -> &'static StateProver {
	static STATES: OnceLock<BTreeMap<u64, StateProver>> = OnceLock::new();
	let states = STATES.get_or_init(|| {
		[4_570_752, 4_570_816, 4_571_072, 4_571_136]
			.into_iter()
			.map(|slot| (slot, fixtures::sepolia_prover(slot)))
			.collect()
	});
	&states[&slot]
}

fn step_one(with_next_sync_committee: bool) -> Result<light_client::Update, Error> {
	let signed = signed_block_from_json(&fixtures::sepolia_block(4_570_818)).expect("real block");
	light_client::update(UpdateInputs {
		attested: (&fixtures::sepolia_header(4_570_816), state(4_570_816)),
		finalized: (&fixtures::sepolia_header(4_570_752), state(4_570_752)),
		signed: &signed,
		with_next_sync_committee,
		forks: &ForkSchedule::sepolia(),
	})
}

#[test]
fn checkpoint_branches_prove_against_the_header_state_root() {
	let header = fixtures::sepolia_header(4_570_752);
	let checkpoint = light_client::checkpoint(&header, state(4_570_752)).expect("consistent");
	assert_eq!(checkpoint.validators_root, Root::from(SEPOLIA_GENESIS_VALIDATORS_ROOT));
	assert_eq!(checkpoint.header.slot, 4_570_752);
	let committee = state(4_570_752).current_sync_committee();
	assert_eq!(committee.pubkeys.len(), 512);
	assert_eq!(checkpoint.current_sync_committee.pubkeys[511].0, committee.pubkeys[511]);
	// Deneb gindices: current_sync_committee 54, block_roots 37.
	let committee_root = state(4_570_752).field_root(22).expect("field");
	verify_branch(committee_root, &checkpoint.current_sync_committee_branch, 54, header.state_root)
		.expect("sync committee branch");
	verify_branch(
		checkpoint.block_roots_root,
		&checkpoint.block_roots_branch,
		37,
		header.state_root,
	)
	.expect("block_roots branch");
}

#[test]
fn update_links_attested_finalized_and_signed_blocks() {
	let update = step_one(true).expect("the real blocks are consistent");
	let attested = fixtures::sepolia_header(4_570_816);
	let finalized = fixtures::sepolia_header(4_570_752);
	assert_eq!(update.signature_slot, 4_570_818);
	assert_eq!(update.attested_header.slot, 4_570_816);
	assert_eq!(update.finalized_header.slot, 4_570_752);
	// finalized_checkpoint.root is gindex 105 of a Deneb state, next_sync_committee 55.
	verify_branch(finalized.hash_tree_root(), &update.finality_branch, 105, attested.state_root)
		.expect("finality branch");
	let next = update.next_sync_committee_update.as_ref().expect("requested");
	let next_root = state(4_570_816).field_root(23).expect("field");
	verify_branch(next_root, &next.next_sync_committee_branch, 55, attested.state_root)
		.expect("next sync committee branch");
	verify_branch(update.block_roots_root, &update.block_roots_branch, 37, finalized.state_root)
		.expect("block_roots branch of the finalized state");
	// The committee announced in period 557 is the one signing in period 558 (4571136 is the
	// first slot of period 558): the rotation the update installs is the real one.
	assert_eq!(state(4_570_816).next_sync_committee(), state(4_571_136).current_sync_committee());
	assert_eq!(4_571_136 / 8192, 558);
}

#[test]
fn inconsistent_inputs_are_refused_before_submission() {
	let signed = signed_block_from_json(&fixtures::sepolia_block(4_570_818)).expect("real block");
	let attested = fixtures::sepolia_header(4_570_816);
	let finalized = fixtures::sepolia_header(4_570_752);

	// A header with another state root than its state (e.g. a provider's wrong header).
	let mut forged = finalized;
	forged.state_root.0[0] ^= 1;
	assert!(matches!(
		light_client::checkpoint(&forged, state(4_570_752)),
		Err(Error::StateRootMismatch { slot: 4_570_752, .. })
	));

	// A finalized header the attested state does not hold as finalized.
	let result = light_client::update(UpdateInputs {
		attested: (&attested, state(4_570_816)),
		finalized: (&fixtures::sepolia_header(4_571_072), state(4_571_072)),
		signed: &signed,
		with_next_sync_committee: false,
		forks: &ForkSchedule::sepolia(),
	});
	assert!(matches!(result, Err(Error::NotTheFinalizedHeader { .. })), "{result:?}");

	// A signature over another block.
	let other = signed_block_from_json(&fixtures::sepolia_block(4_571_137)).expect("real block");
	let result = light_client::update(UpdateInputs {
		attested: (&attested, state(4_570_816)),
		finalized: (&finalized, state(4_570_752)),
		signed: &other,
		with_next_sync_committee: false,
		forks: &ForkSchedule::sepolia(),
	});
	assert!(matches!(result, Err(Error::NotTheAttestedHeader { .. })), "{result:?}");

	// The fixture file named after slot 4571137 holds the block of slot 4571136, whose aggregate
	// signs that block's parent, not 4571136: the builder notices.
	assert_eq!(other.slot, 4_571_136);
	let result = light_client::update(UpdateInputs {
		attested: (&fixtures::sepolia_header(4_571_136), state(4_571_136)),
		finalized: (&fixtures::sepolia_header(4_571_072), state(4_571_072)),
		signed: &other,
		with_next_sync_committee: false,
		forks: &ForkSchedule::sepolia(),
	});
	assert!(matches!(result, Err(Error::NotTheAttestedHeader { .. })), "{result:?}");

	// A block whose JSON lost its aggregate, or carries a truncated signature.
	let mut block = fixtures::sepolia_block(4_570_818);
	block["data"]["message"]["body"]["sync_aggregate"]["sync_committee_signature"] =
		serde_json::json!("0x1234");
	assert!(matches!(signed_block_from_json(&block), Err(Error::BlockJson(_))));
	block["data"]["message"]["body"].as_object_mut().expect("object").remove("sync_aggregate");
	assert!(matches!(signed_block_from_json(&block), Err(Error::BlockJson(_))));
}

#[test]
fn the_real_signature_verifies_and_any_change_is_refused() {
	let update = step_one(false).expect("the real blocks are consistent");
	let signers = state(4_570_816).current_sync_committee();
	let forks = ForkSchedule::sepolia();
	let network = Root::from(SEPOLIA_GENESIS_VALIDATORS_ROOT);
	light_client::verify_update(&update, signers, &forks, network).expect("real signature");

	// Another network's domain, a flipped signature bit, a member claimed who did not sign.
	assert_eq!(
		light_client::verify_update(&update, signers, &forks, Root::repeat_byte(1)),
		Err(Refusal::InvalidSignature)
	);
	let mut forged = update.clone();
	forged.sync_aggregate.sync_committee_signature.0[10] ^= 1;
	assert_eq!(
		light_client::verify_update(&forged, signers, &forks, network),
		Err(Refusal::InvalidSignature)
	);
	let mut forged = update.clone();
	let absent = forged.sync_aggregate.sync_committee_bits.iter().position(|byte| *byte != 0xff);
	let byte = absent.expect("477 of 512 signed: someone was absent");
	forged.sync_aggregate.sync_committee_bits[byte] = 0xff;
	assert_eq!(
		light_client::verify_update(&forged, signers, &forks, network),
		Err(Refusal::InvalidSignature)
	);

	// Too few members: refused before any pairing is computed.
	let mut forged = update.clone();
	forged.sync_aggregate.sync_committee_bits[..22].fill(0);
	assert!(matches!(
		light_client::verify_update(&forged, signers, &forks, network),
		Err(Refusal::TooFewParticipants { .. })
	));

	// A wrong sibling in each branch, and slots out of order.
	let mut forged = update.clone();
	forged.finality_branch[3].0[0] ^= 1;
	assert_eq!(
		light_client::verify_update(&forged, signers, &forks, network),
		Err(Refusal::InvalidBranch("finality"))
	);
	let mut forged = update.clone();
	forged.block_roots_branch[0].0[0] ^= 1;
	assert_eq!(
		light_client::verify_update(&forged, signers, &forks, network),
		Err(Refusal::InvalidBranch("block roots"))
	);
	let mut forged = step_one(true).expect("consistent");
	let next = forged.next_sync_committee_update.as_mut().expect("requested");
	next.next_sync_committee.pubkeys[0].0[0] ^= 1;
	assert_eq!(
		light_client::verify_update(&forged, signers, &forks, network),
		Err(Refusal::InvalidBranch("next sync committee"))
	);
	let mut forged = update;
	forged.signature_slot = forged.attested_header.slot;
	assert!(matches!(
		light_client::verify_update(&forged, signers, &forks, network),
		Err(Refusal::SlotsOutOfOrder { .. })
	));
}

#[test]
fn a_checkpoint_with_a_changed_committee_is_refused() {
	let checkpoint =
		light_client::checkpoint(&fixtures::sepolia_header(4_570_752), state(4_570_752))
			.expect("consistent");
	let forks = ForkSchedule::sepolia();
	light_client::verify_checkpoint(&checkpoint, &forks).expect("real checkpoint");
	let mut forged = checkpoint.clone();
	forged.current_sync_committee.aggregate_pubkey.0[5] ^= 1;
	assert_eq!(
		light_client::verify_checkpoint(&forged, &forks),
		Err(Refusal::InvalidBranch("current sync committee"))
	);
	let mut forged = checkpoint;
	forged.block_roots_root.0[0] ^= 1;
	assert_eq!(
		light_client::verify_checkpoint(&forged, &forks),
		Err(Refusal::InvalidBranch("block roots"))
	);
}
