//! The committed raw chain specs must be exactly what the current node and runtime produce.
//! When this fails after an intended runtime or genesis change, regenerate them with
//! `scripts/gen-chain-specs.sh` and review the diff.

use std::{path::PathBuf, process::Command};

fn exported_raw_spec(chain: &str) -> serde_json::Value {
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

fn committed_spec(file: &str) -> serde_json::Value {
	let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../chain-specs").join(file);
	let text = std::fs::read_to_string(&path)
		.unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
	serde_json::from_str(&text).expect("committed spec is JSON")
}

fn assert_matches(chain: &str, file: &str) {
	let current = exported_raw_spec(chain);
	let committed = committed_spec(file);
	if current == committed {
		return;
	}
	// Name what differs, so the failure says whether code, genesis or metadata moved.
	let keys = |v: &serde_json::Value| -> Vec<String> {
		v["genesis"]["raw"]["top"]
			.as_object()
			.map(|m| m.keys().cloned().collect())
			.unwrap_or_default()
	};
	let (now, then) = (keys(&current), keys(&committed));
	let changed: Vec<&String> = now
		.iter()
		.filter(|k| {
			current["genesis"]["raw"]["top"][k.as_str()]
				!= committed["genesis"]["raw"]["top"][k.as_str()]
		})
		.collect();
	let removed: Vec<&String> = then.iter().filter(|k| !now.contains(k)).collect();
	panic!(
		"chain-specs/{file} is stale: {} storage keys differ or are new ({changed:?}), {} removed ({removed:?}); \
		 run scripts/gen-chain-specs.sh",
		changed.len(),
		removed.len(),
	);
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
		let aura_authorities = spec["genesis"]["raw"]["top"][&aura_authorities_key]
			.as_str()
			.expect("Aura authorities in genesis");
		// SCALE: compact length prefix (one byte for < 64), then 32 bytes per key.
		assert_eq!((aura_authorities.len() - 2) / 2, 1 + 32 * authorities, "{file}");
	}
}
