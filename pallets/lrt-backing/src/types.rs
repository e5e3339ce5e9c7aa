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
	/// A loss without an Ethereum position (a balance drop) is assumed to be in the LRT's own
	/// accounting once a snapshot is this many seconds newer than when Ballast booked it; a slashed
	/// validator's correlation and exit penalties once a snapshot is this much after they are
	/// applied on the beacon chain.
	pub recognition_delay: u64,
	/// The most snapshots may lower the effective rate, in all, below the highest rate lending
	/// read within the last `fall_confirmation_delay` (the unproven-fall baseline) by falls no
	/// proven loss explains (Ion bounds every update by such a step); the rest waits for
	/// confirmation ([`PendingFall`]). Proven losses are never bounded.
	pub max_unproven_fall: Perbill,
	/// Seconds after which an unconfirmed fall is confirmed by a snapshot still reporting it
	/// (Ethereum time, counted from the snapshot that started it), and how long a rate lending
	/// read stays the unproven-fall baseline (Ballast time).
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

/// An unconfirmed fall (an episode): a snapshot's proven rate was more than `max_unproven_fall`
/// below the unproven-fall baseline; the effective rate is held at that bound and borrowing on
/// the LRT pauses until a later snapshot back within the bound cancels it or one still beyond it,
/// `fall_confirmation_delay` after the episode started, confirms it. Later snapshots still
/// beyond the bound within the delay neither restart nor end it.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct PendingFall {
	/// The reported rate (`total_eth / total_supply`) of the snapshot that started the episode
	/// (for the record: a confirmation applies the confirming snapshot's own rate).
	pub target: FixedU128,
	/// That snapshot's nonce.
	pub nonce: u64,
	/// That snapshot's Ethereum time (unix seconds): confirmation needs a snapshot at least
	/// `fall_confirmation_delay` later.
	pub since: u64,
	/// The unproven-fall baseline when the episode started, lowered by every loss proven since:
	/// a later snapshot within `max_unproven_fall` of it cancels the episode (and the rate may
	/// recover up to it at once).
	pub before: FixedU128,
	/// When (Ballast time, unix seconds) the episode started.
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

/// How many seen-marks of old AVS slashing events (`SeenAvsSlashings`) are pruned at most per
/// block: bookings are rare (each needs a real `OperatorSlashed` event of an operator a valued
/// LRT delegates to), so a few a block keep up with them at a small, fixed cost.
pub const MAX_AVS_SLASHINGS_PRUNED_PER_BLOCK: u32 = 4;

/// How many `(rate, time)` samples the circuit breaker keeps per LRT (a decreasing sequence;
/// when full the newest sample's time is extended instead, which only lengthens the window).
pub type MaxBreakerSamples = frame_support::traits::ConstU32<16>;

/// What a loss was.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum LossKind {
	/// A tracked validator slashed: its initial penalty (a snapshot after the slash includes it).
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
	/// A tracked validator slashed: its expected correlation and exit penalties, applied on the
	/// beacon chain `EPOCHS_PER_SLASHINGS_VECTOR / 2` epochs before it is withdrawable (only a
	/// snapshot from then on, plus `recognition_delay`, includes them).
	LaterSlashingPenalties {
		/// The validator's beacon-chain index.
		index: u64,
	},
}

impl LossKind {
	/// The validator whose slash this loss is part of, if any (`BookedSlashes` holds it while
	/// the loss is in the books).
	pub fn slashed_validator(&self) -> Option<u64> {
		match self {
			LossKind::ValidatorSlashed { index } | LossKind::LaterSlashingPenalties { index } => {
				Some(*index)
			},
			_ => None,
		}
	}
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
	/// From where on Ethereum a snapshot includes the loss, when known (slashes, their later
	/// penalties): a snapshot at or after it includes the loss, which then leaves the books.
	pub position: Option<EthereumPosition>,
}

impl Loss {
	/// Whether a snapshot at Ethereum time `timestamp` and `position` includes the loss by its
	/// position or age alone (it then leaves the books): one with a position once the snapshot
	/// is at or after it, one without (a balance drop) once the snapshot is `recognition_delay`
	/// newer than its booking. A merged loss with a position needs both (it keeps the later
	/// position and the newer booking time of its parts, so it stays as long as any of them
	/// would). An AVS slash's position is `recognition_delay` after the slash; a snapshot may
	/// include it earlier by showing its cut ([`AvsSlashCut`]), which the snapshot's acceptance
	/// checks besides this.
	pub fn included_in(&self, timestamp: u64, position: EthereumPosition, delay: u64) -> bool {
		let recognised = self.booked_at.saturating_add(delay) <= timestamp;
		match (self.position, &self.kind) {
			(None, _) => recognised,
			(Some(at), LossKind::Merged) => at <= position && recognised,
			(Some(at), _) => at <= position,
		}
	}
}

/// What a booked AVS slash ([`LossKind::AvsSlash`]) cut from an LRT's stake with the operator in
/// the strategy, kept beside the loss while it is in the books (`AvsSlashCuts`, in the order of
/// the LRT's AVS-slash losses): a later snapshot listing that stake with at most `left` shares
/// shows EigenLayer's cut applied ([`AvsSlashCut::shown_by`]), one of the two conditions for the
/// snapshot's figure to carry the loss before `recognition_delay` (the other: the figure fell
/// by it, checked when the snapshot is accepted).
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
pub struct AvsSlashCut {
	/// The slashed EigenLayer operator (as in the loss's kind).
	pub operator: H160,
	/// The strategy the slash took from (as in the loss's kind).
	pub strategy: H160,
	/// Where the `OperatorSlashed` event sits in Ethereum's order.
	pub slash: EthereumPosition,
	/// The shares the snapshot the loss was cut from listed with the operator in the strategy
	/// (summed), less the loss: the fewest EigenLayer's cut can leave (it cuts at most the
	/// slashed share, less when the operator allocated only part of its magnitude to the
	/// slashing operator set). A listing at or below it shows the cut in full.
	pub left: u128,
}

impl AvsSlashCut {
	/// Whether a snapshot at `position` listing `listed` shares with the operator in the strategy
	/// (summed; `None` if it lists none) shows this cut: the snapshot is after the slash and lists
	/// at most the shares the cut leaves. A snapshot at or before the slash never shows it; one
	/// listing more (stake delegated since) or not listing the pair (a withdrawal may have
	/// emptied it) does not, unless the cut left nothing (a full slash: an adapter leaves empty
	/// stakes out).
	pub fn shown_by(&self, position: EthereumPosition, listed: Option<u128>) -> bool {
		self.slash < position && listed.map_or(self.left == 0, |shares| shares <= self.left)
	}
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

/// An LRT's exposure to one operator in one strategy, as its snapshots prove it: kept for the
/// current uninterrupted run of snapshots listing a stake with the operator in the strategy
/// (`Exposures`). An AVS slash before `since` did not cut these stakes. One after the current
/// snapshot cut what that snapshot lists; one between the run's previous snapshot and the
/// current one cut what the previous one listed (`before`); an older one is not proven against
/// any stake Ballast holds and is not booked.
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
pub struct Exposure {
	/// The position of the first snapshot of the run.
	pub since: EthereumPosition,
	/// The run's snapshot before the current one: its position and the shares it listed
	/// (summed over the LRT's stakes with the operator in the strategy). `None` while the
	/// current snapshot is the run's first.
	pub before: Option<(EthereumPosition, u128)>,
}

impl Exposure {
	/// A run starting at a snapshot at `since`.
	pub fn new(since: EthereumPosition) -> Self {
		Self { since, before: None }
	}

	/// The run continued by a new snapshot, the previous one (at `position`) having listed
	/// `shares`.
	pub fn listed_again(self, position: EthereumPosition, shares: u128) -> Self {
		Self { since: self.since, before: Some((position, shares)) }
	}

	/// The shares a slash at `slash` cut, as this run proves them, the current snapshot (at
	/// `current`) listing `listed`: `None` if no snapshot of the run precedes the slash.
	pub fn cut_by(
		&self,
		slash: EthereumPosition,
		current: EthereumPosition,
		listed: u128,
	) -> Option<u128> {
		if slash < self.since {
			return None;
		}
		if current < slash {
			return Some(listed);
		}
		self.before.filter(|(at, _)| *at < slash).map(|(_, shares)| shares)
	}
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
	/// The most the rate may be now: the last rate, or the unproven-fall baseline while it
	/// stands, grown at `max_yearly_growth` since.
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
