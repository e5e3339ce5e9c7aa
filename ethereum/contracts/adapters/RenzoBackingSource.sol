// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {OperatorStake} from "../BallastGateway.sol";
import {EigenLayerBackingSource} from "./EigenLayerBackingSource.sol";
import {IRenzoRestakeManager} from "./interfaces/IRenzo.sol";

/// ezETH (Renzo). Calls Renzo-Protocol/contracts-public `contracts/RestakeManager.sol`
/// (`calculateTVLs`, `operatorDelegators`, `paused`, `ezETH`, `delegationManager`; interface in
/// `./interfaces/IRenzo.sol`) and EigenLayer's DelegationManager.
///
/// totalEth = `calculateTVLs().totalTVL`, so `totalEth / ezETH.totalSupply()` is Renzo's own rate
/// (`contracts/RateProvider/BalancerRateProvider.sol` `getRate`) and its redemption price
/// (`contracts/Oracle/RenzoOracle.sol` `calculateRedeemAmount = TVL × burned / supply`).
/// Delegations: each OperatorDelegator is one EigenLayer staker.
contract RenzoBackingSource is EigenLayerBackingSource {
    IRenzoRestakeManager public immutable restakeManager;

    constructor(IRenzoRestakeManager restakeManager_) {
        restakeManager = restakeManager_;
    }

    function lrt() public view override returns (address) {
        return restakeManager.ezETH();
    }

    /// Renzo's TVL. Reverts while Renzo is paused, and (in `calculateTVLs` itself) while an
    /// OperatorDelegator has an EigenPod checkpoint it has not recorded or an LST price is stale:
    /// Renzo's own guards against a half-updated TVL.
    function totalEth() external view returns (uint256) {
        if (restakeManager.paused()) revert ProtocolPaused();
        (,, uint256 totalTvl) = restakeManager.calculateTVLs();
        return totalTvl;
    }

    function operatorStakes() external view returns (OperatorStake[] memory) {
        uint256 count = restakeManager.getOperatorDelegatorsLength();
        address[] memory stakers = new address[](count);
        for (uint256 i = 0; i < count; i++) {
            stakers[i] = restakeManager.operatorDelegators(i);
        }
        return _stakesOf(restakeManager.delegationManager(), stakers);
    }
}
