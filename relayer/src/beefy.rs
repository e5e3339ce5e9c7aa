//! Ballast's finality, carried to Ethereum: BEEFY commitments (MMR roots signed by Ballast's
//! BEEFY validators) submitted to Snowbridge's `BeefyClient.sol` with its interactive
//! random-sampling protocol.
//!
//! - Ballast side ([`BeefyChain`]): the node's `beefy_subscribeJustifications` stream (each item
//!   a SCALE `VersionedFinalityProof::V1(SignedCommitment)`), the justifications the node stores
//!   in the blocks BEEFY finalized (`chain_getBlock`, engine `BEEF`: how a restarted relayer
//!   catches up), headers (a session's first block carries the new BEEFY authority set in a
//!   `BEEF` consensus digest), `BeefyApi_validator_set` and MMR proofs (`mmr_generateProof`).
//! - Ethereum side: `BeefyClient`'s state ([`BeefyClientState`]) and one commitment's
//!   submission ([`submit_commitment`]): `submitInitial` (the bitfield of the validators whose
//!   signature is present and one validator's proof), `randaoCommitDelay` blocks later
//!   `commitPrevRandao`, then `createFinalBitfield` (an `eth_call` from the relayer's account)
//!   and `submitFinal` with the sampled validators' proofs and, when the commitment is signed by
//!   `BeefyClient`'s next set (a handover), the MMR leaf of the commitment's block, which names
//!   the set after it, with its proof against the commitment's root.
//!
//! Nothing Ballast serves is submitted unchecked: each signature must recover to its
//! validator's Ethereum address (keccak of the uncompressed key, as `pallet-beefy-mmr`'s
//! `BeefyEcdsaToEthereum`), the validators' Merkle root must be the one `BeefyClient` holds for
//! the set, more than two thirds must have signed, and a handover's leaf must lead to the
//! commitment's MMR root.

use crate::{
	chain::{self, Ballast},
	ethereum::{self, Included, Transactor},
	execution::{self, BlockId, ExecutionApi},
};
use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::{SolCall, SolConstructor};
use ballast_gateway::release::{
	abi, authority_set, bitfield, set_bits, simplified_mmr_proof, simplified_mmr_root,
	ScaleMmrLeaf, SimplifiedMmrProof,
};
use codec::{Decode, Encode};
use serde_json::Value;
use sp_consensus_beefy::{
	ecdsa_crypto::{Public, Signature},
	known_payloads::MMR_ROOT_ID,
	mmr::BeefyAuthoritySet,
	Commitment, ConsensusLog, MmrRootHash, SignedCommitment, ValidatorSet, VersionedFinalityProof,
};
use std::{
	collections::BTreeMap,
	sync::{Arc, Mutex},
	time::Duration,
};
use subxt::rpcs::{
	client::{rpc_params, RpcParams, RpcSubscription},
	RpcClient,
};

/// A BEEFY commitment with its signatures, as Ballast's validators sign them.
pub type BeefySignedCommitment = SignedCommitment<u32, Signature>;

/// BEEFY's consensus engine id, under which blocks carry justifications and digests.
pub const BEEFY_ENGINE_ID: [u8; 4] = *b"BEEF";

mod calls {
	alloy_sol_types::sol! {
		/// `BeefyClient.tickets`: an interactive submission's state.
		function tickets(bytes32 ticketID) returns (uint64 blockNumber, uint32 validatorSetLen, uint32 numRequiredSignatures, uint256 prevRandao, bytes32 bitfieldHash);
		/// `BeefyClient.randaoCommitExpiration`.
		function randaoCommitExpiration() returns (uint256);
	}
}

/// Why a BEEFY step failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// The Ballast node failed or refused.
	#[error(transparent)]
	Chain(#[from] chain::Error),
	/// The Ethereum node failed, or a transaction did not succeed.
	#[error(transparent)]
	Ethereum(#[from] ethereum::Error),
	/// Ballast served something that does not decode as what it should be.
	#[error("Ballast served {what} that does not decode: {message}")]
	Decode {
		/// What was read.
		what: String,
		/// The decoder's complaint.
		message: String,
	},
	/// A check failed on what Ballast or Ethereum served: nothing built from it is submitted.
	#[error("refused: {0}")]
	Refused(String),
	/// `BeefyClient` holds a commitment as new as this one already (another relayer's, landed
	/// meanwhile): it is not (or no longer) submitted.
	#[error("the commitment of block {block} is stale: BeefyClient is at block {latest}")]
	Stale {
		/// The commitment's block.
		block: u32,
		/// `BeefyClient`'s latest block.
		latest: u64,
	},
}

impl From<execution::Error> for Error {
	fn from(error: execution::Error) -> Self {
		Error::Ethereum(error.into())
	}
}

impl Error {
	/// The `failures_total` label.
	pub fn kind(&self) -> &'static str {
		match self {
			Error::Chain(_) => "chain",
			Error::Ethereum(error) => error.kind(),
			Error::Decode { .. } | Error::Refused(_) => "refused",
			Error::Stale { .. } => "stale",
		}
	}

	/// Whether another round may do better: a node or the connection failed, a transaction
	/// reverted or was not included (another relayer's landed first), or the commitment was
	/// superseded.
	pub fn is_retryable(&self) -> bool {
		match self {
			Error::Chain(error) => error.is_transient(),
			Error::Ethereum(ethereum::Error::Execution(error)) => error.is_transient(),
			Error::Ethereum(
				ethereum::Error::Reverted { .. } | ethereum::Error::NotIncluded { .. },
			) => true,
			Error::Stale { .. } => true,
			_ => false,
		}
	}
}

fn decode_error(what: impl Into<String>, error: impl std::fmt::Display) -> Error {
	Error::Decode { what: what.into(), message: error.to_string() }
}

// ------------------------------------------------------------------ pure conversions

/// Decodes a `VersionedFinalityProof` (what `beefy_subscribeJustifications` serves and blocks
/// store under `BEEF`) into its signed commitment.
pub fn decode_finality_proof(mut bytes: &[u8]) -> Result<BeefySignedCommitment, codec::Error> {
	let VersionedFinalityProof::V1(signed) =
		VersionedFinalityProof::<u32, Signature>::decode(&mut bytes)?;
	if !bytes.is_empty() {
		return Err("trailing bytes after the finality proof".into());
	}
	Ok(signed)
}

/// The commitment as `BeefyClient` takes it: the same payload items, in order.
pub fn abi_commitment(commitment: &Commitment<u32>) -> abi::Commitment {
	// `Payload` encodes as its list of (id, data) pairs, which it does not expose otherwise.
	let items = <Vec<([u8; 2], Vec<u8>)>>::decode(&mut &commitment.payload.encode()[..])
		.unwrap_or_default();
	abi::Commitment {
		blockNumber: commitment.block_number,
		validatorSetID: commitment.validator_set_id,
		payload: items
			.into_iter()
			.map(|(id, data)| abi::PayloadItem { payloadID: id.into(), data: data.into() })
			.collect(),
	}
}

/// `BeefyClient.encodeCommitment`: the SCALE encoding of the commitment, rebuilt from its ABI
/// form (what the contract hashes and the validators' signatures must recover from).
pub fn encode_abi_commitment(commitment: &abi::Commitment) -> Vec<u8> {
	let mut out = codec::Compact(commitment.payload.len() as u32).encode();
	for item in &commitment.payload {
		out.extend_from_slice(item.payloadID.as_slice());
		codec::Compact(item.data.len() as u32).encode_to(&mut out);
		out.extend_from_slice(&item.data);
	}
	out.extend_from_slice(&commitment.blockNumber.to_le_bytes());
	out.extend_from_slice(&commitment.validatorSetID.to_le_bytes());
	out
}

/// What the validators signed: keccak-256 of the SCALE-encoded commitment.
pub fn commitment_hash(commitment: &Commitment<u32>) -> B256 {
	keccak256(commitment.encode())
}

/// The MMR root a commitment carries, if it is one `BeefyClient` accepts: a single payload
/// item, `mh`, of 32 bytes.
pub fn mmr_root(commitment: &Commitment<u32>) -> Option<B256> {
	let abi = abi_commitment(commitment);
	match abi.payload.as_slice() {
		[item] if item.payloadID.0 == MMR_ROOT_ID && item.data.len() == 32 => {
			Some(B256::from_slice(&item.data))
		},
		_ => None,
	}
}

/// A BEEFY authority's Ethereum address: the last 20 bytes of keccak-256 of its uncompressed
/// public key (`pallet_beefy_mmr::BeefyEcdsaToEthereum`); `None` if the key is no curve point.
pub fn ethereum_address(key: &Public) -> Option<Address> {
	let bytes: &[u8] = key.as_ref();
	k256::ecdsa::VerifyingKey::from_sec1_bytes(bytes).ok().map(|key| Address::from_public_key(&key))
}

/// A signature's `(v, r, s)` as `ecrecover` (OpenZeppelin's `ECDSA.recover`) takes it: BEEFY's
/// 65 bytes are `r ‖ s ‖ recovery id` (0 or 1; 27 or 28 accepted), `v` is 27 + the recovery
/// id, and `s` is put in the lower half of the curve order (flipping the recovery id), which
/// OpenZeppelin requires. `None` if the bytes are no signature.
pub fn signature_parts(signature: &[u8]) -> Option<(u8, B256, B256)> {
	let bytes: &[u8; 65] = signature.try_into().ok()?;
	let mut recovery = match bytes[64] {
		id @ (0 | 1) => id,
		id @ (27 | 28) => id - 27,
		_ => return None,
	};
	let mut parsed = k256::ecdsa::Signature::from_slice(&bytes[..64]).ok()?;
	if let Some(low) = parsed.normalize_s() {
		parsed = low;
		recovery ^= 1;
	}
	let (r, s) = parsed.split_bytes();
	Some((27 + recovery, B256::from_slice(&r), B256::from_slice(&s)))
}

/// The address `ecrecover(hash, v, r, s)` gives, if any.
pub fn recover(hash: B256, v: u8, r: B256, s: B256) -> Option<Address> {
	let recovery = k256::ecdsa::RecoveryId::from_byte(v.checked_sub(27)?)?;
	let signature = k256::ecdsa::Signature::from_scalars(r.0, s.0).ok()?;
	k256::ecdsa::VerifyingKey::recover_from_prehash(hash.as_slice(), &signature, recovery)
		.ok()
		.map(|key| Address::from_public_key(&key))
}

/// `BeefyClient.computeQuorum`: signatures `submitInitial` needs of a set of `length`.
pub fn quorum(length: usize) -> usize {
	length.saturating_sub(length.saturating_sub(1) / 3)
}

/// `BeefyClient.createTicketID`: keccak of the relayer's address (as a 32-byte word) and the
/// commitment's hash.
pub fn ticket_id(relayer: Address, commitment_hash: B256) -> B256 {
	let mut preimage = [0u8; 64];
	preimage[12..32].copy_from_slice(relayer.as_slice());
	preimage[32..].copy_from_slice(commitment_hash.as_slice());
	keccak256(preimage)
}

/// A BEEFY validator set with its members' Ethereum addresses, in the set's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignerSet {
	/// The set's id.
	pub id: u64,
	/// Each validator's Ethereum address.
	pub addresses: Vec<Address>,
}

impl SignerSet {
	/// The set of `validators` (refused if a key is no curve point).
	pub fn new(validators: &ValidatorSet<Public>) -> Result<Self, Error> {
		let addresses = validators
			.validators()
			.iter()
			.map(|key| {
				ethereum_address(key).ok_or_else(|| {
					Error::Refused(format!(
						"BEEFY key {key:?} of set {} is no curve point",
						validators.id()
					))
				})
			})
			.collect::<Result<_, _>>()?;
		Ok(SignerSet { id: validators.id(), addresses })
	}

	/// The Merkle root of the addresses (`keyset_commitment`, `BeefyClient`'s set root).
	pub fn root(&self) -> B256 {
		authority_set::root(&self.addresses)
	}
}

/// A signed commitment checked against its validator set, ready for `BeefyClient`.
#[derive(Clone, Debug)]
pub struct Prepared {
	/// The commitment, ABI form.
	pub commitment: abi::Commitment,
	/// What the validators signed.
	pub hash: B256,
	/// The MMR root it carries.
	pub mmr_root: B256,
	/// The validators whose signature verifies, with their `(v, r, s)`.
	pub signatures: BTreeMap<usize, (u8, B256, B256)>,
	/// The set's addresses.
	pub addresses: Vec<Address>,
	/// Signatures present that do not recover to their validator (not used).
	pub bad_signatures: usize,
}

impl Prepared {
	/// Checks `signed` against `set`: its set id, one signature slot per validator, an MMR root
	/// `BeefyClient` accepts, each signature recovering to its validator's address, and more
	/// than two thirds of them.
	pub fn new(signed: &BeefySignedCommitment, set: &SignerSet) -> Result<Self, Error> {
		let commitment = &signed.commitment;
		if commitment.validator_set_id != set.id {
			return Err(Error::Refused(format!(
				"the commitment of block {} names set {}, its validators are set {}",
				commitment.block_number, commitment.validator_set_id, set.id
			)));
		}
		if signed.signatures.len() != set.addresses.len() {
			return Err(Error::Refused(format!(
				"the commitment of block {} has {} signature slots for {} validators",
				commitment.block_number,
				signed.signatures.len(),
				set.addresses.len()
			)));
		}
		let mmr_root = mmr_root(commitment).ok_or_else(|| {
			Error::Refused(format!(
				"the commitment of block {} carries no single 32-byte `mh` payload",
				commitment.block_number
			))
		})?;
		let hash = commitment_hash(commitment);
		let mut signatures = BTreeMap::new();
		let mut bad_signatures = 0;
		for (index, signature) in signed.signatures.iter().enumerate() {
			let Some(signature) = signature else { continue };
			let bytes: &[u8] = signature.as_ref();
			match signature_parts(bytes) {
				Some((v, r, s)) if recover(hash, v, r, s) == Some(set.addresses[index]) => {
					signatures.insert(index, (v, r, s));
				},
				_ => bad_signatures += 1,
			}
		}
		let needed = quorum(set.addresses.len());
		if signatures.len() < needed {
			return Err(Error::Refused(format!(
				"the commitment of block {} has {} valid signatures of {} validators, {needed} needed",
				commitment.block_number,
				signatures.len(),
				set.addresses.len()
			)));
		}
		Ok(Prepared {
			commitment: abi_commitment(commitment),
			hash,
			mmr_root,
			signatures,
			addresses: set.addresses.clone(),
			bad_signatures,
		})
	}

	/// The bitfield of the validators whose signature is present (and verifies).
	pub fn bitfield(&self) -> Vec<U256> {
		let indices: Vec<usize> = self.signatures.keys().copied().collect();
		bitfield(&indices, self.addresses.len())
	}

	/// Validator `index`'s proof: its signature, address and Merkle proof in the set.
	pub fn proof(&self, index: usize) -> Option<abi::ValidatorProof> {
		let (v, r, s) = *self.signatures.get(&index)?;
		Some(abi::ValidatorProof {
			v,
			r,
			s,
			index: U256::from(index),
			account: self.addresses[index],
			proof: authority_set::proof(&self.addresses, index),
		})
	}

	/// The validator whose proof goes with `submitInitial`: one of the signers, picked by the
	/// commitment's hash (so the signature-usage counters `BeefyClient` keeps, which raise the
	/// signatures asked for, spread over the signers).
	pub fn initial_signer(&self) -> usize {
		let signers: Vec<usize> = self.signatures.keys().copied().collect();
		let pick = u64::from_be_bytes(self.hash[..8].try_into().expect("8 bytes"));
		signers[(pick % signers.len() as u64) as usize]
	}
}

// ------------------------------------------------------------------ Ballast side

/// A block header's number and its `BEEF` consensus digests.
#[derive(Clone, Debug)]
pub struct HeaderInfo {
	/// The block's number.
	pub number: u32,
	/// The BEEFY authority set the block starts, if it starts one.
	pub new_authorities: Option<ValidatorSet<Public>>,
}

/// The BEEFY authority set a header digest item (SCALE `DigestItem`) announces, if it is a
/// `Consensus(BEEF, AuthoritiesChange(set))`.
pub fn authorities_change(digest_item: &[u8]) -> Option<ValidatorSet<Public>> {
	// DigestItem::Consensus is variant 4: engine id, then the log as a byte vector.
	let (&variant, rest) = digest_item.split_first()?;
	if variant != 4 || rest.get(..4)? != BEEFY_ENGINE_ID {
		return None;
	}
	let log = <Vec<u8>>::decode(&mut &rest[4..]).ok()?;
	match ConsensusLog::<Public>::decode(&mut &log[..]).ok()? {
		ConsensusLog::AuthoritiesChange(set) => Some(set),
		_ => None,
	}
}

/// `0x`-hex, as Substrate's JSON-RPC writes bytes.
fn hex(bytes: impl AsRef<[u8]>) -> String {
	format!("0x{}", alloy_primitives::hex::encode(bytes))
}

/// Bytes of a JSON value: `0x`-hex, or an array of numbers (how serde writes `Vec<u8>`).
fn json_bytes(value: &Value) -> Option<Vec<u8>> {
	match value {
		Value::String(text) => alloy_primitives::hex::decode(text).ok(),
		Value::Array(items) => {
			items.iter().map(|item| item.as_u64().and_then(|n| u8::try_from(n).ok())).collect()
		},
		_ => None,
	}
}

fn json_number(value: &Value) -> Option<u64> {
	match value {
		Value::String(text) => u64::from_str_radix(text.strip_prefix("0x")?, 16).ok(),
		Value::Number(number) => number.as_u64(),
		_ => None,
	}
}

/// The MMR proof the node's `mmr_generateProof` serves (`LeafProof<H256>`).
pub type LeafProof = sp_mmr_primitives::LeafProof<MmrRootHash>;

/// Ballast's BEEFY and MMR RPC (the same connection as the relayer's [`Ballast`]).
#[derive(Clone)]
pub struct BeefyChain {
	url: String,
	rpc: RpcClient,
}

/// A withdrawal's proof in its block's withdrawal tree (`LrtBridgeApi_withdrawal_proof`).
#[derive(Clone, Debug, PartialEq, Eq, Decode)]
pub struct WithdrawalProof {
	/// The block whose withdrawal root holds it.
	pub block: u32,
	/// That root.
	pub root: [u8; 32],
	/// `abi.encode(gateway, token, recipient, amount, nonce)`.
	pub message: Vec<u8>,
	/// Its leaf's position.
	pub leaf_index: u32,
	/// The tree's width.
	pub leaf_count: u32,
	/// Sibling hashes, leaf up.
	pub proof: Vec<[u8; 32]>,
}

impl BeefyChain {
	/// The BEEFY RPC of `ballast`'s node, over its connection.
	pub fn new(ballast: &Ballast) -> Self {
		BeefyChain { url: ballast.url().to_string(), rpc: ballast.rpc_client() }
	}

	/// A new connection to the node at `url`.
	pub async fn connect(url: &str) -> Result<Self, Error> {
		let rpc = RpcClient::from_insecure_url(url).await.map_err(|e| self::node_error(url, e))?;
		Ok(BeefyChain { url: url.to_string(), rpc })
	}

	async fn request(&self, method: &str, params: RpcParams) -> Result<Value, Error> {
		self.rpc
			.request::<Value>(method, params)
			.await
			.map_err(|e| node_error(&self.url, format!("{method}: {e}")))
	}

	fn hash_of(&self, value: &Value, what: &str) -> Result<B256, Error> {
		value
			.as_str()
			.and_then(|text| text.parse().ok())
			.ok_or_else(|| decode_error(what, format!("{value} is no hash")))
	}

	/// GRANDPA's finalized head: its hash and number.
	pub async fn finalized_head(&self) -> Result<(B256, u32), Error> {
		let hash = self.request("chain_getFinalizedHead", rpc_params![]).await?;
		let hash = self.hash_of(&hash, "chain_getFinalizedHead")?;
		Ok((hash, self.header(hash).await?.number))
	}

	/// BEEFY's finalized head (the newest block BEEFY finalized): its hash and number.
	pub async fn beefy_finalized_head(&self) -> Result<(B256, u32), Error> {
		let hash = self.request("beefy_getFinalizedHead", rpc_params![]).await?;
		let hash = self.hash_of(&hash, "beefy_getFinalizedHead")?;
		Ok((hash, self.header(hash).await?.number))
	}

	/// The canonical block at `number`.
	pub async fn block_hash(&self, number: u32) -> Result<B256, Error> {
		let hash = self.request("chain_getBlockHash", rpc_params![number]).await?;
		if hash.is_null() {
			return Err(node_error(&self.url, format!("no block {number}")));
		}
		self.hash_of(&hash, "chain_getBlockHash")
	}

	/// The header of block `hash`: its number and the BEEFY set it starts, if any.
	pub async fn header(&self, hash: B256) -> Result<HeaderInfo, Error> {
		let header = self.request("chain_getHeader", rpc_params![hex(hash)]).await?;
		if header.is_null() {
			return Err(node_error(&self.url, format!("no header {hash}")));
		}
		let number = json_number(&header["number"])
			.and_then(|n| u32::try_from(n).ok())
			.ok_or_else(|| decode_error("a header", "no number"))?;
		let new_authorities = header["digest"]["logs"]
			.as_array()
			.into_iter()
			.flatten()
			.filter_map(json_bytes)
			.find_map(|item| authorities_change(&item));
		Ok(HeaderInfo { number, new_authorities })
	}

	/// The BEEFY justification block `hash` carries (stored by the node for every block BEEFY
	/// finalized), if any.
	pub async fn justification(&self, hash: B256) -> Result<Option<BeefySignedCommitment>, Error> {
		let block = self.request("chain_getBlock", rpc_params![hex(hash)]).await?;
		let Some(justifications) = block["justifications"].as_array() else { return Ok(None) };
		for justification in justifications {
			let engine = justification.get(0).and_then(json_bytes);
			if engine.as_deref() != Some(BEEFY_ENGINE_ID.as_slice()) {
				continue;
			}
			let data = justification
				.get(1)
				.and_then(json_bytes)
				.ok_or_else(|| decode_error("a BEEFY justification", "no bytes"))?;
			return decode_finality_proof(&data)
				.map(Some)
				.map_err(|e| decode_error(format!("the BEEFY justification of {hash}"), e));
		}
		Ok(None)
	}

	/// `state_call` of runtime API `method` with SCALE `args` at block `at`: the SCALE result.
	pub async fn state_call(&self, method: &str, args: &[u8], at: B256) -> Result<Vec<u8>, Error> {
		let result = self.request("state_call", rpc_params![method, hex(args), hex(at)]).await?;
		result
			.as_str()
			.and_then(|text| alloy_primitives::hex::decode(text).ok())
			.ok_or_else(|| decode_error(method, format!("{result} is no hex")))
	}

	/// `BeefyApi_validator_set` at `at`: the BEEFY authority set then.
	pub async fn validator_set(&self, at: B256) -> Result<Option<ValidatorSet<Public>>, Error> {
		let bytes = self.state_call("BeefyApi_validator_set", &[], at).await?;
		<Option<ValidatorSet<Public>>>::decode(&mut &bytes[..])
			.map_err(|e| decode_error("BeefyApi_validator_set", e))
	}

	/// `BeefyMmrApi_authority_set_proof` and `BeefyMmrApi_next_authority_set_proof` at `at`:
	/// the current and next BEEFY sets as `BeefyClient`'s constructor takes them.
	pub async fn authority_sets(
		&self,
		at: B256,
	) -> Result<(abi::ValidatorSet, abi::ValidatorSet), Error> {
		let mut sets = Vec::new();
		for method in ["BeefyMmrApi_authority_set_proof", "BeefyMmrApi_next_authority_set_proof"] {
			let bytes = self.state_call(method, &[], at).await?;
			let set = BeefyAuthoritySet::<MmrRootHash>::decode(&mut &bytes[..])
				.map_err(|e| decode_error(method, e))?;
			sets.push(abi::ValidatorSet {
				id: u128::from(set.id),
				length: u128::from(set.len),
				root: B256::from(set.keyset_commitment.0),
			});
		}
		let next = sets.pop().expect("two sets");
		let current = sets.pop().expect("two sets");
		Ok((current, next))
	}

	/// The MMR leaf of block `block` and its proof in the MMR as it was at block
	/// `best_known` (`mmr_generateProof([block], best_known)`, the runtime queried at `at`).
	pub async fn mmr_proof(
		&self,
		block: u32,
		best_known: u32,
		at: B256,
	) -> Result<(ScaleMmrLeaf, LeafProof), Error> {
		let answer = self
			.request("mmr_generateProof", rpc_params![vec![block], Some(best_known), hex(at)])
			.await?;
		let what = format!("the MMR proof of block {block} at block {best_known}");
		let leaves =
			json_bytes(&answer["leaves"]).ok_or_else(|| decode_error(&what, "no leaves"))?;
		let proof = json_bytes(&answer["proof"]).ok_or_else(|| decode_error(&what, "no proof"))?;
		let leaves =
			<Vec<Vec<u8>>>::decode(&mut &leaves[..]).map_err(|e| decode_error(&what, e))?;
		let [leaf] = leaves.as_slice() else {
			return Err(decode_error(&what, format!("{} leaves, one asked for", leaves.len())));
		};
		let leaf = ScaleMmrLeaf::decode(&mut &leaf[..]).map_err(|e| decode_error(&what, e))?;
		let proof = LeafProof::decode(&mut &proof[..]).map_err(|e| decode_error(&what, e))?;
		if proof.leaf_indices.len() != 1 {
			return Err(decode_error(&what, "not a proof of one leaf"));
		}
		Ok((leaf, proof))
	}

	/// `LrtBridgeApi_withdrawal_proof(nonce)` at `at`.
	pub async fn withdrawal_proof(
		&self,
		nonce: u64,
		at: B256,
	) -> Result<Option<WithdrawalProof>, Error> {
		let bytes = self.state_call("LrtBridgeApi_withdrawal_proof", &nonce.encode(), at).await?;
		<Option<WithdrawalProof>>::decode(&mut &bytes[..])
			.map_err(|e| decode_error("LrtBridgeApi_withdrawal_proof", e))
	}

	/// `beefy_subscribeJustifications`: every BEEFY finality proof the node produces or
	/// imports, as hex.
	pub async fn subscribe(&self) -> Result<RpcSubscription<String>, Error> {
		self.rpc
			.subscribe(
				"beefy_subscribeJustifications",
				rpc_params![],
				"beefy_unsubscribeJustifications",
			)
			.await
			.map_err(|e| node_error(&self.url, format!("beefy_subscribeJustifications: {e}")))
	}
}

fn node_error(url: &str, message: impl std::fmt::Display) -> Error {
	Error::Chain(chain::Error::Node { url: url.to_string(), message: message.to_string() })
}

/// The newest commitment known of each BEEFY set (from the subscription and the blocks'
/// stored justifications).
#[derive(Clone, Debug, Default)]
pub struct Known {
	newest: BTreeMap<u64, BeefySignedCommitment>,
}

impl Known {
	/// How many sets are remembered.
	const SETS: usize = 8;

	/// Remembers `signed` if it is its set's newest.
	pub fn insert(&mut self, signed: BeefySignedCommitment) {
		let set = signed.commitment.validator_set_id;
		let newer = self
			.newest
			.get(&set)
			.is_none_or(|known| known.commitment.block_number < signed.commitment.block_number);
		if newer {
			self.newest.insert(set, signed);
		}
		while self.newest.len() > Self::SETS {
			self.newest.pop_first();
		}
	}

	/// The newest commitment of set `set`.
	pub fn of_set(&self, set: u64) -> Option<&BeefySignedCommitment> {
		self.newest.get(&set)
	}

	/// The newest commitment of all.
	pub fn newest(&self) -> Option<&BeefySignedCommitment> {
		self.newest.values().next_back()
	}
}

/// Follows `beefy_subscribeJustifications` on `url` forever (re-subscribing after a failure),
/// putting each commitment in `known` and waking `notify`.
pub fn follow(
	url: String,
	known: Arc<Mutex<Known>>,
	notify: Arc<tokio::sync::Notify>,
) -> tokio::task::JoinHandle<()> {
	tokio::spawn(async move {
		let mut pause = Duration::from_secs(1);
		loop {
			// The connection lives as long as the subscription: dropping it ends the stream.
			let chain = BeefyChain::connect(&url).await;
			let subscription = match &chain {
				Ok(chain) => chain.subscribe().await,
				Err(error) => Err(node_error(&url, error)),
			};
			match subscription {
				Ok(mut items) => {
					while let Some(item) = items.next().await {
						let decoded = item
							.map_err(|e| e.to_string())
							.and_then(|text| {
								alloy_primitives::hex::decode(&text).map_err(|e| e.to_string())
							})
							.and_then(|bytes| {
								decode_finality_proof(&bytes).map_err(|e| e.to_string())
							});
						match decoded {
							Ok(signed) => {
								pause = Duration::from_secs(1);
								tracing::debug!(
									block = signed.commitment.block_number,
									set_id = signed.commitment.validator_set_id,
									"BEEFY justification"
								);
								known.lock().expect("known commitments").insert(signed);
								notify.notify_one();
							},
							Err(error) => {
								tracing::warn!(%error, "a BEEFY justification that does not decode");
							},
						}
					}
					tracing::warn!("the BEEFY justification subscription ended; subscribing again");
				},
				Err(error) => tracing::warn!(%error, "cannot subscribe to BEEFY justifications"),
			}
			tokio::time::sleep(pause).await;
			pause = (pause * 2).min(Duration::from_secs(30));
		}
	})
}

// ------------------------------------------------------------------ Ethereum side

/// A BEEFY validator set as `BeefyClient` holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SetInfo {
	/// Its id.
	pub id: u64,
	/// Its size.
	pub length: u64,
	/// The Merkle root of its members' addresses.
	pub root: B256,
}

/// What `BeefyClient` holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BeefyClientState {
	/// The Ballast block of the newest MMR root it accepted.
	pub latest_block: u64,
	/// That MMR root.
	pub latest_root: B256,
	/// The set whose commitments it accepts.
	pub current: SetInfo,
	/// The set after it (a commitment of it hands over).
	pub next: SetInfo,
}

impl BeefyClientState {
	/// The set `BeefyClient` would check a commitment of set `id` against, if any.
	pub fn set(&self, id: u64) -> Option<SetInfo> {
		[self.current, self.next].into_iter().find(|set| set.id == id)
	}
}

fn call<C: SolCall>(
	api: &ExecutionApi,
	from: Option<Address>,
	to: Address,
	call: &C,
) -> Result<C::Return, Error> {
	let output = api.call_from(from, to, &call.abi_encode(), BlockId::Latest)?;
	C::abi_decode_returns(&output)
		.map_err(|e| Error::Refused(format!("{to} answered {} with {output}: {e}", C::SIGNATURE)))
}

/// `BeefyClient`'s state (at the newest Ethereum block).
pub fn beefy_client_state(api: &ExecutionApi, client: Address) -> Result<BeefyClientState, Error> {
	let current = call(api, None, client, &abi::currentValidatorSetCall {})?;
	let next = call(api, None, client, &abi::nextValidatorSetCall {})?;
	let set =
		|id: u128, length: u128, root: B256| SetInfo { id: id as u64, length: length as u64, root };
	Ok(BeefyClientState {
		latest_block: call(api, None, client, &abi::latestBeefyBlockCall {})?,
		latest_root: call(api, None, client, &abi::latestMMRRootCall {})?,
		current: set(current.id, current.length, current.root),
		next: set(next.id, next.length, next.root),
	})
}

/// Runs blocking Ethereum work (ureq) from async code.
pub(crate) fn blocking<T>(work: impl FnOnce() -> T) -> T {
	tokio::task::block_in_place(work)
}

/// A commitment `BeefyClient` accepted, and what it cost.
#[derive(Clone, Debug)]
pub struct Submitted {
	/// The Ballast block it commits to.
	pub block: u32,
	/// The set that signed it.
	pub set_id: u64,
	/// Whether it handed `BeefyClient` over to that set.
	pub handover: bool,
	/// Its MMR root.
	pub mmr_root: B256,
	/// The transactions: `submitInitial`, `commitPrevRandao`, `submitFinal`.
	pub transactions: Vec<(&'static str, Included)>,
}

impl Submitted {
	/// Gas used by all its transactions.
	pub fn gas_used(&self) -> u64 {
		self.transactions.iter().map(|(_, included)| included.outcome.gas_used).sum()
	}
}

fn log_included(what: &'static str, included: &Included) {
	tracing::info!(
		what,
		hash = %included.hash,
		block = included.outcome.block_number,
		gas_used = included.outcome.gas_used,
		calldata_bytes = included.calldata_bytes,
		"Ethereum transaction included"
	);
}

/// The validator set that signed commitments of set `id`: from the digest of the session's
/// first block if `session_start` has it, else `BeefyApi_validator_set` at `block`.
pub async fn signer_set(
	chain: &BeefyChain,
	block: u32,
	id: u64,
	session_start: Option<&ValidatorSet<Public>>,
) -> Result<SignerSet, Error> {
	if let Some(set) = session_start.filter(|set| set.id() == id) {
		return SignerSet::new(set);
	}
	let hash = chain.block_hash(block).await?;
	let set = chain.validator_set(hash).await?.ok_or_else(|| {
		Error::Refused(format!("Ballast has no BEEFY validator set at block {block}"))
	})?;
	if set.id() != id {
		return Err(Error::Refused(format!(
			"block {block}'s BEEFY validator set is {}, the commitment names {id}",
			set.id()
		)));
	}
	SignerSet::new(&set)
}

/// A handover's MMR leaf: the leaf of the commitment's block (naming the set after the signing
/// one) and its simplified proof against the commitment's root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandoverLeaf {
	/// The leaf.
	pub leaf: ScaleMmrLeaf,
	/// Its proof.
	pub proof: SimplifiedMmrProof,
}

impl HandoverLeaf {
	/// The leaf of block `block` and its proof in the MMR as of that block, from Ballast.
	pub async fn read(chain: &BeefyChain, block: u32) -> Result<Self, Error> {
		let (at, _) = chain.finalized_head().await?;
		let (leaf, proof) = chain.mmr_proof(block, block, at).await?;
		let proof = simplify(&leaf, &proof)?;
		Ok(HandoverLeaf { leaf, proof })
	}
}

/// Submits `signed` to `BeefyClient` at `client` with the interactive protocol and waits until
/// it is accepted (see the module's documentation). `set` is the validator set that signed it
/// ([`signer_set`]); `state` what `BeefyClient` held when the commitment was chosen;
/// `handover` the MMR leaf a commitment of `BeefyClient`'s next set needs ([`HandoverLeaf`]).
pub async fn submit_commitment(
	tx: &Transactor,
	client: Address,
	signed: &BeefySignedCommitment,
	set: &SignerSet,
	state: &BeefyClientState,
	handover: Option<HandoverLeaf>,
) -> Result<Submitted, Error> {
	let block = signed.commitment.block_number;
	let set_id = signed.commitment.validator_set_id;
	if u64::from(block) <= state.latest_block {
		return Err(Error::Stale { block, latest: state.latest_block });
	}
	let vset = state.set(set_id).ok_or_else(|| {
		Error::Refused(format!(
			"BeefyClient accepts sets {} and {}, the commitment of block {block} is of set {set_id}",
			state.current.id, state.next.id
		))
	})?;
	let is_handover = set_id == state.next.id;
	let prepared = Prepared::new(signed, set)?;
	if prepared.bad_signatures > 0 {
		tracing::warn!(
			block,
			bad = prepared.bad_signatures,
			"signatures that do not verify left out"
		);
	}
	if vset.length != set.addresses.len() as u64 || vset.root != set.root() {
		return Err(Error::Refused(format!(
			"set {set_id} on Ballast ({} validators, root {}) is not BeefyClient's ({} validators, root {})",
			set.addresses.len(),
			set.root(),
			vset.length,
			vset.root
		)));
	}
	// A handover's leaf (checked first: nothing is sent if it is wrong) names the set after
	// the signing one and is in the commitment's MMR root.
	let (leaf, leaf_proof) = match (is_handover, handover) {
		(true, Some(HandoverLeaf { leaf, proof })) => {
			if simplified_mmr_root(leaf.hash(), &proof) != prepared.mmr_root {
				return Err(Error::Refused(format!(
					"the MMR leaf of block {block} does not lead to the root its commitment signs"
				)));
			}
			if leaf.next_authority_set.0 != state.next.id + 1 {
				return Err(Error::Refused(format!(
					"the MMR leaf of block {block} names set {} next, BeefyClient expects {}",
					leaf.next_authority_set.0,
					state.next.id + 1
				)));
			}
			(leaf.to_abi(), proof)
		},
		(true, None) => {
			return Err(Error::Refused(format!(
				"the commitment of block {block} hands over to set {set_id}: its MMR leaf is needed"
			)));
		},
		(false, _) => {
			(abi::MMRLeaf::default(), SimplifiedMmrProof { items: Vec::new(), order: U256::ZERO })
		},
	};
	let handover = is_handover;
	let bitfield = prepared.bitfield();
	let initial = prepared.initial_signer();
	tracing::info!(
		block,
		set_id,
		handover,
		signers = prepared.signatures.len(),
		validators = set.addresses.len(),
		mmr_root = %prepared.mmr_root,
		"submitting a BEEFY commitment"
	);
	let mut transactions = Vec::new();
	let initial_call = abi::submitInitialCall {
		commitment: prepared.commitment.clone(),
		bitfield: bitfield.clone(),
		proof: prepared.proof(initial).expect("a signer"),
	};
	let included = blocking(|| tx.transact("submitInitial", client, &initial_call.abi_encode()))?;
	log_included("submitInitial", &included);
	transactions.push(("submitInitial", included));
	let ticket_block = included.outcome.block_number;

	// `commitPrevRandao` once `randaoCommitDelay` blocks have passed since the ticket's block.
	let delay: U256 = blocking(|| call(tx.api(), None, client, &abi::randaoCommitDelayCall {}))?;
	let ready = ticket_block.saturating_add(u64::try_from(delay).unwrap_or(u64::MAX));
	loop {
		let head = blocking(|| tx.api().block_number())?;
		if head >= ready {
			break;
		}
		tokio::time::sleep(tx.poll).await;
	}
	ensure_fresh(tx, client, block)?;
	let randao = abi::commitPrevRandaoCall { commitmentHash: prepared.hash };
	let included = blocking(|| tx.transact("commitPrevRandao", client, &randao.abi_encode()))?;
	log_included("commitPrevRandao", &included);
	transactions.push(("commitPrevRandao", included));
	let ticket = blocking(|| {
		call(
			tx.api(),
			None,
			client,
			&calls::ticketsCall { ticketID: ticket_id(tx.address(), prepared.hash) },
		)
	})?;
	if ticket.prevRandao.is_zero() {
		return Err(Error::Refused(format!(
			"the ticket of block {block} expired before commitPrevRandao (included at Ethereum block {}, {} blocks after the ticket's)",
			included.outcome.block_number,
			included.outcome.block_number.saturating_sub(ticket_block)
		)));
	}

	// The sampled validators, `createFinalBitfield` from the relayer's account (the ticket is
	// keyed by it).
	let sample =
		abi::createFinalBitfieldCall { commitmentHash: prepared.hash, bitfield: bitfield.clone() };
	let final_bitfield = blocking(|| call(tx.api(), Some(tx.address()), client, &sample))?;
	let proofs = set_bits(&final_bitfield)
		.into_iter()
		.map(|index| {
			prepared.proof(index).ok_or_else(|| {
				Error::Refused(format!("BeefyClient sampled validator {index}, who did not sign"))
			})
		})
		.collect::<Result<Vec<_>, _>>()?;
	ensure_fresh(tx, client, block)?;
	let final_call = abi::submitFinalCall {
		commitment: prepared.commitment.clone(),
		bitfield,
		proofs,
		leaf,
		leafProof: leaf_proof.items,
		leafProofOrder: leaf_proof.order,
	};
	let included = blocking(|| tx.transact("submitFinal", client, &final_call.abi_encode()))?;
	log_included("submitFinal", &included);
	transactions.push(("submitFinal", included));
	let submitted =
		Submitted { block, set_id, handover, mmr_root: prepared.mmr_root, transactions };
	tracing::info!(
		block,
		set_id,
		handover,
		gas_used = submitted.gas_used(),
		"BEEFY commitment accepted by BeefyClient"
	);
	Ok(submitted)
}

/// [`Error::Stale`] if `BeefyClient` took a commitment of `block` or later meanwhile.
fn ensure_fresh(tx: &Transactor, client: Address, block: u32) -> Result<(), Error> {
	let latest = blocking(|| call(tx.api(), None, client, &abi::latestBeefyBlockCall {}))?;
	if latest >= u64::from(block) {
		return Err(Error::Stale { block, latest });
	}
	Ok(())
}

/// The simplified proof of `leaf` from Substrate's `proof`.
pub fn simplify(leaf: &ScaleMmrLeaf, proof: &LeafProof) -> Result<SimplifiedMmrProof, Error> {
	let index =
		*proof.leaf_indices.first().ok_or_else(|| Error::Refused("an empty MMR proof".into()))?;
	let items: Vec<B256> = proof.items.iter().map(|item| B256::from(item.0)).collect();
	simplified_mmr_proof(index, proof.leaf_count, &items).map_err(|e| {
		Error::Refused(format!(
			"the MMR proof of leaf {index} (block {}) of {} leaves: {e:?}",
			leaf.parent_number_and_hash.0 + 1,
			proof.leaf_count
		))
	})
}

/// Finds the first block in `from..=to` that starts BEEFY set `id` (its header carries the new
/// authority set), walking headers; every set start seen is put in `starts`.
pub async fn find_session_start(
	chain: &BeefyChain,
	id: u64,
	from: u32,
	to: u32,
	starts: &mut BTreeMap<u64, (u32, ValidatorSet<Public>)>,
) -> Result<Option<u32>, Error> {
	if let Some((block, _)) = starts.get(&id) {
		return Ok(Some(*block));
	}
	for number in from..=to {
		let header = chain.header(chain.block_hash(number).await?).await?;
		if let Some(set) = header.new_authorities {
			let found = set.id();
			starts.insert(found, (number, set));
			if found == id {
				return Ok(Some(number));
			}
			if found > id {
				return Err(Error::Refused(format!(
					"block {number} starts BEEFY set {found}, no block after {from} started set {id}"
				)));
			}
		}
	}
	Ok(None)
}

/// `BeefyClient`'s constructor arguments for following Ballast from its BEEFY finalized head:
/// that block, and the current and next sets there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientArgs {
	/// `initialBeefyBlock`.
	pub initial_beefy_block: u64,
	/// `initialValidatorSet`.
	pub current: abi::ValidatorSet,
	/// `nextValidatorSet`.
	pub next: abi::ValidatorSet,
}

impl ClientArgs {
	/// Reads them from Ballast.
	pub async fn read(chain: &BeefyChain) -> Result<Self, Error> {
		let (hash, number) = chain.beefy_finalized_head().await?;
		let (current, next) = chain.authority_sets(hash).await?;
		Ok(ClientArgs { initial_beefy_block: u64::from(number), current, next })
	}

	/// The ABI-encoded constructor arguments (to append to `BeefyClient`'s creation code).
	pub fn constructor_args(
		&self,
		randao_commit_delay: u64,
		randao_commit_expiration: u64,
		min_signatures: u64,
		fiat_shamir_signatures: u64,
	) -> Vec<u8> {
		abi::constructorCall {
			randaoCommitDelay: U256::from(randao_commit_delay),
			randaoCommitExpiration: U256::from(randao_commit_expiration),
			minNumRequiredSignatures: U256::from(min_signatures),
			fiatShamirRequiredSignatures: U256::from(fiat_shamir_signatures),
			initialBeefyBlock: self.initial_beefy_block,
			initialValidatorSet: self.current.clone(),
			nextValidatorSet: self.next.clone(),
		}
		.abi_encode()
	}
}

/// `BeefyClient.randaoCommitExpiration`.
pub fn randao_commit_expiration(api: &ExecutionApi, client: Address) -> Result<U256, Error> {
	call(api, None, client, &calls::randaoCommitExpirationCall {})
}

#[cfg(test)]
mod tests {
	use super::*;
	use k256::elliptic_curve::sec1::ToEncodedPoint;
	use sp_consensus_beefy::Payload;
	use sp_core::Pair;

	fn pair(seed: &str) -> sp_core::ecdsa::Pair {
		sp_core::ecdsa::Pair::from_string(seed, None).expect("dev seed")
	}

	fn public(pair: &sp_core::ecdsa::Pair) -> Public {
		Public::from(pair.public())
	}

	fn sign(pair: &sp_core::ecdsa::Pair, commitment: &Commitment<u32>) -> Signature {
		// What BEEFY's ecdsa_crypto signer does: sign keccak-256 of the encoded commitment.
		let hash = keccak256(commitment.encode()).0;
		Signature::from(pair.sign_prehashed(&hash))
	}

	fn commitment(block: u32, set: u64) -> Commitment<u32> {
		Commitment {
			payload: Payload::from_single_entry(MMR_ROOT_ID, vec![0xab; 32]),
			block_number: block,
			validator_set_id: set,
		}
	}

	#[test]
	fn the_abi_commitment_hashes_to_what_the_validators_signed() {
		let plain = commitment(1234, 7);
		let abi = abi_commitment(&plain);
		assert_eq!(abi.blockNumber, 1234);
		assert_eq!(abi.validatorSetID, 7);
		assert_eq!(abi.payload.len(), 1);
		assert_eq!(abi.payload[0].payloadID.0, *b"mh");
		assert_eq!(encode_abi_commitment(&abi), plain.encode());
		assert_eq!(keccak256(encode_abi_commitment(&abi)), commitment_hash(&plain));
		assert_eq!(mmr_root(&plain), Some(B256::repeat_byte(0xab)));
		// Several items (another id first) are all kept, in order, and hash the same; such a
		// commitment carries no MMR root BeefyClient would accept.
		let mixed = Commitment {
			payload: Payload::from_single_entry(*b"aa", vec![1, 2, 3])
				.push_raw(MMR_ROOT_ID, vec![0xcd; 32]),
			..plain.clone()
		};
		let abi = abi_commitment(&mixed);
		assert_eq!(abi.payload.len(), 2);
		assert_eq!(encode_abi_commitment(&abi), mixed.encode());
		assert_eq!(mmr_root(&mixed), None);
		// An MMR root of another length is none either.
		let short =
			Commitment { payload: Payload::from_single_entry(MMR_ROOT_ID, vec![1; 31]), ..plain };
		assert_eq!(mmr_root(&short), None);
	}

	#[test]
	fn a_finality_proof_decodes_with_its_signatures_in_place() {
		let keys: Vec<_> =
			["//Alice", "//Bob", "//Charlie", "//Dave"].into_iter().map(pair).collect();
		let plain = commitment(40, 3);
		let signed = BeefySignedCommitment {
			commitment: plain.clone(),
			signatures: vec![
				Some(sign(&keys[0], &plain)),
				None,
				Some(sign(&keys[2], &plain)),
				Some(sign(&keys[3], &plain)),
			],
		};
		let bytes = VersionedFinalityProof::V1(signed.clone()).encode();
		// Version 1 leads; the signatures are packed (a bitfield and the present ones).
		assert_eq!(bytes[0], 1);
		let decoded = decode_finality_proof(&bytes).expect("decodes");
		assert_eq!(decoded, signed);
		assert!(decode_finality_proof(&[&bytes[..], &[0]].concat()).is_err());
		assert!(decode_finality_proof(&bytes[..bytes.len() - 1]).is_err());

		let set = SignerSet {
			id: 3,
			addresses: keys
				.iter()
				.map(|p| ethereum_address(&public(p)).expect("a point"))
				.collect(),
		};
		// Three of four: the quorum (4 − ⌊3/3⌋).
		let prepared = Prepared::new(&decoded, &set).expect("three of four signed");
		assert_eq!(prepared.signatures.keys().copied().collect::<Vec<_>>(), vec![0, 2, 3]);
		assert_eq!(set_bits(&prepared.bitfield()), vec![0, 2, 3]);
		assert_eq!(prepared.bitfield(), vec![U256::from(0b1101u8)]);
		assert!([0, 2, 3].contains(&prepared.initial_signer()));
		assert_eq!(prepared.mmr_root, B256::repeat_byte(0xab));
		assert_eq!(prepared.hash, commitment_hash(&plain));
		let proof = prepared.proof(2).expect("Charlie signed");
		assert_eq!(proof.account, set.addresses[2]);
		assert_eq!(proof.index, U256::from(2u8));
		assert_eq!(recover(prepared.hash, proof.v, proof.r, proof.s), Some(proof.account));
		assert!(prepared.proof(1).is_none());
		// The validator's Merkle proof leads to the set's root, as BeefyClient checks it.
		assert_eq!(
			crate::release::substrate_merkle_root(keccak256(proof.account), 2, 4, &proof.proof),
			set.root()
		);

		// One signature short of the quorum (4 of 5 needed), or the wrong set: refused.
		let mut five = set.clone();
		five.addresses.push(Address::repeat_byte(9));
		let mut short = decoded.clone();
		short.signatures.push(None);
		assert!(matches!(Prepared::new(&short, &five), Err(Error::Refused(_))));
		let other = SignerSet { id: 4, ..set.clone() };
		assert!(matches!(Prepared::new(&decoded, &other), Err(Error::Refused(_))));
		assert!(matches!(Prepared::new(&short, &set), Err(Error::Refused(_))), "a slot too many");
		// A signature by someone else is left out, not submitted; without it there is no
		// quorum.
		let eve = pair("//Eve");
		let mut forged = decoded.clone();
		forged.signatures[1] = Some(sign(&eve, &plain));
		let prepared = Prepared::new(&forged, &set).expect("three good signatures remain");
		assert_eq!(prepared.bad_signatures, 1);
		assert_eq!(prepared.signatures.len(), 3);
		forged.signatures[2] = Some(sign(&eve, &plain));
		assert!(matches!(Prepared::new(&forged, &set), Err(Error::Refused(_))));
		// A signature of another commitment does not count either.
		let mut stale = decoded;
		stale.signatures[0] = Some(sign(&keys[0], &commitment(41, 3)));
		assert!(matches!(Prepared::new(&stale, &set), Err(Error::Refused(_))));
	}

	#[test]
	fn addresses_are_keccak_of_the_uncompressed_key() {
		// Alice's BEEFY key (`//Alice`) and its Ethereum address, as Polkadot's BEEFY tests
		// and Snowbridge's fixtures give them.
		let alice = public(&pair("//Alice"));
		let bytes: &[u8] = alice.as_ref();
		assert_eq!(
			alloy_primitives::hex::encode(bytes),
			"020a1091341fe5664bfa1782d5e04779689068c916b04cb365ec3153755684d9a1"
		);
		let uncompressed =
			k256::PublicKey::from_sec1_bytes(bytes).expect("a point").to_encoded_point(false);
		let expected = Address::from_slice(&keccak256(&uncompressed.as_bytes()[1..])[12..]);
		assert_eq!(ethereum_address(&alice), Some(expected));
		assert_eq!(
			ethereum_address(&alice),
			Some("0xE04CC55ebEE1cBCE552f250e85c57B70B2E2625b".parse().expect("address"))
		);
	}

	#[test]
	fn v_is_27_or_28_and_s_is_low() {
		let alice = pair("//Alice");
		let address = ethereum_address(&public(&alice)).expect("a point");
		for block in 0..16u32 {
			let plain = commitment(block, 0);
			let signature = sign(&alice, &plain);
			let bytes: &[u8] = signature.as_ref();
			let (v, r, s) = signature_parts(bytes).expect("a signature");
			assert_eq!(v, 27 + bytes[64]);
			assert_eq!(r.as_slice(), &bytes[..32]);
			assert_eq!(s.as_slice(), &bytes[32..64]);
			let hash = commitment_hash(&plain);
			assert_eq!(recover(hash, v, r, s), Some(address));
			// The same signature with the high s (n − s) and the other recovery id: put back
			// low, with the id flipped back.
			let parsed = k256::ecdsa::Signature::from_slice(&bytes[..64]).expect("parses");
			let high_s = -*parsed.s();
			let high =
				k256::ecdsa::Signature::from_scalars(parsed.r().to_bytes(), high_s.to_bytes())
					.expect("a signature");
			let mut malleated = high.to_bytes().to_vec();
			malleated.push(bytes[64] ^ 1);
			assert_eq!(signature_parts(&malleated), Some((v, r, s)));
			// Ethereum-style ids are taken as they are.
			let mut ethereum_style = bytes.to_vec();
			ethereum_style[64] += 27;
			assert_eq!(signature_parts(&ethereum_style), Some((v, r, s)));
		}
		let mut bad = [0u8; 65];
		bad[64] = 2;
		assert_eq!(signature_parts(&bad), None);
		assert_eq!(signature_parts(&[0u8; 64]), None);
	}

	#[test]
	fn quorum_is_more_than_two_thirds_as_beefy_client_counts_it() {
		assert_eq!(quorum(1), 1);
		assert_eq!(quorum(3), 3);
		assert_eq!(quorum(4), 3);
		assert_eq!(quorum(100), 67);
		assert_eq!(quorum(0), 0);
	}

	#[test]
	fn a_session_start_digest_names_its_authority_set() {
		let set = ValidatorSet::new(vec![public(&pair("//Alice"))], 5).expect("a set");
		let log = ConsensusLog::AuthoritiesChange(set.clone()).encode();
		let mut item = vec![4u8];
		item.extend_from_slice(&BEEFY_ENGINE_ID);
		log.encode_to(&mut item);
		assert_eq!(authorities_change(&item), Some(set));
		// Another engine's, or another BEEFY log: none.
		let mut grandpa = item.clone();
		grandpa[1..5].copy_from_slice(b"FRNK");
		assert_eq!(authorities_change(&grandpa), None);
		let mut mmr_root = vec![4u8];
		mmr_root.extend_from_slice(&BEEFY_ENGINE_ID);
		ConsensusLog::<Public>::MmrRoot(Default::default()).encode().encode_to(&mut mmr_root);
		assert_eq!(authorities_change(&mmr_root), None);
	}

	#[test]
	fn the_ticket_id_is_keccak_of_the_padded_address_and_hash() {
		let relayer = Address::repeat_byte(0x11);
		let hash = B256::repeat_byte(0x22);
		let mut preimage = vec![0u8; 12];
		preimage.extend_from_slice(relayer.as_slice());
		preimage.extend_from_slice(hash.as_slice());
		assert_eq!(ticket_id(relayer, hash), keccak256(&preimage));
	}

	#[test]
	fn justifications_are_read_as_hex_or_as_byte_arrays() {
		assert_eq!(json_bytes(&serde_json::json!("0x0102")), Some(vec![1, 2]));
		assert_eq!(json_bytes(&serde_json::json!([66, 69, 69, 70])), Some(b"BEEF".to_vec()));
		assert_eq!(json_bytes(&serde_json::json!([256])), None);
		assert_eq!(json_number(&serde_json::json!("0x1a")), Some(26));
		assert_eq!(json_number(&serde_json::json!(26)), Some(26));
	}

	#[test]
	fn the_newest_commitment_of_each_set_is_kept() {
		let signed = |block, set| BeefySignedCommitment {
			commitment: commitment(block, set),
			signatures: vec![],
		};
		let mut known = Known::default();
		known.insert(signed(10, 1));
		known.insert(signed(8, 1));
		known.insert(signed(20, 2));
		assert_eq!(known.of_set(1).map(|c| c.commitment.block_number), Some(10));
		assert_eq!(known.newest().map(|c| c.commitment.block_number), Some(20));
		for set in 3..20 {
			known.insert(signed(set as u32 * 10, set));
		}
		assert!(known.of_set(1).is_none(), "old sets are forgotten");
		assert_eq!(known.newest().map(|c| c.commitment.validator_set_id), Some(19));
	}
}
