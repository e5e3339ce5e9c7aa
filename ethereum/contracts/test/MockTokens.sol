// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// WETH9 as deployed on mainnet, in behaviour: `deposit` (and plain ETH) wraps 1:1, `withdraw`
/// unwraps, the supply is the ETH held, and an allowance of 2^256-1 is never spent.
contract MockWeth9 {
    string public constant name = "Wrapped Ether";
    string public constant symbol = "WETH";
    uint8 public constant decimals = 18;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Approval(address indexed owner, address indexed spender, uint256 value);
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Deposit(address indexed to, uint256 value);
    event Withdrawal(address indexed from, uint256 value);

    receive() external payable {
        deposit();
    }

    function deposit() public payable {
        balanceOf[msg.sender] += msg.value;
        emit Deposit(msg.sender, msg.value);
    }

    function withdraw(uint256 amount) external {
        require(balanceOf[msg.sender] >= amount, "balance");
        balanceOf[msg.sender] -= amount;
        (bool ok,) = msg.sender.call{value: amount}("");
        require(ok, "send");
        emit Withdrawal(msg.sender, amount);
    }

    function totalSupply() external view returns (uint256) {
        return address(this).balance;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        return transferFrom(msg.sender, to, amount);
    }

    function transferFrom(address from, address to, uint256 amount) public returns (bool) {
        require(balanceOf[from] >= amount, "balance");
        if (from != msg.sender && allowance[from][msg.sender] != type(uint256).max) {
            require(allowance[from][msg.sender] >= amount, "allowance");
            allowance[from][msg.sender] -= amount;
        }
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
        return true;
    }
}

/// A token that burns `feeBps` of every transfer (the sender pays the amount, the recipient gets
/// the amount less the fee), as some deflationary tokens do.
contract MockFeeToken is ERC20 {
    uint256 public feeBps;

    constructor(uint256 feeBps_) ERC20("Fee on transfer", "FEE") {
        feeBps = feeBps_;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setFee(uint256 feeBps_) external {
        feeBps = feeBps_;
    }

    function _update(address from, address to, uint256 value) internal override {
        uint256 fee = from == address(0) || to == address(0) ? 0 : value * feeBps / 10_000;
        super._update(from, to, value - fee);
        if (fee != 0) super._update(from, address(0), fee);
    }
}

/// A token with a transfer hook (as ERC-777 and some ERC-20s have): every transfer (and mint)
/// first calls `hookTarget` with `hookData`, once (not from inside its own hook), and bubbles up
/// the call's revert. It can also make any call itself (`execute`), so a test can make it the
/// gateway's owner and have its hook re-enter as that role.
contract MockHookToken is ERC20 {
    address public hookTarget;
    bytes public hookData;
    bool private hooking;

    constructor() ERC20("Hooked", "HOOK") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// The call every later transfer makes first (a zero target: none).
    function setHook(address target, bytes calldata data) external {
        hookTarget = target;
        hookData = data;
    }

    function execute(address target, bytes calldata data) external returns (bytes memory) {
        (bool ok, bytes memory result) = target.call(data);
        if (!ok) _bubble(result);
        return result;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (hookTarget != address(0) && !hooking) {
            hooking = true;
            (bool ok, bytes memory result) = hookTarget.call(hookData);
            if (!ok) _bubble(result);
            hooking = false;
        }
        super._update(from, to, value);
    }

    function _bubble(bytes memory revertData) private pure {
        assembly {
            revert(add(revertData, 32), mload(revertData))
        }
    }
}
