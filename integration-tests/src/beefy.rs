//! BEEFY and the MMR through the real runtime: every block appends an MMR leaf that carries the
//! withdrawal root its parent block committed; the leaf's MMR proof, simplified as
//! `BeefyClient.sol` takes it (`ballast_gateway::release`), leads to the MMR root the block's
//! BEEFY digest names (what BEEFY validators sign); the BEEFY authority set is the session's
//! `beefy` keys, committed to as a Merkle root of their Ethereum addresses, and moves on with
//! every session.

use super::{
	bridge::{alice_bytes, installed, submit, LRT, UNIT},
	ext_from_preset,
};
use alloy_primitives::{Address, B256};
use ballast_ethereum_harness::scenarios::deposit_and_report;
use ballast_gateway::release::{
	authority_set, simplified_mmr_proof, simplified_mmr_root, ScaleMmrLeaf,
};
use ballast_runtime::{Beefy, LrtBridge, Mmr, MmrLeaf, Runtime, RuntimeOrigin, Session, System};
use codec::{Decode, Encode};
use frame_support::{assert_ok, traits::Hooks};
use sp_consensus_beefy::{ecdsa_crypto::AuthorityId as BeefyId, ConsensusLog, BEEFY_ENGINE_ID};
use sp_core::{
	offchain::{testing::TestOffchainExt, OffchainDbExt, OffchainWorkerExt},
	Pair, H160, H256,
};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	traits::{Convert, Keccak256},
	DigestItem,
};
use std::collections::BTreeMap;

/// The dev preset's state, with the off-chain database the node gives pallet-mmr (it indexes
/// the MMR's nodes there, and proofs read them back).
fn dev_ext_with_offchain_db() -> sp_io::TestExternalities {
	let mut ext = ext_from_preset(sp_genesis_builder::DEV_RUNTIME_PRESET);
	let (offchain, _state) = TestOffchainExt::with_offchain_db(ext.offchain_db());
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(OffchainWorkerExt::new(offchain));
	ext
}

/// Ends the current block (its withdrawals committed, its header sealed) and starts the next,
/// running the hooks that matter here in the runtime's order (Session, then Mmr, then
/// LrtBridge).
fn next_block() {
	let number = System::block_number();
	LrtBridge::on_finalize(number);
	let header = System::finalize();
	let next = number + 1;
	System::initialize(&next, &sp_runtime::traits::Header::hash(&header), &Default::default());
	Session::on_initialize(next);
	<Mmr as Hooks<u32>>::on_initialize(next);
	LrtBridge::on_initialize(next);
}

/// The MMR root the current block's BEEFY digest names.
fn digest_mmr_root() -> Option<H256> {
	System::digest().logs.iter().find_map(|log| match log {
		DigestItem::Consensus(engine, data) if *engine == BEEFY_ENGINE_ID => {
			match ConsensusLog::<BeefyId>::decode(&mut &data[..]).ok()? {
				ConsensusLog::MmrRoot(root) => Some(root),
				_ => None,
			}
		},
		_ => None,
	})
}

/// The Ethereum address `BeefyClient` recovers from a BEEFY key's signatures.
fn ethereum_address(key: &BeefyId) -> Address {
	Address::from_slice(&pallet_beefy_mmr::BeefyEcdsaToEthereum::convert(key.clone()))
}

#[test]
fn each_mmr_leaf_carries_its_parents_withdrawal_root_and_proves_to_the_signed_root() {
	let scenario = deposit_and_report(alice_bytes(), 10, 1_030);
	let recipient = H160::repeat_byte(0xee);
	let mut ext = dev_ext_with_offchain_db();
	let (withdrawal_block, roots) = ext.execute_with(|| {
		installed(&scenario);
		assert_ok!(submit(&scenario.deposit));
		next_block();
		next_block();
		let alice = Sr25519Keyring::Alice.to_account_id();
		for amount in [1, 2, 3] {
			assert_ok!(LrtBridge::withdraw(
				RuntimeOrigin::signed(alice.clone()),
				LRT,
				amount * UNIT,
				recipient
			));
		}
		let withdrawal_block = System::block_number();
		// Enough blocks for an MMR of several peaks (16 leaves and more), each block's root
		// recorded as its BEEFY digest names it.
		let mut roots = BTreeMap::new();
		for _ in 0..16 {
			next_block();
			let root = digest_mmr_root().expect("every block names its MMR root");
			assert_eq!(root, pallet_mmr::RootHash::<Runtime>::get());
			roots.insert(System::block_number(), root);
		}
		(withdrawal_block, roots)
	});
	// What the node does after each block: off-chain indexing lands in its database.
	ext.persist_offchain_overlay();
	ext.execute_with(|| {
		let committed = LrtBridge::withdrawal_root(withdrawal_block).expect("committed");
		let (&last, &last_root) = roots.last_key_value().expect("blocks ran");
		// Every leaf, proven against the MMR as of every later block (the root a BEEFY
		// commitment of that block signs), each proof simplified as BeefyClient verifies it.
		for (&block, _) in roots.iter() {
			for (&at, &root) in roots.range(block..) {
				let (leaves, proof) =
					Mmr::generate_proof(vec![block], Some(at)).expect("a proof of a past leaf");
				let leaf = ScaleMmrLeaf::decode(&mut &leaves[0].encode()[..])
					.expect("the leaf has the layout BeefyClient encodes");
				assert_eq!(leaf.parent_number_and_hash.0, block - 1);
				assert_eq!(
					H256(leaf.withdrawal_root),
					if block == withdrawal_block + 1 { committed } else { H256::zero() },
					"block {block}'s leaf carries its parent's withdrawal root"
				);
				let items: Vec<B256> = proof.items.iter().map(|h| B256::from(h.0)).collect();
				let simplified =
					simplified_mmr_proof(proof.leaf_indices[0], proof.leaf_count, &items)
						.expect("the proof has its MMR's shape");
				assert_eq!(
					simplified_mmr_root(leaf.hash(), &simplified),
					B256::from(root.0),
					"leaf of block {block} in the MMR of block {at}"
				);
			}
		}

		// The withdrawal's own proof leads to the root in the next block's leaf.
		let (leaves, proof) =
			Mmr::generate_proof(vec![withdrawal_block + 1], Some(last)).expect("a proof");
		let leaf = ScaleMmrLeaf::decode(&mut &leaves[0].encode()[..]).expect("a leaf");
		for nonce in 0..3 {
			let withdrawal = LrtBridge::withdrawal_proof(nonce).expect("kept for a week");
			assert_eq!(withdrawal.block, withdrawal_block);
			assert_eq!(withdrawal.root.0, leaf.withdrawal_root);
			assert!(binary_merkle_tree::verify_proof::<Keccak256, _, _>(
				&withdrawal.root,
				withdrawal.proof.clone(),
				withdrawal.leaf_count,
				withdrawal.leaf_index,
				&withdrawal.message,
			));
		}

		// A forged leaf (another withdrawal root) leads elsewhere.
		let items: Vec<B256> = proof.items.iter().map(|h| B256::from(h.0)).collect();
		let simplified =
			simplified_mmr_proof(proof.leaf_indices[0], proof.leaf_count, &items).expect("shape");
		let mut forged = leaf.clone();
		forged.withdrawal_root = [0x11; 32];
		assert_ne!(simplified_mmr_root(forged.hash(), &simplified), B256::from(last_root.0));
		assert_eq!(simplified_mmr_root(leaf.hash(), &simplified), B256::from(last_root.0));
	});
}

#[test]
fn the_beefy_set_is_the_sessions_beefy_keys_and_each_leaf_names_the_next_set() {
	let mut ext = dev_ext_with_offchain_db();
	ext.execute_with(|| {
		let alice: BeefyId =
			sp_core::ecdsa::Pair::from_string("//Alice", None).expect("a dev seed").public().into();
		let set = Beefy::validator_set().expect("BEEFY runs from genesis");
		assert_eq!(set.validators(), std::slice::from_ref(&alice));
		assert_eq!(set.id(), 0);
		assert_eq!(pallet_beefy::GenesisBlock::<Runtime>::get(), Some(1));

		// What BeefyClient is deployed with: the set's length and the Merkle root of its
		// validators' Ethereum addresses.
		let current = MmrLeaf::authority_set_proof();
		let next = MmrLeaf::next_authority_set_proof();
		assert_eq!((current.id, current.len), (0, 1));
		assert_eq!((next.id, next.len), (1, 1));
		let root = authority_set::root(&[ethereum_address(&alice)]);
		assert_eq!(current.keyset_commitment.0, root.0);
		assert_eq!(next.keyset_commitment.0, root.0);

		// Every session hands over to a new set id, and every leaf from then on names the one
		// after it (what BeefyClient's handover checks).
		let period = pallet_validator_set::SessionPeriod::<Runtime>::get();
		while System::block_number() < period + 1 {
			next_block();
		}
		let set = Beefy::validator_set().expect("a set");
		assert_eq!(set.id(), 1, "a new set id with the session");
		assert_eq!(MmrLeaf::next_authority_set_proof().id, 2);
	});
	ext.persist_offchain_overlay();
	ext.execute_with(|| {
		let now = System::block_number();
		let (leaves, _) = Mmr::generate_proof(vec![now], None).expect("a proof");
		let leaf = ScaleMmrLeaf::decode(&mut &leaves[0].encode()[..]).expect("a leaf");
		assert_eq!(leaf.next_authority_set.0, 2);
		assert_eq!(leaf.next_authority_set.1, 1);
	});
}

/// Dave's BEEFY vote for `root` at the current block in `set_id`, signed as the BEEFY voter signs
/// (secp256k1 over the keccak of the SCALE commitment).
fn dave_votes(
	root: H256,
	set_id: u64,
) -> sp_consensus_beefy::VoteMessage<u32, BeefyId, sp_consensus_beefy::ecdsa_crypto::Signature> {
	let pair = sp_core::ecdsa::Pair::from_string("//Dave", None).expect("a dev seed");
	let commitment = sp_consensus_beefy::Commitment {
		payload: sp_consensus_beefy::Payload::from_single_entry(
			sp_consensus_beefy::known_payloads::MMR_ROOT_ID,
			root.encode(),
		),
		block_number: System::block_number(),
		validator_set_id: set_id,
	};
	let signature = pair.sign_prehashed(&sp_io::hashing::keccak_256(&commitment.encode()));
	sp_consensus_beefy::VoteMessage {
		commitment,
		id: pair.public().into(),
		signature: signature.into(),
	}
}

#[test]
fn a_proven_beefy_double_vote_disables_the_validator_and_takes_its_seat() {
	use ballast_runtime::{Executive, Historical, RuntimeCall, UncheckedExtrinsic};
	use frame_support::traits::KeyOwnerProofSystem;
	ext_from_preset(ballast_runtime::genesis_config_presets::STAGING_RUNTIME_PRESET).execute_with(
		|| {
			super::validators::next_session();
			let dave = super::account(Sr25519Keyring::Dave);
			let set_id = Beefy::validator_set().expect("a set").id();
			let first = dave_votes(H256::repeat_byte(1), set_id);
			let second = dave_votes(H256::repeat_byte(2), set_id);
			let dave_key = first.id.clone();
			assert!(Beefy::validator_set().expect("a set").validators().contains(&dave_key));
			// Both votes verify: a real equivocation, not a forged one.
			let proof = sp_consensus_beefy::DoubleVotingProof { first, second };
			assert!(sp_consensus_beefy::check_double_voting_proof(&proof));

			let key_owner_proof = Historical::prove((sp_consensus_beefy::KEY_TYPE, dave_key))
				.expect("a validator's key");
			let report = |proof: &sp_consensus_beefy::DoubleVotingProof<_, _, _>| {
				UncheckedExtrinsic::new_bare(RuntimeCall::Beefy(
					pallet_beefy::Call::report_double_voting_unsigned {
						equivocation_proof: Box::new(proof.clone()),
						key_owner_proof: key_owner_proof.clone(),
					},
				))
			};
			assert_ok!(Executive::validate_transaction(
				sp_runtime::transaction_validity::TransactionSource::Local,
				report(&proof),
				System::parent_hash(),
			));
			assert_ok!(Executive::apply_extrinsic(report(&proof)).expect("applies"));

			// Punished as a GRANDPA equivocation is: disabled for the session, out of the
			// approved set, and the same proof is refused a second time.
			let index =
				Session::validators().iter().position(|v| *v == dave).expect("validates") as u32;
			assert!(Session::disabled_validators().contains(&index));
			assert!(!pallet_collator_selection::Invulnerables::<Runtime>::get().contains(&dave));
			// (Refused as a transaction: the offence is already known, `Stale`.)
			assert!(matches!(
				Executive::apply_extrinsic(report(&proof)),
				Err(sp_runtime::transaction_validity::TransactionValidityError::Invalid(
					sp_runtime::transaction_validity::InvalidTransaction::Stale
				))
			));
			assert_eq!(pallet_offences::Reports::<Runtime>::iter().count(), 1);
			super::assert_books_hold();
		},
	);
}

/// Runs block `number` on `parent` through `Executive` as the node does (Aura's slot digest, the
/// timestamp inherent, every pallet's hooks in the runtime's declaration order), with `body`
/// dispatched inside it; returns the sealed header.
fn executive_block(number: u32, parent: H256, body: impl FnOnce()) -> ballast_primitives::Header {
	use ballast_runtime::{Executive, RuntimeCall, UncheckedExtrinsic};
	let slot = sp_consensus_aura::Slot::from(u64::from(number));
	let digest = sp_runtime::Digest {
		logs: vec![DigestItem::PreRuntime(sp_consensus_aura::AURA_ENGINE_ID, slot.encode())],
	};
	let header = <ballast_primitives::Header as sp_runtime::traits::Header>::new(
		number,
		Default::default(),
		Default::default(),
		parent,
		digest,
	);
	Executive::initialize_block(&header);
	let now = u64::from(number) * ballast_primitives::time::SLOT_DURATION;
	assert_ok!(Executive::apply_extrinsic(UncheckedExtrinsic::new_bare(RuntimeCall::Timestamp(
		pallet_timestamp::Call::set { now }
	)))
	.expect("the timestamp inherent applies"));
	body();
	Executive::finalize_block()
}

#[test]
fn blocks_run_through_executive_put_each_withdrawal_root_into_the_next_blocks_leaf() {
	let scenario = deposit_and_report(alice_bytes(), 10, 1_030);
	let mut ext = dev_ext_with_offchain_db();
	let (withdrawal_block, root) =
		ext.execute_with(|| {
			// Block 1 from genesis, as the chain runs it (the preset's state stands at block 1
			// without having run it).
			let genesis = System::block_hash(0);
			System::set_block_number(0);
			let first = executive_block(1, genesis, || {
				installed(&scenario);
				assert_ok!(submit(&scenario.deposit));
			});
			let second = executive_block(2, sp_runtime::traits::Header::hash(&first), || {
				assert_ok!(LrtBridge::withdraw(
					RuntimeOrigin::signed(Sr25519Keyring::Alice.to_account_id()),
					LRT,
					UNIT,
					H160::repeat_byte(0xee)
				));
			});
			let root = LrtBridge::withdrawal_root(2).expect("block 2 committed its withdrawal");
			let mut item = pallet_lrt_bridge::WITHDRAWALS_DIGEST_PREFIX.to_vec();
			item.extend_from_slice(root.as_bytes());
			assert!(second.digest.logs.contains(&DigestItem::Other(item)));
			let third = executive_block(3, sp_runtime::traits::Header::hash(&second), || {});
			// Its BEEFY digest names the MMR root that now holds block 3's leaf.
			assert!(third.digest.logs.iter().any(|log| log
				.as_consensus()
				.is_some_and(|(engine, _)| engine == BEEFY_ENGINE_ID)));
			(2u32, root)
		});
	ext.persist_offchain_overlay();
	ext.execute_with(|| {
		let (leaves, _) = Mmr::generate_proof(vec![withdrawal_block + 1], None).expect("a proof");
		let leaf = ScaleMmrLeaf::decode(&mut &leaves[0].encode()[..]).expect("a leaf");
		assert_eq!(leaf.parent_number_and_hash.0, withdrawal_block);
		assert_eq!(H256(leaf.withdrawal_root), root);
	});
}
