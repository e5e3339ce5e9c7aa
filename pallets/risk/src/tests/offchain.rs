//! The off-chain worker: four nodes, each with its own keystore, compute identical reports on
//! the same state, and the chain forms the quorum from their real submissions; a report the
//! pool refused is sent again; the model reads the validator records once for all LRTs.

use super::*;
use codec::Decode;
use frame_support::traits::Hooks;
use sp_core::offchain::{
	testing::{PoolState, TestOffchainExt, TestTransactionPoolExt},
	OffchainDbExt, OffchainWorkerExt, TransactionPoolExt,
};
use sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt};
use std::sync::Arc;

/// One validator node: the chain's state (the same everywhere) and its own keystore.
fn node(
	keys: &[usize],
	world: impl Fn(),
) -> (sp_io::TestExternalities, Arc<parking_lot::RwLock<PoolState>>) {
	let mut ext = ExtBuilder::default().build();
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
			ext.execute_with(|| assert_eq!(Risk::do_try_state(), Ok(())));
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
	// The chain applies them as they come; the epoch is accepted when it ends, with all four.
	let (mut chain, _) = node(&[], risky_world);
	chain.execute_with(|| {
		let epoch = Risk::current_epoch();
		for (report, signature) in reports {
			assert_ok!(submit(report, signature));
			assert_eq!(LastAccepted::<Test>::get(), None);
		}
		next_epoch();
		assert_eq!(LastAccepted::<Test>::get(), Some(epoch));
		assert!(events().contains(&crate::Event::EpochAccepted { epoch, reports: 4 }));
		let ez = model::lrt_score(&Risk::inputs(EZ));
		let rs = model::lrt_score(&Risk::inputs(RS));
		assert_eq!(Scores::<Test>::get(EZ).unwrap().score, ez.score);
		assert_eq!(Scores::<Test>::get(RS).unwrap().score, rs.score);
		assert!(ez.score > rs.score);
		assert_eq!(Risk::do_try_state(), Ok(()));
	});
}

/// A transaction pool that refuses the next `refuse` submissions and keeps the rest.
#[derive(Clone, Default)]
struct FlakyPool {
	refuse: Arc<std::sync::atomic::AtomicU32>,
	accepted: Arc<parking_lot::RwLock<Vec<Vec<u8>>>>,
}

impl sp_core::offchain::TransactionPool for FlakyPool {
	fn submit_transaction(&mut self, extrinsic: Vec<u8>) -> Result<(), ()> {
		use std::sync::atomic::Ordering;
		if self.refuse.load(Ordering::SeqCst) > 0 {
			self.refuse.fetch_sub(1, Ordering::SeqCst);
			return Err(());
		}
		self.accepted.write().push(extrinsic);
		Ok(())
	}
}

#[test]
fn an_epoch_is_marked_sent_only_when_the_pool_accepted_the_report() {
	let mut ext = ExtBuilder::default().build();
	let keystore = MemoryKeystore::new();
	keystore.sr25519_generate_new(crypto::KEY_TYPE, Some(&seed(0))).expect("key inserted");
	let (offchain, _) = TestOffchainExt::new();
	let pool = FlakyPool::default();
	pool.refuse.store(1, std::sync::atomic::Ordering::SeqCst);
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(OffchainWorkerExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool.clone()));
	ext.register_extension(KeystoreExt(Arc::new(keystore)));
	ext.execute_with(|| {
		risky_world();
		let now = System::block_number();
		// The pool refuses the report: the epoch is not marked sent.
		Risk::offchain_worker(now);
		assert!(pool.accepted.read().is_empty());
		// The next block sends it again; the pool takes it.
		Risk::offchain_worker(now + 1);
		assert_eq!(pool.accepted.read().len(), 1);
		// Then it is not sent again in the epoch.
		Risk::offchain_worker(now + 2);
		assert_eq!(pool.accepted.read().len(), 1);
		assert_eq!(Risk::do_try_state(), Ok(()));
	});
}

#[test]
fn the_model_reads_the_validator_records_once_for_all_lrts() {
	ExtBuilder::default().build_and_execute(|| {
		risky_world();
		VALIDATOR_READS.with(|r| r.set(0));
		let scores = Risk::compute_all();
		assert_eq!(scores.len(), 2);
		assert_eq!(VALIDATOR_READS.with(|r| r.get()), 1, "one pass over the records");
		// The same scores as LRT by LRT.
		for (lrt, score) in scores {
			assert_eq!(score, model::lrt_score(&Risk::inputs(lrt)));
		}
	});
}
