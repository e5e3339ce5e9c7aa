#!/usr/bin/env bash
# Builds (if needed) and runs a single-validator development chain: Alice authors blocks with Aura
# and finalizes them with GRANDPA; state is thrown away on exit. Extra arguments go to the node,
# e.g. `scripts/dev.sh --sealing instant`. RPC: ws://127.0.0.1:9944.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ballast/target}"
scripts/setup.sh
cargo build --release --locked -p ballast-node
exec "$CARGO_TARGET_DIR/release/ballast-node" --dev --tmp --no-mdns --no-telemetry \
	--listen-addr /ip4/127.0.0.1/tcp/30333 --rpc-port 9944 "$@"
