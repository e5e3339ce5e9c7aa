use crate::{mock::*, *};
use ballast_primitives::risk::{lrt_score, BookedLoss, RiskLimits};
use codec::{Decode, Encode};
use frame_support::{
	assert_noop, assert_ok,
	pallet_prelude::{InvalidTransaction, TransactionSource, TransactionValidityError},
	traits::{Authorize, Hooks},
	BoundedVec,
};
use sp_core::{
	offchain::{
		testing::{TestOffchainExt, TestTransactionPoolExt},
		OffchainDbExt, OffchainWorkerExt, TransactionPoolExt,
	},
	Pair, H160,
};
use sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt};
use sp_runtime::{traits::Dispatchable, DispatchError, Perbill};
use std::sync::Arc;

type Error = crate::Error<Test>;

fn sign(i: usize, report: &crate::pallet::ReportOf<Test>) -> ReporterSignature {
	let pair = sp_core::sr25519::Pair::from_string(&seed(i), None).unwrap();
	pair.sign(&report.encode()).into()
}

fn report(
	i: usize,
	scores: &[(AssetId, u16)],
) -> (crate::pallet::ReportOf<Test>, ReporterSignature) {
	let report = RiskReport {
		epoch: Risk::current_epoch(),
		reporter: reporter(i),
		computed_at: System::block_number() as u32,
		scores: BoundedVec::truncate_from(scores.to_vec()),
	};
	let signature = sign(i, &report);
	(report, signature)
}

/// Validates as the pool does, then applies with the authorized origin.
fn submit(
	report: crate::pallet::ReportOf<Test>,
	signature: ReporterSignature,
) -> Result<(), DispatchError> {
	let call = crate::Call::<Test>::report { report, signature };
	call.authorize(TransactionSource::External)
		.expect("authorizable")
		.map_err(|_| DispatchError::Other("refused by the pool"))?;
	RuntimeCall::Risk(call)
		.dispatch(frame_system::RawOrigin::Authorized.into())
		.map(|_| ())
		.map_err(|e| e.error)
}

fn events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Risk(e) => Some(e),
			_ => None,
		})
		.collect()
}

fn pool_rejects(
	report: crate::pallet::ReportOf<Test>,
	signature: ReporterSignature,
	expected: InvalidTransaction,
) {
	let call = crate::Call::<Test>::report { report, signature };
	assert_eq!(
		call.authorize(TransactionSource::External).unwrap().map(|_| ()),
		Err(TransactionValidityError::Invalid(expected))
	);
}

#[test]
fn only_listed_reporters_report_once_per_epoch_with_scores_in_range() {
	new_test_ext(4).execute_with(|| {
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
fn two_thirds_of_the_reporters_settle_the_median_and_outliers_are_left_out() {
	new_test_ext(4).execute_with(|| {
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

fn accept_epoch(scores: &[(AssetId, u16)]) {
	for i in 0..3 {
		let (r, s) = report(i, scores);
		assert_ok!(submit(r, s));
	}
}

fn next_epoch() {
	System::set_block_number(System::block_number() + EPOCH);
}

#[test]
fn tightening_applies_at_once_and_loosening_gradually() {
	new_test_ext(4).execute_with(|| {
		with_world(EZ, |w| *w = healthy(4));
		accept_epoch(&[(EZ, 100)]);
		let pct = Perbill::from_percent;
		assert_eq!(Risk::limits(EZ), Some((pct(95), pct(98))));
		next_epoch();
		accept_epoch(&[(EZ, 600)]);
		assert_eq!(Risk::limits(EZ), Some((pct(50), pct(60))), "at once");
		next_epoch();
		accept_epoch(&[(EZ, 100)]);
		assert_eq!(Risk::limits(EZ), Some((pct(51), pct(61))), "one point per epoch");
		next_epoch();
		accept_epoch(&[(EZ, 100)]);
		assert_eq!(Risk::limits(EZ), Some((pct(52), pct(62))));
		next_epoch();
		accept_epoch(&[(EZ, 400)]);
		// Tier 75/80 is above the current caps: still only a step up.
		assert_eq!(Risk::limits(EZ), Some((pct(53), pct(63))));
	});
}

#[test]
fn governance_sets_sound_tiers_and_the_reporters() {
	new_test_ext(4).execute_with(|| {
		let mut bad = tiers();
		bad[1].ltv = Perbill::from_percent(96); // riskier tier allowing more
		assert_noop!(Risk::set_tiers(RuntimeOrigin::root(), bad), Error::InvalidTiers);
		let mut short = tiers();
		short.pop(); // does not cover the whole scale
		assert_noop!(Risk::set_tiers(RuntimeOrigin::root(), short), Error::InvalidTiers);
		assert_noop!(Risk::set_tiers(RuntimeOrigin::signed(1), tiers()), DispatchError::BadOrigin);
		assert_ok!(Risk::set_tiers(RuntimeOrigin::root(), tiers()));
		assert_noop!(
			Risk::set_reporters(RuntimeOrigin::signed(1), vec![reporter(0)]),
			DispatchError::BadOrigin
		);
		assert_ok!(Risk::set_reporters(RuntimeOrigin::root(), vec![reporter(0)]));
		// One reporter: one report is the quorum.
		with_world(EZ, |w| *w = healthy(4));
		let (r, s) = report(0, &[(EZ, 100)]);
		assert_ok!(submit(r, s));
		assert!(LastAccepted::<Test>::get().is_some());
	});
}

/// One validator node: the chain's state (the same everywhere) and its own keystore.
fn node(
	keys: &[usize],
	world: impl Fn(),
) -> (sp_io::TestExternalities, Arc<parking_lot::RwLock<sp_core::offchain::testing::PoolState>>) {
	let mut ext = new_test_ext(4);
	let keystore = MemoryKeystore::new();
	for i in keys {
		keystore.sr25519_generate_new(crypto::KEY_TYPE, Some(&seed(*i))).expect("key inserted");
	}
	let (offchain, _) = TestOffchainExt::new();
	let (pool, state) = TestTransactionPoolExt::new();
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(OffchainWorkerExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool));
	ext.register_extension(KeystoreExt(Arc::new(keystore)));
	ext.execute_with(world);
	(ext, state)
}

/// An LRT with a slashed validator among four and one operator holding 90 % of the stake.
fn risky_world() {
	with_world(EZ, |w| {
		*w = healthy(4);
		w.validators[0].slashed = true;
		w.losses.push(BookedLoss::ValidatorSlashed { index: 0 });
		w.stakes = vec![(H160::repeat_byte(1), 900), (H160::repeat_byte(2), 100)];
	});
	with_world(RS, |w| *w = healthy(8));
}

#[test]
fn off_chain_workers_on_four_nodes_form_the_quorum_with_identical_scores() {
	// Four validators, each with its own keystore, run their off-chain worker on the same state.
	let submitted: Vec<Vec<u8>> = (0..4)
		.flat_map(|i| {
			let (mut ext, pool) = node(&[i], risky_world);
			ext.execute_with(|| Risk::offchain_worker(System::block_number()));
			let txs = pool.read().transactions.clone();
			// Once per epoch: a second run in the same epoch sends nothing.
			ext.execute_with(|| Risk::offchain_worker(System::block_number() + 1));
			assert_eq!(pool.read().transactions.len(), 1);
			txs
		})
		.collect();
	assert_eq!(submitted.len(), 4);
	let reports: Vec<(crate::pallet::ReportOf<Test>, ReporterSignature)> = submitted
		.iter()
		.map(|bytes| match Extrinsic::decode(&mut &bytes[..]).unwrap().function {
			RuntimeCall::Risk(crate::Call::report { report, signature }) => (report, signature),
			other => panic!("unexpected {other:?}"),
		})
		.collect();
	// Reproducible: the four independent computations agree to the point.
	for (report, _) in &reports[1..] {
		assert_eq!(report.scores, reports[0].0.scores);
	}
	// The chain applies them as they come: the third forms the quorum.
	let (mut chain, _) = node(&[], risky_world);
	chain.execute_with(|| {
		for (n, (report, signature)) in reports.into_iter().enumerate() {
			assert_ok!(submit(report, signature));
			assert_eq!(LastAccepted::<Test>::get().is_some(), n >= 2);
		}
		let ez = lrt_score(&Risk::inputs(EZ));
		let rs = lrt_score(&Risk::inputs(RS));
		assert_eq!(Scores::<Test>::get(EZ).unwrap().score, ez.score);
		assert_eq!(Scores::<Test>::get(RS).unwrap().score, rs.score);
		assert!(ez.score > rs.score);
	});
}

#[test]
fn a_slash_and_concentration_lower_the_market_ltv_in_the_next_accepted_epoch() {
	new_test_ext(4).execute_with(|| {
		with_world(EZ, |w| *w = healthy(4));
		let scores = || -> Vec<(AssetId, u16)> {
			Risk::compute_all().into_iter().map(|(lrt, s)| (lrt, s.score)).collect()
		};
		accept_epoch(&scores());
		let before = Scores::<Test>::get(EZ).unwrap();
		let (ltv_before, _) = Risk::limits(EZ).unwrap();
		// A validator proven slashed, and the stake moves to one operator.
		risky_world();
		next_epoch();
		accept_epoch(&scores());
		let after = Scores::<Test>::get(EZ).unwrap();
		let (ltv_after, lt_after) = Risk::limits(EZ).unwrap();
		assert!(after.score > before.score, "{} → {}", before.score, after.score);
		assert!(after.tier > before.tier);
		assert!(ltv_after < ltv_before);
		assert_eq!((ltv_after, lt_after), {
			let tier = tiers()[after.tier as usize];
			(tier.ltv, tier.liquidation_threshold)
		});
	});
}
