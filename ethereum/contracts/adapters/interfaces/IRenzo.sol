// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IEigenLayerDelegationManager} from "./IEigenLayer.sol";

/// Renzo's RestakeManager (ezETH), as published in Renzo-Protocol/contracts-public
/// `contracts/RestakeManager.sol`, `contracts/RestakeManagerStorage.sol` and
/// `contracts/IRestakeManager.sol`.
interface IRenzoRestakeManager {
    /// Per OperatorDelegator and token, per OperatorDelegator, and in total: the ETH value of
    /// everything Renzo holds (restaked in EigenLayer, queued for withdrawal, in the deposit and
    /// withdraw queues). Reverts while an OperatorDelegator is undelegated or has an EigenPod
    /// checkpoint it has not recorded, and when an LST price is stale.
    function calculateTVLs() external view returns (uint256[][] memory, uint256[] memory, uint256);
    function getOperatorDelegatorsLength() external view returns (uint256);
    function operatorDelegators(uint256 index) external view returns (address);
    /// Deposits and withdrawals stopped by Renzo's pauser.
    function paused() external view returns (bool);
    function ezETH() external view returns (address);
    function delegationManager() external view returns (IEigenLayerDelegationManager);
}
