//! `report`: who may report, what a report must hold, and how the pool and the call refuse the
//! rest.

use super::*;
use frame_support::assert_noop;

#[test]
fn only_listed_reporters_report_once_per_epoch_with_scores_in_range() {
	ExtBuilder::default().build_and_execute(|| {
		with_world(EZ, |w| *w = healthy(4));
		// A key that is not a reporter.
		let (mut stranger, _) = report(0, &[(EZ, 100)]);
		let pair = sp_core::sr25519::Pair::from_string("//Mallory", None).unwrap();
		stranger.reporter = pair.public().into();
		let signature: ReporterSignature = pair.sign(&stranger.encode()).into();
		pool_rejects(stranger.clone(), signature.clone(), InvalidTransaction::BadProof);
		assert_noop!(
			RuntimeCall::Risk(crate::Call::report { report: stranger, signature })
				.dispatch(frame_system::RawOrigin::Authorized.into())
				.map_err(|e| e.error),
			Error::NotAReporter
		);
		// A reporter's report signed by someone else.
		let (good, _) = report(0, &[(EZ, 100)]);
		pool_rejects(good.clone(), sign(1, &good), InvalidTransaction::BadProof);
		// Out of range, unknown or repeated LRTs.
		let (high, sig) = report(0, &[(EZ, 1001)]);
		pool_rejects(high.clone(), sig.clone(), InvalidTransaction::Call);
		assert_noop!(
			RuntimeCall::Risk(crate::Call::report { report: high, signature: sig })
				.dispatch(frame_system::RawOrigin::Authorized.into())
				.map_err(|e| e.error),
			Error::ScoreOutOfRange
		);
		let (unknown, sig) = report(0, &[(999, 100)]);
		pool_rejects(unknown, sig, InvalidTransaction::Call);
		let (twice, sig) = report(0, &[(EZ, 100), (EZ, 120)]);
		pool_rejects(twice, sig, InvalidTransaction::Call);
		// Another epoch.
		let (mut old, _) = report(0, &[(EZ, 100)]);
		old.epoch -= 1;
		let sig = sign(0, &old);
		pool_rejects(old, sig, InvalidTransaction::Stale);
		// Signed origins cannot report.
		let (good, sig) = report(0, &[(EZ, 100)]);
		assert_noop!(
			Risk::report(RuntimeOrigin::signed(1), good.clone(), sig.clone()),
			DispatchError::BadOrigin
		);
		// The real one, then its duplicate.
		assert_ok!(submit(good.clone(), sig.clone()));
		pool_rejects(good.clone(), sig.clone(), InvalidTransaction::Stale);
		assert_noop!(
			RuntimeCall::Risk(crate::Call::report { report: good, signature: sig })
				.dispatch(frame_system::RawOrigin::Authorized.into())
				.map_err(|e| e.error),
			Error::AlreadyReported
		);
	});
}

#[test]
fn while_reports_are_paused_the_pool_refuses_them() {
	ExtBuilder::default().build_and_execute(|| {
		with_world(EZ, |w| *w = healthy(4));
		let (good, signature) = report(0, &[(EZ, 100)]);
		// Safe mode or a tx-pause would refuse the call at dispatch: the pool keeps it out
		// rather than let a free, failing transaction into a block.
		crate::mock::Paused::set(&true);
		pool_rejects(good.clone(), signature.clone(), InvalidTransaction::Call);
		crate::mock::Paused::set(&false);
		assert_ok!(submit(good, signature));
	});
}
