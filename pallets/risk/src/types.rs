//! Reports, tiers and the limits accepted scores set.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;
use sp_runtime::{traits::Saturating, Perbill};

/// The reporters' application key (`risk`, sr25519), inserted in each validator's keystore.
pub mod crypto {
	use sp_application_crypto::{app_crypto, sr25519};
	use sp_runtime::KeyTypeId;
	/// `ballast-node key insert --key-type risk --scheme sr25519`.
	pub const KEY_TYPE: KeyTypeId = KeyTypeId(*b"risk");
	app_crypto!(sr25519, KEY_TYPE);
}

/// A reporter: a validator's `risk` public key.
pub type ReporterId = crypto::Public;
/// A reporter's signature over a report's SCALE encoding.
pub type ReporterSignature = crypto::Signature;
/// A scoring epoch: the block number divided by `EpochBlocks`.
pub type Epoch = u32;

/// A score range and the caps it puts on the markets of an LRT scoring in it.
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
	serde::Serialize,
	serde::Deserialize,
)]
pub struct Tier {
	/// Scores up to this one (inclusive) fall in the tier.
	pub max_score: u16,
	/// The highest loan-to-value the LRT's markets may allow.
	pub ltv: Perbill,
	/// The highest liquidation threshold the LRT's markets may use.
	pub liquidation_threshold: Perbill,
}

/// One reporter's scores for one epoch.
#[derive(
	CloneNoBound,
	DebugNoBound,
	PartialEqNoBound,
	EqNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxLrts))]
pub struct RiskReport<AssetId: Clone + PartialEq + Eq + core::fmt::Debug, MaxLrts: Get<u32>> {
	/// The epoch the scores are for (the current one when submitted).
	pub epoch: Epoch,
	/// The reporter's key, which signs the report.
	pub reporter: ReporterId,
	/// Block whose state the scores were computed on.
	pub computed_at: u32,
	/// `(lrt, score)`: each registered LRT at most once, scores in `0..=1000`.
	pub scores: BoundedVec<(AssetId, u16), MaxLrts>,
}

/// An LRT's accepted score.
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
pub struct Accepted {
	/// The median of the agreeing reports.
	pub score: u16,
	/// Index in the tier list.
	pub tier: u8,
	/// The epoch whose quorum accepted it.
	pub epoch: Epoch,
}

/// Caps on the LRT's markets.
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
pub struct Limits {
	/// The highest loan-to-value the LRT's markets may allow.
	pub ltv: Perbill,
	/// The highest liquidation threshold the LRT's markets may use.
	pub liquidation_threshold: Perbill,
}

impl Limits {
	/// No cap: where an LRT's limits start before its first accepted score (lending then uses
	/// the market's own parameters, which are below 100 %).
	pub const UNCAPPED: Limits =
		Limits { ltv: Perbill::one(), liquidation_threshold: Perbill::one() };

	/// One accepted epoch's move towards `target`. The LTV (which only limits new borrowing)
	/// drops to a lower target at once; the liquidation threshold (which decides liquidations)
	/// drops by at most `tighten_step`. Both rise by at most `loosen_step`.
	///
	/// If `self` and `target` each have LTV < threshold (or `self` is [`Limits::UNCAPPED`]),
	/// so does the result, provided `tighten_step` is not zero.
	pub fn towards(self, target: Limits, loosen_step: Perbill, tighten_step: Perbill) -> Limits {
		let loosen =
			|current: Perbill, target: Perbill| target.min(current.saturating_add(loosen_step));
		let ltv = if target.ltv <= self.ltv { target.ltv } else { loosen(self.ltv, target.ltv) };
		let threshold = if target.liquidation_threshold <= self.liquidation_threshold {
			target
				.liquidation_threshold
				.max(self.liquidation_threshold.saturating_sub(tighten_step))
		} else {
			loosen(self.liquidation_threshold, target.liquidation_threshold)
		};
		Limits { ltv, liquidation_threshold: threshold }
	}
}

/// No key is listed twice.
pub fn reporters_are_distinct(reporters: &[ReporterId]) -> bool {
	reporters.iter().enumerate().all(|(i, key)| !reporters[..i].contains(key))
}

/// Tiers ascend by `max_score`, the last covers the whole scale, each has LTV < LT < 1, and a
/// riskier tier never allows more than a safer one.
pub fn tiers_are_valid(tiers: &[Tier]) -> bool {
	let Some(last) = tiers.last() else { return false };
	last.max_score == crate::model::MAX_SCORE
		&& tiers
			.iter()
			.all(|t| t.ltv < t.liquidation_threshold && t.liquidation_threshold < Perbill::one())
		&& tiers.windows(2).all(|pair| {
			pair[0].max_score < pair[1].max_score
				&& pair[1].ltv <= pair[0].ltv
				&& pair[1].liquidation_threshold <= pair[0].liquidation_threshold
		})
}
