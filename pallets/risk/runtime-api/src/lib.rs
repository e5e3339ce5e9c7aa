//! Runtime API of the risk scores, for validators' dashboards, lending UIs and anyone
//! reproducing the model.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use ballast_primitives::risk::LrtScore;
use codec::Codec;
pub use pallet_risk::{Accepted, Limits, ReporterId, Tier};
use sp_core::H160;

sp_api::decl_runtime_apis! {
	/// Read access to the risk pallet's accepted scores, tiers and reporters, and to the model.
	pub trait RiskApi<AssetId>
	where
		AssetId: Codec,
	{
		/// The LRT's accepted score and tier, with the epoch that set them.
		fn score(lrt: AssetId) -> Option<Accepted>;
		/// The caps the accepted scores put on the LRT's lending markets now.
		fn limits(lrt: AssetId) -> Option<Limits>;
		/// The tiers mapping scores to lending caps, safest (lowest `max_score`) first.
		fn tiers() -> Vec<Tier>;
		/// The last epoch whose scores were accepted.
		fn last_epoch() -> Option<u32>;
		/// The current epoch and who reported in it.
		fn reporters() -> (u32, Vec<(ReporterId, bool)>);
		/// The model over the current state (what an honest reporter submits now).
		fn compute(lrt: AssetId) -> Option<LrtScore>;
		/// The model's validator scores for the LRT, by beacon-chain index.
		fn validator_scores(lrt: AssetId) -> Vec<(u64, u16)>;
		/// The model's operator scores for the LRT.
		fn operator_scores(lrt: AssetId) -> Vec<(H160, u16)>;
	}
}
