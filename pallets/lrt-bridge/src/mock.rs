//! A mock runtime: System, Balances, Assets and the bridge, with a verifier that checks the
//! receipt proof and the log for real (Snowbridge's receipt code) but takes the execution
//! header's finality from a list the test declares. Governance is root; the emergency origin is
//! the signed [`EMERGENCY`] account.

use crate as pallet_lrt_bridge;
pub use ballast_ethereum_harness::verifier::{finalize_execution_block, TestVerifier};
use frame_support::{
	derive_impl, ord_parameter_types, parameter_types,
	traits::{AsEnsureOriginWithArg, ConstU128, ConstU32, ConstU64},
	weights::ConstantMultiplier,
	PalletId,
};
use frame_system::{EnsureNever, EnsureRoot, EnsureSignedBy};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type AssetId = u32;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type Assets = pallet_assets;
	#[runtime::pallet_index(3)]
	pub type LrtBridge = pallet_lrt_bridge;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u128>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type Balance = u128;
	type ExistentialDeposit = ConstU128<1>;
}

#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config for Test {
	type Balance = u128;
	type AssetId = AssetId;
	type AssetIdParameter = AssetId;
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureNever<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type Freezer = ();
	type Holder = ();
}

/// The emergency origin's one account (a technical committee's stand-in): governance is root.
pub const EMERGENCY: AccountId = 66;

ord_parameter_types! {
	/// The account `EmergencyOrigin` accepts.
	pub const Emergency: AccountId = EMERGENCY;
}

parameter_types! {
	pub const BridgePalletId: PalletId = PalletId(*b"bal/brdg");
}

/// Planck per byte of a deposit proof (what the mock's transactions would pay for length).
pub const LENGTH_FEE_PER_BYTE: u128 = 1_000;
/// The mock's bound on a deposit proof's encoded size (the harness's proofs are ~2 KiB).
pub const MAX_PROOF_SIZE: u32 = 16 * 1024;
/// The mock's smallest deposit: one whole token.
pub const MIN_DEPOSIT: u128 = 1_000_000_000_000_000_000;
/// The mock's commitment retention, in blocks.
pub const RETENTION: u64 = 10;
/// BAL every test account starts with.
pub const ENDOWMENT: u128 = 1_000_000_000_000;

impl pallet_lrt_bridge::Config for Test {
	type AssetId = AssetId;
	type Assets = Assets;
	type Verifier = TestVerifier;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type EmergencyOrigin = EnsureSignedBy<Emergency, AccountId>;
	type PalletId = BridgePalletId;
	type MaxOperators = ConstU32<8>;
	type MaxAvss = ConstU32<8>;
	type MaxWithdrawalsPerBlock = ConstU32<4>;
	type Currency = Balances;
	type LengthToFee = ConstantMultiplier<u128, ConstU128<LENGTH_FEE_PER_BYTE>>;
	type OnLengthFee = ();
	type MaxProofSize = ConstU32<MAX_PROOF_SIZE>;
	type MinDeposit = ConstU128<MIN_DEPOSIT>;
	type CommitmentRetention = ConstU64<RETENTION>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// The tests' externalities: the mock's genesis at a given block (1 unless told), `ENDOWMENT`
/// BAL for every test account, and no Ethereum block finalized yet.
pub struct ExtBuilder {
	block_number: u64,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self { block_number: 1 }
	}
}

impl ExtBuilder {
	/// Starts at `block_number` instead of block 1.
	pub fn at_block(mut self, block_number: u64) -> Self {
		self.block_number = block_number;
		self
	}

	/// The externalities, without the books' check (benchmarks' tests use it).
	pub fn build(self) -> sp_io::TestExternalities {
		let mut storage =
			frame_system::GenesisConfig::<Test>::default().build_storage().expect("genesis");
		pallet_balances::GenesisConfig::<Test> {
			balances: ethereum::ACCOUNTS.iter().map(|who| (*who, ENDOWMENT)).collect(),
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.expect("balances");
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(self.block_number));
		ballast_ethereum_harness::verifier::reset();
		ext
	}

	/// Runs `test` in the externalities, then checks the books: `do_try_state` must hold.
	pub fn build_and_execute<R>(self, test: impl FnOnce() -> R) -> R {
		self.build().execute_with(|| {
			let result = test();
			assert_eq!(LrtBridge::do_try_state(), Ok(()), "the books after the test");
			result
		})
	}
}

/// Ethereum as the tests see it: the gateway contract run in revm.
pub mod ethereum {
	use super::{finalize_execution_block, AccountId, AssetId};
	use alloy_primitives::{Address, U256};
	use alloy_sol_types::{SolCall, SolConstructor, SolValue};
	use ballast_ethereum_harness::calls::*;
	use ballast_ethereum_harness::{
		evm::ether, scenarios::BEEFY_CLIENT, BeaconBlock, Ethereum, SYNTHETIC_SLOT,
	};
	use snowbridge_verification_primitives::EventProof;
	use sp_core::{H160, H256};

	pub const LRT: AssetId = 100;
	pub const OWNER: Address = Address::repeat_byte(0x01);
	pub const USER: Address = Address::repeat_byte(0x03);
	pub const ALICE: AccountId = 7;
	pub const BOB: AccountId = 8;
	pub const CHARLIE: AccountId = 9;
	/// The accounts endowed with BAL at genesis (the property test deposits to 1..=3 too).
	pub const ACCOUNTS: [AccountId; 6] = [1, 2, 3, ALICE, BOB, CHARLIE];
	pub const UNIT: u128 = 1_000_000_000_000_000_000;

	pub fn h160(address: Address) -> H160 {
		H160::from(address.0 .0)
	}

	/// A Ballast account id as the gateway's `bytes32 recipient` (SCALE bytes, zero-padded).
	pub fn recipient(account: AccountId) -> [u8; 32] {
		let mut bytes = [0u8; 32];
		bytes[..8].copy_from_slice(&account.to_le_bytes());
		bytes
	}

	/// Ethereum with the gateway, two LRT tokens (the second listed in the gateway, not on Ballast)
	/// and a depositor holding both.
	pub struct Gateway {
		pub eth: Ethereum,
		pub gateway: Address,
		pub token: Address,
		pub other_token: Address,
	}

	impl Gateway {
		pub fn new() -> Self {
			let mut eth = Ethereum::new();
			let gateway = eth.deploy(
				OWNER,
				"BallastGateway",
				&constructorCall { owner: OWNER, beefyClient: BEEFY_CLIENT }.abi_encode(),
			);
			let mut tokens = Vec::new();
			for name in ["ezETH", "rsETH"] {
				let token = eth.deploy(OWNER, "MockLrt", &(name.to_string(),).abi_encode_params());
				// Each LRT's own backing source (the gateway checks it names its LRT); listed
				// closed, then opened with deposit limits.
				let source = eth.deploy(OWNER, "MockBackingSource", &(token,).abi_encode_params());
				let calls = [
					(OWNER, token, mintCall { to: USER, amount: ether(1_000) }.abi_encode()),
					(USER, token, approveCall { spender: gateway, amount: U256::MAX }.abi_encode()),
					(
						OWNER,
						gateway,
						configureLrtCall { lrt: token, backingSource: source, depositsOpen: false }
							.abi_encode(),
					),
				];
				for (from, to, data) in calls {
					assert!(eth.call(from, to, data).success);
				}
				ballast_ethereum_harness::scenarios::open_deposits(&mut eth, gateway, token);
				tokens.push(token);
			}
			eth.seal();
			Gateway { eth, gateway, token: tokens[0], other_token: tokens[1] }
		}

		/// Deposits `whole` tokens for `to` in a new block, finalized; returns the event's proof.
		pub fn deposit_of(&mut self, token: Address, whole: u64, to: AccountId) -> EventProof {
			self.deposit_amount(token, ether(whole), to)
		}

		/// Deposits `amount` (in the token's smallest unit) for `to` in a new block, finalized;
		/// returns the event's proof.
		pub fn deposit_amount(
			&mut self,
			token: Address,
			amount: U256,
			to: AccountId,
		) -> EventProof {
			let result = self.eth.call(
				USER,
				self.gateway,
				depositCall { lrt: token, amount, recipient: recipient(to).into() }.abi_encode(),
			);
			assert!(result.success, "deposit reverted");
			let block = self.eth.seal();
			let beacon = BeaconBlock::new(SYNTHETIC_SLOT, &block);
			finalize_execution_block(H256::from(block.hash().0));
			let log =
				result.logs.iter().find(|log| log.address == self.gateway).expect("Deposited");
			beacon.event_proof(log, result.tx_index)
		}

		pub fn deposit(&mut self, whole: u64, to: AccountId) -> EventProof {
			self.deposit_of(self.token, whole, to)
		}
	}
}

/// Benchmarks' deposits: a real gateway event in a block the test verifier holds as final.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AssetId> for MockBenchmarkHelper {
	fn valid_deposit() -> snowbridge_verification_primitives::EventProof {
		ethereum::Gateway::new().deposit(10, 1)
	}
	fn lrt(n: u32) -> AssetId {
		100 + n
	}
}
