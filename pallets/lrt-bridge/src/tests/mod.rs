//! Deposits proven from BallastGateway's own receipts (the contract run in revm), withdrawals and
//! their commitments, every error path, and the books: every test runs in
//! `ExtBuilder::build_and_execute`, which checks `do_try_state` when the test ends, and the
//! property test checks it after every step.
//!
//! - `registry.rs`: registration and the governance calls;
//! - `deposit.rs`: proven deposits, forgeries, states and the rate limit;
//! - `withdraw.rs`: withdrawals, their commitment and proofs;
//! - `invariants.rs`: the property test of the books, and `do_try_state` catching broken books.

mod deposit;
mod invariants;
mod registry;
mod withdraw;

use crate::mock::{ethereum::*, *};
use frame_support::{assert_ok, dispatch::DispatchResultWithPostInfo};
use snowbridge_verification_primitives::EventProof;

/// Registers the gateway's first token as `LRT`, minting at most `limit` per `window` blocks.
fn register(gateway: &Gateway, limit: u128, window: u64) {
	assert_ok!(LrtBridge::register_lrt(
		RuntimeOrigin::root(),
		LRT,
		h160(gateway.token),
		h160(gateway.gateway),
		limit,
		window,
	));
}

/// `who`'s balance of `LRT`.
fn balance(who: AccountId) -> u128 {
	<Assets as frame_support::traits::fungibles::Inspect<AccountId>>::balance(LRT, &who)
}

/// Submits a deposit proof as `BOB` (a relayer).
fn submit(proof: EventProof) -> DispatchResultWithPostInfo {
	LrtBridge::submit_deposit(RuntimeOrigin::signed(BOB), Box::new(proof))
}
