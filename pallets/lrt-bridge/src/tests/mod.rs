//! Deposits proven from BallastGateway's own receipts (the contract run in revm), withdrawals and
//! their commitments, every error path, and the books: every test runs in
//! `ExtBuilder::build_and_execute`, which checks `do_try_state` when the test ends, and the
//! property test checks it after every step.
//!
//! - `registry.rs`: registration and the governance calls;
//! - `emergency.rs`: the emergency origin, which may only pause or freeze (and governance's
//!   `set_state`, which may do anything);
//! - `deposit.rs`: proven deposits, forgeries, states and the rate limit;
//! - `withdraw.rs`: withdrawals, their commitment and proofs;
//! - `fees.rs`: what a deposit pays (its length, even when free), the proof-size bound, the
//!   weight by proof length, the minimum deposit, replays by another account;
//! - `rate_limit.rs`: the mint rate limit's token bucket;
//! - `pruning.rs`: commitments and withdrawals pruned after the retention;
//! - `invariants.rs`: the property test of the books, and `do_try_state` catching broken books.

mod deposit;
mod emergency;
mod fees;
mod invariants;
mod pruning;
mod rate_limit;
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
	submit_as(BOB, proof)
}

/// Submits a deposit proof as `who`.
fn submit_as(who: AccountId, proof: EventProof) -> DispatchResultWithPostInfo {
	LrtBridge::submit_deposit(RuntimeOrigin::signed(who), Box::new(proof))
}

/// `who`'s BAL.
fn bal(who: AccountId) -> u128 {
	<Balances as frame_support::traits::fungible::Inspect<AccountId>>::balance(&who)
}

/// Ends the current block and starts the next `blocks`th one, as the executive does:
/// `on_finalize` of the current block, then `on_initialize` of the new one.
fn advance(blocks: u64) {
	use frame_support::traits::Hooks;
	let now = System::block_number();
	LrtBridge::on_finalize(now);
	System::set_block_number(now + blocks);
	LrtBridge::on_initialize(now + blocks);
}
