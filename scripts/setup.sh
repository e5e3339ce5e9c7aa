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
# Debian's Chromium: the app's browser tests drive it headless (puppeteer-core); the browser
# builds that Playwright/Puppeteer download themselves cannot be fetched here.
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-liberation)
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

# Crates for the whole workspace, pinned by Cargo.lock, downloaded while npm installs below (both
# are network-bound; the build that follows then starts compiling at once).
log "downloading crates (cargo fetch --locked) in the background"
cargo fetch --locked --quiet &
fetch_pid=$!

# npm packages, each pinned by its folder's package-lock.json; `npm ci` again when the lock changed.
npm_ci() {
	local dir=$1 what=$2
	if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
		log "installing $what (npm ci in $dir/)"
		(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
	fi
}
npm_ci e2e "the e2e client (@polkadot/api)"
npm_ci ethereum "the Solidity compiler (solcjs), OpenZeppelin's contracts for the gateway and anvil (the relayer's execution tests)"
npm_ci zombienet "zombienet v1 for the four-validator network tests"
npm_ci app "the app (Vite, @polkadot/api, the extension bridge, puppeteer-core for its browser tests)"

if ! wait "$fetch_pid"; then
	log "cargo fetch failed"
	exit 1
fi
log "ready"
