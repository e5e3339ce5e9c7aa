// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IEigenLayerDelegationManager} from "./IEigenLayer.sol";

/// Swell's rswETH contracts, as published in SwellNetwork/v3-core-public
/// `contracts/lrt/contracts/interfaces/IrswETH.sol`, `.../interfaces/IAccessControlManager.sol`
/// and `.../interfaces/IEigenLayerManager.sol` (implementations in `.../implementations/`).
interface ISwellAccessControlManager {
    /// Deposits (and the other core methods) stopped by Swell's pauser.
    function coreMethodsPaused() external view returns (bool);
}

interface ISwellRswEth {
    /// rswETH → ETH (1e18), fixed by the repricing oracle's last `reprice` (1:1 before any).
    function getRate() external view returns (uint256);
    function totalSupply() external view returns (uint256);
    /// Held by rswETH's `Whitelist` base.
    function AccessControlManager() external view returns (ISwellAccessControlManager);
}

interface ISwellEigenLayerManager {
    /// The newest staker id; stakers are numbered from 1.
    function stakeId() external view returns (uint256);
    /// A StakerProxy: one of Swell's EigenLayer stakers, each with its EigenPod.
    function stakerProxyAddresses(uint256 stakerId) external view returns (address);
    function DelegationManager() external view returns (IEigenLayerDelegationManager);
}
