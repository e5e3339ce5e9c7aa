// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// ether.fi's contracts, as published in etherfi-protocol/smart-contracts `src/core/WeETH.sol`,
/// `src/core/LiquidityPool.sol`, `src/core/EETH.sol` (interfaces in `src/core/interfaces/`) and
/// `src/governance/utils/PausableUntil.sol`.
interface IEtherFiLiquidityPool {
    /// `totalValueOutOfLp + totalValueInLp`: the ETH behind every eETH share. It changes only by
    /// deposits, withdrawals and the oracle committee's `rebase`.
    function getTotalPooledEther() external view returns (uint256);
    /// `share × getTotalPooledEther() / eETH.totalShares()`, rounded down (0 with no shares).
    function amountForShare(uint256 share) external view returns (uint256);
    function paused() external view returns (bool);
}

interface IEtherFiEEth {
    function totalShares() external view returns (uint256);
}

/// weETH: each token is one eETH share, wrapped.
interface IEtherFiWeEth {
    function liquidityPool() external view returns (IEtherFiLiquidityPool);
    function eETH() external view returns (IEtherFiEEth);
    /// `liquidityPool.amountForShare(1 ether)`: ETH per weETH.
    function getRate() external view returns (uint256);
    function totalSupply() external view returns (uint256);
}
