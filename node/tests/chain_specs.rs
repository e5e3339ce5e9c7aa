//! The committed raw chain specs must hold exactly the genesis the current node and runtime
//! produce. When this fails after an intended runtime or genesis change, regenerate them with
//! `scripts/gen-chain-specs.sh` and review the diff.
//!
//! Genesis storage is compared byte for byte. The runtime code (`:code`) is compared by what it
//! is, not by its bytes: its runtime version and its metadata (every call, event, storage item,
//! constant and runtime API). Wasm bytes also depend on the folder the checkout was built in
//! (cargo hashes path dependencies' locations into symbol names), so two identical checkouts in
//! different folders produce different bytes; a public network's genesis wasm must come from a
//! deterministic build at a fixed path (see docs/running-a-node.md).

use std::{collections::BTreeSet, path::PathBuf, process::Command};

use sc_executor::WasmExecutor;
use sp_core::storage::well_known_keys::CODE;

type Json = serde_json::Value;

fn exported_raw_spec(chain: &str) -> Json {
	let output = Command::new(env!("CARGO_BIN_EXE_ballast-node"))
		.args(["export-chain-spec", "--chain", chain, "--raw"])
		.output()
		.expect("ballast-node runs");
	assert!(
		output.status.success(),
		"export-chain-spec --chain {chain} failed: {}",
		String::from_utf8_lossy(&output.stderr)
	);
	serde_json::from_slice(&output.stdout).expect("export-chain-spec prints JSON")
}

fn committed_spec(file: &str) -> Json {
	let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../chain-specs").join(file);
	let text = std::fs::read_to_string(&path)
		.unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
	serde_json::from_str(&text).expect("committed spec is JSON")
}

fn top(spec: &Json) -> &serde_json::Map<String, Json> {
	spec["genesis"]["raw"]["top"].as_object().expect("a raw spec has genesis.raw.top")
}

fn hex_bytes(value: &Json) -> Vec<u8> {
	let text = value.as_str().expect("raw storage values are hex strings");
	sp_core::bytes::from_hex(text).expect("valid hex")
}

/// `(Core_version, Metadata_metadata)` of a runtime, as the runtime itself encodes them.
fn runtime_identity(code: &[u8]) -> (Vec<u8>, Vec<u8>) {
	let blob = sc_executor_common::runtime_blob::RuntimeBlob::uncompress_if_needed(code)
		.expect("a valid runtime blob");
	let executor = WasmExecutor::<sp_io::SubstrateHostFunctions>::builder().build();
	let mut ext = sp_io::TestExternalities::default();
	let mut ext = ext.ext();
	let mut call = |function: &str| {
		executor
			.uncached_call(blob.clone(), &mut ext, false, function, &[])
			.unwrap_or_else(|e| panic!("{function} failed: {e}"))
	};
	(call("Core_version"), call("Metadata_metadata"))
}

fn assert_matches(chain: &str, file: &str) {
	let current = exported_raw_spec(chain);
	let committed = committed_spec(file);
	let stale = || format!("chain-specs/{file} is stale: run scripts/gen-chain-specs.sh");

	for field in ["name", "id", "chainType", "protocolId", "properties", "bootNodes"] {
		assert_eq!(current[field], committed[field], "{field} differs; {}", stale());
	}

	let code_key = format!("0x{}", sp_core::hexdisplay::HexDisplay::from(&CODE));
	let (now, then) = (top(&current), top(&committed));
	let keys: BTreeSet<&String> = now.keys().chain(then.keys()).collect();
	let differing: Vec<&&String> =
		keys.iter().filter(|key| **key != &code_key && now.get(**key) != then.get(**key)).collect();
	assert!(differing.is_empty(), "genesis storage differs under {differing:?}; {}", stale());

	let (version_now, metadata_now) = runtime_identity(&hex_bytes(&now[&code_key]));
	let (version_then, metadata_then) = runtime_identity(&hex_bytes(&then[&code_key]));
	assert_eq!(version_now, version_then, "runtime version differs; {}", stale());
	assert!(metadata_now == metadata_then, "runtime metadata differs; {}", stale());
}

#[test]
fn committed_local_spec_matches_the_runtime() {
	assert_matches("local", "local.json");
}

#[test]
fn committed_staging_spec_matches_the_runtime() {
	assert_matches("staging", "staging.json");
}

#[test]
fn committed_specs_name_ballast_and_their_validators() {
	let aura_authorities_key = format!(
		"0x{}{}",
		sp_core::hexdisplay::HexDisplay::from(&sp_io::hashing::twox_128(b"Aura")),
		sp_core::hexdisplay::HexDisplay::from(&sp_io::hashing::twox_128(b"Authorities")),
	);
	for (file, id, authorities) in
		[("local.json", "ballast_local", 2), ("staging.json", "ballast_staging", 4)]
	{
		let spec = committed_spec(file);
		assert_eq!(spec["id"], id);
		assert_eq!(spec["properties"]["ss58Format"], 7771);
		assert_eq!(spec["properties"]["tokenSymbol"], "BAL");
		assert_eq!(spec["properties"]["tokenDecimals"], 12);
		// SCALE: a one-byte compact length (< 64 entries), then 32 bytes per sr25519 key.
		let aura_authorities = hex_bytes(&top(&spec)[&aura_authorities_key]);
		assert_eq!(aura_authorities.len(), 1 + 32 * authorities, "{file}");
		assert_eq!(aura_authorities[0] as usize, authorities << 2, "{file}");
	}
}
