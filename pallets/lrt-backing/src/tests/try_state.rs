//! `do_try_state` catches broken books: each test breaks one book directly in storage, checks
//! the specific error, and restores it (so the check after the test passes again).

use super::*;
use ballast_primitives::ethereum::OnValidatorBalanceChanged;
use frame_support::{traits::Get, BoundedVec};

type LossList = BoundedVec<Loss, <Test as crate::Config>::MaxLosses>;
type RateList = BoundedVec<StoredRate, <Test as crate::Config>::MaxHistory>;

/// A valued LRT with a proven snapshot of 1.03 and fresh validators, at `T0 + 60`.
fn rated() {
	set_time(T0 + 60);
	fresh_validators();
	assert_ok!(submit(&valued(&[1_030])[0]));
	assert_eq!(LrtBacking::do_try_state(), Ok(()));
}

fn fails_with(message: &'static str) {
	assert_eq!(LrtBacking::do_try_state(), Err(message.into()));
}

#[test]
fn a_loss_booked_without_re_rating_is_caught() {
	ExtBuilder.build_and_execute(|| {
		rated();
		let books = Losses::<Test>::get(LRT);
		Losses::<Test>::mutate(LRT, |losses| {
			assert_ok!(losses.try_push(Loss {
				kind: LossKind::BalanceDrop { index: 1 },
				wei: ETH,
				booked_at: T0 + 60,
				position: None,
			}));
		});
		fails_with(
			"LrtBacking: stored rate above min(reported, proven): a loss or snapshot not rated",
		);
		Losses::<Test>::insert(LRT, books);
	});
}

#[test]
fn losses_of_an_unvalued_lrt_are_caught() {
	ExtBuilder.build_and_execute(|| {
		rated();
		let loss = Loss { kind: LossKind::Merged, wei: ETH, booked_at: T0, position: None };
		Losses::<Test>::insert(LRT + 1, LossList::truncate_from(vec![loss]));
		fails_with("LrtBacking: losses booked against an LRT without valuation settings");
		Losses::<Test>::remove(LRT + 1);
	});
}

#[test]
fn a_slash_loss_without_its_booked_slash_is_caught() {
	ExtBuilder.build_and_execute(|| {
		rated();
		let books = Losses::<Test>::get(LRT);
		// A zero loss keeps the rate as stored: only the missing `BookedSlashes` entry is wrong.
		let loss = Loss {
			kind: LossKind::ValidatorSlashed { index: 7 },
			wei: 0,
			booked_at: T0,
			position: None,
		};
		Losses::<Test>::insert(LRT, LossList::truncate_from(vec![loss]));
		fails_with("LrtBacking: validator-slash loss without its BookedSlashes entry");
		Losses::<Test>::insert(LRT, books);
	});
}

#[test]
fn rates_and_histories_out_of_line_are_caught() {
	ExtBuilder.build_and_execute(|| {
		rated();
		let stored = Rates::<Test>::get(LRT).expect("stored");
		let history = History::<Test>::get(LRT);

		// A history out of time order (still ending with the stored rate).
		let later = StoredRate { at: stored.at + 1, ..stored.clone() };
		History::<Test>::insert(LRT, RateList::truncate_from(vec![later, stored.clone()]));
		fails_with("LrtBacking: history out of time order");

		// A history whose last entry is not the stored rate.
		let other = StoredRate { rate: rate(1, 1), ..stored.clone() };
		History::<Test>::insert(LRT, RateList::truncate_from(vec![other]));
		fails_with("LrtBacking: last history entry is not the stored rate");
		History::<Test>::insert(LRT, history);

		// A rate stored for an LRT without a snapshot.
		Rates::<Test>::insert(LRT + 1, stored);
		fails_with("LrtBacking: rate stored for an LRT without a snapshot");
		Rates::<Test>::remove(LRT + 1);
	});
}

#[test]
fn a_booked_slash_with_nothing_left_in_the_books_is_caught() {
	ExtBuilder.build_and_execute(|| {
		rated();
		// Its losses left the books but the entry stayed: it would grow without bound and hide
		// the validator's later balance drops.
		BookedSlashes::<Test>::insert(LRT, 7, ());
		fails_with("LrtBacking: booked slash with nothing of it left in the books");
		// Merged away, it is still in the books (with the merged loss).
		MergedSlashes::<Test>::insert(LRT, BoundedVec::truncate_from(vec![7]));
		fails_with("LrtBacking: merged slashes without a merged loss");
		let merged = Loss { kind: LossKind::Merged, wei: 0, booked_at: T0, position: None };
		Losses::<Test>::insert(LRT, LossList::truncate_from(vec![merged.clone()]));
		assert_eq!(LrtBacking::do_try_state(), Ok(()));
		// A merged loss is always the oldest.
		let drop = Loss { kind: LossKind::BalanceDrop { index: 1 }, ..merged.clone() };
		Losses::<Test>::insert(LRT, LossList::truncate_from(vec![drop, merged]));
		fails_with("LrtBacking: a merged loss that is not the oldest");
		Losses::<Test>::remove(LRT);
		MergedSlashes::<Test>::remove(LRT);
		BookedSlashes::<Test>::remove(LRT, 7);
	});
}

#[test]
fn a_baseline_of_an_lrt_without_a_snapshot_is_caught() {
	ExtBuilder.build_and_execute(|| {
		rated();
		FallBaselines::<Test>::insert(LRT + 1, StoredRate { rate: rate(1, 1), at: T0 });
		fails_with(
			"LrtBacking: unproven-fall baseline of an LRT without a snapshot or set in the future",
		);
		FallBaselines::<Test>::remove(LRT + 1);
	});
}

#[test]
fn a_re_rating_left_pending_after_its_call_is_caught() {
	ExtBuilder.build_and_execute(|| {
		rated();
		// The hooks booked a loss, but the call never re-rated the LRT.
		<LrtBacking as OnValidatorBalanceChanged<AssetId>>::on_validator_balance_changed(
			LRT,
			1,
			32 * GWEI,
			31 * GWEI,
			9_000,
		);
		fails_with("LrtBacking: a re-rating left pending after the call that booked its loss");
		end_of_call();
	});
}

#[test]
fn more_valued_lrts_than_the_bound_are_caught() {
	ExtBuilder.build_and_execute(|| {
		rated();
		let bound = <Test as crate::Config>::MaxValuedLrts::get();
		for lrt in 1..=bound {
			Params::<Test>::insert(LRT + lrt, params());
		}
		fails_with("LrtBacking: more valued LRTs than MaxValuedLrts");
		for lrt in 1..=bound {
			Params::<Test>::remove(LRT + lrt);
		}
	});
}

#[test]
fn broken_exposure_is_caught() {
	ExtBuilder.build_and_execute(|| {
		rated();
		let operator = sp_core::H160::repeat_byte(0x0a);
		let pair = (operator, sp_core::H160::repeat_byte(0xbe));
		let run = Exposures::<Test>::get(LRT, pair).expect("listed");
		let broken = |exposure: Exposure, message: &'static str| {
			Exposures::<Test>::insert(LRT, pair, exposure);
			fails_with(message);
			Exposures::<Test>::insert(LRT, pair, run);
		};
		// A listed stake without its entry, or exposed only after the snapshot.
		Exposures::<Test>::remove(LRT, pair);
		fails_with("LrtBacking: a snapshot's stake not exposed since at or before it");
		Exposures::<Test>::insert(LRT, pair, run);
		let later = EthereumPosition { slot: run.since.slot + 1, ..run.since };
		broken(
			Exposure { since: later, ..run },
			"LrtBacking: a snapshot's stake not exposed since at or before it",
		);
		// A previous listing at or after the snapshot, or before the run began.
		let outside = "LrtBacking: an exposure's previous listing outside its run";
		let snapshot = Snapshots::<Test>::get(LRT).expect("snapshot").position;
		broken(Exposure { before: Some((snapshot, 1)), ..run }, outside);
		let earlier = EthereumPosition { slot: run.since.slot - 1, ..run.since };
		broken(Exposure { before: Some((earlier, 1)), ..run }, outside);
		// An entry for a pair the snapshot does not list: another strategy of a listed
		// operator, or another operator.
		for stranger in [
			(operator, sp_core::H160::repeat_byte(0x57)),
			(sp_core::H160::repeat_byte(0x0c), pair.1),
		] {
			Exposures::<Test>::insert(LRT, stranger, run);
			fails_with("LrtBacking: exposure to a stake the LRT's snapshot does not list");
			Exposures::<Test>::remove(LRT, stranger);
		}
	});
}

#[test]
fn a_seen_avs_slashing_out_of_its_queue_is_caught() {
	ExtBuilder.build_and_execute(|| {
		rated();
		LrtBacking::note_seen_avs_slashing(H256::repeat_byte(1), T0);
		assert_eq!(LrtBacking::do_try_state(), Ok(()));
		// A mark never pruned: not in the queue.
		SeenAvsSlashings::<Test>::insert(H256::repeat_byte(2), T0);
		fails_with("LrtBacking: seen AVS slashings and their queue differ");
		SeenAvsSlashings::<Test>::remove(H256::repeat_byte(2));
		// A queued entry without its mark.
		SeenAvsSlashingsQueue::<Test>::insert(1, H256::repeat_byte(3));
		SeenAvsSlashingsBounds::<Test>::put((0, 2));
		fails_with("LrtBacking: a queued AVS slashing outside the bounds or without its seen-mark");
		SeenAvsSlashingsQueue::<Test>::remove(1);
		SeenAvsSlashingsBounds::<Test>::put((0, 1));
	});
}

#[test]
fn settings_outlasting_the_max_avs_slashing_age_are_caught() {
	ExtBuilder.build_and_execute(|| {
		rated();
		let outlasting = BackingParams { recognition_delay: MAX_AVS_SLASHING_AGE, ..params() };
		Params::<Test>::insert(LRT, outlasting);
		fails_with("LrtBacking: recognition delay and snapshot age beyond MaxAvsSlashingAge");
		Params::<Test>::insert(LRT, params());
	});
}

#[test]
fn avs_slash_cuts_out_of_line_with_their_losses_are_caught() {
	use sp_core::H160;
	ExtBuilder.build_and_execute(|| {
		rated();
		let wad = alloy_primitives::U256::from(10u64).pow(alloy_primitives::U256::from(17u64));
		let (manager, beacon, proof) = ballast_ethereum_harness::scenarios::avs_slashing(
			H160::repeat_byte(0x0a),
			H160::repeat_byte(0xbe),
			wad,
		);
		assert_ok!(LrtBacking::set_allocation_manager(RuntimeOrigin::root(), manager));
		finalize_execution_block(H256::from(
			beacon.execution_proof().execution_header.block_hash().0,
		));
		assert_ok!(LrtBacking::submit_avs_slashing(
			RuntimeOrigin::signed(1),
			Box::new(at_slot(proof, SNAPSHOT_SLOT + 1))
		));
		let cuts = AvsSlashCuts::<Test>::get(LRT);
		assert_eq!(cuts.len(), 1);
		assert_eq!(LrtBacking::do_try_state(), Ok(()));
		let differ = "LrtBacking: AVS slash cuts and AVS-slash losses differ in number";
		// An AVS-slash loss without its cut.
		AvsSlashCuts::<Test>::remove(LRT);
		fails_with(differ);
		// A cut of another strategy, of a slash in another transaction than its loss's, or
		// after its loss's position.
		let cut = cuts[0];
		for broken in [
			AvsSlashCut { strategy: H160::repeat_byte(0x57), ..cut },
			AvsSlashCut {
				slash: EthereumPosition { tx_index: cut.slash.tx_index + 1, ..cut.slash },
				..cut
			},
			AvsSlashCut { slash: EthereumPosition { slot: u64::MAX, ..cut.slash }, ..cut },
		] {
			AvsSlashCuts::<Test>::insert(LRT, BoundedVec::truncate_from(vec![broken]));
			fails_with("LrtBacking: an AVS slash cut that does not match its loss");
		}
		AvsSlashCuts::<Test>::insert(LRT, cuts.clone());
		// A cut left behind by its loss, and an empty list stored.
		AvsSlashCuts::<Test>::insert(LRT + 1, cuts);
		fails_with(differ);
		AvsSlashCuts::<Test>::insert(LRT + 1, BoundedVec::new());
		fails_with("LrtBacking: an empty AVS slash cut list stored");
		AvsSlashCuts::<Test>::remove(LRT + 1);
	});
}
