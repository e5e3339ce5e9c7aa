#!/usr/bin/env python3
"""Regenerates `workspace-hack/Cargo.toml`: one crate that depends on every package the workspace
builds, with the features the whole workspace's build resolves for it.

Why: cargo resolves features per invocation. `cargo build -p ballast-node`, `cargo test -p
pallet-lending` and `cargo test --workspace` would each resolve different features for shared
crates (serde on bytes, k256 on alloy-primitives, …) and compile hundreds of them again. Every
member depends on this crate (the node normally, the others as a dev-dependency; never the
runtime, whose wasm build must stay no_std), so every invocation resolves the same features and
reuses one set of artifacts. `scripts/test.sh` checks that the node build is then fresh.

Needs a nightly cargo for `--unit-graph` (`rustup toolchain install nightly`); run it after changing
dependencies or features: `python3 scripts/workspace-hack.py` (add `--check` to only compare), then
`cargo update --workspace --offline` so that the stable toolchain writes Cargo.lock.
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HACK = "ballast-workspace-hack"
HACK_DIR = os.path.join(ROOT, "workspace-hack")
# Members that neither depend on the hack nor appear in it: the runtime (built for wasm without
# std; in the hack it would put the runtime, and its wasm build, into every pallet's test build)
# and the upgrade-wasm helper (it only has a build script). Their dependents ask for the
# runtime's `default` feature instead, which is all the workspace build adds.
EXCLUDED = {"ballast-runtime", "ballast-upgrade-wasm"}


def unit_graph(*args):
    out = subprocess.run(
        ["cargo", "+nightly", *args, "--release", "--offline", "--unit-graph", "-Z", "unstable-options"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out)


def members():
    meta = json.loads(subprocess.run(
        ["cargo", "metadata", "--no-deps", "--format-version", "1", "--offline"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout)
    return [p["name"] for p in meta["packages"] if p["name"] not in EXCLUDED | {HACK}]


def package(pkg_id):
    """(name, version, is_path) of a unit graph package id."""
    # "registry+https://…/crates.io-index#serde@1.0.229" or "path+file:///…/pallets/lending#pallet-lending@0.1.0"
    src, _, rest = pkg_id.partition("#")
    name, _, version = rest.rpartition("@")
    if not name:  # "path+file:///…/lending#0.1.0": the name is the folder's
        name, version = src.rstrip("/").rsplit("/", 1)[-1], rest
    return name, version, src.startswith("path+")


def resolve(graph):
    """{(side, pkg_id): features} of every library unit; side is "host" for build scripts'
    and proc-macros' dependencies (features resolve apart there), else "target"."""
    units = graph["units"]
    host = set()
    stack = []
    for i, u in enumerate(units):
        kinds = u["target"]["kind"]
        if "proc-macro" in kinds:
            stack.append(i)
        if kinds == ["custom-build"] and u["mode"] == "build":
            stack.extend(d["index"] for d in u["dependencies"])
    while stack:
        i = stack.pop()
        if i in host:
            continue
        host.add(i)
        stack.extend(d["index"] for d in units[i]["dependencies"])
    resolved = {}
    for i, u in enumerate(units):
        kinds = u["target"]["kind"]
        if u["mode"] != "build" or not ({"lib", "rlib", "proc-macro"} & set(kinds)):
            continue
        if package(u["pkg_id"])[0] in EXCLUDED | {HACK}:
            continue
        key = ("host" if i in host else "target", u["pkg_id"])
        resolved.setdefault(key, set()).update(u["features"])
    return resolved


def unify(hack):
    """One round: every package that some member's own build resolves with other features than
    the whole workspace's build goes into the hack, with the workspace's features. True if the
    hack changed."""
    everything = resolve(unit_graph("build", "--workspace", "--all-targets"))
    builds = [("build", "-p", "ballast-node")] + [("test", "--no-run", "-p", m) for m in members()]
    changed = False
    for args in builds:
        for key, features in resolve(unit_graph(*args)).items():
            wanted = everything.get(key)
            if wanted is not None and wanted != features and hack.get(key) != wanted:
                hack[key] = wanted
                changed = True
    return changed


def dependency_lines(entries):
    counts = {}
    for _, pkg_id in entries:
        name = package(pkg_id)[0]
        counts[name] = counts.get(name, 0) + 1
    lines = []
    for (_, pkg_id), features in sorted(entries.items(), key=lambda e: package(e[0][1])):
        name, version, is_path = package(pkg_id)
        spec = []
        if is_path:
            path = os.path.relpath(pkg_id.split("#")[0].removeprefix("path+file://"), HACK_DIR)
            key = name
            spec.append(f'path = "{path}"')
        else:
            key = name if counts[name] == 1 else f"{name}-{version.replace('.', '-').replace('+', '-')}"
            if key != name:
                spec.append(f'package = "{name}"')
            spec.append(f'version = "={version}"')
        if "default" not in features:
            spec.append("default-features = false")
        feats = sorted(features - {"default"})
        if feats:
            spec.append("features = [" + ", ".join(f'"{f}"' for f in feats) + "]")
        lines.append(f"{key} = {{ {', '.join(spec)} }}")
    return lines


HEADER = f"""# Generated by scripts/workspace-hack.py: do not edit. The packages that some member's own build
# would resolve with other features than `cargo build --workspace --all-targets` does, with the
# workspace's features, so that building any one member reuses the workspace's artifacts.
[package]
name = "{HACK}"
description = "Feature unification for the Ballast workspace (generated)."
version.workspace = true
authors.workspace = true
edition.workspace = true
license.workspace = true
publish.workspace = true
build = "build.rs"

[lints]
workspace = true
"""


def render(hack):
    target = {k: v for k, v in hack.items() if k[0] == "target"}
    host = {k: v for k, v in hack.items() if k[0] == "host"}
    return "\n".join([
        HEADER,
        "[dependencies]",
        *dependency_lines(target),
        "",
        "# Used by build scripts and proc-macros, whose features resolve apart.",
        "[build-dependencies]",
        *dependency_lines(host),
        "",
    ])


def write(hack):
    open(os.path.join(HACK_DIR, "Cargo.toml"), "w").write(render(hack))


def main():
    path = os.path.join(HACK_DIR, "Cargo.toml")
    lock = os.path.join(ROOT, "Cargo.lock")
    before = open(path).read()
    lock_before = open(lock).read()
    hack = {}
    write(hack)
    try:
        rounds = 0
        while unify(hack):
            rounds += 1
            write(hack)
            print(f"round {rounds}: {len(hack)} packages", file=sys.stderr)
            if rounds > 10:
                sys.exit("no fixed point after 10 rounds")
    except BaseException:
        open(path, "w").write(before)
        open(lock, "w").write(lock_before)
        raise
    if "--check" in sys.argv:
        open(path, "w").write(before)
        open(lock, "w").write(lock_before)
        if render(hack) != before:
            sys.exit("workspace-hack/Cargo.toml is stale: run python3 scripts/workspace-hack.py")
        print("workspace-hack/Cargo.toml is up to date")
        return
    print(f"wrote {path}: {len(hack)} packages")


if __name__ == "__main__":
    main()
