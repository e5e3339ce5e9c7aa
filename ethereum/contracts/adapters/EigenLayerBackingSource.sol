// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IBackingSource, OperatorStake} from "../BallastGateway.sol";
import {BEACON_CHAIN_ETH_STRATEGY, IEigenLayerDelegationManager, IEigenLayerStrategy} from "./interfaces/IEigenLayer.sol";

/// What every adapter shares: the LRT it reports on, and its EigenLayer delegations read from
/// the DelegationManager. Adapters have no owner and no setter: a change of what an LRT reports
/// is a new adapter, announced and timelocked by the gateway.
abstract contract EigenLayerBackingSource is IBackingSource {
    /// Ballast keeps at most this many stakes per snapshot (the runtime's `MaxStakes`).
    uint256 public constant MAX_STAKES = 64;

    /// The protocol is paused: its figures may be mid-incident, so no snapshot is taken (Ballast
    /// keeps the last one; a stale one blocks borrowing, never liquidation).
    error ProtocolPaused();
    /// More (operator, strategy) pairs than Ballast keeps: refused rather than cut short, so a
    /// report never hides an exposure.
    error TooManyStakes();

    /// The LRT this adapter values (the gateway checks it when the adapter is configured).
    function lrt() public view virtual returns (address);

    /// The delegations of `stakers`: per staker delegated to an operator, each strategy's
    /// withdrawable shares (after EigenLayer's slashing) as their underlying amount (wei for
    /// beacon-chain ETH), summed per (operator, strategy). Undelegated stakers and empty
    /// strategies are left out: they are exposed to no operator.
    function _stakesOf(IEigenLayerDelegationManager delegationManager, address[] memory stakers)
        internal
        view
        returns (OperatorStake[] memory stakes)
    {
        OperatorStake[] memory found = new OperatorStake[](MAX_STAKES);
        uint256 count;
        for (uint256 i = 0; i < stakers.length; i++) {
            address operator = delegationManager.delegatedTo(stakers[i]);
            if (operator == address(0)) continue;
            (IEigenLayerStrategy[] memory strategies,) = delegationManager.getDepositedShares(stakers[i]);
            if (strategies.length == 0) continue;
            (uint256[] memory withdrawable,) = delegationManager.getWithdrawableShares(stakers[i], strategies);
            for (uint256 j = 0; j < strategies.length; j++) {
                uint256 amount = _underlying(strategies[j], withdrawable[j]);
                if (amount != 0) count = _add(found, count, operator, address(strategies[j]), amount);
            }
        }
        stakes = new OperatorStake[](count);
        for (uint256 i = 0; i < count; i++) {
            stakes[i] = found[i];
        }
    }

    function _underlying(IEigenLayerStrategy strategy, uint256 shares) private view returns (uint256) {
        if (shares == 0) return 0;
        if (address(strategy) == BEACON_CHAIN_ETH_STRATEGY) return shares;
        return strategy.sharesToUnderlyingView(shares);
    }

    function _add(OperatorStake[] memory found, uint256 count, address operator, address strategy, uint256 amount)
        private
        pure
        returns (uint256)
    {
        for (uint256 k = 0; k < count; k++) {
            if (found[k].operator == operator && found[k].strategy == strategy) {
                found[k].shares += amount;
                return count;
            }
        }
        if (count == MAX_STAKES) revert TooManyStakes();
        found[count] = OperatorStake(operator, strategy, amount);
        return count + 1;
    }
}
