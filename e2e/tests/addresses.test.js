// Ballast's own address format (SS58 prefix 7771, what docs/users.md tells users to create) in the
// node's RPCs: `system_accountNextIndex` must take it. Before the node set its default SS58
// version at start-up, sp-core refused the prefix ("Unknown SS58 address format `7771`"), so
// wallets and tools that ask the node for an account's next nonce failed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { startDevNode, sendAndFinalize, devAccounts } from '../lib/node.js';

const SS58_PREFIX = 7771;
let node;
let api;

before(async () => {
  node = await startDevNode({ name: 'addresses', extraArgs: ['--sealing', 'instant'] });
  api = node.api;
});

after(async () => {
  if (node) {
    const exit = await node.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, 'node stopped cleanly');
  }
});

/** Raw JSON-RPC over the node's HTTP endpoint: no client-side fallback can hide an error. */
async function rpc(method, params) {
  const response = await fetch(node.rpcUrl.replace('ws://', 'http://'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return response.json();
}

test('system_accountNextIndex takes an address in Ballast\'s format and counts signed transactions', async () => {
  const { alice, bob } = devAccounts();
  assert.equal(api.registry.chainSS58, SS58_PREFIX, 'the chain spec announces the prefix');
  assert.ok(alice.address.startsWith('fF'), `a Ballast address: ${alice.address}`);

  const before = await rpc('system_accountNextIndex', [alice.address]);
  assert.equal(before.error, undefined, `RPC error: ${JSON.stringify(before.error)}`);
  const onChain = (await api.call.accountNonceApi.accountNonce(alice.address)).toNumber();
  assert.equal(before.result, onChain);

  await sendAndFinalize(api, api.tx.balances.transferKeepAlive(bob.address, 10n ** 12n), alice, { inBlock: true });
  const after = await rpc('system_accountNextIndex', [alice.address]);
  assert.equal(after.result, onChain + 1);

  // The generic Substrate format (42) of the same key still answers the same: the node reads the
  // public key whatever the prefix it is written with.
  const generic = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice').address;
  assert.notEqual(generic, alice.address);
  assert.equal((await rpc('system_accountNextIndex', [generic])).result, onChain + 1);
});

test('polkadot.js asks the node for the nonce with a Ballast address and gets no error', async () => {
  const { alice } = devAccounts();
  // What signAndSend calls first; it throws if the RPC answers an error.
  const nonce = await api.rpc.system.accountNextIndex(alice.address);
  assert.equal(nonce.toNumber(), (await api.call.accountNonceApi.accountNonce(alice.address)).toNumber());
});
