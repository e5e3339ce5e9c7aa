//! Builds `runtime/` as wasm with its `production` and `spec-version-bump` features, only when
//! `BALLAST_BUILD_UPGRADE_WASM=1` (the zombienet stage sets it): every other build of the
//! workspace skips it, so tests and clippy do not compile the runtime a second time.
//!
//! It shares the runtime's wasm project (`wbuild/ballast-runtime`) and the same rust flags, so
//! only the runtime crate itself is compiled again; its dependencies come from the cache.

use std::{env, fs, path::PathBuf};

const ENABLE: &str = "BALLAST_BUILD_UPGRADE_WASM";
const FILE: &str = "ballast_runtime_upgrade";

fn main() {
	println!("cargo:rerun-if-env-changed={ENABLE}");
	let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join(FILE);
	if env::var(ENABLE).as_deref() != Ok("1") {
		fs::write(&out, "pub const WASM_BINARY_PATH: Option<&str> = None;\n")
			.expect("OUT_DIR is writable");
		return;
	}
	let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
	let workspace_root = manifest_dir
		.parent()
		.and_then(|zombienet| zombienet.parent())
		.expect("zombienet/upgrade-wasm lives two levels below the workspace root");
	// The runtime's own build.rs passes exactly this flag; equal flags keep the cached deps.
	let remap = format!("--remap-path-prefix={}=/ballast", workspace_root.display());
	// Like the runtime's build.rs: the wasm build never runs under scripts/test.sh's clippy-driver.
	env::remove_var("RUSTC_WORKSPACE_WRAPPER");
	// `init_with_defaults` of the runtime's build.rs is `new().with_current_project()
	// .import_memory().export_heap_base()`: the same settings here give the same rust flags.
	substrate_wasm_builder::WasmBuilder::new()
		.with_project(workspace_root.join("runtime").join("Cargo.toml"))
		.expect("runtime/Cargo.toml exists")
		.import_memory()
		.export_heap_base()
		// The network runs the `staging` preset, whose genesis holds the production runtime.
		.enable_feature("production")
		.enable_feature("spec-version-bump")
		.append_to_rust_flags(remap)
		.set_file_name(FILE)
		.build();
}
