//! What the bridge gives the other pallets: the LRT registry (`ballast_primitives::lrt`) and
//! the length fee of free proofs (`ballast_primitives::proofs`), which the valuation's proofs
//! pay as deposits do.
//! Bridged ether is bridged like an LRT but is no LRT: the registry does not list it, so no
//! pallet values, scores or lends against it as one.

use crate::{BridgedEther, Config, LrtOfToken, Lrts, Pallet, ProfileOf};
use alloc::vec::Vec;
use ballast_primitives::lrt::{LrtRegistry, LrtState};
use frame_support::traits::Get;
use sp_core::H160;

impl<T: Config> Pallet<T> {
	/// The profile of a registered LRT (`None` for bridged ether and unregistered assets).
	fn lrt_profile(lrt: T::AssetId) -> Option<ProfileOf<T>> {
		let ether = BridgedEther::<T>::get();
		Lrts::<T>::get(lrt).filter(|_| ether != Some(lrt))
	}
}

impl<T: Config> LrtRegistry<T::AssetId> for Pallet<T> {
	fn token(lrt: T::AssetId) -> Option<H160> {
		Self::lrt_profile(lrt).map(|profile| profile.token)
	}
	fn lrt_of_token(token: H160) -> Option<T::AssetId> {
		LrtOfToken::<T>::get(token).filter(|lrt| BridgedEther::<T>::get() != Some(*lrt))
	}
	fn gateway(lrt: T::AssetId) -> Option<H160> {
		Self::lrt_profile(lrt).map(|profile| profile.gateway)
	}
	fn operators(lrt: T::AssetId) -> Vec<H160> {
		Self::lrt_profile(lrt).map(|profile| profile.operators.into_inner()).unwrap_or_default()
	}
	fn avss(lrt: T::AssetId) -> Vec<H160> {
		Self::lrt_profile(lrt).map(|profile| profile.avss.into_inner()).unwrap_or_default()
	}
	fn state(lrt: T::AssetId) -> Option<LrtState> {
		Self::lrt_profile(lrt).map(|profile| profile.state)
	}
	fn lrts() -> Vec<T::AssetId> {
		let ether = BridgedEther::<T>::get();
		Lrts::<T>::iter_keys().filter(|lrt| Some(*lrt) != ether).collect()
	}
}

impl<T: Config> ballast_primitives::proofs::ProofLengthFee<T::AccountId> for Pallet<T> {
	fn max_proof_size() -> u32 {
		T::MaxProofSize::get()
	}
	fn proof_bytes_weight(size: u32) -> sp_runtime::Weight {
		<T::WeightInfo as crate::WeightInfo>::proof_bytes(size)
	}
	fn charge(who: &T::AccountId, size: u32) -> Result<(), sp_runtime::DispatchError> {
		Self::charge_length_fee(who, size)
	}
}
