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
	/// The most one snapshot may lower the effective rate below the last one by a fall no proven
	/// loss explains (Ion bounds every update the same way); the rest waits for confirmation
	/// ([`PendingFall`]). Proven losses are never bounded.
	pub max_unproven_fall: Perbill,
	/// Seconds of Ethereum time after the snapshot that first reported an unconfirmed fall at
	/// which a later snapshot still reporting it confirms it (the fall then applies in full).
	pub fall_confirmation_delay: u64,
	/// A fall of the effective rate by more than this share of its highest value within
	/// `circuit_breaker_window` pauses borrowing against the LRT (non-zero).
	pub circuit_breaker_fall: Perbill,
	/// The circuit breaker's window, and how long a trip pauses borrowing (seconds of Ballast
	/// time) unless governance clears it first.
	pub circuit_breaker_window: u64,
}

/// Where an Ethereum event sits in Ethereum's order: the slot of the beacon block whose
/// execution payload holds it, then the transaction's index in that payload (post-merge, one
/// execution block per slot, so this orders every transaction). Both are proven with the event.
#[derive(
	Clone,
	Copy,
	Debug,
	Default,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct EthereumPosition {
	/// Slot of the beacon block that carries the execution block.
	pub slot: u64,
	/// Index of the transaction in the execution block.
	pub tx_index: u64,
}

/// A reported fall waiting for confirmation: the effective rate is held at most
/// `max_unproven_fall` below the rate before it, and borrowing on the LRT pauses.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct PendingFall {
	/// The reported rate (`total_eth / total_supply`) of the snapshot that started it: a later
	/// snapshot reporting at most this confirms it, one reporting more cancels it.
	pub target: FixedU128,
	/// That snapshot's nonce.
	pub nonce: u64,
	/// That snapshot's Ethereum time (unix seconds): confirmation needs a snapshot at least
	/// `fall_confirmation_delay` later.
	pub since: u64,
	/// The effective rate before the unconfirmed fall, lowered by every loss proven since: the
	/// baseline a later snapshot is bounded against, and the growth cap's baseline if the fall
	/// is cancelled (so an unconfirmed dip never ratchets the cap down).
	pub before: FixedU128,
	/// When (Ballast time, unix seconds) `before` was the effective rate.
	pub before_at: u64,
	/// The reported rate the valuation uses meanwhile instead of the snapshot's: it holds the
	/// effective rate where the bound puts it, and proven losses still come off it at once.
	pub held_reported: FixedU128,
}

/// A validator proven slashed while its LRT had no valuation settings, booked when they are
/// first set.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct UnvaluedSlash {
	/// The validator's beacon-chain index.
	pub index: u64,
	/// Its effective balance (Gwei) as proven.
	pub effective_balance: u64,
	/// Slot of the proof.
	pub slot: u64,
	/// Its `withdrawable_epoch` as proven (bounds the slashing epoch).
	pub withdrawable_epoch: u64,
}

/// How many `(rate, time)` samples the circuit breaker keeps per LRT (a decreasing sequence;
/// when full the newest sample's time is extended instead, which only lengthens the window).
pub type MaxBreakerSamples = frame_support::traits::ConstU32<16>;

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
	/// Where on Ethereum the loss happened at the latest, when known (slashes): a snapshot at
	/// or after it includes the loss, which then leaves the books.
	pub position: Option<EthereumPosition>,
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
	/// Where the report sits in Ethereum's order (the beacon slot of its proof and its
	/// transaction index): slashes at or before it are in `total_eth`.
	pub position: EthereumPosition,
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
	/// While a reported fall waits for confirmation: the last snapshot's own reported rate
	/// (`reported` is then the held rate). Borrowing is blocked meanwhile.
	pub unconfirmed: Option<FixedU128>,
	/// The circuit breaker is tripped: borrowing is blocked (liquidations are not).
	pub circuit_breaker: bool,
}

impl RateComponents {
	/// Whether new borrowing may use the rate: fresh data, no unconfirmed fall, no tripped
	/// circuit breaker.
	pub fn borrowable(&self) -> bool {
		!self.stale && self.unconfirmed.is_none() && !self.circuit_breaker
	}
}
