//! # LRT backing (valuation)
//!
//! Each LRT's backing rate, ETH per LRT, without price feeds:
//!
//! - the last proven `BackingReported` snapshot of its gateway gives `total_eth` and
//!   `total_supply` ([`Pallet::submit_backing_report`]);
//! - every loss proven since is subtracted at once: validator slashes and balance drops of its
//!   tracked validators (through `pallet-validator-health`'s hooks, which this pallet
//!   implements) and AVS slashes proven from EigenLayer's `AllocationManager`
//!   `OperatorSlashed` events ([`Pallet::submit_avs_slashing`]), scaled by the LRT's stake with
//!   that operator and strategy;
//! - effective rate = `min(reported, proven)`; a rise is capped at `max_yearly_growth` from the
//!   last rate (as Aave's CAPO does), a fall applies immediately and calls
//!   [`OnBackingRateDecreased`] in the same block;
//! - stale data (no snapshot, or a snapshot or validator proofs older than configured) blocks new
//!   borrowing ([`BackingRate::borrow_rate`] is `None`), never liquidations.
//!
//! The expected loss of a slashed validator is booked in full when the slash is proven
//! ([`Pallet::expected_slashing_loss`], documented in the README):
//! `initial = eb / 4096`, `correlation = eb · min(3 · S, A) / A` (S: effective balance of the
//! validators proven slashed in the last 8,192 epochs, this one included; A: Ethereum's total
//! active balance, a governance parameter), `exit = eb · exit_penalty`.

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
	/// Registers an LRT and makes the verifier hold a block with its gateway's
	/// `BackingReported` and an EigenLayer `OperatorSlashed` of its operator. Returns the LRT,
	/// both event proofs and the AllocationManager's address.
	fn story() -> (
		AssetId,
		snowbridge_verification_primitives::EventProof,
		snowbridge_verification_primitives::EventProof,
		sp_core::H160,
	);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::{boxed::Box, vec::Vec};
	use ballast_gateway::{BackingReport, OperatorSlashing};
	use ballast_primitives::{
		ethereum::{
			FinalizedBeaconBlocks, OnValidatorBalanceChanged, OnValidatorSlashed,
			ValidatorFreshness,
		},
		lrt::LrtRegistry,
		valuation::{BackingRate, OnBackingRateDecreased},
	};
	use codec::Encode;
	use frame_support::{
		dispatch::{DispatchResultWithPostInfo, Pays},
		pallet_prelude::*,
		traits::UnixTime,
	};
	use frame_system::pallet_prelude::*;
	use snowbridge_beacon_primitives::VersionedExecutionPayloadHeader;
	use snowbridge_verification_primitives::{EventProof, Verifier};
	use sp_core::{H160, H256, U256};
	use sp_runtime::{FixedPointNumber, FixedU128, Saturating};

	pub type SnapshotOf<T> = Snapshot<<T as Config>::MaxStakes>;
	/// `(strategy, wei)` an AVS slash takes from one LRT.
	pub type StrategyLosses = Vec<(H160, u128)>;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		type AssetId: Member + Parameter + Copy + MaxEncodedLen + Ord;
		/// The registered LRTs (the bridge).
		type Registry: LrtRegistry<Self::AssetId>;
		/// Snowbridge's proof verifier.
		type Verifier: Verifier;
		/// The light client's finalized slot (freshness of validator proofs).
		type LightClient: FinalizedBeaconBlocks;
		/// How fresh each LRT's validator proofs are.
		type Validators: ValidatorFreshness<Self::AssetId>;
		/// Told of every fall of a rate, in the same block.
		type OnBackingRateDecreased: OnBackingRateDecreased<Self::AssetId>;
		/// Wall-clock time (unix), for the growth cap and staleness.
		type Time: UnixTime;
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Delegations a snapshot holds.
		#[pallet::constant]
		type MaxStakes: Get<u32>;
		/// Losses kept per LRT (older ones merge).
		#[pallet::constant]
		type MaxLosses: Get<u32>;
		/// Rates kept in each LRT's history.
		#[pallet::constant]
		type MaxHistory: Get<u32>;
		/// Slashings kept for the correlation window.
		#[pallet::constant]
		type MaxRecentSlashings: Get<u32>;
		type WeightInfo: WeightInfo;
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AssetId>;
	}

	/// Valuation settings per LRT (an LRT without them is not valued).
	#[pallet::storage]
	pub type Params<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AssetId, BackingParams, OptionQuery>;

	/// EigenLayer's `AllocationManager` on the Ethereum network Ballast follows.
	#[pallet::storage]
	pub type AllocationManager<T: Config> = StorageValue<_, H160, OptionQuery>;

	#[pallet::storage]
	pub type Snapshots<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AssetId, SnapshotOf<T>, OptionQuery>;

	/// Losses proven since each LRT's snapshot, not yet in its own accounting.
	#[pallet::storage]
	pub type Losses<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AssetId, BoundedVec<Loss, T::MaxLosses>, ValueQuery>;

	/// The effective rate as of the last event.
	#[pallet::storage]
	pub type Rates<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AssetId, StoredRate, OptionQuery>;

	/// Each LRT's recent rates, oldest first.
	#[pallet::storage]
	pub type History<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AssetId,
		BoundedVec<StoredRate, T::MaxHistory>,
		ValueQuery,
	>;

	/// Validators whose slash is booked (once each).
	#[pallet::storage]
	pub type BookedSlashes<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AssetId, Twox64Concat, u64, (), OptionQuery>;

	/// `(slot, effective balance Gwei)` of proven slashes, for the correlation penalty.
	#[pallet::storage]
	pub type RecentSlashings<T: Config> =
		StorageValue<_, BoundedVec<(u64, u64), T::MaxRecentSlashings>, ValueQuery>;

	/// AVS slashing events already booked (by log and block).
	#[pallet::storage]
	pub type SeenAvsSlashings<T: Config> = StorageMap<_, Identity, H256, (), OptionQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		ParamsSet {
			lrt: T::AssetId,
		},
		AllocationManagerSet {
			address: H160,
		},
		/// A proven snapshot replaced the last one.
		SnapshotAccepted {
			lrt: T::AssetId,
			total_eth: u128,
			total_supply: u128,
			nonce: u64,
		},
		/// A proven loss was booked.
		LossBooked {
			lrt: T::AssetId,
			kind: LossKind,
			wei: u128,
		},
		/// The effective rate changed.
		RateChanged {
			lrt: T::AssetId,
			previous: Option<FixedU128>,
			current: FixedU128,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The LRT has no valuation settings.
		NotValued,
		/// The log is not a `BackingReported` (or `OperatorSlashed`) event.
		WrongEvent,
		/// No LRT is registered for the reported token.
		UnknownToken,
		/// The log was not emitted by the LRT's gateway (or by EigenLayer's AllocationManager).
		WrongEmitter,
		/// A snapshot at least as new is already accepted.
		StaleSnapshot,
		/// A snapshot of zero supply cannot give a rate.
		ZeroSupply,
		/// More delegations than a snapshot holds.
		TooManyStakes,
		/// The proof does not show the log in a finalized Ethereum block.
		InvalidProof,
		/// This slashing event was already booked.
		AlreadyBooked,
		/// No AllocationManager address is configured.
		NoAllocationManager,
		/// The slashing touches no valued LRT's stake.
		NoExposure,
		/// Parameters out of range (zero total active balance).
		InvalidParams,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Sets an LRT's valuation settings.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_params(
			origin: OriginFor<T>,
			lrt: T::AssetId,
			params: BackingParams,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(params.total_active_balance_gwei > 0, Error::<T>::InvalidParams);
			Params::<T>::insert(lrt, params);
			Self::deposit_event(Event::ParamsSet { lrt });
			Ok(())
		}

		/// Sets EigenLayer's AllocationManager address.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_allocation_manager(origin: OriginFor<T>, address: H160) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			AllocationManager::<T>::put(address);
			Self::deposit_event(Event::AllocationManagerSet { address });
			Ok(())
		}

		/// Accepts a proven `BackingReported` snapshot of an LRT's gateway. Anyone may submit it;
		/// free when it succeeds.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::submit_backing_report(T::MaxLosses::get())
			.saturating_add(T::OnBackingRateDecreased::weight()))]
		pub fn submit_backing_report(
			origin: OriginFor<T>,
			event: Box<EventProof>,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let report =
				BackingReport::from_log(&event.event_log).map_err(|_| Error::<T>::WrongEvent)?;
			let lrt = T::Registry::lrt_of_token(report.token).ok_or(Error::<T>::UnknownToken)?;
			ensure!(
				T::Registry::gateway(lrt) == Some(event.event_log.address),
				Error::<T>::WrongEmitter
			);
			let params = Params::<T>::get(lrt).ok_or(Error::<T>::NotValued)?;
			ensure!(
				Snapshots::<T>::get(lrt).is_none_or(|last| report.nonce > last.nonce),
				Error::<T>::StaleSnapshot
			);
			ensure!(report.total_supply > 0, Error::<T>::ZeroSupply);
			let stakes: BoundedVec<_, T::MaxStakes> =
				report.stakes.try_into().map_err(|_| Error::<T>::TooManyStakes)?;
			T::Verifier::verify(&event.event_log, &event.proof)
				.map_err(|_| Error::<T>::InvalidProof)?;

			let timestamp = execution_timestamp(&event.proof.execution_proof.execution_header);
			// Losses booked long enough before the snapshot are in the LRT's own books now.
			Losses::<T>::mutate(lrt, |losses| {
				losses.retain(|loss| {
					loss.booked_at.saturating_add(params.recognition_delay) > timestamp
				})
			});
			Snapshots::<T>::insert(
				lrt,
				Snapshot {
					total_eth: report.total_eth,
					total_supply: report.total_supply,
					stakes,
					nonce: report.nonce,
					timestamp,
				},
			);
			Self::deposit_event(Event::SnapshotAccepted {
				lrt,
				total_eth: report.total_eth,
				total_supply: report.total_supply,
				nonce: report.nonce,
			});
			Self::update_rate(lrt);
			Ok(Pays::No.into())
		}

		/// Books a proven `OperatorSlashed` event of EigenLayer's AllocationManager against every
		/// valued LRT delegating to that operator in a slashed strategy. Free when it succeeds.
		#[pallet::call_index(3)]
		// Every valued LRT (at most 64) may see its rate fall.
		#[pallet::weight(T::WeightInfo::submit_avs_slashing()
			.saturating_add(T::OnBackingRateDecreased::weight().saturating_mul(64)))]
		pub fn submit_avs_slashing(
			origin: OriginFor<T>,
			event: Box<EventProof>,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let manager = AllocationManager::<T>::get().ok_or(Error::<T>::NoAllocationManager)?;
			ensure!(event.event_log.address == manager, Error::<T>::WrongEmitter);
			let slashing =
				OperatorSlashing::from_log(&event.event_log).map_err(|_| Error::<T>::WrongEvent)?;
			let id: H256 = sp_io::hashing::keccak_256(
				&(&event.event_log, event.proof.execution_proof.execution_header.block_hash())
					.encode(),
			)
			.into();
			ensure!(!SeenAvsSlashings::<T>::contains_key(id), Error::<T>::AlreadyBooked);
			let exposed: Vec<(T::AssetId, StrategyLosses)> = Snapshots::<T>::iter()
				.filter(|(lrt, _)| Params::<T>::contains_key(lrt))
				.map(|(lrt, snapshot)| (lrt, slashed_stake(&snapshot.stakes, &slashing)))
				.filter(|(_, losses)| !losses.is_empty())
				.collect();
			ensure!(!exposed.is_empty(), Error::<T>::NoExposure);
			T::Verifier::verify(&event.event_log, &event.proof)
				.map_err(|_| Error::<T>::InvalidProof)?;

			SeenAvsSlashings::<T>::insert(id, ());
			for (lrt, losses) in exposed {
				for (strategy, wei) in losses {
					Self::book(
						lrt,
						LossKind::AvsSlash { operator: slashing.operator, strategy },
						wei,
					);
				}
				Self::update_rate(lrt);
			}
			Ok(Pays::No.into())
		}
	}

	/// What an AVS slash takes from a snapshot's delegations, per strategy: `shares · wad / 1e18`
	/// for every stake with the slashed operator in a slashed strategy (EigenLayer shares are wei
	/// for the beacon-chain ETH strategy and LST strategies are valued 1:1, a documented
	/// approximation). Zero losses are left out.
	pub fn slashed_stake(stakes: &[Stake], slashing: &OperatorSlashing) -> StrategyLosses {
		let mut losses = Vec::new();
		for stake in stakes.iter().filter(|stake| stake.operator == slashing.operator) {
			for (strategy, wad) in &slashing.slashed {
				if *strategy != stake.strategy {
					continue;
				}
				let wad = (*wad).min(U256::from(WAD));
				let wei: u128 = (U256::from(stake.shares) * wad / U256::from(WAD))
					.try_into()
					.unwrap_or(u128::MAX);
				if wei > 0 {
					losses.push((*strategy, wei));
				}
			}
		}
		losses
	}

	fn execution_timestamp(header: &VersionedExecutionPayloadHeader) -> u64 {
		match header {
			VersionedExecutionPayloadHeader::Capella(h) => h.timestamp,
			VersionedExecutionPayloadHeader::Deneb(h) => h.timestamp,
		}
	}

	impl<T: Config> Pallet<T> {
		fn now() -> u64 {
			T::Time::now().as_secs()
		}

		/// Books a loss, merging the two oldest when the list is full (the merged loss keeps the
		/// newer booking time, so it stays at least as long).
		fn book(lrt: T::AssetId, kind: LossKind, wei: u128) {
			let loss = Loss { kind: kind.clone(), wei, booked_at: Self::now() };
			Losses::<T>::mutate(lrt, |losses| {
				if losses.is_full() && losses.len() >= 2 {
					let first = losses.remove(0);
					if let Some(second) = losses.get_mut(0) {
						second.wei = second.wei.saturating_add(first.wei);
						second.kind = LossKind::Merged;
					}
				}
				let _ = losses.try_push(loss);
			});
			Self::deposit_event(Event::LossBooked { lrt, kind, wei });
		}

		/// The expected loss (Gwei) of a validator of effective balance `eb` slashed at `slot`,
		/// given the slashes already recorded in the correlation window (it is recorded too).
		pub fn expected_slashing_loss(params: &BackingParams, eb: u64, slot: u64) -> u128 {
			use consensus::*;
			let window = EPOCHS_PER_SLASHINGS_VECTOR * SLOTS_PER_EPOCH;
			let recent = RecentSlashings::<T>::mutate(|recent| {
				recent.retain(|(at, _)| at.saturating_add(window) > slot);
				if recent.is_full() {
					recent.remove(0);
				}
				let _ = recent.try_push((slot, eb));
				recent.iter().fold(0u128, |sum, (_, balance)| sum.saturating_add(*balance as u128))
			});
			let eb = eb as u128;
			let total = params.total_active_balance_gwei.max(1);
			let initial = eb / MIN_SLASHING_PENALTY_QUOTIENT;
			let adjusted = recent.saturating_mul(PROPORTIONAL_SLASHING_MULTIPLIER).min(total);
			let correlation = eb.saturating_mul(adjusted) / total;
			let exit = params.exit_penalty.mul_floor(eb);
			initial.saturating_add(correlation).saturating_add(exit)
		}

		/// An LRT's rate and its parts, now.
		pub fn components(lrt: T::AssetId) -> Option<RateComponents> {
			let params = Params::<T>::get(lrt)?;
			let snapshot = Snapshots::<T>::get(lrt)?;
			let losses =
				Losses::<T>::get(lrt).iter().fold(0u128, |sum, l| sum.saturating_add(l.wei));
			let reported =
				FixedU128::checked_from_rational(snapshot.total_eth, snapshot.total_supply)?;
			let proven = FixedU128::checked_from_rational(
				snapshot.total_eth.saturating_sub(losses),
				snapshot.total_supply,
			)?;
			let raw = reported.min(proven);
			let now = Self::now();
			let (cap, effective) = match Rates::<T>::get(lrt) {
				Some(last) => {
					let elapsed = now.saturating_sub(last.at).min(SECONDS_PER_YEAR * 10);
					let growth = FixedU128::from(params.max_yearly_growth).saturating_mul(
						FixedU128::saturating_from_rational(elapsed, SECONDS_PER_YEAR),
					);
					let cap = last.rate.saturating_mul(FixedU128::one().saturating_add(growth));
					(cap, if raw > last.rate { raw.min(cap) } else { raw })
				},
				None => (raw, raw),
			};
			let stale = Self::is_stale(lrt, &params, &snapshot, now);
			Some(RateComponents { reported, proven, cap, effective, losses, stale })
		}

		fn is_stale(
			lrt: T::AssetId,
			params: &BackingParams,
			snapshot: &SnapshotOf<T>,
			now: u64,
		) -> bool {
			let old_snapshot = now.saturating_sub(snapshot.timestamp) > params.max_snapshot_age;
			let old_proofs = match (
				T::LightClient::latest_finalized_slot(),
				T::Validators::oldest_proof_slot(lrt),
			) {
				(Some(head), Some(oldest)) => {
					head.saturating_sub(oldest) > params.max_proof_age_slots
				},
				(_, None) => true,
				(None, Some(_)) => true,
			};
			old_snapshot || old_proofs
		}

		/// Stores the effective rate after an event; a fall tells `OnBackingRateDecreased`.
		fn update_rate(lrt: T::AssetId) {
			let Some(components) = Self::components(lrt) else { return };
			let previous = Rates::<T>::get(lrt).map(|stored| stored.rate);
			if previous == Some(components.effective) {
				return;
			}
			let stored = StoredRate { rate: components.effective, at: Self::now() };
			Rates::<T>::insert(lrt, &stored);
			History::<T>::mutate(lrt, |history| {
				if history.is_full() {
					history.remove(0);
				}
				let _ = history.try_push(stored);
			});
			Self::deposit_event(Event::RateChanged {
				lrt,
				previous,
				current: components.effective,
			});
			if let Some(previous) = previous.filter(|previous| components.effective < *previous) {
				T::OnBackingRateDecreased::on_backing_rate_decreased(
					lrt,
					previous,
					components.effective,
				);
			}
		}
	}

	impl<T: Config> ballast_primitives::risk::ValuationRecords<T::AssetId> for Pallet<T> {
		fn stakes(lrt: T::AssetId) -> Vec<(H160, u128)> {
			Snapshots::<T>::get(lrt)
				.map(|s| s.stakes.iter().map(|stake| (stake.operator, stake.shares)).collect())
				.unwrap_or_default()
		}

		fn losses(lrt: T::AssetId) -> Vec<ballast_primitives::risk::BookedLoss> {
			use ballast_primitives::risk::BookedLoss;
			Losses::<T>::get(lrt)
				.iter()
				.map(|loss| match loss.kind {
					LossKind::ValidatorSlashed { index } => BookedLoss::ValidatorSlashed { index },
					LossKind::BalanceDrop { index } => BookedLoss::BalanceDrop { index },
					LossKind::AvsSlash { operator, .. } => BookedLoss::AvsSlash { operator },
					LossKind::Merged => BookedLoss::Merged,
				})
				.collect()
		}

		fn rate_history(lrt: T::AssetId) -> Vec<FixedU128> {
			History::<T>::get(lrt).iter().map(|stored| stored.rate).collect()
		}
	}

	impl<T: Config> BackingRate<T::AssetId> for Pallet<T> {
		fn backing_rate(lrt: T::AssetId) -> Option<FixedU128> {
			Self::components(lrt).map(|c| c.effective)
		}

		fn borrow_rate(lrt: T::AssetId) -> Option<FixedU128> {
			Self::components(lrt).filter(|c| !c.stale).map(|c| c.effective)
		}
	}

	impl<T: Config> OnValidatorSlashed<T::AssetId> for Pallet<T> {
		fn on_validator_slashed(lrt: T::AssetId, index: u64, effective_balance: u64, slot: u64) {
			let Some(params) = Params::<T>::get(lrt) else { return };
			if BookedSlashes::<T>::contains_key(lrt, index) {
				return;
			}
			BookedSlashes::<T>::insert(lrt, index, ());
			let gwei = Self::expected_slashing_loss(&params, effective_balance, slot);
			Self::book(
				lrt,
				LossKind::ValidatorSlashed { index },
				gwei.saturating_mul(WEI_PER_GWEI),
			);
			Self::update_rate(lrt);
		}

		/// Params, booked slashes, recent slashings, snapshot, losses, rate and history read;
		/// up to six items written; then the rate-decrease hook. Priced by the storage it touches.
		fn weight() -> Weight {
			T::DbWeight::get()
				.reads_writes(8, 6)
				.saturating_add(Weight::from_parts(50_000_000, 0))
				.saturating_add(T::OnBackingRateDecreased::weight())
		}
	}

	impl<T: Config> OnValidatorBalanceChanged<T::AssetId> for Pallet<T> {
		fn on_validator_balance_changed(
			lrt: T::AssetId,
			index: u64,
			previous: u64,
			current: u64,
			_slot: u64,
		) {
			// Partial withdrawals sweep balances above 32 ETH and full withdrawals empty exited
			// validators: the ETH moves to the LRT's EigenPod, it is not lost. A loss is a fall
			// below what the validator held, capped at 32 ETH, to a non-zero balance.
			const MAX_EFFECTIVE_GWEI: u64 = 32_000_000_000;
			if current == 0
				|| !Params::<T>::contains_key(lrt)
				|| BookedSlashes::<T>::contains_key(lrt, index)
			{
				return;
			}
			let drop = previous.min(MAX_EFFECTIVE_GWEI).saturating_sub(current);
			if drop == 0 {
				return;
			}
			Self::book(
				lrt,
				LossKind::BalanceDrop { index },
				(drop as u128).saturating_mul(WEI_PER_GWEI),
			);
			Self::update_rate(lrt);
		}

		/// Params, snapshot, losses, rate and history read; up to four items written; then the
		/// rate-decrease hook. Priced by the storage it touches.
		fn weight() -> Weight {
			T::DbWeight::get()
				.reads_writes(6, 4)
				.saturating_add(Weight::from_parts(30_000_000, 0))
				.saturating_add(T::OnBackingRateDecreased::weight())
		}
	}
}
