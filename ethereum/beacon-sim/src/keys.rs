//! Deterministic validator keys and the sync committee they fill.
//!
//! **These are test keys: anyone can derive them.** Validator `i`'s secret key is the IETF BLS
//! `KeyGen` (as in EIP-2333's master-key step) of the 32-byte input keying material
//! `keccak256("ballast-beacon-sim validator " ‖ i as 8 little-endian bytes)`, with empty key info.
//!
//! With `N` validators the 512 sync-committee seats are filled by repetition: seat `j` is
//! validator `j mod N`. The committee's aggregate signature over a message is the sum of the 512
//! seats' signatures; BLS signatures are linear in the secret key, so that sum is computed as one
//! signature with the sum of the 512 seats' keys (mod the group order), which is the same point
//! ([`Committee::sign_by_each_seat`] computes it seat by seat, for the tests that check this).

use alloy_primitives::{keccak256, U256};
use snowbridge_milagro_bls::{AggregateSignature, PublicKey, SecretKey, Signature};

/// Seats in a sync committee.
pub const SYNC_COMMITTEE_SIZE: usize = 512;

/// Order `r` of the BLS12-381 groups: secret keys are integers mod `r`.
const CURVE_ORDER: U256 = U256::from_be_bytes(alloy_primitives::hex!(
	"73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001"
));

/// Validator `index`'s secret key (see the module documentation for the derivation).
pub fn secret_key(index: u64) -> SecretKey {
	let mut input = b"ballast-beacon-sim validator ".to_vec();
	input.extend_from_slice(&index.to_le_bytes());
	SecretKey::key_generate(keccak256(&input).as_slice(), &[])
		.expect("KeyGen accepts 32 bytes of keying material")
}

/// A validator's 48-byte compressed public key.
pub fn public_key(secret: &SecretKey) -> [u8; 48] {
	PublicKey::from_secret_key(secret).as_bytes()
}

/// Signs `message` (a 32-byte signing root) with `secret`: the 96-byte compressed signature.
pub fn sign(secret: &SecretKey, message: &[u8; 32]) -> [u8; 96] {
	Signature::new(message, secret).as_bytes()
}

/// The keys of a set of validators, by index.
#[derive(Clone)]
pub struct ValidatorKeys {
	secret: Vec<SecretKey>,
	public: Vec<[u8; 48]>,
}

impl ValidatorKeys {
	/// The keys of validators `0..count`.
	pub fn new(count: usize) -> Self {
		let secret: Vec<SecretKey> = (0..count as u64).map(secret_key).collect();
		let public = secret.iter().map(public_key).collect();
		ValidatorKeys { secret, public }
	}

	/// How many validators.
	pub fn len(&self) -> usize {
		self.secret.len()
	}

	/// Whether there is none.
	pub fn is_empty(&self) -> bool {
		self.secret.is_empty()
	}

	/// Validator `index`'s secret key.
	pub fn secret(&self, index: usize) -> &SecretKey {
		&self.secret[index]
	}

	/// Validator `index`'s public key.
	pub fn public(&self, index: usize) -> [u8; 48] {
		self.public[index]
	}
}

/// The sync committee: 512 seats held by `N` validators in turn.
#[derive(Clone)]
pub struct Committee {
	/// The validator index holding each seat.
	pub seats: Vec<usize>,
	/// Each seat's public key, in seat order (the state's `SyncCommittee.pubkeys`).
	pub pubkeys: Vec<[u8; 48]>,
	/// The sum of the 512 seats' public keys (the state's `SyncCommittee.aggregate_pubkey`).
	pub aggregate_pubkey: [u8; 48],
	/// The sum of the 512 seats' secret keys, mod `r`.
	combined_secret: SecretKey,
	seat_secrets: Vec<SecretKey>,
}

impl Committee {
	/// The committee of `keys`: seat `j` held by validator `j mod N`.
	pub fn new(keys: &ValidatorKeys) -> Self {
		assert!(!keys.is_empty(), "a sync committee needs at least one validator");
		let seats: Vec<usize> = (0..SYNC_COMMITTEE_SIZE).map(|j| j % keys.len()).collect();
		let seat_secrets: Vec<SecretKey> = seats.iter().map(|&i| keys.secret(i).clone()).collect();
		let sum = seat_secrets.iter().fold(U256::ZERO, |sum, key| {
			sum.add_mod(U256::from_be_bytes(key.as_bytes()), CURVE_ORDER)
		});
		let combined_secret = SecretKey::from_bytes(&sum.to_be_bytes::<32>())
			.expect("a 32-byte integer below r is a secret key");
		Committee {
			pubkeys: seats.iter().map(|&i| keys.public(i)).collect(),
			aggregate_pubkey: public_key(&combined_secret),
			seats,
			combined_secret,
			seat_secrets,
		}
	}

	/// The aggregate signature of all 512 seats over `message`.
	pub fn sign(&self, message: &[u8; 32]) -> [u8; 96] {
		sign(&self.combined_secret, message)
	}

	/// The same aggregate, computed the long way: each seat signs, the 512 signatures are added.
	pub fn sign_by_each_seat(&self, message: &[u8; 32]) -> [u8; 96] {
		let mut aggregate = AggregateSignature::new();
		for secret in &self.seat_secrets {
			aggregate.add(&Signature::new(message, secret));
		}
		aggregate.as_bytes()
	}
}
