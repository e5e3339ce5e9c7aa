//! Runtime API of the valuation, for wallets, the lending UI and risk tooling.

#![cfg_attr(not(feature = "std"), no_std)]

use codec::Codec;
pub use pallet_lrt_backing::{RateComponents, StoredRate};
use sp_runtime::FixedU128;
extern crate alloc;
use alloc::vec::Vec;

sp_api::decl_runtime_apis! {
	/// Each LRT's backing rate (ETH per LRT, 18-decimal fixed point).
	pub trait LrtBackingApi<AssetId, Snapshot>
	where
		AssetId: Codec,
		Snapshot: Codec,
	{
		/// The effective rate liquidations use (`None` until the LRT is valued).
		fn backing_rate(lrt: AssetId) -> Option<FixedU128>;
		/// The rate for new borrowing: `None` while the data is stale.
		fn borrow_rate(lrt: AssetId) -> Option<FixedU128>;
		/// The rate's components: reported, proven, cap, effective, losses, staleness.
		fn components(lrt: AssetId) -> Option<RateComponents>;
		/// The last proven snapshot.
		fn snapshot(lrt: AssetId) -> Option<Snapshot>;
		/// The rate's recent values, oldest first.
		fn history(lrt: AssetId) -> Vec<StoredRate>;
	}
}
