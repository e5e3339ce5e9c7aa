//! Builds the two wasm runtimes: the development one that `WASM_BINARY` embeds (with sudo), and
//! the `production` one of public networks that `production::WASM_BINARY` embeds (without).

fn main() {
	#[cfg(feature = "std")]
	build_wasm();
}

#[cfg(feature = "std")]
fn build_wasm() {
	// The native runtime is the development one (the tests use its sudo); `production` is only
	// ever enabled for the second wasm build below. Enabled natively, it would reach both blobs.
	assert!(
		std::env::var_os("CARGO_FEATURE_PRODUCTION").is_none(),
		"build the runtime without the `production` feature: the build script makes the \
		 production wasm itself (`production::WASM_BINARY`)"
	);
	// Panic messages carry source paths. Remapping the checkout's path keeps the wasm (and with it
	// the committed chain specs' genesis) identical whichever folder the repository is cloned into.
	let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
	let workspace_root = std::path::Path::new(&manifest_dir)
		.parent()
		.expect("the runtime crate lives inside the workspace");
	let remap = format!("--remap-path-prefix={}=/ballast", workspace_root.display());

	// scripts/test.sh makes clippy-driver the workspace's rustc; the wasm build must not inherit
	// it, so the wasm (and the committed chain specs) are the same whoever builds them.
	std::env::remove_var("RUSTC_WORKSPACE_WRAPPER");

	// One after the other in this one build script: the two share the wasm project (and its
	// compiled dependencies); only the runtime crate compiles twice. Distinct file names keep
	// their blobs apart.
	for production in [false, true] {
		let mut builder = substrate_wasm_builder::WasmBuilder::init_with_defaults()
			.append_to_rust_flags(remap.clone());
		if production {
			builder =
				builder.enable_feature("production").set_file_name("ballast_runtime_production");
		}
		#[cfg(feature = "metadata-hash")]
		let builder = builder.enable_metadata_hash("BAL", 12);
		builder.build();
	}
}
