// The transaction pool under a burst (issue 19): on an Aura dev node with the default
// fork-aware pool, transactions whose nonces run ahead of the account's wait in the *future*
// queue, which holds a tenth of --pool-limit (819 by default). Past it the pool evicts the oldest
// ones. A submitter that watches what it sends (author_submitAndWatchExtrinsic, what
// polkadot.js's signAndSend with a callback and subxt's submit_and_watch use) is told `Dropped`
// for each: no accepted transaction disappears without a word. docs/running-a-node.md explains
// the limits and the flags that raise them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDevNode, devAccounts } from '../lib/node.js';

// --pool-limit 1000 keeps the burst short: the future queue is a tenth of it (polkadot-sdk's
// fixed ratio; 819 with the default 8192).
const POOL_LIMIT = 1000;
const FUTURE_LIMIT = POOL_LIMIT / 10;
const SENT = FUTURE_LIMIT + 30;
let node;
let api;

before(async () => {
  node = await startDevNode({ name: 'pool', extraArgs: ['--pool-limit', String(POOL_LIMIT)] });
  api = node.api;
});

after(async () => {
  if (node) {
    const exit = await node.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, 'node stopped cleanly');
  }
});

test('a watched transaction evicted from a full future queue is reported dropped, never lost in silence', async () => {
  const { alice } = devAccounts();
  const next = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
  // Nonces next + 1 … next + SENT: all future until `next` is sent, so they fill the queue.
  const statuses = new Map();
  const settled = [];
  for (let i = 1; i <= SENT; i += 1) {
    const nonce = next + i;
    statuses.set(nonce, []);
    await api.tx.system
      .remark(`burst ${nonce}`)
      .signAndSend(alice, { nonce }, ({ status }) => {
        statuses.get(nonce).push(status.type);
        if (status.isDropped || status.isInvalid || status.isUsurped) settled.push(nonce);
      })
      .catch((error) => {
        // Refused at submission: a rejection the submitter sees.
        statuses.get(nonce).push(`Rejected: ${error.message}`);
        settled.push(nonce);
      });
  }
  // Let the pool settle its limits and tell the watchers.
  const deadline = Date.now() + 20_000;
  while (settled.length < SENT - FUTURE_LIMIT && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const last = (nonce) => statuses.get(nonce).at(-1);
  const waiting = [...statuses.keys()].filter((nonce) => last(nonce) === 'Future');
  const dropped = [...statuses.keys()].filter((nonce) => last(nonce) === 'Dropped');
  // Every transaction is accounted for: waiting in the future queue, or reported dropped.
  assert.equal(waiting.length, FUTURE_LIMIT, 'the future queue holds exactly its limit');
  assert.equal(dropped.length, SENT - FUTURE_LIMIT, 'every transaction over the limit was reported');
  assert.equal(settled.length, dropped.length);
  // The oldest go first: the evicted are the first sent (the lowest nonces).
  assert.deepEqual(dropped, [...statuses.keys()].slice(0, SENT - FUTURE_LIMIT));
});
