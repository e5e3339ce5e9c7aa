//! `ballast-relayer prove` on a real Sepolia state: its JSON verifies with the on-chain verifier
//! code, and bad input is reported, never printed as proofs.

use ballast_ethereum_proofs::{
	fork::Fork,
	validator::{verify_balance, verify_validator, verify_validator_in_list},
	Root, ValidatorFields,
};
use ballast_ethereum_prover::fixtures;
use serde_json::Value;
use std::process::{Command, Output};

fn relayer(args: &[&str]) -> Output {
	Command::new(env!("CARGO_BIN_EXE_ballast-relayer")).args(args).output().expect("runs")
}

fn state_file() -> String {
	fixtures::dir().join("sepolia/4570752.ssz").to_string_lossy().into_owned()
}

fn root(v: &Value) -> Root {
	Root::from_slice(&alloy_primitives::hex::decode(v.as_str().expect("hex string")).expect("hex"))
}

fn roots(v: &Value) -> Vec<Root> {
	v.as_array().expect("array").iter().map(root).collect()
}

#[test]
fn prove_prints_proofs_that_the_on_chain_verifier_accepts() {
	let output = relayer(&["prove", "--state", &state_file(), "--validators", "0,100,1972"]);
	assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
	let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
	let state_root = root(&json["stateRoot"]);
	assert_eq!(state_root, fixtures::sepolia_header(4_570_752).state_root);
	assert_eq!(json["fork"], "deneb");
	assert_eq!(json["validatorCount"], 1973);
	let validators = json["validators"].as_array().expect("array");
	assert_eq!(validators.len(), 3);
	for (v, index) in validators.iter().zip([0u64, 100, 1972]) {
		assert_eq!(v["index"], index);
		let f = &v["fields"];
		let fields = ValidatorFields {
			pubkey_root: root(&f["pubkeyRoot"]),
			withdrawal_credentials: root(&f["withdrawalCredentials"]),
			effective_balance: f["effectiveBalance"].as_u64().expect("u64"),
			slashed: f["slashed"].as_bool().expect("bool"),
			activation_eligibility_epoch: f["activationEligibilityEpoch"].as_u64().expect("u64"),
			activation_epoch: f["activationEpoch"].as_u64().expect("u64"),
			exit_epoch: f["exitEpoch"].as_u64().expect("u64"),
			withdrawable_epoch: f["withdrawableEpoch"].as_u64().expect("u64"),
		};
		let state_branch = roots(&v["stateBranch"]);
		assert_eq!(state_branch.len(), 46);
		verify_validator(Fork::Deneb, state_root, index, &fields, &state_branch)
			.expect("full validator proof");
		verify_validator_in_list(
			root(&json["validatorsRoot"]),
			index,
			&fields,
			&roots(&v["validatorBranch"]),
		)
		.expect("batch validator proof");
		let balance = verify_balance(
			Fork::Deneb,
			state_root,
			index,
			root(&v["balanceChunk"]),
			&roots(&v["balanceStateBranch"]),
		)
		.expect("full balance proof");
		assert_eq!(v["balance"].as_u64(), Some(balance));
		// A changed field no longer proves.
		let mut forged = fields;
		forged.effective_balance += 1;
		assert!(verify_validator(Fork::Deneb, state_root, index, &forged, &state_branch).is_err());
	}
}

#[test]
fn bad_input_is_reported_and_nothing_is_printed() {
	let missing = relayer(&["prove", "--state", &state_file(), "--validators", "1973"]);
	assert!(!missing.status.success());
	assert!(missing.stdout.is_empty());
	assert!(String::from_utf8_lossy(&missing.stderr).contains("validator 1973 is not in the state"));

	let dir = std::env::temp_dir().join(format!("ballast-relayer-test-{}", std::process::id()));
	std::fs::create_dir_all(&dir).expect("temp dir");
	let ssz = std::fs::read(state_file()).expect("fixture");
	let truncated = dir.join("truncated.ssz");
	std::fs::write(&truncated, &ssz[..ssz.len() - 100]).expect("write");
	let output =
		relayer(&["prove", "--state", truncated.to_str().expect("utf-8"), "--validators", "0"]);
	assert!(!output.status.success());
	assert!(output.stdout.is_empty());
	assert!(String::from_utf8_lossy(&output.stderr).contains("invalid SSZ BeaconState"));

	let tiny = dir.join("tiny.ssz");
	std::fs::write(&tiny, [0u8; 12]).expect("write");
	let output = relayer(&["prove", "--state", tiny.to_str().expect("utf-8"), "--validators", "0"]);
	assert!(String::from_utf8_lossy(&output.stderr).contains("too short"));
	// A pre-Deneb slot is refused, not guessed.
	let mut early = ssz.clone();
	early[40..48].copy_from_slice(&100u64.to_le_bytes());
	let early_file = dir.join("early.ssz");
	std::fs::write(&early_file, &early).expect("write");
	let output =
		relayer(&["prove", "--state", early_file.to_str().expect("utf-8"), "--validators", "0"]);
	assert!(String::from_utf8_lossy(&output.stderr).contains("not in a fork Ballast knows"));
	std::fs::remove_dir_all(&dir).ok();
}
