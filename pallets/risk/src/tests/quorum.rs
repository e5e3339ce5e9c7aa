//! The quorum: 2/3 of the reporters settle each LRT's median, outliers are left out, and late
//! reports change nothing.

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
		// The third completes it; its RS score is an outlier.
		let (r2, s2) = report(2, &[(EZ, 210), (RS, 900)]);
		assert_ok!(submit(r2, s2));
		let epoch = Risk::current_epoch();
		assert_eq!(LastAccepted::<Test>::get(), Some(epoch));
		assert_eq!(Scores::<Test>::get(EZ), Some(Accepted { score: 210, tier: 1, epoch }));
		// RS: the median of all is 110; 900 is left out; the median of 100 and 110 is 100.
		assert_eq!(Scores::<Test>::get(RS), Some(Accepted { score: 100, tier: 0, epoch }));
		assert!(events().contains(&crate::Event::Disagreement {
			epoch,
			reporter: reporter(2),
			lrt: RS,
			score: 900,
			median: 110
		}));
		assert_eq!(Risk::limits(EZ), Some((Perbill::from_percent(85), Perbill::from_percent(90))));
		// A late report is compared with what was accepted, and changes nothing.
		let (r3, s3) = report(3, &[(EZ, 400), (RS, 100)]);
		assert_ok!(submit(r3, s3));
		assert!(events().contains(&crate::Event::Disagreement {
			epoch,
			reporter: reporter(3),
			lrt: EZ,
			score: 400,
			median: 210
		}));
		assert_eq!(Scores::<Test>::get(EZ).unwrap().score, 210);
	});
}
