// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MockLrt} from "./Mocks.sol";

/// Kelp's LRTConfig as `KelpBackingSource` reads it (Kelp-DAO/LRT-rsETH `contracts/LRTConfig.sol`).
contract MockKelpConfig {
    /// Kelp's `LRTConstants.ETH_TOKEN`.
    address public constant ETH_TOKEN = 0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE;

    MockLrt public immutable rsETH;
    address[] internal assets;
    uint256 public protocolFeeInBPS;

    constructor(MockLrt rsETH_) {
        rsETH = rsETH_;
        assets.push(ETH_TOKEN);
    }

    function addAsset(address asset) external {
        assets.push(asset);
    }

    function setProtocolFeeInBPS(uint256 bps) external {
        protocolFeeInBPS = bps;
    }

    function getSupportedAssetList() external view returns (address[] memory) {
        return assets;
    }
}

/// Kelp's deposit pool (`contracts/LRTDepositPool.sol`): what Kelp holds per asset (set by the
/// test: rewards, slashes), its NodeDelegators, pausing, and `depositETH` minting rsETH at the
/// stored price (`getRsETHAmountToMint = amount × assetPrice / rsETHPrice`).
contract MockKelpDepositPool {
    error EnforcedPause();

    MockKelpConfig public immutable config;
    MockKelpOracle public oracle;
    mapping(address => uint256) public getTotalAssetDeposits;
    address[] internal nodeDelegators;
    bool public paused;

    constructor(MockKelpConfig config_) {
        config = config_;
    }

    function setOracle(MockKelpOracle oracle_) external {
        oracle = oracle_;
    }

    function addNodeDelegator(address nodeDelegator) external {
        nodeDelegators.push(nodeDelegator);
    }

    function setPaused(bool paused_) external {
        paused = paused_;
    }

    /// What Kelp holds of `asset` changed (rewards, a slash, an LST deposit).
    function setTotalAssetDeposits(address asset, uint256 amount) external {
        getTotalAssetDeposits[asset] = amount;
    }

    function getNodeDelegatorQueue() external view returns (address[] memory) {
        return nodeDelegators;
    }

    function depositETH(uint256 minRSETHAmountExpected, string calldata) external payable {
        if (paused) revert EnforcedPause();
        address eth = config.ETH_TOKEN();
        uint256 minted = msg.value * oracle.getAssetPrice(eth) / oracle.rsETHPrice();
        require(minted >= minRSETHAmountExpected, "slippage");
        getTotalAssetDeposits[eth] += msg.value;
        config.rsETH().mint(msg.sender, minted);
    }
}

/// Kelp's LRTOracle (`contracts/LRTOracle.sol`): asset prices, and the stored rsETH price that
/// `updateRSETHPrice` recomputes from the pool's holdings, taking the protocol fee on a rise
/// (minted as rsETH to the treasury) and reverting on a move beyond `pricePercentageLimit`.
contract MockKelpOracle {
    error RSETHPriceExceedsLimit();

    MockKelpConfig public immutable config;
    MockKelpDepositPool public immutable depositPool;
    address public immutable treasury;
    uint256 public rsETHPrice;
    uint256 public pricePercentageLimit;
    mapping(address => uint256) internal assetPrice;

    constructor(MockKelpConfig config_, MockKelpDepositPool depositPool_, address treasury_) {
        config = config_;
        depositPool = depositPool_;
        treasury = treasury_;
        rsETHPrice = 1 ether;
        assetPrice[config_.ETH_TOKEN()] = 1 ether;
    }

    function setAssetPrice(address asset, uint256 price) external {
        assetPrice[asset] = price;
    }

    function setPricePercentageLimit(uint256 limit) external {
        pricePercentageLimit = limit;
    }

    function getAssetPrice(address asset) public view returns (uint256) {
        uint256 price = assetPrice[asset];
        require(price != 0, "AssetOracleNotSupported");
        return price;
    }

    function updateRSETHPrice() external {
        uint256 oldPrice = rsETHPrice;
        MockLrt rsETH = config.rsETH();
        uint256 supply = rsETH.totalSupply();
        if (supply == 0) {
            rsETHPrice = 1 ether;
            return;
        }
        address[] memory assets = config.getSupportedAssetList();
        uint256 totalEthInProtocol; // 1e36
        for (uint256 i = 0; i < assets.length; i++) {
            totalEthInProtocol += depositPool.getTotalAssetDeposits(assets[i]) * getAssetPrice(assets[i]);
        }
        uint256 fee;
        uint256 tempPrice = totalEthInProtocol / supply;
        if (tempPrice > oldPrice) {
            fee = (tempPrice - oldPrice) * supply / 1e18 * config.protocolFeeInBPS() / 10_000;
        }
        rsETHPrice = (totalEthInProtocol - fee * 1e18) / supply;
        uint256 feeInRsEth = fee * 1e18 / rsETHPrice;
        if (oldPrice != rsETHPrice && pricePercentageLimit != 0) {
            uint256 diff = oldPrice > rsETHPrice ? oldPrice - rsETHPrice : rsETHPrice - oldPrice;
            if (diff * 100 / oldPrice > pricePercentageLimit) revert RSETHPriceExceedsLimit();
        }
        if (feeInRsEth != 0) rsETH.mint(treasury, feeInRsEth);
    }
}
