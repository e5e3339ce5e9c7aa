// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// eETH's share ledger (etherfi-protocol/smart-contracts `src/core/EETH.sol`).
contract MockEEth {
    uint256 public totalShares;
    mapping(address => uint256) public shares;

    function mintShares(address to, uint256 amount) external {
        shares[to] += amount;
        totalShares += amount;
    }

    function moveShares(address from, address to, uint256 amount) external {
        shares[from] -= amount;
        shares[to] += amount;
    }
}

/// ether.fi's LiquidityPool (`src/core/LiquidityPool.sol`): pooled ETH in and out of the pool,
/// share maths rounded down, deposits minting eETH shares, the oracle's `rebase`, and both of
/// its pauses (`paused`, and `pausedUntil` from `PausableUntil`).
contract MockEtherFiLiquidityPool {
    error EnforcedPause();

    MockEEth public immutable eETH;
    uint128 public totalValueOutOfLp;
    uint128 public totalValueInLp;
    bool public paused;
    uint256 public pausedUntil;

    constructor(MockEEth eETH_) {
        eETH = eETH_;
    }

    function setPaused(bool paused_) external {
        paused = paused_;
    }

    function setPausedUntil(uint256 until) external {
        pausedUntil = until;
    }

    function getTotalPooledEther() public view returns (uint256) {
        return totalValueOutOfLp + totalValueInLp;
    }

    function sharesForAmount(uint256 amount) public view returns (uint256) {
        uint256 pooled = getTotalPooledEther();
        if (pooled == 0) return 0;
        return Math.mulDiv(amount, eETH.totalShares(), pooled);
    }

    function amountForShare(uint256 share) public view returns (uint256) {
        uint256 total = eETH.totalShares();
        if (total == 0) return 0;
        return Math.mulDiv(share, getTotalPooledEther(), total);
    }

    function deposit() external payable returns (uint256 minted) {
        if (paused || pausedUntil >= block.timestamp) revert EnforcedPause();
        uint256 pooled = getTotalPooledEther();
        minted = pooled == 0 ? msg.value : msg.value * eETH.totalShares() / pooled;
        totalValueInLp += uint128(msg.value);
        eETH.mintShares(msg.sender, minted);
    }

    /// The oracle committee's report: rewards (or a loss) accrued out of the pool.
    function rebase(int128 accruedRewards) external {
        totalValueOutOfLp = uint128(int128(totalValueOutOfLp) + accruedRewards);
    }
}

/// weETH (`src/core/WeETH.sol`): wraps eETH shares one for one.
contract MockWeEth is ERC20 {
    MockEtherFiLiquidityPool public immutable liquidityPool;
    MockEEth public immutable eETH;

    constructor(MockEtherFiLiquidityPool liquidityPool_) ERC20("Wrapped eETH", "weETH") {
        liquidityPool = liquidityPool_;
        eETH = liquidityPool_.eETH();
    }

    /// Wraps `eEthAmount` of the caller's eETH: the shares it is worth move to weETH and as
    /// many weETH are minted.
    function wrap(uint256 eEthAmount) external returns (uint256 weEthAmount) {
        weEthAmount = liquidityPool.sharesForAmount(eEthAmount);
        eETH.moveShares(msg.sender, address(this), weEthAmount);
        _mint(msg.sender, weEthAmount);
    }

    function getRate() external view returns (uint256) {
        return liquidityPool.amountForShare(1 ether);
    }
}
