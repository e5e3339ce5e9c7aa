// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {OperatorStake} from "../BallastGateway.sol";
import {EigenLayerBackingSource} from "./EigenLayerBackingSource.sol";
import {ISwellEigenLayerManager, ISwellRswEth} from "./interfaces/ISwell.sol";

/// rswETH (Swell). Calls SwellNetwork/v3-core-public `contracts/lrt/contracts/implementations/RswETH.sol`
/// (`getRate`, `totalSupply`, `AccessControlManager`), `.../AccessControlManager.sol`
/// (`coreMethodsPaused`) and `.../EigenLayerManager.sol` (`stakeId`, `stakerProxyAddresses`,
/// `DelegationManager`); interfaces in `./interfaces/ISwell.sol`.
///
/// totalEth = `getRate() × totalSupply / 1e18`, rounded down: Swell's rate is fixed by its
/// repricing oracle (`reprice`, bounded per call by `maximumRepriceDifferencePercentage`), and
/// deposits mint and rswEXIT withdrawals pay at it. Ballast's own proofs (validator balances,
/// AVS slashes) catch a loss the oracle has not repriced yet.
contract SwellBackingSource is EigenLayerBackingSource {
    ISwellRswEth public immutable rswETH;
    ISwellEigenLayerManager public immutable eigenLayerManager;

    constructor(ISwellRswEth rswETH_, ISwellEigenLayerManager eigenLayerManager_) {
        rswETH = rswETH_;
        eigenLayerManager = eigenLayerManager_;
    }

    function lrt() public view override returns (address) {
        return address(rswETH);
    }

    function totalEth() external view returns (uint256) {
        if (rswETH.AccessControlManager().coreMethodsPaused()) revert ProtocolPaused();
        return Math.mulDiv(rswETH.getRate(), rswETH.totalSupply(), 1e18);
    }

    /// Delegations: each StakerProxy (ids 1 to `stakeId`) is one EigenLayer staker.
    function operatorStakes() external view returns (OperatorStake[] memory) {
        uint256 count = eigenLayerManager.stakeId();
        address[] memory stakers = new address[](count);
        for (uint256 i = 0; i < count; i++) {
            stakers[i] = eigenLayerManager.stakerProxyAddresses(i + 1);
        }
        return _stakesOf(eigenLayerManager.DelegationManager(), stakers);
    }
}
