//! Slashing propagation in the real runtime: an LRT valued from a proven `BackingReported`, a
//! market lending ETH against it with borrowers at different leverage, then EigenLayer's proven
//! `OperatorSlashed` (10 % of the operator holding 60 % of the LRT's stake) lowers the rate by
//! 6 %. In the same block `on_idle` starts liquidating; the validators' keeper (the off-chain
//! worker, its authorized transactions applied through `Executive`) finishes the rest. Exactly
//! the positions under the liquidation threshold at the new rate are liquidated.

use super::ext_from_preset;
use ballast_ethereum_harness::scenarios::story_with_eth;
use ballast_primitives::{assets::ETH, valuation::BackingRate, AccountId};
use ballast_runtime::{
	Assets, Executive, Lending, LrtBacking, LrtBridge, Runtime, RuntimeEvent, RuntimeOrigin,
	System, UncheckedExtrinsic,
};
use codec::Decode;
use frame_support::{assert_ok, traits::Hooks, weights::Weight};
use pallet_lending::{MarketParams, MarketState, WeightInfo as _};
use pallet_lrt_backing::WeightInfo as _;
use sp_core::offchain::{
	testing::{TestOffchainExt, TestTransactionPoolExt},
	OffchainDbExt, OffchainWorkerExt, TransactionPoolExt,
};
use sp_keyring::Sr25519Keyring;

type Weights = <Runtime as pallet_lending::Config>::WeightInfo;
use sp_runtime::{
	transaction_validity::{TransactionSource, TransactionValidityError},
	FixedPointNumber, Perbill,
};
use std::collections::BTreeSet;

const LRT: u32 = 1_000;
const ETHER: u128 = 1_000_000_000_000_000_000;

fn signed(who: &AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.clone())
}

fn liquidated() -> Vec<(AccountId, Option<AccountId>)> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Lending(pallet_lending::Event::Liquidated {
				borrower,
				liquidator,
				..
			}) => Some((borrower, liquidator)),
			_ => None,
		})
		.collect()
}

#[test]
fn a_proven_slash_liquidates_exactly_the_positions_it_makes_unhealthy() {
	let alice = Sr25519Keyring::Alice.to_account_id();
	let lender = Sr25519Keyring::Ferdie.to_account_id();
	// The same Ethereum block holds Alice's LRT deposit and the lender's 1,000 ETH (`depositEth`).
	// One more of each than the market needs: the first payment of an asset into the markets'
	// account also pays that asset's minimum balance, which keeps the account alive.
	let (story, eth) =
		story_with_eth(alice.clone().into(), 501, 1_030, lender.clone().into(), 1_001);
	let mut ext = ext_from_preset(sp_genesis_builder::DEV_RUNTIME_PRESET);
	let (offchain, _) = TestOffchainExt::new();
	let (pool, pool_state) = TestTransactionPoolExt::new();
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(OffchainWorkerExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool));
	ext.execute_with(|| {
		// The LRT: registered, its deposit minted to Alice, valued at 1.03 ETH from the proven
		// report, its validator proofs fresh (the valuation test's proven slashing of 61511).
		pallet_timestamp::Now::<Runtime>::put(1_750_000_100 * 1000);
		super::bridge::install_lrt(&story.beacon, story.token, story.gateway);
		assert_ok!(LrtBridge::submit_deposit(signed(&alice), Box::new(story.deposit.clone())));
		assert_ok!(LrtBacking::set_params(RuntimeOrigin::root(), LRT, super::valuation::params()));
		assert_ok!(LrtBacking::set_allocation_manager(
			RuntimeOrigin::root(),
			story.allocation_manager
		));
		assert_ok!(LrtBacking::submit_backing_report(
			signed(&alice),
			Box::new(story.report.clone())
		));
		super::valuation::prove_slashed_validator(LRT);
		let before = LrtBacking::borrow_rate(LRT).expect("fresh and valued");

		// A market with 1,000 ETH to lend and five borrowers of 100 LRT each, borrowing 90 %,
		// 89 %, 88 %, 87 % and 80 % of their collateral's value.
		assert_ok!(Lending::create_market(
			RuntimeOrigin::root(),
			LRT,
			ETH,
			MarketParams::reference()
		));
		// The lender's ETH came through the bridge: bridged ETH registered against the gateway's
		// WETH, the proven `depositEth` minted.
		assert_ok!(LrtBridge::register_ether(
			RuntimeOrigin::root(),
			ETH,
			eth.weth,
			story.gateway,
			10_000 * ETHER,
			100
		));
		assert_ok!(LrtBridge::submit_deposit(signed(&lender), Box::new(eth.eth_deposit.clone())));
		assert_eq!(Assets::balance(ETH, &lender), 1_001 * ETHER);
		assert_ok!(Lending::supply(signed(&lender), 0, 1_000 * ETHER));
		let shares = [90u32, 89, 88, 87, 80];
		let borrowers: Vec<AccountId> =
			(0..shares.len() as u8).map(|i| AccountId::from([0xb0 + i; 32])).collect();
		for (who, share) in borrowers.iter().zip(shares) {
			assert_ok!(Assets::transfer(
				signed(&alice),
				LRT.into(),
				who.clone().into(),
				100 * ETHER + 1 // the LRT's minimum balance, for the first depositor's endowment
			));
			assert_ok!(Lending::deposit_collateral(signed(who), 0, 100 * ETHER));
			let value = before.saturating_mul_int(100 * ETHER);
			assert_ok!(Lending::borrow(
				signed(who),
				0,
				Perbill::from_percent(share).mul_floor(value)
			));
		}
		assert!(Lending::liquidatable(0, None, 10).is_empty());

		// The AVS slash, proven from EigenLayer's event, in an ordinary transaction.
		System::reset_events();
		assert_ok!(LrtBacking::submit_avs_slashing(
			signed(&Sr25519Keyring::Bob.to_account_id()),
			Box::new(story.slashing.clone())
		));
		let after = LrtBacking::backing_rate(LRT).expect("valued");
		// 10 % of the 60 % the slashed operator holds: 6 % of the reported backing.
		let drop = Perbill::from_rational((before - after).into_inner(), before.into_inner());
		assert!(
			drop >= Perbill::from_percent(6) && drop < Perbill::from_parts(60_100_000),
			"{drop:?}"
		);
		assert!(Lending::market_view(0).expect("market").propagating);
		// Who is under the threshold now: 0.93 · 0.94 / share < 1, i.e. the 90 %, 89 % and 88 %.
		let expected: BTreeSet<AccountId> = borrowers
			.iter()
			.filter(|who| Lending::position_view(0, who).expect("position").liquidatable)
			.cloned()
			.collect();
		assert_eq!(expected, borrowers[..3].iter().cloned().collect());
		assert_eq!(Lending::liquidatable(0, None, 10).len(), 3);

		// The same block's spare weight, as `Executive` gives `on_idle`: here room for two of the
		// five positions only, so the keeper does the rest.
		let used = Lending::on_idle(System::block_number(), Weights::work_off(2));
		assert!(used.all_lte(Weights::work_off(2)) && used != Weight::zero());
		let mut all = BTreeSet::new();
		for (who, by) in liquidated() {
			assert_eq!(by, None, "liquidated by the market");
			assert!(expected.contains(&who));
			all.insert(who);
		}
		assert!(all.len() <= 2);
		assert!(Lending::market_view(0).expect("market").propagating);

		// Next block: the validators' keeper.
		System::set_block_number(System::block_number() + 1);
		Lending::offchain_worker(System::block_number());
		let submitted: Vec<Vec<u8>> = pool_state.write().transactions.drain(..).collect();
		assert_eq!(
			submitted.len(),
			expected.len() - all.len(),
			"one authorized transaction per remaining position"
		);
		for bytes in &submitted {
			let xt = UncheckedExtrinsic::decode(&mut &bytes[..]).expect("decodes");
			// The pool accepts it: no signer, no fee, authorized by the lending pallet.
			let valid = Executive::validate_transaction(
				TransactionSource::Local,
				xt.clone(),
				System::parent_hash(),
			)
			.expect("valid");
			assert_eq!(valid.priority, ballast_runtime::configs::lending::KeeperPriority::get());
			System::reset_events();
			assert_ok!(Executive::apply_extrinsic(xt.clone()).expect("applies"));
			all.extend(liquidated().into_iter().map(|(who, _)| who));
			// Once applied, the same transaction is no longer valid.
			assert!(matches!(
				Executive::validate_transaction(
					TransactionSource::Local,
					xt,
					System::parent_hash()
				),
				Err(TransactionValidityError::Invalid(_))
			));
		}
		assert_eq!(all, expected, "exactly the unhealthy positions");
		assert!(Lending::liquidatable(0, None, 10).is_empty());
		for who in &borrowers[3..] {
			let view = Lending::position_view(0, who).expect("untouched");
			assert_eq!(view.collateral, 100 * ETHER);
		}
		// Nothing left for the keeper.
		Lending::offchain_worker(System::block_number() + 1);
		assert!(pool_state.read().transactions.is_empty());
		let market = Lending::market_view(0).expect("market").market;
		assert!(market.ledger.stock > 0 && market.state == MarketState::Active);
		super::assert_books_hold();
	});
}

/// Slashing propagation's capacity on the measured weights. `on_idle` of the block holding the
/// slashing transaction has the block's weight minus what that transaction and the block's base
/// used. In later blocks ordinary transactions may fill 75 % of the block, so `on_idle` is sure of
/// the remaining 25 % (the keeper's transactions come on top). Targets: at least 500
/// liquidations per block, 10,000 unhealthy positions worked off in at most 20 blocks.
#[test]
fn ten_thousand_unhealthy_positions_are_worked_off_within_twenty_blocks() {
	use ballast_runtime::configs::system::{RuntimeBlockWeights, NORMAL_DISPATCH_RATIO};
	let limits = RuntimeBlockWeights::get();
	let max = limits.max_block.ref_time();
	let per_position = Weights::work_off(1).saturating_sub(Weights::work_off(0)).ref_time();
	let idle_base = Weights::work_off(0).ref_time() + limits.base_block.ref_time();
	// The slash's own block: the heaviest proven loss (an AVS slashing) is spent first.
	let slash =
		<Runtime as pallet_lrt_backing::Config>::WeightInfo::submit_avs_slashing(1).ref_time();
	let first_block = (max - slash - idle_base) / per_position;
	let later_blocks = (max - NORMAL_DISPATCH_RATIO * max - idle_base) / per_position;
	let blocks = 1 + 10_000u64.saturating_sub(first_block).div_ceil(later_blocks);
	println!(
		"work-off per position {:.1} µs: {first_block} liquidations in the slash's block, at least \
		 {later_blocks} per later block; 10,000 positions in {blocks} block(s)",
		per_position as f64 / 1e6,
	);
	assert!(first_block >= 500 && later_blocks >= 500, "{first_block} / {later_blocks}");
	assert!(blocks <= 20, "{blocks} blocks");
}

/// `MaxParamStep` bounds a window, not a call: a `utility.batch` of `set_params`, each one point
/// tighter, moves the liquidation threshold 5 points in a day at most; the next day's batch
/// moves it 5 more.
#[test]
fn a_batch_of_set_params_moves_the_threshold_one_step_per_window() {
	use ballast_runtime::{configs::lending::ParamStepWindow, RuntimeCall};
	use codec::Encode;
	let mut ext = ext_from_preset(sp_genesis_builder::DEV_RUNTIME_PRESET);
	ext.execute_with(|| {
		let now = 1_750_000_000u64;
		pallet_timestamp::Now::<Runtime>::put(now * 1000);
		let alice = Sr25519Keyring::Alice.to_account_id();
		assert_ok!(Assets::force_create(RuntimeOrigin::root(), LRT.into(), alice.into(), true, 1));
		assert_ok!(Lending::create_market(
			RuntimeOrigin::root(),
			LRT,
			ETH,
			MarketParams::reference()
		));
		let threshold = || {
			pallet_lending::Markets::<Runtime>::get(0).expect("market").params.liquidation_threshold
		};
		// `utility.batch` (pallet 2, call 0) of one `set_params` per threshold, LTV 3 points under.
		let batch = |thresholds: core::ops::RangeInclusive<u32>| {
			let calls: Vec<RuntimeCall> = thresholds
				.rev()
				.map(|lt| {
					RuntimeCall::Lending(pallet_lending::Call::set_params {
						market: 0,
						params: MarketParams {
							ltv: Perbill::from_percent(lt - 3),
							liquidation_threshold: Perbill::from_percent(lt),
							..MarketParams::reference()
						},
					})
				})
				.collect();
			let call = RuntimeCall::decode(&mut &(2u8, 0u8, calls).encode()[..]).expect("a call");
			assert!(matches!(call, RuntimeCall::Utility(_)));
			call
		};
		use sp_runtime::traits::Dispatchable;
		// 92, 91, …, 85 %: the batch stops where the threshold would leave 93 − 5 = 88 %.
		System::reset_events();
		assert_ok!(batch(85..=92).dispatch(RuntimeOrigin::root()));
		assert_eq!(threshold(), Perbill::from_percent(88));
		assert!(System::events().iter().any(|r| matches!(r.event, RuntimeEvent::Utility(_))
			&& format!("{:?}", r.event).contains("BatchInterrupted { index: 5")));
		// A window later, the next five points.
		pallet_timestamp::Now::<Runtime>::put((now + ParamStepWindow::get()) * 1000);
		assert_ok!(batch(80..=87).dispatch(RuntimeOrigin::root()));
		assert_eq!(threshold(), Perbill::from_percent(83));
	});
}
