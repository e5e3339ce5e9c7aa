//! # Lending
//!
//! Isolated markets that lend one asset (ETH) against one LRT each, valued by the LRT's proven
//! backing rate (`ballast_primitives::valuation::BackingRate`), never by a market price:
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
//!   transactions from validators' off-chain workers, and `on_idle` after a rate drop): it
//!   writes the debt off against the seized collateral, which it then sells by a
//!   descending-price auction with a floor (`buy_collateral`), valued meanwhile at the lower of
//!   its cost and its floor price. The protocol's fees join that stock as the protocol's part and
//!   reach the reserves only when sold.
//! - **Bad debt**: debt left without collateral, or behind collateral valued at 0 (which the
//!   market's own liquidation writes off), is written off, reserves first, then lenders;
//!   accounted per market in [`BadDebt`].
//! - **Slashing propagation**: `OnBackingRateDecreased` marks every market of the LRT; in the
//!   same block, `on_idle` works off its unhealthy positions with the block's spare weight, and
//!   continues in the next blocks with the keeper.
//!
//! ## Invariants
//!
//! `Pallet::do_try_state` (try-runtime's `try_state`, after every unit test and after every step
//! of the property test) checks them:
//!
//! - the markets' account holds each asset the books say: the markets' `cash` of their borrowed
//!   asset, `total_collateral + stock` of their collateral, plus the asset's minimum balance (the
//!   account's endowment, so that payouts never reap it) once it holds any (exactly in this
//!   crate's tests; at least on a chain, where anyone may send it assets);
//! - positions' collateral and normalized debt sum to their market's `total_collateral` and
//!   `normalized_debt`; lenders' shares sum to its `supply_shares`; no position, share balance
//!   or work-off belongs to a market that does not exist;
//! - bad debt is split exactly (`total = covered_by_reserves + socialised`), the borrow index is
//!   at least 1, lenders' claims never exceed `cash + debt + stock_value − reserves`, and the
//!   stock is never valued above its cost, nor is the protocol's part of it above the stock.
//!
//! The model, the calls and the file map are in the pallet's `README.md`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod events;
mod functions;
mod impls;
mod keeper;
mod math;
#[cfg(test)]
mod mock;
mod propagation;
#[cfg(test)]
mod tests;
mod try_state;
pub mod types;
mod views;
pub mod weights;

pub use math::{
	auction_discount, borrow_limit, index_growth, mul_div, quote_liquidation, stock_payment,
	units_of, value_of, VIRTUAL_ASSETS, VIRTUAL_SHARES,
};
pub use pallet::*;
// The section macro calls `import_section` back by this name.
use frame_support::pallet_macros::import_section;
pub use types::*;
pub use weights::WeightInfo;

/// What benchmarks need from the runtime around the pallet.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AssetId> {
	/// Two assets that exist (collateral, borrowed) and a backing rate for the collateral.
	fn assets() -> (AssetId, AssetId);
	/// Sets the collateral's backing (and borrow-side) rate.
	fn set_rate(lrt: AssetId, rate: sp_runtime::FixedU128);
}

/// The pallet: configuration, storage, events, errors, hooks and calls. The calls check their
/// origin and arguments and delegate to `Pallet::do_*` (`functions.rs`).
#[import_section(events::events)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use ballast_primitives::{risk::RiskLimits, valuation::BackingRate};
	use frame_support::{
		pallet_prelude::*,
		traits::{fungibles::Mutate, UnixTime},
		PalletId,
	};
	use frame_system::{offchain::CreateAuthorizedTransaction, pallet_prelude::*};
	use sp_runtime::{traits::Zero, FixedU128, Perbill};

	/// The lending pallet.
	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// The pallet's configuration.
	#[pallet::config]
	pub trait Config:
		frame_system::Config<RuntimeEvent: From<Event<Self>>, RuntimeCall: From<Call<Self>>>
		+ CreateAuthorizedTransaction<Call<Self>>
	{
		/// Identifier of an asset (`pallet-assets`): an LRT or the borrowed asset.
		type AssetId: Member + Parameter + Copy + MaxEncodedLen + Ord;
		/// Collateral and borrowed assets (`pallet-assets`).
		type Assets: Mutate<Self::AccountId, AssetId = Self::AssetId, Balance = Balance>;
		/// Each LRT's backing rate (the valuation).
		type Valuation: BackingRate<Self::AssetId>;
		/// Caps accepted risk scores put on each LRT's markets (LTV, liquidation threshold).
		type RiskLimits: RiskLimits<Self::AssetId>;
		/// Unix time, for interest.
		type Time: UnixTime;
		/// Creates markets, sets their parameters and state (any state), and withdraws reserves.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The emergency origin (e.g. a technical committee, acting without delay). It may only
		/// tighten: pause or freeze. Its one call is `set_state` to a state stricter than the
		/// market's (`MarketState::is_stricter_than`); it can never re-activate, unpause or
		/// unfreeze a market, nor call anything else.
		type EmergencyOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The account holding every market's assets.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// Most markets one LRT may be the collateral of.
		#[pallet::constant]
		type MaxMarketsPerCollateral: Get<u32>;
		/// The most `set_params` may move LTV or the liquidation threshold within one
		/// `ParamStepWindow` (measured from their values at the window's start, however many
		/// calls): a large tightening at once would liquidate positions that were sound a block
		/// before.
		#[pallet::constant]
		type MaxParamStep: Get<Perbill>;
		/// Seconds of a parameter window: it starts with the first `set_params` after the
		/// previous one ended, and LTV and liquidation threshold stay within `MaxParamStep` of
		/// their values at its start until it ends.
		#[pallet::constant]
		type ParamStepWindow: Get<u64>;
		/// Seconds the stock's auction takes to fall from `base_discount` to its floor,
		/// `max_discount` (where it stays until the stock is sold).
		#[pallet::constant]
		type StockAuctionDuration: Get<u64>;
		/// Positions the keeper checks per off-chain-worker run unless the node operator set
		/// another number in local storage (`ballast/lending/keeper/max-checks`, SCALE `u32`).
		#[pallet::constant]
		type KeeperChecksPerRun: Get<u32>;
		/// Pool priority of the keeper's liquidations.
		#[pallet::constant]
		type KeeperPriority: Get<TransactionPriority>;
		/// Weights of the calls, the keeper's validation and the work-off.
		type WeightInfo: WeightInfo;
		/// Assets and rates for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AssetId>;
	}

	/// Every market by id: its assets, parameters, state and books.
	#[pallet::storage]
	pub type Markets<T: Config> =
		StorageMap<_, Twox64Concat, MarketId, Market<T::AssetId>, OptionQuery>;

	/// The id the next market gets.
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

	/// Borrowers' positions (collateral and normalized debt) per market; empty ones are removed.
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

	/// Lenders' shares per market.
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

	/// Per market, LTV and liquidation threshold at the start of its current parameter window
	/// (`ParamStepWindow`): `set_params` keeps both within `MaxParamStep` of them until the
	/// window ends. Absent until the market's first `set_params`.
	#[pallet::storage]
	pub type ParamWindow<T: Config> =
		StorageMap<_, Twox64Concat, MarketId, ParamWindowStart, OptionQuery>;

	/// Markets whose collateral's rate fell and whose positions are being worked off.
	#[pallet::storage]
	pub type Propagating<T: Config> =
		StorageMap<_, Twox64Concat, MarketId, Propagation<BlockNumberFor<T>>, OptionQuery>;

	/// Why a call failed. Every call is transactional: an error changes nothing.
	#[pallet::error]
	pub enum Error<T> {
		/// No market has that id.
		UnknownMarket,
		/// Collateral and borrowed asset are the same.
		SameAsset,
		/// An asset of the market does not exist.
		UnknownAsset,
		/// Parameters break a rule (LTV < LT < 1, discounts, target health, interest bounds).
		InvalidParams,
		/// LTV or the liquidation threshold would move more than `MaxParamStep` from its value
		/// at the start of the current parameter window (`ParamStepWindow`).
		ParamStepTooLarge,
		/// The LRT is already the collateral of `MaxMarketsPerCollateral` markets.
		TooManyMarkets,
		/// The market is frozen: only ways out are open.
		MarketFrozen,
		/// Borrowing is paused in the market.
		BorrowPaused,
		/// The amount is zero.
		ZeroAmount,
		/// The deposit is too small to mint a share.
		ZeroShares,
		/// The lenders' assets would exceed the market's supply cap.
		SupplyCapExceeded,
		/// The market's debt would exceed its borrow cap.
		BorrowCapExceeded,
		/// The market does not hold that much cash.
		InsufficientLiquidity,
		/// The lender's shares are worth less than asked.
		InsufficientShares,
		/// The position holds less collateral than asked.
		InsufficientCollateral,
		/// The account has no position in the market.
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
		/// The position is healthy: it cannot be liquidated.
		PositionHealthy,
		/// The position has no debt.
		NoDebt,
		/// A borrower cannot liquidate their own position.
		SelfLiquidation,
		/// The market holds less collateral for sale than asked.
		InsufficientStock,
		/// The price exceeds the buyer's limit.
		PriceAboveLimit,
		/// The market's reserves are less than asked.
		InsufficientReserves,
		/// The liquidation would repay nothing (e.g. the collateral is valued at 0): no
		/// collateral leaves a position for nothing to a liquidator. (The market's own
		/// liquidation writes such a debt off instead.)
		ZeroRepay,
		/// The collateral would sell for nothing (e.g. it is valued at 0).
		ZeroPrice,
		/// An amount overflowed.
		Overflow,
		/// The emergency origin may only move a market to a stricter state (`Active` →
		/// `BorrowPaused` → `Frozen`); this state is the market's own or a looser one.
		NotProtective,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Works off the markets a rate drop marked, with the block's spare weight.
		fn on_idle(_n: BlockNumberFor<T>, remaining: Weight) -> Weight {
			Self::work_off_propagations(remaining)
		}

		/// The keeper: submits the liquidations of unhealthy positions (validators only).
		fn offchain_worker(now: BlockNumberFor<T>) {
			keeper::run::<T>(now);
		}

		fn integrity_test() {
			assert!(T::MaxParamStep::get() > Perbill::zero(), "parameters could never change");
			assert!(T::ParamStepWindow::get() > 0, "a parameter window must last");
			assert!(T::StockAuctionDuration::get() > 0, "the stock auction must last");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Creates a market lending `borrow_asset` against `collateral`, `Active`.
		///
		/// - Origin: `GovernanceOrigin`.
		/// - `collateral`: the LRT; `borrow_asset`: the asset lent; `params`: validated.
		/// - Emits `MarketCreated`.
		/// - Errors: `SameAsset`, `UnknownAsset`, `InvalidParams`, `TooManyMarkets`, `Overflow`.
		/// - Weight: `WeightInfo::create_market`.
		#[pallet::call_index(0)]
		pub fn create_market(
			origin: OriginFor<T>,
			collateral: T::AssetId,
			borrow_asset: T::AssetId,
			params: MarketParams,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(collateral != borrow_asset, Error::<T>::SameAsset);
			Self::do_create_market(collateral, borrow_asset, params)
		}

		/// Changes a market's parameters. Interest is accrued under the old model first; LTV and
		/// liquidation threshold stay within `MaxParamStep` of their values at the start of the
		/// current parameter window (`ParamStepWindow` seconds, from the first change after the
		/// previous window ended), however many changes the window holds.
		///
		/// - Origin: `GovernanceOrigin`.
		/// - `market`: the market; `params`: its new parameters, validated.
		/// - Emits `ParamsUpdated`.
		/// - Errors: `InvalidParams`, `UnknownMarket`, `ParamStepTooLarge`.
		/// - Weight: `WeightInfo::set_params`.
		#[pallet::call_index(1)]
		pub fn set_params(
			origin: OriginFor<T>,
			market: MarketId,
			params: MarketParams,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(params.is_valid(), Error::<T>::InvalidParams);
			Self::do_set_params(market, params)
		}

		/// Pauses borrowing, freezes or re-activates a market.
		///
		/// - Origin: `GovernanceOrigin`, any state; or `EmergencyOrigin`, only a state stricter
		///   than the market's (`Active` → `BorrowPaused` → `Frozen`: pause or freeze, never
		///   loosen, never the same state). The governance origin is tried first.
		/// - `market`: the market; `state`: `Active`, `BorrowPaused` or `Frozen`.
		/// - Emits `StateChanged`.
		/// - Errors: `BadOrigin` (neither origin), `UnknownMarket`, `NotProtective` (the
		///   emergency origin asked for the same or a looser state).
		/// - Weight: `WeightInfo::set_state`. Both paths read and write the same storage; the
		///   emergency path adds a refused origin check and a comparison (see the benchmark).
		#[pallet::call_index(2)]
		pub fn set_state(
			origin: OriginFor<T>,
			market: MarketId,
			state: MarketState,
		) -> DispatchResult {
			let may_loosen = T::GovernanceOrigin::try_origin(origin)
				.map(|_| true)
				.or_else(|origin| T::EmergencyOrigin::try_origin(origin).map(|_| false))
				.map_err(|_| DispatchError::BadOrigin)?;
			Self::do_set_state(market, state, may_loosen)
		}

		/// Lends `amount` of the market's borrowed asset for shares of its pool (rounded down).
		///
		/// - Origin: signed, the lender.
		/// - `market`: the market; `amount`: the borrowed asset to lend.
		/// - Emits `Supplied` (and `AccountEndowed` if it is the first of the asset in the markets'
		///   account).
		/// - Errors: `ZeroAmount`, `UnknownMarket`, `MarketFrozen`, `ZeroShares`,
		///   `SupplyCapExceeded`, `Overflow`, or the asset transfer's.
		/// - Weight: `WeightInfo::supply`.
		#[pallet::call_index(3)]
		pub fn supply(origin: OriginFor<T>, market: MarketId, amount: Balance) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			Self::do_supply(market, who, amount)
		}

		/// Withdraws `amount` of a lender's assets, burning the shares they are worth (rounded
		/// up).
		///
		/// - Origin: signed, the lender.
		/// - `market`: the market; `amount`: the borrowed asset to withdraw.
		/// - Emits `Withdrawn`.
		/// - Errors: `ZeroAmount`, `UnknownMarket`, `InsufficientShares`,
		///   `InsufficientLiquidity`, `Overflow`, or the asset transfer's.
		/// - Weight: `WeightInfo::withdraw`.
		#[pallet::call_index(4)]
		pub fn withdraw(origin: OriginFor<T>, market: MarketId, amount: Balance) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			Self::do_withdraw(market, who, amount)
		}

		/// Adds collateral to the caller's position (opening it if needed).
		///
		/// - Origin: signed, the borrower.
		/// - `market`: the market; `amount`: the collateral to add.
		/// - Emits `CollateralDeposited` (and `AccountEndowed` if it is the first of the asset in the markets'
		///   account).
		/// - Errors: `ZeroAmount`, `UnknownMarket`, `MarketFrozen`, `Overflow`, or the asset
		///   transfer's.
		/// - Weight: `WeightInfo::deposit_collateral`.
		#[pallet::call_index(5)]
		pub fn deposit_collateral(
			origin: OriginFor<T>,
			market: MarketId,
			amount: Balance,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			Self::do_deposit_collateral(market, who, amount)
		}

		/// Takes collateral out; an indebted position must stay within its borrow limit.
		///
		/// - Origin: signed, the borrower.
		/// - `market`: the market; `amount`: the collateral to take out.
		/// - Emits `CollateralWithdrawn`.
		/// - Errors: `ZeroAmount`, `UnknownMarket`, `NoPosition`, `InsufficientCollateral`,
		///   `NoValuation`, `ValuationStale`, `InsufficientBorrowLimit`, or the asset transfer's.
		/// - Weight: `WeightInfo::withdraw_collateral`.
		#[pallet::call_index(6)]
		pub fn withdraw_collateral(
			origin: OriginFor<T>,
			market: MarketId,
			amount: Balance,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			Self::do_withdraw_collateral(market, who, amount)
		}

		/// Borrows `amount` against the caller's collateral, up to `collateral · borrow-side rate
		/// · LTV`.
		///
		/// - Origin: signed, the borrower.
		/// - `market`: the market; `amount`: the borrowed asset to receive.
		/// - Emits `Borrowed`.
		/// - Errors: `ZeroAmount`, `UnknownMarket`, `BorrowPaused`, `MarketFrozen`,
		///   `InsufficientLiquidity`, `NoPosition`, `DebtBelowMinimum`, `NoValuation`,
		///   `ValuationStale`, `InsufficientBorrowLimit`, `BorrowCapExceeded`, `Overflow`.
		/// - Weight: `WeightInfo::borrow`.
		#[pallet::call_index(7)]
		pub fn borrow(origin: OriginFor<T>, market: MarketId, amount: Balance) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			Self::do_borrow(market, who, amount)
		}

		/// Repays up to `amount` of `borrower`'s debt (anyone may repay for anyone). Repaying
		/// more than the debt repays the debt.
		///
		/// - Origin: signed, the payer.
		/// - `market`: the market; `borrower`: whose debt; `amount`: the most to pay.
		/// - Emits `Repaid` (and `AccountEndowed` if it is the first of the asset in the markets'
		///   account).
		/// - Errors: `ZeroAmount`, `UnknownMarket`, `NoPosition`, `NoDebt`, `DebtBelowMinimum`,
		///   `Overflow`, or the asset transfer's.
		/// - Weight: `WeightInfo::repay`.
		#[pallet::call_index(8)]
		pub fn repay(
			origin: OriginFor<T>,
			market: MarketId,
			borrower: T::AccountId,
			amount: Balance,
		) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			Self::do_repay(market, payer, borrower, amount)
		}

		/// Liquidates an unhealthy position: the caller repays up to `max_repay` of its debt (at
		/// most what restores the target health) and receives its collateral at the discount.
		///
		/// - Origin: signed, the liquidator (not the borrower).
		/// - `market`: the market; `borrower`: the position; `max_repay`: the most to repay.
		/// - Emits `Liquidated`, and `BadDebtRecorded` or `CollateralReturned` when the
		///   collateral or the debt is gone.
		/// - Errors: `SelfLiquidation`, `ZeroAmount`, `UnknownMarket`, `NoPosition`,
		///   `NoValuation`, `NoDebt`, `ZeroRepay` (nothing would be repaid, e.g. at a rate of 0),
		///   `PositionHealthy`, `DebtBelowMinimum`, `Overflow`.
		/// - Weight: `WeightInfo::liquidate`.
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
			Self::do_liquidate(market, &borrower, Some(&liquidator), max_repay)
		}

		/// The market liquidates an unhealthy position itself: it writes off what restores the
		/// target health and takes the collateral into its stock for sale (at a backing rate of
		/// 0, the whole debt, as bad debt, and all the collateral). Submitted by validators'
		/// off-chain workers as an authorized transaction, valid only while the position is under
		/// the threshold (`C < D`), once per (market, borrower, block).
		///
		/// - Origin: authorized (`authorize_liquidate_unhealthy`); no signer, no fee.
		/// - `market`: the market; `borrower`: the position.
		/// - Emits `Liquidated` (liquidator `None`), and `BadDebtRecorded` or
		///   `CollateralReturned` when the collateral or the debt is gone.
		/// - Errors: `UnknownMarket`, `NoPosition`, `NoValuation`, `NoDebt`, `ZeroRepay`,
		///   `PositionHealthy`, `DebtBelowMinimum`, `Overflow`.
		/// - Weight: `WeightInfo::liquidate_unhealthy`; validation
		///   `WeightInfo::authorize_liquidate_unhealthy`.
		#[pallet::call_index(10)]
		#[pallet::authorize(Pallet::<T>::authorize_liquidate_unhealthy)]
		pub fn liquidate_unhealthy(
			origin: OriginFor<T>,
			market: MarketId,
			borrower: T::AccountId,
		) -> DispatchResult {
			frame_system::ensure_authorized(origin)?;
			Self::do_liquidate(market, &borrower, None, Balance::MAX)
		}

		/// Buys `amount` of the collateral the market took over, at the auction's price now:
		/// `backing rate · (1 − discount)`, the discount falling from `base_discount` to the
		/// floor `max_discount` over `StockAuctionDuration`. Pays at most `max_payment`.
		///
		/// - Origin: signed, the buyer.
		/// - `market`: the market; `amount`: collateral to buy; `max_payment`: the buyer's limit.
		/// - Emits `CollateralBought`, and `BadDebtRecorded` (no borrower) when the lenders'
		///   share of the payment is less than the debt the market wrote off for their part of
		///   that collateral (the protocol's part's share goes to the reserves), and
		///   `AccountEndowed` if it is the first of the asset in the markets'
		///   account.
		/// - Errors: `ZeroAmount`, `UnknownMarket`, `InsufficientStock`, `NoValuation`,
		///   `ZeroPrice` (the collateral would go for nothing, e.g. at a rate of 0),
		///   `PriceAboveLimit`, `Overflow`, or the asset transfers'.
		/// - Weight: `WeightInfo::buy_collateral`.
		#[pallet::call_index(11)]
		pub fn buy_collateral(
			origin: OriginFor<T>,
			market: MarketId,
			amount: Balance,
			max_payment: Balance,
		) -> DispatchResult {
			let buyer = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			Self::do_buy_collateral(market, buyer, amount, max_payment)
		}

		/// Pays reserves out of a market.
		///
		/// - Origin: `GovernanceOrigin`.
		/// - `market`: the market; `to`: the receiver; `amount`: reserves to pay.
		/// - Emits `ReservesWithdrawn`.
		/// - Errors: `ZeroAmount`, `UnknownMarket`, `InsufficientReserves`,
		///   `InsufficientLiquidity`, or the asset transfer's.
		/// - Weight: `WeightInfo::withdraw_reserves`.
		#[pallet::call_index(12)]
		pub fn withdraw_reserves(
			origin: OriginFor<T>,
			market: MarketId,
			to: T::AccountId,
			amount: Balance,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			Self::do_withdraw_reserves(market, to, amount)
		}
	}
}
