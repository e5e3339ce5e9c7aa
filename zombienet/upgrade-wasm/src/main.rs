//! Prints the path of the upgrade runtime (compact, compressed wasm) that `build.rs` built, for
//! the network test's runtime upgrade (`system.authorizeUpgrade` by a root change, then
//! `system.applyAuthorizedUpgrade`).

// The only public items are the `include!`d constants (`WASM_BINARY_PATH`, …), written without
// docs by `build.rs` or substrate-wasm-builder; an attribute on `include!` would be ignored.
#![allow(missing_docs)]

include!(concat!(env!("OUT_DIR"), "/ballast_runtime_upgrade"));

fn main() {
	match WASM_BINARY_PATH {
		Some(path) => println!("{path}"),
		None => {
			eprintln!(
				"not built: run `BALLAST_BUILD_UPGRADE_WASM=1 cargo build --release -p ballast-node -p ballast-upgrade-wasm`"
			);
			std::process::exit(1);
		},
	}
}
