//! Ready-made Ethereum histories for tests and recorded fixtures (deterministic: the same call
//! always gives the same bytes).

use crate::calls::*;
use crate::protocols::{self, Lrt, Protocol};
use crate::{beacon::BeaconBlock, evm::ether, Ethereum, SYNTHETIC_SLOT};
use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolCall, SolConstructor, SolValue};
use snowbridge_verification_primitives::EventProof;
use sp_core::H160;

/// Deploys the contracts and drives the mocks; the gateway's owner.
pub const OWNER: Address = Address::repeat_byte(0x01);
/// The gateway's BEEFY light client in these histories, which release nothing: an address
/// without code (the gateway needs a non-zero one). Releases are proven through a real
/// `BeefyClient` in [`crate::finality`].
pub const BEEFY_CLIENT: Address = Address::repeat_byte(0xbc);
/// Holds the LRT (1,000 minted to it), deposits and reports backing.
pub const USER: Address = Address::repeat_byte(0x03);

/// One finalized block holding a deposit and a backing report of one LRT.
pub struct DepositAndReport {
	/// The beacon block carrying the Ethereum block.
	pub beacon: BeaconBlock,
	/// Proof of the gateway's `Deposited` event.
	pub deposit: EventProof,
	/// Proof of the gateway's `BackingReported` event.
	pub report: EventProof,
	/// The gateway contract's address.
	pub gateway: H160,
	/// The LRT's ERC-20 address.
	pub token: H160,
}

/// Two delegations of `total_eth_whole`: 60% to operator 0x0a…, 40% to 0x0b…, both in the
/// strategy 0xbe… (beacon-chain ETH in the tests).
fn stakes_of(total_eth_whole: u64) -> Vec<OperatorStake> {
	vec![
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
	]
}

/// The gateway and an LRT (1,000 minted to `USER`, approved for the gateway, listed with a
/// backing source reporting `total_eth_whole` over [`stakes_of`], deposits still closed: see
/// [`open_deposits`]).
struct Deployment {
	token: Address,
	source: Address,
	gateway: Address,
}

fn deploy(eth: &mut Ethereum, total_eth_whole: u64) -> Deployment {
	let token = eth.deploy(OWNER, "MockLrt", &("ezETH".to_string(),).abi_encode_params());
	let source = eth.deploy(OWNER, "MockBackingSource", &(token,).abi_encode_params());
	let gateway = eth.deploy(
		OWNER,
		"BallastGateway",
		&constructorCall { owner: OWNER, beefyClient: BEEFY_CLIENT }.abi_encode(),
	);
	let setup = [
		(OWNER, token, mintCall { to: USER, amount: ether(1_000) }.abi_encode()),
		(USER, token, approveCall { spender: gateway, amount: U256::MAX }.abi_encode()),
		(
			OWNER,
			gateway,
			configureLrtCall { lrt: token, backingSource: source, depositsOpen: false }
				.abi_encode(),
		),
		(
			OWNER,
			source,
			setCall { totalEth: ether(total_eth_whole), stakes: stakes_of(total_eth_whole) }
				.abi_encode(),
		),
	];
	for (from, to, data) in setup {
		assert!(eth.call(from, to, data).success, "setup call reverted");
	}
	Deployment { token, source, gateway }
}

/// The owner sets `token`'s deposit limits to the widest Ballast decodes (any amount up to
/// 2^128 − 1) and opens its deposits: the gateway lists every token with deposits closed.
///
/// Called after a scenario's last deployment, so that these calls do not move the addresses of
/// contracts `OWNER` deploys (an account's nonce names its next contract).
pub fn open_deposits(eth: &mut Ethereum, gateway: Address, token: Address) {
	let limits =
		setDepositLimitsCall { token, minDeposit: U256::ZERO, maxDeposit: U256::from(u128::MAX) };
	let open = setDepositsOpenCall { token, open: true };
	for data in [limits.abi_encode(), open.abi_encode()] {
		let result = eth.call(OWNER, gateway, data);
		assert!(result.success, "opening deposits reverted: {:?}", result.output);
	}
}

/// Successive backing reports of one LRT (1,000 tokens), each in its own finalized block: the
/// LRT's accounting reports `total_eth_whole[i]` ETH in the `i`th. Returns the gateway, the
/// token and, per report, its beacon block and event proof.
pub fn backing_reports(total_eth_whole: &[u64]) -> (H160, H160, Vec<(BeaconBlock, EventProof)>) {
	let mut eth = Ethereum::new();
	let Deployment { token, source, gateway } = deploy(&mut eth, 0);
	open_deposits(&mut eth, gateway, token);
	eth.seal();
	let mut reports = Vec::new();
	for (i, total) in total_eth_whole.iter().enumerate() {
		let set = setCall { totalEth: ether(*total), stakes: stakes_of(*total) }.abi_encode();
		assert!(eth.call(OWNER, source, set).success);
		let report = eth.call(USER, gateway, reportBackingCall { lrt: token }.abi_encode());
		assert!(report.success, "report reverted");
		let block = eth.seal();
		let beacon = BeaconBlock::new(SYNTHETIC_SLOT + 32 * i as u64, &block);
		let log = report.logs.iter().find(|log| log.address == gateway).expect("event");
		let proof = beacon.event_proof(log, report.tx_index);
		reports.push((beacon, proof));
	}
	(H160::from(gateway.0 .0), H160::from(token.0 .0), reports)
}

/// EigenLayer's AllocationManager (the mock emitting the real event) slashing `operator` by
/// `wad` (1e18 = all) in `strategy`, in a finalized block. Returns the manager's address, the
/// beacon block and the event proof.
pub fn avs_slashing(operator: H160, strategy: H160, wad: U256) -> (H160, BeaconBlock, EventProof) {
	let mut eth = Ethereum::new();
	let manager = eth.deploy(OWNER, "MockAllocationManager", &[]);
	eth.seal();
	let slash = eth.call(
		OWNER,
		manager,
		slashOperatorCall {
			operator: Address::from(operator.0),
			operatorSet: OperatorSet { avs: Address::repeat_byte(0xa5), id: 1 },
			strategies: vec![Address::from(strategy.0)],
			wadSlashed: vec![wad],
			description: "equivocation".into(),
		}
		.abi_encode(),
	);
	assert!(slash.success, "slashOperator reverted");
	let block = eth.seal();
	let beacon = BeaconBlock::new(SYNTHETIC_SLOT, &block);
	let proof = beacon.event_proof(&slash.logs[0], slash.tx_index);
	(H160::from(manager.0 .0), beacon, proof)
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
	let Deployment { token, gateway, .. } = deploy(&mut eth, total_eth_whole);
	open_deposits(&mut eth, gateway, token);
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

/// One finalized block holding a deposit, a backing report and an EigenLayer slashing of the
/// LRT's larger operator (0x0a…, 10% of the strategy 0xbe…): everything the bridge and the
/// valuation verify, for end-to-end tests on a real node.
pub struct Story {
	/// The beacon block carrying the Ethereum block.
	pub beacon: BeaconBlock,
	/// Proof of the gateway's `Deposited` event.
	pub deposit: EventProof,
	/// Proof of the gateway's `BackingReported` event.
	pub report: EventProof,
	/// Proof of the `AllocationManager`'s `OperatorSlashed` event.
	pub slashing: EventProof,
	/// The gateway contract's address.
	pub gateway: H160,
	/// The LRT's ERC-20 address.
	pub token: H160,
	/// The (mock) `AllocationManager`'s address.
	pub allocation_manager: H160,
}

/// The [`Story`]: `USER` deposits `amount_whole` tokens for `recipient`, the backing
/// (`total_eth_whole` ETH) is reported, and an AVS slashes operator 0x0a… by 10%, all in one
/// block at `SYNTHETIC_SLOT`.
pub fn story(recipient: [u8; 32], amount_whole: u64, total_eth_whole: u64) -> Story {
	story_in_block(recipient, amount_whole, total_eth_whole, None).0
}

/// The ETH leg of [`story_with_eth`]: the WETH token the gateway wraps ETH into, and the proof
/// of the `Deposited` event of a `depositEth` in the story's block.
pub struct EthLeg {
	/// The WETH token's address (the `Deposited` event's token: Ballast mints bridged ETH for
	/// it).
	pub weth: H160,
	/// Proof of the gateway's `Deposited(WETH, USER, eth_recipient, eth_amount, nonce)` event.
	pub eth_deposit: EventProof,
}

/// The [`Story`], and in the same block (its last transaction) `USER` depositing
/// `eth_amount_whole` native ETH for `eth_recipient` through `depositEth` (the gateway wraps it
/// into WETH, listed with `setWeth`). The story's own contracts and events are as in [`story`].
pub fn story_with_eth(
	recipient: [u8; 32],
	amount_whole: u64,
	total_eth_whole: u64,
	eth_recipient: [u8; 32],
	eth_amount_whole: u64,
) -> (Story, EthLeg) {
	let (story, leg) = story_in_block(
		recipient,
		amount_whole,
		total_eth_whole,
		Some((eth_recipient, eth_amount_whole)),
	);
	(story, leg.expect("the ETH leg was asked for"))
}

fn story_in_block(
	recipient: [u8; 32],
	amount_whole: u64,
	total_eth_whole: u64,
	eth_deposit: Option<([u8; 32], u64)>,
) -> (Story, Option<EthLeg>) {
	let mut eth = Ethereum::new();
	let Deployment { token, gateway, .. } = deploy(&mut eth, total_eth_whole);
	let manager = eth.deploy(OWNER, "MockAllocationManager", &[]);
	// Deployed after the story's contracts, so their addresses do not depend on the ETH leg.
	let weth = eth_deposit.map(|_| {
		let weth = eth.deploy(OWNER, "MockWeth9", &[]);
		assert!(eth.call(OWNER, gateway, setWethCall { weth }.abi_encode()).success);
		weth
	});
	open_deposits(&mut eth, gateway, token);
	if let Some(weth) = weth {
		open_deposits(&mut eth, gateway, weth);
	}
	eth.seal();
	let deposit = eth.call(
		USER,
		gateway,
		depositCall { lrt: token, amount: ether(amount_whole), recipient: recipient.into() }
			.abi_encode(),
	);
	let report = eth.call(USER, gateway, reportBackingCall { lrt: token }.abi_encode());
	let slash = eth.call(
		OWNER,
		manager,
		slashOperatorCall {
			operator: Address::repeat_byte(0x0a),
			operatorSet: OperatorSet { avs: Address::repeat_byte(0xa5), id: 1 },
			strategies: vec![Address::repeat_byte(0xbe)],
			wadSlashed: vec![U256::from(10u64).pow(U256::from(17u64))],
			description: "equivocation".into(),
		}
		.abi_encode(),
	);
	assert!(deposit.success && report.success && slash.success, "a call reverted");
	let eth_deposit = eth_deposit.map(|(eth_recipient, whole)| {
		eth.fund(USER, ether(whole));
		let result = eth.call_with_value(
			USER,
			gateway,
			ether(whole),
			depositEthCall { recipient: eth_recipient.into() }.abi_encode(),
		);
		assert!(result.success, "depositEth reverted: {:?}", result.output);
		result
	});
	let block = eth.seal();
	let beacon = BeaconBlock::new(SYNTHETIC_SLOT, &block);
	let of = |result: &crate::TxResult, emitter: Address| {
		let log = result.logs.iter().find(|log| log.address == emitter).expect("event");
		beacon.event_proof(log, result.tx_index)
	};
	let leg = eth_deposit.zip(weth).map(|(result, weth)| EthLeg {
		weth: H160::from(weth.0 .0),
		eth_deposit: of(&result, gateway),
	});
	let story = Story {
		deposit: of(&deposit, gateway),
		report: of(&report, gateway),
		slashing: of(&slash, manager),
		beacon,
		gateway: H160::from(gateway.0 .0),
		token: H160::from(token.0 .0),
		allocation_manager: H160::from(manager.0 .0),
	};
	(story, leg)
}

/// One LRT valued through its real adapter: the gateway, configured with the adapter over the
/// protocol's mocks, reported its backing in a finalized block.
pub struct AdapterReport {
	/// The LRT's symbol (`ezETH`, `rsETH`, `weETH`, `rswETH`).
	pub name: &'static str,
	/// The LRT's ERC-20 address.
	pub token: H160,
	/// The gateway's address (one gateway lists all four).
	pub gateway: H160,
	/// The adapter's address.
	pub adapter: H160,
	/// The beacon block carrying the Ethereum block (the same block for all four reports).
	pub beacon: BeaconBlock,
	/// Proof of the gateway's `BackingReported` event.
	pub report: EventProof,
	/// The ETH backing the whole supply by the protocol's own books (computed from the
	/// protocol's functions, not the adapter's), which the event carries.
	pub total_eth: u128,
	/// The LRT's total supply, which the event carries.
	pub total_supply: u128,
	/// The protocol's own rate (1e18 = 1 ETH per token) on the same state:
	/// `total_eth · 1e18 / total_supply` is at most this and within 1 of it.
	pub protocol_rate: u128,
}

/// EigenLayer, one gateway and the four LRTs (ezETH, rsETH, weETH, rswETH), each with its
/// protocol's mocks and its adapter, listed in the gateway with deposits open, in a block not
/// yet sealed: the deployment [`adapter_reports`] reports from (the same addresses and books for
/// every caller).
pub fn adapters_deployed() -> (Ethereum, Address, Vec<Protocol>) {
	let mut eth = Ethereum::new();
	let el = protocols::deploy_eigenlayer(&mut eth);
	let gateway = eth.deploy(
		OWNER,
		"BallastGateway",
		&constructorCall { owner: OWNER, beefyClient: BEEFY_CLIENT }.abi_encode(),
	);
	let deployed: Vec<Protocol> =
		Lrt::ALL.iter().map(|lrt| protocols::deploy(&mut eth, &el, *lrt)).collect();
	for protocol in &deployed {
		let configure = configureLrtCall {
			lrt: protocol.token,
			backingSource: protocol.adapter,
			depositsOpen: false,
		};
		assert!(eth.call(OWNER, gateway, configure.abi_encode()).success, "configureLrt");
		open_deposits(&mut eth, gateway, protocol.token);
	}
	(eth, gateway, deployed)
}

/// Each of the four LRTs (ezETH, rsETH, weETH, rswETH; see [`protocols::deploy`] for their
/// states) listed in one gateway with its adapter, and in one block at `SYNTHETIC_SLOT` each
/// one's backing reported: what a runtime test needs to value an LRT through each adapter
/// (Ethereum event → proof → rate).
pub fn adapter_reports() -> Vec<AdapterReport> {
	let (mut eth, gateway, deployed) = adapters_deployed();
	eth.seal();
	let mut reports = Vec::new();
	for protocol in &deployed {
		let total_eth = protocols::expected_total_eth(&mut eth, protocol);
		let total_supply = protocols::supply(&mut eth, protocol);
		let rate = protocols::protocol_rate(&mut eth, protocol).expect("the protocol's rate");
		let report =
			eth.call(USER, gateway, reportBackingCall { lrt: protocol.token }.abi_encode());
		assert!(report.success, "{} report reverted: {:?}", protocol.lrt.name(), report.output);
		reports.push((protocol, report, total_eth, total_supply, rate));
	}
	let block = eth.seal();
	let beacon = BeaconBlock::new(SYNTHETIC_SLOT, &block);
	let u128_of = |value: U256| u128::try_from(value).expect("fits Ballast's amounts");
	reports
		.into_iter()
		.map(|(protocol, report, total_eth, total_supply, rate)| {
			let log = report.logs.iter().find(|log| log.address == gateway).expect("event");
			let decoded = ballast_gateway::BackingReport::from_log(&crate::beacon::to_log(
				log,
				report.tx_index,
			))
			.expect("a BackingReported event");
			assert_eq!(decoded.total_eth, u128_of(total_eth), "{}", protocol.lrt.name());
			assert_eq!(decoded.total_supply, u128_of(total_supply), "{}", protocol.lrt.name());
			AdapterReport {
				name: protocol.lrt.name(),
				token: H160::from(protocol.token.0 .0),
				gateway: H160::from(gateway.0 .0),
				adapter: H160::from(protocol.adapter.0 .0),
				report: beacon.event_proof(log, report.tx_index),
				beacon: beacon.clone(),
				total_eth: u128_of(total_eth),
				total_supply: u128_of(total_supply),
				protocol_rate: u128_of(rate),
			}
		})
		.collect()
}
