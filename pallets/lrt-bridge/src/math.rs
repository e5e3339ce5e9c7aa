//! Pure arithmetic of the bridge: the mint rate limit's token bucket (no storage).
//!
//! The bucket holds `limit` and refills continuously at `limit` per `window` blocks. Over any
//! `t` blocks at most `limit + limit × t / window` is minted: a full bucket's `limit` at once,
//! then the refill. Unlike a fixed window, no boundary lets `2 × limit` through in two blocks.

use crate::{BalanceOf, MintBucket};
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{Saturating, UniqueSaturatedInto},
	Rounding,
};

/// Why a mint does not fit its LRT's rate limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MintLimitError {
	/// The bucket's total overflowed.
	Overflow,
	/// The mint is larger than the bucket's room.
	RateLimitExceeded,
}

/// What `elapsed` blocks refill: `limit` per `window` blocks, pro rata, rounded down (so a mint
/// loses less than one unit of refill: with 18-decimal amounts, less than 10⁻¹⁸ of a token).
/// Saturates; a zero window (never stored) refills nothing.
pub(crate) fn refill(limit: BalanceOf, elapsed: u128, window: u128) -> BalanceOf {
	if window == 0 {
		return 0;
	}
	multiply_by_rational_with_rounding(limit, elapsed, window, Rounding::Down)
		.unwrap_or(BalanceOf::MAX)
}

/// What is taken from the bucket at block `now`: `bucket.used` less the refill since
/// `bucket.updated`.
pub(crate) fn used_at<BlockNumber: Saturating + Copy + UniqueSaturatedInto<u128>>(
	bucket: &MintBucket<BalanceOf, BlockNumber>,
	now: BlockNumber,
	window: BlockNumber,
	limit: BalanceOf,
) -> BalanceOf {
	let elapsed: u128 = now.saturating_sub(bucket.updated).unique_saturated_into();
	bucket.used.saturating_sub(refill(limit, elapsed, window.unique_saturated_into()))
}

/// The room in the bucket at block `now`: the most one mint may take.
pub(crate) fn room<BlockNumber: Saturating + Copy + UniqueSaturatedInto<u128>>(
	bucket: &MintBucket<BalanceOf, BlockNumber>,
	now: BlockNumber,
	window: BlockNumber,
	limit: BalanceOf,
) -> BalanceOf {
	limit.saturating_sub(used_at(bucket, now, window, limit))
}

/// The bucket after minting `amount` at block `now`, given the LRT's `window` (blocks) and
/// `limit`, or why it does not fit.
pub(crate) fn bucket_after_mint<BlockNumber: Saturating + Copy + UniqueSaturatedInto<u128>>(
	bucket: MintBucket<BalanceOf, BlockNumber>,
	now: BlockNumber,
	window: BlockNumber,
	limit: BalanceOf,
	amount: BalanceOf,
) -> Result<MintBucket<BalanceOf, BlockNumber>, MintLimitError> {
	let used =
		used_at(&bucket, now, window, limit).checked_add(amount).ok_or(MintLimitError::Overflow)?;
	if used > limit {
		return Err(MintLimitError::RateLimitExceeded);
	}
	Ok(MintBucket { updated: now, used })
}

#[cfg(test)]
mod tests {
	use super::*;

	fn bucket(updated: u64, used: u128) -> MintBucket<u128, u64> {
		MintBucket { updated, used }
	}

	#[test]
	fn a_full_bucket_takes_the_limit_and_no_more() {
		let full = MintBucket::<u128, u64>::default();
		assert_eq!(bucket_after_mint(full.clone(), 5, 10, 15, 15), Ok(bucket(5, 15)));
		assert_eq!(bucket_after_mint(full, 5, 10, 15, 16), Err(MintLimitError::RateLimitExceeded));
		// Mints in one block add up.
		assert_eq!(bucket_after_mint(bucket(5, 10), 5, 10, 15, 5), Ok(bucket(5, 15)));
		assert_eq!(
			bucket_after_mint(bucket(5, 10), 5, 10, 15, 6),
			Err(MintLimitError::RateLimitExceeded)
		);
	}

	#[test]
	fn the_bucket_refills_pro_rata_rounding_down() {
		// 10 per 10 blocks: one a block.
		assert_eq!(used_at(&bucket(9, 10), 10, 10, 10), 9);
		assert_eq!(used_at(&bucket(9, 10), 14, 10, 10), 5);
		assert_eq!(used_at(&bucket(9, 10), 19, 10, 10), 0);
		assert_eq!(used_at(&bucket(9, 10), 1_000, 10, 10), 0);
		// 15 per 10 blocks: 1.5 a block, rounded down.
		assert_eq!(refill(15, 1, 10), 1);
		assert_eq!(refill(15, 3, 10), 4);
		assert_eq!(room(&bucket(0, 15), 3, 10, 15), 4);
		// The boundary of a fixed window is nothing special: limit at block 9, then at 10 only
		// a tenth of it.
		let after = bucket_after_mint(MintBucket::default(), 9u64, 10, 10, 10).expect("fits");
		assert_eq!(
			bucket_after_mint(after.clone(), 10, 10, 10, 2),
			Err(MintLimitError::RateLimitExceeded)
		);
		assert_eq!(bucket_after_mint(after, 10, 10, 10, 1), Ok(bucket(10, 10)));
	}

	#[test]
	fn a_lowered_limit_drains_at_its_own_rate() {
		// 100 used under an old limit; the new limit is 10 per 10 blocks: one a block.
		assert_eq!(used_at(&bucket(0, 100), 10, 10, 10), 90);
		assert_eq!(room(&bucket(0, 100), 10, 10, 10), 0);
		assert_eq!(room(&bucket(0, 100), 95, 10, 10), 5);
	}

	#[test]
	fn extremes_saturate_or_fail_cleanly() {
		// An unlimited LRT (u128::MAX per window) refills everything at once.
		assert_eq!(refill(u128::MAX, 1, 10), u128::MAX / 10);
		assert_eq!(refill(u128::MAX, 20, 10), u128::MAX);
		assert_eq!(
			bucket_after_mint(bucket(1, u128::MAX), 1, 10, u128::MAX, 1),
			Err(MintLimitError::Overflow)
		);
		// A zero window refills nothing; a clock going backwards refills nothing.
		assert_eq!(refill(10, 5, 0), 0);
		assert_eq!(used_at(&bucket(10, 7), 5, 10, 10), 7);
		assert_eq!(used_at(&bucket(u64::MAX - 1, 5), u64::MAX, 10, 10), 4);
	}
}
