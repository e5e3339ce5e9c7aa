//! The pallet's events, a FRAME pallet section (`#[pallet_section]`) imported verbatim into the
//! `#[pallet]` module of `lib.rs` (`#[import_section]`), which keeps `lib.rs` readable.

use frame_support::pallet_macros::pallet_section;

/// The events the lending pallet emits.
#[pallet_section]
mod events {
	/// What the markets did.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Governance created a market.
		MarketCreated {
			/// The new market.
			market: MarketId,
			/// The LRT it takes as collateral.
			collateral: T::AssetId,
			/// The asset it lends.
			borrow_asset: T::AssetId,
		},
		/// Governance changed a market's parameters.
		ParamsUpdated {
			/// The market.
			market: MarketId,
			/// Its parameters from now on.
			params: MarketParams,
		},
		/// Governance, or the emergency origin (only ever to a stricter state), changed a
		/// market's state.
		StateChanged {
			/// The market.
			market: MarketId,
			/// Its state from now on.
			state: MarketState,
		},
		/// A lender supplied assets for shares.
		Supplied {
			/// The market.
			market: MarketId,
			/// The lender.
			who: T::AccountId,
			/// Borrowed asset supplied.
			amount: Balance,
			/// Shares minted.
			shares: u128,
		},
		/// A lender withdrew assets, burning shares.
		Withdrawn {
			/// The market.
			market: MarketId,
			/// The lender.
			who: T::AccountId,
			/// Borrowed asset paid out.
			amount: Balance,
			/// Shares burned.
			shares: u128,
		},
		/// A borrower added collateral.
		CollateralDeposited {
			/// The market.
			market: MarketId,
			/// The borrower.
			who: T::AccountId,
			/// Collateral added.
			amount: Balance,
		},
		/// A borrower took collateral out.
		CollateralWithdrawn {
			/// The market.
			market: MarketId,
			/// The borrower.
			who: T::AccountId,
			/// Collateral paid out.
			amount: Balance,
		},
		/// A borrower borrowed.
		Borrowed {
			/// The market.
			market: MarketId,
			/// The borrower.
			who: T::AccountId,
			/// Borrowed asset paid out.
			amount: Balance,
			/// The position's debt afterwards.
			debt: Balance,
		},
		/// Debt was repaid.
		Repaid {
			/// The market.
			market: MarketId,
			/// Who paid.
			payer: T::AccountId,
			/// Whose debt fell.
			borrower: T::AccountId,
			/// Borrowed asset paid in.
			amount: Balance,
			/// The position's debt afterwards.
			debt: Balance,
		},
		/// A position was liquidated.
		Liquidated {
			/// The market.
			market: MarketId,
			/// The liquidated borrower.
			borrower: T::AccountId,
			/// Who liquidated: `None` when the market did (keeper or slash propagation).
			liquidator: Option<T::AccountId>,
			/// Debt repaid (or, by the market, written off against the collateral).
			repaid: Balance,
			/// Collateral the position lost.
			seized: Balance,
			/// Part of `seized` the market kept.
			protocol_fee: Balance,
			/// The liquidation's discount.
			discount: Perbill,
			/// The position's health before the liquidation.
			health: FixedU128,
		},
		/// A liquidation cleared a debt and the rest of the collateral went back to the borrower.
		CollateralReturned {
			/// The market.
			market: MarketId,
			/// The borrower.
			who: T::AccountId,
			/// Collateral paid back.
			amount: Balance,
		},
		/// Debt was left without collateral, or behind collateral valued at 0, and written off
		/// (reserves cover it first, then the lenders), or the market sold the lenders' stock for
		/// less than they paid for it (`buy_collateral`: the lenders', whose assets carried the
		/// stock at its floor price already).
		BadDebtRecorded {
			/// The market.
			market: MarketId,
			/// Whose debt it was; `None` for a loss on the sale of the market's stock.
			borrower: Option<T::AccountId>,
			/// Debt written off.
			amount: Balance,
			/// Part the reserves paid.
			covered_by_reserves: Balance,
			/// Part the lenders lost.
			socialised: Balance,
		},
		/// Someone bought collateral the market took over in its liquidations or as protocol
		/// fees.
		CollateralBought {
			/// The market.
			market: MarketId,
			/// The buyer.
			buyer: T::AccountId,
			/// Collateral bought.
			amount: Balance,
			/// Borrowed asset paid for it.
			paid: Balance,
		},
		/// Governance paid reserves out.
		ReservesWithdrawn {
			/// The market.
			market: MarketId,
			/// Who received them.
			to: T::AccountId,
			/// Borrowed asset paid out.
			amount: Balance,
		},
		/// The collateral's backing rate fell: the market's positions are being re-checked.
		PropagationStarted {
			/// The market.
			market: MarketId,
			/// The rate before.
			previous: FixedU128,
			/// The rate now.
			current: FixedU128,
		},
		/// Every position of the market was re-checked after the rate drop.
		PropagationFinished {
			/// The market.
			market: MarketId,
			/// Positions the market liquidated during the work-off.
			liquidated: u32,
		},
		/// The first transfer of an asset into the markets' account also brought the asset's
		/// minimum balance, which stays there outside every market's books so that payouts
		/// never reap the account (and lose the dust the books count).
		AccountEndowed {
			/// The asset.
			asset: T::AssetId,
			/// Who paid the endowment, on top of their transfer.
			payer: T::AccountId,
			/// The endowment: the asset's minimum balance.
			amount: Balance,
		},
	}
}
