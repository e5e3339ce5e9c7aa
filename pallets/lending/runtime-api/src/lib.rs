//! Runtime API of the lending markets, for wallets, liquidation bots and the keeper's operators.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use pallet_lending::{
	Balance, LenderView, LiquidationQuote, MarketId, MarketView, PositionView,
};

sp_api::decl_runtime_apis! {
	/// Markets and positions, with interest accrued to the current block's time.
	pub trait LendingApi<AccountId, AssetId>
	where
		AccountId: Codec,
		AssetId: Codec,
	{
		/// A market's parameters and books.
		fn market(market: MarketId) -> Option<MarketView<AssetId>>;
		/// A position's collateral, debt and health (`None` without a position).
		fn position(market: MarketId, who: AccountId) -> Option<PositionView>;
		/// How much more `who` may borrow now (0 while the valuation is stale).
		fn max_borrow(market: MarketId, who: AccountId) -> Balance;
		/// What a liquidation of `who` would repay and seize now (`None` if it is not liquidatable).
		fn liquidation_quote(market: MarketId, who: AccountId) -> Option<LiquidationQuote>;
		/// Liquidatable positions, in storage order after `start_after`, at most `limit`
		/// (scanning at most 10 × `limit` positions per call).
		fn liquidatable(market: MarketId, start_after: Option<AccountId>, limit: u32) -> Vec<(AccountId, PositionView)>;
		/// A lender's shares and what they withdraw now.
		fn lender(market: MarketId, who: AccountId) -> LenderView;
	}
}
