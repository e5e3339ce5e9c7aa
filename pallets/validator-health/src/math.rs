//! The pallet's arithmetic, free of storage: epochs of slots, a validator's status at an epoch,
//! and how counts and Gwei totals move when a record is added or removed.

use crate::types::ValidatorStatus;
use ballast_ethereum_proofs::consensus::SLOTS_PER_EPOCH;

/// The epoch a slot belongs to.
pub(crate) fn epoch_of(slot: u64) -> u64 {
	slot / SLOTS_PER_EPOCH
}

/// Where a validator with these activation and exit epochs stands at `epoch`: exited from its
/// exit epoch on (even if that comes before its activation), active from its activation epoch on,
/// pending before.
pub(crate) fn status_at(epoch: u64, activation_epoch: u64, exit_epoch: u64) -> ValidatorStatus {
	if epoch >= exit_epoch {
		ValidatorStatus::Exited
	} else if epoch >= activation_epoch {
		ValidatorStatus::Active
	} else {
		ValidatorStatus::Pending
	}
}

/// `count` with one more (`add`) or one fewer record, saturating at both ends.
pub(crate) fn counted(count: u32, add: bool) -> u32 {
	if add {
		count.saturating_add(1)
	} else {
		count.saturating_sub(1)
	}
}

/// A Gwei `total` with `value` added (`add`) or removed, saturating at both ends.
pub(crate) fn summed(total: u128, value: u64, add: bool) -> u128 {
	if add {
		total.saturating_add(value as u128)
	} else {
		total.saturating_sub(value as u128)
	}
}

/// A stored count moved by a booked `delta`: `None` when nothing is left (zero or below), so the
/// storage entry goes away.
pub(crate) fn moved_count(count: u32, delta: i64) -> Option<u32> {
	let updated = count as i64 + delta;
	(updated > 0).then_some(updated as u32)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn epochs_are_32_slots() {
		assert_eq!(epoch_of(0), 0);
		assert_eq!(epoch_of(31), 0);
		assert_eq!(epoch_of(32), 1);
		assert_eq!(epoch_of(4_570_752), 142_836);
	}

	#[test]
	fn status_turns_at_the_activation_and_exit_epochs() {
		assert_eq!(status_at(4, 5, 10), ValidatorStatus::Pending);
		assert_eq!(status_at(5, 5, 10), ValidatorStatus::Active);
		assert_eq!(status_at(9, 5, 10), ValidatorStatus::Active);
		assert_eq!(status_at(10, 5, 10), ValidatorStatus::Exited);
		assert_eq!(status_at(0, 0, u64::MAX), ValidatorStatus::Active);
		// An exit epoch before the activation epoch counts as exited.
		assert_eq!(status_at(4, 5, 3), ValidatorStatus::Exited);
	}

	#[test]
	fn counts_and_totals_saturate() {
		assert_eq!(counted(0, true), 1);
		assert_eq!(counted(1, false), 0);
		assert_eq!(counted(0, false), 0);
		assert_eq!(counted(u32::MAX, true), u32::MAX);
		assert_eq!(summed(10, 32_000_000_000, true), 32_000_000_010);
		assert_eq!(summed(32_000_000_010, 32_000_000_000, false), 10);
		assert_eq!(summed(5, 6, false), 0);
		assert_eq!(summed(u128::MAX, 1, true), u128::MAX);
	}

	#[test]
	fn moved_counts_vanish_at_zero() {
		assert_eq!(moved_count(3, 2), Some(5));
		assert_eq!(moved_count(3, -2), Some(1));
		assert_eq!(moved_count(3, -3), None);
		assert_eq!(moved_count(3, -4), None);
		assert_eq!(moved_count(0, 0), None);
		assert_eq!(moved_count(0, 1), Some(1));
	}
}
