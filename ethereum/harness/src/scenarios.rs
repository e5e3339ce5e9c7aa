//! Ready-made Ethereum histories for tests and recorded fixtures (deterministic: the same call
//! always gives the same bytes).

use crate::{beacon::BeaconBlock, evm::ether, Ethereum, SYNTHETIC_SLOT};
use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol, SolCall, SolConstructor, SolValue};
use snowbridge_verification_primitives::EventProof;
use sp_core::H160;

sol! {
	struct OperatorStake { address operator; address strategy; uint256 shares; }
	constructor(address owner, address releaser);
	function configureLrt(address lrt, address backingSource, bool depositsOpen);
	function deposit(address lrt, uint256 amount, bytes32 recipient) returns (uint64);
	function reportBacking(address lrt) returns (uint64);
	function mint(address to, uint256 amount);
	function approve(address spender, uint256 amount) returns (bool);
	function set(uint256 totalEth, OperatorStake[] stakes);
}

pub const OWNER: Address = Address::repeat_byte(0x01);
pub const USER: Address = Address::repeat_byte(0x03);

/// One finalized block holding a deposit and a backing report of one LRT.
pub struct DepositAndReport {
	pub beacon: BeaconBlock,
	pub deposit: EventProof,
	pub report: EventProof,
	pub gateway: H160,
	pub token: H160,
}

/// Deploys the gateway and an LRT (1,000 minted to a user, backed by `total_eth_whole` ETH over
/// two operators), then in one block: the user deposits `amount_whole` tokens for `recipient`
/// and anyone reports the backing. The block is wrapped in a beacon block at `SYNTHETIC_SLOT`.
pub fn deposit_and_report(
	recipient: [u8; 32],
	amount_whole: u64,
	total_eth_whole: u64,
) -> DepositAndReport {
	let mut eth = Ethereum::new();
	let token = eth.deploy(OWNER, "MockLrt", &("ezETH".to_string(),).abi_encode_params());
	let source = eth.deploy(OWNER, "MockBackingSource", &[]);
	let gateway = eth.deploy(
		OWNER,
		"BallastGateway",
		&constructorCall { owner: OWNER, releaser: OWNER }.abi_encode(),
	);
	let stakes = vec![
		OperatorStake {
			operator: Address::repeat_byte(0x0a),
			strategy: Address::repeat_byte(0xbe),
			shares: ether(total_eth_whole) * U256::from(6u8) / U256::from(10u8),
		},
		OperatorStake {
			operator: Address::repeat_byte(0x0b),
			strategy: Address::repeat_byte(0xbe),
			shares: ether(total_eth_whole) * U256::from(4u8) / U256::from(10u8),
		},
	];
	let setup = [
		(OWNER, token, mintCall { to: USER, amount: ether(1_000) }.abi_encode()),
		(USER, token, approveCall { spender: gateway, amount: U256::MAX }.abi_encode()),
		(
			OWNER,
			gateway,
			configureLrtCall { lrt: token, backingSource: source, depositsOpen: true }.abi_encode(),
		),
		(OWNER, source, setCall { totalEth: ether(total_eth_whole), stakes }.abi_encode()),
	];
	for (from, to, data) in setup {
		assert!(eth.call(from, to, data).success, "setup call reverted");
	}
	eth.seal();
	let deposit = eth.call(
		USER,
		gateway,
		depositCall { lrt: token, amount: ether(amount_whole), recipient: recipient.into() }
			.abi_encode(),
	);
	assert!(deposit.success, "deposit reverted");
	let report = eth.call(USER, gateway, reportBackingCall { lrt: token }.abi_encode());
	assert!(report.success, "report reverted");
	let block = eth.seal();
	let beacon = BeaconBlock::new(SYNTHETIC_SLOT, &block);
	let of = |result: &crate::TxResult| {
		let log = result.logs.iter().find(|log| log.address == gateway).expect("gateway event");
		beacon.event_proof(log, result.tx_index)
	};
	let (deposit, report) = (of(&deposit), of(&report));
	DepositAndReport {
		beacon,
		deposit,
		report,
		gateway: H160::from(gateway.0 .0),
		token: H160::from(token.0 .0),
	}
}
