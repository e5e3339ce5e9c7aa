//! Risk scores: the types and traits the pallets exchange around the risk model
//! (`docs/risk-model.md`). The model itself, the deterministic functions that compute validator,
//! operator and LRT scores, lives in `pallet_risk::model`.
//!
//! Scores run from 0 (no known risk) to 1000 (as risky as the model can say). The model's inputs
//! come from chain state through the traits below; the pallets that hold them implement them.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::H160;
use sp_runtime::{FixedU128, Perbill};

/// What the model needs of one tracked validator.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct ValidatorSummary {
	/// The validator's index in the beacon chain's registry.
	pub index: u64,
	/// Gwei.
	pub effective_balance: u64,
	/// Gwei.
	pub balance: u64,
	/// Whether the beacon state shows the validator slashed.
	pub slashed: bool,
	/// The epoch the validator exits in (Ethereum's `FAR_FUTURE_EPOCH` while it is not exiting).
	pub exit_epoch: u64,
	/// The slot of the beacon state its last proof was made against.
	pub proven_at_slot: u64,
}

/// A loss the valuation booked against an LRT.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum BookedLoss {
	/// A validator of the LRT proven slashed.
	ValidatorSlashed {
		/// The validator's beacon-chain index.
		index: u64,
	},
	/// A validator's proven balance fell.
	BalanceDrop {
		/// The validator's beacon-chain index.
		index: u64,
	},
	/// An AVS slashed an EigenLayer operator the LRT is delegated to.
	AvsSlash {
		/// The slashed operator.
		operator: H160,
	},
	/// Older losses merged together: no longer attributable.
	Merged,
}

/// The tracked validators of each LRT (validator health).
pub trait ValidatorSummaries<AssetId> {
	/// Every tracked validator backing `lrt`.
	fn validators_of(lrt: AssetId) -> Vec<ValidatorSummary>;

	/// Every tracked validator backing each of `lrts`, in the order of `lrts`. Implementations
	/// read the records once for all of them (the default asks `validators_of` per LRT).
	fn validators_of_each(lrts: &[AssetId]) -> Vec<Vec<ValidatorSummary>>
	where
		AssetId: Clone,
	{
		lrts.iter().cloned().map(Self::validators_of).collect()
	}
}

/// What the valuation knows of an LRT's exposure and history.
pub trait ValuationRecords<AssetId> {
	/// `(operator, shares)` of the last proven snapshot.
	fn stakes(lrt: AssetId) -> Vec<(H160, u128)>;
	/// Losses booked since the snapshot, oldest first.
	fn losses(lrt: AssetId) -> Vec<BookedLoss>;
	/// The rate's recent values, oldest first.
	fn rate_history(lrt: AssetId) -> Vec<FixedU128>;
}

/// Caps accepted risk scores put on lending markets of an LRT: `(LTV, liquidation threshold)`.
pub trait RiskLimits<AssetId> {
	/// The caps on `lrt`'s markets, `None` while no score has been accepted for it.
	fn limits(lrt: AssetId) -> Option<(Perbill, Perbill)>;
}

impl<AssetId> RiskLimits<AssetId> for () {
	fn limits(_: AssetId) -> Option<(Perbill, Perbill)> {
		None
	}
}

/// An LRT's score and its parts (each 0..=1000), as the model computes it and the risk pallet's
/// runtime API returns it.
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
pub struct LrtScore {
	/// The weighted sum of the parts below.
	pub score: u16,
	/// Effective-balance-weighted validator score.
	pub validators: u16,
	/// Operator concentration: Herfindahl index of the stakes / 10.
	pub concentration: u16,
	/// Stake-weighted operator score.
	pub operators: u16,
	/// Breadth of AVS exposure.
	pub avss: u16,
	/// Fall of the backing rate from its recent high.
	pub drawdown: u16,
}
