//! Beacon blocks of Deneb, Electra and Fulu built by the consensus specs' own code
//! (`tests/vectors/gen-block-bodies.py`, `eth-consensus-specs` 1.7.0a13, mainnet preset), with
//! every body list holding items — the real Sepolia blocks leave slashings, deposits, exits, BLS
//! changes and execution requests empty: the prover reads them from the beacon API's JSON and
//! hashes every field, the body and the header to the roots the specs computed, and builds the
//! specs' own branch of the execution payload.

use ballast_ethereum_proofs::{merkle::Root, Fork};
use ballast_ethereum_prover::{beacon_block::BeaconBlock, Error};
use serde_json::Value;
use snowbridge_beacon_primitives::VersionedExecutionPayloadHeader;
use std::path::PathBuf;

/// The body fields of Deneb, in order; Electra and Fulu append `execution_requests`.
const DENEB_FIELDS: [&str; 12] = [
	"randao_reveal",
	"eth1_data",
	"graffiti",
	"proposer_slashings",
	"attester_slashings",
	"attestations",
	"deposits",
	"voluntary_exits",
	"sync_aggregate",
	"execution_payload",
	"bls_to_execution_changes",
	"blob_kzg_commitments",
];

fn vector(fork: &str) -> Value {
	let path =
		PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/vectors/block_{fork}.json"));
	serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn root(value: &Value) -> Root {
	Root::from_slice(&alloy_primitives::hex::decode(value.as_str().unwrap()).unwrap())
}

fn check(name: &str, fork: Fork) {
	let vector = vector(name);
	let expected = &vector["expected"];
	let block = BeaconBlock::from_json(&vector["block"]).expect("the specs' block parses");
	assert_eq!(block.fork, fork);

	let mut fields = DENEB_FIELDS.to_vec();
	if fork != Fork::Deneb {
		fields.push("execution_requests");
	}
	assert_eq!(block.body_field_roots.len(), fields.len());
	for (field, computed) in fields.iter().zip(&block.body_field_roots) {
		assert_eq!(*computed, root(&expected["field_roots"][field]), "{name} {field}");
	}
	assert_eq!(block.header.body_root, root(&expected["body_root"]), "{name} body");
	assert_eq!(block.block_root(), root(&expected["block_root"]), "{name} block");
	assert_eq!(block.block_root(), root(&expected["header_root"]), "{name} header");

	let branch = &expected["execution_branch"];
	assert_eq!(branch["gindex"], "25");
	let specs_branch: Vec<Root> = branch["branch"].as_array().unwrap().iter().map(root).collect();
	assert_eq!(block.execution_branch, specs_branch, "{name} execution branch");

	let VersionedExecutionPayloadHeader::Deneb(header) = &block.execution_header else {
		panic!("{name}: payload headers keep Deneb's layout");
	};
	assert_eq!(header.transactions_root, root(&expected["transactions_root"]));
	assert_eq!(header.withdrawals_root, root(&expected["withdrawals_root"]));
	assert_eq!(
		block.execution_header.hash_tree_root().unwrap(),
		root(&expected["field_roots"]["execution_payload"]),
		"{name}: the payload header's root is the payload's"
	);
}

#[test]
fn deneb_block_with_every_list_filled_hashes_as_the_specs_do() {
	check("deneb", Fork::Deneb);
}

#[test]
fn electra_block_with_execution_requests_hashes_as_the_specs_do() {
	check("electra", Fork::Electra);
}

#[test]
fn fulu_block_hashes_as_the_specs_do() {
	check("fulu", Fork::Fulu);
}

#[test]
fn block_of_another_forks_layout_is_refused() {
	// An Electra body read as Deneb: its `execution_requests` is unknown there.
	let mut electra = vector("electra")["block"].clone();
	electra["version"] = "deneb".into();
	assert!(matches!(BeaconBlock::from_json(&electra), Err(Error::BlockJson(_))));
	// A Deneb body read as Electra lacks `execution_requests`.
	let mut deneb = vector("deneb")["block"].clone();
	deneb["version"] = "electra".into();
	assert!(matches!(BeaconBlock::from_json(&deneb), Err(Error::BlockJson(_))));
	// A fork whose body this prover does not know.
	deneb["version"] = "gloas".into();
	assert!(matches!(
		BeaconBlock::from_json(&deneb),
		Err(Error::UnsupportedBlockVersion(version)) if version == "gloas"
	));
}

#[test]
fn changed_body_field_changes_the_body_root() {
	let vector = vector("deneb");
	let original = BeaconBlock::from_json(&vector["block"]).unwrap();
	let mut block = vector["block"].clone();
	let exit = &mut block["data"]["message"]["body"]["voluntary_exits"][0]["message"];
	exit["validator_index"] = "89".into();
	let changed = BeaconBlock::from_json(&block).unwrap();
	assert_ne!(changed.body_field_roots[7], original.body_field_roots[7]);
	assert_ne!(changed.header.body_root, original.header.body_root);
	// The execution payload's branch runs through the exits' subtree.
	assert_ne!(changed.execution_branch, original.execution_branch);
}
