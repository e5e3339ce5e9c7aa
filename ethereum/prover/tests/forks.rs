//! Electra and Fulu states from the consensus specs' own code (`scripts/gen-fork-vectors.py`,
//! `eth-consensus-specs` 1.7.0a13, mainnet preset): the prover decodes them, hashes them to the
//! root the specs computed, and builds exactly the branches the specs' `compute_merkle_proof`
//! gives; the on-chain verifier accepts them at the 6-level gindices (validators 75, balances 76).

use ballast_ethereum_proofs::{
	fork::ForkSchedule,
	merkle::{verify_branch, Root},
	validator::{verify_balance, verify_balances_root, verify_validator, verify_validators_root},
	Fork,
};
use ballast_ethereum_prover::{fields, StateProver};
use serde_json::Value;
use std::{io::Read, path::PathBuf};

fn vectors(name: &str) -> (Vec<u8>, Value) {
	let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
	let mut ssz = Vec::new();
	flate2::read::GzDecoder::new(std::fs::File::open(dir.join(format!("{name}.ssz.gz"))).unwrap())
		.read_to_end(&mut ssz)
		.unwrap();
	let json =
		serde_json::from_slice(&std::fs::read(dir.join(format!("{name}.json"))).unwrap()).unwrap();
	(ssz, json)
}

fn root(v: &Value) -> Root {
	Root::from_slice(&alloy_primitives::hex::decode(v.as_str().unwrap()).unwrap())
}

fn branch(proof: &Value) -> Vec<Root> {
	proof["branch"].as_array().unwrap().iter().map(root).collect()
}

fn gindex(proof: &Value) -> u64 {
	proof["gindex"].as_str().unwrap().parse().unwrap()
}

fn check(name: &str, expected_fork: Fork) {
	let (ssz, json) = vectors(name);
	let slot = json["slot"].as_u64().unwrap();
	let fork = ForkSchedule::sepolia().fork_at_slot(slot).unwrap();
	assert_eq!(fork, expected_fork);
	let prover = StateProver::from_ssz(fork, &ssz).expect("the specs' state decodes");
	let state_root = root(&json["state_root"]);
	assert_eq!(prover.state_root(), state_root, "{name}: hash_tree_root");
	assert_eq!(prover.slot(), slot);
	assert_eq!(prover.validator_count(), json["validator_count"].as_u64().unwrap());

	let proofs = &json["proofs"];
	let (validators_root, validators_branch) = prover.validators_root_proof();
	assert_eq!(validators_branch, branch(&proofs["validators"]));
	assert_eq!(gindex(&proofs["validators"]), fork.state_layout().validators);
	verify_validators_root(fork, state_root, validators_root, &validators_branch).unwrap();
	let (balances_root, balances_branch) = prover.balances_root_proof();
	assert_eq!(balances_branch, branch(&proofs["balances"]));
	assert_eq!(gindex(&proofs["balances"]), fork.state_layout().balances);
	verify_balances_root(fork, state_root, balances_root, &balances_branch).unwrap();

	for (index, proof) in proofs["validator"].as_object().unwrap() {
		let index: u64 = index.parse().unwrap();
		let ours = prover.validator(index).unwrap();
		assert_eq!(ours.branch, branch(proof), "{name}: validator {index} branch");
		assert_eq!(ours.branch.len(), 47);
		assert_eq!(
			ours.fields.hash_tree_root(),
			root(&json["validator_roots"][index.to_string()]),
			"{name}: validator {index} record"
		);
		verify_validator(fork, state_root, index, &ours.fields, &ours.branch).unwrap();
		// The same record at the Deneb layout's index is another path: refused.
		assert!(
			verify_validator(Fork::Deneb, state_root, index, &ours.fields, &ours.branch).is_err()
		);
	}
	for (index, proof) in proofs["balance_chunk"].as_object().unwrap() {
		let index: u64 = index.parse().unwrap();
		let ours = prover.balance(index).unwrap();
		assert_eq!(ours.branch, branch(proof), "{name}: balance chunk of {index}");
		assert_eq!(ours.balance.to_string(), json["balances"][index.to_string()].as_str().unwrap());
		assert_eq!(
			verify_balance(fork, state_root, index, ours.chunk, &ours.branch),
			Ok(ours.balance)
		);
	}

	// The light client's fields at Snowbridge's Electra gindices (86, 87, 169, 69).
	for (field, key, expected_gindex) in [
		(fields::CURRENT_SYNC_COMMITTEE, "current_sync_committee", 86),
		(fields::NEXT_SYNC_COMMITTEE, "next_sync_committee", 87),
		(fields::BLOCK_ROOTS, "block_roots", 69),
	] {
		assert_eq!(gindex(&proofs[key]), expected_gindex);
		assert_eq!(prover.field_branch(field), branch(&proofs[key]), "{name}: {key}");
		verify_branch(
			prover.field_root(field).unwrap(),
			&branch(&proofs[key]),
			expected_gindex,
			state_root,
		)
		.unwrap();
	}
	assert_eq!(gindex(&proofs["finalized_root"]), 169);
	assert_eq!(prover.finality_branch(), branch(&proofs["finalized_root"]));
}

#[test]
fn electra_state_from_the_specs_proves_like_the_specs() {
	check("electra", Fork::Electra);
}

#[test]
fn fulu_state_from_the_specs_proves_like_the_specs() {
	check("fulu", Fork::Fulu);
}

#[test]
fn a_state_decoded_as_the_wrong_fork_is_an_error() {
	let (fulu, _) = vectors("fulu");
	assert!(StateProver::from_ssz(Fork::Electra, &fulu).is_err());
	assert!(StateProver::from_ssz(Fork::Deneb, &fulu).is_err());
	let (electra, _) = vectors("electra");
	assert!(StateProver::from_ssz(Fork::Fulu, &electra).is_err());
	assert!(StateProver::from_ssz(Fork::Electra, &electra[..electra.len() - 1]).is_err());
}
