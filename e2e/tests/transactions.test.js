// Transactions through polkadot.js against an instant-sealing dev node: every transaction gets its
// own block at once, finalized, so these tests are fast and deterministic.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { stringToU8a, u8aConcat } from '@polkadot/util';
import { startDevNode, sendAndFinalize, eventsOf, devAccounts } from '../lib/node.js';

const BAL = 1_000_000_000_000n;
let node;
let api;
let alice;
let bob;
let charlie;

before(async () => {
  node = await startDevNode({ name: 'instant', extraArgs: ['--sealing', 'instant'] });
  api = node.api;
  ({ alice, bob, charlie } = devAccounts());
});

after(async () => {
  if (node) {
    const exit = await node.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, 'node stopped cleanly');
  }
});

test('a signed balance transfer emits Transfer and moves the funds', async () => {
  const dest = new Keyring({ type: 'sr25519' }).addFromUri('//Ballast//e2e//transfer');
  // Charlie, not Alice: Alice authors the dev chain's blocks and is paid from the validators' pot.
  const before = (await api.query.system.account(charlie.address)).data.free.toBigInt();
  const { events } = await sendAndFinalize(api, api.tx.balances.transferAllowDeath(dest.address, 3n * BAL), charlie);
  const [transfer] = eventsOf(events, 'balances', 'Transfer');
  assert.ok(transfer, 'Balances.Transfer event');
  assert.equal(transfer.event.data.amount.toBigInt(), 3n * BAL);
  const [fee] = eventsOf(events, 'transactionPayment', 'TransactionFeePaid');
  assert.ok(fee, 'fee paid');
  const after = (await api.query.system.account(charlie.address)).data.free.toBigInt();
  assert.equal(before - after, 3n * BAL + fee.event.data.actualFee.toBigInt());
  assert.equal((await api.query.system.account(dest.address)).data.free.toBigInt(), 3n * BAL);
});

test('bridged ETH is a pallet-assets asset from genesis, every role held by the keyless bridge account, none of it minted', async () => {
  const details = (await api.query.assets.asset(1)).unwrap();
  assert.equal(details.isSufficient.toHuman(), true);
  // The bridge pallet's account: "modl" ++ its PalletId (b"bal/brdg"), zero-padded to 32 bytes.
  const bridge = api.createType('AccountId', u8aConcat(stringToU8a('modlbal/brdg'), new Uint8Array(20))).toString();
  for (const role of ['owner', 'issuer', 'admin', 'freezer']) {
    assert.equal(details[role].toString(), bridge, role);
  }
  assert.equal(details.supply.toBigInt(), 0n);
  // Alice, the old owner and the sudo key, cannot mint it herself.
  const { error } = await sendAndFinalize(api, api.tx.assets.mint(1, alice.address, 10n ** 18n), alice, { expectFailure: true });
  assert.equal(error, 'assets.NoPermission');
  const metadata = await api.query.assets.metadata(1);
  assert.equal(metadata.symbol.toUtf8(), 'ETH');
  assert.equal(metadata.decimals.toNumber(), 18);
});

test('governance creates an asset; its owner mints; holders transfer', async () => {
  const id = 4242;
  const created = await sendAndFinalize(
    api,
    api.tx.sudo.sudo(api.tx.assets.forceCreate(id, alice.address, false, 1_000n)),
    alice,
  );
  assert.equal(eventsOf(created.events, 'sudo', 'Sudid')[0].event.data.sudoResult.isOk, true);
  assert.ok(eventsOf(created.events, 'assets', 'ForceCreated')[0], 'Assets.ForceCreated');

  const meta = await sendAndFinalize(api, api.tx.assets.setMetadata(id, 'Test restaked ETH', 'tLRT', 18), alice);
  assert.ok(eventsOf(meta.events, 'assets', 'MetadataSet')[0], 'Assets.MetadataSet');

  const amount = 10n ** 18n;
  const minted = await sendAndFinalize(api, api.tx.assets.mint(id, bob.address, amount), alice);
  const [issued] = eventsOf(minted.events, 'assets', 'Issued');
  assert.ok(issued, 'Assets.Issued');
  assert.equal(issued.event.data.amount.toBigInt(), amount);

  const moved = await sendAndFinalize(api, api.tx.assets.transfer(id, charlie.address, amount / 4n), bob);
  const [transferred] = eventsOf(moved.events, 'assets', 'Transferred');
  assert.ok(transferred, 'Assets.Transferred');
  const bobBalance = (await api.query.assets.account(id, bob.address)).unwrap().balance.toBigInt();
  const charlieBalance = (await api.query.assets.account(id, charlie.address)).unwrap().balance.toBigInt();
  assert.equal(bobBalance, amount - amount / 4n);
  assert.equal(charlieBalance, amount / 4n);
});

test('creating an asset without governance is rejected and changes nothing', async () => {
  const id = 777;
  const { error } = await sendAndFinalize(api, api.tx.assets.create(id, bob.address, 1n), bob, { expectFailure: true });
  assert.equal(error, 'BadOrigin');
  assert.equal((await api.query.assets.asset(id)).isNone, true);
});
