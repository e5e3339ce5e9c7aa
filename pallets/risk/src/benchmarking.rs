//! Benchmarks: a report, its validation in the pool, the end of an epoch (every report of the
//! epoch read, medians, tiers and limits written for each LRT, the previous accepted epoch's
//! reports pruned, pending reporters taking over, the session's disabled validators excluded)
//! and governance's call.
//!
//! The session handler (`OneSessionHandler`) has no benchmark: pallet-session charges a rotation
//! block the whole block's weight, `on_disabled` runs inside its caller's weight, and both do
//! work bounded by `MaxReporters` (`session.rs`).

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
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
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

	/// The report of the last of `r` reporters, with `l` scores, after all the others.
	#[benchmark]
	fn report(r: Linear<1, { T::MaxReporters::get() }>, l: Linear<1, { T::MaxLrts::get() }>) {
		let (reporters, lrts) = setup::<T>(r, l);
		let epoch = Risk::<T>::current_epoch();
		for position in 0..r - 1 {
			let (earlier, _) = signed_report::<T>(&reporters[position as usize], &lrts);
			Reports::<T>::insert(epoch, position, earlier.scores);
		}
		let (last, signature) = signed_report::<T>(&reporters[(r - 1) as usize], &lrts);
		#[extrinsic_call]
		_(RawOrigin::Authorized, last, signature);
		assert!(Reports::<T>::contains_key(epoch, r - 1));
	}

	/// The first block of an epoch after one where all `r` reporters scored `l` LRTs: the
	/// epoch accepted (each LRT's limits already set, so read and moved), the previous
	/// accepted epoch's `r` reports pruned, `MaxReporters` pending reporters taking over, all of
	/// them disabled by the session (so all looked up).
	#[benchmark]
	fn close_epoch(r: Linear<1, { T::MaxReporters::get() }>, l: Linear<1, { T::MaxLrts::get() }>) {
		let (reporters, lrts) = setup::<T>(r, l);
		let blocks = T::EpochBlocks::get();
		let at = |epoch: u32| -> BlockNumberFor<T> { blocks * epoch.into() };
		frame_system::Pallet::<T>::set_block_number(at(2));
		OpenEpoch::<T>::put(2);
		for position in 0..r {
			let (signed, _) = signed_report::<T>(&reporters[position as usize], &lrts);
			Reports::<T>::insert(1, position, signed.scores.clone());
			Reports::<T>::insert(2, position, signed.scores);
		}
		LastAccepted::<T>::put(1);
		for lrt in &lrts {
			MarketLimits::<T>::insert(lrt, Limits::UNCAPPED);
		}
		let pending: Vec<ReporterId> =
			(0..T::MaxReporters::get()).map(|_| ReporterId::generate_pair(None)).collect();
		PendingReporters::<T>::put(BoundedVec::truncate_from(pending.clone()));
		ValidatorKeys::<T>::put(BoundedVec::truncate_from(pending.clone()));
		SessionDisabled::<T>::put(BoundedVec::truncate_from(pending));
		frame_system::Pallet::<T>::set_block_number(at(3));
		#[block]
		{
			let _ = Risk::<T>::open_epoch_of(at(3));
		}
		assert_eq!(LastAccepted::<T>::get(), Some(2));
		assert_eq!(Reports::<T>::iter_prefix(1).count(), 0);
		assert_eq!(OpenEpoch::<T>::get(), Some(3));
		assert_eq!(DisabledReporters::<T>::get().len() as u32, T::MaxReporters::get());
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
