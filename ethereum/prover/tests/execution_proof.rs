//! Execution proofs of real Sepolia beacon blocks: every body field hashed to the header's real
//! `body_root`, the block's root found in a later finalized state's `block_roots`, and the whole
//! `ExecutionProof` accepted by Snowbridge's `ethereum-client` pallet itself (in a minimal
//! runtime) — and refused by it, and by the prover's own check, when anything is wrong.

use ballast_ethereum_proofs::{merkle::Root, tree::container_branch, Fork};
use ballast_ethereum_prover::{
	ancestry::{verify_execution_proof, ExecutionProofRefusal, FinalizedBlockRoots},
	beacon_block::BeaconBlock,
	fixtures, Error, StateProver,
};
use snowbridge_beacon_primitives::{
	AncestryProof, CompactBeaconState, ExecutionProof, VersionedExecutionPayloadHeader,
};
use std::sync::OnceLock;

/// A block whose finalized descendant's state (4571072) the fixtures hold.
const BLOCK: u64 = 4_570_818;
/// The fixture file named after slot 4571137 holds the block of slot 4571136 (its `slot` says
/// so, and its root is header 4571137's `parent_root`): the last finalized header the fixtures
/// hold, after the state of 4571072.
const LATER_BLOCK_FILE: u64 = 4_571_137;
const LATER_BLOCK: u64 = 4_571_136;
const FINALIZED: u64 = 4_571_072;
const LATER_FINALIZED: u64 = 4_571_136;

/// The block in fixture file `block_by_slot_<file>.json`.
fn block(file: u64) -> BeaconBlock {
	BeaconBlock::from_json(&fixtures::sepolia_block(file)).expect("real blocks parse")
}

fn state(slot: u64) -> &'static StateProver {
	static FINALIZED_STATE: OnceLock<StateProver> = OnceLock::new();
	static LATER_STATE: OnceLock<StateProver> = OnceLock::new();
	match slot {
		FINALIZED => FINALIZED_STATE.get_or_init(|| fixtures::sepolia_prover(FINALIZED)),
		LATER_FINALIZED => LATER_STATE.get_or_init(|| fixtures::sepolia_prover(LATER_FINALIZED)),
		other => panic!("no cached state {other}"),
	}
}

fn anchor(slot: u64) -> FinalizedBlockRoots {
	FinalizedBlockRoots::new(&fixtures::sepolia_header(slot), state(slot))
		.expect("the fixture header is its state's")
}

/// Snowbridge's own pallet in a runtime of its own, its storage set as after importing the
/// finalized headers given.
mod pallet {
	use super::*;
	use frame_support::{construct_runtime, derive_impl, parameter_types};
	use snowbridge_beacon_primitives::{Fork as SnowbridgeFork, ForkVersions};
	use snowbridge_pallet_ethereum_client::{FinalizedBeaconState, LatestFinalizedBlockRoot};
	use snowbridge_verification_primitives::{Log, Proof, VerificationError, Verifier};

	type Block = frame_system::mocking::MockBlock<Test>;

	construct_runtime!(
		pub enum Test {
			System: frame_system,
			EthereumClient: snowbridge_pallet_ethereum_client,
		}
	);

	#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
	impl frame_system::Config for Test {
		type Block = Block;
	}

	const fn fork(version: [u8; 4], epoch: u64) -> SnowbridgeFork {
		SnowbridgeFork { version, epoch }
	}

	parameter_types! {
		// Sepolia's schedule; the execution-proof check reads none of it.
		pub const SepoliaForks: ForkVersions = ForkVersions {
			genesis: fork([0x90, 0, 0, 0x69], 0),
			altair: fork([0x90, 0, 0, 0x70], 50),
			bellatrix: fork([0x90, 0, 0, 0x71], 100),
			capella: fork([0x90, 0, 0, 0x72], 56_832),
			deneb: fork([0x90, 0, 0, 0x73], 132_608),
			electra: fork([0x90, 0, 0, 0x74], 222_464),
			fulu: fork([0x90, 0, 0, 0x75], 272_640),
		};
		pub const FreeHeadersInterval: u32 = 32;
	}

	impl snowbridge_pallet_ethereum_client::Config for Test {
		type RuntimeEvent = RuntimeEvent;
		type ForkVersions = SepoliaForks;
		type FreeHeadersInterval = FreeHeadersInterval;
		type WeightInfo = ();
	}

	/// What the pallet answers for `proof` once it has imported `stored` (the last one being its
	/// latest finalized header): `Ok` when it accepts the execution proof. The receipt proof is
	/// empty, so an accepted execution proof goes on to fail as `InvalidProof`, and a refused
	/// one fails first with the pallet error's name.
	pub fn verify(
		proof: &ExecutionProof,
		stored: &[(Root, CompactBeaconState)],
	) -> Result<(), &'static str> {
		sp_io::TestExternalities::default().execute_with(|| {
			for (root, state) in stored {
				FinalizedBeaconState::<Test>::insert(root, *state);
				LatestFinalizedBlockRoot::<Test>::put(root);
			}
			let log =
				Log { address: Default::default(), topics: vec![], data: vec![], tx_index: 0 };
			let proof = Proof { receipt_proof: vec![], execution_proof: proof.clone() };
			match <EthereumClient as Verifier>::verify(&log, &proof) {
				Err(VerificationError::InvalidProof) => Ok(()),
				Err(VerificationError::InvalidExecutionProof(error)) => Err(error),
				other => panic!("unexpected answer {other:?}"),
			}
		})
	}

	/// The pallet's answer with `finalized` as its only (and so latest) finalized header.
	pub fn verify_under(
		proof: &ExecutionProof,
		finalized: &FinalizedBlockRoots,
	) -> Result<(), &'static str> {
		verify(proof, &[(finalized.block_root(), finalized.stored_state())])
	}
}

/// Both the prover's check and the pallet's give `expected` for `proof` under `finalized`.
fn assert_both(
	proof: &ExecutionProof,
	finalized: &FinalizedBlockRoots,
	expected: Result<(), ExecutionProofRefusal>,
) {
	assert_eq!(finalized.verify(proof), expected, "the prover's check");
	let pallet_expected = expected.map_err(|refusal| format!("{refusal:?}"));
	assert_eq!(
		pallet::verify_under(proof, finalized).map_err(str::to_owned),
		pallet_expected,
		"the pallet's check"
	);
}

#[test]
fn real_blocks_hash_to_their_headers_body_root() {
	for (file, slot) in [(BLOCK, BLOCK), (LATER_BLOCK_FILE, LATER_BLOCK)] {
		let block = block(file);
		let header = fixtures::sepolia_header(slot);
		assert_eq!(block.header.slot, slot, "the block in file {file}");
		assert_eq!(block.fork, Fork::Deneb);
		assert_eq!(block.body_field_roots.len(), 12);
		assert_eq!(block.header.body_root, header.body_root, "body root of {slot}");
		assert_eq!(block.header, header, "header of {slot}");
		assert_eq!(block.block_root(), header.hash_tree_root());
	}
}

#[test]
fn real_block_roots_are_what_their_chain_records() {
	// Block 4571136's child, 4571137, names it as its parent.
	assert_eq!(
		block(LATER_BLOCK_FILE).block_root(),
		fixtures::sepolia_header(4_571_137).parent_root
	);
	// Block 4570818's child is not in the fixtures; the later states' `block_roots` record its
	// root instead.
	let root = block(BLOCK).block_root();
	for slot in [FINALIZED, LATER_FINALIZED] {
		assert_eq!(anchor(slot).block_root_at(BLOCK), Some(root), "state {slot}");
	}
}

#[test]
fn execution_header_is_the_real_payloads() {
	let json = fixtures::sepolia_block(BLOCK);
	let payload = &json["data"]["message"]["body"]["execution_payload"];
	let VersionedExecutionPayloadHeader::Deneb(header) = block(BLOCK).execution_header else {
		panic!("a Deneb block has a Deneb payload header");
	};
	let hex = |field: &str| payload[field].as_str().unwrap().to_lowercase();
	assert_eq!(format!("{:?}", header.block_hash), hex("block_hash"));
	assert_eq!(format!("{:?}", header.receipts_root), hex("receipts_root"));
	assert_eq!(format!("{:?}", header.fee_recipient), hex("fee_recipient"));
	assert_eq!(header.block_number.to_string(), payload["block_number"].as_str().unwrap());
	assert_eq!(header.base_fee_per_gas.to_string(), payload["base_fee_per_gas"].as_str().unwrap());
	assert_eq!(header.logs_bloom.len(), 256);
}

#[test]
fn execution_proof_through_a_finalized_states_block_roots_verifies() {
	let finalized = anchor(FINALIZED);
	let block = block(BLOCK);
	let proof = finalized.execution_proof(&block).expect("4570818 is 254 slots before 4571072");
	let ancestry = proof.ancestry_proof.as_ref().expect("the block is not the finalized one");
	assert_eq!(ancestry.header_branch.len(), 13);
	assert_eq!(ancestry.finalized_block_root, fixtures::sepolia_header(FINALIZED).hash_tree_root());
	assert_eq!(proof.execution_branch.len(), 4);
	assert_eq!(proof.header.body_root, fixtures::sepolia_header(BLOCK).body_root);
	assert_eq!(finalized.block_roots_root(), state(FINALIZED).field_root(5).unwrap());
	assert_both(&proof, &finalized, Ok(()));
}

#[test]
fn tampered_execution_header_is_refused() {
	let finalized = anchor(FINALIZED);
	let mut proof = finalized.execution_proof(&block(BLOCK)).unwrap();
	let VersionedExecutionPayloadHeader::Deneb(header) = &mut proof.execution_header else {
		unreachable!()
	};
	header.receipts_root.0[0] ^= 1;
	assert_both(&proof, &finalized, Err(ExecutionProofRefusal::InvalidExecutionHeaderProof));
}

#[test]
fn tampered_beacon_header_is_refused() {
	let finalized = anchor(FINALIZED);
	let mut proof = finalized.execution_proof(&block(BLOCK)).unwrap();
	proof.header.proposer_index += 1;
	assert_both(&proof, &finalized, Err(ExecutionProofRefusal::InvalidAncestryMerkleProof));
}

#[test]
fn ancestry_branch_of_another_slot_is_refused() {
	let finalized = anchor(FINALIZED);
	let block = block(BLOCK);
	// A slot one epoch earlier holds another block, so its branch proves another leaf.
	let other_slot = BLOCK - 32;
	assert_ne!(finalized.block_root_at(other_slot), Some(block.block_root()));
	assert!(matches!(
		finalized.ancestry_proof(other_slot, block.block_root()),
		Err(Error::NotAnAncestor { slot: 4_570_786, .. })
	));
	let mut proof = finalized.execution_proof(&block).unwrap();
	proof.ancestry_proof.as_mut().unwrap().header_branch =
		container_branch(state(FINALIZED).block_roots(), 13, (other_slot % 8192) as usize);
	assert_both(&proof, &finalized, Err(ExecutionProofRefusal::InvalidAncestryMerkleProof));
	// The header moved to another slot no longer hashes to the root the branch proves.
	let mut proof = finalized.execution_proof(&block).unwrap();
	proof.header.slot = other_slot;
	assert_both(&proof, &finalized, Err(ExecutionProofRefusal::InvalidAncestryMerkleProof));
}

#[test]
fn ancestry_branch_from_another_state_is_refused() {
	let finalized = anchor(FINALIZED);
	let later = anchor(LATER_FINALIZED);
	let block = block(BLOCK);
	// The later state holds the block too, but its block_roots differ (256 more slots).
	let later_proof = later.execution_proof(&block).expect("4570818 is before 4571136");
	assert_both(&later_proof, &later, Ok(()));
	let mut proof = later_proof.clone();
	proof.ancestry_proof.as_mut().unwrap().finalized_block_root = finalized.block_root();
	assert_both(&proof, &finalized, Err(ExecutionProofRefusal::InvalidAncestryMerkleProof));
	// Naming the later header, which the light client has not imported, is refused too.
	assert_eq!(
		finalized.verify(&later_proof),
		Err(ExecutionProofRefusal::ExpectedFinalizedHeaderNotStored)
	);
	assert_eq!(
		pallet::verify(&later_proof, &[(finalized.block_root(), finalized.stored_state())]),
		Err("ExpectedFinalizedHeaderNotStored")
	);
	// With both imported, the pallet takes the later anchor's proof and the earlier's alike.
	let both = [
		(finalized.block_root(), finalized.stored_state()),
		(later.block_root(), later.stored_state()),
	];
	assert_eq!(pallet::verify(&later_proof, &both), Ok(()));
	assert_eq!(pallet::verify(&finalized.execution_proof(&block).unwrap(), &both), Ok(()));
}

#[test]
fn block_after_the_finalized_state_is_refused() {
	let finalized = anchor(FINALIZED);
	let block = block(LATER_BLOCK_FILE);
	assert!(matches!(
		finalized.execution_proof(&block),
		Err(Error::SlotOutsideBlockRoots { slot: LATER_BLOCK, finalized_slot: FINALIZED })
	));
	// Sent anyway, with any branch, the light client refuses it before looking at the branch.
	let proof = ExecutionProof {
		header: block.snowbridge_header(),
		ancestry_proof: Some(AncestryProof {
			header_branch: container_branch(state(FINALIZED).block_roots(), 13, 0),
			finalized_block_root: finalized.block_root(),
		}),
		execution_header: block.execution_header.clone(),
		execution_branch: block.execution_branch.clone(),
	};
	assert_both(&proof, &finalized, Err(ExecutionProofRefusal::HeaderNotFinalized));
	// Also when the latest finalized header is later than the block but the one named is not.
	let later = anchor(LATER_FINALIZED);
	let stored = |root: Root| {
		[&finalized, &later]
			.into_iter()
			.find(|f| f.block_root() == root)
			.map(FinalizedBlockRoots::stored_state)
	};
	assert_eq!(
		verify_execution_proof(&proof, LATER_BLOCK + 100, stored),
		Err(ExecutionProofRefusal::HeaderNotFinalized)
	);
	let both = [
		(finalized.block_root(), finalized.stored_state()),
		(later.block_root(), later.stored_state()),
	];
	assert_eq!(pallet::verify(&proof, &both), Err("HeaderNotFinalized"));
}

#[test]
fn finalized_block_itself_is_proven_without_ancestry() {
	let finalized = anchor(LATER_FINALIZED);
	let block = block(LATER_BLOCK_FILE);
	assert_eq!(block.block_root(), finalized.block_root());
	let proof = finalized.execution_proof(&block).expect("the finalized block itself");
	assert_eq!(proof.ancestry_proof, None);
	assert_both(&proof, &finalized, Ok(()));
	// The light client has imported only the earlier header: refused.
	let earlier = anchor(FINALIZED);
	assert_eq!(earlier.verify(&proof), Err(ExecutionProofRefusal::HeaderNotFinalized));
	assert_eq!(
		pallet::verify(&proof, &[(earlier.block_root(), earlier.stored_state())]),
		Err("HeaderNotFinalized")
	);
}

#[test]
fn block_stored_as_finalized_needs_no_ancestry_proof() {
	let block = block(BLOCK);
	let proof = ExecutionProof {
		header: block.snowbridge_header(),
		ancestry_proof: None,
		execution_header: block.execution_header.clone(),
		execution_branch: block.execution_branch.clone(),
	};
	// As if the light client had imported block 4570818 itself as a finalized header.
	let stored_state = CompactBeaconState { slot: BLOCK, block_roots_root: Root::repeat_byte(7) };
	let imported = [(block.block_root(), stored_state)];
	let lookup = |root: Root| (root == block.block_root()).then_some(stored_state);
	assert_eq!(verify_execution_proof(&proof, BLOCK, lookup), Ok(()));
	assert_eq!(pallet::verify(&proof, &imported), Ok(()));
	// Not imported: refused.
	let other = [(Root::repeat_byte(1), CompactBeaconState { slot: BLOCK + 10, ..stored_state })];
	assert_eq!(
		verify_execution_proof(&proof, BLOCK + 10, |_| None),
		Err(ExecutionProofRefusal::ExpectedFinalizedHeaderNotStored)
	);
	assert_eq!(pallet::verify(&proof, &other), Err("ExpectedFinalizedHeaderNotStored"));
}

#[test]
fn finalized_block_roots_refuse_another_headers_state() {
	let header = fixtures::sepolia_header(FINALIZED);
	assert!(matches!(
		FinalizedBlockRoots::new(&header, state(LATER_FINALIZED)),
		Err(Error::StateRootMismatch { .. })
	));
}
