//! Types of the validator-health pallet: what it stores and what its calls take.

use crate::math;
use ballast_ethereum_proofs::{Root, ValidatorFields};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

pub use ballast_ethereum_proofs::calls::{
	Branch, MaxBranch, SlashingProof, StateAnchor, ValidatorRecordProof,
};

/// A beacon block header, as calls take it.
pub type BeaconBlockHeaderOf = ballast_ethereum_proofs::BeaconBlockHeader;

/// Storage key of a slot that iterates in numeric order (big-endian bytes, `Identity` hash).
pub type SlotKey = [u8; 8];

/// Which LRT registered credentials belong to, and how many tracked validators use them.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct CredentialsInfo<AssetId> {
	/// The LRT that validators using these credentials back.
	pub lrt: AssetId,
	/// How many tracked validators use these credentials.
	pub validators: u32,
}

/// What Ballast knows of a tracked validator, as its newest proof showed it.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ValidatorRecord<AssetId> {
	/// The LRT whose registered withdrawal credentials this validator uses.
	pub lrt: AssetId,
	/// `hash_tree_root` of the validator's BLS pubkey.
	pub pubkey_root: Root,
	/// The validator's withdrawal credentials (0x01/0x02 ‖ 0^11 ‖ execution address).
	pub withdrawal_credentials: Root,
	/// Gwei.
	pub effective_balance: u64,
	/// Gwei, from the state's `balances` list.
	pub balance: u64,
	/// Whether the validator was slashed on Ethereum (irreversible).
	pub slashed: bool,
	/// Epoch at which the validator became eligible for activation.
	pub activation_eligibility_epoch: u64,
	/// Epoch at which the validator activated (or will).
	pub activation_epoch: u64,
	/// Epoch at which the validator exits (`u64::MAX` while no exit is scheduled).
	pub exit_epoch: u64,
	/// Epoch from which the validator's stake can be withdrawn.
	pub withdrawable_epoch: u64,
	/// Slot of the finalized beacon state the record was proven against.
	pub proven_at_slot: u64,
}

/// Where a validator stands at the epoch of its proof.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValidatorStatus {
	/// Deposited, not yet active.
	Pending,
	/// Active: earning rewards and exposed to penalties.
	Active,
	/// Exited (or exiting at this epoch): no longer validating.
	Exited,
}

impl<AssetId> ValidatorRecord<AssetId> {
	/// The record of a validator of `lrt` with these `fields` and `balance` (Gwei), proven at
	/// `slot`.
	pub fn new(lrt: AssetId, fields: &ValidatorFields, balance: u64, slot: u64) -> Self {
		ValidatorRecord {
			lrt,
			pubkey_root: fields.pubkey_root,
			withdrawal_credentials: fields.withdrawal_credentials,
			effective_balance: fields.effective_balance,
			balance,
			slashed: fields.slashed,
			activation_eligibility_epoch: fields.activation_eligibility_epoch,
			activation_epoch: fields.activation_epoch,
			exit_epoch: fields.exit_epoch,
			withdrawable_epoch: fields.withdrawable_epoch,
			proven_at_slot: slot,
		}
	}

	/// The validator's status at the epoch it was proven at.
	pub fn status(&self) -> ValidatorStatus {
		math::status_at(math::epoch_of(self.proven_at_slot), self.activation_epoch, self.exit_epoch)
	}
}

/// Per-LRT totals over its tracked validators, kept up to date with every proof (never
/// recomputed by looping over validators).
#[derive(
	Clone,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LrtAggregates {
	/// Tracked validators.
	pub validators: u32,
	/// Tracked validators active at the epoch of their proof.
	pub active: u32,
	/// Tracked validators exited (or exiting) at the epoch of their proof.
	pub exited: u32,
	/// Tracked validators recorded as slashed.
	pub slashed: u32,
	/// Sum of proven balances, Gwei.
	pub total_balance: u128,
	/// Sum of effective balances, Gwei.
	pub total_effective_balance: u128,
	/// Slot of the oldest proof still standing for one of its validators (freshness: the LRT's
	/// data is at least this fresh). `None` without validators.
	pub oldest_proof_slot: Option<u64>,
}

impl LrtAggregates {
	/// Adds (`add` = true) or removes a record's contribution.
	pub(crate) fn account<AssetId>(&mut self, record: &ValidatorRecord<AssetId>, add: bool) {
		self.validators = math::counted(self.validators, add);
		match record.status() {
			ValidatorStatus::Active => self.active = math::counted(self.active, add),
			ValidatorStatus::Exited => self.exited = math::counted(self.exited, add),
			ValidatorStatus::Pending => {},
		}
		if record.slashed {
			self.slashed = math::counted(self.slashed, add);
		}
		self.total_balance = math::summed(self.total_balance, record.balance, add);
		self.total_effective_balance =
			math::summed(self.total_effective_balance, record.effective_balance, add);
	}
}
