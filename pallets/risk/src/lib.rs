//! # Risk
//!
//! Validators' off-chain workers score every registered LRT with the deterministic model of
//! `ballast_primitives::risk` (`docs/risk-model.md`) once per epoch and report the scores as
//! authorized transactions signed with their `risk` key. Only the reporters governance lists
//! (the validators' keys) may report, once per epoch each, scores in 0..=1000 for registered LRTs.
//! Once 2/3 of them have reported, each LRT's median is accepted (reports further than
//! `Tolerance` from it are recorded as disagreement and left out) and mapped to a tier; the tier
//! caps the LTV and liquidation threshold of the LRT's lending markets ([`RiskLimits`]):
//! tightening at once, loosening by at most `LoosenStep` per accepted epoch.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

/// What benchmarks need from the runtime around the pallet.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AssetId> {
	/// Registers `n` LRTs and returns them.
	fn register_lrts(n: u32) -> alloc::vec::Vec<AssetId>;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use ballast_primitives::{
		lrt::LrtRegistry,
		risk::{
			lrt_score, median, LrtInputs, LrtScore, RiskLimits, ValidatorSummaries,
			ValuationRecords, MAX_SCORE,
		},
	};
	use codec::Encode;
	use frame_support::pallet_prelude::*;
	use frame_system::{
		offchain::{CreateAuthorizedTransaction, SubmitTransaction},
		pallet_prelude::*,
	};
	use sp_runtime::{offchain::storage::StorageValueRef, Perbill, RuntimeAppPublic};

	pub type ReportOf<T> = RiskReport<<T as Config>::AssetId, <T as Config>::MaxLrts>;
	/// A report's scores, as stored.
	pub type ScoresOf<T> = BoundedVec<(<T as Config>::AssetId, u16), <T as Config>::MaxLrts>;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		frame_system::Config<RuntimeEvent: From<Event<Self>>>
		+ CreateAuthorizedTransaction<Call<Self>>
	{
		type AssetId: Member + Parameter + Copy + MaxEncodedLen + Ord;
		/// The registered LRTs (the bridge).
		type Registry: LrtRegistry<Self::AssetId>;
		/// The model's inputs: validator records and the valuation's records.
		type Validators: ValidatorSummaries<Self::AssetId>;
		type Valuation: ValuationRecords<Self::AssetId>;
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Blocks per scoring epoch.
		#[pallet::constant]
		type EpochBlocks: Get<BlockNumberFor<Self>>;
		#[pallet::constant]
		type MaxReporters: Get<u32>;
		#[pallet::constant]
		type MaxLrts: Get<u32>;
		#[pallet::constant]
		type MaxTiers: Get<u32>;
		/// How far from the median a report may be before it counts as disagreement.
		#[pallet::constant]
		type Tolerance: Get<u16>;
		/// The most a cap may rise per accepted epoch.
		#[pallet::constant]
		type LoosenStep: Get<Perbill>;
		/// Pool priority of reports.
		#[pallet::constant]
		type ReportPriority: Get<TransactionPriority>;
		type WeightInfo: WeightInfo;
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AssetId>;
	}

	/// The keys allowed to report: one per validator (governance).
	#[pallet::storage]
	pub type Reporters<T: Config> =
		StorageValue<_, BoundedVec<ReporterId, T::MaxReporters>, ValueQuery>;

	/// Score ranges and the market caps they set, ascending.
	#[pallet::storage]
	pub type Tiers<T: Config> = StorageValue<_, BoundedVec<Tier, T::MaxTiers>, ValueQuery>;

	/// Reports of an epoch, by reporter position in `Reporters`.
	#[pallet::storage]
	pub type Reports<T: Config> =
		StorageDoubleMap<_, Twox64Concat, Epoch, Twox64Concat, u32, ScoresOf<T>, OptionQuery>;

	/// The last epoch whose scores were accepted.
	#[pallet::storage]
	pub type LastAccepted<T: Config> = StorageValue<_, Epoch, OptionQuery>;

	#[pallet::storage]
	pub type Scores<T: Config> = StorageMap<_, Blake2_128Concat, T::AssetId, Accepted, OptionQuery>;

	#[pallet::storage]
	pub type MarketLimits<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AssetId, Limits, OptionQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		pub reporters: Vec<ReporterId>,
		pub tiers: Vec<Tier>,
		#[serde(skip)]
		pub _phantom: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let reporters: BoundedVec<_, T::MaxReporters> =
				self.reporters.clone().try_into().expect("genesis reporters fit MaxReporters");
			Reporters::<T>::put(reporters);
			if !self.tiers.is_empty() {
				assert!(tiers_are_valid(&self.tiers), "genesis risk tiers are invalid");
				let tiers: BoundedVec<_, T::MaxTiers> =
					self.tiers.clone().try_into().expect("genesis tiers fit MaxTiers");
				Tiers::<T>::put(tiers);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		ReportersSet {
			count: u32,
		},
		TiersSet,
		Reported {
			epoch: Epoch,
			reporter: ReporterId,
		},
		/// A report further than the tolerance from the median: left out.
		Disagreement {
			epoch: Epoch,
			reporter: ReporterId,
			lrt: T::AssetId,
			score: u16,
			median: u16,
		},
		/// 2/3 of the reporters reported: the epoch's medians are accepted.
		EpochAccepted {
			epoch: Epoch,
			reports: u32,
		},
		ScoreAccepted {
			lrt: T::AssetId,
			score: u16,
			tier: u8,
			ltv: Perbill,
			liquidation_threshold: Perbill,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The key is not a reporter.
		NotAReporter,
		/// This reporter already reported in the epoch.
		AlreadyReported,
		/// The report is not for the current epoch.
		WrongEpoch,
		/// A score above 1000.
		ScoreOutOfRange,
		/// A score for an LRT that is not registered, or twice for one LRT.
		UnknownLrt,
		BadSignature,
		TooManyReporters,
		InvalidTiers,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn offchain_worker(now: BlockNumberFor<T>) {
			if sp_io::offchain::is_validator() {
				Self::report_from_local_keys(now);
			}
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// A reporter's scores for the current epoch, signed with its `risk` key; submitted by
		/// its validator's off-chain worker as an authorized transaction.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::report(T::MaxReporters::get(), T::MaxLrts::get()))]
		#[pallet::authorize(Pallet::<T>::authorize_report)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_report(T::MaxLrts::get()))]
		pub fn report(
			origin: OriginFor<T>,
			report: ReportOf<T>,
			signature: ReporterSignature,
		) -> DispatchResult {
			frame_system::ensure_authorized(origin)?;
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

		/// Replaces the reporters (governance): one `risk` key per validator.
		#[pallet::call_index(1)]
		pub fn set_reporters(origin: OriginFor<T>, reporters: Vec<ReporterId>) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			let count = reporters.len() as u32;
			let reporters: BoundedVec<_, T::MaxReporters> =
				reporters.try_into().map_err(|_| Error::<T>::TooManyReporters)?;
			Reporters::<T>::put(reporters);
			Self::deposit_event(Event::ReportersSet { count });
			Ok(())
		}

		/// Replaces the tiers (governance); they apply from the next accepted epoch.
		#[pallet::call_index(2)]
		pub fn set_tiers(origin: OriginFor<T>, tiers: Vec<Tier>) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(tiers_are_valid(&tiers), Error::<T>::InvalidTiers);
			let tiers: BoundedVec<_, T::MaxTiers> =
				tiers.try_into().map_err(|_| Error::<T>::InvalidTiers)?;
			Tiers::<T>::put(tiers);
			Self::deposit_event(Event::TiersSet);
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		pub fn current_epoch() -> Epoch {
			Self::epoch_of(frame_system::Pallet::<T>::block_number())
		}

		fn epoch_of(block: BlockNumberFor<T>) -> Epoch {
			let epoch = block / T::EpochBlocks::get().max(1u32.into());
			TryInto::<u32>::try_into(epoch).unwrap_or(u32::MAX)
		}

		/// Everything a report must be, whether validated in the pool or applied: a listed
		/// reporter's valid signature, the current epoch, first report of that reporter, scores
		/// in range for registered LRTs, each once. Returns the reporter's position.
		fn check_report(
			report: &ReportOf<T>,
			signature: &ReporterSignature,
		) -> Result<u32, Error<T>> {
			let reporters = Reporters::<T>::get();
			let position = reporters
				.iter()
				.position(|r| r == &report.reporter)
				.ok_or(Error::<T>::NotAReporter)? as u32;
			ensure!(report.reporter.verify(&report.encode(), signature), Error::<T>::BadSignature);
			ensure!(report.epoch == Self::current_epoch(), Error::<T>::WrongEpoch);
			ensure!(
				!Reports::<T>::contains_key(report.epoch, position),
				Error::<T>::AlreadyReported
			);
			let registered = T::Registry::lrts();
			let mut seen = Vec::new();
			for (lrt, score) in &report.scores {
				ensure!(*score <= MAX_SCORE, Error::<T>::ScoreOutOfRange);
				ensure!(registered.contains(lrt) && !seen.contains(lrt), Error::<T>::UnknownLrt);
				seen.push(*lrt);
			}
			Ok(position)
		}

		pub(crate) fn authorize_report(
			_source: TransactionSource,
			report: &ReportOf<T>,
			signature: &ReporterSignature,
		) -> TransactionValidityWithRefund {
			Self::check_report(report, signature).map_err(|e| {
				let code = match e {
					Error::<T>::NotAReporter | Error::<T>::BadSignature => {
						InvalidTransaction::BadProof
					},
					Error::<T>::AlreadyReported | Error::<T>::WrongEpoch => {
						InvalidTransaction::Stale
					},
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

		fn flag_if_far(
			epoch: Epoch,
			reporter: &ReporterId,
			lrt: T::AssetId,
			score: u16,
			median: u16,
		) {
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
				let Some(all) = median(of_lrt.iter().map(|(_, s)| *s).collect()) else { continue };
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
				let score = median(agreeing).unwrap_or(all);
				let Some((tier, caps)) =
					tiers.iter().enumerate().find(|(_, t)| score <= t.max_score)
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
		pub fn inputs(lrt: T::AssetId) -> LrtInputs {
			LrtInputs {
				validators: T::Validators::validators_of(lrt),
				stakes: T::Valuation::stakes(lrt),
				losses: T::Valuation::losses(lrt),
				rate_history: T::Valuation::rate_history(lrt),
				avs_count: T::Registry::avss(lrt).len() as u32,
			}
		}

		/// The model over the current state, for every registered LRT (at most `MaxLrts`).
		pub fn compute_all() -> Vec<(T::AssetId, LrtScore)> {
			let mut lrts = T::Registry::lrts();
			lrts.sort();
			lrts.truncate(T::MaxLrts::get() as usize);
			lrts.into_iter().map(|lrt| (lrt, lrt_score(&Self::inputs(lrt)))).collect()
		}

		/// The reports this node's `risk` keys would submit now, signed.
		pub fn local_reports(now: BlockNumberFor<T>) -> Vec<(ReportOf<T>, ReporterSignature)> {
			let epoch = Self::epoch_of(now);
			let reporters = Reporters::<T>::get();
			let local: Vec<ReporterId> = ReporterId::all()
				.into_iter()
				.filter(|key| {
					reporters
						.iter()
						.position(|r| r == key)
						.is_some_and(|position| !Reports::<T>::contains_key(epoch, position as u32))
				})
				.collect();
			if local.is_empty() {
				return Vec::new();
			}
			let scores: BoundedVec<_, T::MaxLrts> = Self::compute_all()
				.into_iter()
				.map(|(lrt, score)| (lrt, score.score))
				.collect::<Vec<_>>()
				.try_into()
				.unwrap_or_default();
			let computed_at = TryInto::<u32>::try_into(now).unwrap_or(u32::MAX);
			local
				.into_iter()
				.filter_map(|reporter| {
					let report = RiskReport {
						epoch,
						reporter: reporter.clone(),
						computed_at,
						scores: scores.clone(),
					};
					let signature = reporter.sign(&report.encode())?;
					Some((report, signature))
				})
				.collect()
		}

		/// The off-chain worker: once per epoch per local reporter key (remembered in local
		/// storage so a pending report is not sent again every block).
		fn report_from_local_keys(now: BlockNumberFor<T>) {
			let epoch = Self::epoch_of(now);
			let sent = StorageValueRef::persistent(b"ballast/risk/sent-epoch");
			if sent.get::<Epoch>().ok().flatten() == Some(epoch) {
				return;
			}
			let reports = Self::local_reports(now);
			if reports.is_empty() {
				return;
			}
			for (report, signature) in reports {
				let call = Call::<T>::report { report, signature };
				let xt = <T as CreateAuthorizedTransaction<Call<T>>>::create_authorized_transaction(
					call.into(),
				);
				if SubmitTransaction::<T, Call<T>>::submit_transaction(xt).is_err() {
					log::debug!(target: "risk", "epoch {epoch}: report not accepted by the pool");
				}
			}
			sent.set(&epoch);
			log::info!(target: "risk", "epoch {epoch}: risk scores reported at block {now:?}");
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

	impl<T: Config> RiskLimits<T::AssetId> for Pallet<T> {
		fn limits(lrt: T::AssetId) -> Option<(Perbill, Perbill)> {
			MarketLimits::<T>::get(lrt).map(|l| (l.ltv, l.liquidation_threshold))
		}
	}
}

impl<T: Config> sp_runtime::BoundToRuntimeAppPublic for Pallet<T> {
	type Public = ReporterId;
}
