#!/usr/bin/env python3
"""Generates Deneb, Electra and Fulu beacon blocks with the consensus specs' own Python code.

The real Sepolia blocks in fixtures/sepolia/ are Deneb and leave most body lists empty (no
slashings, deposits, exits or BLS changes), and this project must not hand-write expected hashes,
so the executable specs (`eth-consensus-specs`, mainnet preset) build one block per fork with
every body list holding items, and this script writes, beside itself:

  block_<fork>.json   {"block": the block as the beacon API's /eth/v2/beacon/blocks/{id} serves
                       it (decimal strings, 0x hex), "expected": the specs' own roots: every body
                       field, the body, the header, the payload's transactions and withdrawals,
                       and the execution payload's branch (gindex 25)}

Run (PyPI only):
  python3 -m venv /tmp/pyspec && /tmp/pyspec/bin/pip install eth-consensus-specs==1.7.0a13 ckzg eth-remerkleable
  /tmp/pyspec/bin/python ethereum/prover/tests/vectors/gen-block-bodies.py
"""
import json
import os

from eth_consensus_specs.deneb import mainnet as deneb
from eth_consensus_specs.electra import mainnet as electra
from eth_consensus_specs.fulu import mainnet as fulu
from remerkleable.basic import boolean, uint
from remerkleable.bitfields import Bitlist, Bitvector
from remerkleable.byte_arrays import ByteList, ByteVector
from remerkleable.complex import Container, List, Vector

OUT = os.path.dirname(os.path.abspath(__file__))


def api_json(value):
    """The beacon API's JSON encoding of an SSZ value."""
    if isinstance(value, boolean):
        return bool(value)
    if isinstance(value, uint):
        return str(int(value))
    if isinstance(value, (ByteVector, ByteList, Bitlist, Bitvector)):
        return "0x" + value.encode_bytes().hex()
    if isinstance(value, Container):
        return {name: api_json(getattr(value, name)) for name in value.fields().keys()}
    if isinstance(value, (List, Vector)):
        return [api_json(item) for item in value]
    raise TypeError(type(value))


def b(byte, n):
    return bytes([byte]) * n


def signed_header(spec, seed):
    return spec.SignedBeaconBlockHeader(
        message=spec.BeaconBlockHeader(
            slot=1000 + seed, proposer_index=seed, parent_root=b(seed, 32),
            state_root=b(seed + 1, 32), body_root=b(seed + 2, 32)),
        signature=b(seed + 3, 96))


def attestation_data(spec, seed):
    return spec.AttestationData(
        slot=2000 + seed, index=seed % 3, beacon_block_root=b(seed, 32),
        source=spec.Checkpoint(epoch=60 + seed, root=b(seed + 1, 32)),
        target=spec.Checkpoint(epoch=61 + seed, root=b(seed + 2, 32)))


def indexed(spec, seed):
    return spec.IndexedAttestation(
        attesting_indices=[seed, seed + 7, seed + 300],
        data=attestation_data(spec, seed), signature=b(seed + 9, 96))


def attestation(spec, seed, electra_layout):
    bits = [i % 3 == seed % 3 for i in range(70 + seed)]
    att = spec.Attestation(
        aggregation_bits=spec.Attestation.fields()["aggregation_bits"](*bits),
        data=attestation_data(spec, seed), signature=b(seed + 4, 96))
    if electra_layout:
        att.committee_bits[seed % 64] = True
        att.committee_bits[(seed + 5) % 64] = True
    return att


def build(spec, slot, electra_layout):
    body = spec.BeaconBlockBody()
    body.randao_reveal = b(0xa1, 96)
    body.eth1_data = spec.Eth1Data(deposit_root=b(0xe1, 32), deposit_count=4242, block_hash=b(0xe2, 32))
    body.graffiti = b"ballast block-body vector".ljust(32, b"\0")
    body.proposer_slashings.append(spec.ProposerSlashing(
        signed_header_1=signed_header(spec, 10), signed_header_2=signed_header(spec, 20)))
    body.attester_slashings.append(spec.AttesterSlashing(
        attestation_1=indexed(spec, 30), attestation_2=indexed(spec, 40)))
    for seed in (50, 51):
        body.attestations.append(attestation(spec, seed, electra_layout))
    body.deposits.append(spec.Deposit(
        proof=[b(i, 32) for i in range(33)],
        data=spec.DepositData(pubkey=b(0x61, 48), withdrawal_credentials=b(0x62, 32),
                              amount=32 * 10**9, signature=b(0x63, 96))))
    body.voluntary_exits.append(spec.SignedVoluntaryExit(
        message=spec.VoluntaryExit(epoch=77, validator_index=88), signature=b(0x71, 96)))
    bits = spec.SyncAggregate.fields()["sync_committee_bits"]()
    for i in range(0, 512, 3):
        bits[i] = True
    body.sync_aggregate = spec.SyncAggregate(sync_committee_bits=bits, sync_committee_signature=b(0x81, 96))
    payload = spec.ExecutionPayload(
        parent_hash=b(0x91, 32), fee_recipient=b(0x92, 20), state_root=b(0x93, 32),
        receipts_root=b(0x94, 32), logs_bloom=bytes(range(256)), prev_randao=b(0x95, 32),
        block_number=5_497_016, gas_limit=30_000_000, gas_used=25_163_852, timestamp=1_710_583_416,
        extra_data=b"ballast", base_fee_per_gas=2**70 + 12345, block_hash=b(0x96, 32),
        blob_gas_used=131072, excess_blob_gas=81920000)
    for i in range(3):
        payload.transactions.append(bytes([0x02, i]) + b(0xaa, 40 + 33 * i))
    for i in range(2):
        payload.withdrawals.append(spec.Withdrawal(
            index=40090474 + i, validator_index=921 + i, address=b(0xb0 + i, 20), amount=210407 + i))
    body.execution_payload = payload
    body.bls_to_execution_changes.append(spec.SignedBLSToExecutionChange(
        message=spec.BLSToExecutionChange(validator_index=99, from_bls_pubkey=b(0xc1, 48),
                                          to_execution_address=b(0xc2, 20)),
        signature=b(0xc3, 96)))
    for i in range(3):
        body.blob_kzg_commitments.append(b(0xd0 + i, 48))
    if electra_layout:
        requests = body.execution_requests
        requests.deposits.append(spec.DepositRequest(
            pubkey=b(0xf1, 48), withdrawal_credentials=b(0xf2, 32), amount=10**9,
            signature=b(0xf3, 96), index=123456))
        requests.withdrawals.append(spec.WithdrawalRequest(
            source_address=b(0xf4, 20), validator_pubkey=b(0xf5, 48), amount=5 * 10**8))
        requests.consolidations.append(spec.ConsolidationRequest(
            source_address=b(0xf6, 20), source_pubkey=b(0xf7, 48), target_pubkey=b(0xf8, 48)))
    block = spec.BeaconBlock(slot=slot, proposer_index=470, parent_root=b(0x11, 32),
                             state_root=b(0x12, 32), body=body)
    return block


def hexroot(value):
    return "0x" + bytes(value.hash_tree_root()).hex()


def write(name, spec, slot, electra_layout):
    block = build(spec, slot, electra_layout)
    body = block.body
    gindex = spec.get_generalized_index(spec.BeaconBlockBody, "execution_payload")
    header = spec.BeaconBlockHeader(slot=block.slot, proposer_index=block.proposer_index,
                                    parent_root=block.parent_root, state_root=block.state_root,
                                    body_root=body.hash_tree_root())
    vector = {
        "block": {
            "version": name,
            "execution_optimistic": False,
            "finalized": True,
            "data": {"message": api_json(block), "signature": "0x" + b(0x5a, 96).hex()},
        },
        "expected": {
            "field_roots": {field: hexroot(getattr(body, field)) for field in body.fields().keys()},
            "body_root": hexroot(body),
            "block_root": hexroot(block),
            "header_root": hexroot(header),
            "transactions_root": hexroot(body.execution_payload.transactions),
            "withdrawals_root": hexroot(body.execution_payload.withdrawals),
            "execution_branch": {
                "gindex": str(int(gindex)),
                "branch": ["0x" + bytes(node).hex() for node in spec.compute_merkle_proof(body, gindex)],
            },
        },
    }
    with open(os.path.join(OUT, f"block_{name}.json"), "w") as f:
        json.dump(vector, f, indent=1)
        f.write("\n")
    print(name, vector["expected"]["body_root"])


# Sepolia's Electra epoch is 222464, Fulu's 272640.
write("deneb", deneb, 4_570_818, False)
write("electra", electra, 222464 * 32 + 40, True)
write("fulu", fulu, 272640 * 32 + 40, True)
