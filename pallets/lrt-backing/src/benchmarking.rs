//! Benchmarks on a real story: the gateway's `BackingReported` and EigenLayer's
//! `OperatorSlashed` of one block, recorded by `ballast-ethereum-harness`, verified by the
//! runtime's own verifier.

use super::*;
use crate::pallet::Pallet as LrtBacking;
use alloc::boxed::Box;
use ballast_primitives::ethereum::OnValidatorBalanceChanged;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get};
use frame_system::RawOrigin;
use sp_runtime::Perbill;

fn params() -> BackingParams {
	BackingParams {
		max_yearly_growth: Perbill::from_percent(10),
		max_snapshot_age: 7 * 24 * 3600,
		max_proof_age_slots: 7_200,
		total_active_balance_gwei: 34_000_000_000_000_000,
		exit_penalty: Perbill::from_rational(3u32, 1000u32),
		recognition_delay: u64::MAX / 2,
		max_unproven_fall: Perbill::from_percent(1),
		fall_confirmation_delay: 24 * 3600,
		circuit_breaker_fall: Perbill::from_percent(10),
		circuit_breaker_window: 24 * 3600,
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let (lrt, ..) = T::BenchmarkHelper::story();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lrt, params());
		Ok(())
	}

	/// The heaviest path: the LRT's loss list is full (every loss is checked for recognition).
	#[benchmark]
	fn submit_backing_report(l: Linear<0, { T::MaxLosses::get() }>) -> Result<(), BenchmarkError> {
		let (lrt, report, ..) = T::BenchmarkHelper::story();
		Params::<T>::insert(lrt, params());
		for index in 0..l {
			<LrtBacking<T> as OnValidatorBalanceChanged<T::AssetId>>::on_validator_balance_changed(
				lrt,
				index as u64,
				32_000_000_000,
				31_000_000_000,
				1,
			);
		}
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), Box::new(report));
		assert!(Snapshots::<T>::contains_key(lrt));
		Ok(())
	}

	#[benchmark]
	fn submit_avs_slashing() -> Result<(), BenchmarkError> {
		let (lrt, report, slashing, manager) = T::BenchmarkHelper::story();
		Params::<T>::insert(lrt, params());
		AllocationManager::<T>::put(manager);
		let caller: T::AccountId = whitelisted_caller();
		LrtBacking::<T>::submit_backing_report(
			RawOrigin::Signed(caller.clone()).into(),
			Box::new(report),
		)
		.map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), Box::new(slashing));
		assert!(!Losses::<T>::get(lrt).is_empty());
		Ok(())
	}

	impl_benchmark_test_suite!(LrtBacking, crate::mock::ExtBuilder.build(), crate::mock::Test);
}
