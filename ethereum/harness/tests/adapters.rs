//! The four backing adapters over their protocols' mocks: each reports what its protocol's own
//! rate function gives on the same state, refuses paused and half-updated protocols, reports
//! zero supplies as they are (Ballast refuses them), rounds down, and lists its EigenLayer
//! delegations after slashing. The gateway reports only from an externally owned account's own
//! transaction.

use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolCall, SolConstructor, SolValue};
use ballast_ethereum_harness::calls::{
	self, adapter, eigenlayer, etherfi, flash, kelp, renzo, swell,
};
use ballast_ethereum_harness::evm::{deployed_size, ether, is_error, ARTIFACTS};
use ballast_ethereum_harness::protocols::{self, *};
use ballast_ethereum_harness::{beacon::to_log, scenarios, Ethereum};
use ballast_gateway::BackingReport;

const OWNER: Address = DEPLOYER;

struct Setup {
	eth: Ethereum,
	el: EigenLayer,
	protocol: Protocol,
	gateway: Address,
}

fn setup(lrt: Lrt) -> Setup {
	let mut eth = Ethereum::new();
	let el = deploy_eigenlayer(&mut eth);
	let protocol = protocols::deploy(&mut eth, &el, lrt);
	let gateway = eth.deploy(
		OWNER,
		"BallastGateway",
		&calls::constructorCall { owner: OWNER, beefyClient: scenarios::BEEFY_CLIENT }.abi_encode(),
	);
	let configure = calls::configureLrtCall {
		lrt: protocol.token,
		backingSource: protocol.adapter,
		depositsOpen: false,
	};
	assert!(eth.call(OWNER, gateway, configure.abi_encode()).success);
	Setup { eth, el, protocol, gateway }
}

impl Setup {
	fn total_eth(&mut self) -> Result<U256, alloy_primitives::Bytes> {
		adapter_total_eth(&mut self.eth, &self.protocol)
	}

	fn rate(&mut self) -> U256 {
		protocol_rate(&mut self.eth, &self.protocol).expect("the protocol's rate")
	}

	fn supply(&mut self) -> U256 {
		supply(&mut self.eth, &self.protocol)
	}

	fn stakes(&mut self) -> Vec<adapter::OperatorStake> {
		self.eth.read(self.protocol.adapter, adapter::operatorStakesCall {}).expect("stakes")
	}

	/// The gateway's report, decoded as Ballast decodes it.
	fn report(&mut self) -> Result<BackingReport, alloy_primitives::Bytes> {
		let call = calls::reportBackingCall { lrt: self.protocol.token };
		let result = self.eth.call(HOLDER, self.gateway, call.abi_encode());
		if !result.success {
			return Err(result.output);
		}
		let log = result.logs.iter().find(|log| log.address == self.gateway).expect("event");
		Ok(BackingReport::from_log(&to_log(log, result.tx_index)).expect("BackingReported"))
	}

	fn ok(&mut self, to: Address, call: impl SolCall) {
		ok(&mut self.eth, DEPLOYER, to, call.abi_encode());
	}

	/// The adapter's rate is the protocol's own: at most it (both round down) and within one
	/// (1e-18 ETH per token).
	fn assert_rate_is_the_protocols(&mut self) {
		let name = self.protocol.lrt.name();
		let total_eth = self.total_eth().expect("totalEth");
		let supply = self.supply();
		let ours = total_eth * ether(1) / supply;
		let theirs = self.rate();
		assert!(ours <= theirs && theirs - ours <= U256::from(1), "{name}: {ours} vs {theirs}");
		assert_eq!(total_eth, expected_total_eth(&mut self.eth, &self.protocol), "{name}");
		let report = self.report().expect("a report");
		assert_eq!(U256::from(report.total_eth), total_eth, "{name}");
		assert_eq!(U256::from(report.total_supply), supply, "{name}");
	}
}

fn stake_of(stakes: &[adapter::OperatorStake], operator: Address) -> Option<U256> {
	stakes.iter().find(|stake| stake.operator == operator).map(|stake| stake.shares)
}

#[test]
fn each_adapter_reports_its_protocols_own_rate() {
	for lrt in Lrt::ALL {
		let mut setup = setup(lrt);
		setup.assert_rate_is_the_protocols();
		let rate = setup.rate();
		assert!(rate > ether(1) && rate < ether(11) / U256::from(10), "{}: {rate}", lrt.name());
	}
}

#[test]
fn the_scenario_reports_each_adapter_in_one_proven_block() {
	let reports = ballast_ethereum_harness::scenarios::adapter_reports();
	let names: Vec<_> = reports.iter().map(|report| report.name).collect();
	assert_eq!(names, ["ezETH", "rsETH", "weETH", "rswETH"]);
	let block = reports[0].report.proof.execution_proof.execution_header.block_hash();
	for report in &reports {
		println!(
			"{}: totalEth {} / totalSupply {} (protocol rate {})",
			report.name, report.total_eth, report.total_supply, report.protocol_rate
		);
		let decoded = BackingReport::from_log(&report.report.event_log).expect("BackingReported");
		assert_eq!((decoded.token, decoded.total_eth), (report.token, report.total_eth));
		assert_eq!(decoded.total_supply, report.total_supply);
		assert_eq!(report.report.event_log.address, report.gateway);
		assert_eq!(report.report.proof.execution_proof.execution_header.block_hash(), block);
		let ours = U256::from(report.total_eth) * ether(1) / U256::from(report.total_supply);
		let theirs = U256::from(report.protocol_rate);
		assert!(ours <= theirs && theirs - ours <= U256::from(1), "{}", report.name);
		assert!(!decoded.stakes.is_empty(), "{}", report.name);
	}
}

#[test]
fn renzo_is_not_reported_paused_or_mid_update() {
	let mut setup = setup(Lrt::EzEth);
	let rm = setup.protocol.books;
	setup.ok(rm, renzo::setPausedCall { paused: true });
	assert!(is_error::<adapter::ProtocolPaused>(&setup.total_eth().unwrap_err()));
	assert!(is_error::<adapter::ProtocolPaused>(&setup.report().unwrap_err()));
	setup.ok(rm, renzo::setPausedCall { paused: false });
	setup.ok(rm, renzo::setCheckpointPendingCall { pending: true });
	assert!(is_error::<renzo::CheckpointNotRecorded>(&setup.report().unwrap_err()));
	setup.ok(rm, renzo::setCheckpointPendingCall { pending: false });
	setup.ok(rm, renzo::setLstPriceStaleCall { stale: true });
	assert!(is_error::<renzo::OraclePriceExpired>(&setup.report().unwrap_err()));
	setup.ok(rm, renzo::setLstPriceStaleCall { stale: false });
	assert!(setup.report().is_ok());
}

#[test]
fn renzo_deposits_and_slashes_move_the_rate_as_renzo_does() {
	let mut setup = setup(Lrt::EzEth);
	let rm = setup.protocol.books;
	// Renzo's mint rounds down twice: odd deposits nudge the rate up by dust; still equal.
	for wei in [1u64, 999_999_999_999, 3_333_333_333_333_333_333] {
		let deposit = setup.eth.call_with_value(
			HOLDER,
			rm,
			U256::from(wei),
			renzo::depositETHCall {}.abi_encode(),
		);
		assert!(deposit.success);
		setup.assert_rate_is_the_protocols();
	}
	// An AVS slashes operator 1 by 10% in beacon-chain ETH: its stake and the TVL both fall.
	let before = setup.total_eth().expect("totalEth");
	let dm = setup.el.delegation_manager;
	setup.ok(
		dm,
		eigenlayer::slashCall {
			operator: operator(1),
			strategy: BEACON_CHAIN_ETH_STRATEGY,
			wad: ether(1) / U256::from(10),
		},
	);
	assert_eq!(stake_of(&setup.stakes(), operator(1)), Some(ether(486)));
	assert_eq!(before - setup.total_eth().expect("totalEth"), ether(54));
	setup.assert_rate_is_the_protocols();
	// LST shares are reported at their underlying amount (the strategy's 1.15 per share).
	let lst = setup.el.lst_strategy;
	let od = setup.protocol.stakers[1];
	setup
		.ok(dm, eigenlayer::setDepositSharesCall { staker: od, strategy: lst, shares: ether(100) });
	let stakes = setup.stakes();
	let lst_stake = stakes.iter().find(|stake| stake.strategy == lst).expect("the LST stake");
	assert_eq!((lst_stake.operator, lst_stake.shares), (operator(2), ether(115)));
	setup.assert_rate_is_the_protocols();
}

#[test]
fn renzo_with_no_supply_reports_zero_supply() {
	let mut eth = Ethereum::new();
	let el = deploy_eigenlayer(&mut eth);
	let token = eth.deploy(DEPLOYER, "MockLrt", &("ezETH".to_string(),).abi_encode_params());
	let rm = eth.deploy(
		DEPLOYER,
		"MockRestakeManager",
		&(token, el.delegation_manager).abi_encode_params(),
	);
	let adapter = eth.deploy(DEPLOYER, "RenzoBackingSource", &(rm,).abi_encode_params());
	let rate_provider = eth.deploy(DEPLOYER, "MockRenzoRateProvider", &(rm,).abi_encode_params());
	assert_eq!(eth.read(adapter, adapter::totalEthCall {}).expect("totalEth"), U256::ZERO);
	assert!(
		eth.read(rate_provider, renzo::getRateCall {}).is_err(),
		"Renzo's own rate refuses zero"
	);
	let gateway = eth.deploy(
		OWNER,
		"BallastGateway",
		&calls::constructorCall { owner: OWNER, beefyClient: scenarios::BEEFY_CLIENT }.abi_encode(),
	);
	let configure =
		calls::configureLrtCall { lrt: token, backingSource: adapter, depositsOpen: false };
	assert!(eth.call(OWNER, gateway, configure.abi_encode()).success);
	let report = eth.call(HOLDER, gateway, calls::reportBackingCall { lrt: token }.abi_encode());
	let decoded =
		BackingReport::from_log(&to_log(&report.logs[0], report.tx_index)).expect("report");
	assert_eq!(
		(decoded.total_eth, decoded.total_supply),
		(0, 0),
		"Ballast refuses it (ZeroSupply)"
	);
}

#[test]
fn kelp_reports_the_lesser_of_its_stored_price_and_its_holdings() {
	let mut setup = setup(Lrt::RsEth);
	let (pool, oracle) = (setup.protocol.books, setup.protocol.other);
	let supply = setup.supply();
	let price = setup.rate();
	// Rewards not yet priced: the stored price is reported (the fee is not counted in).
	let rewards = kelp::setTotalAssetDepositsCall { asset: KELP_ETH_TOKEN, amount: ether(1_040) };
	setup.ok(pool, rewards);
	assert_eq!(setup.total_eth().expect("totalEth"), price * supply / ether(1));
	setup.assert_rate_is_the_protocols();
	setup.ok(oracle, kelp::updateRSETHPriceCall {});
	assert!(setup.rate() > price);
	setup.assert_rate_is_the_protocols();
	// A loss beyond Kelp's limit: its update reverts and its stored price stays too high; the
	// adapter reports what Kelp still holds.
	setup.ok(oracle, kelp::setPricePercentageLimitCall { limit: U256::from(2) });
	let loss = kelp::setTotalAssetDepositsCall { asset: KELP_ETH_TOKEN, amount: ether(980) };
	setup.ok(pool, loss);
	let update = setup.eth.call(DEPLOYER, oracle, kelp::updateRSETHPriceCall {}.abi_encode());
	assert!(update.reverted_with::<kelp::RSETHPriceExceedsLimit>());
	assert_eq!(setup.total_eth().expect("totalEth"), ether(980));
	assert!(setup.total_eth().expect("totalEth") * ether(1) / setup.supply() < setup.rate());
	assert_eq!(U256::from(setup.report().expect("report").total_eth), ether(980));
	// Paused: no report.
	setup.ok(pool, kelp::setPausedCall { paused: true });
	assert!(is_error::<adapter::ProtocolPaused>(&setup.report().unwrap_err()));
}

#[test]
fn kelp_counts_every_asset_at_its_price() {
	let mut setup = setup(Lrt::RsEth);
	let (pool, oracle) = (setup.protocol.books, setup.protocol.other);
	let lst = Address::repeat_byte(0x57);
	let config = setup.eth.read(setup.protocol.adapter, kelp_views::configCall {}).expect("config");
	setup.ok(config, kelp::addAssetCall { asset: lst });
	let price = ether(1) + ether(1) / U256::from(10);
	setup.ok(oracle, kelp::setAssetPriceCall { asset: lst, price });
	setup.ok(pool, kelp::setTotalAssetDepositsCall { asset: lst, amount: ether(100) });
	let held = setup.eth.read(setup.protocol.adapter, adapter::heldNowCall {}).expect("held");
	assert_eq!(held, ether(1_030) + ether(110));
	setup.ok(oracle, kelp::updateRSETHPriceCall {});
	setup.assert_rate_is_the_protocols_with_held(held);
}

/// `KelpBackingSource.config()`.
mod kelp_views {
	alloy_sol_types::sol! {
		function config() returns (address);
	}
}

impl Setup {
	/// Kelp with more assets than ETH: the adapter's rate against the stored price, and its
	/// holdings as given.
	fn assert_rate_is_the_protocols_with_held(&mut self, held: U256) {
		let total_eth = self.total_eth().expect("totalEth");
		let supply = self.supply();
		let theirs = self.rate();
		assert!(total_eth <= held);
		let ours = total_eth * ether(1) / supply;
		assert!(ours <= theirs && theirs - ours <= U256::from(1), "{ours} vs {theirs}");
	}
}

#[test]
fn weeth_is_valued_by_the_eeth_shares_it_wraps() {
	let mut setup = setup(Lrt::WeEth);
	let pool = setup.protocol.books;
	let eeth = setup.protocol.other;
	// weETH's supply is the eETH shares it holds.
	let weeth = setup.protocol.token;
	let shares_held = setup.eth.read(eeth, eeth::sharesCall { who: weeth }).expect("shares");
	assert_eq!(shares_held, setup.supply());
	// Ugly numbers: both sides round down; the adapter is never above weETH's rate.
	for rewards in [1i128, 7_777_777_777_777_777_777, -3_000_000_000_000_000_001] {
		setup.ok(pool, etherfi::rebaseCall { accruedRewards: rewards });
		setup.assert_rate_is_the_protocols();
	}
	// More deposits and wraps at the new rate leave it where it is.
	let deposit =
		setup.eth.call_with_value(HOLDER, pool, ether(123), etherfi::depositCall {}.abi_encode());
	assert!(deposit.success);
	let token = setup.protocol.token;
	ok(&mut setup.eth, HOLDER, token, etherfi::wrapCall { eEthAmount: ether(100) }.abi_encode());
	setup.assert_rate_is_the_protocols();
}

#[test]
fn weeth_is_not_reported_while_ether_fi_is_paused() {
	let mut setup = setup(Lrt::WeEth);
	let pool = setup.protocol.books;
	setup.ok(pool, etherfi::setPausedCall { paused: true });
	assert!(is_error::<adapter::ProtocolPaused>(&setup.report().unwrap_err()));
	setup.ok(pool, etherfi::setPausedCall { paused: false });
	let until = setup.eth.timestamp() + 3_600;
	setup.ok(pool, etherfi::setPausedUntilCall { until: U256::from(until) });
	assert!(is_error::<adapter::ProtocolPaused>(&setup.report().unwrap_err()));
	setup.eth.advance_time(3_601);
	assert!(setup.report().is_ok(), "the timed pause ends by itself");
}

#[test]
fn weeth_with_no_eeth_shares_reports_zero() {
	let mut eth = Ethereum::new();
	let el = deploy_eigenlayer(&mut eth);
	let eeth = eth.deploy(DEPLOYER, "MockEEth", &[]);
	let pool = eth.deploy(DEPLOYER, "MockEtherFiLiquidityPool", &(eeth,).abi_encode_params());
	let token = eth.deploy(DEPLOYER, "MockWeEth", &(pool,).abi_encode_params());
	let adapter = eth.deploy(
		DEPLOYER,
		"EtherFiBackingSource",
		&(token, el.delegation_manager, Vec::<Address>::new()).abi_encode_params(),
	);
	assert_eq!(eth.read(adapter, adapter::totalEthCall {}).expect("totalEth"), U256::ZERO);
	assert_eq!(eth.read(token, etherfi::getRateCall {}).expect("rate"), U256::ZERO);
	assert!(eth.read(adapter, adapter::operatorStakesCall {}).expect("stakes").is_empty());
}

/// `eETH.shares(who)`.
mod eeth {
	alloy_sol_types::sol! {
		function shares(address who) returns (uint256);
	}
}

#[test]
fn rsweth_is_its_repriced_rate_times_supply() {
	let mut setup = setup(Lrt::RswEth);
	let token = setup.protocol.token;
	let supply = setup.supply();
	let reprice = swell::repriceCall {
		preRewardETHReserves: ether(1_055),
		newETHRewards: U256::from(1),
		rswETHTotalSupply: supply,
	};
	setup.ok(token, reprice);
	setup.assert_rate_is_the_protocols();
	// Two stakers delegated to one operator are one stake.
	let stakes = setup.stakes();
	assert_eq!(stakes.len(), 1);
	assert_eq!((stakes[0].operator, stakes[0].shares), (operator(6), ether(1_045)));
	let acm = setup.protocol.books;
	setup.ok(acm, swell::setCoreMethodsPausedCall { paused: true });
	assert!(is_error::<adapter::ProtocolPaused>(&setup.report().unwrap_err()));
}

#[test]
fn rsweth_with_no_supply_reports_zero() {
	let mut eth = Ethereum::new();
	let el = deploy_eigenlayer(&mut eth);
	let acm = eth.deploy(DEPLOYER, "MockSwellAccessControlManager", &[]);
	let token = eth.deploy(DEPLOYER, "MockRswEth", &(acm,).abi_encode_params());
	let elm = eth.deploy(
		DEPLOYER,
		"MockSwellEigenLayerManager",
		&(el.delegation_manager,).abi_encode_params(),
	);
	let adapter = eth.deploy(DEPLOYER, "SwellBackingSource", &(token, elm).abi_encode_params());
	assert_eq!(eth.read(adapter, adapter::totalEthCall {}).expect("totalEth"), U256::ZERO);
	assert_eq!(
		eth.read(token, swell::getRateCall {}).expect("rate"),
		ether(1),
		"1:1 before any reprice"
	);
}

#[test]
fn undelegated_stakers_and_slashed_stakes_are_reported_as_eigenlayer_has_them() {
	let mut setup = setup(Lrt::RsEth);
	let dm = setup.el.delegation_manager;
	let second = setup.protocol.stakers[1];
	setup.ok(
		dm,
		eigenlayer::slashCall {
			operator: operator(3),
			strategy: BEACON_CHAIN_ETH_STRATEGY,
			wad: ether(1) / U256::from(4),
		},
	);
	setup.ok(
		dm,
		eigenlayer::slashCall {
			operator: operator(3),
			strategy: BEACON_CHAIN_ETH_STRATEGY,
			wad: ether(1) / U256::from(2),
		},
	);
	// 600 × 3/4 × 1/2 = 225.
	assert_eq!(stake_of(&setup.stakes(), operator(3)), Some(ether(225)));
	setup.ok(dm, eigenlayer::delegateCall { staker: second, operator: Address::ZERO });
	let stakes = setup.stakes();
	assert_eq!(stakes.len(), 1, "an undelegated staker is exposed to no operator");
	let report = setup.report().expect("report");
	assert_eq!(report.stakes.len(), 1);
	assert_eq!(report.stakes[0].shares, 225 * 10u128.pow(18));
}

#[test]
fn more_stakes_than_ballast_keeps_are_refused_not_cut() {
	let mut setup = setup(Lrt::EzEth);
	let rm = setup.protocol.books;
	let el = setup.el;
	// Two stakes already (operators 1 and 2); 62 more reach Ballast's 64.
	for i in 0..62u8 {
		let od = Address::from([0xd0, i, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
		stake(&mut setup.eth, &el, od, operator(100 + i), ether(1));
		setup.ok(rm, renzo::addOperatorDelegatorCall { od });
	}
	assert_eq!(setup.stakes().len(), 64, "64 (operator, strategy) pairs fit");
	let od = Address::repeat_byte(0xd1);
	stake(&mut setup.eth, &el, od, operator(250), ether(1));
	setup.ok(rm, renzo::addOperatorDelegatorCall { od });
	let refused =
		setup.eth.read(setup.protocol.adapter, adapter::operatorStakesCall {}).unwrap_err();
	assert!(is_error::<adapter::TooManyStakes>(&refused));
	assert!(is_error::<adapter::TooManyStakes>(&setup.report().unwrap_err()));
}

#[test]
fn a_report_inside_another_contracts_transaction_is_refused() {
	let mut setup = setup(Lrt::EzEth);
	let attacker = setup.eth.deploy(HOLDER, "MockFlashReporter", &[]);
	let call = flash::inflateAndReportCall {
		gateway: setup.gateway,
		lrt: setup.protocol.token,
		restakeManager: setup.protocol.books,
		amount: ether(500),
	};
	let attempt = setup.eth.call(HOLDER, attacker, call.abi_encode());
	assert!(attempt.reverted_with::<calls::NotExternallyOwned>(), "{:?}", attempt.output);
	// The inflation was undone with the transaction; a report from the account itself is fine.
	setup.assert_rate_is_the_protocols();
}

#[test]
fn an_adapter_for_another_lrt_is_refused() {
	let mut eth = Ethereum::new();
	let el = deploy_eigenlayer(&mut eth);
	let renzo = protocols::deploy(&mut eth, &el, Lrt::EzEth);
	let kelp = protocols::deploy(&mut eth, &el, Lrt::RsEth);
	let gateway = eth.deploy(
		OWNER,
		"BallastGateway",
		&calls::constructorCall { owner: OWNER, beefyClient: scenarios::BEEFY_CLIENT }.abi_encode(),
	);
	let wrong = calls::configureLrtCall {
		lrt: renzo.token,
		backingSource: kelp.adapter,
		depositsOpen: false,
	};
	assert!(eth
		.call(OWNER, gateway, wrong.abi_encode())
		.reverted_with::<calls::SourceForAnotherLrt>());
	let right = calls::configureLrtCall {
		lrt: renzo.token,
		backingSource: renzo.adapter,
		depositsOpen: false,
	};
	assert!(eth.call(OWNER, gateway, right.abi_encode()).success);
	let announce =
		calls::announceBackingSourceCall { lrt: renzo.token, backingSource: kelp.adapter };
	assert!(eth
		.call(OWNER, gateway, announce.abi_encode())
		.reverted_with::<calls::SourceForAnotherLrt>());
}

#[test]
fn every_contract_fits_ethereums_code_size_limit() {
	for name in ARTIFACTS {
		let size = deployed_size(name);
		println!("{name}: {size} bytes deployed");
		assert!(size <= 24_576, "{name} is {size} bytes (EIP-170: 24,576)");
	}
}
