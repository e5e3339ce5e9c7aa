// Lending through polkadot.js on the real node, off-chain workers on: an LRT valued from proven
// Ethereum data (real Sepolia validator proofs make its data fresh; the gateway's proven report
// sets its rate), a market lending ETH against it, borrowers at different leverage. A proven
// EigenLayer slash lowers the rate and the market liquidates, in the same block, exactly the
// positions under the threshold. Then governance tightens the market (no rate drop, so no
// hook): the validators' keeper finds the position that became unhealthy and liquidates it
// through an authorized transaction, without anyone sending anything.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { startDevNode, sendAndFinalize, eventsOf, devAccounts, exampleBinary } from '../lib/node.js';

const LRT = 1000;
const ETH_ASSET = 1;
const ETH = 10n ** 18n;
const FIXED = 10n ** 18n;
const PERBILL = 1_000_000_000n;

let node;
let api;
let accounts;
let market;

function scaleArg(method, index, hex) {
  return api.createType(method.meta.args[index].type.toString(), hexToU8a(hex));
}

async function sudo(call) {
  const { events, blockHash } = await sendAndFinalize(api, api.tx.sudo.sudo(call), accounts.alice);
  const [sudid] = eventsOf(events, 'sudo', 'Sudid');
  assert.equal(sudid.event.data.sudoResult.isOk, true, `${call.method.section}.${call.method.method} failed`);
  return { events, blockHash };
}

function params({ ltv = 90, threshold = 93 } = {}) {
  return {
    ltv: ltv * 10_000_000,
    liquidationThreshold: threshold * 10_000_000,
    baseDiscount: 10_000_000,
    maxDiscount: 200_000_000,
    targetHealth: 125n * FIXED / 100n,
    closeFactor: 500_000_000,
    fullLiquidationHealth: 95n * FIXED / 100n,
    minDebt: ETH / 100n,
    reserveFactor: 100_000_000,
    protocolFee: 100_000_000,
    supplyCap: 1_000_000n * ETH,
    borrowCap: 1_000_000n * ETH,
    interest: { base: 2n * FIXED / 100n, slopeLow: 4n * FIXED / 100n, slopeHigh: FIXED, kink: 900_000_000 },
  };
}

async function position(who) {
  return (await api.call.lendingApi.position(market, who.address)).unwrap();
}

async function liquidationsIn(blockHash) {
  const events = await (await api.at(blockHash)).query.system.events();
  return eventsOf(events, 'lending', 'Liquidated').map(({ event }) => ({
    borrower: event.data.borrower.toString(),
    byMarket: event.data.liquidator.isNone,
  }));
}

before(async () => {
  accounts = devAccounts();
  const { alice } = accounts;
  const sepolia = JSON.parse(execFileSync(exampleBinary('sepolia_calls'), { maxBuffer: 64 * 1024 * 1024 }).toString());
  const story = JSON.parse(execFileSync(exampleBinary('bridge_calls'), [u8aToHex(alice.publicKey), '400']).toString());
  node = await startDevNode({ name: 'lending', extraArgs: ['--sealing', 'instant', '--offchain-worker', 'always'] });
  api = node.api;

  // Real Sepolia validators back the LRT: their proofs keep its valuation fresh.
  const submitProofs = api.tx.validatorHealth.submitValidatorProofs;
  await sudo(api.tx.ethereumBeaconClient.forceCheckpoint(
    scaleArg(api.tx.ethereumBeaconClient.forceCheckpoint, 0, sepolia.checkpoint),
  ));
  await sudo(api.tx.utility.batchAll(
    sepolia.credentials.map(({ credentials }) => api.tx.validatorHealth.registerCredentials(LRT, credentials)),
  ));
  await sendAndFinalize(api, submitProofs(scaleArg(submitProofs, 0, sepolia.anchor), scaleArg(submitProofs, 1, sepolia.proofs)), accounts.charlie);

  // The gateway's block: Alice's deposit of 400 LRT, the backing report (1,030 ETH for 1,000 LRT).
  await sudo(api.tx.ethereumBeaconClient.forceCheckpoint(
    scaleArg(api.tx.ethereumBeaconClient.forceCheckpoint, 0, story.checkpoint),
  ));
  await sudo(api.tx.lrtBridge.registerLrt(LRT, story.token, story.gateway, 1_000n * ETH, 100));
  await sendAndFinalize(api, api.tx.lrtBridge.submitDeposit(scaleArg(api.tx.lrtBridge.submitDeposit, 0, story.deposit)), accounts.bob);
  await sudo(api.tx.lrtBacking.setParams(LRT, {
    maxYearlyGrowth: 100_000_000,
    // The harness's Ethereum blocks carry 2025 timestamps: the snapshot may be that old here.
    maxSnapshotAge: 3 * 365 * 24 * 3600,
    // The Sepolia proofs (slot 4,570,752) against the story's head (slot 4,600,000).
    maxProofAgeSlots: 50_000,
    totalActiveBalanceGwei: 34_000_000n * 10n ** 9n,
    exitPenalty: 3_000_000,
    recognitionDelay: 40 * 24 * 3600,
  }));
  await sudo(api.tx.lrtBacking.setAllocationManager(story.allocationManager));
  await sendAndFinalize(api, api.tx.lrtBacking.submitBackingReport(scaleArg(api.tx.lrtBacking.submitBackingReport, 0, story.report)), accounts.bob);
  accounts.slashing = story.slashing;
});

after(async () => {
  if (node) {
    const exit = await node.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, 'node stopped cleanly');
  }
});

test('lenders supply, borrowers borrow against the proven rate and read their health', async () => {
  const { alice, bob, charlie, dave, eve, ferdie } = accounts;
  assert.equal((await api.call.lrtBackingApi.borrowRate(LRT)).unwrap().toBigInt(), 1030n * FIXED / 1000n);

  const { events } = await sudo(api.tx.lending.createMarket(LRT, ETH_ASSET, params()));
  market = eventsOf(events, 'lending', 'MarketCreated')[0].event.data.market.toNumber();

  await sendAndFinalize(api, api.tx.assets.mint(ETH_ASSET, ferdie.address, 1_000n * ETH), alice);
  await sendAndFinalize(api, api.tx.lending.supply(market, 1_000n * ETH), ferdie);
  const lender = await api.call.lendingApi.lender(market, ferdie.address);
  assert.equal(lender.assets.toBigInt(), 1_000n * ETH);

  // Four borrowers of 100 LRT (103 ETH of backing), at 89.9 %, 89 %, 87 % and 80 % of it.
  const borrowers = [[bob, 899n], [charlie, 890n], [dave, 870n], [eve, 800n]];
  await sendAndFinalize(api, api.tx.utility.batchAll(
    borrowers.map(([who]) => api.tx.assets.transfer(LRT, who.address, 100n * ETH)),
  ), alice);
  for (const [who, permille] of borrowers) {
    await sendAndFinalize(api, api.tx.lending.depositCollateral(market, 100n * ETH), who);
    // 100 LRT · 1.03 · LTV 90 %.
    assert.equal((await api.call.lendingApi.maxBorrow(market, who.address)).toBigInt(), 92_700_000_000_000_000_000n);
    await sendAndFinalize(api, api.tx.lending.borrow(market, 103n * ETH * permille / 1000n), who);
  }
  const view = await position(bob);
  const borrowed = 103n * ETH * 899n / 1000n;
  const debt = view.debt.toBigInt();
  // A few blocks of interest (4 %/year at this utilisation) on top of what was borrowed.
  assert.ok(debt >= borrowed && debt - borrowed < ETH / 10_000n, `debt ${debt}`);
  // Health = 100 · 1.03 · 0.93 / debt ≈ 1.0345.
  assert.equal(view.weightedCollateral.toBigInt(), 95_790n * ETH / 1000n);
  assert.equal(view.health.unwrap().toBigInt(), 95_790n * ETH / 1000n * FIXED / debt);
  assert.equal(view.liquidatable.isTrue, false);

  // Over the limit: refused, nothing changes.
  const refused = await sendAndFinalize(api, api.tx.lending.borrow(market, ETH), bob, { expectFailure: true });
  assert.equal(refused.error, 'lending.InsufficientBorrowLimit');
  assert.ok((await position(bob)).debt.toBigInt() - debt < ETH / 10_000n);
  assert.equal((await api.query.assets.account(ETH_ASSET, bob.address)).unwrap().balance.toBigInt(), borrowed);
  const marketView = (await api.call.lendingApi.market(market)).unwrap();
  assert.ok(marketView.utilisation.toBigInt() > 0n);
  assert.equal((await api.call.lendingApi.liquidatable(market, null, 10)).length, 0);
});

test('a proven slash liquidates exactly the positions under the threshold in the same block', async () => {
  const { bob, charlie, dave, eve } = accounts;
  const slashing = scaleArg(api.tx.lrtBacking.submitAvsSlashing, 0, accounts.slashing);
  const { events, blockHash } = await sendAndFinalize(api, api.tx.lrtBacking.submitAvsSlashing(slashing), bob);
  const [started] = eventsOf(events, 'lending', 'PropagationStarted');
  assert.equal(started.event.data.market.toNumber(), market);
  const rate = (await api.call.lrtBackingApi.backingRate(LRT)).unwrap().toBigInt();
  assert.equal(rate, (1_030_000n - 61_800n) * FIXED / 1_000_000n);

  // on_idle of the same block worked the market off: events of the block, not of the extrinsic.
  const liquidated = await liquidationsIn(blockHash);
  assert.deepEqual(liquidated.map((l) => l.borrower).sort(), [bob.address, charlie.address].sort());
  assert.ok(liquidated.every((l) => l.byMarket));
  for (const who of [bob, charlie]) {
    const view = await position(who);
    assert.equal(view.liquidatable.isFalse, true);
    assert.ok(view.collateral.toBigInt() < 100n * ETH);
    // Restored to the target health 1.25.
    const health = view.health.unwrap().toBigInt();
    const off = health > 125n * FIXED / 100n ? health - 125n * FIXED / 100n : 125n * FIXED / 100n - health;
    assert.ok(off < FIXED / 1_000_000n, `health ${health}`);
  }
  for (const who of [dave, eve]) {
    const view = await position(who);
    assert.equal(view.collateral.toBigInt(), 100n * ETH, 'untouched');
    assert.equal(view.liquidatable.isFalse, true);
  }
  const marketView = (await api.call.lendingApi.market(market)).unwrap();
  assert.equal(marketView.propagating.isFalse, true);
  assert.ok(marketView.market.ledger.stock.toBigInt() > 0n);
});

test("the validators' keeper liquidates a position made unhealthy without a rate drop", async () => {
  const { dave, eve } = accounts;
  // LTV 90 → 85 %, threshold 93 → 88 % (the most one change may move them).
  const { blockHash } = await sudo(api.tx.lending.setParams(market, params({ ltv: 85, threshold: 88 })));
  const from = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
  // Read at that block: the keeper may already have acted in the next one.
  const atChange = await api.at(blockHash);
  assert.equal((await atChange.call.lendingApi.position(market, dave.address)).unwrap().liquidatable.isTrue, true);
  assert.equal((await atChange.call.lendingApi.position(market, eve.address)).unwrap().liquidatable.isTrue, false);
  const quote = (await atChange.call.lendingApi.liquidationQuote(market, dave.address)).unwrap();
  assert.ok(quote.repay.toBigInt() > 0n && quote.seize.toBigInt() > 0n);
  assert.ok(quote.discount.toBigInt() >= PERBILL / 100n);

  // Nobody sends anything: the off-chain worker does.
  const deadline = Date.now() + 60_000;
  let found;
  while (!found) {
    assert.ok(Date.now() < deadline, 'the keeper did not liquidate within 60 s');
    await new Promise((r) => setTimeout(r, 500));
    const head = (await api.rpc.chain.getHeader()).number.toNumber();
    for (let n = from + 1; n <= head && !found; n++) {
      const hash = await api.rpc.chain.getBlockHash(n);
      const block = await api.rpc.chain.getBlock(hash);
      const index = block.block.extrinsics.findIndex((xt) => xt.method.section === 'lending' && xt.method.method === 'liquidateUnhealthy');
      if (index >= 0) found = { hash, xt: block.block.extrinsics[index] };
    }
  }
  assert.equal(found.xt.isSigned, false, 'an authorized transaction: no signer');
  assert.equal(found.xt.method.args[1].toString(), dave.address);
  const liquidated = await liquidationsIn(found.hash);
  assert.deepEqual(liquidated, [{ borrower: dave.address, byMarket: true }]);
  assert.equal((await position(dave)).liquidatable.isFalse, true);
  assert.equal((await position(eve)).collateral.toBigInt(), 100n * ETH, 'the healthy position is untouched');
  assert.equal((await api.call.lendingApi.liquidatable(market, null, 10)).length, 0);
});

test("the validator's off-chain worker reported risk scores with its session's risk key", async () => {
  const { alice } = accounts;
  // The dev node's `--alice` put the `risk` key (//Alice, sr25519) in its keystore; its off-chain
  // worker reported in the first block of epoch 0, and as the only reporter it was the quorum.
  const [epoch, reporters] = await api.call.riskApi.reporters();
  assert.equal(epoch.toNumber(), 0);
  assert.deepEqual(reporters.map(([key, reported]) => [key.toHex(), reported.isTrue]), [[u8aToHex(alice.publicKey), true]]);
  assert.equal((await api.call.riskApi.lastEpoch()).unwrap().toNumber(), 0);
  // The model over the current state: the LRT's stakes (60/40) and the slashed operator.
  const score = (await api.call.riskApi.compute(LRT)).unwrap();
  assert.equal(score.concentration.toNumber(), 520);
  assert.equal(score.operators.toNumber(), 240);
  assert.ok(score.score.toNumber() > 0 && score.score.toNumber() <= 1000);
  assert.equal((await api.call.riskApi.tiers()).length, 4);
});
