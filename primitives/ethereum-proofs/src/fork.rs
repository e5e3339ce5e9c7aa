//! Ethereum's fork schedule and the `BeaconState` layout of each fork Ballast understands.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

use crate::consensus::SLOTS_PER_EPOCH;

/// Ethereum mainnet's genesis validators root (identifies the network in signing domains).
pub const MAINNET_GENESIS_VALIDATORS_ROOT: [u8; 32] =
	hex_literal::hex!("4b363db94e286120d76eb905340fdd4e54bfe9f06bf33ff6cf5ad27f511bfe95");
/// Sepolia's genesis validators root (the prover tests check it against the real states).
pub const SEPOLIA_GENESIS_VALIDATORS_ROOT: [u8; 32] =
	hex_literal::hex!("d8ea171f3c94aea21ebc42a1ed61052acf3f9209c00e4efbaaddac09ed9b8078");

/// A fork's version and the epoch it activates at.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ForkVersion {
	/// The 4-byte fork version (mixed into signing domains).
	pub version: [u8; 4],
	/// Epoch at which the fork activates.
	pub epoch: u64,
}

/// An Ethereum network's fork schedule, as its chain config publishes it.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ForkSchedule {
	/// The genesis fork (Phase 0), active from epoch 0.
	pub genesis: ForkVersion,
	/// Altair (adds sync committees).
	pub altair: ForkVersion,
	/// Bellatrix (the Merge).
	pub bellatrix: ForkVersion,
	/// Capella (adds withdrawals).
	pub capella: ForkVersion,
	/// Deneb: the earliest fork whose states Ballast accepts validator proofs against.
	pub deneb: ForkVersion,
	/// Electra (the `BeaconState` tree gains a level).
	pub electra: ForkVersion,
	/// Fulu: the latest fork whose `BeaconState` layout Ballast knows.
	pub fulu: ForkVersion,
	/// Epoch of the next scheduled fork, whose state layout this code does not know yet (Gloas
	/// changes every gindex). Proofs at or after it are refused rather than guessed.
	/// `u64::MAX` while none is scheduled.
	pub next_unknown_fork_epoch: u64,
}

/// A fork whose `BeaconState` layout Ballast knows.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum Fork {
	/// Deneb: 28 state fields, a 5-level state tree.
	Deneb,
	/// Electra: 37 state fields, a 6-level state tree.
	Electra,
	/// Fulu: 38 state fields, a 6-level state tree.
	Fulu,
}

/// An epoch outside the forks whose layout Ballast knows.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum UnsupportedFork {
	/// Before Deneb: validator proofs against older states are not accepted.
	BeforeDeneb,
	/// At or after a fork whose layout is not known (see `next_unknown_fork_epoch`).
	Unknown,
}

/// Where the fields Ballast proves sit in a fork's `BeaconState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StateLayout {
	/// Depth of the `BeaconState` container tree (fields padded to a power of two).
	pub depth: u32,
	/// Generalized index of the `validators` list.
	pub validators: u64,
	/// Generalized index of the `balances` list.
	pub balances: u64,
}

impl Fork {
	/// The `BeaconState` layout of this fork. Deneb has 28 fields (5 levels); Electra 37 and
	/// Fulu 38 (6 levels). `validators` and `balances` are fields 11 and 12.
	pub const fn state_layout(self) -> StateLayout {
		match self {
			Fork::Deneb => StateLayout { depth: 5, validators: 32 + 11, balances: 32 + 12 },
			Fork::Electra | Fork::Fulu => {
				StateLayout { depth: 6, validators: 64 + 11, balances: 64 + 12 }
			},
		}
	}
}

impl ForkSchedule {
	/// The fork active at `epoch`.
	pub fn fork_at_epoch(&self, epoch: u64) -> Result<Fork, UnsupportedFork> {
		if epoch >= self.next_unknown_fork_epoch {
			Err(UnsupportedFork::Unknown)
		} else if epoch >= self.fulu.epoch {
			Ok(Fork::Fulu)
		} else if epoch >= self.electra.epoch {
			Ok(Fork::Electra)
		} else if epoch >= self.deneb.epoch {
			Ok(Fork::Deneb)
		} else {
			Err(UnsupportedFork::BeforeDeneb)
		}
	}

	/// The fork active at `slot`.
	pub fn fork_at_slot(&self, slot: u64) -> Result<Fork, UnsupportedFork> {
		self.fork_at_epoch(slot / SLOTS_PER_EPOCH)
	}

	/// Ethereum mainnet.
	pub const fn mainnet() -> Self {
		ForkSchedule {
			genesis: ForkVersion { version: [0, 0, 0, 0], epoch: 0 },
			altair: ForkVersion { version: [1, 0, 0, 0], epoch: 74_240 },
			bellatrix: ForkVersion { version: [2, 0, 0, 0], epoch: 144_896 },
			capella: ForkVersion { version: [3, 0, 0, 0], epoch: 194_048 },
			deneb: ForkVersion { version: [4, 0, 0, 0], epoch: 269_568 },
			electra: ForkVersion { version: [5, 0, 0, 0], epoch: 364_032 },
			fulu: ForkVersion { version: [6, 0, 0, 0], epoch: 411_392 },
			next_unknown_fork_epoch: u64::MAX,
		}
	}

	/// Sepolia, the public testnet whose real states the tests use.
	pub const fn sepolia() -> Self {
		ForkSchedule {
			genesis: ForkVersion { version: [0x90, 0, 0, 0x69], epoch: 0 },
			altair: ForkVersion { version: [0x90, 0, 0, 0x70], epoch: 50 },
			bellatrix: ForkVersion { version: [0x90, 0, 0, 0x71], epoch: 100 },
			capella: ForkVersion { version: [0x90, 0, 0, 0x72], epoch: 56_832 },
			deneb: ForkVersion { version: [0x90, 0, 0, 0x73], epoch: 132_608 },
			electra: ForkVersion { version: [0x90, 0, 0, 0x74], epoch: 222_464 },
			fulu: ForkVersion { version: [0x90, 0, 0, 0x75], epoch: 272_640 },
			next_unknown_fork_epoch: u64::MAX,
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn forks_follow_the_schedule() {
		let sepolia = ForkSchedule::sepolia();
		// The fixtures' slots are Deneb (epoch 142836).
		assert_eq!(sepolia.fork_at_slot(4_570_752), Ok(Fork::Deneb));
		assert_eq!(sepolia.fork_at_epoch(222_463), Ok(Fork::Deneb));
		assert_eq!(sepolia.fork_at_epoch(222_464), Ok(Fork::Electra));
		assert_eq!(sepolia.fork_at_epoch(272_640), Ok(Fork::Fulu));
		assert_eq!(sepolia.fork_at_epoch(132_607), Err(UnsupportedFork::BeforeDeneb));
		let gloas_scheduled = ForkSchedule { next_unknown_fork_epoch: 300_000, ..sepolia };
		assert_eq!(gloas_scheduled.fork_at_epoch(299_999), Ok(Fork::Fulu));
		assert_eq!(gloas_scheduled.fork_at_epoch(300_000), Err(UnsupportedFork::Unknown));
	}

	#[test]
	fn layouts() {
		assert_eq!(Fork::Deneb.state_layout().validators, 43);
		assert_eq!(Fork::Deneb.state_layout().balances, 44);
		assert_eq!(Fork::Electra.state_layout().validators, 75);
		assert_eq!(Fork::Fulu.state_layout().balances, 76);
	}
}
