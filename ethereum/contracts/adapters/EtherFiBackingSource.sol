// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {OperatorStake} from "../BallastGateway.sol";
import {EigenLayerBackingSource} from "./EigenLayerBackingSource.sol";
import {IEigenLayerDelegationManager} from "./interfaces/IEigenLayer.sol";
import {IEtherFiLiquidityPool, IEtherFiWeEth} from "./interfaces/IEtherFi.sol";

/// weETH (ether.fi). Calls etherfi-protocol/smart-contracts `src/core/WeETH.sol`
/// (`liquidityPool`, `totalSupply`) and `src/core/LiquidityPool.sol` (`amountForShare`, `paused`,
/// and `pausedUntil` from `src/governance/utils/PausableUntil.sol`); interfaces in
/// `./interfaces/IEtherFi.sol`; and EigenLayer's DelegationManager.
///
/// The LRT is weETH, not eETH (eETH rebases; weETH does not). Each weETH is one eETH share, so
/// weETH's supply is the number of shares it wraps, and totalEth is the ETH those shares are
/// worth: `amountForShare(weETH.totalSupply()) = supply × totalPooledEther / eETH.totalShares`,
/// rounded down. `totalEth / totalSupply` is then `weETH.getRate() = amountForShare(1e18)` (to
/// within a wei of rate from the two roundings, never above), what unwrapping and withdrawing
/// pays. Zero eETH shares give 0 (ether.fi's own `amountForShare`), which Ballast refuses.
contract EtherFiBackingSource is EigenLayerBackingSource {
    IEtherFiWeEth public immutable weETH;
    IEigenLayerDelegationManager public immutable delegationManager;
    /// ether.fi's EigenLayer stakers (EtherFiNode contracts): not enumerable on chain, so fixed
    /// here; a new node is a new adapter (announced and timelocked by the gateway).
    address[] internal nodes;

    constructor(IEtherFiWeEth weETH_, IEigenLayerDelegationManager delegationManager_, address[] memory nodes_) {
        weETH = weETH_;
        delegationManager = delegationManager_;
        nodes = nodes_;
    }

    function lrt() public view override returns (address) {
        return address(weETH);
    }

    function etherFiNodes() external view returns (address[] memory) {
        return nodes;
    }

    function totalEth() external view returns (uint256) {
        IEtherFiLiquidityPool pool = weETH.liquidityPool();
        if (pool.paused() || _pausedUntilLater(address(pool))) revert ProtocolPaused();
        return pool.amountForShare(weETH.totalSupply());
    }

    function operatorStakes() external view returns (OperatorStake[] memory) {
        return _stakesOf(delegationManager, nodes);
    }

    /// ether.fi's timed pause (`pausedUntil() >= now`), on pools that have it.
    function _pausedUntilLater(address pool) private view returns (bool) {
        (bool ok, bytes memory result) = pool.staticcall(abi.encodeWithSignature("pausedUntil()"));
        return ok && result.length == 32 && abi.decode(result, (uint256)) >= block.timestamp;
    }
}
