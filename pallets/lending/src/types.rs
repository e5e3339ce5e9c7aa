//! Markets, positions and the pure arithmetic of lending: interest accrual, lender shares, health
//! and liquidation quotes. Nothing here touches storage, so the runtime API, the keeper and the
//! calls all compute the same numbers.
//!
//! Rounding always favours the protocol: debt rounds up, collateral value and seized collateral
//! round down, shares minted round down and shares burned round up.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_arithmetic::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{CheckedSub, One, Saturating, Zero},
	FixedPointNumber, FixedU128, PerThing, Perbill, Rounding,
};

pub type MarketId = u32;
pub type Balance = u128;

/// Seconds per year (365.25 days): interest rates are yearly, accrued per second.
pub const SECONDS_PER_YEAR: u64 = 31_557_600;
/// Virtual shares and assets added to a market's supply (as Morpho Blue does): the first lender
/// cannot inflate the share price to steal the next lender's deposit, because moving the price
/// of 10^6 virtual shares costs 10^6 times what it would gain.
pub const VIRTUAL_SHARES: u128 = 1_000_000;
pub const VIRTUAL_ASSETS: u128 = 1;

/// `a · b / c` in 256-bit precision, rounded as asked; `None` on division by zero or overflow.
pub fn mul_div(a: u128, b: u128, c: u128, rounding: Rounding) -> Option<u128> {
	if c == 0 {
		return None;
	}
	multiply_by_rational_with_rounding(a, b, c, rounding)
}

/// `amount · rate`, rounded as asked.
pub fn value_of(amount: Balance, rate: FixedU128, rounding: Rounding) -> Option<Balance> {
	mul_div(amount, rate.into_inner(), FixedU128::DIV, rounding)
}

/// `amount / rate`, rounded as asked.
pub fn units_of(value: Balance, rate: FixedU128, rounding: Rounding) -> Option<Balance> {
	mul_div(value, FixedU128::DIV, rate.into_inner(), rounding)
}

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
	pub base: FixedU128,
	pub slope_low: FixedU128,
	pub slope_high: FixedU128,
	pub kink: Perbill,
}

/// The most a borrow rate may reach at 100 % utilisation: 1,000 % a year (Aave v3's bound).
pub fn max_yearly_rate() -> FixedU128 {
	FixedU128::saturating_from_integer(10u32)
}

impl InterestModel {
	/// Yearly borrow rate at `utilisation`.
	pub fn borrow_rate(&self, utilisation: Perbill) -> FixedU128 {
		let kink = self.kink;
		if utilisation <= kink {
			let share =
				FixedU128::checked_from_rational(utilisation.deconstruct(), kink.deconstruct())
					.unwrap_or_default();
			self.base.saturating_add(self.slope_low.saturating_mul(share))
		} else {
			let above = utilisation.deconstruct().saturating_sub(kink.deconstruct());
			let room = Perbill::one().deconstruct().saturating_sub(kink.deconstruct());
			let share = FixedU128::checked_from_rational(above, room).unwrap_or_default();
			self.base
				.saturating_add(self.slope_low)
				.saturating_add(self.slope_high.saturating_mul(share))
		}
	}

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

	/// `LT / (1 − d)`: the health a liquidation at discount `d` moves a position towards.
	pub fn liquidation_pivot(&self, discount: Perbill) -> Option<FixedU128> {
		let keep = Perbill::one().saturating_sub(discount);
		FixedU128::checked_from_rational(
			self.liquidation_threshold.deconstruct(),
			keep.deconstruct(),
		)
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
	pub total: Balance,
	pub covered_by_reserves: Balance,
	pub socialised: Balance,
}

/// A market's books.
///
/// The lenders' assets are `cash + debt + stock_cost − reserves`: what the market holds, what it
/// is owed, and what it paid for the collateral it took over in its own liquidations, minus what
/// belongs to the protocol.
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
pub struct Ledger {
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
	/// Collateral the market took over in its own liquidations (keeper, slash propagation),
	/// for sale with `buy_collateral`.
	pub stock: Balance,
	/// What the market paid (debt it wrote off) for `stock`.
	pub stock_cost: Balance,
	pub bad_debt: BadDebt,
}

impl Ledger {
	pub fn new(now: u64) -> Self {
		Ledger {
			supply_shares: 0,
			normalized_debt: 0,
			borrow_index: FixedU128::one(),
			last_accrual: now,
			cash: 0,
			reserves: 0,
			total_collateral: 0,
			stock: 0,
			stock_cost: 0,
			bad_debt: BadDebt::default(),
		}
	}

	/// Debt of `normalized` at the current index, rounded up.
	pub fn debt_of(&self, normalized: u128) -> Balance {
		value_of(normalized, self.borrow_index, Rounding::Up).unwrap_or(Balance::MAX)
	}

	pub fn total_debt(&self) -> Balance {
		self.debt_of(self.normalized_debt)
	}

	/// The lenders' assets.
	pub fn supply_assets(&self) -> Balance {
		self.cash
			.saturating_add(self.total_debt())
			.saturating_add(self.stock_cost)
			.saturating_sub(self.reserves)
	}

	/// `debt / (cash + debt)`.
	pub fn utilisation(&self) -> Perbill {
		let debt = self.total_debt();
		let total = self.cash.saturating_add(debt);
		if total.is_zero() {
			return Perbill::zero();
		}
		Perbill::from_rational(debt, total)
	}

	pub fn shares_for_deposit(&self, assets: Balance) -> Option<u128> {
		mul_div(
			assets,
			self.supply_shares.checked_add(VIRTUAL_SHARES)?,
			self.supply_assets().checked_add(VIRTUAL_ASSETS)?,
			Rounding::Down,
		)
	}

	pub fn shares_for_withdrawal(&self, assets: Balance) -> Option<u128> {
		mul_div(
			assets,
			self.supply_shares.checked_add(VIRTUAL_SHARES)?,
			self.supply_assets().checked_add(VIRTUAL_ASSETS)?,
			Rounding::Up,
		)
	}

	/// What `shares` can withdraw.
	pub fn assets_of_shares(&self, shares: u128) -> Balance {
		mul_div(
			shares,
			self.supply_assets().saturating_add(VIRTUAL_ASSETS),
			self.supply_shares.saturating_add(VIRTUAL_SHARES),
			Rounding::Down,
		)
		.unwrap_or_default()
	}

	/// Accrues interest up to `now`: the index grows by `e^{r·Δt} − 1` (three Taylor terms, as
	/// Morpho Blue does), the new debt goes to the lenders and `reserve_factor` of it to reserves.
	/// Returns the interest.
	pub fn accrue(&mut self, params: &MarketParams, now: u64) -> Balance {
		let elapsed = now.saturating_sub(self.last_accrual);
		if elapsed == 0 {
			return 0;
		}
		self.last_accrual = now;
		if self.normalized_debt.is_zero() {
			return 0;
		}
		let rate = params.interest.borrow_rate(self.utilisation());
		let x = FixedU128::saturating_from_rational(elapsed, SECONDS_PER_YEAR).saturating_mul(rate);
		let x2 = x.saturating_mul(x);
		let growth = x
			.saturating_add(x2 / FixedU128::saturating_from_integer(2u32))
			.saturating_add(x2.saturating_mul(x) / FixedU128::saturating_from_integer(6u32));
		let before = self.total_debt();
		self.borrow_index =
			self.borrow_index.saturating_mul(FixedU128::one().saturating_add(growth));
		let interest = self.total_debt().saturating_sub(before);
		self.reserves = self.reserves.saturating_add(params.reserve_factor.mul_floor(interest));
		interest
	}

	/// Writes `amount` of debt off as bad debt: reserves cover what they can, lenders the rest.
	/// Returns `(covered_by_reserves, socialised)`.
	pub fn record_bad_debt(&mut self, amount: Balance) -> (Balance, Balance) {
		let covered = amount.min(self.reserves);
		let socialised = amount.saturating_sub(covered);
		self.reserves = self.reserves.saturating_sub(covered);
		self.bad_debt.total = self.bad_debt.total.saturating_add(amount);
		self.bad_debt.covered_by_reserves =
			self.bad_debt.covered_by_reserves.saturating_add(covered);
		self.bad_debt.socialised = self.bad_debt.socialised.saturating_add(socialised);
		(covered, socialised)
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
	pub collateral: AssetId,
	pub borrow_asset: AssetId,
	pub params: MarketParams,
	pub state: MarketState,
	pub ledger: Ledger,
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
	pub collateral: Balance,
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
	pub collateral: Balance,
	pub debt: Balance,
	/// `collateral · backing rate`, rounded down.
	pub collateral_value: Balance,
	/// `collateral · backing rate · LT`, rounded down.
	pub weighted_collateral: Balance,
	/// `weighted_collateral / debt`; `None` without debt.
	pub health: Option<FixedU128>,
	pub liquidatable: bool,
}

impl PositionHealth {
	pub fn new(
		collateral: Balance,
		debt: Balance,
		rate: FixedU128,
		threshold: Perbill,
	) -> PositionHealth {
		let value = value_of(collateral, rate, Rounding::Down).unwrap_or(Balance::MAX);
		let weighted_collateral = threshold.mul_floor(value);
		PositionHealth {
			collateral,
			debt,
			collateral_value: value,
			weighted_collateral,
			health: (!debt.is_zero())
				.then(|| FixedU128::checked_from_rational(weighted_collateral, debt))
				.flatten(),
			liquidatable: weighted_collateral < debt,
		}
	}
}

/// Most debt `collateral` may carry at `rate` and `ltv` (rounded down).
pub fn borrow_limit(collateral: Balance, rate: FixedU128, ltv: Perbill) -> Balance {
	ltv.mul_floor(value_of(collateral, rate, Rounding::Down).unwrap_or(Balance::MAX))
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
	pub health: FixedU128,
	/// `min(base + (1 − health), max)`.
	pub discount: Perbill,
	/// Debt the liquidator repays.
	pub repay: Balance,
	/// Collateral the position loses: `repay / (rate · (1 − discount))`, rounded down.
	pub seize: Balance,
	/// Part of `seize` the market keeps (its share of the bonus above par).
	pub protocol_fee: Balance,
	/// Debt left without collateral (the position's collateral is all seized).
	pub bad_debt: Balance,
	/// Collateral that goes back to the borrower because no debt is left.
	pub returned: Balance,
}

/// Who liquidates: an outside liquidator is held to the close factor (it may come back for
/// more); the market restores the target health in one step, the least that makes the position
/// sound again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Liquidator {
	Outside,
	Market,
}

/// Why a position cannot be liquidated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuoteError {
	NoDebt,
	Healthy,
	/// The repayment would leave a debt under the market's minimum.
	WouldLeaveDust,
	ZeroRepay,
}

/// The liquidation of a position with `collateral` and `debt` at backing `rate`, repaying at most
/// `max_repay`.
///
/// Discount: `min(base + (1 − health), max, 1 − debt / (collateral · rate))`, at least `base`.
/// The repayment brings health back to `target_health` (Ion's formula
/// `R = (T·D − C) / (T − LT/(1 − d))`), for an outside liquidator at most `close_factor · D`;
/// the whole debt when health is
/// under `full_liquidation_health`, when the target cannot be reached (`R ≥ D`), or when the
/// remainder would be dust. When the collateral does not cover the repayment at the discount, all
/// of it is seized for what it covers and the rest of the debt is bad debt.
pub fn quote_liquidation(
	collateral: Balance,
	debt: Balance,
	rate: FixedU128,
	params: &MarketParams,
	max_repay: Balance,
	by: Liquidator,
) -> Result<LiquidationQuote, QuoteError> {
	let position = PositionHealth::new(collateral, debt, rate, params.liquidation_threshold);
	if debt.is_zero() {
		return Err(QuoteError::NoDebt);
	}
	if !position.liquidatable {
		return Err(QuoteError::Healthy);
	}
	let health = position.health.unwrap_or_default();
	let shortfall = Perbill::from_rational(debt - position.weighted_collateral, debt);
	// The discount grows with unhealthiness, but never past `1 − LT / health`, where the
	// collateral at the discount would no longer cover the debt: a position that is solvent at
	// the backing rate must not turn into bad debt through its own liquidation bonus.
	let solvent_room = Perbill::one().saturating_sub(
		Perbill::from_rational_with_rounding(debt, position.collateral_value, Rounding::Up)
			.unwrap_or(Perbill::one()),
	);
	let discount = params
		.base_discount
		.saturating_add(shortfall)
		.min(params.max_discount)
		.min(solvent_room)
		.max(params.base_discount);
	let keep = Perbill::one().saturating_sub(discount);

	// Worthless collateral: nothing to repay against it; it all goes, the debt is bad.
	if rate.is_zero() || collateral.is_zero() {
		return Ok(LiquidationQuote {
			health,
			discount,
			repay: 0,
			seize: collateral,
			protocol_fee: 0,
			bad_debt: debt,
			returned: 0,
		});
	}

	let to_target = params
		.liquidation_pivot(discount)
		.and_then(|pivot| params.target_health.checked_sub(&pivot))
		.filter(|room| !room.is_zero())
		.and_then(|room| {
			let wanted = value_of(debt, params.target_health, Rounding::Up)?
				.saturating_sub(position.weighted_collateral);
			mul_div(wanted, FixedU128::DIV, room.into_inner(), Rounding::Up)
		})
		.unwrap_or(Balance::MAX);
	let mut cap = if health < params.full_liquidation_health || to_target >= debt {
		debt
	} else if by == Liquidator::Market {
		to_target
	} else {
		to_target.min(params.close_factor.mul_ceil(debt).max(1))
	};
	if debt - cap < params.min_debt {
		cap = debt;
	}
	let mut repay = max_repay.min(cap);
	if repay.is_zero() {
		return Err(QuoteError::ZeroRepay);
	}
	let left = debt - repay;
	if !left.is_zero() && left < params.min_debt {
		return Err(QuoteError::WouldLeaveDust);
	}

	let at_par = units_of(repay, rate, Rounding::Down).unwrap_or(Balance::MAX);
	let mut seize =
		mul_div(at_par, Perbill::ACCURACY as u128, keep.deconstruct() as u128, Rounding::Down)
			.unwrap_or(Balance::MAX);
	let mut bad_debt = 0;
	if seize >= collateral {
		// The collateral covers only part of the repayment at the discount: all of it goes for
		// what it is worth there, and the debt it cannot cover is bad debt.
		seize = collateral;
		let covered = keep
			.mul_ceil(value_of(collateral, rate, Rounding::Up).unwrap_or(Balance::MAX))
			.min(repay);
		repay = covered;
		bad_debt = debt - repay;
	}
	let par = units_of(repay, rate, Rounding::Down).unwrap_or(Balance::MAX).min(seize);
	let protocol_fee = params.protocol_fee.mul_ceil(seize - par);
	let returned = if debt - repay - bad_debt == 0 { collateral - seize } else { 0 };
	Ok(LiquidationQuote { health, discount, repay, seize, protocol_fee, bad_debt, returned })
}
