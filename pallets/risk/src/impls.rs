//! The `ballast_primitives` traits this pallet implements for the rest of the runtime, and the
//! binding of its `risk` key to the session keys.

use crate::{pallet::*, types::ReporterId};
use ballast_primitives::risk::RiskLimits;
use sp_runtime::Perbill;

/// Lending reads the caps accepted scores put on an LRT's markets here.
impl<T: Config> RiskLimits<T::AssetId> for Pallet<T> {
	fn limits(lrt: T::AssetId) -> Option<(Perbill, Perbill)> {
		MarketLimits::<T>::get(lrt).map(|l| (l.ltv, l.liquidation_threshold))
	}
}

/// The `risk` key is one of the runtime's session keys.
impl<T: Config> sp_runtime::BoundToRuntimeAppPublic for Pallet<T> {
	type Public = ReporterId;
}
