//! BAL balances, transaction fees and the treasury.
//!
//! Fees: 80 % of every transaction fee goes to the treasury, 20 % and all tips to the
//! validators' pot, of which each block's author takes half of what is there
//! (`pallet_collator_selection`). Nothing is burned but a credit too small to create an account.

use crate::{
	configs::governance::{CouncilSupermajority, ParametersOrigin},
	AccountId, Balances, Runtime, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason,
};
use ballast_primitives::{
	currency::{BAL, MICRO_BAL, MILLI_BAL},
	time::DAYS,
	Balance,
};
use frame_support::{
	parameter_types,
	traits::{
		fungible::Credit,
		tokens::{imbalance::ResolveTo, PayFromAccount, UnityAssetBalanceConversion},
		ConstU128, ConstU32, ConstU8, EitherOfDiverse, Imbalance, OnUnbalanced,
	},
	weights::{ConstantMultiplier, IdentityFee},
	PalletId,
};
use frame_system::EnsureRoot;
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
	// Fees go to the treasury and the block authors (`DealWithFees`).
	type OnChargeTransaction = FungibleAdapter<Balances, DealWithFees>;
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

/// The treasury's share of each transaction fee (the rest, and tips, go to the validators).
pub const TREASURY_FEE_SHARE: u32 = 80;

/// Splits fees between the treasury and the validators' pot (tips all to the pot).
pub struct DealWithFees;
impl OnUnbalanced<Credit<AccountId, Balances>> for DealWithFees {
	fn on_unbalanceds(mut fees_then_tips: impl Iterator<Item = Credit<AccountId, Balances>>) {
		if let Some(fees) = fees_then_tips.next() {
			let (to_treasury, mut to_validators) =
				fees.ration(TREASURY_FEE_SHARE, 100 - TREASURY_FEE_SHARE);
			if let Some(tips) = fees_then_tips.next() {
				to_validators.subsume(tips);
			}
			ResolveTo::<pallet_treasury::TreasuryAccountId<Runtime>, Balances>::on_unbalanced(
				to_treasury,
			);
			ResolveTo::<pallet_collator_selection::StakingPotAccountId<Runtime>, Balances>::on_unbalanced(
				to_validators,
			);
		}
	}
}

parameter_types! {
	/// The treasury's account.
	pub const TreasuryPalletId: PalletId = PalletId(*b"py/trsry");
	/// Approved spends are paid out at this interval.
	pub const SpendPeriod: u32 = 6 * DAYS;
	/// A spend not claimed within this many blocks of becoming payable expires.
	pub const PayoutPeriod: u32 = 30 * DAYS;
	/// The most one council-approved spend may pay.
	pub const MaxCouncilSpend: Balance = 1_000_000 * BAL;
	/// The treasury's account id.
	pub TreasuryAccount: AccountId = pallet_treasury::Pallet::<Runtime>::account_id();
}

impl pallet_treasury::Config for Runtime {
	type Currency = Balances;
	type RejectOrigin = EitherOfDiverse<EnsureRoot<AccountId>, CouncilSupermajority>;
	type RuntimeEvent = RuntimeEvent;
	type SpendPeriod = SpendPeriod;
	// Nothing is burned: unspent funds wait for the council.
	type Burn = ();
	type PalletId = TreasuryPalletId;
	type BurnDestination = ();
	type WeightInfo = pallet_treasury::weights::SubstrateWeight<Runtime>;
	type SpendFunds = ();
	type MaxApprovals = ConstU32<100>;
	// Spending is a parameter change: the council after its delay, up to `MaxCouncilSpend`.
	type SpendOrigin =
		frame_system::EnsureWithSuccess<ParametersOrigin, AccountId, MaxCouncilSpend>;
	type AssetKind = ();
	type Beneficiary = AccountId;
	type BeneficiaryLookup = sp_runtime::traits::IdentityLookup<AccountId>;
	type Paymaster = PayFromAccount<Balances, TreasuryAccount>;
	type BalanceConverter = UnityAssetBalanceConversion;
	type PayoutPeriod = PayoutPeriod;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
	type BlockNumberProvider = frame_system::Pallet<Runtime>;
}
