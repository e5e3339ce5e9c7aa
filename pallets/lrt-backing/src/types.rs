//! Types and constants of the valuation.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::Get, BoundedVec};
use scale_info::TypeInfo;
use sp_core::H160;
use sp_runtime::{FixedU128, Perbill};

/// Wei per Gwei.
pub const WEI_PER_GWEI: u128 = 1_000_000_000;
/// 1e18: EigenLayer's "whole" for `wadSlashed`.
pub const WAD: u128 = 1_000_000_000_000_000_000;

/// Consensus-spec constants of the current forks (Electra, Fulu) for a slashed validator.
///
/// Governance's valuation settings for one LRT.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct BackingParams {
	/// The most the rate may grow per year from its last value (Aave's CAPO); falls are never
	/// capped.
	pub max_yearly_growth: Perbill,
	/// A snapshot older than this (seconds of Ethereum time) makes the LRT stale.
	pub max_snapshot_age: u64,
	/// Validator proofs older than this many slots behind the light client make the LRT stale.
	pub max_proof_age_slots: u64,
	/// Ethereum's total active balance, Gwei (the correlation penalty's denominator).
	pub total_active_balance_gwei: u128,
	/// Expected penalties of a slashed validator until it is withdrawable (missed duties over
	/// about 8,192 epochs), as a share of its effective balance.
	pub exit_penalty: Perbill,
	/// A loss is assumed to be in the LRT's own accounting once a snapshot is this many seconds
	/// newer than when Ballast booked it.
	pub recognition_delay: u64,
}

/// What a loss was.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum LossKind {
	/// A tracked validator slashed: initial + expected correlation + exit penalties.
	ValidatorSlashed {
		/// The validator's beacon-chain index.
		index: u64,
	},
	/// A tracked validator's balance fell below what it held (and below 32 ETH).
	BalanceDrop {
		/// The validator's beacon-chain index.
		index: u64,
	},
	/// An AVS slashed an operator the LRT delegates to.
	AvsSlash {
		/// The slashed EigenLayer operator.
		operator: H160,
		/// The EigenLayer strategy the slash took from.
		strategy: H160,
	},
	/// Older losses merged to keep the list bounded.
	Merged,
}

/// A proven loss booked against an LRT's backing.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct Loss {
	/// What the loss was ([`LossKind::Merged`] once merged with an older one).
	pub kind: LossKind,
	/// The loss, in wei of ETH.
	pub wei: u128,
	/// When Ballast booked it (unix seconds).
	pub booked_at: u64,
}

/// One delegation of a snapshot.
pub use ballast_gateway::Stake;

/// The last proven `BackingReported` snapshot of an LRT.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxStakes))]
pub struct Snapshot<MaxStakes: Get<u32>> {
	/// Wei backing all the LRT's tokens, by its own accounting.
	pub total_eth: u128,
	/// The LRT's total supply (18 decimals).
	pub total_supply: u128,
	/// The LRT's delegations (operator, strategy, shares), for scaling AVS slashes.
	pub stakes: BoundedVec<Stake, MaxStakes>,
	/// The gateway event's nonce (snapshots only move forward).
	pub nonce: u64,
	/// Ethereum time of the block that emitted it (unix seconds).
	pub timestamp: u64,
}

/// The effective rate as last stored, and when.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct StoredRate {
	/// The effective rate, ETH per LRT.
	pub rate: FixedU128,
	/// Unix seconds (Ballast time).
	pub at: u64,
}

/// `(strategy, wei)` an AVS slash takes from one LRT.
pub type StrategyLosses = Vec<(H160, u128)>;

/// An LRT's rate and everything it is made of.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct RateComponents {
	/// `total_eth / total_supply` of the last snapshot.
	pub reported: FixedU128,
	/// `(total_eth − losses) / total_supply`.
	pub proven: FixedU128,
	/// The most the rate may be now (last rate grown at `max_yearly_growth`).
	pub cap: FixedU128,
	/// `min(reported, proven)`, capped if it rose: what liquidations use.
	pub effective: FixedU128,
	/// Wei of proven losses since the snapshot.
	pub losses: u128,
	/// Stale data: borrowing against the LRT is blocked (liquidations are not).
	pub stale: bool,
}
