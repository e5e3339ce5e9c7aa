//! # Lending
//!
//! Isolated markets that lend one asset (ETH) against one LRT each, valued by the LRT's proven
//! backing rate ([`BackingRate`]), never by a market price:
//!
//! - **Lenders** `supply` and `withdraw` for shares of the market's pool (virtual shares guard
//!   against first-depositor inflation).
//! - **Borrowers** `deposit_collateral`, `borrow` up to `collateral · borrow-side rate · LTV`,
//!   `repay` (also for others) and `withdraw_collateral`. Interest follows a kinked utilisation
//!   model, accrued per second through a borrow index before every change.
//! - **Health** = `collateral · backing rate · LT / debt`. A position under 1 is liquidatable; a
//!   market depeg never makes it so, only a proven loss of backing or interest.
//! - **Liquidation**: anyone (`liquidate`, signed) repays up to what restores the target health
//!   and receives collateral at a discount that grows with unhealthiness; the market keeps a fee
//!   share of the bonus. The market itself liquidates too (`liquidate_unhealthy`, authorized
//!   transactions from validators' off-chain workers, and [`Hooks::on_idle`] after a rate drop):
//!   it writes the debt off against the seized collateral, which it then sells with
//!   `buy_collateral`.
//! - **Bad debt**: debt left without collateral is written off, reserves first, then lenders;
//!   accounted per market in [`BadDebt`].
//! - **Slashing propagation**: [`OnBackingRateDecreased`] marks every market of the LRT; in the
//!   same block, `on_idle` works off its unhealthy positions with the block's spare weight, and
//!   continues in the next blocks with the keeper.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod keeper;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::FixedU128;

/// A market as the runtime API shows it, accrued to now.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct MarketView<AssetId> {
	pub market: Market<AssetId>,
	pub total_debt: Balance,
	pub supply_assets: Balance,
	pub utilisation: sp_runtime::Perbill,
	/// Yearly borrow rate at the current utilisation.
	pub borrow_rate: FixedU128,
	/// Yearly rate lenders earn: `borrow rate · utilisation · (1 − reserve factor)`.
	pub supply_rate: FixedU128,
	/// The LRT's backing rate (liquidations) and borrow-side rate (`None` while stale).
	pub backing_rate: Option<FixedU128>,
	pub borrow_side_rate: Option<FixedU128>,
	/// A rate drop is being worked off.
	pub propagating: bool,
	/// LTV and liquidation threshold in force: governance's, capped by the LRT's risk tier.
	pub effective_ltv: sp_runtime::Perbill,
	pub effective_liquidation_threshold: sp_runtime::Perbill,
}

/// A position as the runtime API shows it, accrued to now.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct PositionView {
	pub collateral: Balance,
	pub debt: Balance,
	/// `collateral · backing rate · LT`.
	pub weighted_collateral: Balance,
	pub health: Option<FixedU128>,
	pub liquidatable: bool,
	/// Most debt the position may carry now (0 while the valuation is stale).
	pub borrow_limit: Balance,
}

/// A lender's part of a market.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct LenderView {
	pub shares: u128,
	pub assets: Balance,
}

/// Where a rate drop's work-off stands in a market.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct Propagation<BlockNumber> {
	pub since: BlockNumber,
	/// Raw storage key of the last position checked.
	pub cursor: Option<frame_support::BoundedVec<u8, frame_support::traits::ConstU32<128>>>,
	pub liquidated: u32,
}

impl<BlockNumber> Propagation<BlockNumber> {
	/// A work-off starting at `since`, from the market's first position.
	pub fn new(since: BlockNumber) -> Self {
		Propagation { since, cursor: None, liquidated: 0 }
	}
}

/// A market's valuation inputs, read once for all its positions: the backing rate (health,
/// liquidation), the borrow-side rate (limits) and the parameters under the risk caps.
#[derive(Clone, Copy, Debug)]
pub struct MarketValuation {
	pub backing_rate: Option<FixedU128>,
	pub borrow_rate: Option<FixedU128>,
	pub params: MarketParams,
}

/// What benchmarks need from the runtime around the pallet.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AssetId> {
	/// Two assets that exist (collateral, borrowed) and a backing rate for the collateral.
	fn assets() -> (AssetId, AssetId);
	/// Sets the collateral's backing (and borrow-side) rate.
	fn set_rate(lrt: AssetId, rate: FixedU128);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use ballast_primitives::{
		risk::RiskLimits,
		valuation::{BackingRate, OnBackingRateDecreased},
	};
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungibles::{Inspect, Mutate},
			tokens::Preservation,
			UnixTime,
		},
		PalletId,
	};
	use frame_system::{offchain::CreateAuthorizedTransaction, pallet_prelude::*};
	use sp_runtime::{
		traits::{AccountIdConversion, Saturating, Zero},
		Perbill, Rounding,
	};

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		frame_system::Config<RuntimeEvent: From<Event<Self>>>
		+ CreateAuthorizedTransaction<Call<Self>>
	{
		type AssetId: Member + Parameter + Copy + MaxEncodedLen + Ord;
		/// Collateral and borrowed assets (`pallet-assets`).
		type Assets: Mutate<Self::AccountId, AssetId = Self::AssetId, Balance = Balance>;
		/// Each LRT's backing rate (the valuation).
		type Valuation: BackingRate<Self::AssetId>;
		/// Caps accepted risk scores put on each LRT's markets (LTV, liquidation threshold).
		type RiskLimits: RiskLimits<Self::AssetId>;
		/// Unix time, for interest.
		type Time: UnixTime;
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The account holding every market's assets.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		#[pallet::constant]
		type MaxMarketsPerCollateral: Get<u32>;
		/// The most one `set_params` may move LTV or the liquidation threshold: a large tightening
		/// at once would liquidate positions that were sound a block before.
		#[pallet::constant]
		type MaxParamStep: Get<Perbill>;
		/// Positions the keeper checks per off-chain-worker run unless the node operator set
		/// another number in local storage ([`keeper::MAX_CHECKS_KEY`]).
		#[pallet::constant]
		type KeeperChecksPerRun: Get<u32>;
		/// Pool priority of the keeper's liquidations.
		#[pallet::constant]
		type KeeperPriority: Get<TransactionPriority>;
		type WeightInfo: WeightInfo;
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AssetId>;
	}

	#[pallet::storage]
	pub type Markets<T: Config> =
		StorageMap<_, Twox64Concat, MarketId, Market<T::AssetId>, OptionQuery>;

	#[pallet::storage]
	pub type NextMarketId<T: Config> = StorageValue<_, MarketId, ValueQuery>;

	/// The markets that take each LRT as collateral.
	#[pallet::storage]
	pub type MarketsOfCollateral<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AssetId,
		BoundedVec<MarketId, T::MaxMarketsPerCollateral>,
		ValueQuery,
	>;

	#[pallet::storage]
	pub type Positions<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		MarketId,
		Blake2_128Concat,
		T::AccountId,
		Position,
		OptionQuery,
	>;

	/// Lenders' shares.
	#[pallet::storage]
	pub type SupplyShares<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		MarketId,
		Blake2_128Concat,
		T::AccountId,
		u128,
		ValueQuery,
	>;

	/// Markets whose collateral's rate fell and whose positions are being worked off.
	#[pallet::storage]
	pub type Propagating<T: Config> =
		StorageMap<_, Twox64Concat, MarketId, Propagation<BlockNumberFor<T>>, OptionQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		MarketCreated {
			market: MarketId,
			collateral: T::AssetId,
			borrow_asset: T::AssetId,
		},
		ParamsUpdated {
			market: MarketId,
			params: MarketParams,
		},
		StateChanged {
			market: MarketId,
			state: MarketState,
		},
		Supplied {
			market: MarketId,
			who: T::AccountId,
			amount: Balance,
			shares: u128,
		},
		Withdrawn {
			market: MarketId,
			who: T::AccountId,
			amount: Balance,
			shares: u128,
		},
		CollateralDeposited {
			market: MarketId,
			who: T::AccountId,
			amount: Balance,
		},
		CollateralWithdrawn {
			market: MarketId,
			who: T::AccountId,
			amount: Balance,
		},
		Borrowed {
			market: MarketId,
			who: T::AccountId,
			amount: Balance,
			debt: Balance,
		},
		Repaid {
			market: MarketId,
			payer: T::AccountId,
			borrower: T::AccountId,
			amount: Balance,
			debt: Balance,
		},
		/// `liquidator` is `None` when the market liquidated (keeper or slash propagation).
		Liquidated {
			market: MarketId,
			borrower: T::AccountId,
			liquidator: Option<T::AccountId>,
			repaid: Balance,
			seized: Balance,
			protocol_fee: Balance,
			discount: Perbill,
			health: FixedU128,
		},
		CollateralReturned {
			market: MarketId,
			who: T::AccountId,
			amount: Balance,
		},
		BadDebtRecorded {
			market: MarketId,
			borrower: T::AccountId,
			amount: Balance,
			covered_by_reserves: Balance,
			socialised: Balance,
		},
		CollateralBought {
			market: MarketId,
			buyer: T::AccountId,
			amount: Balance,
			paid: Balance,
		},
		ReservesWithdrawn {
			market: MarketId,
			to: T::AccountId,
			amount: Balance,
		},
		/// The collateral's backing rate fell: the market's positions are being re-checked.
		PropagationStarted {
			market: MarketId,
			previous: FixedU128,
			current: FixedU128,
		},
		/// Every position of the market was re-checked after the rate drop.
		PropagationFinished {
			market: MarketId,
			liquidated: u32,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		UnknownMarket,
		/// Collateral and borrowed asset are the same.
		SameAsset,
		/// An asset of the market does not exist.
		UnknownAsset,
		/// Parameters break a rule (LTV < LT < 1, discounts, target health, interest bounds).
		InvalidParams,
		/// LTV or the liquidation threshold moves by more than `MaxParamStep` at once.
		ParamStepTooLarge,
		TooManyMarkets,
		MarketFrozen,
		BorrowPaused,
		ZeroAmount,
		/// The deposit is too small to mint a share.
		ZeroShares,
		SupplyCapExceeded,
		BorrowCapExceeded,
		/// The market does not hold that much cash.
		InsufficientLiquidity,
		InsufficientShares,
		InsufficientCollateral,
		NoPosition,
		/// The change would take the debt above `collateral · rate · LTV`.
		InsufficientBorrowLimit,
		/// The collateral has never been valued.
		NoValuation,
		/// The valuation's data is stale: no new borrowing and no collateral out of an indebted
		/// position until it is fresh again.
		ValuationStale,
		/// A debt under the market's minimum would remain.
		DebtBelowMinimum,
		PositionHealthy,
		NoDebt,
		SelfLiquidation,
		/// The market holds less collateral for sale than asked.
		InsufficientStock,
		/// The price exceeds the buyer's limit.
		PriceAboveLimit,
		InsufficientReserves,
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_idle(_n: BlockNumberFor<T>, remaining: Weight) -> Weight {
			Self::work_off_propagations(remaining)
		}

		fn offchain_worker(now: BlockNumberFor<T>) {
			keeper::run::<T>(now);
		}

		fn integrity_test() {
			assert!(T::MaxParamStep::get() > Perbill::zero(), "parameters could never change");
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Creates a market lending `borrow_asset` against `collateral` (governance).
		#[pallet::call_index(0)]
		pub fn create_market(
			origin: OriginFor<T>,
			collateral: T::AssetId,
			borrow_asset: T::AssetId,
			params: MarketParams,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(collateral != borrow_asset, Error::<T>::SameAsset);
			ensure!(
				T::Assets::asset_exists(collateral) && T::Assets::asset_exists(borrow_asset),
				Error::<T>::UnknownAsset
			);
			ensure!(params.is_valid(), Error::<T>::InvalidParams);
			let market = NextMarketId::<T>::get();
			let next = market.checked_add(1).ok_or(Error::<T>::Overflow)?;
			MarketsOfCollateral::<T>::try_mutate(collateral, |markets| markets.try_push(market))
				.map_err(|_| Error::<T>::TooManyMarkets)?;
			// The account holds sufficient assets only, so it needs a reference of its own to
			// exist whatever its balances.
			let account = Self::account_id();
			if frame_system::Pallet::<T>::providers(&account).is_zero() {
				frame_system::Pallet::<T>::inc_providers(&account);
			}
			Markets::<T>::insert(
				market,
				Market {
					collateral,
					borrow_asset,
					params,
					state: MarketState::Active,
					ledger: Ledger::new(Self::now()),
				},
			);
			NextMarketId::<T>::put(next);
			Self::deposit_event(Event::MarketCreated { market, collateral, borrow_asset });
			Ok(())
		}

		/// Changes a market's parameters (governance). Interest is accrued under the old model
		/// first; LTV and liquidation threshold move at most `MaxParamStep` per change.
		#[pallet::call_index(1)]
		pub fn set_params(
			origin: OriginFor<T>,
			market: MarketId,
			params: MarketParams,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(params.is_valid(), Error::<T>::InvalidParams);
			Self::mutate_market(market, |m| {
				let step = T::MaxParamStep::get();
				let moved = |a: Perbill, b: Perbill| a.max(b).saturating_sub(a.min(b));
				ensure!(
					moved(m.params.ltv, params.ltv) <= step
						&& moved(m.params.liquidation_threshold, params.liquidation_threshold)
							<= step,
					Error::<T>::ParamStepTooLarge
				);
				m.params = params;
				Ok(())
			})?;
			Self::deposit_event(Event::ParamsUpdated { market, params });
			Ok(())
		}

		/// Pauses borrowing, freezes or re-activates a market (governance).
		#[pallet::call_index(2)]
		pub fn set_state(
			origin: OriginFor<T>,
			market: MarketId,
			state: MarketState,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::mutate_market(market, |m| {
				m.state = state;
				Ok(())
			})?;
			Self::deposit_event(Event::StateChanged { market, state });
			Ok(())
		}

		/// Lends `amount` of the market's borrowed asset for shares of its pool.
		#[pallet::call_index(3)]
		pub fn supply(origin: OriginFor<T>, market: MarketId, amount: Balance) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			let shares = Self::mutate_market(market, |m| {
				ensure!(m.state != MarketState::Frozen, Error::<T>::MarketFrozen);
				let shares = m.ledger.shares_for_deposit(amount).ok_or(Error::<T>::Overflow)?;
				ensure!(!shares.is_zero(), Error::<T>::ZeroShares);
				let after =
					m.ledger.supply_assets().checked_add(amount).ok_or(Error::<T>::Overflow)?;
				ensure!(after <= m.params.supply_cap, Error::<T>::SupplyCapExceeded);
				Self::pull(m.borrow_asset, &who, amount)?;
				m.ledger.cash = m.ledger.cash.checked_add(amount).ok_or(Error::<T>::Overflow)?;
				m.ledger.supply_shares =
					m.ledger.supply_shares.checked_add(shares).ok_or(Error::<T>::Overflow)?;
				Ok(shares)
			})?;
			SupplyShares::<T>::mutate(market, &who, |s| *s = s.saturating_add(shares));
			Self::deposit_event(Event::Supplied { market, who, amount, shares });
			Ok(())
		}

		/// Withdraws `amount` of a lender's assets (burning the shares they are worth, rounded
		/// up).
		#[pallet::call_index(4)]
		pub fn withdraw(origin: OriginFor<T>, market: MarketId, amount: Balance) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			let owned = SupplyShares::<T>::get(market, &who);
			let shares = Self::mutate_market(market, |m| {
				let shares = m.ledger.shares_for_withdrawal(amount).ok_or(Error::<T>::Overflow)?;
				ensure!(shares <= owned, Error::<T>::InsufficientShares);
				ensure!(amount <= m.ledger.cash, Error::<T>::InsufficientLiquidity);
				m.ledger.cash -= amount;
				m.ledger.supply_shares = m.ledger.supply_shares.saturating_sub(shares);
				Self::pay(m.borrow_asset, &who, amount)?;
				Ok(shares)
			})?;
			Self::set_shares(market, &who, owned - shares);
			Self::deposit_event(Event::Withdrawn { market, who, amount, shares });
			Ok(())
		}

		/// Adds collateral to the caller's position.
		#[pallet::call_index(5)]
		pub fn deposit_collateral(
			origin: OriginFor<T>,
			market: MarketId,
			amount: Balance,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			Self::mutate_market(market, |m| {
				ensure!(m.state != MarketState::Frozen, Error::<T>::MarketFrozen);
				Self::pull(m.collateral, &who, amount)?;
				m.ledger.total_collateral =
					m.ledger.total_collateral.checked_add(amount).ok_or(Error::<T>::Overflow)?;
				let mut position = Positions::<T>::get(market, &who).unwrap_or_default();
				position.collateral =
					position.collateral.checked_add(amount).ok_or(Error::<T>::Overflow)?;
				Positions::<T>::insert(market, &who, position);
				Ok(())
			})?;
			Self::deposit_event(Event::CollateralDeposited { market, who, amount });
			Ok(())
		}

		/// Takes collateral out; an indebted position must stay within its borrow limit.
		#[pallet::call_index(6)]
		pub fn withdraw_collateral(
			origin: OriginFor<T>,
			market: MarketId,
			amount: Balance,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			Self::mutate_market(market, |m| {
				let mut position =
					Positions::<T>::get(market, &who).ok_or(Error::<T>::NoPosition)?;
				position.collateral = position
					.collateral
					.checked_sub(amount)
					.ok_or(Error::<T>::InsufficientCollateral)?;
				let debt = m.ledger.debt_of(position.normalized_debt);
				if !debt.is_zero() {
					Self::ensure_within_limit(m, position.collateral, debt)?;
				}
				m.ledger.total_collateral = m.ledger.total_collateral.saturating_sub(amount);
				Self::pay(m.collateral, &who, amount)?;
				Self::store_position(market, &who, position);
				Ok(())
			})?;
			Self::deposit_event(Event::CollateralWithdrawn { market, who, amount });
			Ok(())
		}

		/// Borrows `amount` against the caller's collateral, up to `collateral · borrow-side rate
		/// · LTV`.
		#[pallet::call_index(7)]
		pub fn borrow(origin: OriginFor<T>, market: MarketId, amount: Balance) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			let debt = Self::mutate_market(market, |m| {
				match m.state {
					MarketState::Active => {},
					MarketState::BorrowPaused => return Err(Error::<T>::BorrowPaused.into()),
					MarketState::Frozen => return Err(Error::<T>::MarketFrozen.into()),
				}
				ensure!(amount <= m.ledger.cash, Error::<T>::InsufficientLiquidity);
				let mut position =
					Positions::<T>::get(market, &who).ok_or(Error::<T>::NoPosition)?;
				let added = units_of(amount, m.ledger.borrow_index, Rounding::Up)
					.ok_or(Error::<T>::Overflow)?;
				position.normalized_debt =
					position.normalized_debt.checked_add(added).ok_or(Error::<T>::Overflow)?;
				let debt = m.ledger.debt_of(position.normalized_debt);
				ensure!(debt >= m.params.min_debt, Error::<T>::DebtBelowMinimum);
				Self::ensure_within_limit(m, position.collateral, debt)?;
				m.ledger.normalized_debt =
					m.ledger.normalized_debt.checked_add(added).ok_or(Error::<T>::Overflow)?;
				ensure!(
					m.ledger.total_debt() <= m.params.borrow_cap,
					Error::<T>::BorrowCapExceeded
				);
				m.ledger.cash -= amount;
				Self::pay(m.borrow_asset, &who, amount)?;
				Positions::<T>::insert(market, &who, position);
				Ok(debt)
			})?;
			Self::deposit_event(Event::Borrowed { market, who, amount, debt });
			Ok(())
		}

		/// Repays up to `amount` of `borrower`'s debt (anyone may repay for anyone). Repaying
		/// more than the debt repays the debt.
		#[pallet::call_index(8)]
		pub fn repay(
			origin: OriginFor<T>,
			market: MarketId,
			borrower: T::AccountId,
			amount: Balance,
		) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			let (paid, debt) = Self::mutate_market(market, |m| {
				let mut position =
					Positions::<T>::get(market, &borrower).ok_or(Error::<T>::NoPosition)?;
				let debt = m.ledger.debt_of(position.normalized_debt);
				ensure!(!debt.is_zero(), Error::<T>::NoDebt);
				let paid = amount.min(debt);
				let removed = if paid == debt {
					position.normalized_debt
				} else {
					units_of(paid, m.ledger.borrow_index, Rounding::Down)
						.ok_or(Error::<T>::Overflow)?
						.min(position.normalized_debt)
				};
				position.normalized_debt -= removed;
				let left = m.ledger.debt_of(position.normalized_debt);
				ensure!(left.is_zero() || left >= m.params.min_debt, Error::<T>::DebtBelowMinimum);
				Self::pull(m.borrow_asset, &payer, paid)?;
				m.ledger.cash = m.ledger.cash.checked_add(paid).ok_or(Error::<T>::Overflow)?;
				m.ledger.normalized_debt = m.ledger.normalized_debt.saturating_sub(removed);
				Self::store_position(market, &borrower, position);
				Ok((paid, left))
			})?;
			Self::deposit_event(Event::Repaid { market, payer, borrower, amount: paid, debt });
			Ok(())
		}

		/// Liquidates an unhealthy position: the caller repays up to `max_repay` of its debt (at
		/// most what restores the target health) and receives its collateral at the discount.
		#[pallet::call_index(9)]
		pub fn liquidate(
			origin: OriginFor<T>,
			market: MarketId,
			borrower: T::AccountId,
			max_repay: Balance,
		) -> DispatchResult {
			let liquidator = ensure_signed(origin)?;
			ensure!(liquidator != borrower, Error::<T>::SelfLiquidation);
			ensure!(!max_repay.is_zero(), Error::<T>::ZeroAmount);
			Self::mutate_market(market, |m| {
				Self::do_liquidate(market, m, &borrower, Some(&liquidator), max_repay)
			})
		}

		/// The market liquidates an unhealthy position itself: it writes off what restores the
		/// target health and takes the collateral into its stock for sale. Submitted by
		/// validators' off-chain workers as an authorized transaction, valid only while the
		/// position is liquidatable, once per (market, borrower, block).
		#[pallet::call_index(10)]
		#[pallet::authorize(Pallet::<T>::authorize_liquidate_unhealthy)]
		pub fn liquidate_unhealthy(
			origin: OriginFor<T>,
			market: MarketId,
			borrower: T::AccountId,
		) -> DispatchResult {
			frame_system::ensure_authorized(origin)?;
			Self::mutate_market(market, |m| {
				Self::do_liquidate(market, m, &borrower, None, Balance::MAX)
			})
		}

		/// Buys `amount` of the collateral the market took over, at `backing rate · (1 − base
		/// discount)`, paying at most `max_payment`.
		#[pallet::call_index(11)]
		pub fn buy_collateral(
			origin: OriginFor<T>,
			market: MarketId,
			amount: Balance,
			max_payment: Balance,
		) -> DispatchResult {
			let buyer = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			let paid = Self::mutate_market(market, |m| {
				ensure!(amount <= m.ledger.stock, Error::<T>::InsufficientStock);
				let rate =
					T::Valuation::backing_rate(m.collateral).ok_or(Error::<T>::NoValuation)?;
				let price = Perbill::one().saturating_sub(m.params.base_discount);
				let payment = price
					.mul_ceil(value_of(amount, rate, Rounding::Up).ok_or(Error::<T>::Overflow)?);
				ensure!(payment <= max_payment, Error::<T>::PriceAboveLimit);
				let cost = if amount == m.ledger.stock {
					m.ledger.stock_cost
				} else {
					mul_div(m.ledger.stock_cost, amount, m.ledger.stock, Rounding::Up)
						.ok_or(Error::<T>::Overflow)?
						.min(m.ledger.stock_cost)
				};
				Self::pull(m.borrow_asset, &buyer, payment)?;
				Self::pay(m.collateral, &buyer, amount)?;
				m.ledger.stock -= amount;
				m.ledger.stock_cost -= cost;
				m.ledger.cash = m.ledger.cash.checked_add(payment).ok_or(Error::<T>::Overflow)?;
				if payment >= cost {
					m.ledger.reserves = m.ledger.reserves.saturating_add(payment - cost);
				} else {
					// Sold under what the market wrote off for it: a loss like bad debt.
					m.ledger.record_bad_debt(cost - payment);
				}
				Ok(payment)
			})?;
			Self::deposit_event(Event::CollateralBought { market, buyer, amount, paid });
			Ok(())
		}

		/// Pays reserves out of a market (governance).
		#[pallet::call_index(12)]
		pub fn withdraw_reserves(
			origin: OriginFor<T>,
			market: MarketId,
			to: T::AccountId,
			amount: Balance,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			Self::mutate_market(market, |m| {
				ensure!(amount <= m.ledger.reserves, Error::<T>::InsufficientReserves);
				ensure!(amount <= m.ledger.cash, Error::<T>::InsufficientLiquidity);
				m.ledger.reserves -= amount;
				m.ledger.cash -= amount;
				Self::pay(m.borrow_asset, &to, amount)?;
				Ok(())
			})?;
			Self::deposit_event(Event::ReservesWithdrawn { market, to, amount });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		pub fn account_id() -> T::AccountId {
			T::PalletId::get().into_account_truncating()
		}

		/// Moves `amount` of `asset` from `who` into the markets' account.
		fn pull(asset: T::AssetId, who: &T::AccountId, amount: Balance) -> DispatchResult {
			T::Assets::transfer(asset, who, &Self::account_id(), amount, Preservation::Expendable)
				.map(|_| ())
		}

		/// Pays `amount` of `asset` out of the markets' account to `who`.
		fn pay(asset: T::AssetId, who: &T::AccountId, amount: Balance) -> DispatchResult {
			T::Assets::transfer(asset, &Self::account_id(), who, amount, Preservation::Expendable)
				.map(|_| ())
		}

		pub(crate) fn now() -> u64 {
			T::Time::now().as_secs()
		}

		/// Runs `f` on a market with interest accrued to now, and stores it only if `f` succeeds.
		fn mutate_market<R>(
			market: MarketId,
			f: impl FnOnce(&mut Market<T::AssetId>) -> Result<R, DispatchError>,
		) -> Result<R, DispatchError> {
			Markets::<T>::try_mutate(market, |maybe| {
				let m = maybe.as_mut().ok_or(Error::<T>::UnknownMarket)?;
				m.ledger.accrue(&m.params, Self::now());
				f(m)
			})
		}

		/// A market with interest accrued to now, not stored (for views and validation).
		pub fn accrued_market(market: MarketId) -> Option<Market<T::AssetId>> {
			let mut m = Markets::<T>::get(market)?;
			m.ledger.accrue(&m.params, Self::now());
			Some(m)
		}

		/// The market's parameters under the caps of its collateral's accepted risk score: LTV
		/// and liquidation threshold are the lower of governance's and the risk tier's.
		pub fn risk_adjusted(m: &Market<T::AssetId>) -> MarketParams {
			let mut params = m.params;
			if let Some((ltv, threshold)) = T::RiskLimits::limits(m.collateral) {
				params.ltv = params.ltv.min(ltv);
				params.liquidation_threshold = params.liquidation_threshold.min(threshold);
			}
			params
		}

		fn ensure_within_limit(
			m: &Market<T::AssetId>,
			collateral: Balance,
			debt: Balance,
		) -> DispatchResult {
			if T::Valuation::backing_rate(m.collateral).is_none() {
				return Err(Error::<T>::NoValuation.into());
			}
			let rate = T::Valuation::borrow_rate(m.collateral).ok_or(Error::<T>::ValuationStale)?;
			ensure!(
				debt <= borrow_limit(collateral, rate, Self::risk_adjusted(m).ltv),
				Error::<T>::InsufficientBorrowLimit
			);
			Ok(())
		}

		fn set_shares(market: MarketId, who: &T::AccountId, shares: u128) {
			if shares.is_zero() {
				SupplyShares::<T>::remove(market, who);
			} else {
				SupplyShares::<T>::insert(market, who, shares);
			}
		}

		fn store_position(market: MarketId, who: &T::AccountId, position: Position) {
			if position.collateral.is_zero() && position.normalized_debt.is_zero() {
				Positions::<T>::remove(market, who);
			} else {
				Positions::<T>::insert(market, who, position);
			}
		}

		/// The health of `who`'s position at the backing rate (`None` without a position or a
		/// valuation).
		pub fn health_of(m: &Market<T::AssetId>, position: &Position) -> Option<PositionHealth> {
			Self::health_in(&Self::valuation_of(m), m, position)
		}

		/// What a market's positions are valued with, read once for all of them.
		pub(crate) fn valuation_of(m: &Market<T::AssetId>) -> MarketValuation {
			MarketValuation {
				backing_rate: T::Valuation::backing_rate(m.collateral),
				borrow_rate: T::Valuation::borrow_rate(m.collateral),
				params: Self::risk_adjusted(m),
			}
		}

		pub(crate) fn health_in(
			valuation: &MarketValuation,
			m: &Market<T::AssetId>,
			position: &Position,
		) -> Option<PositionHealth> {
			Some(PositionHealth::new(
				position.collateral,
				m.ledger.debt_of(position.normalized_debt),
				valuation.backing_rate?,
				valuation.params.liquidation_threshold,
			))
		}

		/// Liquidates `borrower` in `m` (already accrued): by `liquidator`, who pays, or by the
		/// market (`None`), which writes the debt off against the collateral it takes.
		pub(crate) fn do_liquidate(
			market: MarketId,
			m: &mut Market<T::AssetId>,
			borrower: &T::AccountId,
			liquidator: Option<&T::AccountId>,
			max_repay: Balance,
		) -> DispatchResult {
			let mut position =
				Positions::<T>::get(market, borrower).ok_or(Error::<T>::NoPosition)?;
			let rate = T::Valuation::backing_rate(m.collateral).ok_or(Error::<T>::NoValuation)?;
			let debt = m.ledger.debt_of(position.normalized_debt);
			let by = if liquidator.is_some() { Liquidator::Outside } else { Liquidator::Market };
			let quote = quote_liquidation(
				position.collateral,
				debt,
				rate,
				&Self::risk_adjusted(m),
				max_repay,
				by,
			)
			.map_err(|e| match e {
				QuoteError::NoDebt => Error::<T>::NoDebt,
				QuoteError::Healthy => Error::<T>::PositionHealthy,
				QuoteError::WouldLeaveDust => Error::<T>::DebtBelowMinimum,
				QuoteError::ZeroRepay => Error::<T>::ZeroAmount,
			})?;
			match liquidator {
				Some(liquidator) => {
					if !quote.repay.is_zero() {
						Self::pull(m.borrow_asset, liquidator, quote.repay)?;
					}
					let to_liquidator = quote.seize - quote.protocol_fee;
					if !to_liquidator.is_zero() {
						Self::pay(m.collateral, liquidator, to_liquidator)?;
					}
					m.ledger.cash =
						m.ledger.cash.checked_add(quote.repay).ok_or(Error::<T>::Overflow)?;
					// The fee is collateral the market owns outright: sold later, all profit.
					m.ledger.stock = m.ledger.stock.saturating_add(quote.protocol_fee);
				},
				None => {
					m.ledger.stock = m.ledger.stock.saturating_add(quote.seize);
					m.ledger.stock_cost = m.ledger.stock_cost.saturating_add(quote.repay);
				},
			}
			position.collateral -= quote.seize;
			m.ledger.total_collateral = m.ledger.total_collateral.saturating_sub(quote.seize);

			let debt_left = debt - quote.repay;
			let removed = if debt_left.is_zero() || position.collateral.is_zero() {
				position.normalized_debt
			} else {
				units_of(quote.repay, m.ledger.borrow_index, Rounding::Down)
					.unwrap_or_default()
					.min(position.normalized_debt)
			};
			position.normalized_debt -= removed;
			m.ledger.normalized_debt = m.ledger.normalized_debt.saturating_sub(removed);

			Self::deposit_event(Event::Liquidated {
				market,
				borrower: borrower.clone(),
				liquidator: liquidator.cloned(),
				repaid: quote.repay,
				seized: quote.seize,
				protocol_fee: quote.protocol_fee,
				discount: quote.discount,
				health: quote.health,
			});

			if position.collateral.is_zero() && !debt_left.is_zero() {
				// No collateral left behind the rest of the debt: it is bad debt.
				let (covered_by_reserves, socialised) = m.ledger.record_bad_debt(debt_left);
				Self::deposit_event(Event::BadDebtRecorded {
					market,
					borrower: borrower.clone(),
					amount: debt_left,
					covered_by_reserves,
					socialised,
				});
			}
			if position.normalized_debt.is_zero() && !position.collateral.is_zero() {
				let amount = position.collateral;
				Self::pay(m.collateral, borrower, amount)?;
				m.ledger.total_collateral = m.ledger.total_collateral.saturating_sub(amount);
				position.collateral = 0;
				Self::deposit_event(Event::CollateralReturned {
					market,
					who: borrower.clone(),
					amount,
				});
			}
			Self::store_position(market, borrower, position);
			Ok(())
		}

		/// Validity of the keeper's `liquidate_unhealthy`: only a liquidatable position, one
		/// transaction per (market, borrower, block) in the pool.
		pub(crate) fn authorize_liquidate_unhealthy(
			_source: TransactionSource,
			market: &MarketId,
			borrower: &T::AccountId,
		) -> TransactionValidityWithRefund {
			let stale = TransactionValidityError::Invalid(InvalidTransaction::Stale);
			let m = Self::accrued_market(*market).ok_or(stale)?;
			let position = Positions::<T>::get(market, borrower).ok_or(stale)?;
			let health = Self::health_of(&m, &position).ok_or(stale)?;
			if !health.liquidatable {
				return Err(stale);
			}
			let validity = ValidTransaction::with_tag_prefix("BallastLendingKeeper")
				.priority(T::KeeperPriority::get())
				.and_provides((market, borrower, frame_system::Pallet::<T>::block_number()))
				.longevity(5)
				.propagate(true)
				.build()?;
			Ok((validity, Weight::zero()))
		}

		/// Works off the markets whose collateral's rate fell, within `remaining` weight: checks
		/// their positions from a cursor and liquidates the unhealthy ones by the market.
		pub(crate) fn work_off_propagations(remaining: Weight) -> Weight {
			let base = T::WeightInfo::work_off(0);
			let per_position = T::WeightInfo::work_off(1).saturating_sub(base);
			if !remaining.all_gte(base.saturating_add(per_position)) {
				return Weight::zero();
			}
			let mut used = base;
			let markets: Vec<MarketId> = Propagating::<T>::iter_keys().collect();
			used.saturating_accrue(T::DbWeight::get().reads(markets.len() as u64));
			for market in markets {
				if !remaining.all_gte(used.saturating_add(per_position)) {
					break;
				}
				let Some(mut propagation) = Propagating::<T>::get(market) else { continue };
				let Some(mut m) = Markets::<T>::get(market) else {
					Propagating::<T>::remove(market);
					continue;
				};
				m.ledger.accrue(&m.params, Self::now());
				// Liquidations change the books, not the rate or the parameters.
				let valuation = Self::valuation_of(&m);
				let mut iter = match &propagation.cursor {
					Some(raw) => Positions::<T>::iter_prefix_from(market, raw.to_vec()),
					None => Positions::<T>::iter_prefix(market),
				};
				let mut finished = true;
				loop {
					if !remaining.all_gte(used.saturating_add(per_position)) {
						finished = false;
						break;
					}
					let Some((who, position)) = iter.next() else { break };
					used.saturating_accrue(per_position);
					propagation.cursor = iter.last_raw_key().to_vec().try_into().ok();
					let unhealthy =
						Self::health_in(&valuation, &m, &position).is_some_and(|h| h.liquidatable);
					if unhealthy
						&& frame_support::storage::with_transaction(|| {
							let mut copy = m;
							match Self::do_liquidate(market, &mut copy, &who, None, Balance::MAX) {
								Ok(()) => {
									m = copy;
									sp_runtime::TransactionOutcome::Commit(Ok(()))
								},
								Err(e) => sp_runtime::TransactionOutcome::Rollback(Err(e)),
							}
						})
						.is_ok()
					{
						propagation.liquidated = propagation.liquidated.saturating_add(1);
					}
				}
				Markets::<T>::insert(market, m);
				if finished {
					Propagating::<T>::remove(market);
					Self::deposit_event(Event::PropagationFinished {
						market,
						liquidated: propagation.liquidated,
					});
				} else {
					Propagating::<T>::insert(market, propagation);
				}
			}
			used
		}

		// Views for the runtime API.

		pub fn market_view(market: MarketId) -> Option<MarketView<T::AssetId>> {
			let m = Self::accrued_market(market)?;
			let valuation = Self::valuation_of(&m);
			let utilisation = m.ledger.utilisation();
			let borrow_rate = m.params.interest.borrow_rate(utilisation);
			let lenders_share = Perbill::one().saturating_sub(m.params.reserve_factor);
			let supply_rate = borrow_rate
				.saturating_mul(FixedU128::from_perbill(utilisation))
				.saturating_mul(FixedU128::from_perbill(lenders_share));
			Some(MarketView {
				total_debt: m.ledger.total_debt(),
				supply_assets: m.ledger.supply_assets(),
				utilisation,
				borrow_rate,
				supply_rate,
				backing_rate: valuation.backing_rate,
				borrow_side_rate: valuation.borrow_rate,
				propagating: Propagating::<T>::contains_key(market),
				effective_ltv: valuation.params.ltv,
				effective_liquidation_threshold: valuation.params.liquidation_threshold,
				market: m,
			})
		}

		fn view_of(
			valuation: &MarketValuation,
			m: &Market<T::AssetId>,
			position: &Position,
		) -> PositionView {
			let debt = m.ledger.debt_of(position.normalized_debt);
			let health = Self::health_in(valuation, m, position);
			PositionView {
				collateral: position.collateral,
				debt,
				weighted_collateral: health.map(|h| h.weighted_collateral).unwrap_or_default(),
				health: health.and_then(|h| h.health),
				liquidatable: health.is_some_and(|h| h.liquidatable),
				borrow_limit: valuation
					.borrow_rate
					.map(|rate| borrow_limit(position.collateral, rate, valuation.params.ltv))
					.unwrap_or_default(),
			}
		}

		pub fn position_view(market: MarketId, who: &T::AccountId) -> Option<PositionView> {
			let m = Self::accrued_market(market)?;
			let position = Positions::<T>::get(market, who)?;
			Some(Self::view_of(&Self::valuation_of(&m), &m, &position))
		}

		pub fn max_borrow(market: MarketId, who: &T::AccountId) -> Balance {
			let Some(m) = Self::accrued_market(market) else { return 0 };
			if m.state != MarketState::Active {
				return 0;
			}
			let Some(position) = Positions::<T>::get(market, who) else { return 0 };
			let view = Self::view_of(&Self::valuation_of(&m), &m, &position);
			let room = view.borrow_limit.saturating_sub(view.debt);
			let cap_room = m.params.borrow_cap.saturating_sub(m.ledger.total_debt());
			room.min(m.ledger.cash).min(cap_room)
		}

		pub fn liquidation_quote(market: MarketId, who: &T::AccountId) -> Option<LiquidationQuote> {
			let m = Self::accrued_market(market)?;
			let position = Positions::<T>::get(market, who)?;
			let valuation = Self::valuation_of(&m);
			quote_liquidation(
				position.collateral,
				m.ledger.debt_of(position.normalized_debt),
				valuation.backing_rate?,
				&valuation.params,
				Balance::MAX,
				Liquidator::Outside,
			)
			.ok()
		}

		pub fn liquidatable(
			market: MarketId,
			start_after: Option<T::AccountId>,
			limit: u32,
		) -> Vec<(T::AccountId, PositionView)> {
			let Some(m) = Self::accrued_market(market) else { return Vec::new() };
			let valuation = Self::valuation_of(&m);
			let iter = match start_after {
				Some(who) => Positions::<T>::iter_prefix_from(
					market,
					Positions::<T>::hashed_key_for(market, who),
				),
				None => Positions::<T>::iter_prefix(market),
			};
			iter.take((limit as usize).saturating_mul(10))
				.map(|(who, position)| (who, Self::view_of(&valuation, &m, &position)))
				.filter(|(_, view)| view.liquidatable)
				.take(limit as usize)
				.collect()
		}

		pub fn lender(market: MarketId, who: &T::AccountId) -> LenderView {
			let shares = SupplyShares::<T>::get(market, who);
			let assets = Self::accrued_market(market)
				.map(|m| m.ledger.assets_of_shares(shares))
				.unwrap_or_default();
			LenderView { shares, assets }
		}
	}

	impl<T: Config> OnBackingRateDecreased<T::AssetId> for Pallet<T> {
		/// Marks every market of the LRT; `on_idle` starts working its positions off in this
		/// very block.
		fn on_backing_rate_decreased(lrt: T::AssetId, previous: FixedU128, current: FixedU128) {
			for market in MarketsOfCollateral::<T>::get(lrt) {
				Propagating::<T>::insert(
					market,
					Propagation::new(frame_system::Pallet::<T>::block_number()),
				);
				Self::deposit_event(Event::PropagationStarted { market, previous, current });
			}
		}

		/// The collateral's market list read, then one mark and one event per market (at most
		/// `MaxMarketsPerCollateral`); priced by the storage it touches.
		fn weight() -> Weight {
			let markets = T::MaxMarketsPerCollateral::get() as u64;
			T::DbWeight::get()
				.reads_writes(1, markets)
				.saturating_add(Weight::from_parts(10_000_000, 0).saturating_mul(markets))
		}
	}
}
