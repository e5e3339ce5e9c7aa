//! The pallet's logic: the calls' bodies, the checks every report passes (in the pool and when
//! applied), the quorum's acceptance (medians, outliers, tiers, market limits), the model's
//! inputs from chain state and the views the runtime API serves.

use crate::{model, pallet::*, types::*};
use alloc::vec::Vec;
use ballast_primitives::{
	lrt::LrtRegistry,
	risk::{ValidatorSummaries, ValuationRecords},
};
use codec::Encode;
use frame_support::{
	ensure,
	pallet_prelude::{
		DispatchResult, InvalidTransaction, TransactionSource, TransactionValidityError,
		TransactionValidityWithRefund, ValidTransaction, Weight,
	},
	traits::Get,
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::RuntimeAppPublic;

impl<T: Config> Pallet<T> {
	/// `report`'s body, after the origin check: stores the report, then either compares a late
	/// report with the accepted scores or, once 2/3 of the reporters have reported, accepts the
	/// epoch.
	pub(crate) fn do_report(report: ReportOf<T>, signature: ReporterSignature) -> DispatchResult {
		let position = Self::check_report(&report, &signature)?;
		let epoch = report.epoch;
		Reports::<T>::insert(epoch, position, report.scores.clone());
		Self::deposit_event(Event::Reported { epoch, reporter: report.reporter.clone() });
		if LastAccepted::<T>::get() == Some(epoch) {
			// Late: only compared with what was accepted.
			for (lrt, score) in report.scores {
				if let Some(accepted) = Scores::<T>::get(lrt).filter(|a| a.epoch == epoch) {
					Self::flag_if_far(epoch, &report.reporter, lrt, score, accepted.score);
				}
			}
			return Ok(());
		}
		let reports: Vec<(u32, ScoresOf<T>)> = Reports::<T>::iter_prefix(epoch).collect();
		let reporters = Reporters::<T>::get();
		if (reports.len() as u32) * 3 >= (reporters.len() as u32) * 2 {
			Self::accept(epoch, &reporters, &reports);
		}
		Ok(())
	}

	/// `set_reporters`' body, after the origin check.
	pub(crate) fn do_set_reporters(reporters: Vec<ReporterId>) -> DispatchResult {
		let count = reporters.len() as u32;
		let reporters: BoundedVec<_, T::MaxReporters> =
			reporters.try_into().map_err(|_| Error::<T>::TooManyReporters)?;
		Reporters::<T>::put(reporters);
		Self::deposit_event(Event::ReportersSet { count });
		Ok(())
	}

	/// `set_tiers`' body, after the origin check.
	pub(crate) fn do_set_tiers(tiers: Vec<Tier>) -> DispatchResult {
		ensure!(tiers_are_valid(&tiers), Error::<T>::InvalidTiers);
		let tiers: BoundedVec<_, T::MaxTiers> =
			tiers.try_into().map_err(|_| Error::<T>::InvalidTiers)?;
		Tiers::<T>::put(tiers);
		Self::deposit_event(Event::TiersSet);
		Ok(())
	}

	/// The epoch of the current block.
	pub fn current_epoch() -> Epoch {
		Self::epoch_of(frame_system::Pallet::<T>::block_number())
	}

	/// The epoch of `block`: `block / EpochBlocks`.
	pub(crate) fn epoch_of(block: BlockNumberFor<T>) -> Epoch {
		let epoch = block / T::EpochBlocks::get().max(1u32.into());
		TryInto::<u32>::try_into(epoch).unwrap_or(u32::MAX)
	}

	/// Everything a report must be, whether validated in the pool or applied: a listed
	/// reporter's valid signature, the current epoch, first report of that reporter, scores
	/// in range for registered LRTs, each once. Returns the reporter's position.
	fn check_report(report: &ReportOf<T>, signature: &ReporterSignature) -> Result<u32, Error<T>> {
		let reporters = Reporters::<T>::get();
		let position =
			reporters.iter().position(|r| r == &report.reporter).ok_or(Error::<T>::NotAReporter)?
				as u32;
		ensure!(report.reporter.verify(&report.encode(), signature), Error::<T>::BadSignature);
		ensure!(report.epoch == Self::current_epoch(), Error::<T>::WrongEpoch);
		ensure!(!Reports::<T>::contains_key(report.epoch, position), Error::<T>::AlreadyReported);
		let registered = T::Registry::lrts();
		let mut seen = Vec::new();
		for (lrt, score) in &report.scores {
			ensure!(*score <= model::MAX_SCORE, Error::<T>::ScoreOutOfRange);
			ensure!(registered.contains(lrt) && !seen.contains(lrt), Error::<T>::UnknownLrt);
			seen.push(*lrt);
		}
		Ok(position)
	}

	/// The pool's (and the block's) check of a `report` call: `check_report`, with its
	/// errors mapped to `BadProof`, `Stale` or `Call`; valid reports are tagged
	/// `(epoch, reporter)` and live for an epoch.
	pub(crate) fn authorize_report(
		_source: TransactionSource,
		report: &ReportOf<T>,
		signature: &ReporterSignature,
	) -> TransactionValidityWithRefund {
		Self::check_report(report, signature).map_err(|e| {
			let code = match e {
				Error::<T>::NotAReporter | Error::<T>::BadSignature => InvalidTransaction::BadProof,
				Error::<T>::AlreadyReported | Error::<T>::WrongEpoch => InvalidTransaction::Stale,
				_ => InvalidTransaction::Call,
			};
			TransactionValidityError::Invalid(code)
		})?;
		let validity = ValidTransaction::with_tag_prefix("BallastRiskReport")
			.priority(T::ReportPriority::get())
			.and_provides((report.epoch, report.reporter.clone()))
			.longevity(T::EpochBlocks::get().try_into().unwrap_or(64))
			.propagate(true)
			.build()?;
		Ok((validity, Weight::zero()))
	}

	/// Emits `Disagreement` if `score` is further than `Tolerance` from `median`.
	fn flag_if_far(epoch: Epoch, reporter: &ReporterId, lrt: T::AssetId, score: u16, median: u16) {
		if score.abs_diff(median) > T::Tolerance::get() {
			Self::deposit_event(Event::Disagreement {
				epoch,
				reporter: reporter.clone(),
				lrt,
				score,
				median,
			});
		}
	}

	/// Accepts the epoch: per LRT, the median of the reports within the tolerance of the
	/// median of all; its tier; the new market limits.
	fn accept(epoch: Epoch, reporters: &[ReporterId], reports: &[(u32, ScoresOf<T>)]) {
		LastAccepted::<T>::put(epoch);
		Self::deposit_event(Event::EpochAccepted { epoch, reports: reports.len() as u32 });
		let tiers = Tiers::<T>::get();
		let mut lrts: Vec<T::AssetId> =
			reports.iter().flat_map(|(_, scores)| scores.iter().map(|(lrt, _)| *lrt)).collect();
		lrts.sort();
		lrts.dedup();
		for lrt in lrts {
			let of_lrt: Vec<(u32, u16)> = reports
				.iter()
				.filter_map(|(position, scores)| {
					scores.iter().find(|(l, _)| *l == lrt).map(|(_, s)| (*position, *s))
				})
				.collect();
			let Some(all) = model::median(of_lrt.iter().map(|(_, s)| *s).collect()) else {
				continue;
			};
			let mut agreeing = Vec::new();
			for (position, score) in &of_lrt {
				if score.abs_diff(all) > T::Tolerance::get() {
					if let Some(reporter) = reporters.get(*position as usize) {
						Self::flag_if_far(epoch, reporter, lrt, *score, all);
					}
				} else {
					agreeing.push(*score);
				}
			}
			let score = model::median(agreeing).unwrap_or(all);
			let Some((tier, caps)) = tiers.iter().enumerate().find(|(_, t)| score <= t.max_score)
			else {
				continue;
			};
			let target =
				Limits { ltv: caps.ltv, liquidation_threshold: caps.liquidation_threshold };
			let limits = match MarketLimits::<T>::get(lrt) {
				Some(current) => current.towards(target, T::LoosenStep::get()),
				None => target,
			};
			MarketLimits::<T>::insert(lrt, limits);
			Scores::<T>::insert(lrt, Accepted { score, tier: tier as u8, epoch });
			Self::deposit_event(Event::ScoreAccepted {
				lrt,
				score,
				tier: tier as u8,
				ltv: limits.ltv,
				liquidation_threshold: limits.liquidation_threshold,
			});
		}
	}

	/// The model's inputs for an LRT, from chain state.
	pub fn inputs(lrt: T::AssetId) -> model::LrtInputs {
		model::LrtInputs {
			validators: T::Validators::validators_of(lrt),
			stakes: T::Valuation::stakes(lrt),
			losses: T::Valuation::losses(lrt),
			rate_history: T::Valuation::rate_history(lrt),
			avs_count: T::Registry::avss(lrt).len() as u32,
		}
	}

	/// The model over the current state, for every registered LRT (at most `MaxLrts`).
	pub fn compute_all() -> Vec<(T::AssetId, model::LrtScore)> {
		let mut lrts = T::Registry::lrts();
		lrts.sort();
		lrts.truncate(T::MaxLrts::get() as usize);
		lrts.into_iter().map(|lrt| (lrt, model::lrt_score(&Self::inputs(lrt)))).collect()
	}

	/// Who may report, and whether each did in the current epoch.
	pub fn reporters_status() -> (Epoch, Vec<(ReporterId, bool)>) {
		let epoch = Self::current_epoch();
		let status = Reporters::<T>::get()
			.into_iter()
			.enumerate()
			.map(|(position, r)| (r, Reports::<T>::contains_key(epoch, position as u32)))
			.collect();
		(epoch, status)
	}
}
