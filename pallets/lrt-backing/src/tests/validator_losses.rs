//! Validator losses through `pallet-validator-health`'s hooks: a slashed validator is booked once
//! at its expected loss, and balance drops are losses while withdrawals are not.

use super::*;
use ballast_primitives::{
	ethereum::{OnValidatorBalanceChanged, OnValidatorProofsApplied},
	valuation::{BackingRate, OnBackingRateDecreased},
};

#[test]
fn a_slashed_validator_lowers_the_rate_by_the_documented_amount_in_the_same_block() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		assert_ok!(submit(&valued(&[1_030])[0]));
		let before = LrtBacking::backing_rate(LRT).expect("valued");

		validator_slashed(LRT, 61_511, 32 * GWEI, 9_500, SLASHED_AFTER_SNAPSHOT);

		// initial = eb/4096; correlation = eb·min(3·S, A)/A with S = eb (the only slash);
		// exit = eb·0.3%. All in Gwei.
		let eb: u128 = 32 * GWEI as u128;
		let a = params().total_active_balance_gwei;
		let expected_gwei = eb / 4096 + eb * (3 * eb).min(a) / a + eb * 3 / 1000;
		assert_eq!(expected_gwei, 7_812_500 + 90_352 + 96_000_000);
		// Booked in two parts: the initial penalty, then the correlation and exit penalties
		// (applied later on the beacon chain, so a snapshot includes them later).
		let losses = Losses::<Test>::get(LRT);
		assert_eq!(losses[0].wei, 7_812_500 * 1_000_000_000);
		assert_eq!(losses[0].kind, LossKind::ValidatorSlashed { index: 61_511 });
		assert_eq!(losses[1].wei, (90_352 + 96_000_000) * 1_000_000_000);
		assert_eq!(losses[1].kind, LossKind::LaterSlashingPenalties { index: 61_511 });
		let after = LrtBacking::backing_rate(LRT).expect("valued");
		assert_eq!(after, rate(1_030 * ETH - expected_gwei * 1_000_000_000, 1_000 * ETH));
		assert_eq!(decreases(), vec![(LRT, before, after)]);

		// Booked once per validator, whatever the hooks say later.
		validator_slashed(LRT, 61_511, 32 * GWEI, 9_600, SLASHED_AFTER_SNAPSHOT);
		validator_balance_changed(LRT, 61_511, 32 * GWEI, 31 * GWEI, 9_600);
		assert_eq!(Losses::<Test>::get(LRT).len(), 2);

		// A second slash in the window weighs more (the correlation grows with S).
		validator_slashed(LRT, 7, 32 * GWEI, 9_700, SLASHED_AFTER_SNAPSHOT);
		let losses = Losses::<Test>::get(LRT);
		assert_eq!(losses[2].wei / 1_000_000_000, eb / 4096);
		assert_eq!(losses[3].wei / 1_000_000_000, eb * (6 * eb) / a + eb * 3 / 1000);
	});
}

#[test]
fn balance_drops_are_losses_but_withdrawals_are_not() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		assert_ok!(submit(&valued(&[1_030])[0]));
		let hook = validator_balance_changed;
		// A partial withdrawal sweeps the excess above 32 ETH; a full withdrawal empties it.
		hook(LRT, 1, 32_050_000_000, 32 * GWEI, 9_000);
		hook(LRT, 2, 32 * GWEI, 0, 9_000);
		assert!(Losses::<Test>::get(LRT).is_empty());
		// Penalties take it below what it held (capped at 32 ETH).
		hook(LRT, 3, 32_010_000_000, 31_900_000_000, 9_000);
		assert_eq!(Losses::<Test>::get(LRT)[0].wei, 100_000_000 * 1_000_000_000);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(1_030 * ETH - ETH / 10, 1_000 * ETH)));
		assert_eq!(decreases().len(), 1);
	});
}

#[test]
fn a_validator_slash_older_than_the_snapshot_is_not_booked() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		assert_ok!(submit(&valued(&[1_030])[0]));
		let before = LrtBacking::backing_rate(LRT);
		// EigenLayer's 61511: withdrawable at epoch 10,244, so slashed in epoch 2,052 at the
		// latest and its correlation penalty applied at the end of epoch 6,148, long before the
		// snapshot's slot 4,600,000 (even 40 days of recognition delay later): the LRT's
		// total_eth includes all of it.
		let slashed = validator_slashed;
		slashed(LRT, 61_511, 31 * GWEI, 4_600_064, 10_244);
		System::assert_last_event(Event::SlashAlreadyReported { lrt: LRT, index: 61_511 }.into());
		assert!(Losses::<Test>::get(LRT).is_empty());
		assert!(!BookedSlashes::<Test>::contains_key(LRT, 61_511));
		assert_eq!(LrtBacking::backing_rate(LRT), before);
		assert!(decreases().is_empty());
		// Its later penalties are new: a balance drop after the snapshot is still a loss.
		let hook = validator_balance_changed;
		hook(LRT, 61_511, 31 * GWEI, 30 * GWEI, 4_700_000);
		assert_eq!(Losses::<Test>::get(LRT)[0].wei, ETH);
		// A slash in the snapshot's epoch may be after it: booked (the epoch's last slot counts).
		slashed(LRT, 8, 32 * GWEI, 4_600_064, SNAPSHOT_SLOT / 32 + 8_192);
		assert!(BookedSlashes::<Test>::contains_key(LRT, 8));
		assert_eq!(Losses::<Test>::get(LRT).len(), 3);
	});
}

/// The first slot whose snapshot includes the correlation and exit penalties of a validator
/// withdrawable at [`SLASHED_AFTER_SNAPSHOT`] (151,944): the correlation penalty is applied at
/// the end of epoch 151,944 − 4,096 = 147,848, and the LRT's accounting sees it the recognition
/// delay (40 days of 12 s slots) later.
const LATER_PENALTIES_IN_SNAPSHOT: u64 = 147_849 * 32 + 40 * DAY / 12;

/// The correlation and exit penalties (wei) of a lone 32 ETH validator slashed under `params()`.
fn later_penalties_wei() -> u128 {
	let eb: u128 = 32 * GWEI as u128;
	let a = params().total_active_balance_gwei;
	(eb * (3 * eb).min(a) / a + eb * 3 / 1000) * GWEI as u128
}

#[test]
fn a_snapshot_after_a_booked_slash_drops_only_its_initial_penalty() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let reports = valued(&[1_030, 1_030, 1_030, 1_030, 1_030]);
		assert_ok!(submit(&reports[0]));
		// Slashed in the epoch of slot 4,600,064 at the latest (last slot 4,600,095).
		validator_slashed(LRT, 7, 32 * GWEI, 4_600_064, SLASHED_AFTER_SNAPSHOT);
		let initial = 32 * GWEI as u128 / 4_096 * GWEI as u128;
		let losses = || LrtBacking::components(LRT).expect("valued").losses;
		assert_eq!(losses(), initial + later_penalties_wei());
		// The next report (slot 4,600,032) may predate the slash: it all stays.
		assert_ok!(submit(&reports[1]));
		// So does the one at 4,600,064, within the slash's epoch.
		assert_ok!(submit(&reports[2]));
		assert_eq!(losses(), initial + later_penalties_wei());
		let lowered = LrtBacking::backing_rate(LRT);
		// The one at 4,600,096 is after the epoch: its total_eth includes the initial penalty,
		// which leaves the books; the correlation and exit penalties are not in any balance yet
		// and stay. The rate may only rise at the capped pace (no time passed: not at all).
		assert_ok!(submit(&reports[3]));
		assert_eq!(losses(), later_penalties_wei());
		assert!(BookedSlashes::<Test>::contains_key(LRT, 7));
		assert_eq!(LrtBacking::backing_rate(LRT), lowered);
		// Once they are in the LRT's accounting they leave too, and so does the booked slash.
		assert_ok!(submit(&at_slot(reports[4].clone(), LATER_PENALTIES_IN_SNAPSHOT)));
		assert!(Losses::<Test>::get(LRT).is_empty());
		assert!(!BookedSlashes::<Test>::contains_key(LRT, 7));
	});
}

/// Slashed in epoch 143,740 (its last slot 4,599,711), before the first report (slot 4,600,000).
const SLASHED_BEFORE_SNAPSHOT: u64 = 143_740 + 8_192;

#[test]
fn a_slash_already_in_the_snapshot_still_books_its_later_penalties() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let reports = valued(&[1_030, 1_030, 1_030]);
		assert_ok!(submit(&reports[0]));
		let before = LrtBacking::backing_rate(LRT).expect("valued");
		let slashed = validator_slashed;
		slashed(LRT, 9, 32 * GWEI, 4_600_064, SLASHED_BEFORE_SNAPSHOT);
		// The snapshot includes the initial penalty only: the correlation penalty (at the end of
		// epoch 151,932 − 4,096 = 147,836) and the exit penalties are still to come.
		System::assert_has_event(Event::SlashAlreadyReported { lrt: LRT, index: 9 }.into());
		let losses = || LrtBacking::components(LRT).expect("valued").losses;
		assert_eq!(losses(), later_penalties_wei());
		assert!(BookedSlashes::<Test>::contains_key(LRT, 9));
		let after = rate(1_030 * ETH - later_penalties_wei(), 1_000 * ETH);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(after));
		assert_eq!(decreases(), vec![(LRT, before, after)]);
		// The penalties' balance drop, when proven, is not booked again.
		let balance = validator_balance_changed;
		balance(LRT, 9, 32 * GWEI, 31 * GWEI, 4_800_000);
		assert_eq!(losses(), later_penalties_wei());
		// A snapshot before the LRT's accounting can include them keeps them; one from then on
		// (the epoch after 147,836, plus 40 days of slots) drops them and the booked slash.
		let due = 147_837 * 32 + 40 * DAY / 12;
		assert_ok!(submit(&at_slot(reports[1].clone(), due - 1)));
		assert_eq!(losses(), later_penalties_wei());
		assert_ok!(submit(&at_slot(reports[2].clone(), due)));
		assert!(Losses::<Test>::get(LRT).is_empty());
		assert!(!BookedSlashes::<Test>::contains_key(LRT, 9));
		// Told again, nothing is booked twice: the snapshot includes all of it.
		slashed(LRT, 9, 32 * GWEI, 4_900_000, SLASHED_BEFORE_SNAPSHOT);
		assert!(Losses::<Test>::get(LRT).is_empty());
		assert!(!BookedSlashes::<Test>::contains_key(LRT, 9));
	});
}

#[test]
fn a_slash_merged_into_older_losses_stays_booked_until_the_merged_loss_leaves() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let reports = valued(&[1_030, 1_030]);
		// Losses are in a snapshot as soon as it is after them (no recognition delay).
		assert_ok!(LrtBacking::set_params(
			RuntimeOrigin::root(),
			LRT,
			BackingParams { recognition_delay: 0, ..params() }
		));
		assert_ok!(submit(&reports[0]));
		// Three slashes after the snapshot (withdrawable at 151,950, 151,960, 151,970) in books of
		// four losses: the oldest merge.
		let slashed = validator_slashed;
		for (index, withdrawable_epoch) in [(1, 151_950), (2, 151_960), (3, 151_970)] {
			slashed(LRT, index, 32 * GWEI, 4_600_064, withdrawable_epoch);
		}
		assert_eq!(Losses::<Test>::get(LRT).len(), 4);
		// Validator 1's slash is merged away: its balance drops are still not losses.
		let losses = || LrtBacking::components(LRT).expect("valued").losses;
		let total = losses();
		let balance = validator_balance_changed;
		balance(LRT, 1, 32 * GWEI, 31 * GWEI, 4_700_000);
		assert_eq!(losses(), total);
		// A snapshot once validator 1's correlation penalty is applied (the end of epoch 147,854)
		// includes it: the merged loss leaves, and validator 1's booked slash with it; validator
		// 2's and 3's correlation penalties are still to come.
		assert_ok!(submit(&at_time(at_slot(reports[1].clone(), 147_855 * 32), T0 + 60)));
		assert!(!BookedSlashes::<Test>::contains_key(LRT, 1));
		assert!(BookedSlashes::<Test>::contains_key(LRT, 2));
		assert!(BookedSlashes::<Test>::contains_key(LRT, 3));
	});
}

#[test]
fn a_slash_proven_before_the_lrt_was_valued_is_booked_when_params_are_set() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		let slashed = validator_slashed;
		slashed(LRT, 7, 32 * GWEI, 9_000, SLASHED_AFTER_SNAPSHOT);
		System::assert_last_event(Event::UnvaluedSlashRecorded { lrt: LRT, index: 7 }.into());
		// Told twice (e.g. untracked and proven again): recorded once.
		slashed(LRT, 7, 32 * GWEI, 9_100, SLASHED_AFTER_SNAPSHOT);
		assert_eq!(UnvaluedSlashes::<Test>::get(LRT).len(), 1);
		assert!(Losses::<Test>::get(LRT).is_empty());

		// Governance values the LRT: the slash is booked at its expected loss.
		let reports = valued(&[1_030]);
		assert!(UnvaluedSlashes::<Test>::get(LRT).is_empty());
		let eb: u128 = 32 * GWEI as u128;
		let a = params().total_active_balance_gwei;
		let expected = (eb / 4096 + eb * (3 * eb).min(a) / a + eb * 3 / 1000) * GWEI as u128;
		assert_eq!(Losses::<Test>::get(LRT).iter().map(|loss| loss.wei).sum::<u128>(), expected);
		assert!(BookedSlashes::<Test>::contains_key(LRT, 7));
		// The first snapshot (slot 4,600,000) predates it: it lowers the first rate.
		assert_ok!(submit(&reports[0]));
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate(1_030 * ETH - expected, 1_000 * ETH)));
		// Setting the params again books nothing twice.
		assert_ok!(LrtBacking::set_params(RuntimeOrigin::root(), LRT, params()));
		assert_eq!(Losses::<Test>::get(LRT).len(), 2);
	});
}

#[test]
fn a_batch_of_losses_re_rates_each_lrt_once() {
	ExtBuilder.build_and_execute(|| {
		set_time(T0 + 60);
		fresh_validators();
		assert_ok!(submit(&valued(&[1_030])[0]));
		// A second LRT valued like the first.
		let other = LRT + 1;
		value_like_lrt(other);
		let before = |lrt| LrtBacking::backing_rate(lrt).expect("valued");
		let (before_ours, before_other) = (before(LRT), before(other));
		let histories = || (History::<Test>::get(LRT).len(), History::<Test>::get(other).len());
		let (history_ours, history_other) = histories();
		System::reset_events();

		// One batch: 50 validators of each LRT lose 0.1 ETH (more losses than the books hold).
		let drop = |lrt, index| {
			<LrtBacking as OnValidatorBalanceChanged<AssetId>>::on_validator_balance_changed(
				lrt,
				index,
				32 * GWEI,
				32 * GWEI - GWEI / 10,
				9_000,
			)
		};
		for index in 0..50u64 {
			drop(LRT, 2 * index);
			drop(other, 2 * index + 1);
		}
		// Nothing re-rated yet: the rates lending reads already net the losses (they are
		// computed when read), but no rate is stored and lending is not told until the end.
		assert!(decreases().is_empty());
		assert_eq!(PendingRerates::<Test>::get().len(), 2);
		let weight = <LrtBacking as OnValidatorProofsApplied>::on_validator_proofs_applied();
		assert_eq!(weight, LrtBacking::pending_rerates_weight(2));
		assert!(PendingRerates::<Test>::get().is_empty());

		// 5 ETH each, every loss booked; each rate moved, was stored and told lending once.
		let after = rate(1_025, 1_000);
		assert_eq!(LrtBacking::components(LRT).expect("valued").losses, 5 * ETH);
		assert_eq!(LrtBacking::components(other).expect("valued").losses, 5 * ETH);
		assert_eq!(decreases(), vec![(LRT, before_ours, after), (other, before_other, after)]);
		let rate_changes = System::events()
			.iter()
			.filter(|record| {
				matches!(record.event, RuntimeEvent::LrtBacking(Event::RateChanged { .. }))
			})
			.count();
		assert_eq!(rate_changes, 2);
		assert_eq!(histories(), ((history_ours + 1).min(3), (history_other + 1).min(3)));
	});
}

#[test]
fn re_rating_after_a_call_is_declared_per_lrt_it_can_touch() {
	ExtBuilder.build_and_execute(|| {
		let applied = <LrtBacking as OnValidatorProofsApplied>::weight;
		let per_lrt = LrtBacking::rerate_weight();
		let lending = <RecordDecreases as OnBackingRateDecreased<AssetId>>::weight();
		assert!(per_lrt.all_gte(lending) && lending.ref_time() > 0);
		// One LRT per hook call at most, and no more than the valued LRTs (3 in the mock).
		assert_eq!(applied(0), LrtBacking::pending_rerates_weight(0));
		assert_eq!(applied(1), LrtBacking::pending_rerates_weight(1));
		assert_eq!(applied(2), LrtBacking::pending_rerates_weight(2));
		assert_eq!(applied(1_000), LrtBacking::pending_rerates_weight(3));
		assert_eq!(applied(3).saturating_sub(applied(2)), per_lrt);
		// Nothing booked, nothing re-rated: only the list is read.
		let weight = <LrtBacking as OnValidatorProofsApplied>::on_validator_proofs_applied();
		assert_eq!(weight, applied(0));
	});
}
