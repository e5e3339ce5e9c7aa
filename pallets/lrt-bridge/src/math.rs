//! Pure arithmetic of the bridge: the mint rate limit's window (no storage).

use crate::{BalanceOf, MintWindow};
use sp_runtime::traits::Saturating;

/// Why a mint does not fit its LRT's rate limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MintWindowError {
	/// The window's total overflowed.
	Overflow,
	/// The window's total would exceed the limit.
	RateLimitExceeded,
}

/// The rate-limit window after minting `amount` at block `now`, given the stored `window`, the
/// window's `length` in blocks and the `limit` per window. A window that started `length` or more
/// blocks before `now` is over: a new one starts at `now`.
pub(crate) fn window_after_mint<BlockNumber: Saturating + PartialOrd + Copy>(
	mut window: MintWindow<BalanceOf, BlockNumber>,
	now: BlockNumber,
	length: BlockNumber,
	limit: BalanceOf,
	amount: BalanceOf,
) -> Result<MintWindow<BalanceOf, BlockNumber>, MintWindowError> {
	if now >= window.started.saturating_add(length) {
		window = MintWindow { started: now, minted: 0 };
	}
	window.minted = window.minted.checked_add(amount).ok_or(MintWindowError::Overflow)?;
	if window.minted > limit {
		return Err(MintWindowError::RateLimitExceeded);
	}
	Ok(window)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn window(started: u64, minted: u128) -> MintWindow<u128, u64> {
		MintWindow { started, minted }
	}

	#[test]
	fn mints_add_up_within_a_window_up_to_the_limit() {
		assert_eq!(window_after_mint(window(1, 10), 5, 10, 15, 5), Ok(window(1, 15)));
		assert_eq!(
			window_after_mint(window(1, 10), 10, 10, 15, 6),
			Err(MintWindowError::RateLimitExceeded)
		);
	}

	#[test]
	fn a_window_restarts_once_its_length_has_passed() {
		// Started at 1, 10 blocks long: block 11 opens a new window.
		assert_eq!(window_after_mint(window(1, 15), 11, 10, 15, 10), Ok(window(11, 10)));
		// A mint above the limit never fits, even in a new window.
		assert_eq!(
			window_after_mint(window(1, 15), 11, 10, 15, 16),
			Err(MintWindowError::RateLimitExceeded)
		);
	}

	#[test]
	fn the_first_window_counts_from_block_zero() {
		// The stored default starts at block 0: a mint before block 10 joins it.
		let first = MintWindow::<u128, u64>::default();
		assert_eq!(window_after_mint(first.clone(), 1, 10, 5, 5), Ok(window(0, 5)));
		assert_eq!(window_after_mint(first, 10, 10, 5, 5), Ok(window(10, 5)));
	}

	#[test]
	fn the_window_end_saturates_and_the_total_overflows_into_an_error() {
		assert_eq!(
			window_after_mint(window(u64::MAX - 1, 5), u64::MAX, 10, 5, 3),
			Ok(window(u64::MAX, 3))
		);
		assert_eq!(
			window_after_mint(window(1, u128::MAX), 2, 10, u128::MAX, 1),
			Err(MintWindowError::Overflow)
		);
	}
}
