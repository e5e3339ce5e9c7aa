//! The `ballast_primitives` traits this pallet implements for the rest of the runtime, the
//! binding of its `risk` key to the session keys, and the session handler that makes the
//! session's validators the reporters (bodies in `session.rs`).

use crate::{pallet::*, types::ReporterId};
use ballast_primitives::risk::RiskLimits;
use frame_support::traits::OneSessionHandler;
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

/// pallet-session's handler (`SessionHandler` of the runtime): the session's validators' `risk`
/// keys are the reporters, from genesis, then from the epoch after each session that changes
/// them; a disabled validator's reports stop counting.
impl<T: Config> OneSessionHandler<T::AccountId> for Pallet<T> {
	type Key = ReporterId;

	fn on_genesis_session<'a, I>(validators: I)
	where
		I: 'a + Iterator<Item = (&'a T::AccountId, ReporterId)>,
	{
		Self::genesis_session(validators.map(|(_, key)| key));
	}

	fn on_new_session<'a, I>(changed: bool, validators: I, _queued_validators: I)
	where
		I: 'a + Iterator<Item = (&'a T::AccountId, ReporterId)>,
	{
		Self::new_session(changed, validators.map(|(_, key)| key));
	}

	fn on_disabled(validator_index: u32) {
		Self::disable(validator_index);
	}
}
