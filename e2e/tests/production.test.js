// A public network launched as docs/running-a-network.md says, with one validator on loopback:
// its keys from `ballast-node key generate`/`key inspect --network substrate`, the `mainnet`
// template from `build-spec`, filled in (the validator, a council of two, a committee of one, the
// validator's and members' endowments) and made raw, the session keys put in the keystore with `key insert`.
// The node runs the production runtime: it authors and finalizes blocks, has no sudo, and its
// genesis holds exactly what was filled in, with the runtime's default timing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNode, startNode, waitForHeader } from '../lib/node.js';
import { parseJsonExact, stringifyJsonExact } from '../lib/json.js';

const BAL = 1_000_000_000_000n;
const VALIDATOR_ENDOWMENT = 1_000n * BAL;
/** What each council and committee member is given: at least the runtime's 10 BAL per member. */
const GOVERNOR_ENDOWMENT = 100n * BAL;
/** Blocks of 6 s in an hour and a day (primitives' `time::HOURS`, `time::DAYS`). */
const HOUR = 600;
const DAY = 24 * HOUR;

let dir;
let node;
let api;
/** The validator: `account` (`key generate` JSON) and, per session key, `{ file, ss58, hex }`. */
const validator = {};
let council;
let committee;

/** `ballast-node key generate … --network substrate --output-type json`, parsed. */
async function generateAccount(scheme) {
  return JSON.parse(await runNode(['key', 'generate', '--scheme', scheme, '--words', '24', '--network', 'substrate', '--output-type', 'json']));
}

/**
 * A session key as docs/running-a-network.md makes it: a fresh phrase in a file only we read,
 * and its public key in the generic SS58 format (`key inspect` reading the file).
 */
async function generateSessionKey(scheme, name) {
  const { secretPhrase } = JSON.parse(await runNode(['key', 'generate', '--scheme', scheme, '--words', '24', '--output-type', 'json']));
  const file = join(dir, 'keys', name);
  writeFileSync(file, `${secretPhrase}\n`, { mode: 0o600 });
  const inspected = JSON.parse(await runNode(['key', 'inspect', '--network', 'substrate', '--output-type', 'json', '--scheme', scheme, file]));
  assert.equal(inspected.networkId, 'substrate');
  return { scheme, file, ss58: inspected.ss58PublicKey, hex: inspected.publicKey };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ballast-production-'));
  mkdirSync(join(dir, 'keys'), { mode: 0o700 });

  // Step 2: the validator's account and session keys; the council's and committee's accounts.
  validator.account = await generateAccount('sr25519');
  validator.aura = await generateSessionKey('sr25519', 'aura');
  validator.grandpa = await generateSessionKey('ed25519', 'grandpa');
  validator.risk = await generateSessionKey('sr25519', 'risk');
  validator.beefy = await generateSessionKey('ecdsa', 'beefy');
  council = [await generateAccount('sr25519'), await generateAccount('sr25519')];
  committee = [await generateAccount('sr25519')];

  // Step 3: the template, filled in, made raw.
  const template = parseJsonExact(await runNode(['build-spec', '--chain', 'mainnet', '--disable-default-bootnode']));
  const patch = template.genesis.runtimeGenesis.patch;
  assert.deepEqual(patch.session.keys, [], 'the template names no validator');
  assert.deepEqual(patch.council.members, [], 'the template names no council member');
  assert.equal(patch.sudo, undefined, 'the template names a sudo key');
  assert.equal(patch.balances.balances.length, 1, 'the template endows only the validators\' pot');
  const account = validator.account.ss58Address;
  patch.session.keys = [[account, account, { aura: validator.aura.ss58, grandpa: validator.grandpa.ss58, risk: validator.risk.ss58, beefy: validator.beefy.ss58 }]];
  patch.collatorSelection.invulnerables = [account];
  patch.council.members = council.map((member) => member.ss58Address);
  patch.technicalCommittee.members = committee.map((member) => member.ss58Address);
  patch.balances.balances.push([account, VALIDATOR_ENDOWMENT]);
  // Every member must be able to pay for motions (the runtime refuses a genesis otherwise).
  for (const member of [...council, ...committee]) patch.balances.balances.push([member.ss58Address, GOVERNOR_ENDOWMENT]);
  const plain = join(dir, 'mainnet-plain.json');
  writeFileSync(plain, stringifyJsonExact(template, 2));
  const raw = join(dir, 'mainnet.json');
  writeFileSync(raw, await runNode(['build-spec', '--chain', plain, '--raw', '--disable-default-bootnode']));

  // Step 4: the keystore and the node key, then the validator.
  const basePath = join(dir, 'node');
  for (const [keyType, key] of [['aura', validator.aura], ['gran', validator.grandpa], ['risk', validator.risk], ['beef', validator.beefy]]) {
    await runNode(['key', 'insert', '--base-path', basePath, '--chain', raw, '--scheme', key.scheme, '--key-type', keyType, '--suri', key.file]);
  }
  await runNode(['key', 'generate-node-key', '--base-path', basePath, '--chain', raw]);
  node = await startNode({
    name: 'production',
    args: ['--chain', raw, '--validator', '--base-path', basePath],
    extraArgs: ['--rpc-cors', 'all'],
  });
  api = node.api;
});

after(async () => {
  try {
    if (node) {
      const exit = await node.stop();
      assert.deepEqual(exit, { code: 0, signal: null }, 'node stopped cleanly');
    }
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
});

test('an empty mainnet spec is refused', async () => {
  await assert.rejects(
    runNode(['build-spec', '--chain', 'mainnet', '--raw', '--disable-default-bootnode']),
    (error) => {
      assert.notEqual(error.code, 0);
      assert.match(error.stderr, /genesis names no validator/);
      return true;
    },
  );
});

test('the one validator authors blocks and GRANDPA finalizes them', async () => {
  const best = await waitForHeader((cb) => api.rpc.chain.subscribeNewHeads(cb), (h) => h.number.toNumber() >= 3, 45_000, 'best block #3');
  assert.ok(best.number.toNumber() >= 3);
  const finalized = await waitForHeader((cb) => api.rpc.chain.subscribeFinalizedHeads(cb), (h) => h.number.toNumber() >= 2, 45_000, 'finalized block #2');
  assert.ok(finalized.number.toNumber() >= 2);
  // The keys `key insert` put in the keystore are the ones genesis names.
  for (const [keyType, key] of [['aura', validator.aura], ['gran', validator.grandpa], ['risk', validator.risk], ['beef', validator.beefy]]) {
    assert.ok((await api.rpc.author.hasKey(key.hex, keyType)).isTrue, `${keyType} key in the keystore`);
  }
});

test('the production runtime has no sudo, and has the council, committee and governance', async () => {
  assert.equal(api.tx.sudo, undefined);
  assert.equal(api.query.sudo, undefined);
  const pallets = api.runtimeMetadata.asLatest.pallets.map((pallet) => pallet.name.toString());
  assert.ok(!pallets.includes('Sudo'), `pallets: ${pallets}`);
  for (const pallet of ['Council', 'TechnicalCommittee', 'Governance']) {
    assert.ok(pallets.includes(pallet), `${pallet} in ${pallets}`);
  }
});

test('genesis holds the validator, council, committee and endowment filled in', async () => {
  const hex = (accounts) => accounts.map((account) => account.toHex());
  // pallet-collective keeps its members sorted.
  const sorted = (members) => members.map((member) => member.accountId).sort();
  assert.deepEqual(hex(await api.query.council.members()).sort(), sorted(council));
  assert.deepEqual(hex(await api.query.technicalCommittee.members()).sort(), sorted(committee));
  assert.deepEqual(hex(await api.query.session.validators()), [validator.account.accountId]);
  assert.deepEqual(hex(await api.query.collatorSelection.invulnerables()), [validator.account.accountId]);
  assert.deepEqual(hex(await api.query.aura.authorities()), [validator.aura.hex]);
  const { data } = await api.query.system.account(validator.account.accountId);
  // It has sent no transaction; its authoring rewards (half the pot above its existential
  // deposit) can only add to it.
  assert.ok(data.free.toBigInt() >= VALIDATOR_ENDOWMENT, `validator's balance ${data.free}`);
});

test('the timing is the runtime\'s default: hour-long sessions, two and seven days of delay', async () => {
  assert.equal((await api.query.validatorSet.sessionPeriod()).toNumber(), HOUR);
  // No genesis delays stored: the runtime's constants apply.
  assert.ok((await api.query.governance.delays()).isNone);
  assert.equal(api.consts.governance.parametersDelay.toNumber(), 2 * DAY);
  assert.equal(api.consts.governance.rootDelay.toNumber(), 7 * DAY);
});

test('the chain is Ballast, a live chain', async () => {
  assert.equal((await api.rpc.system.chain()).toString(), 'Ballast');
  assert.ok((await api.rpc.system.chainType()).isLive);
});
