// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {OperatorStake} from "../BallastGateway.sol";
import {EigenLayerBackingSource} from "./EigenLayerBackingSource.sol";
import {IEigenLayerDelegationManager} from "./interfaces/IEigenLayer.sol";
import {IKelpLrtConfig, IKelpLrtDepositPool, IKelpLrtOracle} from "./interfaces/IKelp.sol";

/// rsETH (Kelp DAO). Calls Kelp-DAO/LRT-rsETH `contracts/LRTConfig.sol` (`rsETH`,
/// `getSupportedAssetList`), `contracts/LRTOracle.sol` (`rsETHPrice`, `getAssetPrice`) and
/// `contracts/LRTDepositPool.sol` (`getTotalAssetDeposits`, `getNodeDelegatorQueue`, `paused`);
/// interfaces in `./interfaces/IKelp.sol`; and EigenLayer's DelegationManager.
///
/// totalEth = min(rsETHPrice × supply, Σ getTotalAssetDeposits(asset) × getAssetPrice(asset)):
/// the stored price is what rsETH redeems at (`LRTWithdrawalManager` pays `rsETHPrice / assetPrice`
/// per rsETH), the sum is what Kelp holds now (`LRTOracle._getTotalEthInProtocol`, before the
/// protocol fee `updateRSETHPrice` takes on a rise). Right after `updateRSETHPrice` the two agree
/// (the fee is minted as rsETH); between updates rewards raise only the sum (the lower, stored
/// figure is reported, and the fee is not counted twice), and a loss lowers only the sum (Kelp's
/// update reverts on a move beyond `pricePercentageLimit`, freezing the stored price too high):
/// the lesser is what holders can count on.
contract KelpBackingSource is EigenLayerBackingSource {
    IKelpLrtConfig public immutable config;
    IKelpLrtOracle public immutable oracle;
    IKelpLrtDepositPool public immutable depositPool;
    IEigenLayerDelegationManager public immutable delegationManager;

    constructor(
        IKelpLrtConfig config_,
        IKelpLrtOracle oracle_,
        IKelpLrtDepositPool depositPool_,
        IEigenLayerDelegationManager delegationManager_
    ) {
        config = config_;
        oracle = oracle_;
        depositPool = depositPool_;
        delegationManager = delegationManager_;
    }

    function lrt() public view override returns (address) {
        return config.rsETH();
    }

    function totalEth() external view returns (uint256) {
        if (depositPool.paused()) revert ProtocolPaused();
        uint256 atStoredPrice = Math.mulDiv(oracle.rsETHPrice(), IERC20(config.rsETH()).totalSupply(), 1e18);
        return Math.min(atStoredPrice, heldNow());
    }

    /// Σ deposits × price over Kelp's supported assets, in wei (rounded down once, at the end,
    /// as `LRTOracle` sums at 1e36 before dividing).
    function heldNow() public view returns (uint256) {
        address[] memory assets = config.getSupportedAssetList();
        uint256 total;
        for (uint256 i = 0; i < assets.length; i++) {
            total += depositPool.getTotalAssetDeposits(assets[i]) * oracle.getAssetPrice(assets[i]);
        }
        return total / 1e18;
    }

    /// Delegations: each NodeDelegator is one EigenLayer staker.
    function operatorStakes() external view returns (OperatorStake[] memory) {
        return _stakesOf(delegationManager, depositPool.getNodeDelegatorQueue());
    }
}
