//! `submit_avs_slashing`: EigenLayer's `OperatorSlashed`, proven from the AllocationManager's own
//! receipt, booked against the LRT's stake with the operator.

use super::*;
use alloy_primitives::U256;
use ballast_ethereum_harness::scenarios::avs_slashing;
use ballast_primitives::valuation::BackingRate;
use frame_support::{
	assert_noop,
	dispatch::Pays,
	traits::{Get, Hooks},
	BoundedVec,
};
use sp_core::H160;

/// The beacon-chain ETH strategy of the harness's reports.
const BEACON: H160 = H160::repeat_byte(0xbe);

#[test]
fn avs_slashes_are_scaled_by_the_lrts_stake() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		assert_ok!(submit(&valued(&[1_030])[0]));
		let operator = H160::repeat_byte(0x0a);
		let strategy = H160::repeat_byte(0xbe);
		let wad = U256::from(10u64).pow(U256::from(17u64)); // 10%
		let (manager, beacon, mut proof) = avs_slashing(operator, strategy, wad);
		// Its beacon block comes after the snapshot's (the light client proves the slot; the
		// test verifier takes finality from the execution block alone).
		proof.proof.execution_proof.header.slot = SNAPSHOT_SLOT + 1;
		let submit_slash = |proof: &EventProof| {
			LrtBacking::submit_avs_slashing(RuntimeOrigin::signed(1), Box::new(proof.clone()))
		};
		assert_noop!(submit_slash(&proof), Error::<Test>::NoAllocationManager);
		assert_ok!(LrtBacking::set_allocation_manager(RuntimeOrigin::root(), manager));
		assert_noop!(submit_slash(&proof), Error::<Test>::InvalidProof);
		finalize_execution_block(H256::from(
			beacon.execution_proof().execution_header.block_hash().0,
		));
		let mut foreign = proof.clone();
		foreign.event_log.address = H160::repeat_byte(0x31);
		assert_noop!(submit_slash(&foreign), Error::<Test>::WrongEmitter);

		assert_eq!(submit_slash(&proof).expect("booked").pays_fee, Pays::No);
		// Operator 0x0a holds 60% of 1,030 ETH; 10% of it is slashed: 61.8 ETH.
		assert_eq!(Losses::<Test>::get(LRT)[0].wei, 61_800 * ETH / 1_000);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(1_030_000 - 61_800, 1_000_000)));
		assert_eq!(decreases().len(), 1);
		assert_noop!(submit_slash(&proof), Error::<Test>::AlreadyBooked);

		// An operator the LRT does not delegate to.
		let (_, beacon, other) = avs_slashing(H160::repeat_byte(0x0c), strategy, wad);
		finalize_execution_block(H256::from(
			beacon.execution_proof().execution_header.block_hash().0,
		));
		assert_noop!(submit_slash(&other), Error::<Test>::NoExposure);
	});
}

/// H-1: an LRT's accounting may price an AVS slash only when its oracle next reprices, so a
/// report right after the slash (even one submitted first) must not erase it: the slash stays
/// booked until a snapshot `recognition_delay` after it; only a slash older than that before
/// the snapshot is refused. The LRT is exposed to the operator since its first snapshot, before
/// the slash: a slash after the first snapshot listing the operator is still booked against a
/// later snapshot that predates its recognition.
#[test]
fn a_report_right_after_an_avs_slash_does_not_erase_it() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		// Snapshots at slots 4,600,000 (transaction 1), 4,600,032 and 4,600,064.
		let reports = valued(&[1_030, 1_030, 1_030, 1_030]);
		assert_ok!(submit(&reports[0]));
		let operator = H160::repeat_byte(0x0a);
		let first_listed = Snapshots::<Test>::get(LRT).expect("snapshot").position;
		let since = || Exposures::<Test>::get(LRT, (operator, BEACON)).map(|run| run.since);
		assert_eq!(since(), Some(first_listed));
		let wad = U256::from(10u64).pow(U256::from(17u64));
		let (manager, beacon, proof) = avs_slashing(operator, H160::repeat_byte(0xbe), wad);
		assert_ok!(LrtBacking::set_allocation_manager(RuntimeOrigin::root(), manager));
		finalize_execution_block(H256::from(
			beacon.execution_proof().execution_header.block_hash().0,
		));
		let submit_slash = |proof: &EventProof| {
			LrtBacking::submit_avs_slashing(RuntimeOrigin::signed(1), Box::new(proof.clone()))
		};
		let delay_slots = (40 * DAY).div_ceil(12);
		// A slash before the first snapshot listing the operator is not exposure.
		let older = at_slot(proof.clone(), SNAPSHOT_SLOT - 1);
		assert_noop!(submit_slash(&older), Error::<Test>::NoExposure);
		// The slash at slot 4,600,010, after the first snapshot; the next routine report (slot
		// 4,600,032) is relayed first and may carry the pre-slash accounting: still booked,
		// against what the run's previous snapshot (before the slash) listed: 618 · 0.1.
		let proof = at_slot(proof, SNAPSHOT_SLOT + 10);
		assert_ok!(submit(&reports[1]));
		assert_eq!(since(), Some(first_listed));
		assert_ok!(submit_slash(&proof));
		let loss = 61_800 * ETH / 1_000;
		let booked = Losses::<Test>::get(LRT);
		assert_eq!(booked.len(), 1);
		assert_eq!(booked[0].wei, loss);
		assert_eq!(
			booked[0].position,
			Some(EthereumPosition { slot: SNAPSHOT_SLOT + 10 + delay_slots, tx_index: 0 })
		);
		let cut = LrtBacking::backing_rate(LRT).expect("valued");
		assert_eq!(cut, rate(1_030_000 - 61_800, 1_000_000));
		// The next routine report (slot 4,600,064) does not erase it.
		assert_ok!(submit(&reports[2]));
		assert_eq!(Losses::<Test>::get(LRT).len(), 1);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(cut));
		assert_noop!(submit_slash(&proof), Error::<Test>::AlreadyBooked);
		// A snapshot the recognition delay after the slash includes it: the loss leaves.
		assert_ok!(submit(&at_slot(reports[3].clone(), SNAPSHOT_SLOT + 10 + delay_slots)));
		assert!(Losses::<Test>::get(LRT).is_empty());
		// Replayed against that snapshot (once forgotten), it is refused.
		SeenAvsSlashings::<Test>::remove(
			SeenAvsSlashings::<Test>::iter_keys().next().expect("booked"),
		);
		SeenAvsSlashingsQueue::<Test>::remove(0);
		SeenAvsSlashingsBounds::<Test>::put((1, 1));
		assert_noop!(submit_slash(&proof), Error::<Test>::SlashPrecedesSnapshot);
	});
}

/// Issue 18, finding 2: operator 0x0a is slashed while the LRT does not delegate to it; later
/// the LRT delegates and a snapshot lists the operator, within `recognition_delay` of the slash.
/// The old event, still provable and refused once (`NoExposure`, not remembered), must not be
/// booked then against stakes it never cut (an attacker would lower the rate at will and profit
/// from the liquidations). The LRT is exposed from the first snapshot listing the operator.
#[test]
fn an_avs_slash_before_the_lrt_delegated_to_the_operator_is_not_booked_after_it_delegates() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let reports = valued(&[1_030, 1_030, 1_030]);
		let operator = H160::repeat_byte(0x0a);
		// The first snapshot (slot 4,600,000) as if the LRT delegated to operator 0x0b only.
		assert_ok!(submit(&reports[0]));
		Snapshots::<Test>::mutate(LRT, |snapshot| {
			let snapshot = snapshot.as_mut().expect("snapshot");
			snapshot.stakes.retain(|stake| stake.operator != operator);
		});
		Exposures::<Test>::remove(LRT, (operator, BEACON));
		let wad = U256::from(10u64).pow(U256::from(17u64));
		let (manager, beacon, proof) = avs_slashing(operator, H160::repeat_byte(0xbe), wad);
		assert_ok!(LrtBacking::set_allocation_manager(RuntimeOrigin::root(), manager));
		finalize_execution_block(H256::from(
			beacon.execution_proof().execution_header.block_hash().0,
		));
		let submit_slash = |proof: &EventProof| {
			LrtBacking::submit_avs_slashing(RuntimeOrigin::signed(1), Box::new(proof.clone()))
		};
		// Operator 0x0a is slashed at slot 4,600,010: the LRT has no stake with it.
		let proof = at_slot(proof, SNAPSHOT_SLOT + 10);
		assert_noop!(submit_slash(&proof), Error::<Test>::NoExposure);
		// The LRT delegates to 0x0a: its next snapshot (slot 4,600,032) lists it.
		assert_ok!(submit(&reports[1]));
		let delegated = Snapshots::<Test>::get(LRT).expect("snapshot").position;
		assert_eq!(
			Exposures::<Test>::get(LRT, (operator, BEACON)).map(|run| run.since),
			Some(delegated)
		);
		let before = LrtBacking::backing_rate(LRT);
		// The old event, replayed: still no exposure, nothing booked, the rate unchanged.
		assert_noop!(submit_slash(&proof), Error::<Test>::NoExposure);
		assert!(Losses::<Test>::get(LRT).is_empty());
		assert!(decreases().is_empty());
		// Nor once later snapshots keep listing the operator (its exposure keeps its start).
		assert_ok!(submit(&reports[2]));
		assert_eq!(
			Exposures::<Test>::get(LRT, (operator, BEACON)).map(|run| run.since),
			Some(delegated)
		);
		assert_noop!(submit_slash(&proof), Error::<Test>::NoExposure);
		assert_eq!(LrtBacking::backing_rate(LRT), before);
		// A slash after the snapshot that first listed the operator is exposure, and booked.
		assert_ok!(submit_slash(&at_slot(proof, SNAPSHOT_SLOT + 40)));
		assert_eq!(Losses::<Test>::get(LRT).len(), 1);
	});
}

/// The exposure index follows the snapshots per (operator, strategy): a pair is exposed from
/// the first snapshot of an uninterrupted run listing it, with the fewest and most shares the
/// run listed; a snapshot no longer listing it ends the run, and a later listing starts a new
/// one. One operator in two strategies makes two runs; each continuing run keeps what the
/// previous snapshot listed.
#[test]
fn exposure_runs_from_the_first_snapshot_listing_a_stake_until_one_drops_it() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0);
		let lrt = LRT + 7;
		let (a, b) = (H160::repeat_byte(0xa1), H160::repeat_byte(0xb1));
		let (x, y) = (H160::repeat_byte(0x51), H160::repeat_byte(0x52));
		let snapshot = |stakes: &[(H160, H160, u128)], slot: u64| SnapshotOf::<Test> {
			total_eth: ETH,
			total_supply: ETH,
			stakes: BoundedVec::truncate_from(
				stakes
					.iter()
					.map(|(operator, strategy, shares)| Stake {
						operator: *operator,
						strategy: *strategy,
						shares: *shares,
					})
					.collect(),
			),
			nonce: slot,
			timestamp: T0,
			position: EthereumPosition { slot, tx_index: 0 },
		};
		let at = |slot| EthereumPosition { slot, tx_index: 0 };
		let run = |since, before: Option<(u64, u128)>| {
			Some(Exposure {
				since: at(since),
				before: before.map(|(slot, shares)| (at(slot), shares)),
			})
		};
		let exposure = |operator, strategy| Exposures::<Test>::get(lrt, (operator, strategy));
		// Two stakes with `a` in `x` are summed; `a` in `y` is a run of its own.
		let first = snapshot(&[(a, x, 10), (b, x, 5), (a, x, 20), (a, y, 7)], 10);
		assert_eq!(LrtBacking::update_exposure(lrt, None, &first), (3, 3));
		assert_eq!(exposure(a, x), run(10, None));
		assert_eq!(exposure(a, y), run(10, None));
		assert_eq!(exposure(b, x), run(10, None));
		// `a` in `x` shrinks, `b` in `x` grows, `a` in `y` is dropped, `b` in `y` starts; each
		// continuing run keeps what the previous snapshot listed.
		let second = snapshot(&[(a, x, 27), (b, x, 50), (b, y, 1)], 20);
		assert_eq!(LrtBacking::update_exposure(lrt, Some(&first), &second), (3, 4));
		assert_eq!(exposure(a, x), run(10, Some((10, 30))));
		assert_eq!(exposure(b, x), run(10, Some((10, 5))));
		assert_eq!(exposure(a, y), None);
		assert_eq!(exposure(b, y), run(20, None));
		// `a` in `y` starts a new run.
		let third = snapshot(&[(a, x, 28), (b, x, 5), (b, y, 1), (a, y, 3)], 30);
		assert_eq!(LrtBacking::update_exposure(lrt, Some(&second), &third), (4, 4));
		assert_eq!(exposure(a, x), run(10, Some((20, 27))));
		assert_eq!(exposure(b, y), run(20, Some((20, 1))));
		assert_eq!(exposure(a, y), run(30, None));
		// A pair listed by both without an entry (books from before the index) starts its run
		// at the new snapshot.
		Exposures::<Test>::remove(lrt, (b, x));
		let fourth = snapshot(&[(a, x, 28), (b, x, 6), (b, y, 1), (a, y, 3)], 40);
		assert_eq!(LrtBacking::update_exposure(lrt, Some(&third), &fourth), (4, 4));
		assert_eq!(exposure(b, x), run(40, None));
		assert_eq!(exposure(a, x), run(10, Some((30, 28))));
		let _ = Exposures::<Test>::clear_prefix(lrt, u32::MAX, None);
	});
}

/// Issue 18 (audit, 4): a snapshot reserves the exposure index's worst case (`MaxStakes`
/// reads, `2 · MaxStakes` writes) and is refunded to the entries it read and wrote.
#[test]
fn a_snapshot_is_refunded_to_the_exposure_entries_it_touched() {
	use frame_support::dispatch::GetDispatchInfo;
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let reports = valued(&[1_030, 1_030, 1_040]);
		let size = LrtBacking::proof_size(&reports[0]);
		let bytes = <RecordLengthFees as ballast_primitives::proofs::ProofLengthFee<u64>>::proof_bytes_weight(size);
		let declared = Call::<Test>::submit_backing_report { event: Box::new(reports[0].clone()) }
			.get_dispatch_info()
			.call_weight;
		assert_eq!(
			declared,
			LrtBacking::backing_report_weight_without_exposure()
				.saturating_add(LrtBacking::exposure_index_weight())
				.saturating_add(bytes)
		);
		let charged = |reads, writes| {
			Some(
				LrtBacking::backing_report_weight_without_exposure()
					.saturating_add(LrtBacking::exposure_index_actual_weight(reads, writes))
					.saturating_add(bytes),
			)
		};
		// Two pairs listed, both new: two entries read and written.
		let post = submit(&reports[0]).expect("accepted");
		assert_eq!((post.pays_fee, post.actual_weight), (Pays::No, charged(2, 2)));
		assert!(declared.all_gte(post.actual_weight.expect("refunded")));
		assert!(declared != post.actual_weight.expect("refunded"));
		// Listed again: each run now keeps the previous listing, both written.
		assert_eq!(submit(&reports[1]).expect("accepted").actual_weight, charged(2, 2));
		assert_eq!(submit(&reports[2]).expect("accepted").actual_weight, charged(2, 2));
	});
}

/// Issue 18 (audit, 3): pruning reads the clock only when something is queued, and declares
/// that read: the bounds alone for an empty queue; the bounds, the clock and each checked
/// entry's id and mark otherwise.
#[test]
fn pruning_declares_the_clock_read_only_when_it_checks_an_entry() {
	ExtBuilder.build_and_execute(|| {
		let db = <Test as frame_system::Config>::DbWeight::get();
		let weight = LrtBacking::prune_seen_avs_slashings_weight;
		assert_eq!(weight(0, 0), db.reads(1));
		assert_eq!(LrtBacking::on_initialize(System::block_number()), db.reads(1));
		let per_entry = frame_support::weights::Weight::from_parts(2_000_000, 100);
		assert_eq!(weight(1, 0), db.reads(4).saturating_add(per_entry));
		assert_eq!(weight(2, 1), db.reads_writes(6, 3).saturating_add(per_entry.saturating_mul(2)));
		set_time(T0);
		LrtBacking::note_seen_avs_slashing(H256::repeat_byte(1), T0);
		assert_eq!(LrtBacking::on_initialize(System::block_number()), weight(1, 0));
	});
}

/// An LRT delegating to operator 0x0a (0x0a and 0x0b list 60 % and 40 % of its ETH in the
/// beacon strategy in every report) is slashed by `wad` at slot 4,600,010, between its first
/// snapshot (slot 4,600,000, backed by `totals[0]` ETH) and its next ones (one per further
/// total, 32 slots apart), all relayed before the slash. What submitting the slash returns,
/// and the loss booked (0 if none).
fn loss_booked_after_snapshots(
	operator: H160,
	totals: &[u64],
	wad: U256,
) -> (frame_support::dispatch::DispatchResultWithPostInfo, u128) {
	set_time(T0 + 60);
	fresh_validators();
	let reports = valued(totals);
	assert_ok!(submit(&reports[0]));
	let (manager, beacon, proof) = avs_slashing(operator, BEACON, wad);
	assert_ok!(LrtBacking::set_allocation_manager(RuntimeOrigin::root(), manager));
	finalize_execution_block(H256::from(beacon.execution_proof().execution_header.block_hash().0));
	for report in &reports[1..] {
		assert_ok!(submit(report));
	}
	let result = LrtBacking::submit_avs_slashing(
		RuntimeOrigin::signed(1),
		Box::new(at_slot(proof, SNAPSHOT_SLOT + 10)),
	);
	(result, Losses::<Test>::get(LRT).iter().map(|loss| loss.wei).sum())
}

/// Issue 18, finding 2 (audit, 1a): the LRT listed operator 0x0a only in another strategy
/// when 0x0a was slashed by half in the beacon strategy (`NoExposure` then, not remembered);
/// the LRT then delegates beacon shares to 0x0a, and its next snapshot, within
/// `recognition_delay` of the slash, lists them. Exposure is per (operator, strategy): the
/// replayed slash precedes the beacon run's first snapshot and is not booked (per operator,
/// it was: 618 · 0.5 / 0.5 = 618 ETH on stakes the slash never cut).
#[test]
fn a_slash_in_a_strategy_the_lrt_joined_later_is_not_booked() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let reports = valued(&[1_030, 1_030]);
		let operator = H160::repeat_byte(0x0a);
		let steth = H160::repeat_byte(0x57);
		// The first snapshot (slot 4,600,000) as if the LRT held 0x0a's stake in stETH.
		assert_ok!(submit(&reports[0]));
		let first = Snapshots::<Test>::mutate(LRT, |snapshot| {
			let snapshot = snapshot.as_mut().expect("snapshot");
			for stake in snapshot.stakes.iter_mut().filter(|stake| stake.operator == operator) {
				stake.strategy = steth;
			}
			snapshot.position
		});
		let run = Exposures::<Test>::take(LRT, (operator, BEACON)).expect("listed");
		Exposures::<Test>::insert(LRT, (operator, steth), run);
		let half = U256::from(5u64) * U256::from(10u64).pow(U256::from(17u64));
		let (manager, beacon, proof) = avs_slashing(operator, BEACON, half);
		assert_ok!(LrtBacking::set_allocation_manager(RuntimeOrigin::root(), manager));
		finalize_execution_block(H256::from(
			beacon.execution_proof().execution_header.block_hash().0,
		));
		let submit_slash = |proof: &EventProof| {
			LrtBacking::submit_avs_slashing(RuntimeOrigin::signed(1), Box::new(proof.clone()))
		};
		// 0x0a slashed in the beacon strategy at slot 4,600,010: the LRT has no beacon stake
		// with it.
		let proof = at_slot(proof, SNAPSHOT_SLOT + 10);
		assert_noop!(submit_slash(&proof), Error::<Test>::NoExposure);
		// The LRT delegates beacon shares to 0x0a: the next snapshot (slot 4,600,032) lists them
		// (and no longer the stETH stake), a new run from its own position.
		assert_ok!(submit(&reports[1]));
		let delegated = Snapshots::<Test>::get(LRT).expect("snapshot").position;
		assert_eq!(Exposures::<Test>::get(LRT, (operator, BEACON)), Some(Exposure::new(delegated)));
		assert!(first < delegated && Exposures::<Test>::get(LRT, (operator, steth)).is_none());
		// The replay: not exposed, nothing booked, the rate unchanged.
		let before = LrtBacking::backing_rate(LRT);
		assert_noop!(submit_slash(&proof), Error::<Test>::NoExposure);
		assert!(Losses::<Test>::get(LRT).is_empty());
		assert_eq!(LrtBacking::backing_rate(LRT), before);
	});
}

/// Issue 18, finding 2 (audits, 1b and A1): operator 0x0b holds 1,000 of the LRT's beacon
/// shares (40 % of 2,500 ETH) when it is slashed; then 9,000 more are delegated, a snapshot
/// lists 9,900, and only then is the slash relayed. The loss is what the slash took from the
/// stake listed before it, by the run's previous snapshot: 1,000 · 0.1 = 100 ETH, not the
/// 1,100 the current 9,900 would give (nor, derived from a later listing, anything the data
/// cannot prove). Relayed after two snapshots past it, no snapshot Ballast holds proves what
/// it cut: refused.
#[test]
fn stake_delegated_after_a_slash_does_not_inflate_its_loss() {
	let operator = H160::repeat_byte(0x0b);
	let percent = |percent: u64| U256::from(10u64).pow(U256::from(16u64)) * U256::from(percent);
	// 1,000 → (slash) → 9,900: 100 ETH.
	ExtBuilder.build_and_execute(|| {
		let (result, loss) = loss_booked_after_snapshots(operator, &[2_500, 24_750], percent(10));
		assert_ok!(result);
		assert_eq!(loss, 100 * ETH);
		assert_eq!(
			Exposures::<Test>::get(LRT, (operator, BEACON)).and_then(|run| run.before),
			Some((EthereumPosition { slot: SNAPSHOT_SLOT, tx_index: 1 }, 1_000 * ETH))
		);
	});
	// 99 %: 1,000 → (slash) → 9,010: 990 ETH, what the slash took, not 99,000 or 8,920.
	ExtBuilder.build_and_execute(|| {
		let (result, loss) = loss_booked_after_snapshots(operator, &[2_500, 22_525], percent(99));
		assert_ok!(result);
		assert_eq!(loss, 990 * ETH);
	});
	// 1,000 → (slash) → 900 → 9,900: the stake before the slash is no longer held.
	ExtBuilder.build_and_execute(|| {
		let (result, loss) =
			loss_booked_after_snapshots(operator, &[2_500, 2_250, 24_750], percent(10));
		assert_eq!(result.map_err(|e| e.error), Err(Error::<Test>::SlashPrecedesSnapshot.into()));
		assert_eq!(loss, 0);
	});
}

/// Issue 18, finding 15b: an event older than `MaxAvsSlashingAge` (its execution block's
/// Ethereum time to Ballast's clock) is refused before anything is looked up; settings whose
/// recognition window and snapshot age outlast it are refused.
#[test]
fn an_avs_slashing_older_than_the_max_age_is_refused() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		assert_ok!(submit(&valued(&[1_030])[0]));
		let wad = U256::from(10u64).pow(U256::from(17u64));
		let (manager, beacon, proof) =
			avs_slashing(H160::repeat_byte(0x0a), H160::repeat_byte(0xbe), wad);
		assert_ok!(LrtBacking::set_allocation_manager(RuntimeOrigin::root(), manager));
		finalize_execution_block(H256::from(
			beacon.execution_proof().execution_header.block_hash().0,
		));
		let proof = at_slot(proof, SNAPSHOT_SLOT + 1);
		let submit_slash = |proof: &EventProof| {
			LrtBacking::submit_avs_slashing(RuntimeOrigin::signed(1), Box::new(proof.clone()))
		};
		let old = at_time(proof.clone(), T0 + 59 - MAX_AVS_SLASHING_AGE);
		assert_noop!(submit_slash(&old), Error::<Test>::SlashingTooOld);
		// Exactly the max age is still accepted.
		assert_ok!(submit_slash(&at_time(proof, T0 + 60 - MAX_AVS_SLASHING_AGE)));

		let outlasting = BackingParams {
			recognition_delay: MAX_AVS_SLASHING_AGE - 7 * DAY + 1,
			max_snapshot_age: 7 * DAY,
			..params()
		};
		assert_noop!(
			LrtBacking::set_params(RuntimeOrigin::root(), LRT, outlasting),
			Error::<Test>::InvalidParams
		);
		let fitting =
			BackingParams { recognition_delay: MAX_AVS_SLASHING_AGE - 7 * DAY, ..params() };
		assert_ok!(LrtBacking::set_params(RuntimeOrigin::root(), LRT, fitting));
	});
}

/// Two booked slashings of `LRT`'s operators 0x0a (Ethereum time `T0`) and 0x0b (`T0 + DAY`),
/// at Ballast time `T0 + DAY + 60`. Returns their proofs and the seen-mark ids.
fn two_booked_slashings() -> ([EventProof; 2], [H256; 2]) {
	set_time(T0 + 60);
	fresh_validators();
	assert_ok!(submit(&valued(&[1_030])[0]));
	set_time(T0 + DAY + 60);
	let wad = U256::from(10u64).pow(U256::from(17u64));
	let slash = |operator: u8, slot: u64, timestamp: u64| {
		let (manager, beacon, proof) =
			avs_slashing(H160::repeat_byte(operator), H160::repeat_byte(0xbe), wad);
		assert_ok!(LrtBacking::set_allocation_manager(RuntimeOrigin::root(), manager));
		finalize_execution_block(H256::from(
			beacon.execution_proof().execution_header.block_hash().0,
		));
		let proof = at_time(at_slot(proof, slot), timestamp);
		assert_ok!(LrtBacking::submit_avs_slashing(
			RuntimeOrigin::signed(1),
			Box::new(proof.clone())
		));
		proof
	};
	let proofs = [slash(0x0a, SNAPSHOT_SLOT + 1, T0), slash(0x0b, SNAPSHOT_SLOT + 2, T0 + DAY)];
	let ids = [0, 1].map(|index| SeenAvsSlashingsQueue::<Test>::get(index).expect("queued"));
	assert_eq!(SeenAvsSlashings::<Test>::get(ids[0]), Some(T0));
	assert_eq!(SeenAvsSlashings::<Test>::get(ids[1]), Some(T0 + DAY));
	assert_eq!(SeenAvsSlashingsBounds::<Test>::get(), (0, 2));
	(proofs, ids)
}

/// Issue 18, finding 15b: the seen-marks no longer grow without bound: each block prunes those
/// older than `MaxAvsSlashingAge`, oldest booked first, a few at most, and declares the work.
#[test]
fn seen_avs_slashings_are_pruned_after_the_max_age() {
	ExtBuilder.build_and_execute(|| {
		let (_, ids) = two_booked_slashings();
		let prune = || LrtBacking::on_initialize(System::block_number());
		let weight = LrtBacking::prune_seen_avs_slashings_weight;
		// Exactly the max age: not too old yet; the first entry is checked, nothing pruned.
		set_time(T0 + MAX_AVS_SLASHING_AGE);
		assert_eq!(prune(), weight(1, 0));
		assert_eq!(SeenAvsSlashings::<Test>::iter().count(), 2);
		// A second later the first event is too old: its mark goes, the second's stays.
		set_time(T0 + MAX_AVS_SLASHING_AGE + 1);
		assert_eq!(prune(), weight(2, 1));
		assert!(!SeenAvsSlashings::<Test>::contains_key(ids[0]));
		assert_eq!(SeenAvsSlashings::<Test>::get(ids[1]), Some(T0 + DAY));
		assert_eq!(SeenAvsSlashingsBounds::<Test>::get(), (1, 2));
		set_time(T0 + DAY + MAX_AVS_SLASHING_AGE + 1);
		assert_eq!(prune(), weight(1, 1));
		assert_eq!(SeenAvsSlashings::<Test>::iter().count(), 0);
		assert_eq!(SeenAvsSlashingsQueue::<Test>::iter().count(), 0);
		assert_eq!(SeenAvsSlashingsBounds::<Test>::get(), (2, 2));
		// Nothing queued: the bounds are read, nothing else.
		assert_eq!(prune(), weight(0, 0));
		assert_eq!(weight(0, 0), <Test as frame_system::Config>::DbWeight::get().reads(1));

		// Bounded work per block: six old marks take two blocks.
		for byte in 0..6u8 {
			LrtBacking::note_seen_avs_slashing(H256::repeat_byte(byte), T0);
		}
		let most = MAX_AVS_SLASHINGS_PRUNED_PER_BLOCK;
		assert_eq!(prune(), weight(most, most));
		assert_eq!(SeenAvsSlashings::<Test>::iter().count(), 6 - most as usize);
		assert_eq!(prune(), weight(6 - most, 6 - most));
		assert_eq!(SeenAvsSlashings::<Test>::iter().count(), 0);
		assert_eq!(SeenAvsSlashingsBounds::<Test>::get(), (8, 8));
	});
}

/// Issue 18, finding 15b: pruning a seen-mark is safe because the event is too old by then: a
/// replay is refused (`SlashingTooOld`), not booked a second time.
#[test]
fn a_pruned_avs_slashing_cannot_be_replayed() {
	ExtBuilder.build_and_execute(|| {
		let (proofs, ids) = two_booked_slashings();
		let submit_slash = |proof: &EventProof| {
			LrtBacking::submit_avs_slashing(RuntimeOrigin::signed(1), Box::new(proof.clone()))
		};
		let books = Losses::<Test>::get(LRT);
		assert_eq!(books.len(), 2);
		// Until its max age a replay is refused as booked.
		set_time(T0 + MAX_AVS_SLASHING_AGE);
		assert_noop!(submit_slash(&proofs[0]), Error::<Test>::AlreadyBooked);
		// Past it, its mark is pruned, and the replay is refused as too old.
		set_time(T0 + MAX_AVS_SLASHING_AGE + 1);
		LrtBacking::on_initialize(System::block_number());
		assert!(!SeenAvsSlashings::<Test>::contains_key(ids[0]));
		assert_noop!(submit_slash(&proofs[0]), Error::<Test>::SlashingTooOld);
		assert_eq!(Losses::<Test>::get(LRT), books);
		// The younger one is still marked.
		assert_noop!(submit_slash(&proofs[1]), Error::<Test>::AlreadyBooked);
	});
}

#[test]
fn an_avs_slashing_is_charged_per_exposed_lrt_and_refunded_to_what_it_did() {
	use frame_support::dispatch::GetDispatchInfo;
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		assert_ok!(submit(&valued(&[1_030])[0]));
		// A second valued LRT with the same delegations.
		let other = LRT + 1;
		value_like_lrt(other);
		let strategy = H160::repeat_byte(0xbe);
		let wad = U256::from(10u64).pow(U256::from(17u64));
		let (manager, beacon, mut proof) = avs_slashing(H160::repeat_byte(0x0a), strategy, wad);
		proof.proof.execution_proof.header.slot = SNAPSHOT_SLOT + 1;
		assert_ok!(LrtBacking::set_allocation_manager(RuntimeOrigin::root(), manager));
		finalize_execution_block(H256::from(
			beacon.execution_proof().execution_header.block_hash().0,
		));

		// Declared: every valued LRT the mock allows (3) scanned, exposed and re-rated, and
		// booked for every strategy the log could name.
		// Plus the proof's bytes, which its submitter also pays for.
		let call = Call::<Test>::submit_avs_slashing { event: Box::new(proof.clone()) };
		let declared = call.get_dispatch_info().call_weight;
		let size = LrtBacking::proof_size(&proof);
		let bytes = <RecordLengthFees as ballast_primitives::proofs::ProofLengthFee<u64>>::proof_bytes_weight(size);
		assert_eq!(declared, LrtBacking::avs_slashing_weight(&proof).saturating_add(bytes));
		let strategies = (proof.event_log.data.len() / 64) as u32;
		assert!(strategies >= 1);
		let max_strategies = strategies.min(<Test as Config>::MaxStakes::get());
		assert_eq!(
			declared,
			LrtBacking::avs_slashing_actual_weight(3, 3, 3 * max_strategies, 3 * max_strategies)
				.saturating_add(bytes)
		);
		assert!(declared.all_gte(<() as WeightInfo>::submit_avs_slashing(3)));

		// Both LRTs are booked and re-rated, each once; the weight is refunded to the two
		// scanned and exposed LRTs, their two bookings and their two exposure entries read
		// (the one strategy slashed, listed by each).
		let before = (LrtBacking::backing_rate(LRT), LrtBacking::backing_rate(other));
		let post = LrtBacking::submit_avs_slashing(RuntimeOrigin::signed(1), Box::new(proof))
			.expect("booked");
		assert_eq!(post.pays_fee, Pays::No);
		let actual = LrtBacking::avs_slashing_actual_weight(2, 2, 2, 2).saturating_add(bytes);
		assert_eq!(post.actual_weight, Some(actual));
		assert!(declared.all_gte(actual));
		// The report and the slashing each paid their bytes.
		assert_eq!(length_fees().len(), 2);
		assert_eq!(length_fees().last(), Some(&(1, size)));
		assert_eq!(Losses::<Test>::get(LRT).len(), 1);
		assert_eq!(Losses::<Test>::get(other).len(), 1);
		let after = rate(1_030_000 - 61_800, 1_000_000);
		let mut told = decreases();
		told.sort_by_key(|(lrt, ..)| *lrt);
		assert_eq!(
			told,
			vec![
				(LRT, before.0.expect("valued"), after),
				(other, before.1.expect("valued"), after)
			]
		);
	});
}
