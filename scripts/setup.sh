#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks to build, run and test Ballast. Idempotent: every step
# checks first and does nothing when its tool is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*" >&2; }

sudo_if_needed() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# System packages. protoc: litep2p/sc-network generate code with prost-build. No clang/libclang:
# the node is ParityDb-only, so there is no RocksDB C++ build and no bindgen.
missing=()
command -v protoc >/dev/null 2>&1 || missing+=(protobuf-compiler)
command -v cc >/dev/null 2>&1 || missing+=(build-essential)
command -v git >/dev/null 2>&1 || missing+=(git)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
	log "installing ${missing[*]}"
	sudo_if_needed apt-get update -qq
	sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Rust: the toolchain, wasm target and components pinned in rust-toolchain.toml.
if ! command -v rustup >/dev/null 2>&1; then
	log "rustup is missing: install it from the Debian package 'rustup' or rustup.rs, then rerun"
	exit 1
fi
# With no argument, `rustup toolchain install` installs (or completes) the toolchain that
# rust-toolchain.toml names, with its targets and components; a no-op when all is there.
rustup toolchain install >/dev/null

# e2e client (@polkadot/api pinned in e2e/package-lock.json).
if [ ! -d e2e/node_modules ] || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then
	log "installing e2e dependencies (npm ci)"
	(cd e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

# Solidity compiler (solcjs, pinned in ethereum/package-lock.json) for the gateway contract.
if [ ! -d ethereum/node_modules ] || [ ethereum/package-lock.json -nt ethereum/node_modules/.package-lock.json ]; then
	log "installing the Solidity compiler (npm ci in ethereum/)"
	(cd ethereum && npm ci --no-audit --no-fund --loglevel=error)
fi

# zombienet v1 (pinned in zombienet/package-lock.json) for the four-validator network tests.
if [ ! -d zombienet/node_modules ] || [ zombienet/package-lock.json -nt zombienet/node_modules/.package-lock.json ]; then
	log "installing zombienet (npm ci in zombienet/)"
	(cd zombienet && npm ci --no-audit --no-fund --loglevel=error)
fi

log "ready"
