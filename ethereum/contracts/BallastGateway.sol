// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// The ERC-20 calls the gateway makes.
interface IERC20 {
    function totalSupply() external view returns (uint256);
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

/// One EigenLayer delegation of an LRT: shares of `strategy` delegated to `operator`.
struct OperatorStake {
    address operator;
    address strategy;
    uint256 shares;
}

/// An LRT's own accounting, read on Ethereum: the ETH backing all its tokens, and how that stake
/// is delegated in EigenLayer. One adapter per LRT (each protocol keeps its books differently:
/// Renzo's RestakeManager.calculateTVLs, Kelp's LRTOracle, EtherFi's LiquidityPool).
interface IBackingSource {
    function totalEth() external view returns (uint256);
    function operatorStakes() external view returns (OperatorStake[] memory);
}

/// Where LRTs enter and leave Ballast. Ballast trusts only this contract's events, each proven
/// against Ethereum's finalized receipts by Ballast's light client. Every event carries its own
/// nonce (one counter for all of them): Ballast matches a log by content, and the nonce makes
/// every log unique and lets Ballast refuse a replay.
contract BallastGateway {
    /// LRTs locked here to be minted on Ballast to `recipient` (a Ballast account id).
    event Deposited(address lrt, address sender, bytes32 recipient, uint256 amount, uint64 nonce);
    /// A snapshot of an LRT's backing, read from its own accounting on Ethereum.
    event BackingReported(
        address lrt, uint256 totalEth, uint256 totalSupply, OperatorStake[] stakes, uint64 nonce
    );
    /// LRTs released to `recipient` for the Ballast withdrawal numbered `withdrawalNonce`.
    event Released(address lrt, address recipient, uint256 amount, uint64 withdrawalNonce, uint64 nonce);
    event LrtConfigured(address lrt, address backingSource, bool depositsOpen);
    event ReleaserChanged(address releaser);
    event OwnerChanged(address owner);

    error NotOwner();
    error NotReleaser();
    error UnknownLrt(address lrt);
    error DepositsClosed(address lrt);
    error ZeroAmount();
    error ZeroRecipient();
    error TransferFailed();
    error AlreadyReleased(uint64 withdrawalNonce);
    error MoreThanLocked(uint256 amount, uint256 locked);

    struct Lrt {
        IBackingSource backingSource;
        bool depositsOpen;
        uint256 locked;
    }

    address public owner;
    /// Releases withdrawals after checking them against Ballast's outbound commitments (see
    /// docs/bridge.md: a multisig today; verifying Ballast's finality here is future work).
    address public releaser;
    /// The nonce of the newest event.
    uint64 public nonce;
    mapping(address => Lrt) public lrts;
    mapping(uint64 => bool) public released;

    constructor(address owner_, address releaser_) {
        owner = owner_;
        releaser = releaser_;
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner();
        _;
    }

    function setOwner(address owner_) external onlyOwner {
        owner = owner_;
        emit OwnerChanged(owner_);
    }

    function setReleaser(address releaser_) external onlyOwner {
        releaser = releaser_;
        emit ReleaserChanged(releaser_);
    }

    /// Lists an LRT (or changes its backing source, or pauses its deposits).
    function configureLrt(address lrt, IBackingSource backingSource, bool depositsOpen) external onlyOwner {
        Lrt storage entry = lrts[lrt];
        entry.backingSource = backingSource;
        entry.depositsOpen = depositsOpen;
        emit LrtConfigured(lrt, address(backingSource), depositsOpen);
    }

    /// Locks `amount` of `lrt` (approved beforehand) for `recipient` on Ballast.
    function deposit(address lrt, uint256 amount, bytes32 recipient) external returns (uint64) {
        Lrt storage entry = lrts[lrt];
        if (address(entry.backingSource) == address(0)) revert UnknownLrt(lrt);
        if (!entry.depositsOpen) revert DepositsClosed(lrt);
        if (amount == 0) revert ZeroAmount();
        if (recipient == bytes32(0)) revert ZeroRecipient();
        entry.locked += amount;
        uint64 eventNonce = ++nonce;
        _call(lrt, abi.encodeCall(IERC20.transferFrom, (msg.sender, address(this), amount)));
        emit Deposited(lrt, msg.sender, recipient, amount, eventNonce);
        return eventNonce;
    }

    /// Emits a snapshot of `lrt`'s backing from its own accounting. Anyone may call it.
    function reportBacking(address lrt) external returns (uint64) {
        IBackingSource source = lrts[lrt].backingSource;
        if (address(source) == address(0)) revert UnknownLrt(lrt);
        uint256 totalEth = source.totalEth();
        OperatorStake[] memory stakes = source.operatorStakes();
        uint256 totalSupply = IERC20(lrt).totalSupply();
        uint64 eventNonce = ++nonce;
        emit BackingReported(lrt, totalEth, totalSupply, stakes, eventNonce);
        return eventNonce;
    }

    /// Pays out a withdrawal burned on Ballast, once.
    function release(address lrt, address recipient, uint256 amount, uint64 withdrawalNonce) external {
        if (msg.sender != releaser) revert NotReleaser();
        if (released[withdrawalNonce]) revert AlreadyReleased(withdrawalNonce);
        Lrt storage entry = lrts[lrt];
        if (amount > entry.locked) revert MoreThanLocked(amount, entry.locked);
        released[withdrawalNonce] = true;
        entry.locked -= amount;
        uint64 eventNonce = ++nonce;
        _call(lrt, abi.encodeCall(IERC20.transfer, (recipient, amount)));
        emit Released(lrt, recipient, amount, withdrawalNonce, eventNonce);
    }

    /// Calls a token, accepting tokens that return nothing (as USDT-style tokens do).
    function _call(address token, bytes memory data) private {
        (bool ok, bytes memory result) = token.call(data);
        if (!ok || (result.length != 0 && !abi.decode(result, (bool))) || token.code.length == 0) {
            revert TransferFailed();
        }
    }
}
