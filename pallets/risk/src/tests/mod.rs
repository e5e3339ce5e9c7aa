//! The pallet's tests, one file per concern, all in the mock runtime (`crate::mock`), each
//! inside `ExtBuilder::build_and_execute` (or checking `do_try_state` itself where it runs
//! several nodes). The model's own unit tests are in `model.rs`.

mod governance;
mod limits;
mod offchain;
mod quorum;
mod report;
mod session;
mod try_state;

use crate::{mock::*, *};
use ballast_primitives::risk::{BookedLoss, RiskLimits};
use codec::Encode;
use frame_support::{
	assert_ok,
	pallet_prelude::{InvalidTransaction, TransactionSource, TransactionValidityError},
	traits::{Authorize, Hooks},
	BoundedVec,
};
use sp_core::{Pair, H160};
use sp_runtime::{traits::Dispatchable, DispatchError, Perbill};

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

/// Reporters 0, 1 and 2 (3 of 4) send `scores`, and the epoch ends.
fn accept_epoch(scores: &[(AssetId, u16)]) {
	for i in 0..3 {
		let (r, s) = report(i, scores);
		assert_ok!(submit(r, s));
	}
	next_epoch();
}

/// Moves to the first block of the next epoch and runs the pallet's `on_initialize` there (which
/// closes the epoch that ended).
fn next_epoch() {
	let first = (Risk::current_epoch() as u64 + 1) * EPOCH;
	System::set_block_number(first);
	Risk::on_initialize(first);
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
