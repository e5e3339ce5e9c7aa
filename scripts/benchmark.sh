#!/usr/bin/env bash
# Measures Ballast's pallets inside the wasm runtime and writes their weights to
# runtime/src/weights/<pallet>.rs. Needs the node built with `--features runtime-benchmarks` (a
# second feature set of the whole graph: ~30 min cold on 2 cores, not part of CI).
#
#   scripts/benchmark.sh                      # every pallet listed below
#   scripts/benchmark.sh pallet_validator_health
#   scripts/benchmark.sh storage <base-path>  # ParityDb read/write costs of a dev chain's database
#                                             # (seed one first: scripts/dev.sh with --base-path,
#                                             # or ballast-node --dev --base-path … + scripts/seed-dev.mjs)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ballast/target}"

pallets=("$@")
if [ ${#pallets[@]} -eq 0 ]; then
	# Snowbridge's light client keeps its own published weights: its benchmarks replay devnet
	# fixtures signed under fork versions that Ballast's Sepolia/mainnet genesis does not use.
	pallets=(pallet_validator_health pallet_lrt_bridge pallet_lrt_backing pallet_lending pallet_risk
		pallet_governance)
fi

# frame-benchmarking-cli's storage-access test runtime cannot build its wasm against this
# workspace's lock file (WASM_BUILD_WORKSPACE_HINT); `benchmark pallet` does not use it.
SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1 \
	cargo build --release --locked -p ballast-node --features runtime-benchmarks
# Keep the benchmarking binary apart: the next ordinary build writes ballast-node again.
bench_node="$CARGO_TARGET_DIR/release/ballast-node-benchmarks"
cp "$CARGO_TARGET_DIR/release/ballast-node" "$bench_node"

mkdir -p runtime/src/weights
if [ "${1:-}" = storage ]; then
	# Writes are measured in batches: a dev chain's few hundred keys need a small batch.
	"$bench_node" benchmark storage --dev --base-path "${2:?give the seeded database base path}" \
		--state-version 1 --batch-size 50 --weight-path runtime/src/weights/ \
		--header scripts/weight-header.txt
	exit 0
fi
for pallet in "${pallets[@]}"; do
	echo "== $pallet"
	"$bench_node" benchmark pallet \
		--chain dev \
		--pallet "$pallet" \
		--extrinsic '*' \
		--wasm-execution compiled \
		--steps "${STEPS:-20}" \
		--repeat "${REPEAT:-10}" \
		--header scripts/weight-header.txt \
		--output "runtime/src/weights/$pallet.rs"
done
