//! What the bridge gives the other pallets: the LRT registry (`ballast_primitives::lrt`).

use crate::{Config, LrtOfToken, Lrts, Pallet};
use alloc::vec::Vec;
use ballast_primitives::lrt::{LrtRegistry, LrtState};
use sp_core::H160;

impl<T: Config> LrtRegistry<T::AssetId> for Pallet<T> {
	fn token(lrt: T::AssetId) -> Option<H160> {
		Lrts::<T>::get(lrt).map(|profile| profile.token)
	}
	fn lrt_of_token(token: H160) -> Option<T::AssetId> {
		LrtOfToken::<T>::get(token)
	}
	fn gateway(lrt: T::AssetId) -> Option<H160> {
		Lrts::<T>::get(lrt).map(|profile| profile.gateway)
	}
	fn operators(lrt: T::AssetId) -> Vec<H160> {
		Lrts::<T>::get(lrt).map(|profile| profile.operators.into_inner()).unwrap_or_default()
	}
	fn avss(lrt: T::AssetId) -> Vec<H160> {
		Lrts::<T>::get(lrt).map(|profile| profile.avss.into_inner()).unwrap_or_default()
	}
	fn state(lrt: T::AssetId) -> Option<LrtState> {
		Lrts::<T>::get(lrt).map(|profile| profile.state)
	}
	fn lrts() -> Vec<T::AssetId> {
		Lrts::<T>::iter_keys().collect()
	}
}
