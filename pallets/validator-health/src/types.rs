//! Types of the validator-health pallet.

use ballast_ethereum_proofs::{fork::SLOTS_PER_EPOCH, Root, ValidatorFields};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

pub use ballast_ethereum_proofs::calls::{
	Branch, MaxBranch, SlashingProof, StateAnchor, ValidatorProof,
};

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
	pub withdrawal_credentials: Root,
	/// Gwei.
	pub effective_balance: u64,
	/// Gwei, from the state's `balances` list.
	pub balance: u64,
	pub slashed: bool,
	pub activation_eligibility_epoch: u64,
	pub activation_epoch: u64,
	pub exit_epoch: u64,
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
		let epoch = self.proven_at_slot / SLOTS_PER_EPOCH;
		if epoch >= self.exit_epoch {
			ValidatorStatus::Exited
		} else if epoch >= self.activation_epoch {
			ValidatorStatus::Active
		} else {
			ValidatorStatus::Pending
		}
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
	pub active: u32,
	pub exited: u32,
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
	/// Adds (`sign` = true) or removes a record's contribution.
	pub(crate) fn account<AssetId>(&mut self, record: &ValidatorRecord<AssetId>, add: bool) {
		let step = |count: &mut u32| {
			*count = if add { count.saturating_add(1) } else { count.saturating_sub(1) }
		};
		let sum = |total: &mut u128, value: u64| {
			*total = if add {
				total.saturating_add(value as u128)
			} else {
				total.saturating_sub(value as u128)
			}
		};
		step(&mut self.validators);
		match record.status() {
			ValidatorStatus::Active => step(&mut self.active),
			ValidatorStatus::Exited => step(&mut self.exited),
			ValidatorStatus::Pending => {},
		}
		if record.slashed {
			step(&mut self.slashed);
		}
		sum(&mut self.total_balance, record.balance);
		sum(&mut self.total_effective_balance, record.effective_balance);
	}
}
