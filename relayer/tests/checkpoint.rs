//! `ballast-relayer checkpoint` against a local HTTP server that serves the real Sepolia fixtures
//! as a beacon API: the checkpoint it prints is the one the prover builds from the same data, and
//! a server handing out a state that does not match the header, or a truncated one, is caught.

mod common;

use ballast_ethereum_prover::{
	fixtures,
	light_client::{self, CheckpointUpdate},
};
use codec::Decode;
use common::{BeaconServer, Fault, CHECKPOINT};
use serde_json::Value;

fn checkpoint(url: &str, block: &str) -> (bool, String, String) {
	common::relayer(&["checkpoint", "--beacon-url", url, "--block", block, "--network", "sepolia"])
}

#[test]
fn the_checkpoint_from_a_beacon_api_is_the_provers() {
	let beacon = BeaconServer::start();
	let header = fixtures::sepolia_header(CHECKPOINT);
	for block in
		[CHECKPOINT.to_string(), "finalized".into(), format!("{:?}", header.hash_tree_root())]
	{
		let (ok, stdout, stderr) = checkpoint(&beacon.url, &block);
		assert!(ok, "{stderr}");
		let json: Value = serde_json::from_str(&stdout).expect("JSON");
		assert_eq!(json["slot"], CHECKPOINT);
		assert_eq!(json["blockRoot"], format!("{:?}", header.hash_tree_root()));
		let bytes = alloy_primitives::hex::decode(json["forceCheckpoint"].as_str().expect("hex"))
			.expect("hex");
		let printed = CheckpointUpdate::decode(&mut &bytes[..]).expect("SCALE CheckpointUpdate");
		let state = fixtures::sepolia_prover(CHECKPOINT);
		assert_eq!(printed, light_client::checkpoint(&header, &state).expect("consistent"));
	}

	// A block the server does not have: reported as such.
	let (ok, _, stderr) = checkpoint(&beacon.url, "4570753");
	assert!(!ok);
	assert!(stderr.contains("404"), "{stderr}");
}

#[test]
fn a_state_that_does_not_match_its_header_is_never_printed() {
	let beacon = BeaconServer::start();
	for (fault, expected) in [
		(Fault::WrongState, "state root"),
		(Fault::TruncatedState, "invalid SSZ"),
		(Fault::HeaderNotMatchingRoot, "hashes to"),
	] {
		beacon.set_fault(fault);
		let (ok, stdout, stderr) = checkpoint(&beacon.url, &CHECKPOINT.to_string());
		assert!(!ok && stdout.is_empty(), "{fault:?}: {stdout}");
		assert!(stderr.contains(expected), "{fault:?}: {stderr}");
	}
}
