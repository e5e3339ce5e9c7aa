// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// The EigenLayer calls the adapters make, as published in Layr-Labs/eigenlayer-contracts
/// `src/contracts/interfaces/IDelegationManager.sol` and `src/contracts/interfaces/IStrategy.sol`
/// (the slashing release: withdrawable shares are deposit shares scaled by the operator's
/// slashing factor). The LRTs vendor the same interface (Renzo-Protocol/contracts-public
/// `contracts/EigenLayer/interfaces/IDelegationManager.sol`).
interface IEigenLayerStrategy {
    /// The underlying token amount `amountShares` are worth now, without changing state.
    function sharesToUnderlyingView(uint256 amountShares) external view returns (uint256);
}

interface IEigenLayerDelegationManager {
    /// The operator `staker` is delegated to (zero if none).
    function delegatedTo(address staker) external view returns (address);

    /// Every strategy `staker` holds deposit shares in, with those shares.
    function getDepositedShares(address staker)
        external
        view
        returns (IEigenLayerStrategy[] memory strategies, uint256[] memory depositShares);

    /// What `staker` could withdraw from each strategy after every slashing of its operator.
    function getWithdrawableShares(address staker, IEigenLayerStrategy[] memory strategies)
        external
        view
        returns (uint256[] memory withdrawableShares, uint256[] memory depositShares);
}

// EigenLayer's virtual strategy for natively restaked ETH (`beaconChainETHStrategy`): its
// shares are wei, and no contract lives at the address.
address constant BEACON_CHAIN_ETH_STRATEGY = 0xbeaC0eeEeeeeEEeEeEEEEeeEEeEeeeEeeEEBEaC0;
