//! Builds the wasm runtime that `WASM_BINARY` embeds.

fn main() {
	#[cfg(feature = "std")]
	build_wasm();
}

#[cfg(feature = "std")]
fn build_wasm() {
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

	let builder =
		substrate_wasm_builder::WasmBuilder::init_with_defaults().append_to_rust_flags(remap);
	#[cfg(feature = "metadata-hash")]
	let builder = builder.enable_metadata_hash("BAL", 12);
	builder.build();
}
