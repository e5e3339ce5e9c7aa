#!/usr/bin/env bash
# The full test suite, as CI runs it: formatting, the release build, every Rust test, clippy, the
# end-to-end tests that drive a real ballast-node through polkadot.js, then the four-validator
# network's fault tests (zombienet). One build profile (release) for everything, so nothing is
# compiled twice.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ballast/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n==> %s\n' "$*"; }

step "setup"
scripts/setup.sh

step "cargo fmt --check"
cargo fmt --all --check

step "contracts compile to the committed artifacts (solc)"
(cd ethereum && node compile.mjs --check)

step "build ballast-node (release)"
cargo build --release --locked -p ballast-node

summary=$(mktemp)
trap 'rm -f "$summary"' EXIT

step "Rust tests"
cargo test --release --locked --workspace 2>&1 | tee -a "$summary"

step "clippy (-D warnings)"
cargo clippy --release --locked --workspace --all-targets -- -D warnings

step "end-to-end tests (polkadot.js against ballast-node)"
(cd e2e && BALLAST_NODE="$CARGO_TARGET_DIR/release/ballast-node" npm test --silent) 2>&1 | tee -a "$summary"

step "four-validator network (zombienet): finality, faults, keeper, runtime upgrade"
# The upgrade test's code: the runtime one spec_version ahead (only the runtime crate compiles).
# Selecting the node too keeps the build dependencies' features, and so their artifacts, shared.
BALLAST_BUILD_UPGRADE_WASM=1 cargo build --release --locked -p ballast-node -p ballast-upgrade-wasm
(cd zombienet && BALLAST_NODE="$CARGO_TARGET_DIR/release/ballast-node" timeout 20m npm test --silent) 2>&1 | tee -a "$summary"

# One line for the whole suite: Rust tests ("test result: ok. N passed; M failed") plus the
# end-to-end tests (node's runner: "ℹ pass N" / "ℹ fail M").
awk '
	/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
	/^ℹ pass /      { p += $3 }
	/^ℹ fail /      { f += $3 }
	END             { printf "\nall: %d passed, %d failed\n", p, f }
' "$summary"
