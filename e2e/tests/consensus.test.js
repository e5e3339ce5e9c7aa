// The real consensus path: `ballast-node --dev` authors blocks with Aura, finalizes them with
// GRANDPA and signs their MMR roots with BEEFY; polkadot.js reads metadata and sends a transfer
// through it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Keyring } from '@polkadot/keyring';
import { startDevNode, waitForHeader, sendAndFinalize, eventsOf, nodeBinary } from '../lib/node.js';

let node;
let api;

before(async () => {
  node = await startDevNode({ name: 'aura-grandpa' });
  api = node.api;
});

after(async () => {
  if (node) await node.stop();
});

test('Aura produces blocks and GRANDPA finalizes them', async () => {
  const best = await waitForHeader(
    (cb) => api.rpc.chain.subscribeNewHeads(cb),
    (h) => h.number.toNumber() >= 3,
    90_000,
    'best block #3',
  );
  assert.ok(best.number.toNumber() >= 3);
  const finalized = await waitForHeader(
    (cb) => api.rpc.chain.subscribeFinalizedHeads(cb),
    (h) => h.number.toNumber() >= 2,
    90_000,
    'finalized block #2',
  );
  // Every block carries Aura's pre-runtime digest with the slot it was authored in.
  const digest = finalized.digest.logs.find((log) => log.isPreRuntime);
  assert.ok(digest, 'an Aura pre-runtime digest');
  assert.equal(digest.asPreRuntime[0].toString(), 'aura');
});

test('metadata v15+ describes Ballast without a type bundle', async () => {
  const versions = (await api.call.metadata.metadataVersions()).map((v) => v.toNumber());
  assert.ok(versions.some((v) => v >= 15), `metadata versions ${versions}`);
  assert.ok(api.runtimeMetadata.version >= 15, `client decoded metadata v${api.runtimeMetadata.version}`);

  assert.equal(api.runtimeVersion.specName.toString(), 'ballast');
  const properties = api.registry.getChainProperties();
  assert.equal(properties.ss58Format.unwrap().toNumber(), 7771);
  assert.deepEqual(properties.tokenSymbol.unwrap().map((s) => s.toString()), ['BAL']);
  assert.deepEqual(properties.tokenDecimals.unwrap().map((d) => d.toNumber()), [12]);

  for (const pallet of ['system', 'timestamp', 'utility', 'aura', 'grandpa', 'balances', 'transactionPayment', 'assets', 'sudo']) {
    assert.ok(api.tx[pallet] || api.query[pallet], `pallet ${pallet} in metadata`);
  }
  // Runtime APIs come from metadata too and are callable by name.
  const keyring = new Keyring({ type: 'sr25519' });
  const alice = keyring.addFromUri('//Alice');
  const nonce = await api.call.accountNonceApi.accountNonce(alice.address);
  assert.ok(nonce.toNumber() >= 0);
  const authorities = await api.call.auraApi.authorities();
  assert.equal(authorities.length, 1);
});

test('a signed transfer is included and finalized on the Aura+GRANDPA path', async () => {
  const keyring = new Keyring({ type: 'sr25519' });
  const alice = keyring.addFromUri('//Alice');
  const dest = keyring.addFromUri('//Ballast//e2e//aura-transfer');
  const amount = 5_000_000_000_000n; // 5 BAL
  const { events } = await sendAndFinalize(api, api.tx.balances.transferKeepAlive(dest.address, amount), alice);
  const [transfer] = eventsOf(events, 'balances', 'Transfer');
  assert.ok(transfer, 'Balances.Transfer event');
  assert.equal(transfer.event.data.to.toString(), api.createType('AccountId', dest.address).toString());
  assert.equal(transfer.event.data.amount.toBigInt(), amount);
  const { data } = await api.query.system.account(dest.address);
  assert.equal(data.free.toBigInt(), amount);
});

test('BEEFY signs finalized MMR roots, and the MMR RPC proves a block\'s leaf against them', async () => {
  // The BEEFY voter runs beside GRANDPA: its finalized head moves past genesis.
  let beefyHead;
  const deadline = Date.now() + 120_000;
  for (;;) {
    beefyHead = await api.rpc.beefy.getFinalizedHead();
    const header = await api.rpc.chain.getHeader(beefyHead);
    if (header.number.toNumber() >= 3) break;
    assert.ok(Date.now() < deadline, `BEEFY finalized nothing past #${header.number} in 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  const beefyNumber = (await api.rpc.chain.getHeader(beefyHead)).number.toNumber();
  // BEEFY only signs what GRANDPA finalized.
  const grandpaHead = await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead());
  assert.ok(beefyNumber <= grandpaHead.number.toNumber());

  // Every block names its MMR root in a BEEFY consensus digest; the RPC serves the same root.
  const block = await api.rpc.chain.getBlock(beefyHead);
  const log = block.block.header.digest.logs.find((item) => item.isConsensus && item.asConsensus[0].toString() === 'BEEF');
  assert.ok(log, 'a BEEFY consensus digest (the MMR root)');
  const root = await api.rpc.mmr.root(beefyHead);
  assert.ok(log.asConsensus[1].toHex().endsWith(root.toHex().slice(2)), 'the digest names the MMR root');

  // A leaf's proof as of the BEEFY-finalized block verifies against that root, statelessly.
  const proof = await api.rpc.mmr.generateProof([beefyNumber - 1], beefyNumber);
  assert.ok((await api.rpc.mmr.verifyProofStateless(root, proof)).isTrue);
  // One leaf per block from #1 on.
  const leaves = await api.call.mmrApi.mmrLeafCount();
  assert.ok(leaves.isOk && leaves.asOk.toNumber() >= beefyNumber, `leaf count ${leaves}`);

  // The set BeefyClient is deployed with: Alice's key alone, id and length.
  const set = await api.call.beefyMmrApi.authoritySetProof();
  assert.equal(set.len.toNumber(), 1);
});

test('instant sealing is refused outside development chains', () => {
  const result = spawnSync(nodeBinary(), ['--chain', 'local', '--tmp', '--sealing', 'instant', '--no-mdns', '--no-telemetry', '--listen-addr', '/ip4/127.0.0.1/tcp/0', '--rpc-port', '0', '--no-prometheus'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.notEqual(result.status, 0);
  assert.match(result.stderr + result.stdout, /only for development chains/);
});

test('the node stops cleanly on SIGINT', async () => {
  const exit = await node.stop();
  node = null;
  assert.deepEqual(exit, { code: 0, signal: null });
});
