// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IEigenLayerDelegationManager, IEigenLayerStrategy, BEACON_CHAIN_ETH_STRATEGY} from "../adapters/interfaces/IEigenLayer.sol";
import {MockLrt} from "./Mocks.sol";

/// Renzo's RestakeManager as `RenzoBackingSource` reads it (Renzo-Protocol/contracts-public
/// `contracts/RestakeManager.sol`): the TVL is every OperatorDelegator's withdrawable EigenLayer
/// shares (LSTs valued 1:1 with ETH here) plus the ETH in Renzo's queues, and `calculateTVLs`
/// reverts as Renzo's does mid-update. `depositETH` mints ezETH with `RenzoOracle`'s formula.
contract MockRestakeManager {
    error ContractPaused();
    error OperatoDelegatorNotDelegated();
    error CheckpointNotRecorded();
    error OraclePriceExpired();

    MockLrt public immutable ezETH;
    IEigenLayerDelegationManager public immutable delegationManager;
    address[] public operatorDelegators;
    bool public paused;
    /// An OperatorDelegator's EigenPod completed a checkpoint the OperatorDelegator has not
    /// recorded (Renzo's `_checkCheckpointSync` reverts `getStakedETHBalance`).
    bool public checkpointPending;
    /// An LST's Chainlink price is older than Renzo accepts (`RenzoOracle.lookupTokenValue`).
    bool public lstPriceStale;
    /// ETH in the deposit and withdraw queues.
    uint256 public queuedEth;

    constructor(MockLrt ezETH_, IEigenLayerDelegationManager delegationManager_) {
        ezETH = ezETH_;
        delegationManager = delegationManager_;
    }

    function addOperatorDelegator(address od) external {
        operatorDelegators.push(od);
    }

    function setPaused(bool paused_) external {
        paused = paused_;
    }

    function setCheckpointPending(bool pending) external {
        checkpointPending = pending;
    }

    function setLstPriceStale(bool stale) external {
        lstPriceStale = stale;
    }

    /// Rewards (or anything else) arriving in the deposit queue.
    function addQueuedEth(uint256 amount) external {
        queuedEth += amount;
    }

    /// Queued ETH leaving for validators (the test credits the EigenPod's shares).
    function stakeQueuedEth(uint256 amount) external {
        queuedEth -= amount;
    }

    function getOperatorDelegatorsLength() external view returns (uint256) {
        return operatorDelegators.length;
    }

    function calculateTVLs() public view returns (uint256[][] memory, uint256[] memory, uint256) {
        uint256[][] memory tokenTvls = new uint256[][](operatorDelegators.length);
        uint256[] memory odTvls = new uint256[](operatorDelegators.length);
        uint256 total;
        if (checkpointPending) revert CheckpointNotRecorded();
        if (lstPriceStale) revert OraclePriceExpired();
        for (uint256 i = 0; i < operatorDelegators.length; i++) {
            address od = operatorDelegators[i];
            if (delegationManager.delegatedTo(od) == address(0)) revert OperatoDelegatorNotDelegated();
            (IEigenLayerStrategy[] memory strategies,) = delegationManager.getDepositedShares(od);
            (uint256[] memory shares,) = delegationManager.getWithdrawableShares(od, strategies);
            tokenTvls[i] = new uint256[](strategies.length);
            for (uint256 j = 0; j < strategies.length; j++) {
                uint256 value = address(strategies[j]) == BEACON_CHAIN_ETH_STRATEGY
                    ? shares[j]
                    : strategies[j].sharesToUnderlyingView(shares[j]);
                tokenTvls[i][j] = value;
                odTvls[i] += value;
            }
            total += odTvls[i];
        }
        return (tokenTvls, odTvls, total + queuedEth);
    }

    /// Renzo's deposit: ezETH minted by `RenzoOracle.calculateMintAmount` (the supply grows by the
    /// deposit's share of the new TVL, rounded down twice), the ETH queued.
    function depositETH() external payable {
        if (paused) revert ContractPaused();
        (,, uint256 tvl) = calculateTVLs();
        uint256 supply = ezETH.totalSupply();
        uint256 mint;
        if (tvl == 0 || supply == 0) {
            mint = msg.value;
        } else {
            uint256 inflation = 1e18 * msg.value / (tvl + msg.value);
            mint = supply * 1e18 / (1e18 - inflation) - supply;
        }
        queuedEth += msg.value;
        ezETH.mint(msg.sender, mint);
    }
}

/// Renzo's own rate: `contracts/RateProvider/BalancerRateProvider.sol` `getRate`.
contract MockRenzoRateProvider {
    error InvalidZeroInput();

    MockRestakeManager public immutable restakeManager;

    constructor(MockRestakeManager restakeManager_) {
        restakeManager = restakeManager_;
    }

    function getRate() external view returns (uint256) {
        (,, uint256 totalTvl) = restakeManager.calculateTVLs();
        uint256 totalSupply = restakeManager.ezETH().totalSupply();
        if (totalSupply == 0 || totalTvl == 0) revert InvalidZeroInput();
        return 10 ** 18 * totalTvl / totalSupply;
    }
}
