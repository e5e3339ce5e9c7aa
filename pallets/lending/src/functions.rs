//! The calls' bodies (`do_*`) and the helpers they share: moving assets in and out of the
//! markets' account, accruing a market before every change, valuing positions under the risk
//! caps, liquidating a position, and validating the keeper's transactions.

use super::*;
use crate::math::{auction_discount, borrow_limit, quote_liquidation, stock_payment, units_of};
use ballast_primitives::{risk::RiskLimits as _, valuation::BackingRate as _};
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungibles::{Inspect, Mutate},
		tokens::Preservation,
		Contains, UnixTime,
	},
};
use sp_runtime::{
	traits::{AccountIdConversion, Saturating, TrailingZeroInput, Zero},
	Perbill, Rounding,
};

impl<T: Config> Pallet<T> {
	/// The account holding every market's cash, collateral and stock.
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Creates a market (`create_market`, after the origin and `SameAsset` checks).
	pub(crate) fn do_create_market(
		collateral: T::AssetId,
		borrow_asset: T::AssetId,
		params: MarketParams,
	) -> DispatchResult {
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
				ledger: MarketBooks::new(Self::now()),
			},
		);
		NextMarketId::<T>::put(next);
		Self::deposit_event(Event::MarketCreated { market, collateral, borrow_asset });
		Ok(())
	}

	/// Sets a market's (valid) parameters, LTV and threshold within `MaxParamStep` of their values
	/// at the start of the current parameter window, which begins with this change if the last
	/// one has ended (`ParamStepWindow`).
	pub(crate) fn do_set_params(market: MarketId, params: MarketParams) -> DispatchResult {
		let now = Self::now();
		Self::mutate_market(market, |m| {
			let window = ParamWindow::<T>::get(market)
				.filter(|w| now < w.started.saturating_add(T::ParamStepWindow::get()))
				.unwrap_or(ParamWindowStart {
					started: now,
					ltv: m.params.ltv,
					liquidation_threshold: m.params.liquidation_threshold,
				});
			let step = T::MaxParamStep::get();
			let moved = |a: Perbill, b: Perbill| a.max(b).saturating_sub(a.min(b));
			ensure!(
				moved(window.ltv, params.ltv) <= step
					&& moved(window.liquidation_threshold, params.liquidation_threshold) <= step,
				Error::<T>::ParamStepTooLarge
			);
			ParamWindow::<T>::insert(market, window);
			m.params = params;
			Ok(())
		})?;
		Self::deposit_event(Event::ParamsUpdated { market, params });
		Ok(())
	}

	/// Sets a market's state. Unless `may_loosen` (governance), only a stricter one: the
	/// emergency origin may pause or freeze, nothing else (`NotProtective`).
	pub(crate) fn do_set_state(
		market: MarketId,
		state: MarketState,
		may_loosen: bool,
	) -> DispatchResult {
		Self::mutate_market(market, |m| {
			ensure!(may_loosen || state.is_stricter_than(m.state), Error::<T>::NotProtective);
			m.state = state;
			Ok(())
		})?;
		Self::deposit_event(Event::StateChanged { market, state });
		Ok(())
	}

	/// `who` lends `amount` (> 0) for shares.
	pub(crate) fn do_supply(
		market: MarketId,
		who: T::AccountId,
		amount: Balance,
	) -> DispatchResult {
		let shares = Self::mutate_market(market, |m| {
			ensure!(m.state != MarketState::Frozen, Error::<T>::MarketFrozen);
			let shares = m.ledger.shares_for_deposit(amount).ok_or(Error::<T>::Overflow)?;
			ensure!(!shares.is_zero(), Error::<T>::ZeroShares);
			let after = m.ledger.supply_assets().checked_add(amount).ok_or(Error::<T>::Overflow)?;
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

	/// `who` withdraws `amount` (> 0) of their assets, burning the shares it is worth.
	pub(crate) fn do_withdraw(
		market: MarketId,
		who: T::AccountId,
		amount: Balance,
	) -> DispatchResult {
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

	/// `who` adds `amount` (> 0) of collateral to their position.
	pub(crate) fn do_deposit_collateral(
		market: MarketId,
		who: T::AccountId,
		amount: Balance,
	) -> DispatchResult {
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

	/// `who` takes `amount` (> 0) of collateral out, staying within their borrow limit.
	pub(crate) fn do_withdraw_collateral(
		market: MarketId,
		who: T::AccountId,
		amount: Balance,
	) -> DispatchResult {
		Self::mutate_market(market, |m| {
			let mut position = Positions::<T>::get(market, &who).ok_or(Error::<T>::NoPosition)?;
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

	/// `who` borrows `amount` (> 0) within their borrow limit, the minimum debt and the cap.
	pub(crate) fn do_borrow(
		market: MarketId,
		who: T::AccountId,
		amount: Balance,
	) -> DispatchResult {
		let debt = Self::mutate_market(market, |m| {
			match m.state {
				MarketState::Active => {},
				MarketState::BorrowPaused => return Err(Error::<T>::BorrowPaused.into()),
				MarketState::Frozen => return Err(Error::<T>::MarketFrozen.into()),
			}
			ensure!(amount <= m.ledger.cash, Error::<T>::InsufficientLiquidity);
			let mut position = Positions::<T>::get(market, &who).ok_or(Error::<T>::NoPosition)?;
			let added = units_of(amount, m.ledger.borrow_index, Rounding::Up)
				.ok_or(Error::<T>::Overflow)?;
			position.normalized_debt =
				position.normalized_debt.checked_add(added).ok_or(Error::<T>::Overflow)?;
			let debt = m.ledger.debt_of(position.normalized_debt);
			ensure!(debt >= m.params.min_debt, Error::<T>::DebtBelowMinimum);
			Self::ensure_within_limit(m, position.collateral, debt)?;
			m.ledger.normalized_debt =
				m.ledger.normalized_debt.checked_add(added).ok_or(Error::<T>::Overflow)?;
			ensure!(m.ledger.total_debt() <= m.params.borrow_cap, Error::<T>::BorrowCapExceeded);
			m.ledger.cash -= amount;
			Self::pay(m.borrow_asset, &who, amount)?;
			Positions::<T>::insert(market, &who, position);
			Ok(debt)
		})?;
		Self::deposit_event(Event::Borrowed { market, who, amount, debt });
		Ok(())
	}

	/// `payer` repays up to `amount` (> 0) of `borrower`'s debt.
	pub(crate) fn do_repay(
		market: MarketId,
		payer: T::AccountId,
		borrower: T::AccountId,
		amount: Balance,
	) -> DispatchResult {
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

	/// Liquidates `borrower` in `market`, accrued first: by `liquidator` (`liquidate`), or by the
	/// market (`None`: `liquidate_unhealthy`).
	pub(crate) fn do_liquidate(
		market: MarketId,
		borrower: &T::AccountId,
		liquidator: Option<&T::AccountId>,
		max_repay: Balance,
	) -> DispatchResult {
		Self::mutate_market(market, |m| {
			Self::liquidate_position(market, m, borrower, liquidator, max_repay)
		})
	}

	/// Liquidates `borrower` in `m` (already accrued): by `liquidator`, who pays, or by the
	/// market (`None`), which writes the debt off against the collateral it takes.
	pub(crate) fn liquidate_position(
		market: MarketId,
		m: &mut Market<T::AssetId>,
		borrower: &T::AccountId,
		liquidator: Option<&T::AccountId>,
		max_repay: Balance,
	) -> DispatchResult {
		let mut position = Positions::<T>::get(market, borrower).ok_or(Error::<T>::NoPosition)?;
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
			QuoteError::ZeroRepay => Error::<T>::ZeroRepay,
		})?;
		// The protocol's fee joins the stock as the protocol's part: it reaches the reserves only
		// when sold, at what it fetches (`do_buy_collateral`), so reserves never count value not
		// yet realised.
		let now = Self::now();
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
				m.ledger.add_stock(quote.protocol_fee, 0, quote.protocol_fee, now);
			},
			None => {
				// The market takes all of it: the lenders' part for the debt it writes off, the
				// fee for the protocol.
				m.ledger.add_stock(quote.seize, quote.repay, quote.protocol_fee, now);
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
				borrower: Some(borrower.clone()),
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

	/// `buyer` buys `amount` (> 0) of the market's stock at the auction's price now, paying at
	/// most `max_payment`. The protocol's part of the stock sold takes its share of the payment
	/// into the reserves; what the lenders' part fetches above or below its cost is theirs
	/// (their assets carried it at `min(cost, floor price)`); a sale of it under cost is recorded
	/// as bad debt (`BadDebtRecorded` without a borrower). Never for nothing (`ZeroPrice`).
	pub(crate) fn do_buy_collateral(
		market: MarketId,
		buyer: T::AccountId,
		amount: Balance,
		max_payment: Balance,
	) -> DispatchResult {
		let (paid, loss) = Self::mutate_market(market, |m| {
			ensure!(amount <= m.ledger.stock, Error::<T>::InsufficientStock);
			let rate = T::Valuation::backing_rate(m.collateral).ok_or(Error::<T>::NoValuation)?;
			let discount = auction_discount(
				&m.params,
				m.ledger.auction_start,
				Self::now(),
				T::StockAuctionDuration::get(),
			);
			let payment = stock_payment(amount, rate, discount).ok_or(Error::<T>::Overflow)?;
			ensure!(!payment.is_zero(), Error::<T>::ZeroPrice);
			ensure!(payment <= max_payment, Error::<T>::PriceAboveLimit);
			let lenders_at_cost = m.ledger.lenders_at_cost();
			Self::pull(m.borrow_asset, &buyer, payment)?;
			Self::pay(m.collateral, &buyer, amount)?;
			let sale = m.ledger.sell_stock(amount, payment).ok_or(Error::<T>::Overflow)?;
			m.ledger.cash = m.ledger.cash.checked_add(payment).ok_or(Error::<T>::Overflow)?;
			// The protocol's fee, realised.
			m.ledger.reserves = m
				.ledger
				.reserves
				.checked_add(sale.protocol_proceeds)
				.ok_or(Error::<T>::Overflow)?;
			// The lenders' part sold under what they paid: a loss, recorded like bad debt.
			let loss = sale.cost.checked_sub(sale.lenders_proceeds).filter(|loss| !loss.is_zero());
			let loss = loss.map(|loss| {
				let (covered_by_reserves, socialised) =
					m.ledger.record_stock_loss(loss, lenders_at_cost);
				(loss, covered_by_reserves, socialised)
			});
			Ok((payment, loss))
		})?;
		Self::deposit_event(Event::CollateralBought { market, buyer, amount, paid });
		if let Some((amount, covered_by_reserves, socialised)) = loss {
			Self::deposit_event(Event::BadDebtRecorded {
				market,
				borrower: None,
				amount,
				covered_by_reserves,
				socialised,
			});
		}
		Ok(())
	}

	/// Pays `amount` (> 0) of a market's reserves to `to`.
	pub(crate) fn do_withdraw_reserves(
		market: MarketId,
		to: T::AccountId,
		amount: Balance,
	) -> DispatchResult {
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

	/// Whether the chain's call filter (safe mode, tx-pause) lets `call` dispatch now.
	pub(crate) fn dispatchable_now(call: Call<T>) -> bool {
		let call: <T as frame_system::Config>::RuntimeCall = call.into();
		<T as frame_system::Config>::BaseCallFilter::contains(&call)
	}

	/// Whether the chain's call filter refuses the market's liquidations now (safe mode, or a
	/// tx-pause of `liquidate_unhealthy`): the keeper and the work-off of rate falls then wait.
	/// The filters judge a call by its name, so any market and borrower stand for all.
	pub(crate) fn liquidations_paused() -> bool {
		let Ok(anyone) = T::AccountId::decode(&mut TrailingZeroInput::zeroes()) else {
			return false;
		};
		!Self::dispatchable_now(Call::<T>::liquidate_unhealthy { market: 0, borrower: anyone })
	}

	/// Validity of the keeper's `liquidate_unhealthy`: only a liquidatable position, one
	/// transaction per (market, borrower, block) in the pool.
	pub(crate) fn authorize_liquidate_unhealthy(
		_source: TransactionSource,
		market: &MarketId,
		borrower: &T::AccountId,
	) -> TransactionValidityWithRefund {
		// Safe mode or a pause would refuse it at dispatch: keep it out of the pool and the
		// block instead of including a free, failing transaction every block.
		let call = Call::<T>::liquidate_unhealthy { market: *market, borrower: borrower.clone() };
		if !Self::dispatchable_now(call) {
			return Err(InvalidTransaction::Call.into());
		}
		let stale = TransactionValidityError::Invalid(InvalidTransaction::Stale);
		let m = Self::accrued_market(*market).ok_or(stale)?;
		let position = Positions::<T>::get(market, borrower).ok_or(stale)?;
		let health = Self::health_of(&m, &position).ok_or(stale)?;
		if !health.liquidatable_by(Liquidator::Market) {
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

	/// Moves `amount` of `asset` from `who` into the markets' account (`who` may empty their
	/// own account). If the markets' account holds none of the asset yet, `who` also pays the
	/// asset's minimum balance, the account's endowment (`AccountEndowed`): it stays there,
	/// outside every market's books, so that [`Self::pay`] never has to reap the account.
	fn pull(asset: T::AssetId, who: &T::AccountId, amount: Balance) -> DispatchResult {
		let account = Self::account_id();
		let endowment = if T::Assets::balance(asset, &account).is_zero() {
			T::Assets::minimum_balance(asset)
		} else {
			Zero::zero()
		};
		let total = amount.checked_add(endowment).ok_or(Error::<T>::Overflow)?;
		T::Assets::transfer(asset, who, &account, total, Preservation::Expendable)?;
		if !endowment.is_zero() {
			Self::deposit_event(Event::AccountEndowed {
				asset,
				payer: who.clone(),
				amount: endowment,
			});
		}
		Ok(())
	}

	/// Pays `amount` of `asset` out of the markets' account to `who`, keeping the account alive
	/// (`Preserve`): with its endowment beyond the books, every payout the books allow leaves at
	/// least the minimum balance, so the account is never reaped and no dust the books count is
	/// lost. (Should the books ever exceed the balance, the payout fails instead.)
	fn pay(asset: T::AssetId, who: &T::AccountId, amount: Balance) -> DispatchResult {
		T::Assets::transfer(asset, &Self::account_id(), who, amount, Preservation::Preserve)
			.map(|_| ())
	}

	/// Unix seconds now.
	pub(crate) fn now() -> u64 {
		T::Time::now().as_secs()
	}

	/// Runs `f` on a market brought to now ([`Self::bring_to_now`]), marks its stock again
	/// afterwards, and stores it only if `f` succeeds.
	fn mutate_market<R>(
		market: MarketId,
		f: impl FnOnce(&mut Market<T::AssetId>) -> Result<R, DispatchError>,
	) -> Result<R, DispatchError> {
		Markets::<T>::try_mutate(market, |maybe| {
			let m = maybe.as_mut().ok_or(Error::<T>::UnknownMarket)?;
			Self::bring_to_now(m);
			let result = f(m)?;
			Self::mark_stock(m);
			Ok(result)
		})
	}

	/// A market brought to now, not stored (for views and validation).
	pub fn accrued_market(market: MarketId) -> Option<Market<T::AssetId>> {
		let mut m = Markets::<T>::get(market)?;
		Self::bring_to_now(&mut m);
		Some(m)
	}

	/// Accrues a market's interest to now and marks its stock at the backing rate now.
	pub(crate) fn bring_to_now(m: &mut Market<T::AssetId>) {
		m.ledger.accrue(&m.params, Self::now());
		Self::mark_stock(m);
	}

	/// Marks the lenders' part of a market's stock to `min(cost, floor price)` at the backing
	/// rate now (kept as it was without a valuation).
	pub(crate) fn mark_stock(m: &mut Market<T::AssetId>) {
		if let Some(rate) = T::Valuation::backing_rate(m.collateral) {
			m.ledger.mark_stock(rate, &m.params);
		}
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

	/// Fails unless `debt` is within the borrow limit of `collateral` (fresh valuation needed).
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

	/// Stores a lender's shares, removing the entry at zero.
	fn set_shares(market: MarketId, who: &T::AccountId, shares: u128) {
		if shares.is_zero() {
			SupplyShares::<T>::remove(market, who);
		} else {
			SupplyShares::<T>::insert(market, who, shares);
		}
	}

	/// Stores a position, removing it once it holds neither collateral nor debt.
	fn store_position(market: MarketId, who: &T::AccountId, position: Position) {
		if position.collateral.is_zero() && position.normalized_debt.is_zero() {
			Positions::<T>::remove(market, who);
		} else {
			Positions::<T>::insert(market, who, position);
		}
	}

	/// The health of a position at the backing rate (`None` without a valuation).
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

	/// The health of a position under a valuation read beforehand (`None` without a backing
	/// rate).
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
}
