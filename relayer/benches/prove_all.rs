//! Time and peak memory to decode a real Sepolia state and build (and self-check) the proofs of
//! all its 1,973 validators: `cargo bench -p ballast-relayer --bench prove_all`.

use ballast_ethereum_proofs::fork::ForkSchedule;
use ballast_ethereum_prover::fixtures;
use ballast_relayer::prove;
use std::time::Instant;

/// Peak resident memory of this process so far (Linux `VmHWM`), in MiB.
fn peak_rss_mib() -> Option<f64> {
	let status = std::fs::read_to_string("/proc/self/status").ok()?;
	let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
	let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
	Some(kib / 1024.0)
}

fn main() {
	let ssz = fixtures::sepolia_state(4_570_752);
	let baseline = peak_rss_mib().unwrap_or(0.0);
	let start = Instant::now();
	let state = prove::load_state(&ssz, &ForkSchedule::sepolia()).expect("real state");
	let decoded = start.elapsed();
	let indices: Vec<u64> = (0..state.validator_count()).collect();
	// As a relayer submits: batches of 100, each built, self-checked and dropped.
	for batch in indices.chunks(100) {
		let output = prove::prove(&state, batch).expect("every proof verifies");
		std::hint::black_box(output);
	}
	let proven = start.elapsed();
	let streaming_peak = peak_rss_mib().unwrap_or(0.0);
	// The whole set as one JSON document (what `prove --validators <all>` prints).
	let json_bytes =
		serde_json::to_vec(&prove::prove(&state, &indices).expect("verifies")).expect("JSON").len();
	println!("state: {} bytes SSZ, {} validators", ssz.len(), state.validator_count());
	println!("decode + trees: {:.1} ms", decoded.as_secs_f64() * 1e3);
	println!(
		"proofs for all validators in batches of 100 (built and verified): {:.1} ms, {:.1} µs per validator",
		(proven - decoded).as_secs_f64() * 1e3,
		(proven - decoded).as_secs_f64() * 1e6 / indices.len() as f64
	);
	println!(
		"prover trees and records: {:.2} MiB",
		state.memory_bytes() as f64 / (1024.0 * 1024.0)
	);
	println!(
		"peak RSS while proving in batches: {streaming_peak:.1} MiB (process before loading: {baseline:.1} MiB)"
	);
	println!(
		"one JSON document for all validators: {json_bytes} bytes; peak RSS after it: {:.1} MiB",
		peak_rss_mib().unwrap_or(0.0)
	);
}
