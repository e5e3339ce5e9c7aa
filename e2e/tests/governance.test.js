// Governance through polkadot.js on the real node, Aura + GRANDPA (6 s blocks, so the delays are
// real blocks): the `development` preset's council and technical committee are Alice alone, so a
// motion of threshold 1 executes at once; the parameters delay is 5 blocks. The council changes a
// market only through `governance.scheduleParameters`, after the delay; the committee tightens at
// once and cannot loosen; safe mode filters ordinary transactions while blocks go on, and ends
// early only by the council's scheduled `forceExit`. Sudo only sets up the markets.
// docs/governance.md; the same rules through the runtime: integration-tests/src/governance.rs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { blake2AsHex } from '@polkadot/util-crypto';
import { startDevNode, sendAndFinalize, eventsOf, devAccounts, describeError, waitForHeader } from '../lib/node.js';
import { ETH_ASSET, marketParams, sudo as sudoAs } from '../lib/lending.js';

/** The `development` preset's `governance.parametersDelay`. */
const PARAMETERS_DELAY = 5;
/** How long the committee's `safeMode.forceEnter` lasts: a day of 6 s blocks. */
const COMMITTEE_SAFE_MODE_BLOCKS = 24 * 600;
const BAL = 1_000_000_000_000n;
/** A motion and the wait for its enactment: about 8 blocks of 6 s, with room for slow CI. */
const TIMEOUT = 300_000;
/**
 * Transactions are awaited in their block (read there with `api.at`), not finalized: GRANDPA lags
 * two or three blocks, and the tests wait for finality where it matters (the enactment blocks).
 */
const INCLUDED = { inBlock: true };

let node;
let api;
let accounts;

before(async () => {
  accounts = devAccounts();
  node = await startDevNode({ name: 'governance' });
  api = node.api;
});

after(async () => {
  if (node) {
    const exit = await node.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, 'node stopped cleanly');
  }
});

/** A fresh collateral asset (sudo, setup only) and a market lending ETH against it. */
async function createMarket(collateral) {
  const { events } = await sudoAs(api, accounts.alice, api.tx.utility.batchAll([
    api.tx.assets.forceCreate(collateral, accounts.alice.address, true, 1),
    api.tx.lending.createMarket(collateral, ETH_ASSET, marketParams()),
  ]), INCLUDED);
  const [created] = eventsOf(events, 'lending', 'MarketCreated');
  assert.ok(created, 'lending.MarketCreated');
  return created.event.data.market.toNumber();
}

/**
 * A one-member motion of `collective` (`council` or `technicalCommittee`) by Alice, threshold 1:
 * it executes in its own block. Returns that block (hash and number), the extrinsic's events and
 * the motion's `Executed` error name (null when the call succeeded).
 */
async function motion(collective, call) {
  const propose = api.tx[collective].propose(1, call, call.method.encodedLength);
  const { events, blockHash } = await sendAndFinalize(api, propose, accounts.alice, INCLUDED);
  const executed = eventsOf(events, collective, 'Executed');
  assert.equal(executed.length, 1, `one ${collective}.Executed`);
  const { result } = executed[0].event.data;
  const number = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
  return { events, blockHash, number, error: result.isErr ? describeError(api, result.asErr) : null };
}

/** Resolves once block `number` is finalized; returns the hash of block `number`. */
async function finalizedBlock(number) {
  await waitForHeader((cb) => api.rpc.chain.subscribeFinalizedHeads(cb), (h) => h.number.toNumber() >= number, TIMEOUT, `finalized block #${number}`);
  return api.rpc.chain.getBlockHash(number);
}

async function eventsAt(blockHash) {
  return (await api.at(blockHash)).query.system.events();
}

async function marketAt(blockHash, market) {
  return (await (await api.at(blockHash)).query.lending.markets(market)).unwrap();
}

/** The `governance.Scheduled` event among `events`: the change's number and its enactment block. */
function scheduled(events) {
  const found = eventsOf(events, 'governance', 'Scheduled');
  assert.equal(found.length, 1, 'one governance.Scheduled');
  // By position: the event data is an array, whose `at` is Array.prototype.at.
  const [id, track, callHash, at] = found[0].event.data;
  return { id: id.toNumber(), track: track.type, callHash: callHash.toHex(), at: at.toNumber() };
}

/** Asserts that block `blockHash` enacted change `id` and that its call succeeded. */
async function assertEnacted(blockHash, id) {
  const enacted = eventsOf(await eventsAt(blockHash), 'governance', 'Enacted');
  assert.equal(enacted.length, 1, 'one governance.Enacted in the enactment block');
  const { data } = enacted[0].event;
  assert.equal(data.id.toNumber(), id);
  assert.equal(data.track.type, 'Parameters');
  assert.equal(data.result.isOk, true, `the enacted call failed: ${data.result.isErr ? describeError(api, data.result.asErr) : ''}`);
}

test('a council motion tightens a market after its delay', { timeout: TIMEOUT }, async () => {
  const market = await createMarket(2001);
  const original = marketParams();
  const tighter = marketParams({ ltv: 88, threshold: 91 });
  const setParams = api.tx.lending.setParams(market, tighter);

  // The council's own origin is refused: a parameter change must wait.
  const direct = await motion('council', setParams);
  assert.equal(direct.error, 'BadOrigin');
  assert.equal((await marketAt(direct.blockHash, market)).params.ltv.toNumber(), original.ltv);

  const motioned = await motion('council', api.tx.governance.scheduleParameters(setParams));
  assert.equal(motioned.error, null);
  const change = scheduled(motioned.events);
  assert.equal(change.track, 'Parameters');
  assert.equal(change.at, motioned.number + PARAMETERS_DELAY);
  // What users see coming: `governance.pending` holds the change, its call's hash and its block.
  const pending = await api.query.governance.pending.entries();
  const ours = pending.filter(([key]) => key.args[0].toNumber() === change.id);
  assert.equal(ours.length, 1, 'the change is in governance.pending');
  const entry = ours[0][1].unwrap();
  assert.equal(entry.track.type, 'Parameters');
  assert.equal(entry.at.toNumber(), motioned.number + PARAMETERS_DELAY);
  assert.equal(entry.callHash.toHex(), blake2AsHex(setParams.method.toU8a()));
  assert.equal(change.callHash, entry.callHash.toHex());

  // Every block up to the one before enactment has the old parameters and the change pending; the
  // enactment block has the new ones and the change gone.
  const atHash = await finalizedBlock(change.at);
  for (let n = motioned.number; n < change.at; n++) {
    const hash = await api.rpc.chain.getBlockHash(n);
    const { params } = await marketAt(hash, market);
    assert.equal(params.ltv.toNumber(), original.ltv, `ltv at block #${n}`);
    assert.equal(params.liquidationThreshold.toNumber(), original.liquidationThreshold, `threshold at block #${n}`);
    assert.equal((await (await api.at(hash)).query.governance.pending(change.id)).isSome, true, `pending at block #${n}`);
    assert.equal(eventsOf(await eventsAt(hash), 'governance', 'Enacted').length, 0, `nothing enacted at block #${n}`);
  }
  const { params } = await marketAt(atHash, market);
  assert.equal(params.ltv.toNumber(), tighter.ltv);
  assert.equal(params.liquidationThreshold.toNumber(), tighter.liquidationThreshold);
  await assertEnacted(atHash, change.id);
  assert.ok(eventsOf(await eventsAt(atHash), 'lending', 'ParamsUpdated').length === 1, 'lending.ParamsUpdated');
  assert.equal((await (await api.at(atHash)).query.governance.pending(change.id)).isNone, true);
});

test('the technical committee pauses a market at once and cannot unpause it', { timeout: TIMEOUT }, async () => {
  const market = await createMarket(2002);
  const stateAt = async (blockHash) => (await marketAt(blockHash, market)).state.type;

  const paused = await motion('technicalCommittee', api.tx.lending.setState(market, 'BorrowPaused'));
  assert.equal(paused.error, null);
  // In the motion's own block; the block before it still had the market active.
  assert.equal(await stateAt(paused.blockHash), 'BorrowPaused');
  const parent = (await api.rpc.chain.getHeader(paused.blockHash)).parentHash;
  assert.equal(await stateAt(parent), 'Active');
  assert.equal(eventsOf(paused.events, 'lending', 'StateChanged').length, 1, 'lending.StateChanged');

  const unpaused = await motion('technicalCommittee', api.tx.lending.setState(market, 'Active'));
  assert.equal(unpaused.error, 'lending.NotProtective');
  assert.equal(eventsOf(unpaused.events, 'lending', 'StateChanged').length, 0);
  // The pause stays, in the refused motion's block once it is final.
  assert.equal(await stateAt(await finalizedBlock(unpaused.number)), 'BorrowPaused');
});

test("safe mode: the committee enters it at once; transfers are filtered; the council's scheduled forceExit ends it", { timeout: TIMEOUT }, async () => {
  const { bob, charlie } = accounts;
  const entered = await motion('technicalCommittee', api.tx.safeMode.forceEnter());
  assert.equal(entered.error, null);
  const until = (await (await api.at(entered.blockHash)).query.safeMode.enteredUntil()).unwrap().toNumber();
  assert.equal(until, entered.number + COMMITTEE_SAFE_MODE_BLOCKS);
  assert.equal(eventsOf(entered.events, 'safeMode', 'Entered').length, 1, 'safeMode.Entered');

  // An ordinary transfer is included (Bob pays its fee) but filtered: nothing moves.
  const charlieBefore = (await api.query.system.account(charlie.address)).data.free.toBigInt();
  const filtered = await sendAndFinalize(api, api.tx.balances.transferKeepAlive(charlie.address, BAL), bob, { expectFailure: true, ...INCLUDED });
  assert.equal(filtered.error, 'system.CallFiltered');
  assert.equal(eventsOf(filtered.events, 'system', 'ExtrinsicFailed').length, 1, 'system.ExtrinsicFailed');
  assert.equal(eventsOf(filtered.events, 'balances', 'Transfer').length, 0);
  const charlieDuring = (await (await api.at(filtered.blockHash)).query.system.account(charlie.address)).data.free.toBigInt();
  assert.equal(charlieDuring, charlieBefore);

  // The committee cannot leave it; the council can, after its delay.
  const refused = await motion('technicalCommittee', api.tx.safeMode.forceExit());
  assert.equal(refused.error, 'BadOrigin');
  const motioned = await motion('council', api.tx.governance.scheduleParameters(api.tx.safeMode.forceExit()));
  assert.equal(motioned.error, null);
  const change = scheduled(motioned.events);
  assert.equal(change.at, motioned.number + PARAMETERS_DELAY);

  // Blocks are authored and finalized all through safe mode, up to the enactment block.
  const atHash = await finalizedBlock(change.at);
  const before = await api.rpc.chain.getBlockHash(change.at - 1);
  assert.equal((await (await api.at(before)).query.safeMode.enteredUntil()).unwrap().toNumber(), until);
  assert.equal((await (await api.at(atHash)).query.safeMode.enteredUntil()).isNone, true);
  await assertEnacted(atHash, change.id);
  const exited = eventsOf(await eventsAt(atHash), 'safeMode', 'Exited');
  assert.equal(exited.length, 1, 'safeMode.Exited');
  assert.equal(exited[0].event.data.reason.type, 'Force', 'forced out, not timed out');

  const transferred = await sendAndFinalize(api, api.tx.balances.transferKeepAlive(charlie.address, BAL), bob);
  const [transfer] = eventsOf(transferred.events, 'balances', 'Transfer');
  assert.ok(transfer, 'balances.Transfer');
  assert.equal(transfer.event.data.amount.toBigInt(), BAL);
  const charlieAfter = (await (await api.at(transferred.blockHash)).query.system.account(charlie.address)).data.free.toBigInt();
  assert.equal(charlieAfter, charlieBefore + BAL);
});
