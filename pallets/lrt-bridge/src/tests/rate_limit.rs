//! The mint rate limit: a token bucket holding `mint_limit`, refilled continuously at
//! `mint_limit` per `mint_window` blocks, so no boundary lets twice the limit through.

use super::{balance, register, submit};
use crate::{
	mock::{ethereum::*, *},
	*,
};
use frame_support::{assert_noop, assert_ok};

#[test]
fn minting_the_limit_at_a_window_end_and_again_after_the_boundary_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let mut gateway = Gateway::new();
		// At most 10 tokens per 10 blocks.
		register(&gateway, 10 * UNIT, 10);
		let first = gateway.deposit(10, ALICE);
		let second = gateway.deposit(10, ALICE);

		// The whole limit in the last block of the first window (blocks 0 to 9)...
		System::set_block_number(9);
		assert_ok!(submit(first));
		// ... and again right after the boundary: refused (one block refilled a tenth).
		System::set_block_number(10);
		assert_noop!(submit(second.clone()), Error::<Test>::RateLimitExceeded);
		// A whole window after the first mint, the bucket is full again.
		System::set_block_number(18);
		assert_noop!(submit(second.clone()), Error::<Test>::RateLimitExceeded);
		System::set_block_number(19);
		assert_ok!(submit(second));
		assert_eq!(balance(ALICE), 20 * UNIT);
	});
}

#[test]
fn the_mint_limit_refills_continuously() {
	ExtBuilder::default().build_and_execute(|| {
		let mut gateway = Gateway::new();
		register(&gateway, 10 * UNIT, 10);
		let ten = gateway.deposit(10, ALICE);
		let ones: Vec<_> = (0..4).map(|_| gateway.deposit(1, ALICE)).collect();
		let five = gateway.deposit(5, ALICE);

		System::set_block_number(9);
		assert_ok!(submit(ten));
		// One block later: one token of room, not more.
		System::set_block_number(10);
		assert_ok!(submit(ones[0].clone()));
		assert_noop!(submit(ones[1].clone()), Error::<Test>::RateLimitExceeded);
		// Five blocks later: five tokens.
		System::set_block_number(15);
		assert_ok!(submit(five));
		assert_noop!(submit(ones[1].clone()), Error::<Test>::RateLimitExceeded);
		System::set_block_number(16);
		assert_ok!(submit(ones[1].clone()));
		assert_eq!(balance(ALICE), 17 * UNIT);
	});
}
