// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IEigenLayerDelegationManager, IEigenLayerStrategy} from "../adapters/interfaces/IEigenLayer.sol";

/// An EigenLayer strategy holding an LST: shares convert to the token at `exchangeRate` (1e18).
contract MockStrategy is IEigenLayerStrategy {
    uint256 public exchangeRate = 1e18;

    function setExchangeRate(uint256 rate) external {
        exchangeRate = rate;
    }

    function sharesToUnderlyingView(uint256 amountShares) external view returns (uint256) {
        return amountShares * exchangeRate / 1e18;
    }
}

/// EigenLayer's DelegationManager as the adapters read it (slashing release): stakers hold
/// deposit shares per strategy and delegate to an operator; an AVS slash scales every staker of
/// that operator down (withdrawable = deposit × remaining magnitude, rounded down).
contract MockDelegationManager is IEigenLayerDelegationManager {
    uint256 internal constant WAD = 1e18;

    mapping(address => address) public delegatedTo;
    mapping(address => IEigenLayerStrategy[]) internal strategiesOf;
    mapping(address => mapping(address => uint256)) public depositShares;
    /// Per operator and strategy, the fraction of magnitude slashed away (WAD = all).
    mapping(address => mapping(address => uint256)) public slashedWad;

    function delegate(address staker, address operator) external {
        delegatedTo[staker] = operator;
    }

    function setDepositShares(address staker, IEigenLayerStrategy strategy, uint256 shares) external {
        IEigenLayerStrategy[] storage list = strategiesOf[staker];
        bool known;
        for (uint256 i = 0; i < list.length; i++) {
            if (address(list[i]) == address(strategy)) known = true;
        }
        if (!known) list.push(strategy);
        depositShares[staker][address(strategy)] = shares;
    }

    /// An AVS slashes `wad` of what is left of `operator`'s magnitude in `strategy`.
    function slash(address operator, address strategy, uint256 wad) external {
        uint256 lost = slashedWad[operator][strategy];
        slashedWad[operator][strategy] = lost + (WAD - lost) * wad / WAD;
    }

    function getDepositedShares(address staker)
        external
        view
        returns (IEigenLayerStrategy[] memory strategies, uint256[] memory shares)
    {
        strategies = strategiesOf[staker];
        shares = new uint256[](strategies.length);
        for (uint256 i = 0; i < strategies.length; i++) {
            shares[i] = depositShares[staker][address(strategies[i])];
        }
    }

    function getWithdrawableShares(address staker, IEigenLayerStrategy[] memory strategies)
        external
        view
        returns (uint256[] memory withdrawable, uint256[] memory deposited)
    {
        withdrawable = new uint256[](strategies.length);
        deposited = new uint256[](strategies.length);
        address operator = delegatedTo[staker];
        for (uint256 i = 0; i < strategies.length; i++) {
            deposited[i] = depositShares[staker][address(strategies[i])];
            withdrawable[i] = deposited[i] * (WAD - slashedWad[operator][address(strategies[i])]) / WAD;
        }
    }
}
