//! The four LRT protocols as the adapters read them: each protocol's mocks (reproducing its
//! published interface and accounting) deployed with its `IBackingSource` adapter, over one
//! EigenLayer `DelegationManager` mock, and brought to a realistic state through the protocol's
//! own deposit, reward and repricing paths.

use crate::calls::{self, adapter, eigenlayer, etherfi, kelp, renzo, swell};
use crate::{evm::ether, Ethereum};
use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolCall, SolValue};

/// Deploys the mocks and drives their protocol-side setters.
pub const DEPLOYER: Address = Address::repeat_byte(0x01);
/// Holds ETH and the LRTs minted through the protocols' own deposits.
pub const HOLDER: Address = Address::repeat_byte(0x03);
/// EigenLayer's `beaconChainETHStrategy` (its shares are wei).
pub const BEACON_CHAIN_ETH_STRATEGY: Address =
	alloy_primitives::address!("beaC0eeEeeeeEEeEeEEEEeeEEeEeeeEeeEEBEaC0");
/// Kelp's `LRTConstants.ETH_TOKEN`.
pub const KELP_ETH_TOKEN: Address =
	alloy_primitives::address!("EeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE");

/// An LRT's own rate function, as the protocol publishes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lrt {
	/// Renzo: `BalancerRateProvider.getRate()` = `1e18 · calculateTVLs().totalTVL / supply`.
	EzEth,
	/// Kelp: `LRTOracle.rsETHPrice()`.
	RsEth,
	/// ether.fi: `weETH.getRate()` = `LiquidityPool.amountForShare(1e18)`.
	WeEth,
	/// Swell: `rswETH.getRate()`.
	RswEth,
}

impl Lrt {
	/// All four, in a fixed order.
	pub const ALL: [Lrt; 4] = [Lrt::EzEth, Lrt::RsEth, Lrt::WeEth, Lrt::RswEth];

	/// The token's symbol.
	pub fn name(self) -> &'static str {
		match self {
			Lrt::EzEth => "ezETH",
			Lrt::RsEth => "rsETH",
			Lrt::WeEth => "weETH",
			Lrt::RswEth => "rswETH",
		}
	}
}

/// One protocol deployed: its LRT, its adapter, and the contracts the tests drive.
#[derive(Clone, Copy, Debug)]
pub struct Protocol {
	/// Which LRT.
	pub lrt: Lrt,
	/// The LRT's ERC-20.
	pub token: Address,
	/// Its `IBackingSource` adapter.
	pub adapter: Address,
	/// The contract whose function is the protocol's own rate (see [`Lrt`]).
	pub rate_source: Address,
	/// The contract the tests pause, update and reward: Renzo's RestakeManager, Kelp's deposit
	/// pool, ether.fi's LiquidityPool, Swell's AccessControlManager.
	pub books: Address,
	/// Kelp's LRTOracle; ether.fi's eETH; unused otherwise (zero).
	pub other: Address,
	/// The EigenLayer stakers whose delegations the adapter reports.
	pub stakers: [Address; 2],
}

/// EigenLayer: the DelegationManager mock and an LST strategy (stETH-like, 1.15 per share).
#[derive(Clone, Copy, Debug)]
pub struct EigenLayer {
	/// `MockDelegationManager`.
	pub delegation_manager: Address,
	/// An LST strategy (`MockStrategy`).
	pub lst_strategy: Address,
}

/// Sends a call that must succeed.
pub fn ok(eth: &mut Ethereum, from: Address, to: Address, data: Vec<u8>) {
	let result = eth.call(from, to, data);
	assert!(result.success, "a setup call to {to} reverted: {:?}", result.output);
}

fn ok_paying(eth: &mut Ethereum, from: Address, to: Address, value: U256, data: Vec<u8>) {
	let result = eth.call_with_value(from, to, value, data);
	assert!(result.success, "a paying call to {to} reverted: {:?}", result.output);
}

/// `whole` ETH and `thousandths` more, in wei.
pub fn eth_amount(whole: u64, thousandths: u64) -> U256 {
	ether(whole) + U256::from(thousandths) * U256::from(10u64).pow(U256::from(15u64))
}

/// Deploys EigenLayer's mocks.
pub fn deploy_eigenlayer(eth: &mut Ethereum) -> EigenLayer {
	let delegation_manager = eth.deploy(DEPLOYER, "MockDelegationManager", &[]);
	let lst_strategy = eth.deploy(DEPLOYER, "MockStrategy", &[]);
	ok(
		eth,
		DEPLOYER,
		lst_strategy,
		eigenlayer::setExchangeRateCall { rate: eth_amount(1, 150) }.abi_encode(),
	);
	EigenLayer { delegation_manager, lst_strategy }
}

/// Delegates `staker` to `operator` with `beacon_wei` of beacon-chain ETH shares.
pub fn stake(
	eth: &mut Ethereum,
	el: &EigenLayer,
	staker: Address,
	operator: Address,
	beacon_wei: U256,
) {
	let dm = el.delegation_manager;
	ok(eth, DEPLOYER, dm, eigenlayer::delegateCall { staker, operator }.abi_encode());
	ok(
		eth,
		DEPLOYER,
		dm,
		eigenlayer::setDepositSharesCall {
			staker,
			strategy: BEACON_CHAIN_ETH_STRATEGY,
			shares: beacon_wei,
		}
		.abi_encode(),
	);
}

fn staker(lrt: Lrt, i: u8) -> Address {
	let mut bytes = [0u8; 20];
	bytes[0] = 0x5e;
	bytes[1] = lrt as u8;
	bytes[19] = i;
	Address::from(bytes)
}

/// An EigenLayer operator (distinct per `i`).
pub fn operator(i: u8) -> Address {
	let mut bytes = [0x0a; 20];
	bytes[19] = i;
	Address::from(bytes)
}

/// Deploys `lrt`'s protocol and adapter, `HOLDER` funded and depositing through the protocol:
/// - ezETH: 1,000 ETH deposited, 900 staked (540 + 360 to two operators), 31.4 ETH of rewards
///   in the deposit queue, then 7 ETH more deposited at the new rate (Renzo's rounding);
/// - rsETH: 1,000 ETH deposited, rewards to 1,030 held, `updateRSETHPrice` with a 10% fee;
/// - weETH: 1,000 ETH deposited, a +34.5 ETH rebase, 800 eETH wrapped into weETH;
/// - rswETH: 1,000 ETH deposited, repriced with 45 ETH of rewards, 10 ETH more deposited; its
///   two stakers share one operator (one merged stake).
pub fn deploy(eth: &mut Ethereum, el: &EigenLayer, lrt: Lrt) -> Protocol {
	eth.fund(HOLDER, ether(10_000));
	let dm = el.delegation_manager;
	let stakers = [staker(lrt, 1), staker(lrt, 2)];
	match lrt {
		Lrt::EzEth => {
			let token =
				eth.deploy(DEPLOYER, "MockLrt", &("ezETH".to_string(),).abi_encode_params());
			let rm = eth.deploy(DEPLOYER, "MockRestakeManager", &(token, dm).abi_encode_params());
			let rate_source =
				eth.deploy(DEPLOYER, "MockRenzoRateProvider", &(rm,).abi_encode_params());
			let adapter = eth.deploy(DEPLOYER, "RenzoBackingSource", &(rm,).abi_encode_params());
			// Renzo values nothing while an OperatorDelegator is undelegated.
			for (i, od) in stakers.into_iter().enumerate() {
				ok(eth, DEPLOYER, rm, renzo::addOperatorDelegatorCall { od }.abi_encode());
				stake(eth, el, od, operator(1 + i as u8), U256::ZERO);
			}
			ok_paying(eth, HOLDER, rm, ether(1_000), renzo::depositETHCall {}.abi_encode());
			ok(eth, DEPLOYER, rm, renzo::stakeQueuedEthCall { amount: ether(900) }.abi_encode());
			stake(eth, el, stakers[0], operator(1), ether(540));
			stake(eth, el, stakers[1], operator(2), ether(360));
			ok(
				eth,
				DEPLOYER,
				rm,
				renzo::addQueuedEthCall { amount: eth_amount(31, 400) }.abi_encode(),
			);
			ok_paying(eth, HOLDER, rm, ether(7), renzo::depositETHCall {}.abi_encode());
			Protocol { lrt, token, adapter, rate_source, books: rm, other: Address::ZERO, stakers }
		},
		Lrt::RsEth => {
			let token =
				eth.deploy(DEPLOYER, "MockLrt", &("rsETH".to_string(),).abi_encode_params());
			let config = eth.deploy(DEPLOYER, "MockKelpConfig", &(token,).abi_encode_params());
			let pool = eth.deploy(DEPLOYER, "MockKelpDepositPool", &(config,).abi_encode_params());
			let treasury = Address::repeat_byte(0x7e);
			let oracle = eth.deploy(
				DEPLOYER,
				"MockKelpOracle",
				&(config, pool, treasury).abi_encode_params(),
			);
			let adapter = eth.deploy(
				DEPLOYER,
				"KelpBackingSource",
				&(config, oracle, pool, dm).abi_encode_params(),
			);
			ok(eth, DEPLOYER, pool, kelp::setOracleCall { oracle }.abi_encode());
			ok(
				eth,
				DEPLOYER,
				config,
				kelp::setProtocolFeeInBPSCall { bps: U256::from(1_000) }.abi_encode(),
			);
			for nd in stakers {
				ok(
					eth,
					DEPLOYER,
					pool,
					kelp::addNodeDelegatorCall { nodeDelegator: nd }.abi_encode(),
				);
			}
			ok_paying(
				eth,
				HOLDER,
				pool,
				ether(1_000),
				kelp::depositETHCall {
					minRSETHAmountExpected: U256::ZERO,
					referralId: String::new(),
				}
				.abi_encode(),
			);
			stake(eth, el, stakers[0], operator(3), ether(600));
			stake(eth, el, stakers[1], operator(4), ether(400));
			ok(
				eth,
				DEPLOYER,
				pool,
				kelp::setTotalAssetDepositsCall { asset: KELP_ETH_TOKEN, amount: ether(1_030) }
					.abi_encode(),
			);
			ok(eth, DEPLOYER, oracle, kelp::updateRSETHPriceCall {}.abi_encode());
			Protocol {
				lrt,
				token,
				adapter,
				rate_source: oracle,
				books: pool,
				other: oracle,
				stakers,
			}
		},
		Lrt::WeEth => {
			let eeth = eth.deploy(DEPLOYER, "MockEEth", &[]);
			let pool =
				eth.deploy(DEPLOYER, "MockEtherFiLiquidityPool", &(eeth,).abi_encode_params());
			let token = eth.deploy(DEPLOYER, "MockWeEth", &(pool,).abi_encode_params());
			let adapter = eth.deploy(
				DEPLOYER,
				"EtherFiBackingSource",
				&(token, dm, stakers.to_vec()).abi_encode_params(),
			);
			ok_paying(eth, HOLDER, pool, ether(1_000), etherfi::depositCall {}.abi_encode());
			ok(
				eth,
				DEPLOYER,
				pool,
				etherfi::rebaseCall { accruedRewards: 34_500_000_000_000_000_000i128 }.abi_encode(),
			);
			ok(eth, HOLDER, token, etherfi::wrapCall { eEthAmount: ether(800) }.abi_encode());
			stake(eth, el, stakers[0], operator(1), ether(600));
			stake(eth, el, stakers[1], operator(5), eth_amount(434, 500));
			Protocol { lrt, token, adapter, rate_source: token, books: pool, other: eeth, stakers }
		},
		Lrt::RswEth => {
			let acm = eth.deploy(DEPLOYER, "MockSwellAccessControlManager", &[]);
			let token = eth.deploy(DEPLOYER, "MockRswEth", &(acm,).abi_encode_params());
			let elm =
				eth.deploy(DEPLOYER, "MockSwellEigenLayerManager", &(dm,).abi_encode_params());
			let adapter =
				eth.deploy(DEPLOYER, "SwellBackingSource", &(token, elm).abi_encode_params());
			for staker in stakers {
				ok(eth, DEPLOYER, elm, swell::addStakerCall { stakerProxy: staker }.abi_encode());
			}
			ok_paying(eth, HOLDER, token, ether(1_000), swell::depositCall {}.abi_encode());
			ok(
				eth,
				DEPLOYER,
				token,
				swell::repriceCall {
					preRewardETHReserves: ether(1_000),
					newETHRewards: ether(45),
					rswETHTotalSupply: ether(1_000),
				}
				.abi_encode(),
			);
			ok_paying(eth, HOLDER, token, ether(10), swell::depositCall {}.abi_encode());
			stake(eth, el, stakers[0], operator(6), ether(500));
			stake(eth, el, stakers[1], operator(6), ether(545));
			Protocol { lrt, token, adapter, rate_source: token, books: acm, other: elm, stakers }
		},
	}
}

/// Reads a declared function's return (a view that must not revert).
pub fn read<C: SolCall>(eth: &mut Ethereum, to: Address, call: C) -> C::Return {
	eth.read(to, call).unwrap_or_else(|revert| panic!("a read of {to} reverted: {revert:?}"))
}

/// The LRT's supply.
pub fn supply(eth: &mut Ethereum, protocol: &Protocol) -> U256 {
	read(eth, protocol.token, calls::totalSupplyCall {})
}

/// The protocol's own rate (1e18 = 1 ETH per token), from its own rate function.
pub fn protocol_rate(
	eth: &mut Ethereum,
	protocol: &Protocol,
) -> Result<U256, alloy_primitives::Bytes> {
	let source = protocol.rate_source;
	match protocol.lrt {
		Lrt::EzEth => eth.read(source, renzo::getRateCall {}),
		Lrt::RsEth => eth.read(source, kelp::rsETHPriceCall {}),
		Lrt::WeEth => eth.read(source, etherfi::getRateCall {}),
		Lrt::RswEth => eth.read(source, swell::getRateCall {}),
	}
}

/// The ETH backing the whole supply by the protocol's own books, computed here from the
/// protocol's functions (not the adapter's): Renzo's TVL; Kelp's stored price × supply, or what
/// it holds if less; ether.fi's `amountForShare(weETH supply)`; Swell's rate × supply.
pub fn expected_total_eth(eth: &mut Ethereum, protocol: &Protocol) -> U256 {
	let supply = supply(eth, protocol);
	let unit = ether(1);
	match protocol.lrt {
		Lrt::EzEth => read(eth, protocol.books, renzo::calculateTVLsCall {}).totalTvl,
		Lrt::RsEth => {
			let price = read(eth, protocol.other, kelp::rsETHPriceCall {});
			let held = read(
				eth,
				protocol.books,
				kelp::getTotalAssetDepositsCall { asset: KELP_ETH_TOKEN },
			);
			(price * supply / unit).min(held)
		},
		Lrt::WeEth => read(eth, protocol.books, etherfi::amountForShareCall { share: supply }),
		Lrt::RswEth => read(eth, protocol.token, swell::getRateCall {}) * supply / unit,
	}
}

/// The adapter's `totalEth()`, or its revert data.
pub fn adapter_total_eth(
	eth: &mut Ethereum,
	protocol: &Protocol,
) -> Result<U256, alloy_primitives::Bytes> {
	eth.read(protocol.adapter, adapter::totalEthCall {})
}
