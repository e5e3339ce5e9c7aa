// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
// Snowbridge's audited libraries (its npm package): Merkle proofs as Substrate's
// binary-merkle-tree builds them, and SCALE encoding of the MMR leaf.
import {SubstrateMerkleProof} from "@snowbridge/contracts/src/utils/SubstrateMerkleProof.sol";
import {ScaleCodec} from "@snowbridge/contracts/src/utils/ScaleCodec.sol";

/// One EigenLayer delegation of an LRT: `shares` of `strategy` delegated to `operator`. The
/// adapters in `adapters/` report the shares' underlying amount (wei for the beacon-chain ETH
/// strategy, whose shares are wei), after EigenLayer's slashing.
struct OperatorStake {
    address operator;
    address strategy;
    uint256 shares;
}

/// An LRT's own accounting, read on Ethereum: the ETH backing all its tokens, and how that stake
/// is delegated in EigenLayer. One adapter per LRT (each protocol keeps its books differently:
/// see `adapters/` and docs/bridge.md). `reportBacking` divides `totalEth` by the LRT's own
/// `totalSupply`, read in the same call.
interface IBackingSource {
    function totalEth() external view returns (uint256);
    function operatorStakes() external view returns (OperatorStake[] memory);
}

/// Snowbridge's BEEFY light client (`BeefyClient.sol`, from the npm package of Snowbridge), following
/// Ballast's finality: it accepts an MMR root only with signatures of more than two thirds of
/// Ballast's BEEFY validators (randomly sampled), and proves leaves against the latest one.
interface IBeefyClient {
    function verifyMMRLeafProof(bytes32 leafHash, bytes32[] calldata proof, uint256 proofOrder)
        external
        view
        returns (bool);
}

/// A leaf of Ballast's MMR, as `BeefyClient.sol` encodes it (SCALE, the fields in Ballast's
/// order). Ballast puts the withdrawal root its parent block committed where a relay chain
/// puts its parachain heads root (`withdrawalRoot`).
struct MMRLeaf {
    uint8 version;
    uint32 parentNumber;
    bytes32 parentHash;
    uint64 nextAuthoritySetID;
    uint32 nextAuthoritySetLen;
    bytes32 nextAuthoritySetRoot;
    bytes32 withdrawalRoot;
}

/// A withdrawal burned on Ballast (`lrtBridge.withdraw`), with its place in its block's
/// withdrawal tree: the runtime API `LrtBridgeApi_withdrawal_proof` serves these.
struct Withdrawal {
    address token;
    address recipient;
    uint256 amount;
    uint64 nonce;
    /// The withdrawal's leaf position and the tree's width.
    uint256 leafIndex;
    uint256 leafCount;
    /// Sibling hashes from the leaf up to the block's withdrawal root.
    bytes32[] proof;
}

/// Canonical WETH (WETH9): ETH wrapped 1:1.
interface IWETH9 is IERC20 {
    function deposit() external payable;
    function withdraw(uint256 amount) external;
}

/// Where LRTs and ETH enter and leave Ballast. Ballast trusts only this contract's events, each
/// proven against Ethereum's finalized receipts by Ballast's light client. Every event Ballast
/// may prove carries its own nonce (one counter for all of them): Ballast matches a log by
/// content, and the nonce makes every log unique and lets Ballast refuse a replay.
///
/// Roles: the owner (two-step transfer) configures; the guardian (and the owner) can pause.
/// Withdrawals burned on Ballast are paid out to whoever proves them against Ballast's finality
/// (`release`: BEEFY, through `beefyClient`, which the owner can replace only through a public
/// 7-day announcement), within a per-token rate limit. ETH is held as
/// WETH, so every asset is accounted per token: `locked(token) == balanceOf(gateway)` for every
/// listed token, and the gateway holds no native ETH (see docs/bridge.md).
contract BallastGateway is Ownable2Step, Pausable, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// Tokens locked here to be minted on Ballast to `recipient` (a Ballast account id). ETH
    /// deposits are WETH deposits (`lrt` is the WETH address).
    event Deposited(address lrt, address sender, bytes32 recipient, uint256 amount, uint64 nonce);
    /// A snapshot of an LRT's backing, read from its own accounting on Ethereum.
    event BackingReported(
        address lrt, uint256 totalEth, uint256 totalSupply, OperatorStake[] stakes, uint64 nonce
    );
    /// Tokens released to `recipient` for the Ballast withdrawal numbered `withdrawalNonce`.
    event Released(address lrt, address recipient, uint256 amount, uint64 withdrawalNonce, uint64 nonce);
    /// An LRT listed (with its first backing source) or its deposits opened or closed.
    event LrtConfigured(address lrt, address backingSource, bool depositsOpen);
    /// The WETH token ETH deposits are wrapped into, listed once.
    event WethSet(address weth);
    /// A new backing source for a listed LRT, applicable from `effectiveAt` (unix seconds).
    event BackingSourceAnnounced(address lrt, address backingSource, uint64 effectiveAt, uint64 nonce);
    /// An announced backing source withdrawn before it applied.
    event BackingSourceChangeCancelled(address lrt, address backingSource, uint64 nonce);
    /// An announced backing source applied after its delay.
    event BackingSourceChanged(address lrt, address previousSource, address backingSource, uint64 nonce);
    /// The deposit numbered `depositNonce` (never minted on Ballast) paid back to its sender.
    event DepositRefunded(address lrt, address sender, uint256 amount, uint64 depositNonce, uint64 nonce);
    /// The smallest and largest deposit of a token (Ballast's `MinDeposit` and mint limit).
    event DepositLimitsSet(address lrt, uint256 minDeposit, uint256 maxDeposit);
    /// The release rate limit for a token: a bucket of `limit`, refilled over `window` seconds.
    event ReleaseLimitSet(address lrt, uint256 limit, uint64 window);
    event ReleasesPausedSet(bool paused);
    event GuardianChanged(address guardian);
    /// Tokens sent to the gateway outside a deposit (never credited to anyone) moved out.
    event Skimmed(address token, address to, uint256 amount);
    /// A new BEEFY client for releases, applicable from `effectiveAt` (unix seconds).
    event BeefyClientAnnounced(address beefyClient, uint64 effectiveAt);
    /// An announced BEEFY client withdrawn before it applied.
    event BeefyClientChangeCancelled(address beefyClient);
    /// An announced BEEFY client applied after its delay: releases prove against it from now on.
    event BeefyClientChanged(address previous, address beefyClient);

    error InvalidWithdrawalProof();
    error InvalidMMRLeafProof();
    error NotGuardian();
    error NotExternallyOwned();
    error UnknownLrt(address lrt);
    error NotAnLrt(address token);
    error AlreadyListed(address token);
    error DepositsClosed(address lrt);
    error ZeroAmount();
    error ZeroRecipient();
    error ZeroAddress();
    error WethNotSet();
    error DepositTooSmall(uint256 amount, uint256 minDeposit);
    error DepositTooLarge(uint256 amount, uint256 maxDeposit);
    error InvalidLimits();
    error AlreadyReleased(uint64 withdrawalNonce);
    error MoreThanLocked(uint256 amount, uint256 locked);
    error ReleasesPaused();
    error ReleaseLimitExceeded(uint256 amount, uint256 room);
    error UnexpectedBalanceChange(uint256 expected, uint256 actual);
    error SourceChangeNeedsAnnouncement(address lrt);
    error SourceForAnotherLrt(address source, address lrt);
    error SourceNamesNoLrt(address source);
    error DepositLimitsNotSet(address token);
    error OwnershipCannotBeRenounced();
    error NoPendingSource(address lrt);
    error SourceChangeNotDue(uint64 effectiveAt);
    error UnknownDeposit(uint64 depositNonce);
    error RefundNotDue(uint64 refundableAt);
    error InvalidBeefyClient(address beefyClient);
    error NoPendingBeefyClient();
    error BeefyClientChangeNotDue(uint64 effectiveAt);

    /// How long an announced backing source waits before it applies: Ballast sees the
    /// announcement (a proven event) and governance there can freeze the LRT before it applies.
    uint64 public constant BACKING_SOURCE_DELAY = 7 days;
    /// How long an announced BEEFY client waits before releases prove against it: anyone can
    /// check the new client (its code, the validator set it starts from) and the guardian can
    /// cancel it before it applies.
    uint64 public constant BEEFY_CLIENT_DELAY = 7 days;
    /// The youngest deposit governance may refund: only deposits that had a week to be minted.
    uint64 public constant REFUND_DELAY = 7 days;
    /// The window a new token's release limit refills over, until governance sets one.
    uint64 public constant DEFAULT_RELEASE_WINDOW = 1 days;
    /// The largest deposit Ballast can decode (its balances are u128).
    uint256 public constant MAX_DEPOSIT = type(uint128).max;

    struct Token {
        /// Zero for WETH (ETH's backing is itself); set for every LRT.
        IBackingSource backingSource;
        bool listed;
        bool depositsOpen;
        /// What the gateway holds for Ballast: deposits credited, minus releases and refunds.
        uint256 locked;
        /// Zero `maxDeposit`: limits not set yet, and deposits cannot open.
        uint256 minDeposit;
        uint256 maxDeposit;
        /// The release bucket, shared by releases and refunds: at most `releaseLimit`, refilled
        /// at `releaseLimit` per `releaseWindow` seconds; `releaseUsed` as of `releaseUpdatedAt`.
        uint256 releaseLimit;
        uint256 releaseUsed;
        uint64 releaseWindow;
        uint64 releaseUpdatedAt;
        /// An announced backing source and when it may apply (zero: none pending).
        IBackingSource pendingSource;
        uint64 pendingSourceAt;
    }

    /// Ballast's BEEFY light client: `release` proves withdrawals against its latest MMR root.
    /// Replaced only through `announceBeefyClient` and `applyBeefyClient` (timelocked).
    IBeefyClient public beefyClient;
    /// An announced BEEFY client and when it may apply (zero: none pending).
    IBeefyClient public pendingBeefyClient;
    uint64 public pendingBeefyClientAt;
    /// Can pause (the whole gateway, or only releases) and cancel an announced backing source
    /// or BEEFY client; cannot unpause or configure anything.
    address public guardian;
    /// The token native ETH deposits are wrapped into (zero until set).
    IWETH9 public weth;
    /// The nonce of the newest event.
    uint64 public nonce;
    /// Releases alone paused (deposits go on), by the guardian or the owner.
    bool public releasesPaused;
    mapping(address => Token) internal tokens;
    mapping(uint64 => bool) public released;
    /// Per deposit nonce, until refunded: keccak256(abi.encode(token, sender, amount, timestamp)).
    mapping(uint64 => bytes32) public depositRecords;

    constructor(address owner_, IBeefyClient beefyClient_) Ownable(owner_) {
        if (address(beefyClient_) == address(0)) revert ZeroAddress();
        beefyClient = beefyClient_;
    }

    modifier onlyGuardianOrOwner() {
        if ((msg.sender != guardian || guardian == address(0)) && msg.sender != owner()) revert NotGuardian();
        _;
    }

    // ---------------------------------------------------------------- roles and pausing

    function setGuardian(address guardian_) external onlyOwner {
        guardian = guardian_;
        emit GuardianChanged(guardian_);
    }

    /// Stops deposits, releases and refunds (backing reports go on: see docs/bridge.md).
    function pause() external onlyGuardianOrOwner {
        _pause();
    }

    function unpause() external onlyOwner {
        _unpause();
    }

    function pauseReleases() external onlyGuardianOrOwner {
        releasesPaused = true;
        emit ReleasesPausedSet(true);
    }

    function unpauseReleases() external onlyOwner {
        releasesPaused = false;
        emit ReleasesPausedSet(false);
    }

    /// Refused: without an owner a paused gateway could never be unpaused and no deposit could
    /// be refunded. Ownership moves only to a new owner (two steps).
    function renounceOwnership() public pure override {
        revert OwnershipCannotBeRenounced();
    }

    // ---------------------------------------------------------------- listing

    /// Lists an LRT with its first backing source, or opens or closes its deposits. A new LRT is
    /// listed with deposits closed (`depositsOpen` must be false): they open only once its
    /// deposit limits are set. Replacing a listed LRT's backing source goes through
    /// `announceBackingSource` (timelocked).
    function configureLrt(address lrt, IBackingSource backingSource, bool depositsOpen) external onlyOwner {
        if (lrt == address(0) || address(backingSource) == address(0)) revert ZeroAddress();
        Token storage entry = tokens[lrt];
        if (entry.listed) {
            if (address(entry.backingSource) == address(0)) revert NotAnLrt(lrt);
            if (address(entry.backingSource) != address(backingSource)) revert SourceChangeNeedsAnnouncement(lrt);
        } else {
            _checkSourceIsFor(backingSource, lrt);
            _list(entry);
            entry.backingSource = backingSource;
        }
        _setDepositsOpen(entry, lrt, depositsOpen);
    }

    /// Lists WETH, once, deposits closed until its limits are set and they are opened: ETH
    /// deposits (`depositEth`) are wrapped into it, and WETH deposits and releases are ordinary
    /// token ones. It has no backing source (it is ETH).
    function setWeth(IWETH9 weth_) external onlyOwner {
        if (address(weth_) == address(0)) revert ZeroAddress();
        if (address(weth) != address(0) || tokens[address(weth_)].listed) revert AlreadyListed(address(weth_));
        weth = weth_;
        Token storage entry = tokens[address(weth_)];
        _list(entry);
        emit WethSet(address(weth_));
    }

    /// Opens or closes deposits of any listed token (WETH included); opening needs its deposit
    /// limits set.
    function setDepositsOpen(address token, bool open) external onlyOwner {
        _setDepositsOpen(_listed(token), token, open);
    }

    /// Mirrors Ballast: `minDeposit` its `MinDeposit`, `maxDeposit` the token's mint limit (a
    /// deposit larger than Ballast's bucket could never be minted), at most `MAX_DEPOSIT`.
    function setDepositLimits(address token, uint256 minDeposit, uint256 maxDeposit) external onlyOwner {
        if (minDeposit > maxDeposit || maxDeposit == 0 || maxDeposit > MAX_DEPOSIT) revert InvalidLimits();
        Token storage entry = _listed(token);
        entry.minDeposit = minDeposit;
        entry.maxDeposit = maxDeposit;
        emit DepositLimitsSet(token, minDeposit, maxDeposit);
    }

    /// The release bucket for `token`: `limit` at most, refilled at `limit` per `window`
    /// seconds. What was used is kept (a lowered limit leaves no room until it drains).
    function setReleaseLimit(address token, uint256 limit, uint64 window) external onlyOwner {
        if (window == 0) revert InvalidLimits();
        Token storage entry = _listed(token);
        entry.releaseUsed = _releaseUsedNow(entry);
        entry.releaseUpdatedAt = uint64(block.timestamp);
        entry.releaseLimit = limit;
        entry.releaseWindow = window;
        emit ReleaseLimitSet(token, limit, window);
    }

    /// Announces a new backing source for a listed LRT; it applies `BACKING_SOURCE_DELAY` later
    /// (`applyBackingSource`), unless cancelled. A new announcement replaces a pending one.
    function announceBackingSource(address lrt, IBackingSource backingSource) external onlyOwner {
        if (address(backingSource) == address(0)) revert ZeroAddress();
        Token storage entry = _lrt(lrt);
        _checkSourceIsFor(backingSource, lrt);
        uint64 effectiveAt = uint64(block.timestamp) + BACKING_SOURCE_DELAY;
        entry.pendingSource = backingSource;
        entry.pendingSourceAt = effectiveAt;
        emit BackingSourceAnnounced(lrt, address(backingSource), effectiveAt, ++nonce);
    }

    /// Withdraws a pending backing source (the guardian too may, as a veto on mistakes).
    function cancelBackingSource(address lrt) external onlyGuardianOrOwner {
        Token storage entry = _lrt(lrt);
        IBackingSource pending = entry.pendingSource;
        if (address(pending) == address(0)) revert NoPendingSource(lrt);
        delete entry.pendingSource;
        delete entry.pendingSourceAt;
        emit BackingSourceChangeCancelled(lrt, address(pending), ++nonce);
    }

    /// Applies an announced backing source once its delay has passed. Anyone may call it.
    function applyBackingSource(address lrt) external {
        Token storage entry = _lrt(lrt);
        IBackingSource pending = entry.pendingSource;
        if (address(pending) == address(0)) revert NoPendingSource(lrt);
        if (block.timestamp < entry.pendingSourceAt) revert SourceChangeNotDue(entry.pendingSourceAt);
        address previous = address(entry.backingSource);
        entry.backingSource = pending;
        delete entry.pendingSource;
        delete entry.pendingSourceAt;
        emit BackingSourceChanged(lrt, previous, address(pending), ++nonce);
    }

    // ---------------------------------------------------------------- the BEEFY client

    /// Announces a new BEEFY client (to replace one that is stuck, e.g. past a validator set it
    /// can no longer follow, or faulty); it applies `BEEFY_CLIENT_DELAY` later
    /// (`applyBeefyClient`), unless cancelled, and until then releases prove against the
    /// current one. A new announcement replaces a pending one. The new client must be a
    /// contract, other than the current one.
    function announceBeefyClient(IBeefyClient next) external onlyOwner {
        if (address(next) == address(0)) revert ZeroAddress();
        if (address(next) == address(beefyClient) || address(next).code.length == 0) {
            revert InvalidBeefyClient(address(next));
        }
        uint64 effectiveAt = uint64(block.timestamp) + BEEFY_CLIENT_DELAY;
        pendingBeefyClient = next;
        pendingBeefyClientAt = effectiveAt;
        emit BeefyClientAnnounced(address(next), effectiveAt);
    }

    /// Withdraws a pending BEEFY client (the guardian too may, as a veto on mistakes).
    function cancelBeefyClient() external onlyGuardianOrOwner {
        IBeefyClient pending = pendingBeefyClient;
        if (address(pending) == address(0)) revert NoPendingBeefyClient();
        delete pendingBeefyClient;
        delete pendingBeefyClientAt;
        emit BeefyClientChangeCancelled(address(pending));
    }

    /// Applies an announced BEEFY client once its delay has passed. Anyone may call it.
    function applyBeefyClient() external {
        IBeefyClient pending = pendingBeefyClient;
        if (address(pending) == address(0)) revert NoPendingBeefyClient();
        uint64 effectiveAt = pendingBeefyClientAt;
        if (block.timestamp < effectiveAt) revert BeefyClientChangeNotDue(effectiveAt);
        address previous = address(beefyClient);
        beefyClient = pending;
        delete pendingBeefyClient;
        delete pendingBeefyClientAt;
        emit BeefyClientChanged(previous, address(pending));
    }

    // ---------------------------------------------------------------- deposits

    /// Locks `amount` of `lrt` (approved beforehand) for `recipient` on Ballast. The amount
    /// credited and emitted is what arrived (a token taking a fee on transfer is credited net).
    function deposit(address lrt, uint256 amount, bytes32 recipient)
        external
        nonReentrant
        whenNotPaused
        returns (uint64)
    {
        Token storage entry = _open(lrt, recipient);
        if (amount == 0) revert ZeroAmount();
        uint256 before = IERC20(lrt).balanceOf(address(this));
        IERC20(lrt).safeTransferFrom(msg.sender, address(this), amount);
        return _credit(entry, lrt, IERC20(lrt).balanceOf(address(this)) - before, recipient);
    }

    /// Locks the ETH sent, wrapped into WETH, for `recipient` on Ballast: the same `Deposited`
    /// event as a WETH deposit (`lrt` = WETH), so Ballast mints bridged ETH for the WETH token.
    function depositEth(bytes32 recipient) external payable nonReentrant whenNotPaused returns (uint64) {
        IWETH9 weth_ = weth;
        if (address(weth_) == address(0)) revert WethNotSet();
        Token storage entry = _open(address(weth_), recipient);
        if (msg.value == 0) revert ZeroAmount();
        uint256 before = weth_.balanceOf(address(this));
        weth_.deposit{value: msg.value}();
        return _credit(entry, address(weth_), weth_.balanceOf(address(this)) - before, recipient);
    }

    /// Pays back a deposit that was never minted on Ballast, to its sender, in the token it
    /// locked (WETH for ETH deposits). Governance calls it only after Ballast has marked the
    /// deposit's nonce used without minting it (docs/bridge.md, "Refunds"): Ballast's set of used
    /// nonces is then the one record that the deposit is either minted or refunded, never both.
    /// Refunds move tokens out as releases do: they draw on the same release bucket and stop
    /// while releases are paused, so an owner key alone cannot drain past the release limits.
    function refundDeposit(uint64 depositNonce, address lrt, address sender, uint256 amount, uint64 depositedAt)
        external
        onlyOwner
        nonReentrant
        whenNotPaused
    {
        bytes32 record = depositRecords[depositNonce];
        if (record == bytes32(0) || record != keccak256(abi.encode(lrt, sender, amount, depositedAt))) {
            revert UnknownDeposit(depositNonce);
        }
        uint64 refundableAt = depositedAt + REFUND_DELAY;
        if (block.timestamp < refundableAt) revert RefundNotDue(refundableAt);
        if (releasesPaused) revert ReleasesPaused();
        Token storage entry = tokens[lrt];
        _useReleaseRoom(entry, amount);
        delete depositRecords[depositNonce];
        _payOut(entry, lrt, sender, amount);
        emit DepositRefunded(lrt, sender, amount, depositNonce, ++nonce);
    }

    // ---------------------------------------------------------------- backing reports

    /// Emits a snapshot of `lrt`'s backing from its own accounting. Anyone may call it, but only
    /// from an externally owned account without code, as the whole transaction: the snapshot is
    /// then the state between transactions, never one that holds only inside a transaction
    /// (a flash loan, a callback, a half-done update). See docs/bridge.md for each adapter.
    function reportBacking(address lrt) external returns (uint64) {
        // tx.origin is the check here, not an authorization: a caller equal to the origin and
        // without code (no EIP-7702 delegation) is the transaction's first and only frame.
        if (msg.sender != tx.origin || msg.sender.code.length != 0) revert NotExternallyOwned();
        IBackingSource source = tokens[lrt].backingSource;
        if (address(source) == address(0)) revert UnknownLrt(lrt);
        uint256 totalEth = source.totalEth();
        OperatorStake[] memory stakes = source.operatorStakes();
        uint256 totalSupply = IERC20(lrt).totalSupply();
        uint64 eventNonce = ++nonce;
        emit BackingReported(lrt, totalEth, totalSupply, stakes, eventNonce);
        return eventNonce;
    }

    // ---------------------------------------------------------------- releases

    /// Pays out a withdrawal burned on Ballast, once, within the token's release limit, to
    /// anyone who proves it: the withdrawal is a leaf of the withdrawal root in `leaf`, and
    /// `leaf` is in the MMR root that Ballast's BEEFY validators signed (`beefyClient`'s
    /// latest; `leafProof` and `leafProofOrder` as `BeefyClient.verifyMMRLeafProof` takes
    /// them). The recipient is the one burned for, whoever sends the proof. WETH is paid as
    /// WETH (never unwrapped: no ETH call to the recipient, so no reentrancy through it and no
    /// release stuck on a recipient that refuses ETH).
    function release(
        Withdrawal calldata withdrawal,
        MMRLeaf calldata leaf,
        bytes32[] calldata leafProof,
        uint256 leafProofOrder
    ) external nonReentrant whenNotPaused {
        if (releasesPaused) revert ReleasesPaused();
        if (released[withdrawal.nonce]) revert AlreadyReleased(withdrawal.nonce);
        if (withdrawal.recipient == address(0)) revert ZeroAddress();
        // The message Ballast committed (`ballast_gateway::withdrawal_message`); this gateway's
        // address in it keeps another gateway's withdrawals out.
        bytes32 message = keccak256(
            abi.encode(
                address(this), withdrawal.token, withdrawal.recipient, withdrawal.amount, withdrawal.nonce
            )
        );
        if (
            !SubstrateMerkleProof.verify(
                leaf.withdrawalRoot, message, withdrawal.leafIndex, withdrawal.leafCount, withdrawal.proof
            )
        ) revert InvalidWithdrawalProof();
        if (!beefyClient.verifyMMRLeafProof(mmrLeafHash(leaf), leafProof, leafProofOrder)) {
            revert InvalidMMRLeafProof();
        }
        Token storage entry = _listed(withdrawal.token);
        _useReleaseRoom(entry, withdrawal.amount);
        released[withdrawal.nonce] = true;
        _payOut(entry, withdrawal.token, withdrawal.recipient, withdrawal.amount);
        emit Released(withdrawal.token, withdrawal.recipient, withdrawal.amount, withdrawal.nonce, ++nonce);
    }

    /// The hash of an MMR leaf as Ballast's MMR stores it: keccak of its SCALE encoding.
    function mmrLeafHash(MMRLeaf calldata leaf) public pure returns (bytes32) {
        return keccak256(
            bytes.concat(
                ScaleCodec.encodeU8(leaf.version),
                ScaleCodec.encodeU32(leaf.parentNumber),
                leaf.parentHash,
                ScaleCodec.encodeU64(leaf.nextAuthoritySetID),
                ScaleCodec.encodeU32(leaf.nextAuthoritySetLen),
                leaf.nextAuthoritySetRoot,
                leaf.withdrawalRoot
            )
        );
    }

    /// Moves out what the gateway holds of `token` beyond what is locked (tokens sent to it
    /// directly, never credited): `locked` is untouched.
    function skim(address token, address to) external onlyOwner nonReentrant {
        if (to == address(0)) revert ZeroAddress();
        uint256 surplus = IERC20(token).balanceOf(address(this)) - tokens[token].locked;
        if (surplus == 0) revert ZeroAmount();
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransfer(to, surplus);
        uint256 sent = before - IERC20(token).balanceOf(address(this));
        if (sent != surplus) revert UnexpectedBalanceChange(surplus, sent);
        emit Skimmed(token, to, surplus);
    }

    // ---------------------------------------------------------------- views

    /// What the gateway holds of `token` for Ballast.
    function locked(address token) external view returns (uint256) {
        return tokens[token].locked;
    }

    /// A token's configuration and books.
    function tokenInfo(address token) external view returns (Token memory) {
        return tokens[token];
    }

    /// What may be released of `token` now.
    function releaseRoom(address token) external view returns (uint256) {
        Token storage entry = tokens[token];
        uint256 used = _releaseUsedNow(entry);
        return entry.releaseLimit > used ? entry.releaseLimit - used : 0;
    }

    // ---------------------------------------------------------------- internals

    /// Lists a token with deposits closed and no deposit limits (`maxDeposit` zero).
    function _list(Token storage entry) private {
        entry.listed = true;
        entry.releaseLimit = type(uint256).max;
        entry.releaseWindow = DEFAULT_RELEASE_WINDOW;
        entry.releaseUpdatedAt = uint64(block.timestamp);
    }

    function _listed(address token) private view returns (Token storage entry) {
        entry = tokens[token];
        if (!entry.listed) revert UnknownLrt(token);
    }

    function _lrt(address lrt) private view returns (Token storage entry) {
        entry = _listed(lrt);
        if (address(entry.backingSource) == address(0)) revert NotAnLrt(lrt);
    }

    function _open(address token, bytes32 recipient) private view returns (Token storage entry) {
        entry = _listed(token);
        if (!entry.depositsOpen) revert DepositsClosed(token);
        if (recipient == bytes32(0)) revert ZeroRecipient();
    }

    function _setDepositsOpen(Token storage entry, address token, bool open) private {
        if (open && entry.maxDeposit == 0) revert DepositLimitsNotSet(token);
        entry.depositsOpen = open;
        emit LrtConfigured(token, address(entry.backingSource), open);
    }

    /// A backing source must name its LRT (`lrt()`), and name this one: a source that cannot
    /// (an account without code, a contract without `lrt()`) is refused.
    function _checkSourceIsFor(IBackingSource source, address lrt) private view {
        (bool ok, bytes memory result) = address(source).staticcall(abi.encodeWithSignature("lrt()"));
        if (!ok || result.length < 32) revert SourceNamesNoLrt(address(source));
        if (abi.decode(result, (address)) != lrt) revert SourceForAnotherLrt(address(source), lrt);
    }

    function _credit(Token storage entry, address token, uint256 received, bytes32 recipient)
        private
        returns (uint64 eventNonce)
    {
        if (received == 0) revert ZeroAmount();
        if (received < entry.minDeposit) revert DepositTooSmall(received, entry.minDeposit);
        // `maxDeposit` is never above `MAX_DEPOSIT`; checked on its own too, as the bound Ballast
        // cannot decode past.
        if (received > MAX_DEPOSIT) revert DepositTooLarge(received, MAX_DEPOSIT);
        if (received > entry.maxDeposit) revert DepositTooLarge(received, entry.maxDeposit);
        entry.locked += received;
        eventNonce = ++nonce;
        depositRecords[eventNonce] = keccak256(abi.encode(token, msg.sender, received, uint64(block.timestamp)));
        emit Deposited(token, msg.sender, recipient, received, eventNonce);
    }

    /// Sends `amount` of `token` and debits it; the gateway's balance must fall by exactly that
    /// (a token taking more from the sender would break `locked == balanceOf`).
    function _payOut(Token storage entry, address token, address to, uint256 amount) private {
        if (amount > entry.locked) revert MoreThanLocked(amount, entry.locked);
        entry.locked -= amount;
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransfer(to, amount);
        uint256 sent = before - IERC20(token).balanceOf(address(this));
        if (sent != amount) revert UnexpectedBalanceChange(amount, sent);
    }

    function _releaseUsedNow(Token storage entry) private view returns (uint256) {
        uint256 elapsed = block.timestamp - entry.releaseUpdatedAt;
        uint256 refill = elapsed >= entry.releaseWindow
            ? type(uint256).max
            : Math.mulDiv(entry.releaseLimit, elapsed, entry.releaseWindow);
        return entry.releaseUsed > refill ? entry.releaseUsed - refill : 0;
    }

    function _useReleaseRoom(Token storage entry, uint256 amount) private {
        uint256 used = _releaseUsedNow(entry);
        uint256 room = entry.releaseLimit > used ? entry.releaseLimit - used : 0;
        if (amount > room) revert ReleaseLimitExceeded(amount, room);
        entry.releaseUsed = used + amount;
        entry.releaseUpdatedAt = uint64(block.timestamp);
    }
}
