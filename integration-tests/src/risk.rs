//! Risk scores in the real runtime, on real data: an LRT backed by 100 real Sepolia validators
//! (proven against the light client) and two operators (60/40, from the gateway's proven
//! report) is scored by the development validator's off-chain worker; its report, an authorized
//! transaction signed with the `risk` key, is applied through `Executive` and, as the single
//! reporter's, accepted when the epoch ends (`Risk`'s `on_initialize` at the next epoch's first
//! block). Then a validator proven slashed (EigenLayer's 61511) and a proven AVS slash of the
//! larger operator raise the score in the next epoch: the LRT moves to a riskier tier, its
//! lending market's LTV is capped at once and its liquidation threshold two points per epoch.

use super::{
	ethereum::{checkpoint, credentials_of, force_checkpoint, state, CHECKPOINT},
	ext_from_preset,
};
use ballast_ethereum_harness::scenarios::story;
use ballast_ethereum_prover::fixtures;
use ballast_primitives::{assets::ETH, risk::ValidatorSummaries};
use ballast_runtime::{
	configs::risk::RiskEpochBlocks, Executive, Lending, LrtBacking, Risk, Runtime, RuntimeCall,
	RuntimeOrigin, System, UncheckedExtrinsic, ValidatorHealth,
};
use codec::Decode;
use frame_support::{assert_ok, traits::Hooks};
use pallet_lending::MarketParams;
use pallet_risk::model::lrt_score;
use sp_core::offchain::{
	testing::{TestOffchainExt, TestTransactionPoolExt},
	OffchainDbExt, OffchainWorkerExt, TransactionPoolExt,
};
use sp_keyring::Sr25519Keyring;
use sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt};
use sp_runtime::{traits::Dispatchable, Perbill};
use std::sync::Arc;

const LRT: u32 = 1_000;

#[test]
fn proven_losses_raise_the_score_and_cap_the_market_in_the_next_epoch() {
	let alice = Sr25519Keyring::Alice.to_account_id();
	let story = story(alice.clone().into(), 10, 1_030);
	let mut ext = ext_from_preset(sp_genesis_builder::DEV_RUNTIME_PRESET);
	let keystore = MemoryKeystore::new();
	keystore
		.sr25519_generate_new(pallet_risk::crypto::KEY_TYPE, Some("//Alice"))
		.expect("the dev validator's risk key");
	let (offchain, _) = TestOffchainExt::new();
	let (pool, pool_state) = TestTransactionPoolExt::new();
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(OffchainWorkerExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool));
	ext.register_extension(KeystoreExt(Arc::new(keystore)));
	ext.execute_with(|| {
		pallet_timestamp::Now::<Runtime>::put(1_750_000_100 * 1000);
		// 100 real Sepolia validators back the LRT.
		assert_ok!(force_checkpoint(checkpoint()));
		let pod = credentials_of("0x25c4a76e7d118705e7ea2e9b7d8c59930d8acd3b");
		assert_ok!(ValidatorHealth::register_credentials(RuntimeOrigin::root(), LRT, pod));
		let prover = state(CHECKPOINT);
		let proofs: Vec<_> = (0..prover.validator_count())
			.filter(|i| prover.validators()[*i as usize].withdrawal_credentials == pod)
			.map(|i| prover.batch_proof(i).expect("index"))
			.collect();
		let anchor = prover.anchor(&fixtures::sepolia_header(CHECKPOINT)).expect("its header");
		assert_ok!(RuntimeCall::ValidatorHealth(
			pallet_validator_health::Call::submit_validator_proofs { anchor, proofs }
		)
		.dispatch(RuntimeOrigin::signed(alice.clone())));
		// The gateway's LRT and its proven backing: 1,030 ETH over operators 0x0a… (60 %) and
		// 0x0b… (40 %).
		super::bridge::install_lrt(&story.beacon, story.token, story.gateway);
		assert_ok!(LrtBacking::set_params(RuntimeOrigin::root(), LRT, super::valuation::params()));
		assert_ok!(LrtBacking::set_allocation_manager(
			RuntimeOrigin::root(),
			story.allocation_manager
		));
		assert_ok!(LrtBacking::submit_backing_report(
			RuntimeOrigin::signed(alice.clone()),
			Box::new(story.report.clone())
		));
		assert_ok!(Lending::create_market(
			RuntimeOrigin::root(),
			LRT,
			ETH,
			MarketParams::reference()
		));

		// The first block of an epoch: the ended epoch is judged.
		let open_epoch = |block: u32| {
			System::set_block_number(block);
			Risk::on_initialize(block);
		};
		// Epoch 1: the validator's off-chain worker reports; the chain applies it.
		let report_epoch = |block: u32| {
			open_epoch(block);
			Risk::offchain_worker(block);
			let submitted: Vec<Vec<u8>> = pool_state.write().transactions.drain(..).collect();
			assert_eq!(submitted.len(), 1, "one report per epoch from the one reporter");
			let xt = UncheckedExtrinsic::decode(&mut &submitted[0][..]).expect("decodes");
			assert_ok!(Executive::apply_extrinsic(xt).expect("valid"));
			// Once per epoch: the next block sends nothing.
			Risk::offchain_worker(block + 1);
			assert!(pool_state.read().transactions.is_empty());
		};
		let epoch = RiskEpochBlocks::get();
		report_epoch(epoch);
		assert_eq!(pallet_risk::Scores::<Runtime>::get(LRT), None, "judged when the epoch ends");
		open_epoch(2 * epoch);
		let first = pallet_risk::Scores::<Runtime>::get(LRT).expect("accepted");
		let model = lrt_score(&Risk::inputs(LRT));
		assert_eq!(first.score, model.score, "what was accepted is the model over the state");
		// 100 healthy validators, no loss yet; operators 60/40: Herfindahl 5,200 bps.
		assert_eq!((model.validators, model.concentration, model.operators), (0, 520, 0));
		assert_eq!(first.tier, 0);
		let market = Lending::market_view(0).expect("market");
		assert_eq!(market.effective_ltv, Perbill::from_percent(90), "tier 0 leaves it alone");

		// A validator proven slashed, and EigenLayer's proven slash of operator 0x0a….
		super::valuation::prove_slashed_validator(LRT);
		assert_ok!(LrtBacking::submit_avs_slashing(
			RuntimeOrigin::signed(alice.clone()),
			Box::new(story.slashing.clone())
		));
		let inputs = Risk::inputs(LRT);
		assert_eq!(inputs.validators.len(), 101);
		assert!(inputs.validators.iter().any(|v| v.slashed));
		// The off-chain worker reads the validator records once for every LRT; the same as LRT
		// by LRT.
		assert_eq!(
			ValidatorHealth::validators_of_each(&[LRT, LRT + 1]),
			vec![inputs.validators.clone(), Vec::new()]
		);

		report_epoch(2 * epoch);
		open_epoch(3 * epoch);
		let second = pallet_risk::Scores::<Runtime>::get(LRT).expect("accepted");
		let model = lrt_score(&Risk::inputs(LRT));
		assert_eq!(second.score, model.score);
		assert!(model.validators > 0 && model.operators > 0 && model.drawdown > 0);
		assert!(second.score > first.score, "{} → {}", first.score, second.score);
		assert_eq!(second.tier, 1);
		println!(
			"risk: epoch 1 score {} (tier {}), epoch 2 score {} (tier {}): {model:?}",
			first.score, first.tier, second.score, second.tier
		);
		// The LTV cap at once; the threshold cap one step (98 % → 96 %), above the market's own
		// 93 %.
		let market = Lending::market_view(0).expect("market");
		assert_eq!(market.effective_ltv, Perbill::from_percent(85));
		assert_eq!(market.effective_liquidation_threshold, Perbill::from_percent(93));
		// Three more accepted epochs: 94 %, 92 %, 90 % (the tier's).
		let mut thresholds = Vec::new();
		for k in 3..6 {
			report_epoch(k * epoch);
			open_epoch((k + 1) * epoch);
			let market = Lending::market_view(0).expect("market");
			assert_eq!(market.effective_ltv, Perbill::from_percent(85));
			thresholds.push(market.effective_liquidation_threshold);
		}
		assert_eq!(thresholds, [93, 92, 90].map(Perbill::from_percent));
		super::assert_books_hold();
	});
}

#[test]
fn closing_an_epoch_weighs_a_small_part_of_a_block() {
	use frame_support::traits::Get;
	use pallet_risk::WeightInfo as _;
	type Weights = <Runtime as pallet_risk::Config>::WeightInfo;
	// The worst case: every reporter reported every LRT, and the previous accepted epoch's
	// reports are pruned.
	let reporters = <Runtime as pallet_risk::Config>::MaxReporters::get();
	let lrts = <Runtime as pallet_risk::Config>::MaxLrts::get();
	let worst = Weights::close_epoch(reporters, lrts);
	let block = ballast_runtime::configs::system::RuntimeBlockWeights::get().max_block;
	println!("risk: close_epoch({reporters}, {lrts}) = {worst:?} of {block:?}");
	assert!(worst.all_lte(block / 20), "{worst:?}");
}
