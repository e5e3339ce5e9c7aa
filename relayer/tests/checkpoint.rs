//! `ballast-relayer checkpoint` against a local HTTP server that serves the real Sepolia fixtures
//! as a beacon API: the checkpoint it prints is the one the prover builds from the same data, and
//! a server handing out a state that does not match the header is caught.

use ballast_ethereum_proofs::BeaconBlockHeader;
use ballast_ethereum_prover::{
	fixtures,
	light_client::{self, CheckpointUpdate},
	StateProver,
};
use codec::Decode;
use serde_json::{json, Value};
use std::{
	io::{BufRead, BufReader, Write},
	net::TcpListener,
	process::Command,
};

/// Serves `/eth/v1/beacon/headers/<slot>` from `header` and
/// `/eth/v2/debug/beacon/states/<slot>` from `state`, on 127.0.0.1, until the process ends.
fn serve(header: BeaconBlockHeader, state: Vec<u8>) -> String {
	let listener = TcpListener::bind("127.0.0.1:0").expect("loopback port");
	let url = format!("http://{}", listener.local_addr().expect("address"));
	std::thread::spawn(move || {
		for stream in listener.incoming().flatten() {
			let mut reader = BufReader::new(stream.try_clone().expect("stream"));
			let mut request_line = String::new();
			if reader.read_line(&mut request_line).is_err() {
				continue;
			}
			// Skip the headers.
			let mut line = String::new();
			while reader.read_line(&mut line).map(|n| n > 2).unwrap_or(false) {
				line.clear();
			}
			let path = request_line.split_whitespace().nth(1).unwrap_or("").to_string();
			let (status, kind, body) = if path == format!("/eth/v1/beacon/headers/{}", header.slot)
			{
				let message = json!({
					"slot": header.slot.to_string(),
					"proposer_index": header.proposer_index.to_string(),
					"parent_root": format!("{:?}", header.parent_root),
					"state_root": format!("{:?}", header.state_root),
					"body_root": format!("{:?}", header.body_root),
				});
				let body = json!({ "data": { "root": format!("{:?}", header.hash_tree_root()),
					"canonical": true, "header": { "message": message, "signature": "0x00" } } });
				("200 OK", "application/json", body.to_string().into_bytes())
			} else if path == format!("/eth/v2/debug/beacon/states/{}", header.slot) {
				("200 OK", "application/octet-stream", state.clone())
			} else {
				("404 Not Found", "application/json", br#"{"code":404}"#.to_vec())
			};
			let mut stream = stream;
			let _ = write!(
				stream,
				"HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
				body.len()
			);
			let _ = stream.write_all(&body);
		}
	});
	url
}

fn checkpoint(url: &str, block: &str) -> std::process::Output {
	Command::new(env!("CARGO_BIN_EXE_ballast-relayer"))
		.args(["checkpoint", "--beacon-url", url, "--block", block, "--network", "sepolia"])
		.output()
		.expect("runs")
}

#[test]
fn the_checkpoint_from_a_beacon_api_is_the_provers() {
	let header = fixtures::sepolia_header(4_570_752);
	let url = serve(header, fixtures::sepolia_state(4_570_752));
	let output = checkpoint(&url, "4570752");
	assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
	let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
	assert_eq!(json["slot"], 4_570_752);
	assert_eq!(json["blockRoot"], format!("{:?}", header.hash_tree_root()));
	let bytes =
		alloy_primitives::hex::decode(json["forceCheckpoint"].as_str().expect("hex")).expect("hex");
	let printed = CheckpointUpdate::decode(&mut &bytes[..]).expect("SCALE CheckpointUpdate");
	let state = StateProver::from_ssz(
		ballast_ethereum_proofs::Fork::Deneb,
		&fixtures::sepolia_state(4_570_752),
	)
	.expect("real state");
	assert_eq!(printed, light_client::checkpoint(&header, &state).expect("consistent"));

	// A block the server does not have: an HTTP error, reported.
	let missing = checkpoint(&url, "4570753");
	assert!(!missing.status.success());
	assert!(String::from_utf8_lossy(&missing.stderr).contains("404"));
}

#[test]
fn a_state_that_does_not_match_its_header_is_never_printed() {
	// The header of 4570752 served with the state of 4570816.
	let header = fixtures::sepolia_header(4_570_752);
	let url = serve(header, fixtures::sepolia_state(4_570_816));
	let output = checkpoint(&url, "4570752");
	assert!(!output.status.success());
	assert!(output.stdout.is_empty());
	assert!(String::from_utf8_lossy(&output.stderr).contains("state root"));

	// A truncated state.
	let mut truncated = fixtures::sepolia_state(4_570_752);
	truncated.truncate(truncated.len() / 2);
	let url = serve(header, truncated);
	let output = checkpoint(&url, "4570752");
	assert!(!output.status.success());
	assert!(output.stdout.is_empty());
	assert!(String::from_utf8_lossy(&output.stderr).contains("invalid SSZ"));
}
