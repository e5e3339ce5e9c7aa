//! Benchmarks on a real story: the gateway's `BackingReported` and EigenLayer's
//! `OperatorSlashed` of one block, recorded by `ballast-ethereum-harness`, verified by the
//! runtime's own verifier. `submit_backing_report` replaces a snapshot whose `l` booked AVS
//! slashes the report shows and prices, so that every one is judged and leaves the books.
//! `submit_avs_slashing` copies the story's snapshot (and its exposure) to `l` valued LRTs, so
//! the one slashing books against, and re-rates, every one of them.

use super::*;
use crate::pallet::Pallet as LrtBacking;
use alloc::boxed::Box;
use codec::Decode;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_runtime::Perbill;

/// The `i`-th extra LRT of a benchmark: an asset id from `u32::MAX − i`'s bytes (unused by the
/// stories' LRTs).
fn extra_lrt<T: Config>(i: u32) -> Result<T::AssetId, BenchmarkError> {
	let bytes = (u32::MAX - i).to_le_bytes();
	T::AssetId::decode(&mut sp_runtime::traits::TrailingZeroInput::new(&bytes))
		.map_err(|_| BenchmarkError::Stop("asset ids decode from bytes"))
}

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
		// Settings `set_params` accepts: the recognition delay and the snapshot age within
		// `MaxAvsSlashingAge`.
		let half = T::MaxAvsSlashingAge::get() / 2;
		let accepted =
			BackingParams { max_snapshot_age: half, recognition_delay: half, ..params() };
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lrt, accepted);
		Ok(())
	}

	/// The heaviest path: the LRT's loss list holds `l` AVS slashes of a pair the report lists,
	/// each with its cut, every one shown by the report (after the slash, listing no more than
	/// the cut left) and priced by its figure (the previous snapshot reported the same plus
	/// every slash): each loss is checked for recognition, its cut looked up and the rate
	/// without it computed, and all leave the books with their cuts.
	#[benchmark]
	fn submit_backing_report(l: Linear<0, { T::MaxLosses::get() }>) -> Result<(), BenchmarkError> {
		let (lrt, report, ..) = T::BenchmarkHelper::story();
		Params::<T>::insert(lrt, params());
		let figures = ballast_gateway::BackingReport::from_log(&report.event_log)
			.map_err(|_| BenchmarkError::Stop("the story's report decodes"))?;
		let stake = figures
			.stakes
			.first()
			.ok_or(BenchmarkError::Stop("the story's report lists a stake"))?;
		let nonce = figures
			.nonce
			.checked_sub(1)
			.ok_or(BenchmarkError::Stop("the story's report follows another event"))?;
		let slot = report.proof.execution_proof.header.slot;
		let last = EthereumPosition { slot: slot.saturating_sub(2), tx_index: 0 };
		let slash = EthereumPosition { slot: slot.saturating_sub(1), tx_index: 0 };
		let wei: u128 = 1_000_000_000_000_000;
		Snapshots::<T>::insert(
			lrt,
			Snapshot {
				total_eth: figures.total_eth.saturating_add(wei.saturating_mul(l.into())),
				total_supply: figures.total_supply,
				stakes: BoundedVec::truncate_from(figures.stakes.clone()),
				nonce,
				timestamp: 0,
				position: last,
			},
		);
		let (operator, strategy) = (stake.operator, stake.strategy);
		let loss = Loss {
			kind: LossKind::AvsSlash { operator, strategy },
			wei,
			booked_at: 0,
			position: Some(EthereumPosition { slot: u64::MAX, tx_index: 0 }),
		};
		let cut = AvsSlashCut { operator, strategy, slash, left: u128::MAX };
		if l > 0 {
			Losses::<T>::insert(lrt, BoundedVec::truncate_from(alloc::vec![loss; l as usize]));
			AvsSlashCuts::<T>::insert(lrt, BoundedVec::truncate_from(alloc::vec![cut; l as usize]));
		}
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), Box::new(report));
		assert!(Snapshots::<T>::contains_key(lrt));
		assert!(Losses::<T>::get(lrt).is_empty() && !AvsSlashCuts::<T>::contains_key(lrt));
		Ok(())
	}

	/// `l` valued LRTs, each delegating to the slashed operator with a snapshot before the
	/// event: every one is scanned, booked and re-rated.
	#[benchmark]
	fn submit_avs_slashing(
		l: Linear<1, { T::MaxValuedLrts::get() }>,
	) -> Result<(), BenchmarkError> {
		let (lrt, report, slashing, manager) = T::BenchmarkHelper::story();
		Params::<T>::insert(lrt, params());
		AllocationManager::<T>::put(manager);
		let caller: T::AccountId = whitelisted_caller();
		LrtBacking::<T>::submit_backing_report(
			RawOrigin::Signed(caller.clone()).into(),
			Box::new(report),
		)
		.map_err(|_| BenchmarkError::Weightless)?;
		let mut lrts = alloc::vec![lrt];
		for i in 1..l {
			let other = extra_lrt::<T>(i)?;
			let snapshot = Snapshots::<T>::get(lrt).ok_or(BenchmarkError::Weightless)?;
			Params::<T>::insert(other, params());
			for (pair, exposure) in Exposures::<T>::iter_prefix(lrt) {
				Exposures::<T>::insert(other, pair, exposure);
			}
			Snapshots::<T>::insert(other, snapshot);
			lrts.push(other);
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), Box::new(slashing));
		assert!(lrts.iter().all(|lrt| !Losses::<T>::get(lrt).is_empty()));
		Ok(())
	}

	impl_benchmark_test_suite!(LrtBacking, crate::mock::ExtBuilder.build(), crate::mock::Test);
}
