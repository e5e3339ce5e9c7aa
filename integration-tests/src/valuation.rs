//! The valuation in the real runtime: a gateway `BackingReported` proven through Snowbridge's
//! light client sets an LRT's rate; a validator proven slashed in `pallet-validator-health`
//! (EigenLayer's real vector of validator 61511, slashed in epoch 2,052 at the latest) is booked
//! at the documented expected loss unless the LRT's snapshot (slot 4,600,000) already includes
//! it, and even when proven before the LRT is valued; while the light client is halted nothing
//! anchors and borrowing stops.

use super::{
	ethereum::{checkpoint, credentials_of, force_checkpoint, state, CHECKPOINT},
	ext_from_preset,
};
use ballast_ethereum_harness::scenarios::deposit_and_report;
use ballast_ethereum_proofs::{calls::Branch, BeaconBlockHeader, Root, ValidatorFields};
use ballast_ethereum_prover::fixtures;
use ballast_primitives::valuation::BackingRate;
use ballast_runtime::{
	EthereumBeaconClient, LrtBacking, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, System,
	ValidatorHealth,
};
use frame_support::{assert_noop, assert_ok};
use pallet_lrt_backing::BackingParams;
use pallet_validator_health::SlashingProof;
use sp_runtime::{traits::Dispatchable, FixedU128, Perbill};

const LRT: u32 = 1_000;
const GWEI: u128 = 1_000_000_000;

pub(super) fn params() -> BackingParams {
	BackingParams {
		max_yearly_growth: Perbill::from_percent(10),
		max_snapshot_age: 7 * 24 * 3600,
		max_proof_age_slots: 7_200,
		total_active_balance_gwei: 34_000_000 * GWEI,
		exit_penalty: Perbill::from_rational(3u32, 1000u32),
		recognition_delay: 40 * 24 * 3600,
		max_unproven_fall: Perbill::from_percent(1),
		fall_confirmation_delay: 24 * 3600,
		circuit_breaker_fall: Perbill::from_percent(10),
		circuit_breaker_window: 24 * 3600,
	}
}

/// EigenLayer's slashed validator 61511, in a header whose state root is the vector's.
fn slashed_validator() -> (BeaconBlockHeader, SlashingProof) {
	let json = fixtures::eigenpod("balanceUpdateProof_Overcommitted_61511");
	let root = |v: &serde_json::Value| {
		Root::from_slice(&sp_core::bytes::from_hex(v.as_str().expect("hex")).expect("hex"))
	};
	let roots =
		|v: &serde_json::Value| v.as_array().expect("array").iter().map(root).collect::<Vec<_>>();
	let leaves: [Root; 8] = roots(&json["ValidatorFields"]).try_into().expect("8 fields");
	let header = BeaconBlockHeader {
		slot: 4_600_064,
		proposer_index: 1,
		parent_root: Root::repeat_byte(0x11),
		state_root: root(&json["beaconStateRoot"]),
		body_root: Root::repeat_byte(0x22),
	};
	let proof = SlashingProof {
		index: json["validatorIndex"].as_u64().expect("index"),
		fields: ValidatorFields::from_leaves(&leaves).expect("canonical"),
		branch: Branch::try_from(roots(&json["WithdrawalCredentialProof"])).expect("bounded"),
	};
	(header, proof)
}

/// The light client finalizes the header of EigenLayer's slashing evidence of validator 61511,
/// whose withdrawal credentials `lrt` then lists, and Bob proves the slashing.
pub(super) fn prove_slashed_validator(lrt: u32) -> SlashingProof {
	let (header, proof) = slashed_validator();
	EthereumBeaconClient::store_finalized_header(
		snowbridge_beacon_primitives::BeaconHeader {
			slot: header.slot,
			proposer_index: header.proposer_index,
			parent_root: header.parent_root,
			state_root: header.state_root,
			body_root: header.body_root,
		},
		sp_core::H256::zero(),
	)
	.expect("stores");
	assert_ok!(ValidatorHealth::register_credentials(
		RuntimeOrigin::root(),
		lrt,
		proof.fields.withdrawal_credentials
	));
	assert_ok!(ValidatorHealth::report_slashing(
		RuntimeOrigin::signed(sp_keyring::Sr25519Keyring::Bob.to_account_id()),
		header,
		proof.clone()
	));
	proof
}

/// Expected loss (wei) of EigenLayer's 61511 (31 ETH effective balance), alone in the
/// correlation window: initial eb/4096, correlation eb·min(3·eb, A)/A, exit penalties eb·0.3%.
fn expected_loss_of_61511(proof: &SlashingProof) -> u128 {
	let eb = proof.fields.effective_balance as u128;
	assert_eq!(eb, 31 * GWEI);
	let a = params().total_active_balance_gwei;
	(eb / 4096 + eb * (3 * eb).min(a) / a + eb * 3 / 1000) * GWEI
}

fn bob() -> ballast_primitives::AccountId {
	sp_keyring::Sr25519Keyring::Bob.to_account_id()
}

#[test]
fn a_slash_older_than_the_snapshot_is_not_booked_twice() {
	let scenario = deposit_and_report([1; 32], 10, 1_030);
	ext_from_preset(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		pallet_timestamp::Now::<Runtime>::put(1_750_000_100 * 1000);
		super::bridge::installed(&scenario);
		assert_ok!(LrtBacking::set_params(RuntimeOrigin::root(), LRT, params()));
		assert_ok!(LrtBacking::submit_backing_report(
			RuntimeOrigin::signed(bob()),
			Box::new(scenario.report.clone())
		));
		let reported = FixedU128::from_rational(1_030, 1_000);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(reported));
		// No validator proofs yet: stale for borrowing.
		assert_eq!(LrtBacking::borrow_rate(LRT), None);

		System::reset_events();
		prove_slashed_validator(LRT);
		// Slashed in epoch 2,052 at the latest (withdrawable at 10,244), long before the
		// snapshot's slot 4,600,000: the LRT's total_eth already shows it.
		assert!(System::events().iter().any(|record| matches!(
			&record.event,
			RuntimeEvent::LrtBacking(pallet_lrt_backing::Event::SlashAlreadyReported {
				lrt,
				index: 61_511
			}) if *lrt == LRT
		)));
		assert!(pallet_lrt_backing::Losses::<Runtime>::get(LRT).is_empty());
		assert_eq!(LrtBacking::backing_rate(LRT), Some(reported));
		// The validator's proof is fresh now (slot of the light client's head): borrowing works.
		assert_eq!(LrtBacking::borrow_rate(LRT), Some(reported));
		super::assert_books_hold();
	});
}

#[test]
fn a_slash_proven_before_the_lrt_was_valued_is_booked_when_its_params_are_set() {
	let scenario = deposit_and_report([1; 32], 10, 1_030);
	ext_from_preset(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		pallet_timestamp::Now::<Runtime>::put(1_750_000_100 * 1000);
		super::bridge::installed(&scenario);
		// Proven while the LRT has no valuation settings: recorded.
		let proof = prove_slashed_validator(LRT);
		assert_eq!(pallet_lrt_backing::UnvaluedSlashes::<Runtime>::get(LRT).len(), 1);

		// Governance values the LRT: the slash is booked at its documented expected loss, in two
		// parts (the initial penalty; the correlation and exit penalties, applied later).
		System::reset_events();
		assert_ok!(LrtBacking::set_params(RuntimeOrigin::root(), LRT, params()));
		let loss = expected_loss_of_61511(&proof);
		let booked: u128 = System::events()
			.iter()
			.filter_map(|record| match &record.event {
				RuntimeEvent::LrtBacking(pallet_lrt_backing::Event::LossBooked {
					lrt,
					wei,
					..
				}) if *lrt == LRT => Some(*wei),
				_ => None,
			})
			.sum();
		assert_eq!(booked, loss);
		assert_eq!(pallet_lrt_backing::Losses::<Runtime>::get(LRT).len(), 2);
		assert!(pallet_lrt_backing::UnvaluedSlashes::<Runtime>::get(LRT).is_empty());

		// The first snapshot (slot 4,600,000) is after the slash and after the epoch its later
		// penalties were applied in (4,096 epochs before the validator is withdrawable): its
		// total_eth includes both parts, which leave the books, and the rate is the reported one.
		assert_ok!(LrtBacking::submit_backing_report(
			RuntimeOrigin::signed(bob()),
			Box::new(scenario.report.clone())
		));
		assert!(pallet_lrt_backing::Losses::<Runtime>::get(LRT).is_empty());
		assert!(pallet_lrt_backing::BookedSlashes::<Runtime>::iter().next().is_none());
		assert_eq!(LrtBacking::backing_rate(LRT), Some(FixedU128::from_rational(1_030, 1_000)));
		super::assert_books_hold();
	});
}

/// `snowbridge_pallet_ethereum_client::Call::set_operating_mode`, as root: `halted` or normal.
fn set_light_client_halted(halted: bool) {
	// `BasicOperatingMode::{Normal, Halted}` encode as 0 and 1.
	let mode = codec::Decode::decode(&mut &[halted as u8][..]).expect("an operating mode");
	assert_ok!(RuntimeCall::EthereumBeaconClient(
		snowbridge_pallet_ethereum_client::Call::set_operating_mode { mode }
	)
	.dispatch(RuntimeOrigin::root()));
}

#[test]
fn a_halted_light_client_anchors_nothing_and_leaves_the_valuation_stale() {
	let scenario = deposit_and_report([1; 32], 10, 1_030);
	ext_from_preset(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		pallet_timestamp::Now::<Runtime>::put(1_750_000_100 * 1000);
		// Real Sepolia validators of the LRT, proven at the checkpoint (slot 4,570,752).
		assert_ok!(force_checkpoint(checkpoint()));
		let pod = credentials_of("0x25c4a76e7d118705e7ea2e9b7d8c59930d8acd3b");
		assert_ok!(ValidatorHealth::register_credentials(RuntimeOrigin::root(), LRT, pod));
		let prover = state(CHECKPOINT);
		let ours: Vec<u64> = (0..prover.validator_count())
			.filter(|i| prover.validators()[*i as usize].withdrawal_credentials == pod)
			.take(4)
			.collect();
		let batch = |indices: &[u64]| pallet_validator_health::Call::submit_validator_proofs {
			anchor: prover.anchor(&fixtures::sepolia_header(CHECKPOINT)).expect("its header"),
			proofs: indices.iter().map(|i| prover.batch_proof(*i).expect("index")).collect(),
		};
		assert_ok!(
			RuntimeCall::ValidatorHealth(batch(&ours[..2])).dispatch(RuntimeOrigin::signed(bob()))
		);
		// The LRT's snapshot, its proofs fresh enough (29,248 slots behind the story's head).
		super::bridge::installed(&scenario);
		let fresh = BackingParams { max_proof_age_slots: 50_000, ..params() };
		assert_ok!(LrtBacking::set_params(RuntimeOrigin::root(), LRT, fresh));
		assert_ok!(LrtBacking::submit_backing_report(
			RuntimeOrigin::signed(bob()),
			Box::new(scenario.report.clone())
		));
		let reported = FixedU128::from_rational(1_030, 1_000);
		assert_eq!(LrtBacking::borrow_rate(LRT), Some(reported));

		// Governance halts the light client (a suspected compromise): headers imported before
		// anchor nothing, and the valuation is stale for borrowing (liquidations keep the rate).
		set_light_client_halted(true);
		assert_noop!(
			RuntimeCall::ValidatorHealth(batch(&ours[2..]))
				.dispatch(RuntimeOrigin::signed(bob()))
				.map_err(|e| e.error),
			pallet_validator_health::Error::<Runtime>::LightClientHalted
		);
		assert_eq!(LrtBacking::borrow_rate(LRT), None);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(reported));
		assert!(LrtBacking::components(LRT).expect("valued").stale);

		// Resumed: fresh again.
		set_light_client_halted(false);
		assert_eq!(LrtBacking::borrow_rate(LRT), Some(reported));
		super::assert_books_hold();
	});
}

/// Each real LRT's adapter end to end: the gateway lists ezETH, rsETH, weETH and rswETH, each with
/// its adapter (Renzo, Kelp, ether.fi, Swell) over its protocol's mocks, and reports each one's
/// backing in one block; each report's proof, submitted to the runtime, values its LRT at the
/// protocol's own rate (to within one wei per token, never above), and each LRT's delegations are
/// the snapshot's stakes.
#[test]
fn each_real_lrt_adapter_values_its_lrt_end_to_end() {
	let reports = ballast_ethereum_harness::scenarios::adapter_reports();
	assert_eq!(
		reports.iter().map(|r| r.name).collect::<Vec<_>>(),
		["ezETH", "rsETH", "weETH", "rswETH"]
	);
	ext_from_preset(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		pallet_timestamp::Now::<Runtime>::put(1_750_000_100 * 1000);
		assert_ok!(ballast_runtime::EthereumBeaconClient::force_checkpoint(
			RuntimeOrigin::root(),
			Box::new(reports[0].beacon.checkpoint.clone())
		));
		let unit = 1_000_000_000_000_000_000u128;
		for (i, report) in reports.iter().enumerate() {
			let lrt = 2_000 + i as u32;
			assert_ok!(ballast_runtime::LrtBridge::register_lrt(
				RuntimeOrigin::root(),
				lrt,
				report.token,
				report.gateway,
				1_000 * unit,
				100
			));
			assert_ok!(LrtBacking::set_params(RuntimeOrigin::root(), lrt, params()));
			// Free, but its bytes are paid as a deposit's are: the bridge's length fee.
			let balance = || ballast_runtime::Balances::free_balance(bob());
			let before = balance();
			assert_ok!(LrtBacking::submit_backing_report(
				RuntimeOrigin::signed(bob()),
				Box::new(report.report.clone())
			));
			let size = LrtBacking::proof_size(&report.report);
			assert_eq!(before - balance(), ballast_runtime::LrtBridge::length_fee(size));
			let rate = LrtBacking::backing_rate(lrt).expect("valued");
			// The report's own ratio, rounded down as the valuation rounds.
			let reported = sp_runtime::helpers_128bit::multiply_by_rational_with_rounding(
				report.total_eth,
				unit,
				report.total_supply,
				sp_runtime::Rounding::Down,
			)
			.expect("fits");
			assert_eq!(rate, FixedU128::from_inner(reported), "{}", report.name);
			let protocol = FixedU128::from_inner(report.protocol_rate);
			assert!(
				rate <= protocol,
				"{}: {rate:?} above the protocol's {protocol:?}",
				report.name
			);
			assert!(
				protocol.into_inner() - rate.into_inner() <= 1,
				"{}: {rate:?} vs the protocol's {protocol:?}",
				report.name
			);
			let snapshot = pallet_lrt_backing::Snapshots::<Runtime>::get(lrt).expect("snapshot");
			assert!(!snapshot.stakes.is_empty(), "{}: no delegations reported", report.name);
		}
		super::assert_books_hold();
	});
}
