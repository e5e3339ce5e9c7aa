//! Benchmarks. `submit_deposit` verifies a real `Deposited` event of the gateway contract (its
//! receipt, receipts trie and execution header built by `ballast-ethereum-harness`), with the
//! runtime's own verifier, and charges its length fee; `proof_bytes` is the work per proof byte,
//! on a synthetic receipt proof of `n` bytes; `withdraw` and the commitment use full trees;
//! `prune_commitment` prunes a full block's commitment.

use super::*;
use crate::pallet::Pallet as LrtBridge;
use alloc::{boxed::Box, vec::Vec};
use ballast_gateway::Deposit;
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible,
	fungibles::{Inspect, Mutate},
	tokens::Precision,
	EnsureOrigin, Get, Hooks,
};
use frame_system::RawOrigin;
use sp_core::H160;
use sp_runtime::traits::Saturating;

const UNIT: u128 = 1_000_000_000_000_000_000;

fn register<T: Config>(lrt: T::AssetId, token: H160, gateway: H160) {
	let origin = T::GovernanceOrigin::try_successful_origin().expect("governance origin");
	LrtBridge::<T>::register_lrt(origin, lrt, token, gateway, u128::MAX, 10u32.into())
		.expect("registers");
}

/// Gives `who` enough BAL for ten length fees of the largest proof.
fn fund<T: Config>(who: &T::AccountId) {
	let fee = LrtBridge::<T>::length_fee(T::MaxProofSize::get());
	let minimum = <T::Currency as fungible::Inspect<T::AccountId>>::minimum_balance();
	let amount = fee.saturating_add(minimum).saturating_mul(10u32.into());
	let _ = <T::Currency as fungible::Balanced<T::AccountId>>::deposit(
		who,
		amount,
		Precision::BestEffort,
	);
}

/// Registers the first benchmark LRT and queues `n` withdrawals of one unit in this block.
fn queue_withdrawals<T: Config>(n: u32) -> Result<(), BenchmarkError> {
	let lrt = T::BenchmarkHelper::lrt(0);
	register::<T>(lrt, H160::repeat_byte(1), H160::repeat_byte(2));
	let caller: T::AccountId = whitelisted_caller();
	T::Assets::mint_into(lrt, &caller, (n as u128 + 1) * UNIT)?;
	for _ in 0..n {
		LrtBridge::<T>::withdraw(
			RawOrigin::Signed(caller.clone()).into(),
			lrt,
			UNIT,
			H160::repeat_byte(0xee),
		)?;
	}
	Ok(())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_lrt() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let lrt = T::BenchmarkHelper::lrt(0);
		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			lrt,
			H160::repeat_byte(1),
			H160::repeat_byte(2),
			UNIT,
			10u32.into(),
		);
		assert!(Lrts::<T>::contains_key(lrt));
		Ok(())
	}

	#[benchmark]
	fn set_exposure() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let lrt = T::BenchmarkHelper::lrt(0);
		register::<T>(lrt, H160::repeat_byte(1), H160::repeat_byte(2));
		let operators: Vec<H160> =
			(0..T::MaxOperators::get()).map(|i| H160::repeat_byte(i as u8)).collect();
		let avss: Vec<H160> = (0..T::MaxAvss::get()).map(|i| H160::repeat_byte(i as u8)).collect();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lrt, operators, avss);
		Ok(())
	}

	#[benchmark]
	fn set_mint_limit() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let lrt = T::BenchmarkHelper::lrt(0);
		register::<T>(lrt, H160::repeat_byte(1), H160::repeat_byte(2));
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lrt, 5 * UNIT, 20u32.into());
		Ok(())
	}

	/// The emergency origin's path where it can: the governance origin is tried and refused
	/// first, then the new state is compared with the LRT's. That takes the origin
	/// `EmergencyOrigin::try_successful_origin` gives being one `GovernanceOrigin` refuses (so in
	/// the mock; not where it is root and root is also governance, as in the runtime): otherwise
	/// governance's path. Both read and write the same storage; the emergency path adds only
	/// pure origin checks and a comparison.
	#[benchmark]
	fn set_state() -> Result<(), BenchmarkError> {
		let origin = match T::EmergencyOrigin::try_successful_origin() {
			Ok(emergency) if T::GovernanceOrigin::try_origin(emergency.clone()).is_err() => {
				emergency
			},
			_ => T::GovernanceOrigin::try_successful_origin()
				.map_err(|_| BenchmarkError::Weightless)?,
		};
		let lrt = T::BenchmarkHelper::lrt(0);
		register::<T>(lrt, H160::repeat_byte(1), H160::repeat_byte(2));
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lrt, LrtState::DepositsPaused);
		assert_eq!(Lrts::<T>::get(lrt).map(|p| p.state), Some(LrtState::DepositsPaused));
		Ok(())
	}

	#[benchmark]
	fn submit_deposit() -> Result<(), BenchmarkError> {
		let proof = T::BenchmarkHelper::valid_deposit();
		let deposit =
			Deposit::from_log(&proof.event_log).map_err(|_| BenchmarkError::Weightless)?;
		let lrt = T::BenchmarkHelper::lrt(0);
		register::<T>(lrt, deposit.token, proof.event_log.address);
		let caller: T::AccountId = whitelisted_caller();
		fund::<T>(&caller);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), Box::new(proof));
		assert_eq!(Totals::<T>::get(lrt).deposited, deposit.amount);
		Ok(())
	}

	/// The verifier's work on `n` bytes of receipt proof (a synthetic receipt whose log fills
	/// them): hashing the trie's node, decoding the receipt, comparing the log.
	#[benchmark]
	fn proof_bytes(n: Linear<0, { T::MaxProofSize::get() }>) -> Result<(), BenchmarkError> {
		let (root, proof, log) = crate::weights::synthetic::receipt_proof(n);
		#[block]
		{
			assert!(crate::weights::synthetic::verify(root, &proof, &log));
		}
		Ok(())
	}

	#[benchmark]
	fn withdraw() -> Result<(), BenchmarkError> {
		let lrt = T::BenchmarkHelper::lrt(0);
		register::<T>(lrt, H160::repeat_byte(1), H160::repeat_byte(2));
		let caller: T::AccountId = whitelisted_caller();
		T::Assets::mint_into(lrt, &caller, 10 * UNIT)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), lrt, UNIT, H160::repeat_byte(0xee));
		assert_eq!(T::Assets::total_issuance(lrt), 9 * UNIT);
		Ok(())
	}

	/// `on_finalize` committing `n` withdrawals of the block.
	#[benchmark]
	fn commit_withdrawals(
		n: Linear<0, { T::MaxWithdrawalsPerBlock::get() }>,
	) -> Result<(), BenchmarkError> {
		queue_withdrawals::<T>(n)?;
		let now = frame_system::Pallet::<T>::block_number();
		#[block]
		{
			LrtBridge::<T>::on_finalize(now);
		}
		assert_eq!(Commitments::<T>::contains_key(now), n > 0);
		Ok(())
	}

	/// `on_initialize` pruning a commitment of `n` withdrawals, `CommitmentRetention` blocks
	/// after its block (and looking for a second one).
	#[benchmark]
	fn prune_commitment(
		n: Linear<0, { T::MaxWithdrawalsPerBlock::get() }>,
	) -> Result<(), BenchmarkError> {
		queue_withdrawals::<T>(n)?;
		let block = frame_system::Pallet::<T>::block_number();
		LrtBridge::<T>::on_finalize(block);
		let now = block.saturating_add(T::CommitmentRetention::get());
		frame_system::Pallet::<T>::set_block_number(now);
		#[block]
		{
			LrtBridge::<T>::prune_commitments(now);
		}
		assert!(!Commitments::<T>::contains_key(block));
		assert_eq!(OldestWithdrawal::<T>::get(), n as u64);
		Ok(())
	}

	impl_benchmark_test_suite!(
		LrtBridge,
		crate::mock::ExtBuilder::default().build(),
		crate::mock::Test
	);
}
