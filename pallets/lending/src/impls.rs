//! The `ballast_primitives` traits this pallet implements for the other pallets.

use super::*;
use ballast_primitives::valuation::OnBackingRateDecreased;
use frame_support::pallet_prelude::*;
use sp_runtime::FixedU128;

/// Called by the valuation (`pallet-lrt-backing`) in the transaction that proved a loss.
impl<T: Config> OnBackingRateDecreased<T::AssetId> for Pallet<T> {
	/// Marks every market of the LRT; `on_idle` starts working its positions off in this
	/// very block.
	fn on_backing_rate_decreased(lrt: T::AssetId, previous: FixedU128, current: FixedU128) {
		Self::start_propagation(lrt, previous, current);
	}

	/// The collateral's market list read, then per market (at most `MaxMarketsPerCollateral`)
	/// its work-off read and written, and an event; priced by the storage it touches.
	fn weight() -> Weight {
		let markets = T::MaxMarketsPerCollateral::get() as u64;
		T::DbWeight::get()
			.reads_writes(1 + markets, markets)
			.saturating_add(Weight::from_parts(10_000_000, 0).saturating_mul(markets))
	}
}
