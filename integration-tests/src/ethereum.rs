//! The Ethereum light client (Snowbridge) and the validator-health oracle in the real runtime, on
//! real Sepolia data: the governance checkpoint from state 4570752, the finality update signed in
//! block 4570818 (attested 4570816) with the next sync committee, the period-558 rotation, and
//! validator batches anchored in the light client's finalized header.

use super::{account, ext_from_preset};
use ballast_ethereum_proofs::{
	fork::{ForkSchedule, SEPOLIA_GENESIS_VALIDATORS_ROOT},
	merkle::{hash_pair, Root},
};
use ballast_ethereum_prover::{
	fixtures,
	light_client::{self, signed_block_from_json, CheckpointUpdate, Update, UpdateInputs},
	StateProver,
};
use ballast_primitives::{ethereum::FinalizedBeaconBlocks, AssetId};
use ballast_runtime::{
	EthereumBeaconClient, Runtime, RuntimeCall, RuntimeOrigin, System, ValidatorHealth,
};
use frame_support::{
	assert_ok,
	dispatch::{DispatchErrorWithPostInfo, Pays, PostDispatchInfo},
};
use snowbridge_pallet_ethereum_client as light_client_pallet;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::Dispatchable, DispatchError};
use std::{collections::BTreeMap, sync::OnceLock};

pub(super) const CHECKPOINT: u64 = 4_570_752;
const ATTESTED: u64 = 4_570_816;
const SIGNED: u64 = 4_570_818;
const LRT: AssetId = 100;

pub(super) fn state(slot: u64) -> &'static StateProver {
	static STATES: OnceLock<BTreeMap<u64, StateProver>> = OnceLock::new();
	&STATES.get_or_init(|| {
		[CHECKPOINT, ATTESTED, 4_571_072, 4_571_136]
			.into_iter()
			.map(|slot| (slot, fixtures::sepolia_prover(slot)))
			.collect()
	})[&slot]
}

pub(super) fn checkpoint() -> CheckpointUpdate {
	light_client::checkpoint(&fixtures::sepolia_header(CHECKPOINT), state(CHECKPOINT))
		.expect("consistent fixtures")
}

fn step_one() -> Update {
	let signed = signed_block_from_json(&fixtures::sepolia_block(SIGNED)).expect("real block");
	light_client::update(UpdateInputs {
		attested: (&fixtures::sepolia_header(ATTESTED), state(ATTESTED)),
		finalized: (&fixtures::sepolia_header(CHECKPOINT), state(CHECKPOINT)),
		signed: &signed,
		with_next_sync_committee: true,
		forks: &ForkSchedule::sepolia(),
	})
	.expect("consistent fixtures")
}

pub(super) fn force_checkpoint(
	update: CheckpointUpdate,
) -> Result<PostDispatchInfo, DispatchErrorWithPostInfo> {
	RuntimeCall::EthereumBeaconClient(light_client_pallet::Call::force_checkpoint {
		update: Box::new(update),
	})
	.dispatch(RuntimeOrigin::root())
}

fn submit(update: Update) -> Result<PostDispatchInfo, DispatchErrorWithPostInfo> {
	RuntimeCall::EthereumBeaconClient(light_client_pallet::Call::submit {
		update: Box::new(update),
	})
	.dispatch(RuntimeOrigin::signed(account(Sr25519Keyring::Bob)))
}

fn light_client_error(error: light_client_pallet::Error<Runtime>) -> DispatchError {
	error.into()
}

/// Runs `call` and checks it fails with `expected` and leaves every storage item as it was.
fn assert_rejected<R: std::fmt::Debug>(
	expected: DispatchError,
	call: impl FnOnce() -> Result<R, DispatchErrorWithPostInfo>,
) {
	let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
	let events = System::event_count();
	let result = call();
	assert_eq!(result.map_err(|e| e.error).err(), Some(expected));
	assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), before, "state changed");
	assert_eq!(System::event_count(), events, "events emitted");
}

fn block_root(slot: u64) -> Root {
	fixtures::sepolia_header(slot).hash_tree_root()
}

#[test]
fn the_light_client_follows_real_sepolia_finality() {
	ext_from_preset("development").execute_with(|| {
		// Nothing anchors before the checkpoint.
		assert_eq!(
			ballast_runtime::adapters::SnowbridgeFinalizedBlocks::genesis_validators_root(),
			None
		);

		// A signed account cannot install a checkpoint.
		let by_bob =
			RuntimeCall::EthereumBeaconClient(light_client_pallet::Call::force_checkpoint {
				update: Box::new(checkpoint()),
			})
			.dispatch(RuntimeOrigin::signed(account(Sr25519Keyring::Bob)));
		assert_eq!(by_bob.map_err(|e| e.error).err(), Some(DispatchError::BadOrigin));

		assert_ok!(force_checkpoint(checkpoint()));
		type Blocks = ballast_runtime::adapters::SnowbridgeFinalizedBlocks;
		assert_eq!(Blocks::finalized_slot(&block_root(CHECKPOINT)), Some(CHECKPOINT));
		assert_eq!(Blocks::genesis_validators_root(), Some(SEPOLIA_GENESIS_VALIDATORS_ROOT.into()));
		assert_eq!(Blocks::finalized_slot(&block_root(ATTESTED)), None);

		// Step 1: the committee of period 557 signed 4570816 (in block 4570818), whose state
		// finalized 4570752 and announces the committee of period 558. Bringing that committee
		// is progress, so the update is free.
		let info = submit(step_one()).expect("the real update verifies");
		assert_eq!(info.pays_fee, Pays::No);
		System::assert_has_event(
			light_client_pallet::Event::SyncCommitteeUpdated { period: 557 }.into(),
		);
		let next = light_client_pallet::NextSyncCommittee::<Runtime>::get();
		// The stored committee is the one that really signs period 558: state 4571136's own.
		assert_eq!(Some(next.root), state(4_571_136).field_root(22));

		// That committee's signature in block 4571136 (the first slot of period 558) over the
		// block's parent verifies against what the light client stored.
		let signed = signed_block_from_json(&fixtures::sepolia_block(4_571_137)).expect("block");
		assert_eq!(signed.slot, 4_571_136, "the fixture file holds the block of slot 4571136");
		let participation = snowbridge_beacon_primitives::decompress_sync_committee_bits::<512, 64>(
			signed.aggregate.sync_committee_bits,
		);
		let absent = participation
			.iter()
			.zip(next.pubkeys.iter())
			.filter(|(bit, _)| **bit == 0)
			.map(|(_, key)| key.clone())
			.collect::<Vec<_>>();
		let signing_root = sync_committee_signing_root(signed.parent_root, [0x90, 0, 0, 0x73]);
		assert_eq!(
			snowbridge_beacon_primitives::fast_aggregate_verify(
				&next.aggregate_pubkey,
				&absent,
				signing_root,
				&signed.aggregate.sync_committee_signature,
			),
			Ok(())
		);
		// The current committee (period 557) did not sign it.
		let current = light_client_pallet::CurrentSyncCommittee::<Runtime>::get();
		assert!(snowbridge_beacon_primitives::fast_aggregate_verify(
			&current.aggregate_pubkey,
			&absent,
			signing_root,
			&signed.aggregate.sync_committee_signature,
		)
		.is_err());

		// The same update again is no progress: Snowbridge accepts it as a no-op, and the
		// sender pays the full fee (this is what prices spam).
		let before = light_client_pallet::LatestFinalizedBlockRoot::<Runtime>::get();
		assert_eq!(submit(step_one()).expect("a no-op").pays_fee, Pays::Yes);
		assert_eq!(light_client_pallet::LatestFinalizedBlockRoot::<Runtime>::get(), before);
	});
}

/// `compute_signing_root(block_root, compute_domain(DOMAIN_SYNC_COMMITTEE, version, GVR))`.
fn sync_committee_signing_root(object_root: Root, fork_version: [u8; 4]) -> Root {
	let mut version = [0u8; 32];
	version[..4].copy_from_slice(&fork_version);
	let fork_data_root =
		hash_pair(&Root::from(version), &Root::from(SEPOLIA_GENESIS_VALIDATORS_ROOT));
	let mut domain = [0u8; 32];
	domain[..4].copy_from_slice(&[7, 0, 0, 0]);
	domain[4..].copy_from_slice(&fork_data_root.0[..28]);
	hash_pair(&object_root, &Root::from(domain))
}

#[test]
fn every_tampered_light_client_message_is_rejected_without_a_trace() {
	use light_client_pallet::Error as E;
	ext_from_preset("development").execute_with(|| {
		// Checkpoint: each byte of each branch, and the header's state root.
		for i in 0..32 * 5 {
			let mut update = checkpoint();
			update.current_sync_committee_branch[i / 32].0[i % 32] ^= 1;
			assert_rejected(light_client_error(E::InvalidSyncCommitteeMerkleProof), || {
				force_checkpoint(update)
			});
			let mut update = checkpoint();
			update.block_roots_branch[i / 32].0[i % 32] ^= 1;
			assert_rejected(light_client_error(E::InvalidBlockRootsRootMerkleProof), || {
				force_checkpoint(update)
			});
		}
		let mut update = checkpoint();
		update.current_sync_committee.pubkeys[7].0[3] ^= 1;
		assert_rejected(light_client_error(E::InvalidSyncCommitteeMerkleProof), || {
			force_checkpoint(update)
		});

		assert_ok!(force_checkpoint(checkpoint()));

		// Update: every byte of every branch.
		for i in 0..32 * 6 {
			let mut update = step_one();
			update.finality_branch[i / 32].0[i % 32] ^= 1;
			assert_rejected(light_client_error(E::InvalidHeaderMerkleProof), || submit(update));
		}
		for i in 0..32 * 5 {
			let mut update = step_one();
			update.block_roots_branch[i / 32].0[i % 32] ^= 1;
			assert_rejected(light_client_error(E::InvalidBlockRootsRootMerkleProof), || {
				submit(update)
			});
			let mut update = step_one();
			if let Some(next) = update.next_sync_committee_update.as_mut() {
				next.next_sync_committee_branch[i / 32].0[i % 32] ^= 1;
			}
			assert_rejected(light_client_error(E::InvalidSyncCommitteeMerkleProof), || {
				submit(update)
			});
		}
		// Every byte of the signed header outside its state root, and of the signature: the BLS
		// check (or, for a slot pushed past the signature slot, the slot check) fails.
		let failed_in_light_client = |update: Update| {
			let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
			let result = submit(update).map_err(|e| e.error);
			assert!(
				matches!(result, Err(DispatchError::Module(ref m)) if m.index == 40),
				"{result:?}"
			);
			assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), before);
			result.err().and_then(|e| match e {
				DispatchError::Module(m) => {
					light_client_pallet::Error::<Runtime>::decode(&mut &m.error[..]).ok()
				},
				_ => None,
			})
		};
		use codec::Decode;
		let is_bls = |e: Option<E<Runtime>>| matches!(e, Some(E::BLSVerificationFailed(_)));
		for i in 0..8 {
			let mut update = step_one();
			update.attested_header.slot ^= 1 << (8 * i);
			let error = failed_in_light_client(update);
			assert!(
				matches!(
					error,
					Some(
						E::BLSVerificationFailed(_)
							| E::InvalidUpdateSlot
							| E::SkippedSyncCommitteePeriod
							| E::InvalidHeaderMerkleProof
					)
				),
				"slot byte {i}"
			);
			let mut update = step_one();
			update.attested_header.proposer_index ^= 1 << (8 * i);
			assert!(is_bls(failed_in_light_client(update)), "proposer byte {i}");
		}
		for i in 0..32 {
			let mut update = step_one();
			update.attested_header.parent_root.0[i] ^= 1;
			assert!(is_bls(failed_in_light_client(update)), "parent_root byte {i}");
			let mut update = step_one();
			update.attested_header.body_root.0[i] ^= 1;
			assert!(is_bls(failed_in_light_client(update)), "body_root byte {i}");
		}
		for i in 0..96 {
			let mut update = step_one();
			update.sync_aggregate.sync_committee_signature.0[i] ^= 1;
			assert!(is_bls(failed_in_light_client(update)), "signature byte {i}");
		}
		// Every byte of the participation bits: claimed signers who did not sign, or signers
		// left out.
		for i in 0..64 {
			let mut update = step_one();
			update.sync_aggregate.sync_committee_bits[i] ^= 1;
			assert!(is_bls(failed_in_light_client(update)), "participation byte {i}");
		}
		let mut update = step_one();
		let byte = update.sync_aggregate.sync_committee_bits.iter().position(|b| *b != 0xff);
		let byte = byte.expect("477 of 512 signed");
		update.sync_aggregate.sync_committee_bits[byte] = 0xff;
		assert!(is_bls(failed_in_light_client(update)));
		// The state root of the attested header: its finality proof no longer holds.
		let mut update = step_one();
		update.attested_header.state_root.0[5] ^= 1;
		assert_rejected(light_client_error(E::InvalidHeaderMerkleProof), || submit(update));
		// A sync aggregate with too few participants.
		let mut update = step_one();
		update.sync_aggregate.sync_committee_bits = [0x0f; 64];
		assert_rejected(light_client_error(E::SyncCommitteeParticipantsNotSupermajority), || {
			submit(update)
		});

		// After all that, the genuine update still verifies.
		assert_ok!(submit(step_one()));
	});
}

pub(super) fn credentials_of(address: &str) -> Root {
	let mut credentials = [0u8; 32];
	credentials[0] = 1;
	credentials[12..].copy_from_slice(&sp_core::bytes::from_hex(address).expect("hex"));
	Root::from(credentials)
}

#[test]
fn validator_proofs_anchor_in_the_light_clients_finalized_headers() {
	use pallet_validator_health::Error as E;
	ext_from_preset("development").execute_with(|| {
		let pod = credentials_of("0x25c4a76e7d118705e7ea2e9b7d8c59930d8acd3b");
		assert_ok!(ValidatorHealth::register_credentials(RuntimeOrigin::root(), LRT, pod));
		let prover = state(CHECKPOINT);
		let indices: Vec<u64> = (0..prover.validator_count())
			.filter(|i| prover.validators()[*i as usize].withdrawal_credentials == pod)
			.collect();
		assert_eq!(indices.len(), 100);
		let header = fixtures::sepolia_header(CHECKPOINT);
		let anchor = prover.anchor(&header).expect("the header is the state's");
		let proofs: Vec<_> =
			indices.iter().map(|i| prover.batch_proof(*i).expect("index")).collect();
		let batch = |anchor: &pallet_validator_health::StateAnchor| {
			RuntimeCall::ValidatorHealth(pallet_validator_health::Call::submit_validator_proofs {
				anchor: anchor.clone(),
				proofs: proofs.clone(),
			})
			.dispatch(RuntimeOrigin::signed(account(Sr25519Keyring::Charlie)))
		};

		// Before the checkpoint the header is nothing to the chain.
		assert_rejected(E::<Runtime>::HeaderNotFinalized.into(), || batch(&anchor));
		assert_ok!(force_checkpoint(checkpoint()));

		// A light client bootstrapped on another network anchors nothing.
		light_client_pallet::ValidatorsRoot::<Runtime>::put(Root::repeat_byte(9));
		assert_rejected(E::<Runtime>::WrongEthereumNetwork.into(), || batch(&anchor));
		light_client_pallet::ValidatorsRoot::<Runtime>::put(Root::from(
			SEPOLIA_GENESIS_VALIDATORS_ROOT,
		));

		assert_ok!(batch(&anchor));
		let record = ValidatorHealth::validator(indices[0]).expect("tracked");
		assert_eq!(record.lrt, LRT);
		assert_eq!(record.proven_at_slot, CHECKPOINT);
		let aggregates = ValidatorHealth::lrt_aggregates(LRT);
		assert_eq!(aggregates.validators, 100);
		assert_eq!(aggregates.oldest_proof_slot, Some(CHECKPOINT));
		let total: u128 = indices
			.iter()
			.map(|i| prover.balance_in_list(*i).expect("index").balance as u128)
			.sum();
		assert_eq!(aggregates.total_balance, total);

		// The attested header 4570816 is signed but not finalized: not an anchor.
		let later = state(ATTESTED).anchor(&fixtures::sepolia_header(ATTESTED)).expect("its own");
		assert_rejected(E::<Runtime>::HeaderNotFinalized.into(), || batch(&later));
		// The same batch again is stale.
		assert_rejected(E::<Runtime>::StaleProof.into(), || batch(&anchor));
		assert_eq!(EthereumBeaconClient::operating_mode(), Default::default());
	});
}

/// The target, checked on the measured weights and real proof sizes (not timed): a full
/// batch of 1,000 validator updates takes at most half a block's compute, and its encoding fits
/// the block length ordinary transactions may use.
#[test]
fn a_thousand_validator_updates_fit_in_half_a_block() {
	use ballast_runtime::configs::system::{RuntimeBlockLength, RuntimeBlockWeights};
	use codec::Encode;
	use frame_support::dispatch::DispatchClass;
	use pallet_validator_health::WeightInfo;

	let batch = <Runtime as pallet_validator_health::Config>::MaxProofsPerBatch::get();
	assert_eq!(batch, 1_000);
	let prover = state(CHECKPOINT);
	let header = fixtures::sepolia_header(CHECKPOINT);
	let proofs: Vec<_> =
		(0..u64::from(batch)).map(|i| prover.batch_proof(i).expect("index in range")).collect();
	let call =
		RuntimeCall::ValidatorHealth(pallet_validator_health::Call::submit_validator_proofs {
			anchor: prover.anchor(&header).expect("the header is the state's"),
			proofs,
		});
	// The call's declared weight: the pallet's own work plus the valuation hooks' worst case
	// (every proof a balance drop or a slash, and each LRT it can touch re-rated once with its
	// markets marked).
	use frame_support::dispatch::GetDispatchInfo;
	let weight = call.get_dispatch_info().call_weight;
	let own =
		<Runtime as pallet_validator_health::Config>::WeightInfo::submit_validator_proofs(batch);
	assert!(weight.ref_time() > own.ref_time(), "the hooks' work is declared");
	let max_block = RuntimeBlockWeights::get().max_block;
	assert!(
		weight.ref_time() * 2 <= max_block.ref_time(),
		"{} ps for {batch} proofs, block {} ps",
		weight.ref_time(),
		max_block.ref_time()
	);
	println!(
		"{batch} proofs declare {:.1} ms ({:.1} ms the pallet's own), block {:.0} ms",
		weight.ref_time() as f64 / 1e9,
		own.ref_time() as f64 / 1e9,
		max_block.ref_time() as f64 / 1e9
	);

	let length = call.encoded_size() as u32;
	assert!(length <= *RuntimeBlockLength::get().max.get(DispatchClass::Normal), "{length} bytes");
}
