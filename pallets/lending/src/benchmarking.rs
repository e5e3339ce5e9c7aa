//! Benchmarks: every call on its heaviest path, the keeper's validation, and the work-off of a
//! rate drop per position.

use super::*;
use crate::pallet::Pallet as Lending;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	pallet_prelude::TransactionSource,
	traits::{fungibles::Mutate, Authorize, EnsureOrigin, Get},
	weights::Weight,
};
use frame_system::RawOrigin;
use sp_runtime::{traits::Zero, FixedU128, Perbill};

const ETHER: u128 = 1_000_000_000_000_000_000;

/// The reference market, with caps out of the way and the whole debt liquidatable under 0.98.
fn params() -> MarketParams {
	MarketParams {
		full_liquidation_health: FixedU128::from_rational(98, 100),
		supply_cap: u128::MAX / 4,
		borrow_cap: u128::MAX / 4,
		..MarketParams::reference()
	}
}

fn rate(percent: u128) -> FixedU128 {
	FixedU128::from_rational(percent, 100)
}

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	let (collateral, borrowed) = T::BenchmarkHelper::assets();
	T::Assets::mint_into(collateral, &who, 1_000_000 * ETHER).expect("mints");
	T::Assets::mint_into(borrowed, &who, 1_000_000 * ETHER).expect("mints");
	who
}

/// A market at rate 1.0 with a lender's 1,000,000 ETH and a year of interest to accrue.
fn market<T: Config>() -> MarketId {
	let (collateral, borrowed) = T::BenchmarkHelper::assets();
	T::BenchmarkHelper::set_rate(collateral, rate(100));
	let origin = T::GovernanceOrigin::try_successful_origin().expect("governance");
	let market = NextMarketId::<T>::get();
	Lending::<T>::create_market(origin, collateral, borrowed, params()).expect("created");
	let lender = funded::<T>("lender", 0);
	Lending::<T>::supply(RawOrigin::Signed(lender).into(), market, 500_000 * ETHER)
		.expect("supplied");
	let borrower = funded::<T>("background", 0);
	position::<T>(market, &borrower, 100_000 * ETHER, 45_000 * ETHER);
	// Interest accrues in every benchmarked call.
	Markets::<T>::mutate(market, |m| {
		if let Some(m) = m {
			m.ledger.last_accrual = m.ledger.last_accrual.saturating_sub(3600);
		}
	});
	market
}

fn position<T: Config>(market: MarketId, who: &T::AccountId, collateral: u128, debt: u128) {
	Lending::<T>::deposit_collateral(RawOrigin::Signed(who.clone()).into(), market, collateral)
		.expect("deposited");
	if !debt.is_zero() {
		Lending::<T>::borrow(RawOrigin::Signed(who.clone()).into(), market, debt)
			.expect("borrowed");
	}
}

/// `n` positions of 10 LRT against 8.99 ETH, liquidatable in full (health 0.979 < 0.98) with
/// leftover collateral once the rate falls to 0.946.
fn unhealthy<T: Config>(market: MarketId, n: u32) -> Vec<T::AccountId> {
	let (collateral, _) = T::BenchmarkHelper::assets();
	let borrowers: Vec<_> = (0..n).map(|i| funded::<T>("borrower", i)).collect();
	for who in &borrowers {
		position::<T>(market, who, 10 * ETHER, 899 * ETHER / 100);
	}
	T::BenchmarkHelper::set_rate(collateral, FixedU128::from_rational(946, 1000));
	borrowers
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_market() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let (collateral, borrowed) = T::BenchmarkHelper::assets();
		// The collateral's list of markets is one short of full.
		for _ in 1..T::MaxMarketsPerCollateral::get() {
			Lending::<T>::create_market(origin.clone(), collateral, borrowed, params())
				.map_err(|_| BenchmarkError::Weightless)?;
		}
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, collateral, borrowed, params());
		assert_eq!(
			MarketsOfCollateral::<T>::get(collateral).len() as u32,
			T::MaxMarketsPerCollateral::get()
		);
		Ok(())
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let market = market::<T>();
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let new = MarketParams { ltv: Perbill::from_percent(88), ..params() };
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, market, new);
		Ok(())
	}

	/// The emergency origin's path where it can: the governance origin is tried and refused
	/// first, then the new state is compared with the market's. That takes the origin
	/// `EmergencyOrigin::try_successful_origin` gives being one `GovernanceOrigin` refuses (so in
	/// the mock; not where it is root and root is also governance, as in the runtime): otherwise
	/// governance's path. Both read and write the same storage; the emergency path adds only
	/// pure origin checks and a comparison.
	#[benchmark]
	fn set_state() -> Result<(), BenchmarkError> {
		let market = market::<T>();
		let origin = match T::EmergencyOrigin::try_successful_origin() {
			Ok(emergency) if T::GovernanceOrigin::try_origin(emergency.clone()).is_err() => {
				emergency
			},
			_ => T::GovernanceOrigin::try_successful_origin()
				.map_err(|_| BenchmarkError::Weightless)?,
		};
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, market, MarketState::BorrowPaused);
		assert_eq!(Markets::<T>::get(market).map(|m| m.state), Some(MarketState::BorrowPaused));
		Ok(())
	}

	#[benchmark]
	fn supply() {
		let market = market::<T>();
		let who = funded::<T>("lender", 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), market, 1_000 * ETHER);
		assert!(!SupplyShares::<T>::get(market, who).is_zero());
	}

	#[benchmark]
	fn withdraw() {
		let market = market::<T>();
		let who: T::AccountId = account("lender", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who), market, 1_000 * ETHER);
	}

	#[benchmark]
	fn deposit_collateral() {
		let market = market::<T>();
		let who = funded::<T>("borrower", 0);
		position::<T>(market, &who, 10 * ETHER, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who), market, 10 * ETHER);
	}

	/// An indebted position: the borrow limit is checked against the valuation.
	#[benchmark]
	fn withdraw_collateral() {
		let market = market::<T>();
		let who = funded::<T>("borrower", 0);
		position::<T>(market, &who, 20 * ETHER, 9 * ETHER);
		#[extrinsic_call]
		_(RawOrigin::Signed(who), market, ETHER);
	}

	#[benchmark]
	fn borrow() {
		let market = market::<T>();
		let who = funded::<T>("borrower", 0);
		position::<T>(market, &who, 20 * ETHER, 5 * ETHER);
		#[extrinsic_call]
		_(RawOrigin::Signed(who), market, 4 * ETHER);
	}

	/// Repaying someone else's debt in part.
	#[benchmark]
	fn repay() {
		let market = market::<T>();
		let borrower = funded::<T>("borrower", 0);
		position::<T>(market, &borrower, 20 * ETHER, 9 * ETHER);
		let payer = funded::<T>("payer", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(payer), market, borrower, 4 * ETHER);
	}

	/// The heaviest liquidation: the whole debt repaid, collateral to the liquidator, the fee to
	/// the market and the rest back to the borrower (three transfers).
	#[benchmark]
	fn liquidate() {
		let market = market::<T>();
		let borrower = unhealthy::<T>(market, 1).remove(0);
		let liquidator = funded::<T>("liquidator", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(liquidator), market, borrower.clone(), u128::MAX);
		assert!(Positions::<T>::get(market, borrower).is_none());
	}

	#[benchmark]
	fn liquidate_unhealthy() {
		let market = market::<T>();
		let borrower = unhealthy::<T>(market, 1).remove(0);
		#[extrinsic_call]
		_(RawOrigin::Authorized, market, borrower.clone());
		assert!(Positions::<T>::get(market, borrower).is_none());
	}

	#[benchmark]
	fn authorize_liquidate_unhealthy() -> Result<(), BenchmarkError> {
		let market = market::<T>();
		let borrower = unhealthy::<T>(market, 1).remove(0);
		let call = Call::<T>::liquidate_unhealthy { market, borrower };
		#[block]
		{
			call.authorize(TransactionSource::External)
				.ok_or("the call authorizes")?
				.map_err(|_| "the position is liquidatable")?;
		}
		Ok(())
	}

	/// Part of the stock at the auction's price, with the valuation read and, the rate having
	/// fallen since the liquidation, a loss recorded (the heavier path: one more event).
	#[benchmark]
	fn buy_collateral() {
		let market = market::<T>();
		let borrower = unhealthy::<T>(market, 1).remove(0);
		Lending::<T>::liquidate_unhealthy(RawOrigin::Authorized.into(), market, borrower)
			.expect("liquidated");
		let (collateral, _) = T::BenchmarkHelper::assets();
		T::BenchmarkHelper::set_rate(collateral, rate(80));
		let stock = Markets::<T>::get(market).expect("market").ledger.stock;
		let buyer = funded::<T>("buyer", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer), market, stock / 2, u128::MAX);
	}

	#[benchmark]
	fn withdraw_reserves() -> Result<(), BenchmarkError> {
		let market = market::<T>();
		Markets::<T>::mutate(market, |m| {
			if let Some(m) = m {
				m.ledger.reserves = ETHER;
			}
		});
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let to: T::AccountId = account("treasury", 0, 0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, market, to, ETHER);
		Ok(())
	}

	/// `on_idle` after a rate drop, every one of `n` positions liquidated by the market.
	#[benchmark]
	fn work_off(n: Linear<0, 100>) {
		let market = market::<T>();
		let borrowers = unhealthy::<T>(market, n);
		Propagating::<T>::insert(
			market,
			Propagation::new(frame_system::Pallet::<T>::block_number()),
		);
		#[block]
		{
			Lending::<T>::work_off_propagations(Weight::MAX);
		}
		for who in borrowers {
			assert!(Positions::<T>::get(market, who).is_none());
		}
	}

	impl_benchmark_test_suite!(Lending, crate::mock::ExtBuilder.build(), crate::mock::Test);
}
