#!/usr/bin/env python3
"""Generates Electra and Fulu BeaconState vectors with the consensus specs' own Python code.

Public Electra/Fulu states are too large to commit, and this project must not hand-write expected
hashes, so the executable specs (`eth-consensus-specs`, mainnet preset) build a small state per
fork, compute its hash_tree_root and Merkle proofs, and this script writes:

  ethereum/prover/tests/vectors/<fork>.ssz.gz   the SSZ state (gzip)
  ethereum/prover/tests/vectors/<fork>.json     its root, slot and the specs'
                                                                  own proofs (gindex + branch)

Run (PyPI only):
  python3 -m venv /tmp/pyspec && /tmp/pyspec/bin/pip install eth-consensus-specs==1.7.0a13 ckzg eth-remerkleable
  /tmp/pyspec/bin/python scripts/gen-fork-vectors.py
"""
import gzip
import json
import os

from eth_consensus_specs.electra import mainnet as electra
from eth_consensus_specs.fulu import mainnet as fulu

OUT = os.path.join(os.path.dirname(__file__), "..", "ethereum", "prover", "tests", "vectors")
FAR_FUTURE = 2**64 - 1


def credentials(kind, seed):
    if kind == 0:
        return b"\x00" + bytes([seed]) * 31
    return bytes([kind]) + b"\x00" * 11 + bytes([0x40 + seed % 8]) * 20


def build(spec, slot):
    state = spec.BeaconState()
    state.slot = slot
    state.genesis_validators_root = b"\xd8" * 32
    state.fork = spec.Fork(previous_version=b"\x90\x00\x00\x73", current_version=b"\x90\x00\x00\x74", epoch=222464)
    state.finalized_checkpoint = spec.Checkpoint(epoch=slot // 32 - 2, root=b"\x0f" * 32)
    state.block_roots[5] = b"\x0b" * 32
    count = 37  # not a multiple of 4: the last balance chunk is partly empty
    for i in range(count):
        kind = (0, 1, 2)[i % 3]
        validator = spec.Validator(
            pubkey=bytes([i + 1]) * 48,
            withdrawal_credentials=credentials(kind, i),
            effective_balance=(2048 if kind == 2 and i % 2 else 32) * 10**9,
            slashed=(i == 7),
            activation_eligibility_epoch=1,
            activation_epoch=2,
            exit_epoch=FAR_FUTURE if i not in (7, 11) else 300_000,
            withdrawable_epoch=FAR_FUTURE if i not in (7, 11) else 308_192,
        )
        state.validators.append(validator)
        state.balances.append(32 * 10**9 + i * 1_234_567)
        state.inactivity_scores.append(i)
        state.previous_epoch_participation.append(7)
        state.current_epoch_participation.append(3)
    state.pending_deposits.append(spec.PendingDeposit(
        pubkey=b"\x99" * 48, withdrawal_credentials=credentials(2, 3), amount=10**9,
        signature=b"\x55" * 96, slot=slot - 10))
    state.pending_partial_withdrawals.append(spec.PendingPartialWithdrawal(
        validator_index=4, amount=10**9, withdrawable_epoch=slot // 32 + 256))
    state.pending_consolidations.append(spec.PendingConsolidation(source_index=5, target_index=8))
    state.earliest_exit_epoch = slot // 32 + 5
    state.deposit_requests_start_index = 12345
    if hasattr(state, "proposer_lookahead"):
        for i in range(len(state.proposer_lookahead)):
            state.proposer_lookahead[i] = i % count
    return state, count


def proof(spec, state, *path):
    gindex = spec.get_generalized_index(spec.BeaconState, *path)
    branch = spec.compute_merkle_proof(state, gindex)
    return {"gindex": str(int(gindex)), "branch": ["0x" + bytes(node).hex() for node in branch]}


def write(name, spec, slot):
    state, count = build(spec, slot)
    # mtime=0: the same state always gives the same file.
    with open(os.path.join(OUT, f"{name}.ssz.gz"), "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
            f.write(state.encode_bytes())
    proofs = {
        "validators": proof(spec, state, "validators"),
        "balances": proof(spec, state, "balances"),
        "finalized_root": proof(spec, state, "finalized_checkpoint", "root"),
        "current_sync_committee": proof(spec, state, "current_sync_committee"),
        "next_sync_committee": proof(spec, state, "next_sync_committee"),
        "block_roots": proof(spec, state, "block_roots"),
        "validator": {str(i): proof(spec, state, "validators", i) for i in (0, 7, count - 1)},
        # A list of uint64 is addressed by element: the specs find the element's chunk themselves.
        "balance_chunk": {str(i): proof(spec, state, "balances", i) for i in (0, 7, count - 1)},
    }
    vector = {
        "fork": name,
        "slot": int(state.slot),
        "state_root": "0x" + bytes(state.hash_tree_root()).hex(),
        "validator_count": count,
        "validator_roots": {str(i): "0x" + bytes(state.validators[i].hash_tree_root()).hex() for i in (0, 7, count - 1)},
        "balances": {str(i): str(int(state.balances[i])) for i in (0, 7, count - 1)},
        "proofs": proofs,
    }
    with open(os.path.join(OUT, f"{name}.json"), "w") as f:
        json.dump(vector, f, indent=1)
        f.write("\n")
    print(name, vector["state_root"], len(state.encode_bytes()), "bytes")


os.makedirs(OUT, exist_ok=True)
# Sepolia's Electra epoch is 222464, Fulu's 272640.
write("electra", electra, 222464 * 32 + 40)
write("fulu", fulu, 272640 * 32 + 40)
