//! A validator's record (`Validator` container) and balance, proven inside a `BeaconState`.

use crate::{
	fork::Fork,
	merkle::{concat, merkleize, u64_chunk, verify_branch, ProofError, Root},
};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::H256;

/// Depth of the data tree of `List[_, 2^40]` (validators); balances pack 4 per chunk: 2^38.
pub const VALIDATOR_LIST_DEPTH: u32 = 40;
/// Depth of the data tree of the `balances` list (`List[Gwei, 2^40]`, 4 balances per chunk).
pub const BALANCE_LIST_DEPTH: u32 = 38;
/// `VALIDATOR_REGISTRY_LIMIT`: validator indices are below this.
pub const VALIDATOR_REGISTRY_LIMIT: u64 = 1 << 40;

/// The 8 fields of a `Validator`, with the 48-byte pubkey replaced by its hash-tree-root (what
/// the container's first leaf holds), so proofs carry 32 bytes instead of 48.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ValidatorFields {
	/// `hash_tree_root(pubkey)` = `sha256(pubkey[0..32] ‖ pubkey[32..48] ‖ 0^16)`.
	pub pubkey_root: Root,
	/// Withdrawal credentials: a 0x00 BLS prefix, or 0x01/0x02 and an execution address.
	pub withdrawal_credentials: Root,
	/// Gwei.
	pub effective_balance: u64,
	/// Whether the validator has been slashed.
	pub slashed: bool,
	/// Epoch it became eligible for activation (`FAR_FUTURE_EPOCH` until then).
	pub activation_eligibility_epoch: u64,
	/// Epoch it activates or activated (`FAR_FUTURE_EPOCH` until scheduled).
	pub activation_epoch: u64,
	/// Epoch it exits (`FAR_FUTURE_EPOCH` while no exit is initiated).
	pub exit_epoch: u64,
	/// Epoch from which its balance can be withdrawn (`FAR_FUTURE_EPOCH` until exit or slashing).
	pub withdrawable_epoch: u64,
}

impl ValidatorFields {
	/// The container's 8 leaves, in field order.
	pub fn leaves(&self) -> [Root; 8] {
		let mut slashed = [0u8; 32];
		slashed[0] = self.slashed as u8;
		[
			self.pubkey_root,
			self.withdrawal_credentials,
			u64_chunk(self.effective_balance),
			H256(slashed),
			u64_chunk(self.activation_eligibility_epoch),
			u64_chunk(self.activation_epoch),
			u64_chunk(self.exit_epoch),
			u64_chunk(self.withdrawable_epoch),
		]
	}

	/// Reads the fields back from the 8 leaves; `None` if a leaf is not a canonical encoding
	/// (a `u64` with non-zero padding, a `bool` other than 0 or 1).
	pub fn from_leaves(leaves: &[Root; 8]) -> Option<Self> {
		let u64_of = |leaf: &Root| -> Option<u64> {
			let bytes = leaf.as_bytes();
			if bytes[8..].iter().any(|b| *b != 0) {
				return None;
			}
			Some(u64::from_le_bytes(bytes[..8].try_into().ok()?))
		};
		let slashed = match u64_of(&leaves[3])? {
			0 => false,
			1 => true,
			_ => return None,
		};
		Some(ValidatorFields {
			pubkey_root: leaves[0],
			withdrawal_credentials: leaves[1],
			effective_balance: u64_of(&leaves[2])?,
			slashed,
			activation_eligibility_epoch: u64_of(&leaves[4])?,
			activation_epoch: u64_of(&leaves[5])?,
			exit_epoch: u64_of(&leaves[6])?,
			withdrawable_epoch: u64_of(&leaves[7])?,
		})
	}

	/// `hash_tree_root(validator)`.
	pub fn hash_tree_root(&self) -> Root {
		merkleize(&self.leaves(), 3)
	}

	/// The Ethereum execution address of 0x01/0x02 withdrawal credentials (an EigenPod, for
	/// restaked validators); `None` for BLS (0x00) credentials.
	pub fn withdrawal_address(&self) -> Option<[u8; 20]> {
		withdrawal_address(&self.withdrawal_credentials)
	}
}

/// The execution address in 0x01/0x02 withdrawal credentials (`prefix ‖ 0^11 ‖ address`).
pub fn withdrawal_address(credentials: &Root) -> Option<[u8; 20]> {
	let credentials = credentials.as_bytes();
	let prefix_ok = matches!(credentials[0], 0x01 | 0x02);
	if !prefix_ok || credentials[1..12].iter().any(|b| *b != 0) {
		return None;
	}
	credentials[12..].try_into().ok()
}

/// `hash_tree_root` of a 48-byte BLS pubkey.
pub fn pubkey_root(pubkey: &[u8; 48]) -> Root {
	let mut padded = [0u8; 64];
	padded[..48].copy_from_slice(pubkey);
	H256(sp_io::hashing::sha2_256(&padded))
}

/// Balance (Gwei) of validator `index` from the 32-byte chunk holding balances `4⌊i/4⌋..+4`.
pub fn balance_from_chunk(chunk: &Root, index: u64) -> u64 {
	let offset = (index % 4) as usize * 8;
	let mut bytes = [0u8; 8];
	bytes.copy_from_slice(&chunk.as_bytes()[offset..offset + 8]);
	u64::from_le_bytes(bytes)
}

fn check_index(index: u64) -> Result<(), ProofError> {
	if index < VALIDATOR_REGISTRY_LIMIT {
		Ok(())
	} else {
		Err(ProofError::IndexOutOfRange)
	}
}

/// Gindex of validator `index`'s container below the `validators` list root.
pub fn validator_in_list_gindex(index: u64) -> Result<u64, ProofError> {
	check_index(index)?;
	// List root = hash(data root (gindex 2), length (3)); items sit 40 levels below the data root.
	concat(2, (1u64 << VALIDATOR_LIST_DEPTH) | index)
}

/// Gindex of the balance chunk of validator `index` below the `balances` list root.
pub fn balance_in_list_gindex(index: u64) -> Result<u64, ProofError> {
	check_index(index)?;
	concat(2, (1u64 << BALANCE_LIST_DEPTH) | (index / 4))
}

/// Gindex of validator `index`'s container below the state root.
pub fn validator_gindex(fork: Fork, index: u64) -> Result<u64, ProofError> {
	concat(fork.state_layout().validators, validator_in_list_gindex(index)?)
}

/// Gindex of validator `index`'s balance chunk below the state root.
pub fn balance_gindex(fork: Fork, index: u64) -> Result<u64, ProofError> {
	concat(fork.state_layout().balances, balance_in_list_gindex(index)?)
}

/// Checks validator `index`'s record against a state root (46 hashes in Deneb, 47 after).
pub fn verify_validator(
	fork: Fork,
	state_root: Root,
	index: u64,
	fields: &ValidatorFields,
	branch: &[Root],
) -> Result<(), ProofError> {
	verify_branch(fields.hash_tree_root(), branch, validator_gindex(fork, index)?, state_root)
}

/// Checks validator `index`'s balance chunk against a state root and returns its balance (Gwei).
pub fn verify_balance(
	fork: Fork,
	state_root: Root,
	index: u64,
	chunk: Root,
	branch: &[Root],
) -> Result<u64, ProofError> {
	verify_branch(chunk, branch, balance_gindex(fork, index)?, state_root)?;
	Ok(balance_from_chunk(&chunk, index))
}

/// Checks the `validators` list root against a state root (5 or 6 hashes), so a batch can then
/// prove each validator against that list root with [`verify_validator_in_list`] (41 hashes).
pub fn verify_validators_root(
	fork: Fork,
	state_root: Root,
	validators_root: Root,
	branch: &[Root],
) -> Result<(), ProofError> {
	verify_branch(validators_root, branch, fork.state_layout().validators, state_root)
}

/// Checks the `balances` list root against a state root.
pub fn verify_balances_root(
	fork: Fork,
	state_root: Root,
	balances_root: Root,
	branch: &[Root],
) -> Result<(), ProofError> {
	verify_branch(balances_root, branch, fork.state_layout().balances, state_root)
}

/// Checks validator `index`'s record against the `validators` list root.
pub fn verify_validator_in_list(
	validators_root: Root,
	index: u64,
	fields: &ValidatorFields,
	branch: &[Root],
) -> Result<(), ProofError> {
	verify_branch(
		fields.hash_tree_root(),
		branch,
		validator_in_list_gindex(index)?,
		validators_root,
	)
}

/// Checks validator `index`'s balance chunk against the `balances` list root; returns the balance.
pub fn verify_balance_in_list(
	balances_root: Root,
	index: u64,
	chunk: Root,
	branch: &[Root],
) -> Result<u64, ProofError> {
	verify_branch(chunk, branch, balance_in_list_gindex(index)?, balances_root)?;
	Ok(balance_from_chunk(&chunk, index))
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::consensus::FAR_FUTURE_EPOCH;

	#[test]
	fn gindices_match_the_consensus_specs() {
		// Values from the consensus pyspec's get_generalized_index (see the research notes).
		assert_eq!(validator_gindex(Fork::Deneb, 0), Ok(94_557_999_988_736));
		assert_eq!(validator_gindex(Fork::Electra, 0), Ok(164_926_744_166_400));
		assert_eq!(balance_gindex(Fork::Deneb, 0), Ok(24_189_255_811_072));
		assert_eq!(balance_gindex(Fork::Electra, 0), Ok(41_781_441_855_488));
		assert_eq!(balance_gindex(Fork::Deneb, 7), Ok(24_189_255_811_072 + 1));
		assert_eq!(
			validator_gindex(Fork::Deneb, VALIDATOR_REGISTRY_LIMIT),
			Err(ProofError::IndexOutOfRange)
		);
	}

	#[test]
	fn leaves_round_trip_and_reject_non_canonical_encodings() {
		let fields = ValidatorFields {
			pubkey_root: H256([1; 32]),
			withdrawal_credentials: H256([2; 32]),
			effective_balance: 32_000_000_000,
			slashed: true,
			activation_eligibility_epoch: 1,
			activation_epoch: 2,
			exit_epoch: FAR_FUTURE_EPOCH,
			withdrawable_epoch: FAR_FUTURE_EPOCH,
		};
		let mut leaves = fields.leaves();
		assert_eq!(ValidatorFields::from_leaves(&leaves), Some(fields));
		leaves[3].0[0] = 2;
		assert_eq!(ValidatorFields::from_leaves(&leaves), None);
		leaves[3].0[0] = 1;
		leaves[2].0[31] = 1;
		assert_eq!(ValidatorFields::from_leaves(&leaves), None);
	}

	#[test]
	fn withdrawal_addresses() {
		let mut credentials = [0u8; 32];
		credentials[0] = 1;
		credentials[12..].copy_from_slice(&[0xab; 20]);
		let mut fields = ValidatorFields::from_leaves(&[H256::zero(); 8]).expect("canonical");
		fields.withdrawal_credentials = H256(credentials);
		assert_eq!(fields.withdrawal_address(), Some([0xab; 20]));
		fields.withdrawal_credentials.0[0] = 0;
		assert_eq!(fields.withdrawal_address(), None);
	}

	#[test]
	fn balances_are_little_endian_u64s_four_per_chunk() {
		let mut chunk = [0u8; 32];
		chunk[8..16].copy_from_slice(&31_999_000_000u64.to_le_bytes());
		assert_eq!(balance_from_chunk(&H256(chunk), 5), 31_999_000_000);
		assert_eq!(balance_from_chunk(&H256(chunk), 4), 0);
	}
}
