//! `do_try_state`: the pallet's books, checked against its storage and the assets its account
//! holds. Run by try-runtime's `try_state` hook, after every unit test (`ExtBuilder`) and after
//! every step of the property test.

use super::*;
use alloc::collections::btree_map::BTreeMap;
use frame_support::traits::Get;
use frame_support::{ensure, traits::fungibles::Inspect};
use sp_runtime::{
	traits::{One, Saturating, Zero},
	FixedU128, Perbill, TryRuntimeError,
};

/// In this crate's own tests nobody else sends assets to the markets' account, so there its
/// balances must equal the books plus the account's endowment exactly. On a chain anyone may
/// send it assets (a donation is in no market's books), so there they must cover them.
const EXACT_BALANCES: bool = cfg!(test);

/// Adds `amount` of `asset` to what the markets' account must hold.
fn book<A: Ord>(
	owed: &mut BTreeMap<A, Balance>,
	asset: A,
	amount: Balance,
) -> Result<(), TryRuntimeError> {
	let entry = owed.entry(asset).or_default();
	*entry = entry.checked_add(amount).ok_or("the books of an asset overflow a balance")?;
	Ok(())
}

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants:
	///
	/// - every market's id is below `NextMarketId` and listed under its collateral in
	///   `MarketsOfCollateral`, and every listed id is a market of that collateral;
	/// - positions' collateral and normalized debt sum to the market's `total_collateral` and
	///   `normalized_debt`, and no empty position is stored;
	/// - lenders' shares sum to the market's `supply_shares`, and no zero share balance is
	///   stored;
	/// - no position, share balance, work-off (`Propagating`) or parameter window
	///   (`ParamWindow`) belongs to a missing market;
	/// - LTV and liquidation threshold are within `MaxParamStep` of their values at the start of
	///   the market's parameter window;
	/// - bad debt is split exactly: `total = covered_by_reserves + socialised`;
	/// - the borrow index is at least 1;
	/// - brought to now (interest accrued, stock marked), lenders' claims plus reserves never
	///   exceed `cash + debt + stock_cost` (and the claims, `cash + debt + stock_value − reserves`,
	///   by construction);
	/// - the stock is never valued above its cost, the protocol's part of it never exceeds it,
	///   and a market without stock books no cost or value for it;
	/// - the markets' account holds, of every asset, the markets' `cash` of it (as borrowed
	///   asset) plus their `total_collateral + stock` of it (as collateral), plus the asset's
	///   minimum balance (the account's endowment) once it holds any: exactly in this crate's
	///   tests, at least on a chain.
	///
	/// Each failure returns its own message (details in the `runtime::lending` log).
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next = NextMarketId::<T>::get();
		let mut owed = BTreeMap::<T::AssetId, Balance>::new();
		let (mut positions, mut lenders) = (0usize, 0usize);

		for (id, m) in Markets::<T>::iter() {
			ensure!(id < next, "a market's id is not below NextMarketId");
			ensure!(
				MarketsOfCollateral::<T>::get(m.collateral).contains(&id),
				"a market is missing from its collateral's MarketsOfCollateral"
			);
			let books = &m.ledger;

			// Positions.
			let mut collateral: Balance = 0;
			let mut normalized_debt: u128 = 0;
			for (_, position) in Positions::<T>::iter_prefix(id) {
				positions += 1;
				ensure!(
					!(position.collateral.is_zero() && position.normalized_debt.is_zero()),
					"an empty position is stored"
				);
				collateral = collateral
					.checked_add(position.collateral)
					.ok_or("positions' collateral overflows")?;
				normalized_debt = normalized_debt
					.checked_add(position.normalized_debt)
					.ok_or("positions' normalized debt overflows")?;
			}
			if collateral != books.total_collateral {
				log::error!(
					target: "runtime::lending",
					"market {id}: positions hold {collateral} collateral, the books {}",
					books.total_collateral,
				);
				return Err("positions' collateral does not sum to total_collateral".into());
			}
			if normalized_debt != books.normalized_debt {
				log::error!(
					target: "runtime::lending",
					"market {id}: positions owe {normalized_debt} normalized, the books {}",
					books.normalized_debt,
				);
				return Err("positions' normalized debt does not sum to normalized_debt".into());
			}

			// Lenders, and their claims on the books brought to now.
			let mut accrued = m;
			Self::bring_to_now(&mut accrued);
			let accrued = accrued.ledger;
			let mut shares: u128 = 0;
			let mut claims: Balance = 0;
			for (_, owned) in SupplyShares::<T>::iter_prefix(id) {
				lenders += 1;
				ensure!(!owned.is_zero(), "a zero share balance is stored");
				shares = shares.checked_add(owned).ok_or("lenders' shares overflow")?;
				claims = claims.saturating_add(accrued.assets_of_shares(owned));
			}
			if shares != books.supply_shares {
				log::error!(
					target: "runtime::lending",
					"market {id}: lenders hold {shares} shares, the books {}",
					books.supply_shares,
				);
				return Err("lenders' shares do not sum to supply_shares".into());
			}
			let pool = accrued
				.cash
				.saturating_add(accrued.total_debt())
				.saturating_add(accrued.stock_cost);
			if claims.saturating_add(accrued.reserves) > pool {
				log::error!(
					target: "runtime::lending",
					"market {id}: claims {claims} + reserves {} > cash + debt + stock cost {pool}",
					accrued.reserves,
				);
				return Err("lenders' claims and reserves exceed cash + debt + stock_cost".into());
			}

			// The stock: never in the books above its cost, the protocol's part within it,
			// nothing left of a sold stock.
			ensure!(books.stock_value <= books.stock_cost, "the stock is valued above its cost");
			ensure!(
				books.protocol_stock <= books.stock,
				"the protocol's part of the stock exceeds the stock"
			);
			ensure!(
				!books.stock.is_zero()
					|| (books.stock_cost.is_zero() && books.stock_value.is_zero()),
				"a market without stock books a cost or value for it"
			);

			// Bad debt and the index.
			let bad = books.bad_debt;
			ensure!(
				bad.covered_by_reserves.checked_add(bad.socialised) == Some(bad.total),
				"bad debt is not split exactly into covered_by_reserves and socialised"
			);
			ensure!(books.borrow_index >= FixedU128::one(), "the borrow index fell below 1");

			// What the markets' account must hold.
			book(&mut owed, m.borrow_asset, books.cash)?;
			book(&mut owed, m.collateral, books.total_collateral.saturating_add(books.stock))?;
		}

		for (collateral, ids) in MarketsOfCollateral::<T>::iter() {
			for id in ids {
				ensure!(
					Markets::<T>::get(id).is_some_and(|m| m.collateral == collateral),
					"MarketsOfCollateral lists a market that does not take that collateral"
				);
			}
		}
		ensure!(
			Positions::<T>::iter_keys().count() == positions,
			"a position belongs to a market that does not exist"
		);
		ensure!(
			SupplyShares::<T>::iter_keys().count() == lenders,
			"a share balance belongs to a market that does not exist"
		);
		for id in Propagating::<T>::iter_keys() {
			ensure!(Markets::<T>::contains_key(id), "a work-off belongs to a missing market");
		}
		let step = T::MaxParamStep::get();
		let moved = |a: Perbill, b: Perbill| a.max(b).saturating_sub(a.min(b));
		for (id, window) in ParamWindow::<T>::iter() {
			let m =
				Markets::<T>::get(id).ok_or("a parameter window belongs to a missing market")?;
			ensure!(
				moved(window.ltv, m.params.ltv) <= step
					&& moved(window.liquidation_threshold, m.params.liquidation_threshold) <= step,
				"LTV or LT moved more than MaxParamStep from the start of their window"
			);
		}

		let account = Self::account_id();
		for (asset, books) in owed {
			let held = T::Assets::balance(asset, &account);
			// Once the account holds an asset, it keeps the asset's minimum balance beyond the
			// books: payouts never reap it.
			let endowment =
				if held.is_zero() { Zero::zero() } else { T::Assets::minimum_balance(asset) };
			let books = books.checked_add(endowment).ok_or("the books of an asset overflow")?;
			if held < books || (EXACT_BALANCES && held > books) {
				log::error!(
					target: "runtime::lending",
					"asset {asset:?}: the markets' account holds {held}, the books (and its endowment) say {books}",
				);
			}
			ensure!(held >= books, "the markets' account holds less of an asset than the books");
			ensure!(
				!EXACT_BALANCES || held == books,
				"the markets' account holds more of an asset than the books"
			);
		}
		Ok(())
	}
}
