//! `pallet-assets`: every LRT and every borrowable asset (bridged ETH) is an asset here.
//!
//! Asset creation is governance-only (`force_create` by root): a permissionless `create` would let
//! anyone register a look-alike "ezETH" next to the bridged one. The bridge and lending pallets
//! mint, burn and move assets through the `fungibles` traits.

use crate::{Balances, Runtime, RuntimeEvent};
use ballast_primitives::{
	currency::{deposit, MILLI_BAL},
	AccountId, AssetId, Balance,
};
use frame_support::{
	parameter_types,
	traits::{AsEnsureOriginWithArg, ConstU32},
};
use frame_system::{EnsureNever, EnsureRoot};

parameter_types! {
	/// Reserved for an asset class: one storage item of 190 bytes (0.119 BAL).
	pub const AssetDeposit: Balance = deposit(1, 190);
	/// Reserved for an asset account its holder's native balance does not provide for: one
	/// item of 16 bytes (0.1016 BAL).
	pub const AssetAccountDeposit: Balance = deposit(1, 16);
	/// Reserved per approval to spend another account's assets: 1 mBAL.
	pub const ApprovalDeposit: Balance = MILLI_BAL;
	/// Reserved for an asset's metadata, before its bytes: one item of 68 bytes (0.1068 BAL).
	pub const MetadataDepositBase: Balance = deposit(1, 68);
	/// Reserved per byte of an asset's name and symbol: 100 µBAL.
	pub const MetadataDepositPerByte: Balance = deposit(0, 1);
}

impl pallet_assets::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type RemoveItemsLimit = ConstU32<1000>;
	type AssetId = AssetId;
	type AssetIdParameter = codec::Compact<AssetId>;
	type ReserveData = ();
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureNever<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type AssetDeposit = AssetDeposit;
	type AssetAccountDeposit = AssetAccountDeposit;
	type MetadataDepositBase = MetadataDepositBase;
	type MetadataDepositPerByte = MetadataDepositPerByte;
	type ApprovalDeposit = ApprovalDeposit;
	type StringLimit = ConstU32<50>;
	type Freezer = ();
	type Holder = ();
	type Extra = ();
	type CallbackHandle = ();
	type AssetIdAllocator = ();
	type WeightInfo = pallet_assets::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}
