// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IEigenLayerDelegationManager} from "../adapters/interfaces/IEigenLayer.sol";

/// Swell's AccessControlManager (SwellNetwork/v3-core-public
/// `contracts/lrt/contracts/implementations/AccessControlManager.sol`): the core pause.
contract MockSwellAccessControlManager {
    bool public coreMethodsPaused;

    function setCoreMethodsPaused(bool paused) external {
        coreMethodsPaused = paused;
    }
}

/// rswETH (`.../implementations/RswETH.sol`): the rate fixed by `reprice` (1:1 before the first),
/// deposits minting at it (`amount × 1e18 / rate`, rounded down). `reprice` here leaves out the
/// reward fees and the bounds: they decide the rate, the adapter only reads it.
contract MockRswEth is ERC20 {
    error CoreMethodsPaused();

    MockSwellAccessControlManager public immutable AccessControlManager;
    uint256 internal rswETHToETHRateFixed;
    uint256 public totalETHDeposited;

    constructor(MockSwellAccessControlManager accessControlManager_) ERC20("rswETH", "rswETH") {
        AccessControlManager = accessControlManager_;
    }

    function getRate() public view returns (uint256) {
        return rswETHToETHRateFixed == 0 ? 1 ether : rswETHToETHRateFixed;
    }

    function rswETHToETHRate() external view returns (uint256) {
        return getRate();
    }

    function deposit() external payable {
        if (AccessControlManager.coreMethodsPaused()) revert CoreMethodsPaused();
        totalETHDeposited += msg.value;
        _mint(msg.sender, msg.value * 1e18 / getRate());
    }

    function reprice(uint256 preRewardETHReserves, uint256 newETHRewards, uint256 rswETHTotalSupply) external {
        rswETHToETHRateFixed = (preRewardETHReserves + newETHRewards) * 1e18 / rswETHTotalSupply;
    }
}

/// Swell's EigenLayerManager (`.../implementations/EigenLayerManager.sol`): StakerProxies
/// numbered from 1, and the DelegationManager.
contract MockSwellEigenLayerManager {
    IEigenLayerDelegationManager public immutable DelegationManager;
    uint256 public stakeId;
    mapping(uint256 => address) public stakerProxyAddresses;

    constructor(IEigenLayerDelegationManager delegationManager_) {
        DelegationManager = delegationManager_;
    }

    function addStaker(address stakerProxy) external {
        stakerProxyAddresses[++stakeId] = stakerProxy;
    }
}
