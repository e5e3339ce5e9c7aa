//! The contracts' functions as tests call them (ABI encodings from alloy's `sol!`): the gateway,
//! the mock LRT, its backing source and EigenLayer's AllocationManager mock at the top level;
//! each protocol's mocks, WETH and the adapters in their own module (their names overlap).
//! The gateway's release path (`release`, its proofs' structs and errors) is declared once in
//! `ballast_gateway::release::abi`, re-exported here; the replacement of its BEEFY client
//! (`announceBeefyClient`, its events and errors) is declared here.

pub use ballast_gateway::release::abi::{
	beefyClientCall, mmrLeafHashCall, releaseCall, releasedCall, InvalidMMRLeafProof,
	InvalidWithdrawalProof, MMRLeaf, Withdrawal,
};

alloy_sol_types::sol! {
	struct OperatorStake { address operator; address strategy; uint256 shares; }
	struct OperatorSet { address avs; uint32 id; }

	// BallastGateway
	constructor(address owner, address beefyClient);
	function configureLrt(address lrt, address backingSource, bool depositsOpen);
	function deposit(address lrt, uint256 amount, bytes32 recipient) returns (uint64);
	function reportBacking(address lrt) returns (uint64);
	function depositEth(bytes32 recipient) payable returns (uint64);
	function setWeth(address weth);
	function setGuardian(address guardian);
	function pause();
	function unpause();
	function pauseReleases();
	function unpauseReleases();
	function setDepositsOpen(address token, bool open);
	function setDepositLimits(address token, uint256 minDeposit, uint256 maxDeposit);
	function setReleaseLimit(address token, uint256 limit, uint64 window);
	function announceBackingSource(address lrt, address backingSource);
	function cancelBackingSource(address lrt);
	function applyBackingSource(address lrt);
	function announceBeefyClient(address next);
	function cancelBeefyClient();
	function applyBeefyClient();
	function pendingBeefyClient() returns (address);
	function pendingBeefyClientAt() returns (uint64);
	function BEEFY_CLIENT_DELAY() returns (uint64);
	function refundDeposit(uint64 depositNonce, address lrt, address sender, uint256 amount, uint64 depositedAt);
	function skim(address token, address to);
	function locked(address token) returns (uint256);
	function releaseRoom(address token) returns (uint256);
	function nonce() returns (uint64);
	function owner() returns (address);
	function pendingOwner() returns (address);
	function transferOwnership(address newOwner);
	function acceptOwnership();
	function paused() returns (bool);
	function depositRecords(uint64 depositNonce) returns (bytes32);
	function renounceOwnership();

	// BallastGateway's errors (and OpenZeppelin's it raises)
	error NotGuardian();
	error ZeroAddress();
	error NotExternallyOwned();
	error UnknownLrt(address lrt);
	error NotAnLrt(address token);
	error AlreadyListed(address token);
	error DepositsClosed(address lrt);
	error ZeroAmount();
	error ZeroRecipient();
	error WethNotSet();
	error DepositTooSmall(uint256 amount, uint256 minDeposit);
	error DepositTooLarge(uint256 amount, uint256 maxDeposit);
	error AlreadyReleased(uint64 withdrawalNonce);
	error MoreThanLocked(uint256 amount, uint256 locked);
	error ReleasesPaused();
	error ReleaseLimitExceeded(uint256 amount, uint256 room);
	error UnexpectedBalanceChange(uint256 expected, uint256 actual);
	error SourceChangeNeedsAnnouncement(address lrt);
	error SourceForAnotherLrt(address source, address lrt);
	error SourceNamesNoLrt(address source);
	error DepositLimitsNotSet(address token);
	error OwnershipCannotBeRenounced();
	error InvalidLimits();
	error ReentrancyGuardReentrantCall();
	error NoPendingSource(address lrt);
	error SourceChangeNotDue(uint64 effectiveAt);
	error UnknownDeposit(uint64 depositNonce);
	error RefundNotDue(uint64 refundableAt);
	error OwnableUnauthorizedAccount(address account);
	error EnforcedPause();
	error InvalidBeefyClient(address beefyClient);
	error NoPendingBeefyClient();
	error BeefyClientChangeNotDue(uint64 effectiveAt);

	// BallastGateway's BEEFY client replacement (configuration events: no nonce, nothing on
	// Ballast acts on them)
	event BeefyClientAnnounced(address beefyClient, uint64 effectiveAt);
	event BeefyClientChangeCancelled(address beefyClient);
	event BeefyClientChanged(address previous, address beefyClient);

	// MockLrt (and the other ERC-20s)
	function mint(address to, uint256 amount);
	function approve(address spender, uint256 amount) returns (bool);
	function balanceOf(address who) returns (uint256);
	function totalSupply() returns (uint256);
	function transfer(address to, uint256 amount) returns (bool);

	// MockBackingSource (its constructor takes the LRT it names)
	function set(uint256 totalEth, OperatorStake[] stakes);

	// MockAllocationManager
	function slashOperator(address operator, OperatorSet operatorSet, address[] strategies, uint256[] wadSlashed, string description);
}

/// WETH9, the fee-on-transfer token and the token with a transfer hook.
pub mod tokens {
	alloy_sol_types::sol! {
		function deposit() payable;
		function withdraw(uint256 amount);
		function setFee(uint256 feeBps);
		function setHook(address target, bytes data);
		function execute(address target, bytes data) returns (bytes);
	}
}

/// Every adapter's `IBackingSource` (and what they add).
pub mod adapter {
	alloy_sol_types::sol! {
		#[derive(Debug, PartialEq, Eq)]
		struct OperatorStake { address operator; address strategy; uint256 shares; }
		function totalEth() returns (uint256);
		function operatorStakes() returns (OperatorStake[]);
		function lrt() returns (address);
		function heldNow() returns (uint256);
		error ProtocolPaused();
		error TooManyStakes();
	}
}

/// EigenLayer's DelegationManager and strategy mocks.
pub mod eigenlayer {
	alloy_sol_types::sol! {
		function delegate(address staker, address operator);
		function setDepositShares(address staker, address strategy, uint256 shares);
		function slash(address operator, address strategy, uint256 wad);
		function setExchangeRate(uint256 rate);
		function getWithdrawableShares(address staker, address[] strategies) returns (uint256[] withdrawable, uint256[] deposited);
	}
}

/// Renzo's mocks (RestakeManager, BalancerRateProvider).
pub mod renzo {
	alloy_sol_types::sol! {
		function addOperatorDelegator(address od);
		function setPaused(bool paused);
		function setCheckpointPending(bool pending);
		function setLstPriceStale(bool stale);
		function addQueuedEth(uint256 amount);
		function stakeQueuedEth(uint256 amount);
		function depositETH() payable;
		function calculateTVLs() returns (uint256[][] tokenTvls, uint256[] odTvls, uint256 totalTvl);
		function getRate() returns (uint256);
		error CheckpointNotRecorded();
		error OraclePriceExpired();
	}
}

/// Kelp's mocks (LRTConfig, LRTDepositPool, LRTOracle).
pub mod kelp {
	alloy_sol_types::sol! {
		function addAsset(address asset);
		function setProtocolFeeInBPS(uint256 bps);
		function setOracle(address oracle);
		function addNodeDelegator(address nodeDelegator);
		function setPaused(bool paused);
		function setTotalAssetDeposits(address asset, uint256 amount);
		function getTotalAssetDeposits(address asset) returns (uint256);
		function depositETH(uint256 minRSETHAmountExpected, string referralId) payable;
		function setAssetPrice(address asset, uint256 price);
		function setPricePercentageLimit(uint256 limit);
		function updateRSETHPrice();
		function rsETHPrice() returns (uint256);
		error RSETHPriceExceedsLimit();
	}
}

/// ether.fi's mocks (LiquidityPool, eETH, weETH).
pub mod etherfi {
	alloy_sol_types::sol! {
		function setPaused(bool paused);
		function setPausedUntil(uint256 until);
		function deposit() payable returns (uint256);
		function rebase(int128 accruedRewards);
		function wrap(uint256 eEthAmount) returns (uint256);
		function getRate() returns (uint256);
		function amountForShare(uint256 share) returns (uint256);
		function getTotalPooledEther() returns (uint256);
		function totalShares() returns (uint256);
	}
}

/// Swell's mocks (rswETH, AccessControlManager, EigenLayerManager).
pub mod swell {
	alloy_sol_types::sol! {
		function setCoreMethodsPaused(bool paused);
		function deposit() payable;
		function reprice(uint256 preRewardETHReserves, uint256 newETHRewards, uint256 rswETHTotalSupply);
		function getRate() returns (uint256);
		function addStaker(address stakerProxy);
	}
}

/// The attacker's contract reporting inside its own transaction.
pub mod flash {
	alloy_sol_types::sol! {
		function inflateAndReport(address gateway, address lrt, address restakeManager, uint256 amount) returns (uint64);
	}
}
