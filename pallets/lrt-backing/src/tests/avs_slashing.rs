//! `submit_avs_slashing`: EigenLayer's `OperatorSlashed`, proven from the AllocationManager's own
//! receipt, booked against the LRT's stake with the operator.

use super::*;
use alloy_primitives::U256;
use ballast_ethereum_harness::scenarios::avs_slashing;
use ballast_primitives::valuation::BackingRate;
use frame_support::{assert_noop, dispatch::Pays, traits::Get};
use sp_core::H160;

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
/// the snapshot is refused.
#[test]
fn a_report_right_after_an_avs_slash_does_not_erase_it() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		// Snapshots at slots 4,600,000 (transaction 1) and 4,600,032.
		let reports = valued(&[1_030, 1_030, 1_030]);
		assert_ok!(submit(&reports[0]));
		let wad = U256::from(10u64).pow(U256::from(17u64));
		let (manager, beacon, proof) =
			avs_slashing(H160::repeat_byte(0x0a), H160::repeat_byte(0xbe), wad);
		assert_ok!(LrtBacking::set_allocation_manager(RuntimeOrigin::root(), manager));
		finalize_execution_block(H256::from(
			beacon.execution_proof().execution_header.block_hash().0,
		));
		let submit_slash = |proof: &EventProof| {
			LrtBacking::submit_avs_slashing(RuntimeOrigin::signed(1), Box::new(proof.clone()))
		};
		let delay_slots = (40 * DAY).div_ceil(12);
		// A slash more than the recognition delay before the snapshot: the snapshot includes it.
		let mut older = proof.clone();
		older.proof.execution_proof.header.slot = SNAPSHOT_SLOT - delay_slots - 1;
		assert_noop!(submit_slash(&older), Error::<Test>::SlashPrecedesSnapshot);
		// Slot 4,600,000, transaction 0: just before the snapshot's transaction. The snapshot
		// may carry the pre-slash accounting: booked. Its stakes are taken as already cut by the
		// slash (withdrawable shares), so the loss is derived back: 618 · 0.1 / 0.9 ETH, not
		// 618 · 0.1.
		assert_eq!(proof.proof.execution_proof.header.slot, SNAPSHOT_SLOT);
		assert_ok!(submit_slash(&proof));
		let loss = 618_000_000_000_000_000_000u128 / 9;
		let booked = Losses::<Test>::get(LRT);
		assert_eq!(booked.len(), 1);
		assert_eq!(booked[0].wei, loss);
		assert_eq!(
			booked[0].position,
			Some(EthereumPosition { slot: SNAPSHOT_SLOT + delay_slots, tx_index: 0 })
		);
		let cut = LrtBacking::backing_rate(LRT).expect("valued");
		assert!(cut < rate(1_030_000 - 61_800, 1_000_000));
		// The next routine report (slot 4,600,032) does not erase it.
		assert_ok!(submit(&reports[1]));
		assert_eq!(Losses::<Test>::get(LRT).len(), 1);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(cut));
		assert_noop!(submit_slash(&proof), Error::<Test>::AlreadyBooked);
		// A snapshot the recognition delay after the slash includes it: the loss leaves.
		let mut late = reports[2].clone();
		late.proof.execution_proof.header.slot = SNAPSHOT_SLOT + delay_slots;
		assert_ok!(submit(&late));
		assert!(Losses::<Test>::get(LRT).is_empty());
		// Replayed against that snapshot (once forgotten), it is refused.
		SeenAvsSlashings::<Test>::remove(
			SeenAvsSlashings::<Test>::iter_keys().next().expect("booked"),
		);
		assert_noop!(submit_slash(&proof), Error::<Test>::SlashPrecedesSnapshot);
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
		Params::<Test>::insert(other, params());
		Snapshots::<Test>::insert(other, Snapshots::<Test>::get(LRT).expect("snapshot"));
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
			LrtBacking::avs_slashing_actual_weight(3, 3, 3 * max_strategies).saturating_add(bytes)
		);
		assert!(declared.all_gte(<() as WeightInfo>::submit_avs_slashing(3)));

		// Both LRTs are booked and re-rated, each once; the weight is refunded to the two
		// scanned and exposed LRTs and their two bookings.
		let before = (LrtBacking::backing_rate(LRT), LrtBacking::backing_rate(other));
		let post = LrtBacking::submit_avs_slashing(RuntimeOrigin::signed(1), Box::new(proof))
			.expect("booked");
		assert_eq!(post.pays_fee, Pays::No);
		let actual = LrtBacking::avs_slashing_actual_weight(2, 2, 2).saturating_add(bytes);
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
