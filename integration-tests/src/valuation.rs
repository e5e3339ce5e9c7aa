//! The valuation in the real runtime: a gateway `BackingReported` proven through Snowbridge's
//! light client sets an LRT's rate; then a validator proven slashed in `pallet-validator-health`
//! (EigenLayer's real vector of validator 61511) lowers it by the documented expected loss in
//! the same call.

use super::ext_from_preset;
use ballast_ethereum_harness::scenarios::deposit_and_report;
use ballast_ethereum_proofs::{calls::Branch, BeaconBlockHeader, Root, ValidatorFields};
use ballast_ethereum_prover::fixtures;
use ballast_primitives::valuation::BackingRate;
use ballast_runtime::{
	EthereumBeaconClient, LrtBacking, Runtime, RuntimeEvent, RuntimeOrigin, System, ValidatorHealth,
};
use frame_support::assert_ok;
use pallet_lrt_backing::BackingParams;
use pallet_validator_health::SlashingProof;
use sp_runtime::{FixedU128, Perbill};

const LRT: u32 = 1_000;
const ETH: u128 = 1_000_000_000_000_000_000;
const GWEI: u128 = 1_000_000_000;

pub(super) fn params() -> BackingParams {
	BackingParams {
		max_yearly_growth: Perbill::from_percent(10),
		max_snapshot_age: 7 * 24 * 3600,
		max_proof_age_slots: 7_200,
		total_active_balance_gwei: 34_000_000 * GWEI,
		exit_penalty: Perbill::from_rational(3u32, 1000u32),
		recognition_delay: 40 * 24 * 3600,
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

#[test]
fn a_proven_slash_lowers_the_backing_rate_in_the_same_block() {
	let scenario = deposit_and_report([1; 32], 10, 1_030);
	ext_from_preset(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		pallet_timestamp::Now::<Runtime>::put(1_750_000_100 * 1000);
		super::bridge::installed(&scenario);
		assert_ok!(LrtBacking::set_params(RuntimeOrigin::root(), LRT, params()));
		assert_ok!(LrtBacking::submit_backing_report(
			RuntimeOrigin::signed(sp_keyring::Sr25519Keyring::Bob.to_account_id()),
			Box::new(scenario.report.clone())
		));
		let reported = FixedU128::from_rational(1_030, 1_000);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(reported));
		// No validator proofs yet: stale for borrowing.
		assert_eq!(LrtBacking::borrow_rate(LRT), None);

		System::reset_events();
		let proof = prove_slashed_validator(LRT);

		// Expected loss of a 31-ETH validator (Gwei): initial eb/4096, correlation
		// eb·min(3·eb, A)/A, exit penalties eb·0.3%.
		let eb = proof.fields.effective_balance as u128;
		assert_eq!(eb, 31 * GWEI);
		let a = params().total_active_balance_gwei;
		let loss = (eb / 4096 + eb * (3 * eb).min(a) / a + eb * 3 / 1000) * GWEI;
		let rate = FixedU128::from_rational(1_030 * ETH - loss, 1_000 * ETH);
		assert_eq!(LrtBacking::backing_rate(LRT), Some(rate));
		assert!(System::events().iter().any(|record| matches!(
			&record.event,
			RuntimeEvent::LrtBacking(pallet_lrt_backing::Event::RateChanged { lrt, current, .. })
				if *lrt == LRT && *current == rate
		)));
		// The validator's proof is fresh now (slot of the light client's head): borrowing works.
		assert_eq!(LrtBacking::borrow_rate(LRT), Some(rate));
	});
}
