//! `do_try_state` itself: each broken book it must catch, with its own error.

use super::*;

/// `do_try_state` refuses the state with `message`.
fn fails(message: &'static str) {
	assert_eq!(Risk::do_try_state(), Err(DispatchError::Other(message)));
}

fn scores(list: &[(AssetId, u16)]) -> crate::pallet::ScoresOf<Test> {
	BoundedVec::truncate_from(list.to_vec())
}

#[test]
fn try_state_refuses_reports_ahead_of_time_from_no_reporter_or_out_of_range() {
	ExtBuilder::default().reporters(2).build_and_execute(|| {
		let epoch = Risk::current_epoch();
		Reports::<Test>::insert(epoch + 1, 0u32, scores(&[(EZ, 100)]));
		fails("Risk: a report for an epoch after the current one");
		Reports::<Test>::remove(epoch + 1, 0u32);
		// Two reporters: positions 0 and 1.
		Reports::<Test>::insert(epoch, 2u32, scores(&[(EZ, 100)]));
		fails("Risk: a report of the current epoch from no current reporter");
		Reports::<Test>::remove(epoch, 2u32);
		Reports::<Test>::insert(epoch, 0u32, scores(&[(EZ, 1001)]));
		fails("Risk: a stored report holds a score above 1000");
		Reports::<Test>::insert(epoch, 0u32, scores(&[(EZ, 100), (EZ, 100)]));
		fails("Risk: a stored report scores an LRT twice");
		Reports::<Test>::remove(epoch, 0u32);
		let mut short = tiers();
		short.pop();
		Tiers::<Test>::set(BoundedVec::truncate_from(short));
		fails("Risk: the stored tiers are not valid");
		Tiers::<Test>::set(BoundedVec::truncate_from(tiers()));
	});
}

#[test]
fn try_state_refuses_accepted_scores_and_limits_the_quorum_did_not_set() {
	ExtBuilder::default().build_and_execute(|| {
		with_world(EZ, |w| *w = healthy(4));
		accept_epoch(&[(EZ, 200)]);
		let epoch = LastAccepted::<Test>::get().unwrap();
		assert_eq!(Risk::do_try_state(), Ok(()));
		// The last accepted epoch.
		LastAccepted::<Test>::put(Risk::current_epoch() + 1);
		fails("Risk: the last accepted epoch is after the current one");
		LastAccepted::<Test>::put(epoch - 1);
		fails("Risk: the last accepted epoch has no reports");
		LastAccepted::<Test>::put(epoch);
		// Accepted scores.
		let accepted = Scores::<Test>::get(EZ).unwrap();
		Scores::<Test>::insert(EZ, Accepted { epoch: epoch + 1, ..accepted });
		fails("Risk: an accepted score from an epoch that was not accepted");
		Scores::<Test>::insert(EZ, Accepted { score: 1001, ..accepted });
		fails("Risk: an accepted score above 1000");
		Scores::<Test>::insert(EZ, Accepted { tier: 8, ..accepted });
		fails("Risk: an accepted tier beyond MaxTiers");
		Scores::<Test>::insert(EZ, Accepted { score: 201, ..accepted });
		fails("Risk: an accepted score no report of its epoch holds");
		Scores::<Test>::insert(EZ, accepted);
		// Market limits.
		let limits = MarketLimits::<Test>::get(EZ).unwrap();
		MarketLimits::<Test>::remove(EZ);
		fails("Risk: an accepted score without market limits");
		MarketLimits::<Test>::insert(EZ, Limits { ltv: limits.liquidation_threshold, ..limits });
		fails("Risk: market limits with an LTV not below the threshold");
		let whole = Limits { liquidation_threshold: Perbill::one(), ..limits };
		MarketLimits::<Test>::insert(EZ, whole);
		fails("Risk: market limits with a liquidation threshold of 100 %");
		MarketLimits::<Test>::insert(EZ, limits);
		MarketLimits::<Test>::insert(RS, limits);
		fails("Risk: market limits without an accepted score");
		MarketLimits::<Test>::remove(RS);
	});
}

#[test]
fn try_state_refuses_repeated_reporters_a_future_open_epoch_and_unpruned_reports() {
	ExtBuilder::default().build_and_execute(|| {
		let listed = Reporters::<Test>::get();
		Reporters::<Test>::put(BoundedVec::truncate_from(vec![reporter(0), reporter(0)]));
		fails("Risk: a reporter listed twice");
		Reporters::<Test>::put(listed);
		PendingReporters::<Test>::put(BoundedVec::truncate_from(vec![reporter(1), reporter(1)]));
		fails("Risk: a pending reporter listed twice");
		PendingReporters::<Test>::kill();
		let epoch = Risk::current_epoch();
		OpenEpoch::<Test>::put(epoch + 1);
		fails("Risk: the open epoch is after the current one");
		OpenEpoch::<Test>::put(epoch);
		// An old epoch's report that was neither accepted nor pruned.
		Reports::<Test>::insert(epoch - 1, 0u32, scores(&[(EZ, 100)]));
		fails("Risk: a report of an epoch neither open nor last accepted");
		Reports::<Test>::remove(epoch - 1, 0u32);
	});
}

#[test]
fn try_state_refuses_broken_disabled_lists() {
	ExtBuilder::default().build_and_execute(|| {
		let keys =
			|list: &[usize]| BoundedVec::truncate_from(list.iter().map(|i| reporter(*i)).collect());
		SessionDisabled::<Test>::put(keys(&[1, 1]));
		fails("Risk: a disabled validator key listed twice");
		SessionDisabled::<Test>::put(keys(&[7]));
		fails("Risk: a disabled key of no session validator");
		SessionDisabled::<Test>::put(keys(&[1]));
		assert_eq!(Risk::do_try_state(), Ok(()));
		DisabledReporters::<Test>::put(BoundedVec::truncate_from(vec![1, 1]));
		fails("Risk: a disabled reporter listed twice");
		DisabledReporters::<Test>::put(BoundedVec::truncate_from(vec![4]));
		fails("Risk: a disabled position of no reporter");
		DisabledReporters::<Test>::put(BoundedVec::truncate_from(vec![1]));
		assert_eq!(Risk::do_try_state(), Ok(()));
		Reports::<Test>::insert(Risk::current_epoch(), 1u32, scores(&[]));
		fails("Risk: a disabled reporter's report in the open epoch");
		Reports::<Test>::remove(Risk::current_epoch(), 1u32);
	});
}
