#!/usr/bin/env bash
# Builds (if needed) and runs a single-validator development chain, seeds it with real data and
# serves the Ballast app at http://127.0.0.1:5173/ (node RPC ws://127.0.0.1:9944).
#
# The chain: Alice authors blocks with Aura and finalizes them with GRANDPA; state is thrown away
# on exit. Seeding goes through the same extrinsics and proofs a relayer and users would submit
# (scripts/seed-dev.mjs, e2e/lib/seed.js), in four blocks (~20 s under Aura): the light client at a
# Sepolia checkpoint, two LRTs each backed by 100 real Sepolia validators (proven) and valued by a
# proven backing report (one through Kelp's real rsETH adapter), ETH brought in by a proven bridge
# deposit, a market per LRT with a lender and borrowers, a proven slash that liquidates two of
# them, a lender and a bridge withdrawal.
#
#   scripts/dev.sh                      seeded chain (Aura, 6 s blocks) and the app
#   scripts/dev.sh --sealing instant    a block per transaction: seeding takes ~2 s
#   scripts/dev.sh --empty              (or BALLAST_DEV_EMPTY=1) an empty chain, no seeding
#   scripts/dev.sh --no-app             (or BALLAST_DEV_APP=0) the node alone
# Other arguments go to the node. Ports: BALLAST_RPC_PORT (9944), BALLAST_APP_PORT (5173),
# BALLAST_P2P_PORT (30333), BALLAST_PROMETHEUS_PORT (9615).
# Everything listens on 127.0.0.1 only; no mDNS, no telemetry.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ballast/target}"
empty="${BALLAST_DEV_EMPTY:-0}"
app="${BALLAST_DEV_APP:-1}"
rpc_port="${BALLAST_RPC_PORT:-9944}"
app_port="${BALLAST_APP_PORT:-5173}"
node_args=()
for arg in "$@"; do
	case "$arg" in
	--empty) empty=1 ;;
	--no-app) app=0 ;;
	*) node_args+=("$arg") ;;
	esac
done

log() { printf '[dev] %s\n' "$*" >&2; }

scripts/setup.sh
cargo build --release --locked -p ballast-node
if [ "$empty" != 1 ]; then
	# The seed's proofs come from the real fixtures through these three examples (also built by
	# `cargo test --release` and scripts/test.sh); built here only when missing.
	[ -x "$CARGO_TARGET_DIR/release/examples/sepolia_calls" ] ||
		cargo build --release --locked -p ballast-ethereum-prover --example sepolia_calls
	for example in bridge_calls adapter_calls; do
		[ -x "$CARGO_TARGET_DIR/release/examples/$example" ] ||
			cargo build --release --locked -p ballast-ethereum-harness --example "$example"
	done
fi

"$CARGO_TARGET_DIR/release/ballast-node" --dev --tmp --no-mdns --no-telemetry \
	--listen-addr "/ip4/127.0.0.1/tcp/${BALLAST_P2P_PORT:-30333}" --rpc-port "$rpc_port" \
	--prometheus-port "${BALLAST_PROMETHEUS_PORT:-9615}" \
	${node_args[@]+"${node_args[@]}"} &
node_pid=$!
# Stop the node with the script, however it ends (Ctrl-C reaches both anyway).
trap 'kill "$node_pid" 2>/dev/null || true; wait "$node_pid" 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM

for _ in $(seq 120); do
	if curl -s -o /dev/null -H 'content-type: application/json' \
		-d '{"jsonrpc":"2.0","id":1,"method":"system_health","params":[]}' "http://127.0.0.1:$rpc_port"; then
		break
	fi
	kill -0 "$node_pid" 2>/dev/null || { log "the node exited"; exit 1; }
	sleep 0.5
done

rpc_query=""
[ "$rpc_port" = 9944 ] || rpc_query="?rpc=ws://127.0.0.1:$rpc_port"
app_pid=""
if [ "$app" = 1 ]; then
	# Served while the chain is seeded: the page fills in block by block.
	(cd app && exec node_modules/.bin/vite --host 127.0.0.1 --port "$app_port" --strictPort --clearScreen false --logLevel warn) &
	app_pid=$!
	trap 'kill "$app_pid" "$node_pid" 2>/dev/null || true; wait 2>/dev/null || true' EXIT
fi
announce() {
	if [ "$app" = 1 ]; then
		log "Ballast app: http://127.0.0.1:$app_port/$rpc_query   (node RPC ws://127.0.0.1:$rpc_port; Ctrl-C stops both)"
	else
		log "node RPC ws://127.0.0.1:$rpc_port (Ctrl-C stops it)"
	fi
}
announce

if [ "$empty" != 1 ]; then
	node scripts/seed-dev.mjs "ws://127.0.0.1:$rpc_port"
	announce
fi
# Runs until Ctrl-C or until the node or the app server stops.
wait -n "$node_pid" ${app_pid:+"$app_pid"}
