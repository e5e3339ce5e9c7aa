//! The pallet's SCALE types: markets, their parameters and books, positions, liquidation quotes,
//! the runtime API's views and the work-off of a rate drop.
//!
//! Their arithmetic (interest, shares, health, liquidation quotes) lives in `math.rs`; here are
//! the types, their constructors and the rules parameters obey.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;
use sp_arithmetic::{
	traits::{One, Saturating},
	FixedPointNumber, FixedU128, Perbill,
};

/// A market's identifier, assigned in creation order from 0.
pub type MarketId = u32;
pub use ballast_primitives::protective::Strictness;
/// Amounts of every asset the markets hold (collateral and borrowed), in the asset's units: the
/// project's one `Balance`.
pub use ballast_primitives::Balance;

/// What a market lets its users do.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum MarketState {
	/// Everything.
	Active,
	/// No new borrowing; everything else as active.
	BorrowPaused,
	/// Only ways out: withdraw, repay, withdraw collateral, liquidate, buy collateral.
	Frozen,
}

/// How much the state shuts: `Active` 0 < `BorrowPaused` 1 < `Frozen` 2. The emergency origin
/// only moves a market up this order (`set_state`).
impl Strictness for MarketState {
	fn strictness(self) -> u8 {
		match self {
			MarketState::Active => 0,
			MarketState::BorrowPaused => 1,
			MarketState::Frozen => 2,
		}
	}
}

/// Kinked utilisation model (yearly rates): `base + slope_low · U / kink` up to the kink, then
/// `base + slope_low + slope_high · (U − kink) / (1 − kink)`.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct InterestModel {
	/// Yearly borrow rate at 0 % utilisation.
	pub base: FixedU128,
	/// What the yearly rate gains from 0 % utilisation up to the kink.
	pub slope_low: FixedU128,
	/// What the yearly rate gains from the kink up to 100 % utilisation.
	pub slope_high: FixedU128,
	/// Utilisation where the steep slope starts.
	pub kink: Perbill,
}

/// The most a borrow rate may reach at 100 % utilisation: 1,000 % a year (Aave v3's bound).
pub fn max_yearly_rate() -> FixedU128 {
	FixedU128::saturating_from_integer(10u32)
}

impl InterestModel {
	/// A kink strictly inside (0, 1) and at most [`max_yearly_rate`] at full utilisation.
	pub fn is_valid(&self) -> bool {
		!self.kink.is_zero()
			&& self.kink < Perbill::one()
			&& self.base.saturating_add(self.slope_low).saturating_add(self.slope_high)
				<= max_yearly_rate()
	}
}

/// A market's risk and economic parameters, set by governance.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct MarketParams {
	/// Loan-to-value to open or grow a position, against the valuation's borrow-side rate.
	pub ltv: Perbill,
	/// Liquidation threshold: a position is liquidatable once
	/// `collateral · backing rate · LT < debt`.
	pub liquidation_threshold: Perbill,
	/// Discount of a barely unhealthy position; it grows by `1 − health`, up to `max_discount`.
	pub base_discount: Perbill,
	/// The largest liquidation discount.
	pub max_discount: Perbill,
	/// Health a partial liquidation restores (> 1 and > LT / (1 − max discount)).
	pub target_health: FixedU128,
	/// The share of a debt one liquidation may repay while health ≥ `full_liquidation_health`.
	pub close_factor: Perbill,
	/// Below this health a liquidation may repay the whole debt.
	pub full_liquidation_health: FixedU128,
	/// Minimum debt of a position (dust): smaller remainders are not allowed.
	pub min_debt: Balance,
	/// Share of interest kept as reserves.
	pub reserve_factor: Perbill,
	/// Share of a liquidation's bonus (seized collateral above par) kept by the market.
	pub protocol_fee: Perbill,
	/// Most the lenders' assets may reach through `supply`.
	pub supply_cap: Balance,
	/// Most the total debt may reach through `borrow`.
	pub borrow_cap: Balance,
	/// The borrow rate as a function of utilisation.
	pub interest: InterestModel,
}

impl MarketParams {
	/// Reference parameters for an LRT/ETH market (18-decimal assets), close to Ion's deployed
	/// ezETH market: LTV 90 %, LT 93 %, discount 1–20 %, target health 1.25, close factor 50 %
	/// (whole debt under health 0.95), minimum debt 0.01 ETH, 10 % reserve factor and protocol
	/// fee, interest 2 % + 4 % up to 90 % utilisation, then +100 %. Caps of 1,000,000 ETH.
	pub fn reference() -> Self {
		const ETHER: Balance = 1_000_000_000_000_000_000;
		MarketParams {
			ltv: Perbill::from_percent(90),
			liquidation_threshold: Perbill::from_percent(93),
			base_discount: Perbill::from_percent(1),
			max_discount: Perbill::from_percent(20),
			target_health: FixedU128::from_rational(125, 100),
			close_factor: Perbill::from_percent(50),
			full_liquidation_health: FixedU128::from_rational(95, 100),
			min_debt: ETHER / 100,
			reserve_factor: Perbill::from_percent(10),
			protocol_fee: Perbill::from_percent(10),
			supply_cap: 1_000_000 * ETHER,
			borrow_cap: 1_000_000 * ETHER,
			interest: InterestModel {
				base: FixedU128::from_rational(2, 100),
				slope_low: FixedU128::from_rational(4, 100),
				slope_high: FixedU128::from_rational(100, 100),
				kink: Perbill::from_percent(90),
			},
		}
	}

	/// The rules every set of parameters obeys, whatever governance asks.
	pub fn is_valid(&self) -> bool {
		let one = FixedU128::one();
		!self.ltv.is_zero() &&
			self.ltv < self.liquidation_threshold &&
			self.liquidation_threshold < Perbill::one() &&
			self.base_discount <= self.max_discount &&
			self.max_discount < Perbill::from_percent(50) &&
			// A liquidation at the largest discount must still be able to restore the target.
			self.liquidation_pivot(self.max_discount).is_some_and(|pivot| self.target_health > pivot) &&
			self.target_health > one &&
			self.target_health <= FixedU128::saturating_from_integer(2u32) &&
			!self.close_factor.is_zero() &&
			self.full_liquidation_health <= one &&
			self.reserve_factor < Perbill::one() &&
			self.interest.is_valid()
	}
}

/// Bad debt of a market, accounted explicitly: debt left without collateral, covered first by
/// reserves, the rest socialised to lenders (their assets fall by it).
#[derive(
	Clone,
	Copy,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct BadDebt {
	/// All bad debt ever recorded: `covered_by_reserves + socialised`.
	pub total: Balance,
	/// The part reserves paid.
	pub covered_by_reserves: Balance,
	/// The part lenders lost.
	pub socialised: Balance,
}

/// A market's books.
///
/// The lenders' assets are `cash + debt + stock_value − reserves`: what the market holds, what it
/// is owed, and their part of the collateral it took over at what it fetches at the auction's
/// floor (at most what they paid for it), minus what belongs to the protocol.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct MarketBooks {
	/// Sum of the lenders' shares.
	pub supply_shares: u128,
	/// Sum of the positions' normalized debt; debt = normalized · `borrow_index`.
	pub normalized_debt: u128,
	/// Grows with interest, never falls; starts at 1.
	pub borrow_index: FixedU128,
	/// Unix seconds of the last accrual.
	pub last_accrual: u64,
	/// Borrowed asset held for the market.
	pub cash: Balance,
	/// Part of the lenders' pool that belongs to the protocol.
	pub reserves: Balance,
	/// Collateral deposited by borrowers.
	pub total_collateral: Balance,
	/// Collateral the market took over in its own liquidations (keeper, slash propagation) and
	/// as protocol fees, for sale by a descending-price auction (`buy_collateral`).
	pub stock: Balance,
	/// The part of `stock` that is the protocol's: the protocol fees of liquidations. Its share
	/// of each sale's payment goes to `reserves`; until sold it is in no one's assets.
	pub protocol_stock: Balance,
	/// What the lenders paid for their part of the stock (`stock − protocol_stock`): the debt the
	/// market wrote off for it.
	pub stock_cost: Balance,
	/// The lenders' part of the stock in the books: `min(stock_cost, what it fetches at the
	/// auction's floor)`, the floor being `backing rate · (1 − max_discount)`. Marked again
	/// whenever the market is brought to now: it moves with the rate, not with the auction's
	/// clock.
	pub stock_value: Balance,
	/// Unix seconds the stock's auction started: new stock moves it towards its arrival in
	/// proportion to its amount.
	pub auction_start: u64,
	/// Bad debt recorded so far.
	pub bad_debt: BadDebt,
}

impl MarketBooks {
	/// Empty books, accrued to `now` (Unix seconds), with a borrow index of 1.
	pub fn new(now: u64) -> Self {
		MarketBooks {
			supply_shares: 0,
			normalized_debt: 0,
			borrow_index: FixedU128::one(),
			last_accrual: now,
			cash: 0,
			reserves: 0,
			total_collateral: 0,
			stock: 0,
			protocol_stock: 0,
			stock_cost: 0,
			stock_value: 0,
			auction_start: now,
			bad_debt: BadDebt::default(),
		}
	}
}

/// A market: one LRT as collateral, one asset lent.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Market<AssetId> {
	/// The LRT borrowers deposit.
	pub collateral: AssetId,
	/// The asset lenders supply and borrowers borrow (ETH).
	pub borrow_asset: AssetId,
	/// Governance's parameters (before the risk caps).
	pub params: MarketParams,
	/// What the market lets its users do.
	pub state: MarketState,
	/// The market's books.
	pub ledger: MarketBooks,
}

/// A borrower's position in one market.
#[derive(
	Clone,
	Copy,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Position {
	/// Collateral deposited.
	pub collateral: Balance,
	/// Debt in index units: debt = normalized · the market's `borrow_index`, rounded up.
	pub normalized_debt: u128,
}

/// A position as the valuation sees it.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct PositionHealth {
	/// Collateral of the position.
	pub collateral: Balance,
	/// Debt of the position, accrued.
	pub debt: Balance,
	/// `collateral · backing rate`, rounded down.
	pub collateral_value: Balance,
	/// `collateral · backing rate · LT`, rounded down.
	pub weighted_collateral: Balance,
	/// `weighted_collateral / debt`; `None` without debt.
	pub health: Option<FixedU128>,
	/// An outside liquidator may liquidate the position: `weighted_collateral < debt`, at a rate
	/// above 0 (at 0 nothing could be repaid against the collateral). The market itself also
	/// liquidates at a rate of 0, writing the debt off ([`PositionHealth::liquidatable_by`]).
	pub liquidatable: bool,
}

/// A liquidation's terms.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct LiquidationQuote {
	/// The position's health before the liquidation.
	pub health: FixedU128,
	/// `min(max(base, min(base + (1 − health), max)), 1 − debt / (collateral · rate))`, at
	/// least 0.
	pub discount: Perbill,
	/// Debt the liquidator repays (0 when the market writes off a debt behind collateral valued
	/// at 0).
	pub repay: Balance,
	/// Collateral the position loses: `repay / (rate · (1 − discount))`, rounded down.
	pub seize: Balance,
	/// Part of `seize` the protocol keeps (its share of the bonus above par): it joins the
	/// market's stock as the protocol's part and reaches the reserves when sold.
	pub protocol_fee: Balance,
	/// Debt left without collateral (the position's collateral is all seized), or the whole
	/// debt behind collateral valued at 0 (the market's write-off).
	pub bad_debt: Balance,
	/// Collateral that goes back to the borrower because no debt is left.
	pub returned: Balance,
}

/// Who liquidates: an outside liquidator is held to the close factor (it may come back for
/// more); the market restores the target health in one step, the least that makes the position
/// sound again, and writes off the debt of a position whose collateral is valued at 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Liquidator {
	/// A signed account, paying the debt and receiving the collateral (`liquidate`).
	Outside,
	/// The market itself (`liquidate_unhealthy`, `on_idle`), writing the debt off.
	Market,
}

/// Why a position cannot be liquidated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuoteError {
	/// The position has no debt.
	NoDebt,
	/// The position is healthy.
	Healthy,
	/// The repayment would leave a debt under the market's minimum.
	WouldLeaveDust,
	/// Nothing would be repaid (the collateral is valued at 0, or there is none): no outside
	/// liquidator takes collateral for nothing. (The market writes such a debt off instead.)
	ZeroRepay,
}

/// A market as the runtime API shows it, accrued to now.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct MarketView<AssetId> {
	/// The market, its books accrued to now.
	pub market: Market<AssetId>,
	/// Total debt at the current index.
	pub total_debt: Balance,
	/// The lenders' assets: `cash + debt + stock_value − reserves`.
	pub supply_assets: Balance,
	/// What one unit of the stock sells for now (`buy_collateral`): `rate · (1 − auction
	/// discount)`; `None` without a valuation.
	pub stock_price: Option<FixedU128>,
	/// `debt / (cash + debt)`.
	pub utilisation: Perbill,
	/// Yearly borrow rate at the current utilisation.
	pub borrow_rate: FixedU128,
	/// Yearly rate lenders earn: `borrow rate · utilisation · (1 − reserve factor)`.
	pub supply_rate: FixedU128,
	/// The LRT's backing rate (liquidations).
	pub backing_rate: Option<FixedU128>,
	/// The LRT's borrow-side rate (limits; `None` while the valuation is stale).
	pub borrow_side_rate: Option<FixedU128>,
	/// A rate drop is being worked off.
	pub propagating: bool,
	/// LTV in force: governance's, capped by the LRT's risk tier.
	pub effective_ltv: Perbill,
	/// Liquidation threshold in force: governance's, capped by the LRT's risk tier.
	pub effective_liquidation_threshold: Perbill,
}

/// A position as the runtime API shows it, accrued to now.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct PositionView {
	/// Collateral deposited.
	pub collateral: Balance,
	/// Debt at the current index.
	pub debt: Balance,
	/// `collateral · backing rate · LT`.
	pub weighted_collateral: Balance,
	/// `weighted_collateral / debt` (`None` without debt or valuation).
	pub health: Option<FixedU128>,
	/// Health under 1 (at a backing rate above 0): anyone may liquidate the position.
	pub liquidatable: bool,
	/// Most debt the position may carry now (0 while the valuation is stale).
	pub borrow_limit: Balance,
}

/// A lender's part of a market.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct LenderView {
	/// The lender's shares.
	pub shares: u128,
	/// What the shares withdraw now.
	pub assets: Balance,
}

/// Where a rate drop's work-off stands in a market.
///
/// A work-off goes through the market's positions in storage order from `cursor`. A new fall
/// while it runs keeps the cursor (so frequent small falls cannot hold it at the first
/// positions) and sets `end` to it: the work-off goes on to the last position, wraps to the
/// first and ends once it is back at `end`, so every position is checked once after the latest
/// fall.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct Propagation<BlockNumber> {
	/// Block the rate first fell in (the work-off started).
	pub since: BlockNumber,
	/// Raw storage key of the last position checked (`None`: the pass starts at the first).
	pub cursor: Option<BoundedVec<u8, ConstU32<128>>>,
	/// Raw storage key where the work-off ends after wrapping to the first position: where the
	/// cursor stood when the rate last fell. `None`: it ends at the last position.
	pub end: Option<BoundedVec<u8, ConstU32<128>>>,
	/// The work-off went past the last position and started again from the first.
	pub wrapped: bool,
	/// Positions liquidated so far.
	pub liquidated: u32,
}

impl<BlockNumber> Propagation<BlockNumber> {
	/// A work-off starting at `since`, from the market's first position to its last.
	pub fn new(since: BlockNumber) -> Self {
		Propagation { since, cursor: None, end: None, wrapped: false, liquidated: 0 }
	}

	/// The rate fell again while the work-off runs: it keeps its cursor and now ends there,
	/// after going round every position once more.
	pub fn fell_again(&mut self) {
		self.end = self.cursor.clone();
		self.wrapped = false;
	}
}

/// Where a market's LTV and liquidation threshold stood when its current parameter window
/// began: within the window, `set_params` keeps both within `MaxParamStep` of these values.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct ParamWindowStart {
	/// Unix seconds the window began (the first `set_params` after the previous window ended).
	pub started: u64,
	/// LTV at the window's start.
	pub ltv: Perbill,
	/// Liquidation threshold at the window's start.
	pub liquidation_threshold: Perbill,
}

/// What a sale of stock (`buy_collateral`) takes out of a market's books
/// ([`MarketBooks::sell_stock`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StockSale {
	/// The lenders' cost of the part of their stock sold.
	pub cost: Balance,
	/// The protocol's share of the payment, for its part of the stock sold: reserves.
	pub protocol_proceeds: Balance,
	/// The lenders' share of the payment: a gain over `cost`, or a loss under it.
	pub lenders_proceeds: Balance,
}

/// A market's valuation inputs, read once for all its positions: the backing rate (health,
/// liquidation), the borrow-side rate (limits) and the parameters under the risk caps.
#[derive(Clone, Copy, Debug)]
pub struct MarketValuation {
	/// The collateral's backing rate (`None` if it was never valued).
	pub backing_rate: Option<FixedU128>,
	/// The collateral's borrow-side rate (`None` while the valuation is stale).
	pub borrow_rate: Option<FixedU128>,
	/// The market's parameters under its collateral's risk caps.
	pub params: MarketParams,
}
