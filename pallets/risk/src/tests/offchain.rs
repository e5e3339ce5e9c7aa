//! The off-chain worker: four nodes, each with its own keystore, compute identical reports on
//! the same state, and the chain forms the quorum from their real submissions.

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
	// The chain applies them as they come: the third forms the quorum.
	let (mut chain, _) = node(&[], risky_world);
	chain.execute_with(|| {
		for (n, (report, signature)) in reports.into_iter().enumerate() {
			assert_ok!(submit(report, signature));
			assert_eq!(LastAccepted::<Test>::get().is_some(), n >= 2);
		}
		let ez = model::lrt_score(&Risk::inputs(EZ));
		let rs = model::lrt_score(&Risk::inputs(RS));
		assert_eq!(Scores::<Test>::get(EZ).unwrap().score, ez.score);
		assert_eq!(Scores::<Test>::get(RS).unwrap().score, rs.score);
		assert!(ez.score > rs.score);
		assert_eq!(Risk::do_try_state(), Ok(()));
	});
}
