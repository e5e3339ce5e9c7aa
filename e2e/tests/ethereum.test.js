// The Ethereum light client and the validator-health oracle through polkadot.js, against the real
// node (so every proof is verified by the wasm runtime): governance installs the Sepolia
// checkpoint, a relayer submits the real finality update, governance registers two EigenPod-like
// credentials, and a batch of 200 real validator proofs lands; the records are read back through
// the runtime API and compared with what the prover read from the SSZ state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { hexToU8a } from '@polkadot/util';
import { startDevNode, sendAndFinalize, eventsOf, devAccounts, exampleBinary } from '../lib/node.js';

let node;
let api;
let alice;
let bob;
let charlie;
let calls;

/** The call arguments from the real fixtures, printed by the `sepolia_calls` example. */
function sepoliaCalls() {
  return JSON.parse(execFileSync(exampleBinary('sepolia_calls'), { maxBuffer: 64 * 1024 * 1024 }).toString());
}

/** Argument `index` of `method`, decoded from its SCALE encoding. */
function scaleArg(method, index, hex) {
  return api.createType(method.meta.args[index].type.toString(), hexToU8a(hex));
}

before(async () => {
  calls = sepoliaCalls();
  node = await startDevNode({ name: 'ethereum', extraArgs: ['--sealing', 'instant'] });
  api = node.api;
  ({ alice, bob, charlie } = devAccounts());
});

after(async () => {
  if (node) {
    const exit = await node.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, 'node stopped cleanly');
  }
});

test('the chain follows Sepolia from genesis', async () => {
  const forks = (await api.call.validatorHealthApi.ethereumForks()).unwrap();
  assert.equal(forks.deneb.version.toHex(), '0x90000073');
  assert.equal(forks.deneb.epoch.toNumber(), 132608);
  const root = (await api.query.validatorHealth.genesisValidatorsRoot()).unwrap();
  assert.equal(root.toHex(), '0xd8ea171f3c94aea21ebc42a1ed61052acf3f9209c00e4efbaaddac09ed9b8078');
});

test('only governance installs the checkpoint', async () => {
  const checkpoint = scaleArg(api.tx.ethereumBeaconClient.forceCheckpoint, 0, calls.checkpoint);
  const refused = await sendAndFinalize(api, api.tx.ethereumBeaconClient.forceCheckpoint(checkpoint), bob, {
    expectFailure: true,
  });
  assert.equal(refused.error, 'BadOrigin');

  const { events } = await sendAndFinalize(api, api.tx.sudo.sudo(api.tx.ethereumBeaconClient.forceCheckpoint(checkpoint)), alice);
  assert.equal(eventsOf(events, 'sudo', 'Sudid')[0].event.data.sudoResult.isOk, true);
  const [imported] = eventsOf(events, 'ethereumBeaconClient', 'BeaconHeaderImported');
  assert.equal(imported.event.data.blockHash.toHex(), calls.checkpointBlockRoot);
  assert.equal(imported.event.data.slot.toNumber(), calls.checkpointSlot);
  assert.equal((await api.query.ethereumBeaconClient.latestFinalizedBlockRoot()).toHex(), calls.checkpointBlockRoot);
});

test('a relayer submits the real finality update; bringing the next committee is free', async () => {
  const update = scaleArg(api.tx.ethereumBeaconClient.submit, 0, calls.update);
  const { events } = await sendAndFinalize(api, api.tx.ethereumBeaconClient.submit(update), bob);
  const [committee] = eventsOf(events, 'ethereumBeaconClient', 'SyncCommitteeUpdated');
  assert.equal(committee.event.data.period.toNumber(), 557);
  const [fee] = eventsOf(events, 'transactionPayment', 'TransactionFeePaid');
  assert.equal(fee.event.data.actualFee.toBigInt(), 0n, 'a useful update is refunded');
  assert.equal((await api.query.ethereumBeaconClient.nextSyncCommittee()).root.isEmpty, false);
});

test('validator proofs anchored in the finalized header land and read back through the runtime API', async () => {
  const registrations = calls.credentials.map(({ lrt, credentials }) =>
    api.tx.validatorHealth.registerCredentials(lrt, credentials),
  );
  const registered = await sendAndFinalize(api, api.tx.sudo.sudo(api.tx.utility.batchAll(registrations)), alice);
  assert.equal(eventsOf(registered.events, 'validatorHealth', 'CredentialsRegistered').length, 2);

  const submitProofs = api.tx.validatorHealth.submitValidatorProofs;
  const anchor = scaleArg(submitProofs, 0, calls.anchor);

  // One flipped bit in one branch: the wasm verifier refuses the batch and nothing is stored.
  const tampered = await sendAndFinalize(
    api,
    submitProofs(anchor, scaleArg(submitProofs, 1, calls.tamperedProofs)),
    charlie,
    { expectFailure: true },
  );
  assert.equal(tampered.error, 'validatorHealth.InvalidValidatorProof');
  assert.equal((await api.call.validatorHealthApi.validator(calls.expected[0].index)).isNone, true);

  const proofs = scaleArg(submitProofs, 1, calls.proofs);
  assert.equal(proofs.length, 200);
  const { events } = await sendAndFinalize(api, submitProofs(anchor, proofs), charlie);
  const [proven] = eventsOf(events, 'validatorHealth', 'ValidatorsProven');
  assert.equal(proven.event.data.count.toNumber(), 200);
  assert.equal(proven.event.data.slot.toNumber(), calls.checkpointSlot);
  assert.equal(eventsOf(events, 'validatorHealth', 'ValidatorTracked').length, 200);

  const totals = new Map();
  for (const expected of calls.expected) {
    const record = (await api.call.validatorHealthApi.validator(expected.index)).unwrap();
    assert.equal(record.lrt.toNumber(), expected.lrt);
    assert.equal(record.balance.toString(), expected.balance, `balance of ${expected.index}`);
    assert.equal(record.effectiveBalance.toString(), expected.effectiveBalance);
    assert.equal(record.slashed.isTrue, expected.slashed);
    assert.equal(record.exitEpoch.toString(), expected.exitEpoch);
    assert.equal(record.pubkeyRoot.toHex(), expected.pubkeyRoot);
    assert.equal(record.provenAtSlot.toNumber(), calls.checkpointSlot);
    totals.set(expected.lrt, (totals.get(expected.lrt) ?? 0n) + BigInt(expected.balance));
  }
  for (const [lrt, total] of totals) {
    const aggregates = await api.call.validatorHealthApi.lrtAggregates(lrt);
    assert.equal(aggregates.validators.toNumber(), 100, `validators of LRT ${lrt}`);
    assert.equal(aggregates.totalBalance.toBigInt(), total);
    assert.equal(aggregates.oldestProofSlot.unwrap().toNumber(), calls.checkpointSlot);
  }

  // A record proven against the state root itself (46 hashes; its generalized index is about
  // 2^46.4, beyond a 32-bit usize): the wasm runtime walks the right path through u64 indices.
  const check = api.call.validatorHealthApi.checkValidatorProof;
  const header = api.createType('BallastEthereumProofsBeaconBeaconBlockHeader', hexToU8a(calls.checkpointHeader));
  const full = api.createType('BallastEthereumProofsCallsSlashingProof', hexToU8a(calls.fullProof));
  assert.equal(full.branch.length, 46);
  const accepted = await check(header, full);
  assert.equal(accepted.isOk, true, accepted.toString());
  assert.equal(accepted.asOk.toNumber(), calls.checkpointSlot);
  const tamperedFull = api.createType('BallastEthereumProofsCallsSlashingProof', hexToU8a(calls.tamperedFullProof));
  const refused = await check(header, tamperedFull);
  assert.equal(refused.isErr, true);
  assert.equal(api.registry.findMetaError(refused.asErr.asModule).name, 'InvalidValidatorProof');

  // The same batch again is stale: no rollback, no double counting.
  const stale = await sendAndFinalize(api, submitProofs(anchor, proofs), charlie, { expectFailure: true });
  assert.equal(stale.error, 'validatorHealth.StaleProof');
});
