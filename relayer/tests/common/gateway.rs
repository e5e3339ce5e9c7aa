//! The contracts a relayer test runs on anvil: `BallastGateway` (owned by anvil's account), an
//! ERC-20 LRT listed with deposits open, its backing source and EigenLayer's AllocationManager
//! mock, all from ethereum/artifacts; and the calls the tests make on them.

use super::anvil::Anvil;
use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolCall, SolValue};
use serde_json::Value;

alloy_sol_types::sol! {
	struct OperatorStake { address operator; address strategy; uint256 shares; }
	struct OperatorSet { address avs; uint32 id; }

	// MockLrt
	function mint(address to, uint256 amount);
	function approve(address spender, uint256 amount) returns (bool);
	// MockBackingSource
	function set(uint256 totalEth, OperatorStake[] stakes);
	// BallastGateway
	function configureLrt(address lrt, address backingSource, bool depositsOpen);
	function setDepositLimits(address token, uint256 minDeposit, uint256 maxDeposit);
	function setDepositsOpen(address token, bool open);
	function deposit(address lrt, uint256 amount, bytes32 recipient) returns (uint64);
	function depositEth(bytes32 recipient) returns (uint64);
	function setWeth(address weth);
	function reportBacking(address lrt) returns (uint64);
	function announceBackingSource(address lrt, address backingSource);
	// MockAllocationManager
	function slashOperator(
		address operator, OperatorSet operatorSet, address[] strategies, uint256[] wadSlashed,
		string description
	);
}

/// The LRT's larger operator.
pub const OPERATOR: Address = Address::repeat_byte(0x0a);
/// The strategy its stake is in.
pub const STRATEGY: Address = Address::repeat_byte(0xbe);
/// The AVS that slashes.
pub const AVS: Address = Address::repeat_byte(0xa5);

/// `whole` ETH in wei.
pub fn ether(whole: u64) -> U256 {
	U256::from(whole) * U256::from(10u64).pow(U256::from(18u8))
}

/// Anvil with the gateway (owned by anvil's account), an LRT listed with
/// deposits open (10,000 minted to the account, approved for the gateway), its backing source,
/// WETH (ETH deposits open) and the AllocationManager mock.
pub struct Deployment {
	/// The anvil it runs on.
	pub anvil: Anvil,
	/// `BallastGateway`.
	pub gateway: Address,
	/// The LRT (`MockLrt`).
	pub token: Address,
	/// Its backing source (`MockBackingSource`).
	pub source: Address,
	/// `MockAllocationManager`.
	pub manager: Address,
	/// WETH (`MockWeth9`), the token of ETH deposits.
	pub weth: Address,
}

/// Deploys everything on a fresh anvil.
pub fn deploy() -> Deployment {
	deploy_on(Anvil::start())
}

/// Deploys everything on `anvil` (the gateway's BEEFY client is a stand-in: releases fail).
pub fn deploy_on(anvil: Anvil) -> Deployment {
	let owner = anvil.account;
	deploy_with_beefy_client(anvil, owner)
}

/// Deploys everything on `anvil`, the gateway proving releases with `beefy_client`.
pub fn deploy_with_beefy_client(anvil: Anvil, beefy_client: Address) -> Deployment {
	let owner = anvil.account;
	let token = anvil.deploy("MockLrt", &("ezETH".to_string(),).abi_encode_params());
	let source = anvil.deploy("MockBackingSource", &(token,).abi_encode_params());
	let gateway = anvil.deploy("BallastGateway", &(owner, beefy_client).abi_encode_params());
	let manager = anvil.deploy("MockAllocationManager", &[]);
	anvil.transact(token, &mintCall { to: owner, amount: ether(10_000) }.abi_encode());
	anvil.transact(token, &approveCall { spender: gateway, amount: U256::MAX }.abi_encode());
	anvil.transact(
		gateway,
		&configureLrtCall { lrt: token, backingSource: source, depositsOpen: false }.abi_encode(),
	);
	anvil.transact(
		gateway,
		&setDepositLimitsCall { token, minDeposit: U256::ZERO, maxDeposit: U256::from(u128::MAX) }
			.abi_encode(),
	);
	anvil.transact(gateway, &setDepositsOpenCall { token, open: true }.abi_encode());
	let weth = anvil.deploy("MockWeth9", &[]);
	anvil.transact(gateway, &setWethCall { weth }.abi_encode());
	anvil.transact(
		gateway,
		&setDepositLimitsCall {
			token: weth,
			minDeposit: U256::ZERO,
			maxDeposit: U256::from(u128::MAX),
		}
		.abi_encode(),
	);
	anvil.transact(gateway, &setDepositsOpenCall { token: weth, open: true }.abi_encode());
	Deployment { anvil, gateway, token, source, manager, weth }
}

impl Deployment {
	/// The call data of a deposit of `amount` for `[recipient; 32]`.
	pub fn deposit_call(&self, amount: U256, recipient: u8) -> Vec<u8> {
		depositCall { lrt: self.token, amount, recipient: B256::repeat_byte(recipient) }
			.abi_encode()
	}

	/// Deposits `amount` for the Ballast account `[recipient; 32]`; the receipt.
	pub fn deposit(&self, amount: U256, recipient: u8) -> Value {
		self.anvil.transact(self.gateway, &self.deposit_call(amount, recipient))
	}

	/// Sets the LRT's books (backing `total_eth_whole`, 60% delegated to `OPERATOR`, 40% to
	/// 0x0b…, in `STRATEGY`) and reports them; the report's receipt.
	pub fn report_backing(&self, total_eth_whole: u64) -> Value {
		let stakes = vec![
			OperatorStake {
				operator: OPERATOR,
				strategy: STRATEGY,
				shares: ether(total_eth_whole) * U256::from(6u8) / U256::from(10u8),
			},
			OperatorStake {
				operator: Address::repeat_byte(0x0b),
				strategy: STRATEGY,
				shares: ether(total_eth_whole) * U256::from(4u8) / U256::from(10u8),
			},
		];
		let set = setCall { totalEth: ether(total_eth_whole), stakes };
		self.anvil.transact(self.source, &set.abi_encode());
		self.anvil.transact(self.gateway, &reportBackingCall { lrt: self.token }.abi_encode())
	}

	/// The AllocationManager slashes `operator` by `wad` in `STRATEGY`; the receipt.
	pub fn slash(&self, operator: Address, wad: U256) -> Value {
		let call = slashOperatorCall {
			operator,
			operatorSet: OperatorSet { avs: AVS, id: 7 },
			strategies: vec![STRATEGY],
			wadSlashed: vec![wad],
			description: "equivocation".into(),
		};
		self.anvil.transact(self.manager, &call.abi_encode())
	}
}

/// `lrt_backing::BackingParams`, SCALE-encoded as the runtime declares it.
#[derive(codec::Encode)]
pub struct BackingParams {
	pub max_yearly_growth: u32,
	pub max_snapshot_age: u64,
	pub max_proof_age_slots: u64,
	pub total_active_balance_gwei: u128,
	pub exit_penalty: u32,
	pub recognition_delay: u64,
	pub max_unproven_fall: u32,
	pub fall_confirmation_delay: u64,
	pub circuit_breaker_fall: u32,
	pub circuit_breaker_window: u64,
}

impl BackingParams {
	/// What the tests value their LRT with: 10 % a year of growth, a week's snapshot age, no
	/// limit on the proofs' age, 1 % unproven fall per snapshot, 40 days of recognition.
	pub fn for_tests() -> Self {
		BackingParams {
			max_yearly_growth: 100_000_000,
			max_snapshot_age: 7 * 24 * 3600,
			max_proof_age_slots: u64::MAX / 2,
			total_active_balance_gwei: 34_000_000 * 1_000_000_000,
			exit_penalty: 3_000_000,
			recognition_delay: 40 * 24 * 3600,
			max_unproven_fall: 10_000_000,
			fall_confirmation_delay: 24 * 3600,
			circuit_breaker_fall: 100_000_000,
			circuit_breaker_window: 24 * 3600,
		}
	}
}

/// Snowbridge's `BeefyClient` creation code, as Snowbridge compiled it (its npm artifact,
/// installed by `npm ci` in ethereum/).
pub fn beefy_client_creation_code() -> Vec<u8> {
	let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(
		"../ethereum/node_modules/@snowbridge/contracts/out/BeefyClient.sol/BeefyClient.json",
	);
	let artifact: serde_json::Value = serde_json::from_str(
		&std::fs::read_to_string(path).expect("BeefyClient's artifact (npm ci in ethereum/)"),
	)
	.expect("JSON");
	alloy_primitives::hex::decode(artifact["bytecode"]["object"].as_str().expect("creation code"))
		.expect("hex")
}
