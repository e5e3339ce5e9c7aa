//! BAL balances and transaction fees.

use crate::{Balances, Runtime, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason};
use ballast_primitives::{
	currency::{MICRO_BAL, MILLI_BAL},
	Balance,
};
use frame_support::{
	parameter_types,
	traits::{ConstU128, ConstU32, ConstU8},
	weights::{ConstantMultiplier, IdentityFee},
};
use pallet_transaction_payment::{FungibleAdapter, Multiplier, TargetedFeeAdjustment};
use sp_runtime::{traits::Bounded, FixedPointNumber, Perquintill};

parameter_types! {
	/// An account holding less than this is reaped: 1 mBAL keeps dust accounts out of state.
	pub const ExistentialDeposit: Balance = MILLI_BAL;
	/// Fees rise when blocks are fuller than this and fall when emptier.
	pub const TargetBlockFullness: Perquintill = Perquintill::from_percent(25);
	/// How fast the fee multiplier moves (Polkadot's value: ×~2.3 per day of full blocks).
	pub AdjustmentVariable: Multiplier = Multiplier::saturating_from_rational(75, 1_000_000);
	/// Fees never fall below a tenth of the base fee.
	pub MinimumMultiplier: Multiplier = Multiplier::saturating_from_rational(1, 10u128);
	/// No upper bound on the fee multiplier.
	pub MaximumMultiplier: Multiplier = Bounded::max_value();
}

impl pallet_balances::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type Balance = Balance;
	type DustRemoval = ();
	type ExistentialDeposit = ExistentialDeposit;
	type AccountStore = frame_system::Pallet<Runtime>;
	type ReserveIdentifier = [u8; 8];
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ConstU32<50>;
	type MaxFreezes = ConstU32<8>;
	type DoneSlashHandler = ();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	// Fees are burned (no treasury yet).
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	// 1 planck per picosecond of reference compute: a transfer costs ~0.0002 BAL.
	type WeightToFee = IdentityFee<Balance>;
	// 1 µBAL a byte. Weight costs 1 planck a picosecond (1.5 BAL for a block's whole normal
	// weight); at 1 µBAL a byte, filling a block's normal length (3.75 MB) costs 3.75 BAL, so
	// bytes are never the cheap way to fill blocks. A 200-byte transfer pays 0.2 mBAL for its
	// length, a 2 KiB deposit proof 2 mBAL.
	type LengthToFee = ConstantMultiplier<Balance, ConstU128<MICRO_BAL>>;
	type FeeMultiplierUpdate = TargetedFeeAdjustment<
		Self,
		TargetBlockFullness,
		AdjustmentVariable,
		MinimumMultiplier,
		MaximumMultiplier,
	>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}
