// The LRT bridge and the valuation through polkadot.js on the real node: governance installs the
// light-client checkpoint of an Ethereum block in which BallastGateway (run in revm by the
// `bridge_calls` example) took a deposit and reported its backing, and EigenLayer's
// AllocationManager slashed the LRT's larger operator. A relayer mints the deposit (free), a
// holder withdraws (committed in the block's digest, provable through the runtime API), the
// backing report sets the rate, and the proven slash lowers it at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { startDevNode, sendAndFinalize, eventsOf, devAccounts, exampleBinary } from '../lib/node.js';

const LRT = 1000;
const ETH = 10n ** 18n;
const FIXED = 10n ** 18n; // FixedU128's scale

let node;
let api;
let alice;
let bob;
let calls;

/** The story's call arguments, printed by the `bridge_calls` example (built by `cargo test`). */
function bridgeCalls(recipient) {
  return JSON.parse(execFileSync(exampleBinary('bridge_calls'), [recipient]).toString());
}

function scaleArg(method, index, hex) {
  return api.createType(method.meta.args[index].type.toString(), hexToU8a(hex));
}

async function sudo(call, signer = alice) {
  const { events } = await sendAndFinalize(api, api.tx.sudo.sudo(call), signer);
  const [sudid] = eventsOf(events, 'sudo', 'Sudid');
  assert.equal(sudid.event.data.sudoResult.isOk, true, `${call.method.section}.${call.method.method} failed`);
  return events;
}

before(async () => {
  ({ alice, bob } = devAccounts());
  calls = bridgeCalls(u8aToHex(alice.publicKey));
  node = await startDevNode({ name: 'bridge', extraArgs: ['--sealing', 'instant'] });
  api = node.api;
  await sudo(api.tx.ethereumBeaconClient.forceCheckpoint(
    scaleArg(api.tx.ethereumBeaconClient.forceCheckpoint, 0, calls.checkpoint),
  ));
  await sudo(api.tx.lrtBridge.registerLrt(LRT, calls.token, calls.gateway, 100n * ETH, 100));
  await sudo(api.tx.assets.forceSetMetadata(LRT, 'Renzo ezETH', 'ezETH', 18, false));
});

after(async () => {
  if (node) {
    const exit = await node.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, 'node stopped cleanly');
  }
});

test('a proven gateway deposit mints the LRT, once, for free', async () => {
  const deposit = scaleArg(api.tx.lrtBridge.submitDeposit, 0, calls.deposit);
  const { events } = await sendAndFinalize(api, api.tx.lrtBridge.submitDeposit(deposit), bob);
  const [minted] = eventsOf(events, 'lrtBridge', 'Deposited');
  assert.equal(minted.event.data.amount.toBigInt(), 10n * ETH);
  assert.equal(minted.event.data.recipient.toString(), alice.address);
  const [fee] = eventsOf(events, 'transactionPayment', 'TransactionFeePaid');
  assert.equal(fee.event.data.actualFee.toBigInt(), 0n, 'a valid deposit is free');

  const account = await api.query.assets.account(LRT, alice.address);
  assert.equal(account.unwrap().balance.toBigInt(), 10n * ETH);
  const profile = (await api.call.lrtBridgeApi.lrt(LRT)).unwrap();
  assert.equal(profile.gateway.toHex(), calls.gateway);
  assert.equal(profile.state.toString(), 'Active');

  const replay = await sendAndFinalize(api, api.tx.lrtBridge.submitDeposit(deposit), bob, { expectFailure: true });
  assert.equal(replay.error, 'lrtBridge.NonceAlreadyUsed');
  const totals = await api.call.lrtBridgeApi.totals(LRT);
  assert.equal(totals.deposited.toBigInt(), 10n * ETH);
});

test('a withdrawal burns and is committed in the header digest with a Merkle proof', async () => {
  const recipient = '0x' + 'ee'.repeat(20);
  const { events, blockHash } = await sendAndFinalize(api, api.tx.lrtBridge.withdraw(LRT, 4n * ETH, recipient), alice);
  const [queued] = eventsOf(events, 'lrtBridge', 'WithdrawalQueued');
  const nonce = queued.event.data.nonce.toNumber();
  // Committed at the end of the block (finalization phase), not by the extrinsic.
  const blockEvents = await (await api.at(blockHash)).query.system.events();
  const [committed] = eventsOf(blockEvents, 'lrtBridge', 'WithdrawalsCommitted');
  const root = committed.event.data.root.toHex();

  const header = await api.rpc.chain.getHeader(blockHash);
  const digest = header.digest.logs.find((log) => log.isOther && u8aToHex(log.asOther.slice(0, 4)) === u8aToHex(new TextEncoder().encode('bwdr')));
  assert.ok(digest, 'the withdrawal root is in the header digest');
  assert.equal(u8aToHex(digest.asOther.slice(4)), root);

  const proof = (await api.call.lrtBridgeApi.withdrawalProof(nonce)).unwrap();
  assert.equal(proof.root.toHex(), root);
  assert.equal(proof.leafCount.toNumber(), 1);
  const balance = (await api.query.assets.account(LRT, alice.address)).unwrap().balance.toBigInt();
  assert.equal(balance, 6n * ETH);
  assert.equal((await api.call.lrtBridgeApi.totals(LRT)).withdrawn.toBigInt(), 4n * ETH);
});

test('the proven backing report sets the rate and a proven AVS slash lowers it at once', async () => {
  await sudo(api.tx.lrtBacking.setParams(LRT, {
    maxYearlyGrowth: 100_000_000, // 10%
    maxSnapshotAge: 7 * 24 * 3600,
    maxProofAgeSlots: 7200,
    totalActiveBalanceGwei: 34_000_000n * 10n ** 9n,
    exitPenalty: 3_000_000, // 0.3%
    recognitionDelay: 40 * 24 * 3600,
    maxUnprovenFall: 10_000_000, // 1 % per snapshot; the rest waits for confirmation
    fallConfirmationDelay: 24 * 3600,
    circuitBreakerFall: 100_000_000, // 10 % within the window pauses borrowing
    circuitBreakerWindow: 24 * 3600,
  }));
  await sudo(api.tx.lrtBacking.setAllocationManager(calls.allocationManager));
  const report = scaleArg(api.tx.lrtBacking.submitBackingReport, 0, calls.report);
  await sendAndFinalize(api, api.tx.lrtBacking.submitBackingReport(report), bob);
  const rate = (await api.call.lrtBackingApi.backingRate(LRT)).unwrap().toBigInt();
  assert.equal(rate, 1030n * FIXED / 1000n);
  // No validator of the LRT is proven (the light client has no recent validator proofs): the
  // valuation is stale, so borrowing is blocked; liquidations still have a rate.
  assert.equal((await api.call.lrtBackingApi.borrowRate(LRT)).isNone, true);
  const parts = (await api.call.lrtBackingApi.components(LRT)).unwrap();
  assert.equal(parts.stale.isTrue, true);

  const slashing = scaleArg(api.tx.lrtBacking.submitAvsSlashing, 0, calls.slashing);
  const { events } = await sendAndFinalize(api, api.tx.lrtBacking.submitAvsSlashing(slashing), bob);
  // Operator 0x0a… holds 60% of the 1,030 ETH; 10% of it is slashed: 61.8 ETH.
  const [loss] = eventsOf(events, 'lrtBacking', 'LossBooked');
  assert.equal(loss.event.data.wei.toBigInt(), 61_800n * ETH / 1000n);
  const [changed] = eventsOf(events, 'lrtBacking', 'RateChanged');
  const lowered = changed.event.data.current.toBigInt();
  assert.equal(lowered, (1_030_000n - 61_800n) * FIXED / 1_000_000n);
  assert.equal((await api.call.lrtBackingApi.backingRate(LRT)).unwrap().toBigInt(), lowered);
  const history = await api.call.lrtBackingApi.history(LRT);
  assert.deepEqual(history.map((entry) => entry.rate.toBigInt()), [rate, lowered]);

  const again = await sendAndFinalize(api, api.tx.lrtBacking.submitAvsSlashing(slashing), bob, { expectFailure: true });
  assert.equal(again.error, 'lrtBacking.AlreadyBooked');
});
