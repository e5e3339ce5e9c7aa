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
//!
//! The public networks' chains (`staging`, `staging-mainnet`, `mainnet`) hold the production
//! runtime, which has no sudo; `mainnet` starts empty and is filled in as
//! docs/running-a-network.md says.

use std::{collections::BTreeSet, path::PathBuf, process::Command};

use frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};
use sp_core::{crypto::Ss58Codec, Decode, Pair};

use sc_executor::WasmExecutor;
use sp_core::storage::well_known_keys::CODE;

type Json = serde_json::Value;

/// `ballast-node <args>`: its standard output, or its standard error if it failed.
fn node(args: &[&str]) -> Result<Vec<u8>, String> {
	let output = Command::new(env!("CARGO_BIN_EXE_ballast-node"))
		.args(args)
		.output()
		.expect("ballast-node runs");
	if output.status.success() {
		Ok(output.stdout)
	} else {
		Err(String::from_utf8_lossy(&output.stderr).into_owned())
	}
}

fn exported_raw_spec(chain: &str) -> Json {
	let output = node(&["export-chain-spec", "--chain", chain, "--raw"])
		.unwrap_or_else(|e| panic!("export-chain-spec --chain {chain} failed: {e}"));
	serde_json::from_slice(&output).expect("export-chain-spec prints JSON")
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

/// The names of a runtime's pallets, from its `Metadata_metadata` answer.
fn pallet_names(metadata: &[u8]) -> BTreeSet<String> {
	let opaque = Vec::<u8>::decode(&mut &metadata[..]).expect("OpaqueMetadata is a byte vector");
	let prefixed =
		RuntimeMetadataPrefixed::decode(&mut &opaque[..]).expect("the runtime's metadata decodes");
	match prefixed.1 {
		RuntimeMetadata::V14(metadata) => {
			metadata.pallets.into_iter().map(|pallet| pallet.name).collect()
		},
		other => panic!("metadata version {} where 14 was expected", other.version()),
	}
}

fn storage_key(pallet: &str, item: &str) -> String {
	format!(
		"0x{}{}",
		sp_core::hexdisplay::HexDisplay::from(&sp_io::hashing::twox_128(pallet.as_bytes())),
		sp_core::hexdisplay::HexDisplay::from(&sp_io::hashing::twox_128(item.as_bytes())),
	)
}

#[test]
fn the_production_runtime_is_the_development_runtime_without_sudo() {
	let development = ballast_runtime::WASM_BINARY.expect("the development runtime is built");
	let production =
		ballast_runtime::production::WASM_BINARY.expect("the production runtime is built");
	let (version_dev, metadata_dev) = runtime_identity(development);
	let (version_prod, metadata_prod) = runtime_identity(production);
	// Same spec and transaction versions and runtime APIs: one runtime, built twice.
	assert_eq!(version_dev, version_prod);
	let (dev, prod) = (pallet_names(&metadata_dev), pallet_names(&metadata_prod));
	assert!(dev.contains("Sudo"), "the development runtime keeps sudo: {dev:?}");
	assert!(!prod.contains("Sudo"), "the production runtime has sudo: {prod:?}");
	assert_eq!(dev.difference(&prod).collect::<Vec<_>>(), ["Sudo"]);
	assert!(prod.is_subset(&dev));
	for governance in ["Council", "TechnicalCommittee", "Governance", "SafeMode", "TxPause"] {
		assert!(prod.contains(governance), "{governance} missing from {prod:?}");
	}
}

#[test]
fn public_chains_hold_the_production_runtime_and_no_sudo_key() {
	let code_key = format!("0x{}", sp_core::hexdisplay::HexDisplay::from(&CODE));
	for chain in ["staging", "staging-mainnet"] {
		let spec = exported_raw_spec(chain);
		let (_, metadata) = runtime_identity(&hex_bytes(&top(&spec)[&code_key]));
		assert!(!pallet_names(&metadata).contains("Sudo"), "{chain}'s runtime has sudo");
		assert!(!top(&spec).contains_key(&storage_key("Sudo", "Key")), "{chain} has a sudo key");
	}
	// The development chains keep it, with Alice's key.
	let dev = exported_raw_spec("dev");
	let (_, metadata) = runtime_identity(&hex_bytes(&top(&dev)[&code_key]));
	assert!(pallet_names(&metadata).contains("Sudo"));
	let alice = sp_keyring::Sr25519Keyring::Alice.to_account_id();
	assert_eq!(hex_bytes(&top(&dev)[&storage_key("Sudo", "Key")]), AsRef::<[u8]>::as_ref(&alice));
}

#[test]
fn an_empty_mainnet_spec_is_refused() {
	let error = node(&["build-spec", "--chain", "mainnet", "--raw", "--disable-default-bootnode"])
		.expect_err("the mainnet template names no validator");
	assert!(error.contains("genesis names no validator"), "{error}");
}

/// An account made from `seed` (sr25519), in the generic SS58 format the runtime reads in genesis.
fn sr25519(seed: &str) -> String {
	sp_core::sr25519::Pair::from_string(seed, None)
		.expect("a valid seed")
		.public()
		.to_ss58check_with_version(42u16.into())
}

fn ed25519(seed: &str) -> String {
	sp_core::ed25519::Pair::from_string(seed, None)
		.expect("a valid seed")
		.public()
		.to_ss58check_with_version(42u16.into())
}

/// A BEEFY (secp256k1) public key made from `seed`, in the SS58 form genesis reads.
fn ecdsa(seed: &str) -> String {
	sp_core::ecdsa::Pair::from_string(seed, None)
		.expect("a valid seed")
		.public()
		.to_ss58check_with_version(42u16.into())
}

/// docs/running-a-network.md, "Generate the chain spec", as a test: the plain template is
/// filled in with the validators', council's and committee's accounts, then made raw.
#[test]
fn a_mainnet_spec_filled_in_as_documented_builds_its_genesis() {
	let dir = std::env::temp_dir().join(format!("ballast-mainnet-spec-{}", std::process::id()));
	std::fs::create_dir_all(&dir).expect("a temporary directory");
	let plain = node(&["build-spec", "--chain", "mainnet", "--disable-default-bootnode"])
		.expect("the mainnet template builds");
	let mut spec: Json = serde_json::from_slice(&plain).expect("build-spec prints JSON");
	let patch = &mut spec["genesis"]["runtimeGenesis"]["patch"];
	assert!(patch.is_object(), "the plain spec carries the preset's patch: {spec}");
	assert_eq!(patch["session"]["keys"], serde_json::json!([]));
	assert_eq!(patch["council"]["members"], serde_json::json!([]));
	assert!(patch.get("sudo").is_none(), "the mainnet preset names a sudo key");

	let validators = ["//Ballast-Test-Validator-1", "//Ballast-Test-Validator-2"];
	patch["session"]["keys"] = validators
		.iter()
		.map(|seed| {
			let account = sr25519(seed);
			serde_json::json!([account, account, {
				"aura": sr25519(&format!("{seed}//aura")),
				"grandpa": ed25519(&format!("{seed}//grandpa")),
				"risk": sr25519(&format!("{seed}//risk")),
				"beefy": ecdsa(&format!("{seed}//beefy")),
			}])
		})
		.collect();
	patch["collatorSelection"]["invulnerables"] =
		validators.iter().map(|seed| sr25519(seed)).collect();
	let council =
		["//Ballast-Test-Council-1", "//Ballast-Test-Council-2", "//Ballast-Test-Council-3"];
	patch["council"]["members"] = council.iter().map(|seed| sr25519(seed)).collect();
	// Every member pays for motions: at least 10 BAL each.
	let committee = ["//Ballast-Test-Tc-1"];
	patch["technicalCommittee"]["members"] = committee.iter().map(|seed| sr25519(seed)).collect();
	let balances = patch["balances"]["balances"]
		.as_array_mut()
		.expect("the template endows the validators' pot");
	for seed in council.iter().chain(&committee) {
		balances.push(serde_json::json!([sr25519(seed), 100_000_000_000_000u128]));
	}
	let filled = dir.join("mainnet-plain.json");
	std::fs::write(&filled, serde_json::to_vec_pretty(&spec).expect("JSON")).expect("writable");

	let filled = filled.to_str().expect("utf-8");
	let raw = node(&["build-spec", "--chain", filled, "--raw", "--disable-default-bootnode"])
		.unwrap_or_else(|e| panic!("the filled-in spec is refused: {e}"));
	let raw: Json = serde_json::from_slice(&raw).expect("JSON");
	std::fs::remove_dir_all(&dir).ok();
	assert_eq!(raw["id"], "ballast");
	assert_eq!(raw["chainType"], "Live");
	let genesis = top(&raw);
	assert!(!genesis.contains_key(&storage_key("Sudo", "Key")));
	let aura = hex_bytes(&genesis[&storage_key("Aura", "Authorities")]);
	assert_eq!(aura.len(), 1 + 32 * validators.len());
	// BEEFY's authorities are the session's `beefy` keys (33-byte compressed secp256k1).
	let beefy = hex_bytes(&genesis[&storage_key("Beefy", "Authorities")]);
	assert_eq!(beefy.len(), 1 + 33 * validators.len());
	let members = hex_bytes(&genesis[&storage_key("Council", "Members")]);
	assert_eq!(members.len(), 1 + 32 * council.len());
	let code_key = format!("0x{}", sp_core::hexdisplay::HexDisplay::from(&CODE));
	let (_, metadata) = runtime_identity(&hex_bytes(&genesis[&code_key]));
	assert!(!pallet_names(&metadata).contains("Sudo"));
}
