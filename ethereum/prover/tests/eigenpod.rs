//! EigenLayer's EigenPod proof vectors (Deneb layout) verify with Ballast's verifier as they are.

use ballast_ethereum_proofs::{
	beacon::verify_state_root,
	fork::Fork,
	merkle::{verify_branch, ProofError, Root},
	validator::{verify_balance, verify_validator},
	ValidatorFields,
};
use ballast_ethereum_prover::fixtures;
use serde_json::Value;

fn root(value: &Value) -> Root {
	let bytes = sp_core::bytes::from_hex(value.as_str().expect("hex string")).expect("hex");
	Root::from_slice(&bytes)
}

fn roots(value: &Value) -> Vec<Root> {
	value.as_array().expect("a list of roots").iter().map(root).collect()
}

struct Vector {
	index: u64,
	state_root: Root,
	fields: ValidatorFields,
	validator_branch: Vec<Root>,
	balance_chunk: Root,
	balance_branch: Vec<Root>,
	json: Value,
}

fn vector(name: &str) -> Vector {
	let json = fixtures::eigenpod(name);
	let leaves: [Root; 8] = roots(&json["ValidatorFields"]).try_into().expect("8 validator fields");
	Vector {
		index: json["validatorIndex"].as_u64().expect("validatorIndex"),
		state_root: root(&json["beaconStateRoot"]),
		fields: ValidatorFields::from_leaves(&leaves).expect("canonical field encodings"),
		validator_branch: roots(&json["WithdrawalCredentialProof"]),
		balance_chunk: root(&json["balanceRoot"]),
		balance_branch: roots(&json["ValidatorBalanceProof"]),
		json,
	}
}

const VECTORS: [&str; 3] = [
	"withdrawal_credential_proof_510257",
	"balanceUpdateProof_Overcommitted_61511",
	"balanceUpdateProof_balance28ETH_302913",
];

#[test]
fn validator_and_balance_proofs_verify() {
	for name in VECTORS {
		let v = vector(name);
		assert_eq!(
			verify_validator(Fork::Deneb, v.state_root, v.index, &v.fields, &v.validator_branch),
			Ok(()),
			"{name}: validator"
		);
		let balance =
			verify_balance(Fork::Deneb, v.state_root, v.index, v.balance_chunk, &v.balance_branch)
				.unwrap_or_else(|e| panic!("{name}: balance: {e:?}"));
		assert!(balance > 0, "{name}");
		if let Some(branch) = v.json.get("StateRootAgainstLatestBlockHeaderProof") {
			assert_eq!(
				verify_state_root(
					root(&v.json["latestBlockHeaderRoot"]),
					v.state_root,
					&roots(branch)
				),
				Ok(()),
				"{name}: state root in header"
			);
		}
	}
}

#[test]
fn the_slashed_validator_is_read_as_slashed() {
	let v = vector("balanceUpdateProof_Overcommitted_61511");
	assert!(v.fields.slashed);
	assert_eq!(v.fields.effective_balance, 31_000_000_000);
	assert_eq!(v.fields.exit_epoch, 2_057);
	// Its older-format extras: the header and slot leaves of the same state (fields 4 and 2).
	let header_leaf = root(&v.json["latestBlockHeaderRoot"]);
	assert_eq!(
		verify_branch(header_leaf, &roots(&v.json["LatestBlockHeaderProof"]), 32 + 4, v.state_root),
		Ok(())
	);
	assert_eq!(
		verify_branch(
			root(&v.json["slotRoot"]),
			&roots(&v.json["slotProof"]),
			32 + 2,
			v.state_root
		),
		Ok(())
	);
	for name in ["withdrawal_credential_proof_510257", "balanceUpdateProof_balance28ETH_302913"] {
		assert!(!vector(name).fields.slashed, "{name}");
	}
}

#[test]
fn tampered_vectors_are_rejected() {
	let v = vector("balanceUpdateProof_Overcommitted_61511");
	let mut unslashed = v.fields;
	unslashed.slashed = false;
	assert_eq!(
		verify_validator(Fork::Deneb, v.state_root, v.index, &unslashed, &v.validator_branch),
		Err(ProofError::RootMismatch)
	);
	for position in 0..v.balance_branch.len() {
		let mut branch = v.balance_branch.clone();
		branch[position].0[position % 32] ^= 0x80;
		assert_eq!(
			verify_balance(Fork::Deneb, v.state_root, v.index, v.balance_chunk, &branch),
			Err(ProofError::RootMismatch)
		);
	}
}
