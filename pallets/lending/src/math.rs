//! The pure arithmetic of lending: rounding helpers, interest and the borrow index, lender shares,
//! health, liquidation quotes (the discount and Ion's repayment `R`, or the market's write-off at
//! a rate of 0) and the stock (its auction price, its mark at the floor, the split of a sale).
//! Nothing here touches storage, so the calls, the runtime API's views and the keeper all compute
//! the same numbers.
//!
//! Rounding always favours the protocol: debt rounds up, collateral value and seized collateral
//! round down, shares minted round down and shares burned round up.
//!
//! The arithmetic methods of the types in `types.rs` are implemented here:
//! [`InterestModel::borrow_rate`], [`MarketBooks`]' accrual, share conversions and stock,
//! [`MarketParams::liquidation_pivot`], [`PositionHealth::new`] and
//! [`PositionHealth::liquidatable_by`].

use crate::types::*;
use ballast_primitives::time::SECONDS_PER_YEAR;
use sp_arithmetic::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{CheckedSub, One, Saturating, Zero},
	FixedPointNumber, FixedU128, PerThing, Perbill, Rounding,
};

/// Virtual shares and assets added to a market's supply (as Morpho Blue does): the first lender
/// cannot inflate the share price to steal the next lender's deposit, because moving the price
/// of 10^6 virtual shares costs 10^6 times what it would gain.
pub const VIRTUAL_SHARES: u128 = 1_000_000;
/// The virtual assets matching [`VIRTUAL_SHARES`].
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
}

/// How much the borrow index grows over `elapsed` seconds at the yearly `rate`: `e^{x} − 1` with
/// `x = rate · elapsed / year`, to three Taylor terms (`x + x²/2 + x³/6`, as Morpho Blue does).
pub fn index_growth(rate: FixedU128, elapsed: u64) -> FixedU128 {
	let x = FixedU128::saturating_from_rational(elapsed, SECONDS_PER_YEAR).saturating_mul(rate);
	let x2 = x.saturating_mul(x);
	x.saturating_add(x2 / FixedU128::saturating_from_integer(2u32))
		.saturating_add(x2.saturating_mul(x) / FixedU128::saturating_from_integer(6u32))
}

impl MarketBooks {
	/// Debt of `normalized` at the current index, rounded up.
	pub fn debt_of(&self, normalized: u128) -> Balance {
		value_of(normalized, self.borrow_index, Rounding::Up).unwrap_or(Balance::MAX)
	}

	/// The market's total debt at the current index, rounded up.
	pub fn total_debt(&self) -> Balance {
		self.debt_of(self.normalized_debt)
	}

	/// The lenders' assets: `cash + debt + stock_value − reserves`.
	pub fn supply_assets(&self) -> Balance {
		self.cash
			.saturating_add(self.total_debt())
			.saturating_add(self.stock_value)
			.saturating_sub(self.reserves)
	}

	/// Marks the lenders' part of the stock (`stock − protocol_stock`) to `min(stock_cost, what it
	/// fetches at the auction's floor)`: `(1 − max_discount) · ⌊amount · rate⌋`, rounded down, at
	/// the backing `rate`. The auction's clock does not enter: the books do not move with time
	/// alone, and never count more than the stock is sure to fetch while the rate holds.
	pub fn mark_stock(&mut self, rate: FixedU128, params: &MarketParams) {
		let lenders_stock = self.stock.saturating_sub(self.protocol_stock);
		let floor = Perbill::one()
			.saturating_sub(params.max_discount)
			.mul_floor(value_of(lenders_stock, rate, Rounding::Down).unwrap_or(Balance::MAX));
		self.stock_value = floor.min(self.stock_cost);
	}

	/// Adds `amount` of collateral to the stock at `now`, of which `protocol` is the protocol's
	/// (its fee) and the rest the lenders', bought for `cost`: the auction's start moves towards
	/// `now` in proportion to `amount` (a first lot starts it at `now`).
	pub fn add_stock(&mut self, amount: Balance, cost: Balance, protocol: Balance, now: u64) {
		let total = self.stock.saturating_add(amount);
		if !total.is_zero() {
			let start = mul_div(self.auction_start.into(), self.stock, total, Rounding::Down)
				.unwrap_or_default()
				.saturating_add(
					mul_div(now.into(), amount, total, Rounding::Up).unwrap_or_default(),
				);
			self.auction_start = u64::try_from(start).unwrap_or(now).min(now);
		}
		self.stock = total;
		self.protocol_stock = self.protocol_stock.saturating_add(protocol.min(amount));
		self.stock_cost = self.stock_cost.saturating_add(cost);
	}

	/// Takes `amount` (at most the stock) out of the stock for a sale that fetched `payment`.
	/// The protocol's part of it is in proportion, `⌊protocol_stock · amount / stock⌋` (all of it
	/// when the whole stock goes), and gets the same share of the payment, rounded down; the rest
	/// is the lenders', with its share of their cost, rounded up (all of it when their whole part
	/// goes). `None` if `amount` exceeds the stock.
	pub fn sell_stock(&mut self, amount: Balance, payment: Balance) -> Option<StockSale> {
		let stock_left = self.stock.checked_sub(amount)?;
		let lenders_stock = self.stock.checked_sub(self.protocol_stock)?;
		let protocol_sold = if amount == self.stock {
			self.protocol_stock
		} else {
			mul_div(self.protocol_stock, amount, self.stock, Rounding::Down)?
		};
		let lenders_sold = amount.checked_sub(protocol_sold)?;
		let cost = if lenders_sold == lenders_stock {
			self.stock_cost
		} else {
			mul_div(self.stock_cost, lenders_sold, lenders_stock, Rounding::Up)?
				.min(self.stock_cost)
		};
		let protocol_proceeds = if protocol_sold.is_zero() {
			0
		} else {
			mul_div(payment, protocol_sold, amount, Rounding::Down)?
		};
		self.stock = stock_left;
		self.protocol_stock -= protocol_sold;
		self.stock_cost -= cost;
		Some(StockSale { cost, protocol_proceeds, lenders_proceeds: payment - protocol_proceeds })
	}

	/// Records `loss`, a sale of stock under its cost, as bad debt. The stock's gains and losses
	/// are the lenders' (its mark already carried the loss in their assets), so they bear it;
	/// only what exceeds their assets at cost (`cash + debt + stock_cost − reserves`, before the
	/// sale) comes out of the reserves. Returns `(covered_by_reserves, socialised)`.
	pub fn record_stock_loss(
		&mut self,
		loss: Balance,
		lenders_at_cost: Balance,
	) -> (Balance, Balance) {
		let socialised = loss.min(lenders_at_cost);
		let covered = (loss - socialised).min(self.reserves);
		let socialised = loss - covered;
		self.reserves -= covered;
		self.bad_debt.total = self.bad_debt.total.saturating_add(loss);
		self.bad_debt.covered_by_reserves =
			self.bad_debt.covered_by_reserves.saturating_add(covered);
		self.bad_debt.socialised = self.bad_debt.socialised.saturating_add(socialised);
		(covered, socialised)
	}

	/// The lenders' assets with the stock at its cost: `cash + debt + stock_cost − reserves`.
	pub fn lenders_at_cost(&self) -> Balance {
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

	/// Shares a deposit of `assets` mints, rounded down.
	pub fn shares_for_deposit(&self, assets: Balance) -> Option<u128> {
		mul_div(
			assets,
			self.supply_shares.checked_add(VIRTUAL_SHARES)?,
			self.supply_assets().checked_add(VIRTUAL_ASSETS)?,
			Rounding::Down,
		)
	}

	/// Shares a withdrawal of `assets` burns, rounded up.
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

	/// Accrues interest up to `now`: the index grows by [`index_growth`], the new debt goes to
	/// the lenders and `reserve_factor` of it to reserves. Returns the interest.
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
		let growth = index_growth(rate, elapsed);
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

impl MarketParams {
	/// `LT / (1 − d)`: the health a liquidation at discount `d` moves a position towards.
	pub fn liquidation_pivot(&self, discount: Perbill) -> Option<FixedU128> {
		let keep = Perbill::one().saturating_sub(discount);
		FixedU128::checked_from_rational(
			self.liquidation_threshold.deconstruct(),
			keep.deconstruct(),
		)
	}
}

impl PositionHealth {
	/// The health of `collateral` against `debt` at the backing `rate` and liquidation
	/// `threshold`.
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
			// At a rate of 0 nothing can be repaid against the collateral (`ZeroRepay`).
			liquidatable: !rate.is_zero() && weighted_collateral < debt,
		}
	}

	/// Whether `by` may liquidate the position. Both need it unhealthy (`weighted_collateral <
	/// debt`); an outside liquidator also needs a rate above 0 (it would repay nothing), while
	/// the market then writes the debt off (collateral valued at 0 is always under the debt).
	pub fn liquidatable_by(&self, by: Liquidator) -> bool {
		match by {
			Liquidator::Outside => self.liquidatable,
			Liquidator::Market => self.weighted_collateral < self.debt,
		}
	}
}

/// The stock auction's discount at `now` for an auction that started at `start`: from
/// `base_discount` it falls linearly to the floor `max_discount`, which it reaches after
/// `duration` seconds and keeps (`Perbill`, rounded down).
pub fn auction_discount(params: &MarketParams, start: u64, now: u64, duration: u64) -> Perbill {
	let elapsed = now.saturating_sub(start);
	let range = params.max_discount.saturating_sub(params.base_discount);
	let fallen = if elapsed >= duration {
		range
	} else {
		Perbill::from_parts(
			Perbill::from_rational(elapsed, duration).mul_floor(range.deconstruct()),
		)
	};
	params.base_discount.saturating_add(fallen).min(params.max_discount)
}

/// What `amount` of stock costs at `rate` and auction `discount`: `(1 − discount) · amount ·
/// rate`, both steps rounded up.
pub fn stock_payment(amount: Balance, rate: FixedU128, discount: Perbill) -> Option<Balance> {
	Some(Perbill::one().saturating_sub(discount).mul_ceil(value_of(amount, rate, Rounding::Up)?))
}

/// Most debt `collateral` may carry at `rate` and `ltv` (rounded down).
pub fn borrow_limit(collateral: Balance, rate: FixedU128, ltv: Perbill) -> Balance {
	ltv.mul_floor(value_of(collateral, rate, Rounding::Down).unwrap_or(Balance::MAX))
}

/// The discount of a liquidatable position (`weighted_collateral < debt`):
/// `min(max(base, min(base + (1 − health), max)), 1 − debt / (collateral · rate))`, floored at 0.
///
/// It grows with unhealthiness from `base` up to `max`, but never past the solvency room
/// `1 − D / V` (`V = collateral · rate`): at a larger discount the collateral would no longer
/// cover the debt, and a position that is solvent at the backing rate would turn into bad debt
/// through its own liquidation bonus (which a borrower could collect from a second account).
/// The room binds even below `base`, and is 0 for a position insolvent at par. `1 − health` is
/// rounded down, `D / V` up (so the room is rounded down), all in `Perbill` (10⁻⁹).
fn liquidation_discount(params: &MarketParams, position: &PositionHealth) -> Perbill {
	let debt = position.debt;
	let shortfall = Perbill::from_rational(debt.saturating_sub(position.weighted_collateral), debt);
	let solvent_room = Perbill::one().saturating_sub(
		Perbill::from_rational_with_rounding(debt, position.collateral_value, Rounding::Up)
			.unwrap_or(Perbill::one()),
	);
	params
		.base_discount
		.saturating_add(shortfall)
		.min(params.max_discount)
		.max(params.base_discount)
		.min(solvent_room)
}

/// Ion's repayment `R = (T·D − C) / (T − LT/(1 − d))`: what brings a position with `debt` `D`
/// and `weighted_collateral` `C` to the target health `T` at discount `d`, rounded up;
/// `Balance::MAX` when the target cannot be reached at `d`.
fn repay_to_target(
	params: &MarketParams,
	debt: Balance,
	weighted_collateral: Balance,
	discount: Perbill,
) -> Balance {
	params
		.liquidation_pivot(discount)
		.and_then(|pivot| params.target_health.checked_sub(&pivot))
		.filter(|room| !room.is_zero())
		.and_then(|room| {
			let wanted = value_of(debt, params.target_health, Rounding::Up)?
				.saturating_sub(weighted_collateral);
			mul_div(wanted, FixedU128::DIV, room.into_inner(), Rounding::Up)
		})
		.unwrap_or(Balance::MAX)
}

/// The liquidation of a position with `collateral` and `debt` at backing `rate`, repaying at most
/// `max_repay`. Every step, its rounding and the order of the rules are in the pallet's README
/// ("Liquidation quote, step by step"):
///
/// 1. no debt: `NoDebt`; for an outside liquidator, a rate of 0: `ZeroRepay` (nothing can be
///    repaid against the collateral, so none of it may leave); healthy (`C ≥ D`): `Healthy`;
/// 2. the discount (see [`liquidation_discount`]); then, with no collateral or collateral
///    valued at 0, an outside liquidator has nothing to repay against (`ZeroRepay`), and the
///    market writes the whole debt off as bad debt and takes the collateral (worth nothing
///    now) into its stock, for no fee;
/// 3. the cap: the whole debt if `health < full_liquidation_health` or Ion's
///    `R = (T·D − C) / (T − LT/(1 − d))` reaches `D`; otherwise `R`, and for an outside
///    liquidator at most `close_factor · D` too; the whole debt if less than `min_debt` would
///    remain;
/// 4. `repay = min(max_repay, cap)`: 0 is `ZeroRepay`, a remainder under `min_debt` is
///    `WouldLeaveDust`;
/// 5. `seize = repay / (rate · (1 − d))`; if that is all the collateral or more, all of it is
///    seized for what it is worth at the discount and the rest of the debt is bad debt;
/// 6. the protocol fee, a share of the seized collateral above par; what is returned.
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
	if by == Liquidator::Outside && rate.is_zero() {
		return Err(QuoteError::ZeroRepay);
	}
	if !position.liquidatable_by(by) {
		return Err(QuoteError::Healthy);
	}
	let health = position.health.unwrap_or_default();
	let discount = liquidation_discount(params, &position);
	let keep = Perbill::one().saturating_sub(discount);

	// Nothing to repay against: no collateral (it cannot arise through the calls), or collateral
	// valued at 0 (the LRT's backing is lost). An outside liquidator has nothing to do; the
	// market writes the whole debt off (reserves first, then the lenders) and takes the
	// collateral into its stock at no cost, so that a recovery of the LRT is the lenders' gain.
	// No bonus, so no fee.
	if collateral.is_zero() || rate.is_zero() {
		if by == Liquidator::Outside {
			return Err(QuoteError::ZeroRepay);
		}
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

	let to_target = repay_to_target(params, debt, position.weighted_collateral, discount);
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
		if covered.is_zero() {
			return Err(QuoteError::ZeroRepay);
		}
		repay = covered;
		bad_debt = debt - repay;
	}
	let par = units_of(repay, rate, Rounding::Down).unwrap_or(Balance::MAX).min(seize);
	let protocol_fee = params.protocol_fee.mul_ceil(seize - par);
	let returned = if debt - repay - bad_debt == 0 { collateral - seize } else { 0 };
	Ok(LiquidationQuote { health, discount, repay, seize, protocol_fee, bad_debt, returned })
}

#[cfg(test)]
mod tests {
	use super::*;

	const ETHER: Balance = 1_000_000_000_000_000_000;

	fn rate(percent: u128) -> FixedU128 {
		FixedU128::from_rational(percent, 100)
	}

	#[test]
	fn rounding_helpers_round_as_asked() {
		assert_eq!(mul_div(10, 1, 3, Rounding::Down), Some(3));
		assert_eq!(mul_div(10, 1, 3, Rounding::Up), Some(4));
		assert_eq!(mul_div(1, 1, 0, Rounding::Down), None);
		assert_eq!(value_of(3, rate(50), Rounding::Down), Some(1));
		assert_eq!(value_of(3, rate(50), Rounding::Up), Some(2));
		assert_eq!(units_of(1, rate(50), Rounding::Down), Some(2));
	}

	#[test]
	fn the_index_grows_by_three_taylor_terms_of_the_exponential() {
		// A year at 4 %: 0.04 + 0.0008 + 0.0000106666… (e^0.04 − 1 = 0.0408107…).
		let growth = index_growth(rate(4), SECONDS_PER_YEAR);
		assert!(growth.into_inner().abs_diff(40_810_666_666_666_666) <= 2, "{growth:?}");
		assert_eq!(index_growth(rate(4), 0), FixedU128::zero());
	}

	#[test]
	fn shares_are_priced_with_virtual_shares_and_assets() {
		let mut books = MarketBooks::new(0);
		assert_eq!(books.shares_for_deposit(100), Some(100 * VIRTUAL_SHARES));
		books.cash = 100;
		books.supply_shares = 100 * VIRTUAL_SHARES;
		assert_eq!(books.assets_of_shares(100 * VIRTUAL_SHARES), 100);
	}

	#[test]
	fn bad_debt_is_covered_by_reserves_first() {
		let mut books = MarketBooks::new(0);
		books.reserves = 5;
		assert_eq!(books.record_bad_debt(8), (5, 3));
		assert_eq!(books.reserves, 0);
		assert_eq!((books.bad_debt.total, books.bad_debt.covered_by_reserves), (8, 5));
		assert_eq!(books.bad_debt.socialised, 3);
	}

	#[test]
	fn health_is_weighted_collateral_over_debt() {
		// 10 · 0.96 · 0.93 = 8.928 against 9: 0.992.
		let h = PositionHealth::new(10 * ETHER, 9 * ETHER, rate(96), Perbill::from_percent(93));
		assert_eq!(h.weighted_collateral, 8_928 * ETHER / 1_000);
		assert_eq!(h.health, Some(FixedU128::from_rational(992, 1_000)));
		assert!(h.liquidatable);
		let none = PositionHealth::new(10 * ETHER, 0, rate(96), Perbill::from_percent(93));
		assert_eq!((none.health, none.liquidatable), (None, false));
	}

	#[test]
	fn a_quote_needs_debt_and_unhealthiness_and_grows_its_discount() {
		let params = MarketParams::reference();
		let quote = |collateral, debt, r| {
			quote_liquidation(collateral, debt, r, &params, Balance::MAX, Liquidator::Outside)
		};
		assert_eq!(quote(10 * ETHER, 0, rate(100)), Err(QuoteError::NoDebt));
		assert_eq!(quote(10 * ETHER, 5 * ETHER, rate(100)), Err(QuoteError::Healthy));
		// Health 0.992: discount 1 % + 0.8 %; the close factor caps the repayment at half.
		let q = quote(10 * ETHER, 9 * ETHER, rate(96)).unwrap();
		assert_eq!(q.discount, Perbill::from_parts(18_000_000));
		assert_eq!(q.repay, Perbill::from_percent(50).mul_ceil(9 * ETHER));
		assert_eq!((q.bad_debt, q.returned), (0, 0));
	}

	#[test]
	fn the_stock_auction_falls_linearly_to_its_floor() {
		let params = MarketParams::reference();
		let at = |now| auction_discount(&params, 1_000, now, 3_600);
		assert_eq!(at(1_000), Perbill::from_percent(1));
		assert_eq!(at(999), Perbill::from_percent(1));
		assert_eq!(at(1_000 + 1_800), Perbill::from_parts(105_000_000));
		assert_eq!(at(1_000 + 3_600), Perbill::from_percent(20));
		assert_eq!(at(u64::MAX), Perbill::from_percent(20));
		assert_eq!(
			stock_payment(10 * ETHER, rate(96), Perbill::from_percent(20)),
			Some(768 * ETHER / 100)
		);
	}

	#[test]
	fn new_stock_moves_the_auction_start_by_its_share_and_is_marked_at_its_floor_at_most_at_cost() {
		let params = MarketParams::reference();
		let mut books = MarketBooks::new(0);
		books.add_stock(3 * ETHER, 3 * ETHER, 0, 1_000);
		assert_eq!(books.auction_start, 1_000);
		// A lot of 1.5, a third of it the protocol's fee.
		books.add_stock(3 * ETHER / 2, ETHER, ETHER / 2, 5_000);
		assert_eq!(books.auction_start, 2_333);
		assert_eq!((books.stock, books.protocol_stock), (9 * ETHER / 2, ETHER / 2));
		// The lenders' 4 at the floor (20 % off at rate 1) fetch 3.2 ETH, under their cost of 4…
		books.mark_stock(rate(100), &params);
		assert_eq!(books.stock_value, 32 * ETHER / 10);
		// …and at rate 1.3, 4.16: at cost, 4.
		books.mark_stock(rate(130), &params);
		assert_eq!(books.stock_value, 4 * ETHER);
	}

	#[test]
	fn a_sale_splits_the_stock_and_its_payment_between_the_protocol_and_the_lenders() {
		let mut books = MarketBooks::new(0);
		books.add_stock(8 * ETHER, 6 * ETHER, 2 * ETHER, 0);
		// A quarter of the stock: a quarter of the protocol's part and of its payment, and a
		// quarter of the lenders' part with a quarter of their cost.
		let sale = books.sell_stock(2 * ETHER, 4 * ETHER).unwrap();
		assert_eq!(
			sale,
			StockSale {
				cost: 3 * ETHER / 2,
				protocol_proceeds: ETHER,
				lenders_proceeds: 3 * ETHER
			}
		);
		assert_eq!((books.stock, books.protocol_stock), (6 * ETHER, 3 * ETHER / 2));
		assert_eq!(books.stock_cost, 9 * ETHER / 2);
		// The rest: everything left.
		let sale = books.sell_stock(6 * ETHER, 3 * ETHER).unwrap();
		assert_eq!(sale.cost, 9 * ETHER / 2);
		assert_eq!(sale.protocol_proceeds + sale.lenders_proceeds, 3 * ETHER);
		assert_eq!((books.stock, books.protocol_stock, books.stock_cost), (0, 0, 0));
		assert_eq!(books.sell_stock(1, 1), None);
	}

	#[test]
	fn at_a_rate_of_0_the_market_writes_the_debt_off_and_outside_liquidators_get_nothing() {
		let params = MarketParams::reference();
		let quote = |by| quote_liquidation(10 * ETHER, 9 * ETHER, rate(0), &params, u128::MAX, by);
		assert_eq!(quote(Liquidator::Outside), Err(QuoteError::ZeroRepay));
		let q = quote(Liquidator::Market).unwrap();
		assert_eq!((q.repay, q.seize, q.protocol_fee), (0, 10 * ETHER, 0));
		assert_eq!((q.bad_debt, q.returned, q.discount), (9 * ETHER, 0, Perbill::zero()));
	}

	#[test]
	fn a_stock_loss_is_the_lenders_until_their_assets_are_gone() {
		let mut books = MarketBooks::new(0);
		books.reserves = 5;
		assert_eq!(books.record_stock_loss(8, 100), (0, 8));
		assert_eq!(books.reserves, 5);
		assert_eq!(books.record_stock_loss(8, 6), (2, 6));
		assert_eq!(books.reserves, 3);
		assert_eq!(books.bad_debt, BadDebt { total: 16, covered_by_reserves: 2, socialised: 14 });
	}
}
