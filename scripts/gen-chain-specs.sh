#!/usr/bin/env bash
# Regenerates the committed raw chain specs from the current runtime's presets. Run after any
# change to the runtime or its genesis presets, then review and commit chain-specs/.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ballast/target}"
cargo build --release --locked -p ballast-node
node="$CARGO_TARGET_DIR/release/ballast-node"
for chain in local staging; do
	"$node" export-chain-spec --chain "$chain" --raw --output "chain-specs/$chain.json"
	echo "chain-specs/$chain.json: genesis $("$node" export-chain-spec --chain "$chain" --raw | sha256sum | cut -c1-16)…"
done
