//! `report_slashing`, on EigenLayer's vector of a slashed validator.

use super::*;

/// EigenLayer's vector of slashed validator 61511, anchored in a header whose state root is the
/// vector's (the vector does not carry the rest of the header).
fn slashing_case() -> (BeaconBlockHeader, SlashingProof) {
	let json = fixtures::eigenpod("balanceUpdateProof_Overcommitted_61511");
	let root = |v: &serde_json::Value| {
		Root::from_slice(&sp_core::bytes::from_hex(v.as_str().unwrap()).unwrap())
	};
	let roots = |v: &serde_json::Value| v.as_array().unwrap().iter().map(root).collect::<Vec<_>>();
	let leaves: [Root; 8] = roots(&json["ValidatorFields"]).try_into().unwrap();
	let header = BeaconBlockHeader {
		slot: 4_600_000,
		proposer_index: 1,
		parent_root: Root::repeat_byte(0x11),
		state_root: root(&json["beaconStateRoot"]),
		body_root: Root::repeat_byte(0x22),
	};
	MockLightClient::finalize(header.hash_tree_root(), header.slot);
	let proof = SlashingProof {
		index: json["validatorIndex"].as_u64().unwrap(),
		fields: ballast_ethereum_proofs::ValidatorFields::from_leaves(&leaves).unwrap(),
		branch: Branch::try_from(roots(&json["WithdrawalCredentialProof"])).unwrap(),
	};
	(header, proof)
}

#[test]
fn a_proven_slash_is_reported_once_free_and_reaches_the_hook() {
	ExtBuilder::default().build_and_execute(|| {
		let (header, proof) = slashing_case();
		assert_noop!(
			ValidatorHealth::report_slashing(RuntimeOrigin::signed(1), header, proof.clone())
				.map_err(|error| error.error),
			Error::<Test>::UntrackedCredentials
		);
		assert_ok!(ValidatorHealth::register_credentials(
			RuntimeOrigin::root(),
			LRT_A,
			proof.fields.withdrawal_credentials
		));
		let post =
			ValidatorHealth::report_slashing(RuntimeOrigin::signed(1), header, proof.clone())
				.expect("a real slashed validator");
		assert_eq!(post.pays_fee, Pays::No);
		// Refunded to the slash hook and one LRT's re-rating (the declared worst case here).
		let told = {
			use ballast_primitives::ethereum::OnValidatorSlashed;
			<() as crate::WeightInfo>::report_slashing()
				.saturating_add(RecordSlashes::weight())
				.saturating_add(RecordApplied::per_lrt())
		};
		assert_eq!(post.actual_weight, Some(told));
		assert_eq!(APPLIED.with(|a| a.borrow().clone()), vec![vec![LRT_A]]);
		System::assert_has_event(
			Event::ValidatorSlashed {
				lrt: LRT_A,
				index: 61_511,
				effective_balance: 31_000_000_000,
				slot: header.slot,
			}
			.into(),
		);
		assert_eq!(
			SLASHED.with(|s| s.borrow().clone()),
			vec![(LRT_A, 61_511, 31_000_000_000, header.slot, 10_244)]
		);
		let aggregates = Aggregates::<Test>::get(LRT_A);
		assert_eq!((aggregates.validators, aggregates.slashed), (1, 1));
		assert_eq!(aggregates, recomputed(LRT_A));
		assert_noop!(
			ValidatorHealth::report_slashing(RuntimeOrigin::signed(1), header, proof)
				.map_err(|error| error.error),
			Error::<Test>::AlreadySlashed
		);
	});
}

#[test]
fn slashing_reports_need_a_slashed_and_valid_proof() {
	ExtBuilder::default().build_and_execute(|| {
		let (header, proof) = slashing_case();
		assert_ok!(ValidatorHealth::register_credentials(
			RuntimeOrigin::root(),
			LRT_A,
			proof.fields.withdrawal_credentials
		));
		let mut unslashed = proof.clone();
		unslashed.fields.slashed = false;
		assert_noop!(
			ValidatorHealth::report_slashing(RuntimeOrigin::signed(1), header, unslashed)
				.map_err(|error| error.error),
			Error::<Test>::NotSlashed
		);
		let mut tampered = proof.clone();
		tampered.branch[45].0[0] ^= 1;
		assert_noop!(
			ValidatorHealth::report_slashing(RuntimeOrigin::signed(1), header, tampered)
				.map_err(|error| error.error),
			Error::<Test>::InvalidValidatorProof
		);
		let mut unfinalized = header;
		unfinalized.slot += 1;
		assert_noop!(
			ValidatorHealth::report_slashing(RuntimeOrigin::signed(1), unfinalized, proof)
				.map_err(|error| error.error),
			Error::<Test>::HeaderNotFinalized
		);
	});
}
