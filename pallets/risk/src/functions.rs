//! The pallet's logic: the calls' bodies, the checks every report passes (in the pool and when
//! applied), the end of an epoch (acceptance: medians, outliers, tiers, market limits; pruning;
//! the reporters' rotation), the model's inputs from chain state and the views the runtime API
//! serves. The reporters' changes from the session are in `session.rs`.

use crate::{model, pallet::*, types::*, weights::WeightInfo};
use alloc::{collections::BTreeMap, vec::Vec};
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
	traits::{Contains, Get},
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::RuntimeAppPublic;

impl<T: Config> Pallet<T> {
	/// `report`'s body, after the origin check: stores the report. The epoch is judged when it
	/// ends ([`Self::open_epoch_of`]).
	pub(crate) fn do_report(report: ReportOf<T>, signature: ReporterSignature) -> DispatchResult {
		let position = Self::check_report(&report, &signature)?;
		let epoch = report.epoch;
		Reports::<T>::insert(epoch, position, report.scores);
		Self::deposit_event(Event::Reported { epoch, reporter: report.reporter });
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

	/// The epoch that opens next, when `PendingReporters` take over: the current one if it is
	/// not open yet (`on_initialize` has not run in its first block), otherwise the one after.
	pub(crate) fn next_opening_epoch() -> Epoch {
		let current = Self::current_epoch();
		if OpenEpoch::<T>::get() == Some(current) {
			current.saturating_add(1)
		} else {
			current
		}
	}

	/// Everything a report must be, whether validated in the pool or applied: a listed
	/// reporter the session has not disabled, its valid signature, the current epoch, first
	/// report of that reporter, scores in range for registered LRTs, each once. Returns the
	/// reporter's position.
	fn check_report(report: &ReportOf<T>, signature: &ReporterSignature) -> Result<u32, Error<T>> {
		let reporters = Reporters::<T>::get();
		let position =
			reporters.iter().position(|r| r == &report.reporter).ok_or(Error::<T>::NotAReporter)?
				as u32;
		ensure!(!DisabledReporters::<T>::get().contains(&position), Error::<T>::ReporterDisabled);
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
		// Safe mode or a pause would refuse it at dispatch: keep it out of the pool and the
		// block (it would be a free, failing transaction).
		let call = Call::<T>::report { report: report.clone(), signature: signature.clone() };
		let call: <T as frame_system::Config>::RuntimeCall = call.into();
		if !<T as frame_system::Config>::BaseCallFilter::contains(&call) {
			return Err(InvalidTransaction::Call.into());
		}
		Self::check_report(report, signature).map_err(|e| {
			let code = match e {
				Error::<T>::NotAReporter
				| Error::<T>::ReporterDisabled
				| Error::<T>::BadSignature => InvalidTransaction::BadProof,
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

	/// `on_initialize`: if `now` is in another epoch than the open one, closes the open epoch
	/// ([`Self::close_epoch`]), lets pending reporters take over, excludes those the session
	/// still disables ([`Self::disabled_positions`]) and opens `now`'s epoch. Returns the weight
	/// used.
	pub(crate) fn open_epoch_of(now: BlockNumberFor<T>) -> Weight {
		let current = Self::epoch_of(now);
		let open = OpenEpoch::<T>::get();
		if open == Some(current) {
			return T::DbWeight::get().reads(1);
		}
		let (reports, lrts) = open.map_or((0, 0), Self::close_epoch);
		if let Some(next) = PendingReporters::<T>::take() {
			let count = next.len() as u32;
			Reporters::<T>::put(next);
			Self::deposit_event(Event::ReportersSet { count });
		}
		DisabledReporters::<T>::put(Self::disabled_positions());
		OpenEpoch::<T>::put(current);
		T::WeightInfo::close_epoch(reports, lrts)
	}

	/// Closes `epoch`: accepted if at least 2/3 of its reporters (`Reporters`, which do not
	/// change during an epoch) reported, and then the reports of the previously accepted epoch
	/// are pruned; otherwise its own reports are. Returns how many reports were read or pruned
	/// (whichever is more) and how many LRTs were scored, for the weight.
	pub(crate) fn close_epoch(epoch: Epoch) -> (u32, u32) {
		let reporters = Reporters::<T>::get();
		let reports: Vec<(u32, ScoresOf<T>)> = Reports::<T>::iter_prefix(epoch).collect();
		let (count, total) = (reports.len() as u32, reporters.len() as u32);
		let limit = T::MaxReporters::get();
		if total == 0 || !is_two_thirds(count, total) {
			if total > 0 {
				Self::deposit_event(Event::QuorumMissed {
					epoch,
					reports: count,
					reporters: total,
				});
			}
			let _ = Reports::<T>::clear_prefix(epoch, limit, None);
			return (count, 0);
		}
		let previous = LastAccepted::<T>::get().filter(|previous| *previous != epoch);
		let lrts = Self::accept(epoch, &reporters, &reports);
		let pruned =
			previous.map_or(0, |previous| Reports::<T>::clear_prefix(previous, limit, None).unique);
		(count.max(pruned), lrts)
	}

	/// Accepts the epoch. Per LRT scored by at least 2/3 of the reporters: the median of all
	/// its scores; the scores further than `Tolerance` from it are left out and the median of
	/// the rest is the accepted score; its tier; the market limits one step towards the tier's.
	/// Returns how many LRTs the reports scored.
	fn accept(epoch: Epoch, reporters: &[ReporterId], reports: &[(u32, ScoresOf<T>)]) -> u32 {
		LastAccepted::<T>::put(epoch);
		Self::deposit_event(Event::EpochAccepted { epoch, reports: reports.len() as u32 });
		let tiers = Tiers::<T>::get();
		let mut by_lrt: BTreeMap<T::AssetId, Vec<(u32, u16)>> = BTreeMap::new();
		for (position, scores) in reports {
			for (lrt, score) in scores {
				by_lrt.entry(*lrt).or_default().push((*position, *score));
			}
		}
		let scored = by_lrt.len() as u32;
		for (lrt, of_lrt) in by_lrt {
			if !is_two_thirds(of_lrt.len() as u32, reporters.len() as u32) {
				Self::deposit_event(Event::ScoreWithoutQuorum {
					epoch,
					lrt,
					reports: of_lrt.len() as u32,
				});
				continue;
			}
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
			let limits = MarketLimits::<T>::get(lrt).unwrap_or(Limits::UNCAPPED).towards(
				target,
				T::LoosenStep::get(),
				T::MaxThresholdStepPerEpoch::get(),
			);
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
		scored
	}

	/// The model's inputs for an LRT, from chain state (the runtime API's per-LRT views). Reads
	/// only this LRT's validators (`ValidatorSummaries::validators_of`, which validator health
	/// serves from its per-LRT index), not every tracked one.
	pub fn inputs(lrt: T::AssetId) -> model::LrtInputs {
		Self::inputs_with(lrt, T::Validators::validators_of(lrt))
	}

	/// The model's inputs for an LRT whose tracked validators were already read.
	fn inputs_with(
		lrt: T::AssetId,
		validators: Vec<ballast_primitives::risk::ValidatorSummary>,
	) -> model::LrtInputs {
		model::LrtInputs {
			validators,
			stakes: T::Valuation::stakes(lrt),
			losses: T::Valuation::losses(lrt),
			rate_history: T::Valuation::rate_history(lrt),
			avs_count: T::Registry::avss(lrt).len() as u32,
		}
	}

	/// The model over the current state, for every registered LRT (at most `MaxLrts`). The
	/// validator records are read in one call for all of them
	/// (`ValidatorSummaries::validators_of_each`: each asked LRT's validators once, no other
	/// LRT's).
	pub fn compute_all() -> Vec<(T::AssetId, model::LrtScore)> {
		let mut lrts = T::Registry::lrts();
		lrts.sort();
		lrts.truncate(T::MaxLrts::get() as usize);
		let validators = T::Validators::validators_of_each(&lrts);
		lrts.into_iter()
			.zip(validators)
			.map(|(lrt, validators)| (lrt, model::lrt_score(&Self::inputs_with(lrt, validators))))
			.collect()
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

/// `part` is at least 2/3 of `whole` (`3·part ≥ 2·whole`).
fn is_two_thirds(part: u32, whole: u32) -> bool {
	(part as u64) * 3 >= (whole as u64) * 2
}
