// Load probe (issue 19, not a test): a burst of pre-signed transfers from many accounts; counts
// what the RPC accepted, what was included and what the pool dropped. docs/running-a-node.md
// quotes its figures.
//   node e2e/load.mjs [accounts=40] [perAccount=150] [node flags…]
//   ORDER=shuffle (random order) or ORDER=account (each account's nonces in a row); default:
//   nonce order across accounts.
import { startDevNode, sendAndFinalize, devAccounts } from './lib/node.js';
import { Keyring } from '@polkadot/keyring';

const ACCOUNTS = Number(process.argv[2] ?? 40);
const PER = Number(process.argv[3] ?? 150);
const extra = process.argv.slice(4);
const node = await startDevNode({ name: 'load', extraArgs: extra });
const { api } = node;
const { alice } = devAccounts();
const keyring = new Keyring({ type: 'sr25519' });
const senders = Array.from({ length: ACCOUNTS }, (_, i) => keyring.addFromUri(`//load//${i}`));
const BAL = 1_000_000_000_000n;
// Fund senders in one batch.
await sendAndFinalize(api, api.tx.utility.batchAll(senders.map((s) => api.tx.balances.transferKeepAlive(s.address, 1000n * BAL))), alice);
const dest = keyring.addFromUri('//load//dest').address;
console.log('signing', ACCOUNTS * PER);
const txs = [];
for (let n = 0; n < PER; n++) for (const s of senders) {
  txs.push(await api.tx.balances.transferKeepAlive(dest, BAL).signAsync(s, { nonce: n, era: 0 }));
}
if (process.env.ORDER === 'shuffle') {
  for (let i = txs.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [txs[i], txs[j]] = [txs[j], txs[i]];
  }
} else if (process.env.ORDER === 'account') {
  const byAccount = [];
  for (let a = 0; a < ACCOUNTS; a += 1) for (let n = 0; n < PER; n += 1) byAccount.push(txs[n * ACCOUNTS + a]);
  txs.splice(0, txs.length, ...byAccount);
}
const start = Date.now();
let accepted = 0, refused = 0; const errors = {};
await Promise.all(txs.map((tx) => api.rpc.author.submitExtrinsic(tx).then(() => accepted++, (e) => { refused++; errors[e.message] = (errors[e.message] ?? 0) + 1; })));
console.log(`submitted in ${Date.now() - start} ms: accepted ${accepted}, refused ${refused}`, errors);
const status = async () => { const p = await api.rpc.author.pendingExtrinsics(); return p.length; };
let lastIncluded = -1; let stable = 0;
for (let i = 0; i < 120; i++) {
  await new Promise((r) => setTimeout(r, 3000));
  const nonces = await Promise.all(senders.map((s) => api.rpc.system.accountNextIndex(s.address)));
  const onChain = (await Promise.all(senders.map((s) => api.query.system.account(s.address)))).reduce((a, x) => a + x.nonce.toNumber(), 0);
  const pending = await status();
  console.log(`t=${(Date.now() - start) / 1000}s included ${onChain} pending ${pending}`);
  if (onChain === lastIncluded && pending === 0) { if (++stable >= 3) break; } else stable = 0;
  lastIncluded = onChain;
}
const exit = await node.stop();
console.log('exit', exit, 'log', node.logFile);
process.exit(0);
