//! What the runtime API (`LendingApi`) shows: markets, positions, borrowing room, liquidation
//! quotes, liquidatable positions and lenders, all accrued to now. Nothing here writes storage.

use super::*;
use crate::math::{auction_discount, borrow_limit, quote_liquidation};
use alloc::vec::Vec;
use frame_support::traits::Get;
use sp_runtime::{traits::Saturating, FixedU128, Perbill};

impl<T: Config> Pallet<T> {
	/// A market's parameters, books, rates and valuation (`LendingApi::market`).
	pub fn market_view(market: MarketId) -> Option<MarketView<T::AssetId>> {
		let m = Self::accrued_market(market)?;
		let valuation = Self::valuation_of(&m);
		let utilisation = m.ledger.utilisation();
		let borrow_rate = m.params.interest.borrow_rate(utilisation);
		let lenders_share = Perbill::one().saturating_sub(m.params.reserve_factor);
		let supply_rate = borrow_rate
			.saturating_mul(FixedU128::from_perbill(utilisation))
			.saturating_mul(FixedU128::from_perbill(lenders_share));
		let discount = auction_discount(
			&m.params,
			m.ledger.auction_start,
			Self::now(),
			T::StockAuctionDuration::get(),
		);
		let stock_price = valuation.backing_rate.map(|rate| {
			rate.saturating_mul(FixedU128::from_perbill(Perbill::one().saturating_sub(discount)))
		});
		Some(MarketView {
			total_debt: m.ledger.total_debt(),
			supply_assets: m.ledger.supply_assets(),
			stock_price,
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

	/// A position under a valuation read beforehand.
	pub(crate) fn view_of(
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

	/// A position's collateral, debt and health (`LendingApi::position`; `None` without one).
	pub fn position_view(market: MarketId, who: &T::AccountId) -> Option<PositionView> {
		let m = Self::accrued_market(market)?;
		let position = Positions::<T>::get(market, who)?;
		Some(Self::view_of(&Self::valuation_of(&m), &m, &position))
	}

	/// How much more `who` may borrow now (`LendingApi::max_borrow`): 0 unless the market is
	/// active and the valuation fresh; at most the market's cash and borrow-cap room.
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

	/// What an outside liquidation of `who` would repay and seize now
	/// (`LendingApi::liquidation_quote`; `None` if the position is not liquidatable).
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

	/// Liquidatable positions in storage order after `start_after`, at most `limit`, scanning at
	/// most 10 × `limit` positions (`LendingApi::liquidatable`).
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

	/// A lender's shares and what they withdraw now (`LendingApi::lender`).
	pub fn lender(market: MarketId, who: &T::AccountId) -> LenderView {
		let shares = SupplyShares::<T>::get(market, who);
		let assets = Self::accrued_market(market)
			.map(|m| m.ledger.assets_of_shares(shares))
			.unwrap_or_default();
		LenderView { shares, assets }
	}
}
