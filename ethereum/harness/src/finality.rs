//! A simulated Ballast finality, for `BallastGateway.release` and Snowbridge's `BeefyClient.sol`
//! run in revm.
//!
//! [`Ballast`] is a chain of blocks built as the runtime builds them: withdrawals burned in a
//! block are committed at its end as a keccak `binary-merkle-tree` of their messages
//! ([`ballast_gateway::withdrawal_message`], as `pallet-lrt-bridge`'s `commit_withdrawals`);
//! every block appends one leaf to a keccak Merkle Mountain Range (Substrate's own MMR library,
//! `sp_mmr_primitives::mmr_lib`, merging as `pallet-mmr` does) naming its parent, the next BEEFY
//! authority set and the parent's withdrawal root; and its BEEFY validators (secp256k1 keys)
//! sign `sp_consensus_beefy::Commitment`s of the MMR root. [`BeefyLightClient`] deploys
//! Snowbridge's compiled `BeefyClient` (its npm package's artifact, not compiled here) and
//! submits those commitments through its interactive protocol (`submitInitial`,
//! `commitPrevRandao`, `createFinalBitfield`, `submitFinal`) or Fiat-Shamir
//! (`submitFiatShamir`). [`Finality`] ties the two together for the gateway's tests: burn,
//! finalize, release.
//!
//! What is synthetic: block hashes (no state, no extrinsics), and the validators' keys (derived
//! from their set id and index). Everything Ethereum checks — leaf encoding and hashes, MMR
//! proofs, withdrawal trees, the authority set's tree, the commitment's encoding and signatures —
//! is computed with the code Ballast's runtime and node use.

use crate::{evm::Ethereum, TxResult};
use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{SolCall, SolConstructor};
use ballast_gateway::release::{
	self, abi, authority_set, simplified_mmr_proof, ScaleMmrLeaf, SimplifiedMmrProof,
};
use codec::Encode;
use k256::ecdsa::SigningKey;
use sp_core::{KeccakHasher, H160};
use sp_mmr_primitives::mmr_lib::{self, leaf_index_to_mmr_size, leaf_index_to_pos, util::MemStore};
use std::collections::BTreeMap;

/// Snowbridge's compiled `BeefyClient` (npm `@snowbridge/contracts`, pinned in
/// `ethereum/package-lock.json`), as its package ships it: fields `abi` and `bytecode.object`.
const BEEFY_CLIENT_ARTIFACT: &str =
	include_str!("../../node_modules/@snowbridge/contracts/out/BeefyClient.sol/BeefyClient.json");

/// `BeefyClient`'s compiled artifact (Snowbridge's npm package).
pub fn beefy_client_artifact() -> serde_json::Value {
	serde_json::from_str(BEEFY_CLIENT_ARTIFACT).expect("the artifact is JSON")
}

fn beefy_client_code() -> Vec<u8> {
	let artifact = beefy_client_artifact();
	let hex = artifact["bytecode"]["object"].as_str().expect("bytecode.object");
	alloy_primitives::hex::decode(hex).expect("hex bytecode")
}

// ---------------------------------------------------------------------------------- validators

/// A recoverable secp256k1 signature as `BeefyClient` takes it (`v` is 27 or 28; `s` is low, as
/// OpenZeppelin's `ECDSA.recover` requires).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signature {
	/// 27 + the recovery id.
	pub v: u8,
	/// The signature's `r`.
	pub r: B256,
	/// The signature's `s`.
	pub s: B256,
}

/// A BEEFY validator: its secp256k1 key and the Ethereum address `BeefyClient` recovers
/// (`pallet_beefy_mmr::BeefyEcdsaToEthereum`: keccak of the uncompressed key, last 20 bytes).
#[derive(Clone)]
pub struct Validator {
	key: SigningKey,
	/// The validator's Ethereum address: the leaf of the authority set's tree.
	pub address: Address,
}

impl Validator {
	/// The validator whose secret key is keccak of `seed`.
	pub fn from_seed(seed: &[u8]) -> Self {
		let key = SigningKey::from_slice(keccak256(seed).as_slice()).expect("a valid secret key");
		let point = key.verifying_key().to_encoded_point(false);
		let address = Address::from_raw_public_key(&point.as_bytes()[1..]);
		Validator { key, address }
	}

	/// Signs a 32-byte hash as BEEFY validators sign commitments (ECDSA over the hash itself,
	/// the keccak of the commitment's SCALE encoding; no Ethereum message prefix).
	pub fn sign(&self, hash: B256) -> Signature {
		let (signature, recovery) =
			self.key.sign_prehash_recoverable(hash.as_slice()).expect("signing a 32-byte hash");
		let (r, s) = signature.split_bytes();
		Signature { v: 27 + recovery.to_byte(), r: B256::from_slice(&r), s: B256::from_slice(&s) }
	}
}

/// A BEEFY authority set: its id and validators, in the order of its Merkle tree.
#[derive(Clone)]
pub struct AuthoritySet {
	/// The set id (`validator_set_id` of the commitments it signs).
	pub id: u64,
	/// The validators, in order.
	pub validators: Vec<Validator>,
	addresses: Vec<Address>,
	root: B256,
}

impl AuthoritySet {
	/// Set `id` of `len` validators, their keys derived from `id` and their index.
	pub fn generate(id: u64, len: usize) -> Self {
		let validators: Vec<Validator> = (0..len)
			.map(|index| {
				let mut seed = b"ballast-beefy-validator".to_vec();
				seed.extend_from_slice(&id.to_be_bytes());
				seed.extend_from_slice(&(index as u64).to_be_bytes());
				Validator::from_seed(&seed)
			})
			.collect();
		let addresses: Vec<Address> = validators.iter().map(|v| v.address).collect();
		let root = authority_set::root(&addresses);
		AuthoritySet { id, validators, addresses, root }
	}

	/// The number of validators.
	pub fn len(&self) -> usize {
		self.validators.len()
	}

	/// Whether the set has no validators.
	pub fn is_empty(&self) -> bool {
		self.validators.is_empty()
	}

	/// The validators' Ethereum addresses, in order.
	pub fn addresses(&self) -> &[Address] {
		&self.addresses
	}

	/// The root of the keccak Merkle tree of the addresses (`keyset_commitment`).
	pub fn root(&self) -> B256 {
		self.root
	}

	/// The proof that validator `index`'s address is in the set's tree.
	pub fn proof(&self, index: usize) -> Vec<B256> {
		authority_set::proof(&self.addresses, index)
	}

	/// The fewest signers `BeefyClient` accepts a commitment from: more than two thirds
	/// (`computeQuorum`: n − (n − 1) / 3).
	pub fn quorum(&self) -> usize {
		let n = self.len();
		n - n.saturating_sub(1) / 3
	}

	/// As `BeefyClient`'s constructor takes it.
	pub fn abi(&self) -> abi::ValidatorSet {
		abi::ValidatorSet { id: self.id as u128, length: self.len() as u128, root: self.root }
	}

	/// As an MMR leaf names it (`BeefyNextAuthoritySet`: id, length, root).
	pub fn leaf_entry(&self) -> (u64, u32, [u8; 32]) {
		(self.id, self.len() as u32, self.root.0)
	}
}

// ------------------------------------------------------------------------------------- the MMR

/// `pallet-mmr`'s node merge with keccak (`sp_consensus_beefy::MmrHashing`): the hash of the
/// left child's hash followed by the right's. Peaks are bagged with the same merge.
pub struct KeccakMerge;

impl mmr_lib::Merge for KeccakMerge {
	type Item = B256;

	fn merge(left: &B256, right: &B256) -> mmr_lib::Result<B256> {
		let mut pair = [0u8; 64];
		pair[..32].copy_from_slice(left.as_slice());
		pair[32..].copy_from_slice(right.as_slice());
		Ok(keccak256(pair))
	}
}

/// A keccak Merkle Mountain Range of leaf hashes, through Substrate's MMR library. Append-only:
/// the root and proofs of any earlier size stay available (a node's position never changes).
#[derive(Default)]
pub struct Mmr {
	store: MemStore<B256>,
	leaves: u64,
}

impl Mmr {
	/// An empty MMR.
	pub fn new() -> Self {
		Self::default()
	}

	/// The number of leaves.
	pub fn leaf_count(&self) -> u64 {
		self.leaves
	}

	fn size_of(leaf_count: u64) -> u64 {
		if leaf_count == 0 {
			0
		} else {
			leaf_index_to_mmr_size(leaf_count - 1)
		}
	}

	/// Appends a leaf hash.
	pub fn push(&mut self, leaf_hash: B256) {
		let mut mmr =
			mmr_lib::MMR::<B256, KeccakMerge, _>::new(Self::size_of(self.leaves), &self.store);
		mmr.push(leaf_hash).expect("the store is in memory");
		mmr.commit().expect("the store is in memory");
		self.leaves += 1;
	}

	/// The root when it had `leaf_count` leaves (at least one).
	pub fn root(&self, leaf_count: u64) -> B256 {
		assert!(leaf_count >= 1 && leaf_count <= self.leaves, "no MMR of {leaf_count} leaves");
		mmr_lib::MMR::<B256, KeccakMerge, _>::new(Self::size_of(leaf_count), &self.store)
			.get_root()
			.expect("a root")
	}

	/// Substrate's proof of leaf `leaf_index` when the MMR had `leaf_count` leaves (the items
	/// `mmr_generateProof` serves).
	pub fn substrate_proof(&self, leaf_index: u64, leaf_count: u64) -> Vec<B256> {
		assert!(leaf_count <= self.leaves, "no MMR of {leaf_count} leaves");
		let mmr = mmr_lib::MMR::<B256, KeccakMerge, _>::new(Self::size_of(leaf_count), &self.store);
		let proof = mmr.gen_proof(vec![leaf_index_to_pos(leaf_index)]).expect("a proof");
		proof.proof_items().to_vec()
	}

	/// Whether mmr_lib itself verifies `items` as the proof of `leaf_hash` at `leaf_index`
	/// under `root` (an MMR of `leaf_count` leaves).
	pub fn verify_substrate_proof(
		root: B256,
		leaf_hash: B256,
		leaf_index: u64,
		leaf_count: u64,
		items: Vec<B256>,
	) -> bool {
		mmr_lib::MerkleProof::<B256, KeccakMerge>::new(Self::size_of(leaf_count), items)
			.verify(root, vec![(leaf_index_to_pos(leaf_index), leaf_hash)])
			.unwrap_or(false)
	}

	/// The proof `BeefyClient.verifyMMRLeafProof` takes: Substrate's, converted by
	/// [`release::simplified_mmr_proof`].
	pub fn proof(&self, leaf_index: u64, leaf_count: u64) -> SimplifiedMmrProof {
		simplified_mmr_proof(leaf_index, leaf_count, &self.substrate_proof(leaf_index, leaf_count))
			.expect("mmr_lib's proof has the shape of its MMR")
	}
}

// ----------------------------------------------------------------------------------- withdrawals

/// A withdrawal burned on Ballast (`lrtBridge.withdraw`), for `gateway`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Burn {
	/// The gateway the runtime commits it for (its address is in the message).
	pub gateway: Address,
	/// The token to release.
	pub token: Address,
	/// Who gets it on Ethereum.
	pub recipient: Address,
	/// How much (Ballast's balances are u128).
	pub amount: u128,
	/// The withdrawal's nonce.
	pub nonce: u64,
}

impl Burn {
	/// The message the runtime commits: [`ballast_gateway::withdrawal_message`].
	pub fn message(&self) -> Vec<u8> {
		let h160 = |address: Address| H160::from(address.0 .0);
		ballast_gateway::withdrawal_message(
			h160(self.gateway),
			h160(self.token),
			h160(self.recipient),
			self.amount,
			self.nonce,
		)
	}
}

/// The root of a block's withdrawal tree, as `commit_withdrawals` computes it (keccak
/// `binary-merkle-tree` over the messages, in burn order).
pub fn withdrawal_root(burns: &[Burn]) -> B256 {
	let messages: Vec<Vec<u8>> = burns.iter().map(Burn::message).collect();
	B256::from(binary_merkle_tree::merkle_root::<KeccakHasher, _>(messages).0)
}

/// The proof of `burns[index]` in its block's tree, as `withdrawal_proof` serves it and
/// `BallastGateway.release` takes it (no leaf index, count or root: those go alongside).
pub fn withdrawal_proof(burns: &[Burn], index: usize) -> Vec<B256> {
	let messages: Vec<Vec<u8>> = burns.iter().map(Burn::message).collect();
	binary_merkle_tree::merkle_proof::<KeccakHasher, _, _>(messages, index as u32)
		.proof
		.into_iter()
		.map(|hash| B256::from(hash.0))
		.collect()
}

/// `burns[index]` as `BallastGateway.release` takes it, with its place in its block's tree.
pub fn abi_withdrawal(burns: &[Burn], index: usize) -> abi::Withdrawal {
	let burn = burns[index];
	abi::Withdrawal {
		token: burn.token,
		recipient: burn.recipient,
		amount: U256::from(burn.amount),
		nonce: burn.nonce,
		leafIndex: U256::from(index),
		leafCount: U256::from(burns.len()),
		proof: withdrawal_proof(burns, index),
	}
}

// ---------------------------------------------------------------------------------- commitments

/// A BEEFY commitment to an MMR root (`sp_consensus_beefy::Commitment` with the single payload
/// `mh` ⇒ the root).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Commitment {
	/// The finalized block it is for.
	pub block_number: u32,
	/// The id of the authority set that signs it.
	pub validator_set_id: u64,
	/// The MMR root at that block.
	pub mmr_root: B256,
}

impl Commitment {
	/// As BEEFY validators sign it.
	pub fn beefy(&self) -> sp_consensus_beefy::Commitment<u32> {
		sp_consensus_beefy::Commitment {
			payload: sp_consensus_beefy::Payload::from_single_entry(
				sp_consensus_beefy::known_payloads::MMR_ROOT_ID,
				sp_core::H256(self.mmr_root.0).encode(),
			),
			block_number: self.block_number,
			validator_set_id: self.validator_set_id,
		}
	}

	/// Its SCALE encoding.
	pub fn encoded(&self) -> Vec<u8> {
		self.beefy().encode()
	}

	/// What validators sign: keccak of the SCALE encoding (`BeefyClient`'s `commitmentHash`).
	pub fn hash(&self) -> B256 {
		keccak256(self.encoded())
	}

	/// As `BeefyClient` takes it.
	pub fn abi(&self) -> abi::Commitment {
		abi::Commitment {
			blockNumber: self.block_number,
			validatorSetID: self.validator_set_id,
			payload: vec![abi::PayloadItem {
				payloadID: alloy_primitives::FixedBytes(*b"mh"),
				data: Bytes::copy_from_slice(self.mmr_root.as_slice()),
			}],
		}
	}
}

/// A commitment as a relayer submits it: who claims to have signed, their signatures (each
/// validator's own unless [`Submission::forged`] replaces it), and for the first commitment of
/// a new authority set the MMR leaf naming the set after it.
#[derive(Clone)]
pub struct Submission {
	/// The commitment.
	pub commitment: Commitment,
	/// The set whose validators sign.
	pub set: AuthoritySet,
	/// The validators the bitfield claims signed (all of the set unless changed).
	pub claimed: Vec<usize>,
	/// Signatures to send instead of the validators' own.
	pub forged: BTreeMap<usize, Signature>,
	/// For a handover to the next set: the commitment's latest MMR leaf (naming the set after
	/// the signing one) and its proof under the commitment's root.
	pub handover: Option<(ScaleMmrLeaf, SimplifiedMmrProof)>,
}

impl Submission {
	/// `commitment` signed by every validator of `set`.
	pub fn new(commitment: Commitment, set: &AuthoritySet) -> Self {
		Submission {
			commitment,
			set: set.clone(),
			claimed: (0..set.len()).collect(),
			forged: BTreeMap::new(),
			handover: None,
		}
	}

	/// The bitfield of [`Submission::claimed`].
	pub fn bitfield(&self) -> Vec<U256> {
		release::bitfield(&self.claimed, self.set.len())
	}

	/// Validator `index`'s signature (or the forged one in its place).
	pub fn signature(&self, index: usize) -> Signature {
		self.forged
			.get(&index)
			.copied()
			.unwrap_or_else(|| self.set.validators[index].sign(self.commitment.hash()))
	}

	/// Validator `index`'s proof: its signature, address and place in the set's tree.
	pub fn validator_proof(&self, index: usize) -> abi::ValidatorProof {
		let Signature { v, r, s } = self.signature(index);
		abi::ValidatorProof {
			v,
			r,
			s,
			index: U256::from(index),
			account: self.set.addresses()[index],
			proof: self.set.proof(index),
		}
	}

	/// The proofs of the validators set in `final_bitfield`, in index order.
	pub fn validator_proofs(&self, final_bitfield: &[U256]) -> Vec<abi::ValidatorProof> {
		release::set_bits(final_bitfield).into_iter().map(|i| self.validator_proof(i)).collect()
	}

	/// The leaf arguments of `submitFinal`/`submitFiatShamir`: the handover leaf, or an empty
	/// leaf (unread when the set does not change).
	fn leaf_args(&self) -> (abi::MMRLeaf, Vec<B256>, U256) {
		match &self.handover {
			Some((leaf, proof)) => (leaf.to_abi(), proof.items.clone(), proof.order),
			None => (abi::MMRLeaf::default(), Vec::new(), U256::ZERO),
		}
	}
}

// -------------------------------------------------------------------------------------- Ballast

struct Block {
	hash: B256,
	/// The withdrawals burned in the block, committed at its end.
	burns: Vec<Burn>,
}

/// The simulated Ballast chain: blocks, their withdrawals and MMR leaves, and its BEEFY
/// authority sets.
pub struct Ballast {
	gateway: Address,
	sets: Vec<AuthoritySet>,
	current_set: u64,
	blocks: Vec<Block>,
	pending: Vec<Burn>,
	leaves: Vec<ScaleMmrLeaf>,
	mmr: Mmr,
	/// Where each withdrawal nonce was last burned: (block, index in its tree).
	burned: BTreeMap<u64, (u32, usize)>,
}

impl Ballast {
	/// A chain at genesis (block 0, no MMR leaf yet), authority set 0 of `validators` signing
	/// and set 1 (other keys) next.
	pub fn new(validators: usize) -> Self {
		assert!(validators > 0, "BEEFY needs validators");
		Ballast {
			gateway: Address::ZERO,
			sets: vec![
				AuthoritySet::generate(0, validators),
				AuthoritySet::generate(1, validators),
			],
			current_set: 0,
			blocks: vec![Block { hash: Self::block_hash(0), burns: Vec::new() }],
			pending: Vec::new(),
			leaves: Vec::new(),
			mmr: Mmr::new(),
			burned: BTreeMap::new(),
		}
	}

	fn block_hash(number: u32) -> B256 {
		let mut seed = b"ballast-block".to_vec();
		seed.extend_from_slice(&number.to_be_bytes());
		keccak256(seed)
	}

	/// The gateway withdrawals are committed for (the runtime's configured gateway).
	pub fn gateway(&self) -> Address {
		self.gateway
	}

	/// Sets the gateway withdrawals burned from now on are committed for.
	pub fn set_gateway(&mut self, gateway: Address) {
		self.gateway = gateway;
	}

	/// The latest block's number (as many MMR leaves as that).
	pub fn number(&self) -> u32 {
		(self.blocks.len() - 1) as u32
	}

	/// Authority set `id` (generated up to the one after the current).
	pub fn set(&self, id: u64) -> &AuthoritySet {
		&self.sets[id as usize]
	}

	/// The set signing now.
	pub fn current_set(&self) -> &AuthoritySet {
		self.set(self.current_set)
	}

	/// The set after it (named by new MMR leaves).
	pub fn next_set(&self) -> &AuthoritySet {
		self.set(self.current_set + 1)
	}

	/// Burns a withdrawal in the block being built.
	pub fn burn(&mut self, token: Address, recipient: Address, amount: u128, nonce: u64) {
		let gateway = self.gateway;
		self.pending.push(Burn { gateway, token, recipient, amount, nonce });
	}

	/// Whether withdrawals are burned in the block being built.
	pub fn has_pending(&self) -> bool {
		!self.pending.is_empty()
	}

	/// Builds the next block: it appends the MMR leaf of its parent (with the parent's
	/// withdrawal root), then commits the withdrawals burned in it. Returns its number.
	pub fn seal(&mut self) -> u32 {
		let number = self.number() + 1;
		let parent = number - 1;
		let parent_block = &self.blocks[parent as usize];
		let root = if parent_block.burns.is_empty() {
			B256::ZERO
		} else {
			withdrawal_root(&parent_block.burns)
		};
		let leaf = ScaleMmrLeaf {
			version: 0,
			parent_number_and_hash: (parent, parent_block.hash.0),
			next_authority_set: self.next_set().leaf_entry(),
			withdrawal_root: root.0,
		};
		self.mmr.push(leaf.hash());
		self.leaves.push(leaf);
		let burns = std::mem::take(&mut self.pending);
		for (index, burn) in burns.iter().enumerate() {
			self.burned.insert(burn.nonce, (number, index));
		}
		self.blocks.push(Block { hash: Self::block_hash(number), burns });
		number
	}

	/// A session change: the next set signs from the next block on, and the leaf that block
	/// appends names a new set after it (`len` validators, other keys). Returns the block.
	pub fn rotate(&mut self, len: usize) -> u32 {
		self.current_set += 1;
		let after = self.current_set + 1;
		if self.sets.len() as u64 <= after {
			self.sets.push(AuthoritySet::generate(after, len));
		}
		self.seal()
	}

	/// The MMR leaf appended by block `leaf_index + 1` (describing block `leaf_index`).
	pub fn leaf(&self, leaf_index: u64) -> &ScaleMmrLeaf {
		&self.leaves[leaf_index as usize]
	}

	/// The MMR.
	pub fn mmr(&self) -> &Mmr {
		&self.mmr
	}

	/// The MMR root at block `number` (which holds `number` leaves).
	pub fn mmr_root(&self, number: u32) -> B256 {
		self.mmr.root(number as u64)
	}

	/// The commitment to block `number`'s MMR root, for authority set `set_id`.
	pub fn commitment_at(&self, number: u32, set_id: u64) -> Commitment {
		Commitment {
			block_number: number,
			validator_set_id: set_id,
			mmr_root: self.mmr_root(number),
		}
	}

	/// The commitment the current set signs for the latest block.
	pub fn commitment(&self) -> Commitment {
		self.commitment_at(self.number(), self.current_set)
	}

	/// The latest block's commitment signed by the current set; for its first commitment (the
	/// set BeefyClient knows as current is `client_set`, one before), with the handover leaf.
	pub fn submission(&self, client_set: u64) -> Submission {
		let commitment = self.commitment();
		let mut submission = Submission::new(commitment, self.current_set());
		assert!(
			self.current_set <= client_set + 1,
			"BeefyClient follows set {client_set}: set {} cannot sign for it",
			self.current_set
		);
		if self.current_set == client_set + 1 {
			let at = commitment.block_number as u64;
			submission.handover = Some((self.leaf(at - 1).clone(), self.mmr.proof(at - 1, at)));
		}
		submission
	}

	/// The block withdrawal `nonce` was (last) burned in, and its index in that block's tree.
	pub fn burned(&self, nonce: u64) -> Option<(u32, usize)> {
		self.burned.get(&nonce).copied()
	}

	/// The withdrawals burned in block `number`, in order.
	pub fn burns(&self, number: u32) -> &[Burn] {
		&self.blocks[number as usize].burns
	}

	/// Everything `BallastGateway.release` takes for withdrawal `nonce`, proven under the MMR
	/// root of block `at` (BeefyClient's latest): the withdrawal and its tree proof, the MMR
	/// leaf carrying its block's root, and that leaf's proof.
	pub fn release_call(&self, nonce: u64, at: u32) -> abi::releaseCall {
		let (block, index) = self.burned(nonce).expect("withdrawal burned");
		assert!(block < at, "block {block}'s leaf is not in the MMR of block {at}");
		let leaf_index = block as u64;
		let proof = self.mmr.proof(leaf_index, at as u64);
		abi::releaseCall {
			withdrawal: abi_withdrawal(self.burns(block), index),
			leaf: self.leaf(leaf_index).to_abi(),
			leafProof: proof.items,
			leafProofOrder: proof.order,
		}
	}
}

// --------------------------------------------------------------------------------- BeefyClient

/// `BeefyClient`'s constructor parameters.
#[derive(Clone, Copy, Debug)]
pub struct BeefyClientParams {
	/// Blocks between `submitInitial` and `commitPrevRandao`.
	pub randao_commit_delay: u64,
	/// Blocks after that delay within which `commitPrevRandao` must come.
	pub randao_commit_expiration: u64,
	/// The least number of signatures the interactive protocol samples.
	pub min_num_required_signatures: u64,
	/// The signatures Fiat-Shamir samples (at most a third of the set plus one).
	pub fiat_shamir_required_signatures: u64,
}

impl Default for BeefyClientParams {
	/// Snowbridge's own tests' values.
	fn default() -> Self {
		BeefyClientParams {
			randao_commit_delay: 3,
			randao_commit_expiration: 8,
			min_num_required_signatures: 17,
			fiat_shamir_required_signatures: 101,
		}
	}
}

/// Gas of the interactive protocol's three transactions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InteractiveGas {
	/// `submitInitial`.
	pub submit_initial: u64,
	/// `commitPrevRandao`.
	pub commit_prev_randao: u64,
	/// `submitFinal`.
	pub submit_final: u64,
}

impl InteractiveGas {
	/// All three.
	pub fn total(&self) -> u64 {
		self.submit_initial + self.commit_prev_randao + self.submit_final
	}
}

/// A deployed `BeefyClient`.
#[derive(Clone, Copy, Debug)]
pub struct BeefyLightClient {
	/// Its address.
	pub address: Address,
	/// Its constructor parameters.
	pub params: BeefyClientParams,
}

impl BeefyLightClient {
	/// Deploys `BeefyClient` from `from`, following `ballast` from its latest block: its current
	/// set and the next.
	pub fn deploy(
		eth: &mut Ethereum,
		from: Address,
		ballast: &Ballast,
		params: BeefyClientParams,
	) -> Self {
		let args = abi::constructorCall {
			randaoCommitDelay: U256::from(params.randao_commit_delay),
			randaoCommitExpiration: U256::from(params.randao_commit_expiration),
			minNumRequiredSignatures: U256::from(params.min_num_required_signatures),
			fiatShamirRequiredSignatures: U256::from(params.fiat_shamir_required_signatures),
			initialBeefyBlock: ballast.number() as u64,
			initialValidatorSet: ballast.current_set().abi(),
			nextValidatorSet: ballast.next_set().abi(),
		};
		let (address, _) =
			eth.deploy_code(from, "BeefyClient", beefy_client_code(), &args.abi_encode());
		BeefyLightClient { address, params }
	}

	/// `latestBeefyBlock`.
	pub fn latest_beefy_block(&self, eth: &mut Ethereum) -> u64 {
		eth.read(self.address, abi::latestBeefyBlockCall {}).expect("latestBeefyBlock")
	}

	/// `latestMMRRoot`.
	pub fn latest_mmr_root(&self, eth: &mut Ethereum) -> B256 {
		eth.read(self.address, abi::latestMMRRootCall {}).expect("latestMMRRoot")
	}

	/// The id of the set it takes as current.
	pub fn current_set_id(&self, eth: &mut Ethereum) -> u64 {
		let set = eth.read(self.address, abi::currentValidatorSetCall {}).expect("current set");
		set.id as u64
	}

	/// `verifyMMRLeafProof`: whether the leaf is under its latest root.
	pub fn verify_mmr_leaf_proof(
		&self,
		eth: &mut Ethereum,
		leaf_hash: B256,
		proof: &SimplifiedMmrProof,
	) -> bool {
		let call = abi::verifyMMRLeafProofCall {
			leafHash: leaf_hash,
			proof: proof.items.clone(),
			proofOrder: proof.order,
		};
		eth.read(self.address, call).expect("verifyMMRLeafProof")
	}

	/// `submitInitial` with validator `index`'s proof.
	pub fn submit_initial(
		&self,
		eth: &mut Ethereum,
		from: Address,
		submission: &Submission,
		index: usize,
	) -> TxResult {
		let call = abi::submitInitialCall {
			commitment: submission.commitment.abi(),
			bitfield: submission.bitfield(),
			proof: submission.validator_proof(index),
		};
		eth.call(from, self.address, call.abi_encode())
	}

	/// `commitPrevRandao` (at least `randao_commit_delay` blocks after `submitInitial`).
	pub fn commit_prev_randao(
		&self,
		eth: &mut Ethereum,
		from: Address,
		submission: &Submission,
	) -> TxResult {
		let call = abi::commitPrevRandaoCall { commitmentHash: submission.commitment.hash() };
		eth.call(from, self.address, call.abi_encode())
	}

	/// `createFinalBitfield`, called by the submitter (the ticket is its own): the validators
	/// whose signatures `submitFinal` must carry.
	pub fn final_bitfield(
		&self,
		eth: &mut Ethereum,
		from: Address,
		submission: &Submission,
	) -> Result<Vec<U256>, Bytes> {
		let call = abi::createFinalBitfieldCall {
			commitmentHash: submission.commitment.hash(),
			bitfield: submission.bitfield(),
		};
		eth.read_from(from, self.address, call)
	}

	/// `submitFinal` with the proofs of the validators in `final_bitfield`.
	pub fn submit_final(
		&self,
		eth: &mut Ethereum,
		from: Address,
		submission: &Submission,
		final_bitfield: &[U256],
	) -> TxResult {
		self.submit_final_with(eth, from, submission, submission.validator_proofs(final_bitfield))
	}

	/// `submitFinal` with the given validator proofs.
	pub fn submit_final_with(
		&self,
		eth: &mut Ethereum,
		from: Address,
		submission: &Submission,
		proofs: Vec<abi::ValidatorProof>,
	) -> TxResult {
		let (leaf, leaf_proof, leaf_proof_order) = submission.leaf_args();
		let call = abi::submitFinalCall {
			commitment: submission.commitment.abi(),
			bitfield: submission.bitfield(),
			proofs,
			leaf,
			leafProof: leaf_proof,
			leafProofOrder: leaf_proof_order,
		};
		eth.call(from, self.address, call.abi_encode())
	}

	/// The whole interactive protocol from `from`: `submitInitial` (with the first claimed
	/// validator's proof), `randao_commit_delay` blocks sealed, `commitPrevRandao`,
	/// `createFinalBitfield`, `submitFinal`. The gas of each transaction, or the one that
	/// reverted.
	pub fn submit_interactive(
		&self,
		eth: &mut Ethereum,
		from: Address,
		submission: &Submission,
	) -> Result<InteractiveGas, TxResult> {
		let initial = self.submit_initial(eth, from, submission, submission.claimed[0]);
		if !initial.success {
			return Err(initial);
		}
		for _ in 0..self.params.randao_commit_delay {
			eth.seal();
		}
		let randao = self.commit_prev_randao(eth, from, submission);
		if !randao.success {
			return Err(randao);
		}
		let final_bitfield =
			self.final_bitfield(eth, from, submission).expect("the ticket's bitfield");
		let last = self.submit_final(eth, from, submission, &final_bitfield);
		if !last.success {
			return Err(last);
		}
		Ok(InteractiveGas {
			submit_initial: initial.gas_used,
			commit_prev_randao: randao.gas_used,
			submit_final: last.gas_used,
		})
	}

	/// `createFiatShamirFinalBitfield`: the validators `submitFiatShamir` samples.
	pub fn fiat_shamir_bitfield(
		&self,
		eth: &mut Ethereum,
		submission: &Submission,
	) -> Result<Vec<U256>, Bytes> {
		let call = abi::createFiatShamirFinalBitfieldCall {
			commitment: submission.commitment.abi(),
			bitfield: submission.bitfield(),
		};
		eth.read(self.address, call)
	}

	/// `submitFiatShamir` with the proofs of the validators its hash samples (or, when the
	/// sampling itself refuses the bitfield, with none: the transaction reverts the same way).
	pub fn submit_fiat_shamir(
		&self,
		eth: &mut Ethereum,
		from: Address,
		submission: &Submission,
	) -> TxResult {
		let proofs = self
			.fiat_shamir_bitfield(eth, submission)
			.map(|bitfield| submission.validator_proofs(&bitfield))
			.unwrap_or_default();
		self.submit_fiat_shamir_with(eth, from, submission, proofs)
	}

	/// `submitFiatShamir` with the given validator proofs.
	pub fn submit_fiat_shamir_with(
		&self,
		eth: &mut Ethereum,
		from: Address,
		submission: &Submission,
		proofs: Vec<abi::ValidatorProof>,
	) -> TxResult {
		let (leaf, leaf_proof, leaf_proof_order) = submission.leaf_args();
		let call = abi::submitFiatShamirCall {
			commitment: submission.commitment.abi(),
			bitfield: submission.bitfield(),
			proofs,
			leaf,
			leafProof: leaf_proof,
			leafProofOrder: leaf_proof_order,
		};
		eth.call(from, self.address, call.abi_encode())
	}
}

// ------------------------------------------------------------------------------------- Finality

/// Ballast and the `BeefyClient` following it: what the gateway's tests release through.
pub struct Finality {
	/// The simulated chain.
	pub ballast: Ballast,
	/// The light client on Ethereum.
	pub client: BeefyLightClient,
	/// The latest block BeefyClient accepted a commitment for.
	accepted: u32,
	/// The set BeefyClient takes as current.
	client_set: u64,
}

impl Finality {
	/// A fresh Ballast of `validators` BEEFY validators, and `BeefyClient` deployed from `from`
	/// following it. Withdrawals are committed for no gateway until
	/// [`Ballast::set_gateway`].
	pub fn deploy(
		eth: &mut Ethereum,
		from: Address,
		validators: usize,
		params: BeefyClientParams,
	) -> Self {
		let ballast = Ballast::new(validators);
		let client = BeefyLightClient::deploy(eth, from, &ballast, params);
		let accepted = ballast.number();
		Finality { ballast, client, accepted, client_set: 0 }
	}

	/// The latest block BeefyClient accepted a commitment for.
	pub fn accepted(&self) -> u32 {
		self.accepted
	}

	/// Deploys another `BeefyClient` from `from`, following Ballast from its latest block (a
	/// checkpoint: the set signing now and the next), with the same parameters, and follows it
	/// from now on: [`Finality::finalize`] and [`Finality::release_call`] go through it. The
	/// former client is returned, no longer driven (as a stuck client is not).
	pub fn replace_client(&mut self, eth: &mut Ethereum, from: Address) -> BeefyLightClient {
		let client = BeefyLightClient::deploy(eth, from, &self.ballast, self.client.params);
		self.accepted = self.ballast.number();
		self.client_set = self.ballast.current_set().id;
		std::mem::replace(&mut self.client, client)
	}

	/// Burns a withdrawal on Ballast (in the block being built).
	pub fn burn(&mut self, token: Address, recipient: Address, amount: U256, nonce: u64) {
		let amount = u128::try_from(amount).expect("Ballast's amounts are u128");
		self.ballast.burn(token, recipient, amount, nonce);
	}

	/// Seals Ballast blocks until every burned withdrawal's root is in an MMR leaf and there is
	/// a block BeefyClient has not accepted yet.
	fn seal_for_commitment(&mut self) {
		if self.ballast.has_pending() {
			self.ballast.seal();
		}
		let latest = self.ballast.number();
		if latest == self.accepted || !self.ballast.burns(latest).is_empty() {
			self.ballast.seal();
		}
	}

	fn accept(&mut self, submission: &Submission) {
		self.accepted = submission.commitment.block_number;
		if submission.handover.is_some() {
			self.client_set += 1;
		}
	}

	/// The submission of Ballast's latest commitment (after sealing what was burned), signed by
	/// its current set, with the handover leaf when that set is new to BeefyClient.
	pub fn next_submission(&mut self) -> Submission {
		self.seal_for_commitment();
		self.ballast.submission(self.client_set)
	}

	/// Gets Ballast's latest commitment accepted by BeefyClient through Fiat-Shamir, sent by
	/// `relayer`: the transaction's gas, or the transaction if it reverted.
	pub fn finalize(&mut self, eth: &mut Ethereum, relayer: Address) -> Result<u64, TxResult> {
		let submission = self.next_submission();
		let result = self.client.submit_fiat_shamir(eth, relayer, &submission);
		if !result.success {
			return Err(result);
		}
		self.accept(&submission);
		Ok(result.gas_used)
	}

	/// As [`Finality::finalize`], through the interactive protocol (which seals Ethereum
	/// blocks).
	pub fn finalize_interactive(
		&mut self,
		eth: &mut Ethereum,
		relayer: Address,
	) -> Result<InteractiveGas, TxResult> {
		let submission = self.next_submission();
		let gas = self.client.submit_interactive(eth, relayer, &submission)?;
		self.accept(&submission);
		Ok(gas)
	}

	/// Records that BeefyClient accepted `submission` (sent by the test itself).
	pub fn accepted_submission(&mut self, submission: &Submission) {
		self.accept(submission);
	}

	/// `release`'s arguments for withdrawal `nonce`, proven under BeefyClient's latest root.
	pub fn release_call(&self, nonce: u64) -> abi::releaseCall {
		self.ballast.release_call(nonce, self.accepted)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn signatures_recover_to_the_validators_addresses() {
		let set = AuthoritySet::generate(7, 5);
		let hash = keccak256(b"a commitment");
		for validator in &set.validators {
			let signature = validator.sign(hash);
			assert!(signature.v == 27 || signature.v == 28);
			let mut bytes = [0u8; 65];
			bytes[..32].copy_from_slice(signature.r.as_slice());
			bytes[32..64].copy_from_slice(signature.s.as_slice());
			bytes[64] = signature.v - 27;
			let recovered = k256::ecdsa::VerifyingKey::recover_from_prehash(
				hash.as_slice(),
				&k256::ecdsa::Signature::from_slice(&bytes[..64]).expect("r, s"),
				k256::ecdsa::RecoveryId::from_byte(bytes[64]).expect("recovery id"),
			)
			.expect("recovers");
			let point = recovered.to_encoded_point(false);
			assert_eq!(Address::from_raw_public_key(&point.as_bytes()[1..]), validator.address);
			// Low s, as OpenZeppelin's ECDSA requires.
			assert!(signature.s.as_slice()[0] < 0x80);
		}
	}

	#[test]
	fn the_leaf_is_encoded_as_the_runtimes_mmr_leaf() {
		let leaf = ScaleMmrLeaf {
			version: 0,
			parent_number_and_hash: (41, [1; 32]),
			next_authority_set: (3, 100, [2; 32]),
			withdrawal_root: [3; 32],
		};
		let runtime: sp_consensus_beefy::mmr::MmrLeaf<
			u32,
			sp_core::H256,
			sp_core::H256,
			sp_core::H256,
		> = sp_consensus_beefy::mmr::MmrLeaf {
			version: sp_consensus_beefy::mmr::MmrLeafVersion::new(0, 0),
			parent_number_and_hash: (41, sp_core::H256([1; 32])),
			beefy_next_authority_set: sp_consensus_beefy::mmr::BeefyNextAuthoritySet {
				id: 3,
				len: 100,
				keyset_commitment: sp_core::H256([2; 32]),
			},
			leaf_extra: sp_core::H256([3; 32]),
		};
		assert_eq!(leaf.encode(), runtime.encode());
	}

	#[test]
	fn simplified_proofs_fold_to_mmr_libs_root_for_every_leaf() {
		let mut mmr = Mmr::new();
		for count in 1..=40u64 {
			mmr.push(keccak256(count.to_be_bytes()));
			let root = mmr.root(count);
			for index in 0..count {
				let leaf_hash = keccak256((index + 1).to_be_bytes());
				let items = mmr.substrate_proof(index, count);
				assert!(
					Mmr::verify_substrate_proof(root, leaf_hash, index, count, items.clone()),
					"mmr_lib's own proof of {index} in {count}"
				);
				let simplified = simplified_mmr_proof(index, count, &items).expect("shape");
				assert_eq!(
					release::simplified_mmr_root(leaf_hash, &simplified),
					root,
					"leaf {index} of {count}"
				);
				// Another leaf's hash does not fold to the root.
				let other = keccak256(b"another leaf");
				assert_ne!(release::simplified_mmr_root(other, &simplified), root);
			}
		}
	}

	#[test]
	fn withdrawal_trees_are_the_runtimes() {
		let gateway = Address::repeat_byte(0x9a);
		let burns: Vec<Burn> = (0..5u64)
			.map(|nonce| Burn {
				gateway,
				token: Address::repeat_byte(0x11),
				recipient: Address::repeat_byte(0x22),
				amount: 1_000 + nonce as u128,
				nonce,
			})
			.collect();
		let root = withdrawal_root(&burns);
		for index in 0..burns.len() {
			let messages: Vec<Vec<u8>> = burns.iter().map(Burn::message).collect();
			let proof = binary_merkle_tree::merkle_proof::<KeccakHasher, _, _>(
				messages.clone(),
				index as u32,
			);
			assert_eq!(proof.root.0, root.0);
			assert!(binary_merkle_tree::verify_proof::<KeccakHasher, _, _>(
				&proof.root,
				proof.proof.clone(),
				proof.number_of_leaves,
				proof.leaf_index,
				&messages[index],
			));
			assert_eq!(
				withdrawal_proof(&burns, index),
				proof.proof.iter().map(|h| B256::from(h.0)).collect::<Vec<_>>()
			);
		}
	}
}
