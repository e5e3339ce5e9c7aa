//! Benchmarks: a report completing the quorum (every report of the epoch read, medians, tiers
//! and limits written for each LRT), its validation in the pool, and governance's calls.

use super::*;
use crate::pallet::{Pallet as Risk, ReportOf};
use alloc::vec::Vec;
use codec::Encode;
use frame_benchmarking::v2::*;
use frame_support::{
	pallet_prelude::TransactionSource,
	traits::{Authorize, EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_runtime::RuntimeAppPublic;

/// `r` reporter keys in the keystore, listed as the reporters, and `l` registered LRTs.
fn setup<T: Config>(r: u32, l: u32) -> (Vec<ReporterId>, Vec<T::AssetId>) {
	let reporters: Vec<ReporterId> = (0..r).map(|_| ReporterId::generate_pair(None)).collect();
	Reporters::<T>::put(BoundedVec::truncate_from(reporters.clone()));
	let lrts = T::BenchmarkHelper::register_lrts(l);
	(reporters, lrts)
}

fn signed_report<T: Config>(
	reporter: &ReporterId,
	lrts: &[T::AssetId],
) -> (ReportOf<T>, ReporterSignature) {
	let report = RiskReport {
		epoch: Risk::<T>::current_epoch(),
		reporter: reporter.clone(),
		computed_at: 0,
		scores: BoundedVec::truncate_from(
			lrts.iter().enumerate().map(|(i, lrt)| (*lrt, (i as u16 * 37) % 1_000)).collect(),
		),
	};
	let signature = reporter.sign(&report.encode()).expect("the key is in the keystore");
	(report, signature)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// The report that completes the quorum of `r` reporters, with `l` scores each.
	#[benchmark]
	fn report(r: Linear<1, { T::MaxReporters::get() }>, l: Linear<1, { T::MaxLrts::get() }>) {
		let (reporters, lrts) = setup::<T>(r, l);
		let quorum = (2 * r).div_ceil(3);
		let epoch = Risk::<T>::current_epoch();
		for position in 0..quorum - 1 {
			let (earlier, _) = signed_report::<T>(&reporters[position as usize], &lrts);
			Reports::<T>::insert(epoch, position, earlier.scores);
		}
		let (last, signature) = signed_report::<T>(&reporters[(quorum - 1) as usize], &lrts);
		#[extrinsic_call]
		_(RawOrigin::Authorized, last, signature);
		assert_eq!(LastAccepted::<T>::get(), Some(epoch));
	}

	#[benchmark]
	fn authorize_report(l: Linear<1, { T::MaxLrts::get() }>) -> Result<(), BenchmarkError> {
		let (reporters, lrts) = setup::<T>(T::MaxReporters::get(), l);
		let (first, signature) = signed_report::<T>(&reporters[0], &lrts);
		let call = Call::<T>::report { report: first, signature };
		#[block]
		{
			call.authorize(TransactionSource::External)
				.ok_or("authorizable")?
				.map_err(|_| "a valid report")?;
		}
		Ok(())
	}

	#[benchmark]
	fn set_reporters() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let reporters: Vec<ReporterId> =
			(0..T::MaxReporters::get()).map(|_| ReporterId::generate_pair(None)).collect();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, reporters);
		Ok(())
	}

	#[benchmark]
	fn set_tiers() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let step = crate::model::MAX_SCORE / T::MaxTiers::get() as u16;
		let tiers: Vec<Tier> = (1..=T::MaxTiers::get())
			.map(|i| Tier {
				max_score: if i == T::MaxTiers::get() {
					crate::model::MAX_SCORE
				} else {
					step * i as u16
				},
				ltv: sp_runtime::Perbill::from_percent(90 - 5 * i),
				liquidation_threshold: sp_runtime::Perbill::from_percent(95 - 5 * i),
			})
			.collect();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, tiers);
		Ok(())
	}

	impl_benchmark_test_suite!(Risk, crate::mock::new_bench_ext(), crate::mock::Test);
}
