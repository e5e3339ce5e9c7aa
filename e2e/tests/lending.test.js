// Lending through polkadot.js on the real node, off-chain workers on: an LRT valued from proven
// Ethereum data (real Sepolia validator proofs make its data fresh; the gateway's proven report
// sets its rate), a market lending ETH against it, borrowers at different leverage. A proven
// EigenLayer slash lowers the rate and the market liquidates, in the same block, exactly the
// positions under the threshold. Then governance tightens the market (no rate drop, so no
// hook): the validators' keeper finds the position that became unhealthy and liquidates it
// through an authorized transaction, without anyone sending anything.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { u8aToHex } from '@polkadot/util';
import { startDevNode, sendAndFinalize, eventsOf, devAccounts } from '../lib/node.js';
import { LRT, ETH_ASSET, ETH, FIXED, PERBILL, marketParams as params, scaleArg, setUpValuedLrt, sudo as sudoAs } from '../lib/lending.js';

let node;
let api;
let accounts;
let market;

const sudo = (call) => sudoAs(api, accounts.alice, call);

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
  node = await startDevNode({ name: 'lending', extraArgs: ['--sealing', 'instant', '--offchain-worker', 'always'] });
  api = node.api;
  const { slashing } = await setUpValuedLrt(api, accounts);
  accounts.slashing = slashing;
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

  // Ferdie's 1,001 ETH came through the bridge (a proven depositEth, in setUpValuedLrt). The first
  // payment of an asset into the markets' account also pays that asset's minimum balance
  // (`lending.AccountEndowed`), which keeps the account alive.
  assert.equal((await api.query.assets.account(ETH_ASSET, ferdie.address)).unwrap().balance.toBigInt(), 1_001n * ETH);
  await sendAndFinalize(api, api.tx.lending.supply(market, 1_000n * ETH), ferdie);
  const lender = await api.call.lendingApi.lender(market, ferdie.address);
  assert.equal(lender.assets.toBigInt(), 1_000n * ETH);

  // Four borrowers of 100 LRT (103 ETH of backing), at 89.9 %, 89 %, 87 % and 80 % of it.
  const borrowers = [[bob, 899n], [charlie, 890n], [dave, 870n], [eve, 800n]];
  await sendAndFinalize(api, api.tx.utility.batchAll(
    // One planck more: the LRT's minimum balance, paid by the first depositor.
    borrowers.map(([who]) => api.tx.assets.transfer(LRT, who.address, 100n * ETH + 1n)),
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
  const slashing = scaleArg(api, api.tx.lrtBacking.submitAvsSlashing, 0, accounts.slashing);
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
  // worker reported in epoch 0. As the only reporter it is the quorum, but an epoch is judged
  // when it ends (block 600, an hour): until then nothing is accepted.
  const [epoch, reporters] = await api.call.riskApi.reporters();
  assert.equal(epoch.toNumber(), 0);
  assert.deepEqual(reporters.map(([key, reported]) => [key.toHex(), reported.isTrue]), [[u8aToHex(alice.publicKey), true]]);
  assert.equal((await api.call.riskApi.lastEpoch()).isNone, true);
  // The model over the current state: the LRT's stakes (60/40) and the slashed operator.
  const score = (await api.call.riskApi.compute(LRT)).unwrap();
  assert.equal(score.concentration.toNumber(), 520);
  assert.equal(score.operators.toNumber(), 240);
  assert.ok(score.score.toNumber() > 0 && score.score.toNumber() <= 1000);
  assert.equal((await api.call.riskApi.tiers()).length, 4);
});
