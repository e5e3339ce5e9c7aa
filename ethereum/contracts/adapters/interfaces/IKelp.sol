// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// Kelp DAO's rsETH contracts, as published in Kelp-DAO/LRT-rsETH `contracts/interfaces/ILRTConfig.sol`,
/// `contracts/interfaces/ILRTOracle.sol` and `contracts/interfaces/ILRTDepositPool.sol`
/// (implementations `contracts/LRTConfig.sol`, `contracts/LRTOracle.sol`,
/// `contracts/LRTDepositPool.sol`).
interface IKelpLrtConfig {
    function rsETH() external view returns (address);
    /// The assets rsETH is minted against (ETH as 0xEeee…EEeE, and LSTs).
    function getSupportedAssetList() external view returns (address[] memory);
}

interface IKelpLrtOracle {
    /// rsETH's price in ETH (1e18), stored by the last `updateRSETHPrice()`: what deposits mint
    /// and withdrawals pay at.
    function rsETHPrice() external view returns (uint256);
    /// An asset's price in ETH (1e18).
    function getAssetPrice(address asset) external view returns (uint256);
}

interface IKelpLrtDepositPool {
    /// Everything Kelp holds of `asset`: in the pool, in its NodeDelegators and their EigenLayer
    /// strategies and EigenPods, and in the unstaking vault.
    function getTotalAssetDeposits(address asset) external view returns (uint256);
    /// The NodeDelegators: Kelp's EigenLayer stakers.
    function getNodeDelegatorQueue() external view returns (address[] memory);
    function paused() external view returns (bool);
}
