//! The contracts' functions as tests call them (ABI encodings from alloy's `sol!`): the gateway,
//! the mock LRT, its backing source and EigenLayer's AllocationManager mock.

alloy_sol_types::sol! {
	struct OperatorStake { address operator; address strategy; uint256 shares; }
	struct OperatorSet { address avs; uint32 id; }

	// BallastGateway
	constructor(address owner, address releaser);
	function configureLrt(address lrt, address backingSource, bool depositsOpen);
	function deposit(address lrt, uint256 amount, bytes32 recipient) returns (uint64);
	function reportBacking(address lrt) returns (uint64);
	function release(address lrt, address recipient, uint256 amount, uint64 withdrawalNonce);

	// MockLrt
	function mint(address to, uint256 amount);
	function approve(address spender, uint256 amount) returns (bool);
	function balanceOf(address who) returns (uint256);

	// MockBackingSource
	function set(uint256 totalEth, OperatorStake[] stakes);

	// MockAllocationManager
	function slashOperator(address operator, OperatorSet operatorSet, address[] strategies, uint256[] wadSlashed, string description);
}
