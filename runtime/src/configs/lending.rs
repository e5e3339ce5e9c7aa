//! The lending markets and the transactions their keeper submits from off-chain workers.

use crate::{AccountId, AssetId, Runtime, RuntimeCall, TxExtension, UncheckedExtrinsic};
use ballast_primitives::valuation::BackingRate;
use frame_support::{parameter_types, traits::ConstU32, PalletId};
use sp_runtime::{generic::Era, FixedU128, Perbill};

parameter_types! {
	/// Holds every market's cash and collateral.
	pub const LendingPalletId: PalletId = PalletId(*b"bal/lend");
	/// LTV and liquidation threshold move at most 5 points per parameter window…
	pub const MaxParamStep: Perbill = Perbill::from_percent(5);
	/// …of one day (from the first change after the previous window ended), however many
	/// governance changes it holds.
	pub const ParamStepWindow: u64 = 24 * 60 * 60;
	/// The market's stock goes from `rate · (1 − base discount)` down to its floor,
	/// `rate · (1 − max discount)`, in six hours.
	pub const StockAuctionDuration: u64 = 6 * 60 * 60;
	/// The keeper's liquidations go before ordinary transactions.
	pub const KeeperPriority: u64 = u64::MAX / 2;
}

impl pallet_lending::Config for Runtime {
	type AssetId = AssetId;
	type Assets = crate::Assets;
	type Valuation = LendingValuation;
	// Accepted risk scores cap LTV and liquidation threshold.
	type RiskLimits = crate::Risk;
	type Time = crate::Timestamp;
	type GovernanceOrigin = frame_system::EnsureRoot<AccountId>;
	type PalletId = LendingPalletId;
	type MaxMarketsPerCollateral = ConstU32<8>;
	type MaxParamStep = MaxParamStep;
	type ParamStepWindow = ParamStepWindow;
	type StockAuctionDuration = StockAuctionDuration;
	type KeeperChecksPerRun = ConstU32<1_000>;
	type KeeperPriority = KeeperPriority;
	type WeightInfo = crate::weights::pallet_lending::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = LendingBenchmarks;
}

/// The valuation as the markets read it: `pallet-lrt-backing`'s rates. Benchmarks may pin a
/// rate (after the real valuation has been read, so its cost is measured all the same).
pub struct LendingValuation;

impl LendingValuation {
	#[cfg_attr(not(feature = "runtime-benchmarks"), allow(unused_variables))]
	fn pinned_or(lrt: AssetId, rate: Option<FixedU128>) -> Option<FixedU128> {
		#[cfg(feature = "runtime-benchmarks")]
		if let Some(pinned) = LendingBenchmarks::pinned(lrt) {
			return Some(pinned);
		}
		rate
	}
}

impl BackingRate<AssetId> for LendingValuation {
	fn backing_rate(lrt: AssetId) -> Option<FixedU128> {
		Self::pinned_or(lrt, <crate::LrtBacking as BackingRate<AssetId>>::backing_rate(lrt))
	}

	fn borrow_rate(lrt: AssetId) -> Option<FixedU128> {
		Self::pinned_or(lrt, <crate::LrtBacking as BackingRate<AssetId>>::borrow_rate(lrt))
	}
}

impl<C> frame_system::offchain::CreateTransactionBase<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extrinsic = UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> frame_system::offchain::CreateTransaction<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extension = TxExtension;

	fn create_transaction(call: RuntimeCall, extension: TxExtension) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_transaction(call, extension)
	}
}

/// Authorized transactions (the keeper's liquidations) carry no signer: no nonce, no fee, and
/// immortal, since the call's own validation (the position must still be liquidatable) is what
/// keeps them from being replayed.
impl<C> frame_system::offchain::CreateAuthorizedTransaction<C> for Runtime
where
	RuntimeCall: From<C>,
{
	fn create_extension() -> TxExtension {
		(
			frame_system::AuthorizeCall::<Runtime>::new(),
			frame_system::CheckNonZeroSender::<Runtime>::new(),
			frame_system::CheckSpecVersion::<Runtime>::new(),
			frame_system::CheckTxVersion::<Runtime>::new(),
			frame_system::CheckGenesis::<Runtime>::new(),
			frame_system::CheckEra::<Runtime>::from(Era::Immortal),
			frame_system::CheckNonce::<Runtime>::from(0),
			frame_system::CheckWeight::<Runtime>::new(),
			pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
			frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
			frame_system::WeightReclaim::<Runtime>::new(),
		)
	}
}

/// Benchmarks' assets (bridged ETH from genesis and an LRT created on demand) and pinned rates.
#[cfg(feature = "runtime-benchmarks")]
pub struct LendingBenchmarks;

#[cfg(feature = "runtime-benchmarks")]
impl LendingBenchmarks {
	const LRT: AssetId = 1_000;

	fn key(lrt: AssetId) -> alloc::vec::Vec<u8> {
		(b":ballast:benchmark-rate:", lrt).using_encoded(|key| key.to_vec())
	}

	fn pinned(lrt: AssetId) -> Option<FixedU128> {
		frame_support::storage::unhashed::get(&Self::key(lrt))
	}
}

#[cfg(feature = "runtime-benchmarks")]
use codec::Encode;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_lending::BenchmarkHelper<AssetId> for LendingBenchmarks {
	fn assets() -> (AssetId, AssetId) {
		use frame_support::traits::fungibles::{Create, Inspect};
		if !crate::Assets::asset_exists(Self::LRT) {
			let owner = crate::configs::lending::LendingPalletId::get();
			let owner: AccountId =
				sp_runtime::traits::AccountIdConversion::into_account_truncating(&owner);
			<crate::Assets as Create<AccountId>>::create(Self::LRT, owner, true, 1)
				.expect("the benchmark LRT is created");
		}
		if !crate::Assets::asset_exists(ballast_primitives::assets::ETH) {
			let owner: AccountId = sp_runtime::traits::AccountIdConversion::into_account_truncating(
				&LendingPalletId::get(),
			);
			<crate::Assets as Create<AccountId>>::create(
				ballast_primitives::assets::ETH,
				owner,
				true,
				1,
			)
			.expect("ETH is created");
		}
		(Self::LRT, ballast_primitives::assets::ETH)
	}

	fn set_rate(lrt: AssetId, rate: FixedU128) {
		frame_support::storage::unhashed::put(&Self::key(lrt), &rate);
	}
}
