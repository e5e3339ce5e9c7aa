//! The quorum: reports are collected over the epoch; when it ends, 2/3 of all its reporters
//! settle each LRT's median over all their scores, an LRT needs 2/3 of the reporters to have
//! scored it, outliers are left out, and old reports are pruned.

use super::*;

#[test]
fn two_thirds_of_the_reporters_settle_the_median_and_outliers_are_left_out() {
	ExtBuilder::default().build_and_execute(|| {
		with_world(EZ, |w| *w = healthy(4));
		with_world(RS, |w| *w = healthy(4));
		let (r0, s0) = report(0, &[(EZ, 200), (RS, 100)]);
		let (r1, s1) = report(1, &[(EZ, 220), (RS, 110)]);
		assert_ok!(submit(r0, s0));
		assert_ok!(submit(r1, s1));
		// 2 of 4: no quorum yet.
		assert_eq!(LastAccepted::<Test>::get(), None);
		assert_eq!(Risk::limits(EZ), None);
		// The third makes 3 of 4; its RS score is an outlier. Nothing is accepted before the
		// epoch ends.
		let (r2, s2) = report(2, &[(EZ, 210), (RS, 900)]);
		assert_ok!(submit(r2, s2));
		assert_eq!(LastAccepted::<Test>::get(), None);
		// The fourth, later in the same epoch, counts as much as the first three.
		let (r3, s3) = report(3, &[(EZ, 400), (RS, 100)]);
		assert_ok!(submit(r3, s3));
		let epoch = Risk::current_epoch();
		next_epoch();
		assert_eq!(LastAccepted::<Test>::get(), Some(epoch));
		// EZ: the median of 200, 210, 220, 400 is 210; 400 is left out; the median of the rest
		// is 210.
		assert_eq!(Scores::<Test>::get(EZ), Some(Accepted { score: 210, tier: 1, epoch }));
		assert!(events().contains(&crate::Event::Disagreement {
			epoch,
			reporter: reporter(3),
			lrt: EZ,
			score: 400,
			median: 210
		}));
		// RS: the median of all (100, 100, 110, 900) is 100; 900 is left out; the median of 100,
		// 100 and 110 is 100.
		assert_eq!(Scores::<Test>::get(RS), Some(Accepted { score: 100, tier: 0, epoch }));
		assert!(events().contains(&crate::Event::Disagreement {
			epoch,
			reporter: reporter(2),
			lrt: RS,
			score: 900,
			median: 100
		}));
		// From no cap: the LTV at the tier's at once, the threshold one step (100 % → 98 %,
		// above the tier's 90 %).
		assert_eq!(Risk::limits(EZ), Some((Perbill::from_percent(85), Perbill::from_percent(98))));
		// A report for the ended epoch is refused.
		let (mut late, _) = report(3, &[(EZ, 400)]);
		late.epoch = epoch;
		let signature = sign(3, &late);
		pool_rejects(late, signature, InvalidTransaction::Stale);
	});
}

#[test]
fn two_reporters_at_1000_and_one_at_100_leave_the_threshold_untouched_within_the_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		let pct = Perbill::from_percent;
		with_world(EZ, |w| *w = healthy(4));
		accept_epoch(&[(EZ, 100)]);
		assert_eq!(Risk::limits(EZ), Some((pct(95), pct(98))));
		let accepted = Scores::<Test>::get(EZ);
		// Reporters 0 and 1 send 1000, reporter 2 sends 100: 3 of 4 reporters, median 1000.
		for (i, score) in [(0, 1000), (1, 1000), (2, 100)] {
			let (r, s) = report(i, &[(EZ, score)]);
			assert_ok!(submit(r, s));
		}
		// Nothing moves while the epoch collects reports, up to its last block.
		let last = (Risk::current_epoch() as u64 + 1) * EPOCH - 1;
		System::set_block_number(last);
		Risk::on_initialize(last);
		assert_eq!(Risk::limits(EZ), Some((pct(95), pct(98))));
		assert_eq!(Scores::<Test>::get(EZ), accepted);
		// At its end the median of all three (1000) is accepted: LTV at once, LT one step.
		next_epoch();
		assert_eq!(Scores::<Test>::get(EZ).map(|a| (a.score, a.tier)), Some((1000, 3)));
		assert_eq!(Risk::limits(EZ), Some((pct(50), pct(96))));
	});
}

#[test]
fn the_median_is_taken_over_every_report_of_the_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		with_world(EZ, |w| *w = healthy(4));
		// The two 1000s land first; the two 100s later in the same epoch.
		for (i, score) in [(0, 1000), (1, 1000), (2, 100), (3, 100)] {
			let (r, s) = report(i, &[(EZ, score)]);
			assert_ok!(submit(r, s));
		}
		let epoch = Risk::current_epoch();
		assert_eq!(LastAccepted::<Test>::get(), None, "accepted only when the epoch ends");
		next_epoch();
		assert_eq!(LastAccepted::<Test>::get(), Some(epoch));
		// Four reports: the lower middle of 100, 100, 1000, 1000; the 1000s disagree.
		assert_eq!(Scores::<Test>::get(EZ), Some(Accepted { score: 100, tier: 0, epoch }));
		for i in [0, 1] {
			assert!(events().contains(&crate::Event::Disagreement {
				epoch,
				reporter: reporter(i),
				lrt: EZ,
				score: 1000,
				median: 100
			}));
		}
		assert_eq!(Risk::limits(EZ), Some((Perbill::from_percent(95), Perbill::from_percent(98))));
	});
}

#[test]
fn an_lrt_scored_by_fewer_than_two_thirds_of_the_reporters_gets_no_score() {
	ExtBuilder::default().build_and_execute(|| {
		with_world(EZ, |w| *w = healthy(4));
		with_world(RS, |w| *w = healthy(4));
		// Four reports; RS is in only two of them (2 of 4 < 2/3).
		for (i, scores) in [
			(0, vec![(EZ, 100), (RS, 900)]),
			(1, vec![(EZ, 100), (RS, 900)]),
			(2, vec![(EZ, 100)]),
			(3, vec![(EZ, 100)]),
		] {
			let (r, s) = report(i, &scores);
			assert_ok!(submit(r, s));
		}
		let epoch = Risk::current_epoch();
		next_epoch();
		assert_eq!(LastAccepted::<Test>::get(), Some(epoch));
		assert_eq!(Scores::<Test>::get(EZ).map(|a| a.score), Some(100));
		assert_eq!(Scores::<Test>::get(RS), None);
		assert_eq!(Risk::limits(RS), None);
		// Three of four score it: it counts.
		for (i, scores) in [
			(0, vec![(EZ, 100), (RS, 900)]),
			(1, vec![(EZ, 100), (RS, 900)]),
			(2, vec![(EZ, 100), (RS, 900)]),
		] {
			let (r, s) = report(i, &scores);
			assert_ok!(submit(r, s));
		}
		next_epoch();
		assert_eq!(Scores::<Test>::get(RS).map(|a| a.score), Some(900));
	});
}

#[test]
fn an_epoch_without_two_thirds_of_all_reporters_is_not_accepted_and_its_reports_are_dropped() {
	ExtBuilder::default().build_and_execute(|| {
		with_world(EZ, |w| *w = healthy(4));
		for i in 0..2 {
			let (r, s) = report(i, &[(EZ, 100)]);
			assert_ok!(submit(r, s));
		}
		let epoch = Risk::current_epoch();
		next_epoch();
		assert_eq!(LastAccepted::<Test>::get(), None);
		assert_eq!(Risk::limits(EZ), None);
		assert_eq!(Reports::<Test>::iter_prefix(epoch).count(), 0);
	});
}

#[test]
fn reports_of_epochs_before_the_accepted_one_are_pruned() {
	ExtBuilder::default().build_and_execute(|| {
		with_world(EZ, |w| *w = healthy(4));
		let first = Risk::current_epoch();
		accept_epoch(&[(EZ, 100)]);
		accept_epoch(&[(EZ, 120)]);
		assert_eq!(LastAccepted::<Test>::get(), Some(first + 1));
		assert_eq!(Reports::<Test>::iter_prefix(first).count(), 0);
		assert_eq!(Reports::<Test>::iter_prefix(first + 1).count(), 3);
		assert_eq!(Reports::<Test>::iter().count(), 3);
	});
}
