//! BallastGateway's hardening, each rule against the compiled contract in revm: deposits credited
//! as they arrive and bounded like Ballast's mints, refunds of deposits never minted, the
//! backing-source timelock, two-step ownership, the guardian's pauses, the releases' rate limit
//! and pause (releases proven through BeefyClient, as `support::Bridge` sends them), and skimming
//! what was never credited.

mod support;

use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolCall, SolValue};
use ballast_ethereum_harness::calls::*;
use ballast_ethereum_harness::evm::ether;
use ballast_gateway::abi;
use support::*;

const DAY: u64 = 86_400;

#[test]
fn a_fee_on_transfer_deposit_is_credited_what_arrived() {
	let mut bridge = Bridge::new();
	let token = bridge.fee_token;
	let deposit = bridge.deposit(token, ether(100));
	assert!(deposit.success, "{:?}", deposit.output);
	let net = ether(99); // 1% burned on the way in
	let event = emitted::<abi::Deposited>(&deposit, bridge.gateway);
	assert_eq!(event.amount, net, "the event carries what arrived, what Ballast mints");
	let gateway = bridge.gateway;
	assert_eq!(bridge.locked(token), net);
	assert_eq!(bridge.balance_of(token, gateway), net);
	// A release sends what it says; the recipient bears the fee; the books still match.
	assert!(bridge.release(token, STRANGER, ether(50), 1).success);
	assert_eq!(bridge.locked(token), ether(49));
	assert_eq!(bridge.balance_of(token, gateway), ether(49));
	assert_eq!(bridge.balance_of(token, STRANGER), ether(50) * U256::from(99) / U256::from(100));
	// A deposit that the fee shrinks to nothing is refused.
	assert!(
		bridge
			.eth
			.call(OWNER, token, tokens::setFeeCall { feeBps: U256::from(10_000) }.abi_encode())
			.success
	);
	assert!(bridge.deposit(token, ether(1)).reverted_with::<ZeroAmount>());
}

#[test]
fn deposits_outside_ballasts_mint_bounds_are_refused() {
	let mut bridge = Bridge::new();
	let (lrt, fee_token) = (bridge.lrt, bridge.fee_token);
	let limits = setDepositLimitsCall {
		token: lrt,
		minDeposit: ether(1) / U256::from(100),
		maxDeposit: ether(50),
	};
	assert!(bridge.call(STRANGER, limits.clone()).reverted_with::<OwnableUnauthorizedAccount>());
	let set = bridge.call(OWNER, limits);
	assert!(set.success);
	let event = emitted::<abi::DepositLimitsSet>(&set, bridge.gateway);
	assert_eq!((event.minDeposit, event.maxDeposit), (ether(1) / U256::from(100), ether(50)));
	assert!(bridge.deposit(lrt, ether(51)).reverted_with::<DepositTooLarge>());
	assert!(bridge.deposit(lrt, ether(1) / U256::from(1_000)).reverted_with::<DepositTooSmall>());
	assert!(bridge.deposit(lrt, ether(50)).success);
	assert_eq!(bridge.locked(lrt), ether(50));
	// Bounds apply to what arrives: 50.4 sent is 49.896 credited, within 50.
	let fee_limits =
		setDepositLimitsCall { token: fee_token, minDeposit: U256::ZERO, maxDeposit: ether(50) };
	assert!(bridge.call(OWNER, fee_limits).success);
	assert!(bridge.deposit(fee_token, ether(504) / U256::from(10)).success);
	let inverted = setDepositLimitsCall { token: lrt, minDeposit: ether(2), maxDeposit: ether(1) };
	assert!(!bridge.call(OWNER, inverted).success);
}

#[test]
fn a_deposit_never_minted_is_refunded_once_after_the_delay_by_governance_only() {
	let mut bridge = Bridge::new();
	let (lrt, gateway) = (bridge.lrt, bridge.gateway);
	let deposited_at = bridge.eth.timestamp();
	let deposit = bridge.deposit(lrt, ether(30));
	let nonce = emitted::<abi::Deposited>(&deposit, gateway).nonce;
	let refund = |amount| refundDepositCall {
		depositNonce: nonce,
		lrt,
		sender: USER,
		amount,
		depositedAt: deposited_at,
	};
	assert!(bridge.call(OWNER, refund(ether(30))).reverted_with::<RefundNotDue>());
	bridge.eth.advance_time(7 * DAY);
	assert!(bridge.call(STRANGER, refund(ether(30))).reverted_with::<OwnableUnauthorizedAccount>());
	assert!(
		bridge.call(OWNER, refund(ether(31))).reverted_with::<UnknownDeposit>(),
		"not as deposited"
	);
	let refunded = bridge.call(OWNER, refund(ether(30)));
	assert!(refunded.success, "{:?}", refunded.output);
	let event = emitted::<abi::DepositRefunded>(&refunded, gateway);
	assert_eq!((event.depositNonce, event.sender, event.amount), (nonce, USER, ether(30)));
	assert!(event.nonce > nonce, "the refund is its own event, with its own nonce");
	assert_eq!(bridge.balance_of(lrt, USER), ether(1_000));
	assert_eq!(bridge.locked(lrt), U256::ZERO);
	assert!(bridge.call(OWNER, refund(ether(30))).reverted_with::<UnknownDeposit>(), "only once");
}

#[test]
fn a_backing_source_change_is_announced_then_applied_after_the_delay() {
	let mut bridge = Bridge::new();
	let (lrt, gateway) = (bridge.lrt, bridge.gateway);
	let new_source = bridge.eth.deploy(OWNER, "MockBackingSource", &(lrt,).abi_encode_params());
	let set = setCall { totalEth: ether(2_000), stakes: vec![] }.abi_encode();
	assert!(bridge.eth.call(OWNER, new_source, set).success);
	// Not by configureLrt any more.
	let instant = configureLrtCall { lrt, backingSource: new_source, depositsOpen: true };
	assert!(bridge.call(OWNER, instant).reverted_with::<SourceChangeNeedsAnnouncement>());
	let announce = announceBackingSourceCall { lrt, backingSource: new_source };
	assert!(bridge.call(STRANGER, announce.clone()).reverted_with::<OwnableUnauthorizedAccount>());
	let announced = bridge.call(OWNER, announce);
	assert!(announced.success);
	let event = emitted::<abi::BackingSourceAnnounced>(&announced, gateway);
	let effective_at = bridge.eth.timestamp() + 7 * DAY;
	assert_eq!((event.backingSource, event.effectiveAt), (new_source, effective_at));
	assert!(bridge
		.call(STRANGER, applyBackingSourceCall { lrt })
		.reverted_with::<SourceChangeNotDue>());
	// Until it applies, reports come from the old source.
	let report = bridge.call(USER, reportBackingCall { lrt });
	assert_eq!(emitted::<abi::BackingReported>(&report, gateway).totalEth, U256::ZERO);
	bridge.eth.advance_time(7 * DAY);
	let applied = bridge.call(STRANGER, applyBackingSourceCall { lrt });
	assert!(applied.success, "anyone applies a due change");
	let changed = emitted::<abi::BackingSourceChanged>(&applied, gateway);
	assert_eq!((changed.previousSource, changed.backingSource), (bridge.source, new_source));
	let report = bridge.call(USER, reportBackingCall { lrt });
	assert_eq!(emitted::<abi::BackingReported>(&report, gateway).totalEth, ether(2_000));
	assert!(bridge
		.call(STRANGER, applyBackingSourceCall { lrt })
		.reverted_with::<NoPendingSource>());
}

#[test]
fn the_guardian_can_cancel_an_announced_backing_source() {
	let mut bridge = Bridge::new();
	let (lrt, gateway) = (bridge.lrt, bridge.gateway);
	let new_source = bridge.eth.deploy(OWNER, "MockBackingSource", &(lrt,).abi_encode_params());
	assert!(
		bridge.call(OWNER, announceBackingSourceCall { lrt, backingSource: new_source }).success
	);
	assert!(bridge.call(STRANGER, cancelBackingSourceCall { lrt }).reverted_with::<NotGuardian>());
	let cancelled = bridge.call(GUARDIAN, cancelBackingSourceCall { lrt });
	assert!(cancelled.success);
	assert_eq!(
		emitted::<abi::BackingSourceChangeCancelled>(&cancelled, gateway).backingSource,
		new_source
	);
	bridge.eth.advance_time(8 * DAY);
	assert!(bridge.call(OWNER, applyBackingSourceCall { lrt }).reverted_with::<NoPendingSource>());
	// WETH has no backing source to change.
	let weth = bridge.weth;
	assert!(bridge
		.call(OWNER, announceBackingSourceCall { lrt: weth, backingSource: new_source })
		.reverted_with::<NotAnLrt>());
}

#[test]
fn ownership_moves_in_two_steps() {
	let mut bridge = Bridge::new();
	let gateway = bridge.gateway;
	assert!(bridge.call(OWNER, transferOwnershipCall { newOwner: STRANGER }).success);
	assert_eq!(
		bridge.eth.read(gateway, ownerCall {}).expect("owner"),
		OWNER,
		"not before accepted"
	);
	assert_eq!(bridge.eth.read(gateway, pendingOwnerCall {}).expect("pending"), STRANGER);
	assert!(bridge
		.call(USER, acceptOwnershipCall {})
		.reverted_with::<OwnableUnauthorizedAccount>());
	assert!(bridge.call(STRANGER, acceptOwnershipCall {}).success);
	assert_eq!(bridge.eth.read(gateway, ownerCall {}).expect("owner"), STRANGER);
	let lrt = bridge.lrt;
	let close = setDepositsOpenCall { token: lrt, open: false };
	assert!(bridge.call(OWNER, close.clone()).reverted_with::<OwnableUnauthorizedAccount>());
	assert!(bridge.call(STRANGER, close).success);
}

#[test]
fn the_guardian_pauses_and_only_the_owner_unpauses() {
	let mut bridge = Bridge::new();
	let lrt = bridge.lrt;
	assert!(bridge.deposit(lrt, ether(10)).success);
	assert!(bridge.call(STRANGER, pauseCall {}).reverted_with::<NotGuardian>());
	assert!(bridge.call(GUARDIAN, pauseCall {}).success);
	assert!(bridge.deposit(lrt, ether(1)).reverted_with::<EnforcedPause>());
	let deposit_eth = bridge.eth.call_with_value(
		USER,
		bridge.gateway,
		ether(1),
		depositEthCall { recipient: RECIPIENT.into() }.abi_encode(),
	);
	assert!(deposit_eth.reverted_with::<EnforcedPause>());
	assert!(bridge.release(lrt, USER, ether(1), 1).reverted_with::<EnforcedPause>());
	// Reports go on: a pause must not freeze the valuation Ballast liquidates by.
	assert!(bridge.call(USER, reportBackingCall { lrt }).success);
	assert!(bridge.call(GUARDIAN, unpauseCall {}).reverted_with::<OwnableUnauthorizedAccount>());
	assert!(bridge.call(OWNER, unpauseCall {}).success);
	assert!(bridge.deposit(lrt, ether(1)).success);
	assert!(bridge.release(lrt, USER, ether(1), 1).success);
}

#[test]
fn releases_pause_alone_and_deposits_go_on() {
	let mut bridge = Bridge::new();
	let lrt = bridge.lrt;
	assert!(bridge.deposit(lrt, ether(10)).success);
	assert!(bridge.call(GUARDIAN, pauseReleasesCall {}).success);
	assert!(bridge.release(lrt, USER, ether(1), 1).reverted_with::<ReleasesPaused>());
	assert!(bridge.deposit(lrt, ether(1)).success);
	assert!(bridge
		.call(GUARDIAN, unpauseReleasesCall {})
		.reverted_with::<OwnableUnauthorizedAccount>());
	assert!(bridge.call(OWNER, unpauseReleasesCall {}).success);
	assert!(bridge.release(lrt, USER, ether(1), 1).success);
}

#[test]
fn the_release_limit_is_a_bucket_refilled_over_its_window() {
	let mut bridge = Bridge::new();
	let (lrt, gateway) = (bridge.lrt, bridge.gateway);
	assert!(bridge.deposit(lrt, ether(100)).success);
	let set = bridge.call(OWNER, setReleaseLimitCall { token: lrt, limit: ether(10), window: DAY });
	assert!(set.success);
	assert_eq!(emitted::<abi::ReleaseLimitSet>(&set, gateway).limit, ether(10));
	assert!(bridge.release(lrt, USER, ether(10), 1).success, "a full bucket");
	assert!(bridge.release(lrt, USER, ether(1), 2).reverted_with::<ReleaseLimitExceeded>());
	bridge.eth.advance_time(DAY / 2);
	assert_eq!(bridge.eth.read(gateway, releaseRoomCall { token: lrt }).expect("room"), ether(5));
	assert!(bridge.release(lrt, USER, ether(5), 2).success, "half refilled in half a window");
	assert!(bridge.release(lrt, USER, ether(1), 3).reverted_with::<ReleaseLimitExceeded>());
	bridge.eth.advance_time(3 * DAY);
	assert!(
		bridge.release(lrt, USER, ether(11), 3).reverted_with::<ReleaseLimitExceeded>(),
		"never more than the bucket"
	);
	assert!(bridge.release(lrt, USER, ether(10), 3).success);
	assert_eq!(bridge.locked(lrt), ether(75));
	let no_window = setReleaseLimitCall { token: lrt, limit: ether(10), window: 0 };
	assert!(!bridge.call(OWNER, no_window).success);
}

#[test]
fn releases_are_to_someone_and_within_what_is_locked() {
	let mut bridge = Bridge::new();
	let lrt = bridge.lrt;
	assert!(bridge.deposit(lrt, ether(10)).success);
	assert!(bridge.release(lrt, Address::ZERO, ether(1), 1).reverted_with::<ZeroAddress>());
	assert!(bridge.release(lrt, USER, ether(11), 1).reverted_with::<MoreThanLocked>());
	let never_listed = Address::repeat_byte(0x99);
	assert!(bridge.release(never_listed, USER, ether(1), 1).reverted_with::<UnknownLrt>());
}

#[test]
fn skim_moves_only_what_was_never_credited() {
	let mut bridge = Bridge::new();
	let (lrt, gateway) = (bridge.lrt, bridge.gateway);
	assert!(bridge.deposit(lrt, ether(10)).success);
	assert!(bridge.call(OWNER, skimCall { token: lrt, to: OWNER }).reverted_with::<ZeroAmount>());
	let donate = transferCall { to: gateway, amount: ether(3) }.abi_encode();
	assert!(bridge.eth.call(USER, lrt, donate).success);
	assert!(bridge
		.call(STRANGER, skimCall { token: lrt, to: STRANGER })
		.reverted_with::<OwnableUnauthorizedAccount>());
	let skimmed = bridge.call(OWNER, skimCall { token: lrt, to: OWNER });
	assert!(skimmed.success);
	assert_eq!(emitted::<abi::Skimmed>(&skimmed, gateway).amount, ether(3));
	assert_eq!(bridge.balance_of(lrt, OWNER), ether(3));
	assert_eq!(bridge.locked(lrt), ether(10));
	assert_eq!(bridge.balance_of(lrt, gateway), ether(10));
}

#[test]
fn listing_is_checked() {
	let mut bridge = Bridge::new();
	let (source, weth) = (bridge.source, bridge.weth);
	let zero = configureLrtCall {
		lrt: Address::repeat_byte(0x77),
		backingSource: Address::ZERO,
		depositsOpen: true,
	};
	assert!(!bridge.call(OWNER, zero).success);
	let weth_as_lrt = configureLrtCall { lrt: weth, backingSource: source, depositsOpen: true };
	assert!(bridge.call(OWNER, weth_as_lrt).reverted_with::<NotAnLrt>());
	assert!(bridge.call(OWNER, setWethCall { weth }).reverted_with::<AlreadyListed>());
	// The same source, deposits closed, is an ordinary reconfiguration.
	let lrt = bridge.lrt;
	let close =
		bridge.call(OWNER, configureLrtCall { lrt, backingSource: source, depositsOpen: false });
	assert!(close.success);
	assert!(bridge.deposit(lrt, ether(1)).reverted_with::<DepositsClosed>());
	let unknown = Address::repeat_byte(0x66);
	assert!(bridge.deposit(unknown, ether(1)).reverted_with::<UnknownLrt>());
}

#[test]
fn without_a_guardian_only_the_owner_pauses() {
	let mut eth = ballast_ethereum_harness::Ethereum::new();
	let gateway = eth.deploy(
		OWNER,
		"BallastGateway",
		&alloy_sol_types::SolConstructor::abi_encode(&constructorCall {
			owner: OWNER,
			beefyClient: ballast_ethereum_harness::scenarios::BEEFY_CLIENT,
		}),
	);
	// The unset guardian is the zero address; no caller matches it.
	assert!(eth
		.call(Address::ZERO, gateway, pauseCall {}.abi_encode())
		.reverted_with::<NotGuardian>());
	assert!(eth.call(STRANGER, gateway, pauseCall {}.abi_encode()).reverted_with::<NotGuardian>());
	assert!(eth.call(OWNER, gateway, pauseCall {}.abi_encode()).success);
}

#[test]
fn renouncing_ownership_is_refused() {
	let mut bridge = Bridge::new();
	let gateway = bridge.gateway;
	assert!(bridge
		.call(OWNER, renounceOwnershipCall {})
		.reverted_with::<OwnershipCannotBeRenounced>());
	assert!(bridge
		.call(STRANGER, renounceOwnershipCall {})
		.reverted_with::<OwnershipCannotBeRenounced>());
	assert_eq!(bridge.eth.read(gateway, ownerCall {}).expect("owner"), OWNER);
	// The owner can still unpause what the guardian paused.
	assert!(bridge.call(GUARDIAN, pauseCall {}).success);
	assert!(bridge.call(OWNER, unpauseCall {}).success);
}

#[test]
fn refunds_draw_on_the_release_bucket_and_stop_while_releases_are_paused() {
	let mut bridge = Bridge::new();
	let (lrt, gateway) = (bridge.lrt, bridge.gateway);
	let deposited_at = bridge.eth.timestamp();
	let first = emitted::<abi::Deposited>(&bridge.deposit(lrt, ether(15)), gateway).nonce;
	let second = emitted::<abi::Deposited>(&bridge.deposit(lrt, ether(10)), gateway).nonce;
	assert!(bridge.deposit(lrt, ether(20)).success);
	let refund = |nonce, whole| refundDepositCall {
		depositNonce: nonce,
		lrt,
		sender: USER,
		amount: ether(whole),
		depositedAt: deposited_at,
	};
	bridge.eth.advance_time(7 * DAY);
	assert!(
		bridge
			.call(OWNER, setReleaseLimitCall { token: lrt, limit: ether(20), window: DAY })
			.success
	);
	assert!(bridge.release(lrt, USER, ether(8), 1).success);
	// 12 left in the bucket: the refund of 15 waits, the refund of 10 goes.
	assert!(bridge.call(OWNER, refund(first, 15)).reverted_with::<ReleaseLimitExceeded>());
	assert!(bridge.call(OWNER, refund(second, 10)).success);
	let room = bridge.eth.read(gateway, releaseRoomCall { token: lrt }).expect("room");
	assert_eq!(room, ether(2), "the refund used the releases' bucket");
	assert!(bridge.release(lrt, USER, ether(3), 2).reverted_with::<ReleaseLimitExceeded>());
	bridge.eth.advance_time(DAY);
	// Paused releases stop refunds too, and so does a paused gateway.
	assert!(bridge.call(GUARDIAN, pauseReleasesCall {}).success);
	assert!(bridge.call(OWNER, refund(first, 15)).reverted_with::<ReleasesPaused>());
	assert!(bridge.call(OWNER, unpauseReleasesCall {}).success);
	assert!(bridge.call(GUARDIAN, pauseCall {}).success);
	assert!(bridge.call(OWNER, refund(first, 15)).reverted_with::<EnforcedPause>());
	assert!(bridge.call(OWNER, unpauseCall {}).success);
	assert!(bridge.call(OWNER, refund(first, 15)).success);
	assert_eq!(bridge.locked(lrt), ether(12));
	assert_eq!(bridge.balance_of(lrt, gateway), ether(12));
}

#[test]
fn a_new_token_is_listed_with_deposits_closed_until_its_limits_are_set() {
	let mut bridge = Bridge::new();
	let gateway = bridge.gateway;
	let lrt = bridge.eth.deploy(OWNER, "MockLrt", &("rsETH".to_string(),).abi_encode_params());
	let source = bridge.eth.deploy(OWNER, "MockBackingSource", &(lrt,).abi_encode_params());
	for (from, call) in [
		(OWNER, mintCall { to: USER, amount: ether(10) }.abi_encode()),
		(USER, approveCall { spender: gateway, amount: U256::MAX }.abi_encode()),
	] {
		assert!(bridge.eth.call(from, lrt, call).success);
	}
	let list_open = configureLrtCall { lrt, backingSource: source, depositsOpen: true };
	assert!(bridge.call(OWNER, list_open.clone()).reverted_with::<DepositLimitsNotSet>());
	let listed =
		bridge.call(OWNER, configureLrtCall { lrt, backingSource: source, depositsOpen: false });
	assert!(listed.success);
	assert!(!emitted::<abi::LrtConfigured>(&listed, gateway).depositsOpen);
	assert!(bridge.deposit(lrt, ether(1)).reverted_with::<DepositsClosed>());
	let open = setDepositsOpenCall { token: lrt, open: true };
	assert!(bridge.call(OWNER, open.clone()).reverted_with::<DepositLimitsNotSet>());
	assert!(bridge.call(OWNER, list_open).reverted_with::<DepositLimitsNotSet>());
	let limits = |max| setDepositLimitsCall { token: lrt, minDeposit: U256::ZERO, maxDeposit: max };
	let too_large = U256::from(u128::MAX) + U256::from(1u8);
	assert!(bridge.call(OWNER, limits(too_large)).reverted_with::<InvalidLimits>());
	assert!(bridge.call(OWNER, limits(U256::MAX)).reverted_with::<InvalidLimits>());
	assert!(bridge.call(OWNER, limits(ether(5))).success);
	assert!(
		bridge.deposit(lrt, ether(1)).reverted_with::<DepositsClosed>(),
		"limits alone do not open"
	);
	assert!(bridge.call(OWNER, open).success);
	assert!(bridge.deposit(lrt, ether(1)).success);

	// WETH too is listed closed.
	let mut eth = ballast_ethereum_harness::Ethereum::new();
	let weth = eth.deploy(OWNER, "MockWeth9", &[]);
	let gateway = eth.deploy(
		OWNER,
		"BallastGateway",
		&alloy_sol_types::SolConstructor::abi_encode(&constructorCall {
			owner: OWNER,
			beefyClient: ballast_ethereum_harness::scenarios::BEEFY_CLIENT,
		}),
	);
	assert!(eth.call(OWNER, gateway, setWethCall { weth }.abi_encode()).success);
	eth.fund(USER, ether(1));
	let deposit_eth = depositEthCall { recipient: RECIPIENT.into() }.abi_encode();
	let closed = eth.call_with_value(USER, gateway, ether(1), deposit_eth.clone());
	assert!(closed.reverted_with::<DepositsClosed>());
	let open = setDepositsOpenCall { token: weth, open: true }.abi_encode();
	assert!(eth.call(OWNER, gateway, open).reverted_with::<DepositLimitsNotSet>());
	ballast_ethereum_harness::scenarios::open_deposits(&mut eth, gateway, weth);
	assert!(eth.call_with_value(USER, gateway, ether(1), deposit_eth).success);
}

#[test]
fn a_deposit_ballast_cannot_decode_is_refused() {
	let mut bridge = Bridge::new();
	let lrt = bridge.lrt;
	// The widest limits there are: 2^128 − 1, what Ballast's u128 balances hold.
	let wide = setDepositLimitsCall { token: lrt, minDeposit: U256::ZERO, maxDeposit: U256::MAX };
	assert!(bridge.call(OWNER, wide).reverted_with::<InvalidLimits>());
	let max = U256::from(u128::MAX);
	let mint = mintCall { to: USER, amount: max * U256::from(2u8) }.abi_encode();
	assert!(bridge.eth.call(OWNER, lrt, mint).success);
	let too_large = bridge.deposit(lrt, max + U256::from(1u8));
	assert!(too_large.reverted_with::<DepositTooLarge>(), "{:?}", too_large.output);
	assert!(bridge.deposit(lrt, max).success);
	assert_eq!(bridge.locked(lrt), max);
}

#[test]
fn a_backing_source_must_name_its_lrt() {
	let mut bridge = Bridge::new();
	let lrt = bridge.eth.deploy(OWNER, "MockLrt", &("rsETH".to_string(),).abi_encode_params());
	let no_code = Address::repeat_byte(0x5e);
	let no_lrt_function = bridge.eth.deploy(OWNER, "MockAllocationManager", &[]);
	for source in [no_code, no_lrt_function] {
		let list = configureLrtCall { lrt, backingSource: source, depositsOpen: false };
		assert!(bridge.call(OWNER, list).reverted_with::<SourceNamesNoLrt>(), "{source}");
		let announce = announceBackingSourceCall { lrt: bridge.lrt, backingSource: source };
		assert!(bridge.call(OWNER, announce).reverted_with::<SourceNamesNoLrt>(), "{source}");
	}
	// The LRT's own source names the other LRT.
	let other = configureLrtCall { lrt, backingSource: bridge.source, depositsOpen: false };
	assert!(bridge.call(OWNER, other).reverted_with::<SourceForAnotherLrt>());
	let announce = announceBackingSourceCall { lrt: bridge.lrt, backingSource: bridge.fee_source };
	assert!(bridge.call(OWNER, announce).reverted_with::<SourceForAnotherLrt>());
	let own = bridge.eth.deploy(OWNER, "MockBackingSource", &(lrt,).abi_encode_params());
	assert!(
		bridge
			.call(OWNER, configureLrtCall { lrt, backingSource: own, depositsOpen: false })
			.success
	);
}

#[test]
fn a_reporter_with_delegated_code_is_refused() {
	let mut bridge = Bridge::new();
	let lrt = bridge.lrt;
	let reporter = Address::repeat_byte(0x07);
	assert!(bridge.call(reporter, reportBackingCall { lrt }).success, "an account without code");
	// EIP-7702: the account delegates to a contract, and still sends its own transactions; its
	// call is the transaction's first frame (msg.sender == tx.origin) but it has code.
	let mut designator = vec![0xef, 0x01, 0x00];
	designator.extend_from_slice(bridge.gateway.as_slice());
	bridge.eth.set_code(reporter, &designator);
	let report = bridge.call(reporter, reportBackingCall { lrt });
	assert!(report.reverted_with::<NotExternallyOwned>(), "{:?}", report.output);
}

/// The hook token, listed with deposits open, 100 held by `USER` (approved) and 10 by the token
/// itself (approved too, for deposits its hook makes).
fn hook_token(bridge: &mut Bridge) -> Address {
	let gateway = bridge.gateway;
	let hook = bridge.eth.deploy(OWNER, "MockHookToken", &[]);
	let source = bridge.eth.deploy(OWNER, "MockBackingSource", &(hook,).abi_encode_params());
	let list = configureLrtCall { lrt: hook, backingSource: source, depositsOpen: false };
	assert!(bridge.call(OWNER, list).success);
	ballast_ethereum_harness::scenarios::open_deposits(&mut bridge.eth, gateway, hook);
	let approve = approveCall { spender: gateway, amount: U256::MAX }.abi_encode();
	let self_approve = tokens::executeCall { target: hook, data: approve.clone().into() };
	for (from, call) in [
		(OWNER, mintCall { to: USER, amount: ether(100) }.abi_encode()),
		(OWNER, mintCall { to: hook, amount: ether(10) }.abi_encode()),
		(USER, approve),
		(OWNER, self_approve.abi_encode()),
	] {
		assert!(bridge.eth.call(from, hook, call).success);
	}
	hook
}

fn set_hook(bridge: &mut Bridge, hook: Address, call: impl SolCall) {
	let set = tokens::setHookCall { target: bridge.gateway, data: call.abi_encode().into() };
	assert!(bridge.eth.call(OWNER, hook, set.abi_encode()).success);
}

#[test]
fn a_token_reentering_the_gateway_is_refused_by_the_guard() {
	let mut bridge = Bridge::new();
	let gateway = bridge.gateway;
	let hook = hook_token(&mut bridge);
	let deposited_at = bridge.eth.timestamp();
	let first = emitted::<abi::Deposited>(&bridge.deposit(hook, ether(20)), gateway).nonce;
	let second = emitted::<abi::Deposited>(&bridge.deposit(hook, ether(7)), gateway).nonce;
	// The token plays the owner (anyone may release), so that only the guard stops its hook.
	assert!(bridge.call(OWNER, transferOwnershipCall { newOwner: hook }).success);
	let accept =
		tokens::executeCall { target: gateway, data: acceptOwnershipCall {}.abi_encode().into() };
	assert!(bridge.eth.call(USER, hook, accept.abi_encode()).success);
	let as_token =
		|call: Vec<u8>| tokens::executeCall { target: gateway, data: call.into() }.abi_encode();

	// A deposit whose transfer deposits again (the balance difference would count both).
	set_hook(
		&mut bridge,
		hook,
		depositCall { lrt: hook, amount: ether(1), recipient: RECIPIENT.into() },
	);
	assert!(bridge.deposit(hook, ether(5)).reverted_with::<ReentrancyGuardReentrantCall>());
	// A release whose transfer releases again (both proven under BeefyClient's latest root).
	bridge.burn(hook, USER, ether(3), 1);
	bridge.burn(hook, STRANGER, ether(1), 2);
	bridge.finalize();
	let inner = bridge.release_call(2);
	set_hook(&mut bridge, hook, inner);
	let release = bridge.release_call(1);
	let reentered = bridge.eth.call(USER, hook, as_token(release.abi_encode()));
	assert!(reentered.reverted_with::<ReentrancyGuardReentrantCall>(), "{:?}", reentered.output);
	// A refund whose transfer refunds again.
	bridge.eth.advance_time(7 * DAY);
	let refund = |deposit_nonce, whole| refundDepositCall {
		depositNonce: deposit_nonce,
		lrt: hook,
		sender: USER,
		amount: ether(whole),
		depositedAt: deposited_at,
	};
	set_hook(&mut bridge, hook, refund(second, 7));
	let reentered = bridge.eth.call(USER, hook, as_token(refund(first, 20).abi_encode()));
	assert!(reentered.reverted_with::<ReentrancyGuardReentrantCall>(), "{:?}", reentered.output);

	assert_eq!(bridge.locked(hook), ether(27), "nothing moved");
	assert_eq!(bridge.balance_of(hook, gateway), ether(27));
	// Without a hook the same calls go through.
	let clear = tokens::setHookCall { target: Address::ZERO, data: Default::default() };
	assert!(bridge.eth.call(OWNER, hook, clear.abi_encode()).success);
	assert!(bridge.eth.call(USER, hook, as_token(release.abi_encode())).success);
	assert!(bridge.eth.call(USER, hook, as_token(refund(first, 20).abi_encode())).success);
	assert!(bridge.deposit(hook, ether(5)).success);
	assert_eq!(bridge.locked(hook), ether(9));
	assert_eq!(bridge.balance_of(hook, gateway), ether(9));
}
