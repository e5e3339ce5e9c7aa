// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {OperatorStake, IBackingSource} from "../BallastGateway.sol";

/// A minimal ERC-20 standing in for an LRT in tests.
contract MockLrt {
    string public name;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    constructor(string memory name_) {
        name = name_;
    }

    function mint(address to, uint256 amount) external {
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        balanceOf[msg.sender] -= amount;
        balanceOf[to] += amount;
        emit Transfer(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        allowance[from][msg.sender] -= amount;
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
        return true;
    }
}

/// An LRT's accounting as a test sets it, for the one LRT it names (the gateway lists a source
/// only for the LRT it names).
contract MockBackingSource is IBackingSource {
    address public immutable lrt;
    uint256 public totalEth;
    OperatorStake[] internal stakes;

    constructor(address lrt_) {
        lrt = lrt_;
    }

    function set(uint256 totalEth_, OperatorStake[] calldata stakes_) external {
        totalEth = totalEth_;
        delete stakes;
        for (uint256 i = 0; i < stakes_.length; i++) {
            stakes.push(stakes_[i]);
        }
    }

    function operatorStakes() external view returns (OperatorStake[] memory) {
        return stakes;
    }
}

/// EigenLayer's AllocationManager event, emitted as the real contract emits it when an AVS
/// slashes an operator (`OperatorSlashed(address,(address,uint32),address[],uint256[],string)`).
contract MockAllocationManager {
    struct OperatorSet {
        address avs;
        uint32 id;
    }

    event OperatorSlashed(
        address operator, OperatorSet operatorSet, address[] strategies, uint256[] wadSlashed, string description
    );

    function slashOperator(
        address operator,
        OperatorSet calldata operatorSet,
        address[] calldata strategies,
        uint256[] calldata wadSlashed,
        string calldata description
    ) external {
        emit OperatorSlashed(operator, operatorSet, strategies, wadSlashed, description);
    }
}

interface IReportBacking {
    function reportBacking(address lrt) external returns (uint64);
}

interface IQueuedEth {
    function addQueuedEth(uint256 amount) external;
}

/// An attacker's contract: inflates an LRT's books (as a flash-loaned donation would) and asks
/// the gateway for a report inside the same transaction. The gateway must refuse it.
contract MockFlashReporter {
    function inflateAndReport(IReportBacking gateway, address lrt, IQueuedEth restakeManager, uint256 amount)
        external
        returns (uint64)
    {
        restakeManager.addQueuedEth(amount);
        return gateway.reportBacking(lrt);
    }
}
