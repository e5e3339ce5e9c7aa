//! When a booked AVS slash leaves the books: once a snapshot after it shows EigenLayer's cut
//! (the slashed stake listed at most at what the cut left), as far as its own figure carries
//! the ETH (its proven rate without the loss no higher than the last report's figure net of
//! every loss booked), and the rest, as before, once a snapshot is `recognition_delay` after
//! the slash.
//! The reports here are proven from the gateway's own receipts, with the figures and stakes
//! each test sets.

use super::*;
use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolCall, SolConstructor, SolValue};
use ballast_ethereum_harness::{
	calls::{
		approveCall, configureLrtCall, constructorCall, mintCall, reportBackingCall, setCall,
		slashOperatorCall, OperatorSet, OperatorStake,
	},
	evm::ether,
	scenarios::{open_deposits, BEEFY_CLIENT, OWNER, USER},
	BeaconBlock, Ethereum, SYNTHETIC_SLOT,
};
use ballast_primitives::{time::SECONDS_PER_YEAR, valuation::BackingRate};
use frame_support::assert_noop;
use sp_core::H160;

/// The beacon-chain ETH strategy of these reports.
const BEACON: H160 = H160::repeat_byte(0xbe);
/// An LST strategy.
const STETH: H160 = H160::repeat_byte(0x57);
/// The slashed operator.
const OPERATOR: H160 = H160::repeat_byte(0x0a);
/// The LRT's other operator.
const OTHER: H160 = H160::repeat_byte(0x0b);

/// `tenths` tenths of an ETH, in wei.
fn tenths(tenths: u128) -> u128 {
	tenths * ETH / 10
}

/// `percent` % as EigenLayer's `wadSlashed`.
fn percent(percent: u64) -> U256 {
	U256::from(10u64).pow(U256::from(16u64)) * U256::from(percent)
}

/// One report of the LRT's backing source: its total ETH and its stakes (operator, strategy,
/// shares), in wei.
struct Figures {
	total_eth: u128,
	stakes: Vec<(H160, H160, u128)>,
}

/// A report backing 1,000 tokens by `total` tenths of an ETH, with operator 0x0a's beacon stake
/// at `operator` tenths (not listed if `None`) and 0x0b's at 412 ETH.
fn figures(total: u128, operator: Option<u128>) -> Figures {
	let mut stakes: Vec<_> =
		operator.map(|shares| (OPERATOR, BEACON, tenths(shares))).into_iter().collect();
	stakes.push((OTHER, BEACON, 412 * ETH));
	Figures { total_eth: tenths(total), stakes }
}

/// Reports of 1,000 tokens with each of `reports`' figures, one per block (the `i`-th at beacon
/// slot `4,600,000 + 32 i`), proven from the gateway's receipts: the LRT registered, valued and
/// its blocks finalized (as [`valued`] does, with any stakes).
fn valued_with(reports: &[Figures]) -> Vec<EventProof> {
	let mut eth = Ethereum::new();
	let token = eth.deploy(OWNER, "MockLrt", &("ezETH".to_string(),).abi_encode_params());
	let source = eth.deploy(OWNER, "MockBackingSource", &(token,).abi_encode_params());
	let gateway = eth.deploy(
		OWNER,
		"BallastGateway",
		&constructorCall { owner: OWNER, beefyClient: BEEFY_CLIENT }.abi_encode(),
	);
	let setup = [
		(OWNER, token, mintCall { to: USER, amount: ether(1_000) }.abi_encode()),
		(USER, token, approveCall { spender: gateway, amount: U256::MAX }.abi_encode()),
		(
			OWNER,
			gateway,
			configureLrtCall { lrt: token, backingSource: source, depositsOpen: false }
				.abi_encode(),
		),
	];
	for (from, to, data) in setup {
		assert!(eth.call(from, to, data).success, "setup call reverted");
	}
	open_deposits(&mut eth, gateway, token);
	eth.seal();
	let mut proofs = Vec::new();
	for (i, report) in reports.iter().enumerate() {
		let stakes = report
			.stakes
			.iter()
			.map(|(operator, strategy, shares)| OperatorStake {
				operator: Address::from(operator.0),
				strategy: Address::from(strategy.0),
				shares: U256::from(*shares),
			})
			.collect();
		let set = setCall { totalEth: U256::from(report.total_eth), stakes }.abi_encode();
		assert!(eth.call(OWNER, source, set).success, "set reverted");
		let reported = eth.call(USER, gateway, reportBackingCall { lrt: token }.abi_encode());
		assert!(reported.success, "report reverted");
		let block = eth.seal();
		let beacon = BeaconBlock::new(SYNTHETIC_SLOT + 32 * i as u64, &block);
		let log = reported.logs.iter().find(|log| log.address == gateway).expect("event");
		finalize_execution_block(H256::from(
			beacon.execution_proof().execution_header.block_hash().0,
		));
		proofs.push(beacon.event_proof(log, reported.tx_index));
	}
	register(LRT, H160::from(token.0 .0), H160::from(gateway.0 .0));
	assert_ok!(LrtBacking::set_params(RuntimeOrigin::root(), LRT, params()));
	proofs
}

/// EigenLayer's AllocationManager slashing `operator` in each of `slashed` (strategy, wad), in a
/// finalized block, as if at beacon slot `slot`; the manager is the one Ballast follows.
fn slash(operator: H160, slashed: &[(H160, U256)], slot: u64) -> EventProof {
	let mut eth = Ethereum::new();
	let manager = eth.deploy(OWNER, "MockAllocationManager", &[]);
	eth.seal();
	let call = slashOperatorCall {
		operator: Address::from(operator.0),
		operatorSet: OperatorSet { avs: Address::repeat_byte(0xa5), id: 1 },
		strategies: slashed.iter().map(|(strategy, _)| Address::from(strategy.0)).collect(),
		wadSlashed: slashed.iter().map(|(_, wad)| *wad).collect(),
		description: "equivocation".into(),
	};
	let slashing = eth.call(OWNER, manager, call.abi_encode());
	assert!(slashing.success, "slashOperator reverted");
	let block = eth.seal();
	let beacon = BeaconBlock::new(SYNTHETIC_SLOT, &block);
	finalize_execution_block(H256::from(beacon.execution_proof().execution_header.block_hash().0));
	assert_ok!(LrtBacking::set_allocation_manager(RuntimeOrigin::root(), H160::from(manager.0 .0)));
	at_slot(beacon.event_proof(&slashing.logs[0], slashing.tx_index), slot)
}

fn submit_slash(proof: &EventProof) -> frame_support::dispatch::DispatchResultWithPostInfo {
	LrtBacking::submit_avs_slashing(RuntimeOrigin::signed(1), Box::new(proof.clone()))
}

/// The wei of `lrt`'s booked losses of an AVS slash of `operator` in `strategy`.
fn avs_losses(operator: H160, strategy: H160) -> Vec<u128> {
	Losses::<Test>::get(LRT)
		.iter()
		.filter(|loss| loss.kind == LossKind::AvsSlash { operator, strategy })
		.map(|loss| loss.wei)
		.collect()
}

/// Whether a `FallPending` was emitted since the `since`-th event.
fn fall_pending_since(since: usize) -> bool {
	System::events()[since..]
		.iter()
		.any(|record| matches!(record.event, RuntimeEvent::LrtBacking(Event::FallPending { .. })))
}

/// The live run (blocks 66 and 69): an AVS slash of operator 0x0a is proven (10 % of its 618
/// ETH: 61.8 ETH booked, the rate 1.03 → 0.9682); then the LRT's next report arrives, already
/// pricing it: 968.2 ETH, 0x0a's stake listed cut to 556.2. The slash leaves the books with
/// that report: the rate is the reported one, no fall is pending, borrowing goes on. (It used
/// to stay until `recognition_delay`, counted twice: the report's 0.9682 net of 61.8 ETH again
/// was a 6 % unproven fall, held at 1 % with borrowing paused.)
#[test]
fn a_report_that_prices_an_avs_slash_takes_it_off_the_books() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let reports = valued_with(&[figures(10_300, Some(6_180)), figures(9_682, Some(5_562))]);
		assert_ok!(submit(&reports[0]));
		let proof = slash(OPERATOR, &[(BEACON, percent(10))], SNAPSHOT_SLOT + 10);
		assert_ok!(submit_slash(&proof));
		assert_eq!(avs_losses(OPERATOR, BEACON), vec![tenths(618)]);
		assert_eq!(
			AvsSlashCuts::<Test>::get(LRT).into_inner(),
			vec![AvsSlashCut {
				operator: OPERATOR,
				strategy: BEACON,
				slash: EthereumPosition { slot: SNAPSHOT_SLOT + 10, tx_index: 0 },
				left: tenths(5_562),
			}]
		);
		let cut = rate(9_682, 10_000);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(cut));

		let events = System::events().len();
		assert_ok!(submit(&reports[1]));
		assert!(Losses::<Test>::get(LRT).is_empty());
		assert!(!AvsSlashCuts::<Test>::contains_key(LRT));
		let c = LrtBacking::components(LRT).expect("valued");
		assert_eq!((c.reported, c.proven, c.effective, c.unconfirmed), (cut, cut, cut, None));
		assert!(!fall_pending_since(events) && !PendingFalls::<Test>::contains_key(LRT));
		assert_eq!(LrtBacking::borrow_rate(LRT), Some(cut));
		// Lending heard of one fall: the slash's.
		assert_eq!(decreases(), vec![(LRT, rate(1_030, 1_000), cut)]);
	});
}

/// Issue 18, H-1, still holds: EigenLayer's withdrawable shares show a slash at once, but an
/// LRT's own figure may price it only when its oracle reprices (Swell's stored rate, ether.fi's
/// rebase). A report right after the slash listing the cut stake with the figure from before it
/// (anyone may take one) leaves the slash booked; shares alone never erase it.
#[test]
fn a_report_listing_the_cut_stake_without_pricing_it_keeps_the_slash() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let reports = valued_with(&[figures(10_300, Some(6_180)), figures(10_300, Some(5_562))]);
		assert_ok!(submit(&reports[0]));
		assert_ok!(submit_slash(&slash(OPERATOR, &[(BEACON, percent(10))], SNAPSHOT_SLOT + 10)));
		assert_ok!(submit(&reports[1]));
		assert_eq!(avs_losses(OPERATOR, BEACON), vec![tenths(618)]);
		assert_eq!(AvsSlashCuts::<Test>::get(LRT).len(), 1);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(9_682, 10_000)));
	});
}

/// The figure is measured against the last report's own figure net of the booked losses, not
/// against a pending fall's held rate: with a 2.9 % reported fall unconfirmed (1,030 → 1,000,
/// the rate held at 1.0197), a 1 % slash of 0x0a's 600 (6 ETH) followed by a report still at
/// 1,000 (not pricing it) keeps the slash booked, although 1,000 is below the held rate net of
/// it (1.0137).
#[test]
fn a_pending_fall_does_not_hide_an_unpriced_slash() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let reports = valued_with(&[
			figures(10_300, Some(6_180)),
			figures(10_000, Some(6_000)),
			figures(10_000, Some(5_940)),
		]);
		assert_ok!(submit(&reports[0]));
		assert_ok!(submit(&reports[1]));
		assert!(PendingFalls::<Test>::contains_key(LRT));
		assert_ok!(submit_slash(&slash(OPERATOR, &[(BEACON, percent(1))], SNAPSHOT_SLOT + 40)));
		assert_eq!(avs_losses(OPERATOR, BEACON), vec![6 * ETH]);
		assert!(LrtBacking::components(LRT).expect("valued").proven > rate(1, 1));
		assert_ok!(submit(&reports[2]));
		assert_eq!(avs_losses(OPERATOR, BEACON), vec![6 * ETH]);
		assert_eq!(AvsSlashCuts::<Test>::get(LRT).len(), 1);
	});
}

/// A figure that prices the slash but also adds rewards earned since the previous report (977
/// instead of 968.2, a tenth of a year later) cannot be told from one that prices only part of
/// the slash (or a stale one that counts the rewards): it carries the loss down to what keeps
/// the proven rate where it was, and the part the rewards offset (8.8 ETH) stays booked, with
/// its cut, until a report carries it or `recognition_delay`. The rate stays at 0.9682.
#[test]
fn a_report_pricing_the_slash_with_rewards_leaves_what_they_offset_booked() {
	for (total, stays) in [(9_682, None), (9_770, Some(tenths(88)))] {
		ExtBuilder.build_and_execute(|| {
			set_time(T0 + 60);
			fresh_validators();
			let reports = valued_with(&[figures(10_300, Some(6_180)), figures(total, Some(5_562))]);
			assert_ok!(submit(&at_time(reports[0].clone(), T0)));
			assert_ok!(submit_slash(&slash(
				OPERATOR,
				&[(BEACON, percent(10))],
				SNAPSHOT_SLOT + 10
			)));
			let later = T0 + SECONDS_PER_YEAR / 10;
			set_time(later + 60);
			assert_ok!(submit(&at_time(reports[1].clone(), later)));
			assert_eq!(avs_losses(OPERATOR, BEACON), stays.into_iter().collect::<Vec<_>>());
			assert_eq!(AvsSlashCuts::<Test>::contains_key(LRT), stays.is_some());
			let c = LrtBacking::components(LRT).expect("valued");
			assert_eq!((c.proven, c.effective), (rate(9_682, 10_000), rate(9_682, 10_000)));
		});
	}
}

/// A report after the slash that lists more of the operator's stake than the cut left (stake
/// delegated since) or no longer lists it (a withdrawal may have emptied it) does not show the
/// cut, whatever its figure: the slash stays booked until a snapshot `recognition_delay` after
/// it, which takes it off (and its cut) as before.
#[test]
fn a_report_not_showing_the_cut_keeps_the_slash_until_the_recognition_delay() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let reports = valued_with(&[
			figures(10_300, Some(6_180)),
			// 1 wei more than the cut left.
			Figures {
				total_eth: tenths(9_682),
				stakes: vec![(OPERATOR, BEACON, tenths(5_562) + 1), (OTHER, BEACON, 412 * ETH)],
			},
			figures(9_682, Some(6_000)),
			figures(9_682, None),
			figures(9_682, None),
		]);
		assert_ok!(submit(&reports[0]));
		assert_ok!(submit_slash(&slash(OPERATOR, &[(BEACON, percent(10))], SNAPSHOT_SLOT + 10)));
		for report in &reports[1..4] {
			assert_ok!(submit(report));
			assert_eq!(avs_losses(OPERATOR, BEACON), vec![tenths(618)]);
			assert_eq!(AvsSlashCuts::<Test>::get(LRT).len(), 1);
		}
		let recognised = SNAPSHOT_SLOT + 10 + (40 * DAY).div_ceil(12);
		assert_ok!(submit(&at_slot(reports[4].clone(), recognised)));
		assert!(Losses::<Test>::get(LRT).is_empty());
		assert!(!AvsSlashCuts::<Test>::contains_key(LRT));
	});
}

/// A report before the slash never includes it, even one relayed after it that lists fewer
/// shares and a lower figure (taken before the slash, that is a withdrawal, not the cut).
#[test]
fn a_report_before_the_slash_keeps_it() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let reports = valued_with(&[figures(10_300, Some(6_180)), figures(9_682, Some(5_562))]);
		assert_ok!(submit(&reports[0]));
		// The slash after the second report's slot (4,600,032), relayed before it.
		assert_ok!(submit_slash(&slash(OPERATOR, &[(BEACON, percent(10))], SNAPSHOT_SLOT + 40)));
		assert_ok!(submit(&reports[1]));
		assert_eq!(avs_losses(OPERATOR, BEACON), vec![tenths(618)]);
		assert_eq!(AvsSlashCuts::<Test>::get(LRT).len(), 1);
	});
}

/// The rule itself: a snapshot after the slash (not at it, nor before) listing at most the
/// shares the cut left shows the cut; one listing more, or not listing the pair, does not,
/// unless the cut left nothing (a full slash, whose stake an adapter leaves out).
#[test]
fn a_cut_is_shown_only_by_a_later_snapshot_listing_at_most_what_it_left() {
	let at = |slot: u64, tx_index: u64| EthereumPosition { slot, tx_index };
	let cut = AvsSlashCut { operator: OPERATOR, strategy: BEACON, slash: at(100, 5), left: 900 };
	assert!(cut.shown_by(at(100, 6), Some(900)));
	assert!(cut.shown_by(at(101, 0), Some(0)));
	assert!(!cut.shown_by(at(100, 5), Some(900)), "at the slash");
	assert!(!cut.shown_by(at(100, 4), Some(900)), "before the slash");
	assert!(!cut.shown_by(at(101, 0), Some(901)), "more than the cut left");
	assert!(!cut.shown_by(at(101, 0), None), "not listed");
	let full = AvsSlashCut { left: 0, ..cut };
	assert!(full.shown_by(at(101, 0), None));
	assert!(full.shown_by(at(101, 0), Some(0)));
	assert!(!full.shown_by(at(101, 0), Some(1)));
	assert!(!full.shown_by(at(100, 5), None));
}

/// An AVS slash merged with an older loss (full books) loses its cut: the merged loss keeps the
/// rule of position and age, so a report showing the cut and pricing everything leaves it
/// booked.
#[test]
fn a_merged_avs_slash_keeps_the_rule_of_position_and_age() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let reports = valued_with(&[figures(10_300, Some(6_180)), figures(9_678, Some(5_562))]);
		assert_ok!(submit(&reports[0]));
		assert_ok!(submit_slash(&slash(OPERATOR, &[(BEACON, percent(10))], SNAPSHOT_SLOT + 10)));
		// Four balance drops of 0.1 ETH: the fourth finds the books full (4) and merges the two
		// oldest, the slash among them.
		for index in 1..=4 {
			validator_balance_changed(LRT, index, 32 * GWEI, 32 * GWEI - GWEI / 10, 9_000);
		}
		let books = Losses::<Test>::get(LRT);
		assert_eq!(books.len(), 4);
		assert_eq!(books[0].kind, LossKind::Merged);
		assert_eq!(books[0].wei, tenths(618) + tenths(1));
		assert!(!AvsSlashCuts::<Test>::contains_key(LRT));
		// 1,030 − 61.8 − 0.4, the slash's stake listed cut: nothing leaves.
		assert_ok!(submit(&reports[1]));
		assert_eq!(Losses::<Test>::get(LRT), books);
	});
}

/// One slashing of two strategies books one loss and one cut per strategy, and each leaves on
/// its own evidence: a report showing both cuts and pricing both takes both off; one listing
/// more stETH than the cut left (stake delegated since) takes off the beacon strategy's only.
#[test]
fn a_slash_of_two_strategies_leaves_strategy_by_strategy() {
	let stakes = |beacon: u128, steth: u128| {
		vec![
			(OPERATOR, BEACON, tenths(beacon)),
			(OPERATOR, STETH, tenths(steth)),
			(OTHER, BEACON, 412 * ETH),
		]
	};
	for (steth_after, both_leave) in [(1_800, true), (2_500, false)] {
		ExtBuilder.build_and_execute(|| {
			set_time(T0 + 60);
			fresh_validators();
			let reports = valued_with(&[
				Figures { total_eth: tenths(12_300), stakes: stakes(6_180, 2_000) },
				// 1,230 − 61.8 − 20.
				Figures { total_eth: tenths(11_482), stakes: stakes(5_562, steth_after) },
			]);
			assert_ok!(submit(&reports[0]));
			let both = [(BEACON, percent(10)), (STETH, percent(10))];
			assert_ok!(submit_slash(&slash(OPERATOR, &both, SNAPSHOT_SLOT + 10)));
			assert_eq!(avs_losses(OPERATOR, BEACON), vec![tenths(618)]);
			assert_eq!(avs_losses(OPERATOR, STETH), vec![tenths(200)]);
			let lefts: Vec<_> =
				AvsSlashCuts::<Test>::get(LRT).iter().map(|cut| (cut.strategy, cut.left)).collect();
			assert_eq!(lefts, vec![(BEACON, tenths(5_562)), (STETH, tenths(1_800))]);
			assert_ok!(submit(&reports[1]));
			assert!(avs_losses(OPERATOR, BEACON).is_empty());
			if both_leave {
				assert!(Losses::<Test>::get(LRT).is_empty());
				assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(11_482, 10_000)));
			} else {
				assert_eq!(avs_losses(OPERATOR, STETH), vec![tenths(200)]);
				let lefts: Vec<_> =
					AvsSlashCuts::<Test>::get(LRT).iter().map(|cut| cut.strategy).collect();
				assert_eq!(lefts, vec![STETH]);
			}
		});
	}
}

/// Two slashes of different operators, both cuts shown, but the report's figure prices only
/// 0x0b's (41.2 ETH off 1,030): dropping 0x0a's (61.8) would lift the rate above what Ballast
/// proved, so only 0x0b's leaves, and the rate stays at 1,030 − 103 (not 1,030 − 41.2).
#[test]
fn a_report_pricing_one_of_two_slashes_takes_off_only_that_one() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let reports = valued_with(&[
			figures(10_300, Some(6_180)),
			Figures {
				total_eth: tenths(9_888),
				stakes: vec![(OPERATOR, BEACON, tenths(5_562)), (OTHER, BEACON, tenths(3_708))],
			},
		]);
		assert_ok!(submit(&reports[0]));
		assert_ok!(submit_slash(&slash(OPERATOR, &[(BEACON, percent(10))], SNAPSHOT_SLOT + 10)));
		assert_ok!(submit_slash(&slash(OTHER, &[(BEACON, percent(10))], SNAPSHOT_SLOT + 11)));
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(9_270, 10_000)));
		assert_ok!(submit(&reports[1]));
		assert_eq!(avs_losses(OPERATOR, BEACON), vec![tenths(618)]);
		assert!(avs_losses(OTHER, BEACON).is_empty());
		let cuts: Vec<_> = AvsSlashCuts::<Test>::get(LRT).iter().map(|cut| cut.operator).collect();
		assert_eq!(cuts, vec![OPERATOR]);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(9_270, 10_000)));
	});
}

/// Two slashes of operator 0x0a's beacon stake between two reports are each booked on the 618
/// listed before them (10 %: 61.8; 50 %: 309), each at most what it cut, together more than
/// EigenLayer's compounding cuts took (339.9, leaving 278.1). A report between the two shows
/// the first cut only, prices it, and takes the first off. A report after both, listing 278.1
/// and pricing the 339.9, takes off the first and 278.1 of the second: the 30.9 the model
/// booked beyond the cuts stays until `recognition_delay`, and the rate does not move.
#[test]
fn repeated_slashes_of_a_stake_leave_as_far_as_the_report_prices_them() {
	for (between, slot) in [(true, SNAPSHOT_SLOT + 15), (false, SNAPSHOT_SLOT + 32)] {
		ExtBuilder.build_and_execute(|| {
			set_time(T0 + 60);
			fresh_validators();
			let after =
				if between { figures(9_682, Some(5_562)) } else { figures(6_901, Some(2_781)) };
			let reports = valued_with(&[figures(10_300, Some(6_180)), after]);
			assert_ok!(submit(&reports[0]));
			assert_ok!(submit_slash(&slash(
				OPERATOR,
				&[(BEACON, percent(10))],
				SNAPSHOT_SLOT + 10
			)));
			assert_ok!(submit_slash(&slash(
				OPERATOR,
				&[(BEACON, percent(50))],
				SNAPSHOT_SLOT + 20
			)));
			assert_eq!(avs_losses(OPERATOR, BEACON), vec![tenths(618), 309 * ETH]);
			let lefts: Vec<_> = AvsSlashCuts::<Test>::get(LRT).iter().map(|cut| cut.left).collect();
			assert_eq!(lefts, vec![tenths(5_562), 309 * ETH]);
			let held = rate(6_592, 10_000);
			assert_eq!(LrtBacking::backing_rate(LRT), Some(held));
			let events = System::events().len();
			assert_ok!(submit(&at_slot(reports[1].clone(), slot)));
			let second = if between { 309 * ETH } else { tenths(309) };
			assert_eq!(avs_losses(OPERATOR, BEACON), vec![second]);
			let lefts: Vec<_> = AvsSlashCuts::<Test>::get(LRT).iter().map(|cut| cut.left).collect();
			assert_eq!(lefts, vec![309 * ETH]);
			assert_eq!(LrtBacking::backing_rate(LRT), Some(held));
			assert!(!fall_pending_since(events));
		});
	}
}

/// A slash a report took off the books stays remembered: replayed, it is refused as booked,
/// not booked again against the report that priced it.
#[test]
fn a_slash_taken_off_by_a_report_is_not_booked_again() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let reports = valued_with(&[figures(10_300, Some(6_180)), figures(9_682, Some(5_562))]);
		assert_ok!(submit(&reports[0]));
		let proof = slash(OPERATOR, &[(BEACON, percent(10))], SNAPSHOT_SLOT + 10);
		assert_ok!(submit_slash(&proof));
		assert_ok!(submit(&reports[1]));
		assert!(Losses::<Test>::get(LRT).is_empty());
		assert_noop!(submit_slash(&proof), Error::<Test>::AlreadyBooked);
		assert!(Losses::<Test>::get(LRT).is_empty());
	});
}

/// Submits `proof` (a newer report) and checks what left the books: at least what the rule of
/// position and age takes off, and what the new rule takes off never lifts the proven rate
/// above the last report's figure net of every loss booked before.
fn report_takes_off_no_more_than_its_figure_carries(
	proof: &EventProof,
) -> Result<(), proptest::test_runner::TestCaseError> {
	use snowbridge_beacon_primitives::VersionedExecutionPayloadHeader as Header;
	let total = |losses: &mut dyn Iterator<Item = &Loss>| {
		losses.fold(0u128, |sum, loss| sum.saturating_add(loss.wei))
	};
	let last = Snapshots::<Test>::get(LRT).expect("snapshot");
	let books = Losses::<Test>::get(LRT);
	let position = EthereumPosition {
		slot: proof.proof.execution_proof.header.slot,
		tx_index: proof.event_log.tx_index,
	};
	let timestamp = match &proof.proof.execution_proof.execution_header {
		Header::Capella(header) => header.timestamp,
		Header::Deneb(header) => header.timestamp,
	};
	let delay = params().recognition_delay;
	let booked = total(&mut books.iter());
	let by_position_and_age =
		total(&mut books.iter().filter(|loss| !loss.included_in(timestamp, position, delay)));
	assert_ok!(submit(proof));
	let snapshot = Snapshots::<Test>::get(LRT).expect("snapshot");
	let left = total(&mut Losses::<Test>::get(LRT).iter());
	let proven = |losses| {
		crate::math::proven_rate(snapshot.total_eth, losses, snapshot.total_supply).expect("rate")
	};
	let ceiling =
		crate::math::proven_rate(last.total_eth, booked, last.total_supply).expect("rate");
	proptest::prop_assert!(left <= by_position_and_age);
	proptest::prop_assert!(proven(left) <= proven(by_position_and_age).max(ceiling));
	Ok(())
}

proptest::proptest! {
	#![proptest_config(proptest::prelude::ProptestConfig { cases: 32, ..Default::default() })]

	/// Whatever AVS slashes (of either operator, before or after the next report), balance drops
	/// (merging full books) and reports (any figure, either stake cut or not, 0x0a's listed or
	/// not) arrive: every AVS-slash loss keeps its cut, in order (`do_try_state`, after every
	/// step), and a report takes off at least what the rule of position and age does and, by
	/// the new rule, never lifts the proven rate above the last report's net of every loss.
	#[test]
	fn a_report_takes_off_no_more_than_its_figure_carries(
		reports in proptest::collection::vec(
			(
				8_000u128..10_400,
				proptest::option::weighted(0.8, 2_000u128..6_200),
				1_500u128..4_120,
			),
			1..5,
		),
		steps in proptest::collection::vec((0u8..4, 1u64..25, 1u64..40), 1..14),
	) {
		ExtBuilder.build_and_execute(|| {
			set_time(T0 + 60);
			fresh_validators();
			let mut all = vec![figures(10_300, Some(6_180))];
			all.extend(reports.iter().map(|(total, operator, other)| Figures {
				total_eth: tenths(*total),
				stakes: operator
					.map(|shares| (OPERATOR, BEACON, tenths(shares)))
					.into_iter()
					.chain([(OTHER, BEACON, tenths(*other))])
					.collect(),
			}));
			let proofs = valued_with(&all);
			assert_ok!(submit(&proofs[0]));
			let (mut next, mut index, mut now) = (1usize, 0u64, T0 + 60);
			for (kind, amount, offset) in steps {
				now += 60;
				set_time(now);
				index += 1;
				match kind {
					0 | 1 => {
						let current = Snapshots::<Test>::get(LRT).expect("snapshot").position;
						let operator = if amount % 2 == 0 { OPERATOR } else { OTHER };
						let slot = current.slot + offset;
						let _ = submit_slash(&slash(operator, &[(BEACON, percent(amount))], slot));
					},
					2 => {
						let current = 32 * GWEI - amount * GWEI / 100;
						validator_balance_changed(LRT, index, 32 * GWEI, current, 9_000);
					},
					_ if next < proofs.len() => {
						report_takes_off_no_more_than_its_figure_carries(&proofs[next])?;
						next += 1;
					},
					_ => {},
				}
				proptest::prop_assert_eq!(LrtBacking::do_try_state(), Ok(()));
			}
			Ok(())
		})?;
	}
}
