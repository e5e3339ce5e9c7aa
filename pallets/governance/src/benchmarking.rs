//! Benchmarks of the calls, each at its worst case: `MaxPending - 1` other changes already
//! scheduled at the same block (the largest agenda the pallet makes the scheduler read), calls
//! over 128 bytes (a preimage noted or released), call length `l` up to the preimage pallet's
//! limit where the call's bytes are encoded, hashed or stored.

use super::*;
use crate::pallet::Pallet as Governance;
use alloc::{boxed::Box, vec};
use codec::Encode;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};

/// The longest call benchmarked: the preimage pallet's 4 MiB less the enactment's framing.
const MAX_LEN: u32 = 4 * 1024 * 1024 - 64;

/// A `System::remark` of `len` bytes (its encoding is a few bytes longer).
fn call_of_len<T: Config>(len: u32) -> <T as frame_system::Config>::RuntimeCall {
	frame_system::Call::<T>::remark { remark: vec![1; len as usize] }.into()
}

/// The `i`-th of distinct calls over 128 bytes (each needs a preimage).
fn large_call<T: Config>(i: u32) -> <T as frame_system::Config>::RuntimeCall {
	let mut remark = i.encode();
	remark.resize(200, 0);
	frame_system::Call::<T>::remark { remark }.into()
}

fn hash_of<T: Config>(call: &<T as frame_system::Config>::RuntimeCall) -> T::Hash {
	use sp_runtime::traits::Hash;
	T::Hashing::hash_of(call)
}

/// `MaxPending - 1` parameter changes scheduled now (so at the same block).
fn fill_pending_parameters<T: Config>() -> Result<(), BenchmarkError> {
	for i in 1..T::MaxPending::get() {
		Governance::<T>::do_schedule_parameters(large_call::<T>(i))?;
	}
	Ok(())
}

/// `MaxPending - 1` root changes approved now (so at the same block).
fn fill_pending_root<T: Config>() -> Result<(), BenchmarkError> {
	for i in 1..T::MaxPending::get() {
		let call = large_call::<T>(i);
		let call_hash = hash_of::<T>(&call);
		Governance::<T>::do_propose_root(call)?;
		Governance::<T>::do_approve_root(call_hash)?;
	}
	Ok(())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn schedule_parameters(l: Linear<0, MAX_LEN>) -> Result<(), BenchmarkError> {
		let origin =
			T::ParametersOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		fill_pending_parameters::<T>()?;
		let call = call_of_len::<T>(l);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, Box::new(call));
		assert_eq!(Pending::<T>::count(), T::MaxPending::get());
		Ok(())
	}

	#[benchmark]
	fn propose_root(l: Linear<0, MAX_LEN>) -> Result<(), BenchmarkError> {
		let origin = T::RootProposeOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;
		for i in 1..T::MaxPending::get() {
			Governance::<T>::do_propose_root(large_call::<T>(i))?;
		}
		let call = call_of_len::<T>(l);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, Box::new(call));
		assert_eq!(AwaitingApproval::<T>::count(), T::MaxPending::get());
		Ok(())
	}

	#[benchmark]
	fn approve_root() -> Result<(), BenchmarkError> {
		let origin = T::RootApproveOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;
		fill_pending_root::<T>()?;
		let call = large_call::<T>(0);
		let call_hash = hash_of::<T>(&call);
		Governance::<T>::do_propose_root(call)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, call_hash);
		assert_eq!(Pending::<T>::count(), T::MaxPending::get());
		Ok(())
	}

	#[benchmark]
	fn reject_root() -> Result<(), BenchmarkError> {
		let origin =
			T::CancelOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let call = large_call::<T>(0);
		let call_hash = hash_of::<T>(&call);
		Governance::<T>::do_propose_root(call)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, call_hash);
		assert_eq!(AwaitingApproval::<T>::count(), 0);
		Ok(())
	}

	#[benchmark]
	fn cancel() -> Result<(), BenchmarkError> {
		let origin =
			T::CancelOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let id = NextChangeId::<T>::get();
		Governance::<T>::do_schedule_parameters(large_call::<T>(0))?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);
		assert!(!Pending::<T>::contains_key(id));
		Ok(())
	}

	/// A root change of a remark of `l` bytes, due: `enact`'s own work plus the remark's (a
	/// no-op), so slightly over.
	#[benchmark]
	fn enact(l: Linear<0, MAX_LEN>) -> Result<(), BenchmarkError> {
		let call = call_of_len::<T>(l);
		let call_hash = hash_of::<T>(&call);
		let id = NextChangeId::<T>::get();
		Governance::<T>::do_propose_root(call.clone())?;
		Governance::<T>::do_approve_root(call_hash)?;
		let at: BlockNumberFor<T> = Pending::<T>::get(id).ok_or("scheduled")?.at;
		frame_system::Pallet::<T>::set_block_number(at);
		#[extrinsic_call]
		_(RawOrigin::Root, id, Box::new(call));
		assert!(!Pending::<T>::contains_key(id));
		Ok(())
	}

	/// The overhead of an emergency around the runtime's protective call (halting the light
	/// client); the call's own run is measured too, so this errs high.
	#[benchmark]
	fn emergency() -> Result<(), BenchmarkError> {
		let origin =
			T::EmergencyOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let call = T::BenchmarkHelper::emergency_call();
		let call_hash = hash_of::<T>(&call);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, Box::new(call));
		frame_system::Pallet::<T>::assert_last_event(
			Event::<T>::EmergencyDispatched { call_hash, result: Ok(()) }.into(),
		);
		Ok(())
	}

	impl_benchmark_test_suite!(Governance, crate::mock::ExtBuilder.build(), crate::mock::Test);
}
