// Four Ballast validators (zombienet v1, native provider, loopback only) and the faults a
// production network must survive. The tests share one network and run in order: finality on
// every node, the lending keeper racing on all four validators, one validator killed and
// restarted, two killed (finality stalls, then resumes), a runtime upgrade, and a fifth validator
// that joins with a bond and leaves again. The `staging` chain runs the production runtime, which
// has no sudo: the keeper test's setup and tightening and the upgrade go through governance
// (e2e/lib/governance.js) as on a public network: the council (Alice, Bob, Charlie) and the
// technical committee (Dave, Eve) vote, and the changes run after the preset's delays (5 blocks
// for parameters, 10 for root changes).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start } from '@zombienet/orchestrator';
import { readNetworkConfig } from '@zombienet/utils';
import { connect, devAccounts, eventsOf, freePort, nodeBinary, rpcAnswers, sendAndFinalize } from '../../e2e/lib/node.js';
import { LRT, ETH_ASSET, ETH, marketParams, setUpValuedLrt } from '../../e2e/lib/lending.js';
import { codeHash as hashOfCode, governParameters, governRoot } from '../../e2e/lib/governance.js';

const here = dirname(fileURLToPath(import.meta.url));
const zombienetDir = resolve(here, '..');
const NAMES = ['alice', 'bob', 'charlie', 'dave'];
// Staged on a 6 s block time: every wait below is several blocks long. (A governance change
// waits for its own enactment block, with a timeout sized from the blocks left: governance.js.)
const MINUTE = 60_000;

let network;
let networkDir;
const apis = {};
let accounts;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every second until it returns a truthy value; fails after `timeoutMs`. */
async function waitUntil(probe, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(1000);
  }
}

async function finalized(api) {
  return (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
}

async function best(api) {
  return (await api.rpc.chain.getHeader()).number.toNumber();
}

/** The Aura authority index that authored block `number` (slot mod authorities). */
async function authorOf(api, number, authorities) {
  const header = await api.rpc.chain.getHeader(await api.rpc.chain.getBlockHash(number));
  const preRuntime = header.digest.logs.find((log) => log.isPreRuntime && log.asPreRuntime[0].toString() === 'aura');
  const slot = api.createType('u64', preRuntime.asPreRuntime[1]).toBigInt();
  return Number(slot % BigInt(authorities));
}

/** Waits until blocks after `from` were authored by all four validators. */
async function waitForAllAuthors(api, from, timeoutMs) {
  const authorities = (await api.query.aura.authorities()).length;
  assert.equal(authorities, NAMES.length);
  const seen = new Set();
  let next = from + 1;
  await waitUntil(async () => {
    const head = await best(api);
    for (; next <= head; next++) seen.add(await authorOf(api, next, authorities));
    return seen.size === authorities;
  }, timeoutMs, `blocks from all ${authorities} validators after #${from} (seen ${[...seen]})`);
}

function processOf(name) {
  return network.client.processMap[name];
}

/** SIGKILL: the node gets no chance to flush or close its database. */
async function kill(name) {
  await apis[name]?.disconnect().catch(() => {});
  delete apis[name];
  const { pid } = processOf(name);
  process.kill(pid, 'SIGKILL');
  await waitUntil(async () => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  }, 10_000, `${name} (pid ${pid}) to exit`);
}

/** Starts a killed node again with its own command line, base path and keystore. */
async function revive(name) {
  const entry = processOf(name);
  const log = createWriteStream(entry.logs, { flags: 'a' });
  const child = spawn('bash', ['-c', ...entry.cmd]);
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  entry.pid = child.pid;
  const node = network.getNodeByName(name);
  const http = node.wsUri.replace(/^ws/, 'http');
  await waitUntil(() => rpcAnswers(http), MINUTE, `${name}'s RPC after the restart`);
  apis[name] = await connect(node.wsUri);
}

function logOf(name) {
  return readFileSync(processOf(name).logs, 'utf8');
}

function upgradeWasm() {
  if (process.env.BALLAST_UPGRADE_WASM) return readFileSync(process.env.BALLAST_UPGRADE_WASM);
  const helper = join(dirname(nodeBinary()), 'ballast-upgrade-wasm');
  assert.ok(existsSync(helper), `${helper} missing: BALLAST_BUILD_UPGRADE_WASM=1 cargo build --release -p ballast-node -p ballast-upgrade-wasm`);
  return readFileSync(execFileSync(helper).toString().trim());
}

before(async () => {
  const config = readNetworkConfig(join(zombienetDir, 'staging.toml'));
  config.relaychain.default_command = nodeBinary();
  // The staging preset's genesis as it is (raw): zombienet customizes a plain spec by replacing
  // `session.keys` with its own (no `risk` key, `//Alice//stash` accounts) and emptying the
  // invulnerables, which this runtime's genesis refuses. The keystores it writes (`//Alice`, …)
  // match the preset's keys.
  config.relaychain.chain_spec_command = `${nodeBinary()} build-spec --chain staging --disable-default-bootnode --raw`;
  // Free ports instead of the fixed 9944… a developer's own network may hold.
  for (const node of config.relaychain.nodes) delete node.rpc_port;
  // Only the latest run is kept (its databases take ~45 MB).
  const logs = join(zombienetDir, '.logs');
  rmSync(logs, { recursive: true, force: true });
  networkDir = join(logs, `network-${Date.now()}`);
  mkdirSync(networkDir, { recursive: true });
  console.log(`network logs: ${networkDir}`);
  const began = Date.now();
  network = await start('', config, { dir: networkDir, force: true, logType: 'silent' });
  for (const name of NAMES) apis[name] = await connect(network.getNodeByName(name).wsUri);
  console.log(`four nodes answering RPC ${((Date.now() - began) / 1000).toFixed(1)} s after start`);
  accounts = devAccounts();
});

/** The `staging` preset's council and technical committee, who vote the governance changes. */
function governors() {
  const { alice, bob, charlie, dave, eve } = accounts;
  return { council: [alice, bob, charlie], committee: [dave, eve] };
}

after(async () => {
  await ferdieNode?.stop();
  for (const api of Object.values(apis)) await api.disconnect().catch(() => {});
  await network?.stop();
});

test('four validators author blocks, GRANDPA finalizes them and BEEFY signs them on every node', async () => {
  const { alice } = apis;
  await waitForAllAuthors(alice, 0, 2 * MINUTE);
  for (const name of NAMES) {
    await waitUntil(async () => (await finalized(apis[name])) >= 3, 2 * MINUTE, `${name} to finalize #3`);
  }
  // One chain: every node finalized the same block at the lowest common height.
  const heights = await Promise.all(NAMES.map((name) => finalized(apis[name])));
  const common = Math.min(...heights);
  const hashes = await Promise.all(NAMES.map(async (name) => (await apis[name].rpc.chain.getBlockHash(common)).toHex()));
  assert.equal(new Set(hashes).size, 1, `finalized #${common}: ${hashes}`);
  // Every node saw its three peers.
  for (const name of NAMES) {
    assert.equal((await apis[name].rpc.system.health()).peers.toNumber(), 3, `${name}'s peers`);
  }
  // BEEFY: the four validators' votes reach every node, whose BEEFY head moves past #1 (more
  // than 2/3 of the set must sign each commitment).
  for (const name of NAMES) {
    await waitUntil(async () => {
      const head = await apis[name].rpc.beefy.getFinalizedHead();
      return (await apis[name].rpc.chain.getHeader(head)).number.toNumber() >= 2;
    }, 2 * MINUTE, `${name}'s BEEFY head past #1`);
  }
});

test("with every validator's keeper running, each liquidation is executed exactly once", async () => {
  const api = apis.alice;
  const { alice, bob, charlie, dave, ferdie } = accounts;
  const inBlock = { inBlock: true };
  // Two root changes (each light-client checkpoint is root-only); the market joins the second,
  // with the LRT's registration.
  const { registration } = await setUpValuedLrt(api, accounts, {
    options: inBlock,
    govern: (call) => governRoot(api, governors(), call, inBlock),
    withRegistration: [api.tx.lending.createMarket(LRT, ETH_ASSET, marketParams())],
  });
  const created = eventsOf(registration.events, 'lending', 'MarketCreated');
  assert.equal(created.length, 1, 'lending.MarketCreated in the root change');
  const market = created[0].event.data.market.toNumber();
  const borrowers = [[bob, 899n], [charlie, 890n], [dave, 800n]];
  // Ferdie's 1,001 ETH came through the bridge (a proven depositEth, in setUpValuedLrt); the extra
  // ETH and the extra LRT planck pay the markets' account its minimum balances.
  await sendAndFinalize(api, api.tx.utility.batchAll(
    borrowers.map(([who]) => api.tx.assets.transfer(LRT, who.address, 100n * ETH + 1n)),
  ), alice, inBlock);
  await sendAndFinalize(api, api.tx.lending.supply(market, 1_000n * ETH), ferdie, inBlock);
  // 100 LRT each (103 ETH of backing), borrowing 89.9 %, 89 % and 80 % of it.
  await Promise.all(borrowers.map(([who, permille]) => sendAndFinalize(api, api.tx.utility.batchAll([
    api.tx.lending.depositCollateral(market, 100n * ETH),
    api.tx.lending.borrow(market, 103n * ETH * permille / 1000n),
  ]), who, inBlock)));
  assert.equal((await api.call.lendingApi.liquidatable(market, null, 10)).length, 0);

  // The council tightens the market (LTV 90 → 85 %, threshold 93 → 88 %), a parameters change
  // that runs at the start of its enactment block: no rate drop, so no hook; Bob and Charlie
  // fall under the threshold, Dave does not. Only the keepers act, from that block on.
  const tightening = await governParameters(api, governors(), api.tx.lending.setParams(market, marketParams({ ltv: 85, threshold: 88 })), inBlock);
  assert.equal(eventsOf(tightening.events, 'lending', 'ParamsUpdated').length, 1, 'lending.ParamsUpdated in the enactment block');
  const { blockHash, number: from } = tightening;
  const unhealthy = (await (await api.at(blockHash)).call.lendingApi.liquidatable(market, null, 10)).map(([who]) => who.toString());
  assert.deepEqual(unhealthy.sort(), [bob.address, charlie.address].sort());

  await waitUntil(async () => (await api.call.lendingApi.liquidatable(market, null, 10)).length === 0, MINUTE, 'the keepers to liquidate');
  // Let any duplicate have its chance: five more blocks, all finalized.
  const until = (await best(api)) + 5;
  await waitUntil(async () => (await finalized(api)) >= until, 2 * MINUTE, `finality of #${until}`);

  const liquidations = [];
  const keeperExtrinsics = [];
  for (let n = from; n <= until; n++) {
    const hash = await api.rpc.chain.getBlockHash(n);
    const [block, events] = await Promise.all([api.rpc.chain.getBlock(hash), (await api.at(hash)).query.system.events()]);
    block.block.extrinsics.forEach((xt, index) => {
      if (xt.method.section !== 'lending' || xt.method.method !== 'liquidateUnhealthy') return;
      const failed = events.some(({ phase, event }) => phase.isApplyExtrinsic && phase.asApplyExtrinsic.toNumber() === index
        && event.section === 'system' && event.method === 'ExtrinsicFailed');
      keeperExtrinsics.push({ block: n, signed: xt.isSigned, borrower: xt.method.args[1].toString(), failed });
    });
    for (const { event } of eventsOf(events, 'lending', 'Liquidated')) {
      liquidations.push({ block: n, borrower: event.data.borrower.toString(), byMarket: event.data.liquidator.isNone });
    }
  }
  console.log(`liquidations: ${JSON.stringify(liquidations)}`);
  assert.deepEqual(liquidations.map((l) => l.borrower).sort(), [bob.address, charlie.address].sort(), 'one liquidation each');
  assert.ok(liquidations.every((l) => l.byMarket));
  assert.deepEqual(keeperExtrinsics.map((x) => x.borrower).sort(), [bob.address, charlie.address].sort());
  assert.ok(keeperExtrinsics.every((x) => !x.signed && !x.failed));
  assert.equal((await api.call.lendingApi.position(market, dave.address)).unwrap().collateral.toBigInt(), 100n * ETH, 'Dave untouched');

  // Every keeper tried: each put the liquidations in its own pool ("submitted") or found them
  // there already, gossiped from another validator ("not accepted").
  const attempts = Object.fromEntries(NAMES.map((name) => {
    const log = logOf(name);
    const submitted = [...log.matchAll(/lending::keeper: block \d+: checked \d+ positions, submitted (\d+) liquidations/g)]
      .reduce((sum, match) => sum + Number(match[1]), 0);
    const pooled = [...log.matchAll(/lending::keeper: liquidation of a position in market \d+ not accepted by the pool/g)].length;
    return [name, { submitted, pooled }];
  }));
  console.log(`keeper attempts per validator: ${JSON.stringify(attempts)}`);
  const tried = NAMES.filter((name) => attempts[name].submitted + attempts[name].pooled > 0);
  assert.ok(tried.length >= 2, `only ${tried} ran the keeper`);
  // The other nodes finalized the same blocks.
  for (const name of NAMES) {
    await waitUntil(async () => (await finalized(apis[name])) >= until, MINUTE, `${name} to finalize #${until}`);
    assert.equal((await apis[name].rpc.chain.getBlockHash(until)).toHex(), (await api.rpc.chain.getBlockHash(until)).toHex());
  }
});

test('one of four validators killed: the rest finalize; it restarts from its own database and catches up', async () => {
  const { alice } = apis;
  const daveBefore = await finalized(apis.dave);
  await kill('dave');
  const start = await finalized(alice);
  // Three of four is above GRANDPA's two thirds: finality goes on.
  for (const name of ['alice', 'bob', 'charlie']) {
    await waitUntil(async () => (await finalized(apis[name])) >= start + 3, 2 * MINUTE, `${name} to finalize past #${start + 3}`);
  }

  await revive('dave');
  const restarts = [...logOf('dave').matchAll(/Highest known block at #(\d+)/g)];
  assert.equal(restarts.length, 2, 'started twice');
  const known = Number(restarts[1][1]);
  assert.ok(known >= daveBefore, `restarted at #${known}, had finalized #${daveBefore}: database intact`);
  const target = await finalized(alice);
  await waitUntil(async () => (await finalized(apis.dave)) >= target, MINUTE, `dave to catch up to #${target}`);
  assert.equal((await apis.dave.rpc.chain.getBlockHash(target)).toHex(), (await alice.rpc.chain.getBlockHash(target)).toHex());
  console.log(`dave: finalized #${daveBefore} when killed, reopened its database at #${known}, caught up to #${target}`);
});

test('two of four killed: finality stalls while blocks go on, and resumes when one returns', async () => {
  const { alice, bob } = apis;
  await Promise.all([kill('charlie'), kill('dave')]);
  // Rounds already voted may still complete; after that nothing more can be finalized.
  await sleep(15_000);
  const [stalledAt, bestAt] = [await finalized(alice), await best(alice)];
  await sleep(30_000);
  assert.equal(await finalized(alice), stalledAt, 'finality stalled with 2 of 4 voters');
  assert.equal(await finalized(bob), stalledAt);
  assert.ok((await best(alice)) > bestAt, 'Alice and Bob still author blocks');

  await revive('charlie');
  await waitUntil(async () => (await finalized(alice)) > stalledAt + 1, 2 * MINUTE, 'finality to resume');
  await revive('dave');
  const target = await finalized(alice);
  for (const name of NAMES) {
    await waitUntil(async () => (await finalized(apis[name])) >= target, 2 * MINUTE, `${name} to finalize #${target}`);
  }
  console.log(`finality stalled at #${stalledAt} for 30 s, resumed with three voters, all four at #${target}`);
});

test('a runtime upgrade (spec_version + 1), authorized by a root change and applied by a signed account, is enacted on every node', async () => {
  const api = apis.alice;
  const inBlock = { inBlock: true };
  const before = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber();
  const code = upgradeWasm();
  // The root change authorizes only the code's hash: the code itself, megabytes, never enters a
  // motion or the scheduler.
  const codeHash = hashOfCode(code);
  const authorization = await governRoot(api, governors(), api.tx.system.authorizeUpgrade(codeHash), inBlock);
  const authorized = eventsOf(authorization.events, 'system', 'UpgradeAuthorized');
  assert.equal(authorized.length, 1, 'system.UpgradeAuthorized in the enactment block');
  assert.equal(authorized[0].event.data.codeHash.toHex(), codeHash);
  assert.equal(authorized[0].event.data.checkVersion.isTrue, true, 'the upgrade must keep the spec name and raise the version');
  const stored = (await (await api.at(authorization.blockHash)).query.system.authorizedUpgrade()).unwrap();
  assert.equal(stored.codeHash.toHex(), codeHash);
  assert.equal((await api.rpc.state.getRuntimeVersion(authorization.blockHash)).specVersion.toNumber(), before, 'authorizing changes no code');

  // Any account may then supply the code; a valid upgrade is free for it (Pays::No).
  const { blockHash } = await sendAndFinalize(api, api.tx.system.applyAuthorizedUpgrade(`0x${code.toString('hex')}`), accounts.alice, inBlock);
  // @polkadot/api 16.5 re-initialises its default registry in place when the runtime changes, and
  // a client that looked up the upgrade block before that switch keeps decoding the block's
  // events with the re-initialised registry, which fails (each time on an instant-seal dev node, in
  // 2 of ~10 runs here). Read them through a connection opened after the switch.
  await waitUntil(async () => (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber() === before + 1, MINUTE, 'the new runtime at the best block');
  const reader = await connect(network.getNodeByName('alice').wsUri);
  const [events, authorizedAfter] = await waitUntil(async () => {
    const at = await reader.at(blockHash);
    return Promise.all([at.query.system.events(), at.query.system.authorizedUpgrade()]);
  }, MINUTE, 'the upgrade block\'s events').finally(() => reader.disconnect());
  assert.equal(authorizedAfter.isNone, true, 'the authorization is used up');
  const updated = eventsOf(events, 'system', 'CodeUpdated');
  assert.equal(updated.length, 1, 'system.CodeUpdated');
  assert.equal(eventsOf(events, 'system', 'RejectedInvalidAuthorizedUpgrade').length, 0);
  const extrinsic = updated[0].phase.asApplyExtrinsic.toNumber();
  const fees = events.filter(({ phase, event }) => phase.isApplyExtrinsic && phase.asApplyExtrinsic.toNumber() === extrinsic
    && event.section === 'transactionPayment' && event.method === 'TransactionFeePaid');
  assert.equal(fees.length, 1, "transactionPayment.TransactionFeePaid of the upgrade's extrinsic");
  assert.equal(fees[0].event.data.who.toString(), accounts.alice.address);
  assert.equal(fees[0].event.data.actualFee.toBigInt(), 0n, 'the fee is refunded');
  const upgradedAt = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();

  for (const name of NAMES) {
    const node = apis[name];
    await waitUntil(async () => (await finalized(node)) >= upgradedAt + 2, 2 * MINUTE, `${name} to finalize blocks of the new runtime`);
    const hash = await node.rpc.chain.getFinalizedHead();
    assert.equal((await node.rpc.state.getRuntimeVersion(hash)).specVersion.toNumber(), before + 1, `${name}'s runtime`);
    const lastUpgrade = (await (await node.at(hash)).query.system.lastRuntimeUpgrade()).unwrap();
    assert.equal(lastUpgrade.specVersion.toNumber(), before + 1, `${name}: the new runtime ran its upgrade`);
  }
  // All four validators author with the new runtime.
  await waitForAllAuthors(api, upgradedAt, 2 * MINUTE);
  console.log(`spec_version ${before} → ${before + 1}: authorized at #${authorization.number}, applied at #${upgradedAt}, enacted on all four nodes`);
});

// A validator joins the running network and leaves it, following docs/running-a-node.md ("Join
// the validator set") step by step: its own node, session keys made by that node with a proof
// of their owner, `session.setKeys`, the bond, two session boundaries (10 blocks each in the
// staging preset; the test reads the period from the chain), and `leaveIntent`. It runs last, so
// the tests above keep their four validators.

let ferdieNode;

/** Sends one JSON-RPC call over HTTP, as the doc's `curl` does; rejects on an error answer. */
async function rpcCall(httpUrl, method, params) {
  const response = await fetch(httpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const answer = await response.json();
  if (answer.error) throw new Error(`${method}: ${JSON.stringify(answer.error)}`);
  return answer.result;
}

/** A counter on a node's Prometheus endpoint (0 while the node has not registered it). */
async function metric(prometheusPort, name) {
  const text = await (await fetch(`http://127.0.0.1:${prometheusPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.trim().split(/\s+/).pop()) : 0;
}

/**
 * Starts a fifth validator node, Ferdie, on loopback: the network's raw chain spec, its own base
 * path and node key (`key generate-node-key`, doc step 1), Alice as bootnode, unsafe RPC methods
 * on 127.0.0.1 for `author_rotateKeysWithOwner`.
 */
async function startFerdie() {
  const base = join(networkDir, 'ferdie', 'data');
  const spec = network.chainSpecFullPath;
  execFileSync(nodeBinary(), ['key', 'generate-node-key', '--base-path', base, '--chain', spec], { stdio: 'ignore' });
  const rpcPort = await freePort();
  const p2pPort = await freePort();
  const prometheusPort = await freePort();
  const bootnode = network.getNodeByName('alice').multiAddress;
  const args = [
    '--chain', spec,
    '--base-path', base,
    '--validator',
    '--name', 'ferdie',
    '--listen-addr', `/ip4/127.0.0.1/tcp/${p2pPort}/ws`,
    '--bootnodes', bootnode,
    '--rpc-port', String(rpcPort),
    '--rpc-methods', 'unsafe',
    '--prometheus-port', String(prometheusPort),
    '--offchain-worker', 'always',
    // A private network on one machine, like the other four (staging.toml).
    '--no-mdns', '--no-telemetry', '--discover-local', '--allow-private-ip',
    '-lruntime=info,lending=debug,risk=debug',
  ];
  const logFile = join(networkDir, 'ferdie.log');
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(nodeBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  const exit = new Promise((resolveExit) => child.on('exit', (code, signal) => {
    exited = { code, signal };
    resolveExit(exited);
  }));
  const http = `http://127.0.0.1:${rpcPort}`;
  let api;
  try {
    const state = await waitUntil(async () => (exited ? 'exited' : (await rpcAnswers(http)) && 'up'), MINUTE, "ferdie's RPC");
    if (state === 'exited') throw new Error(`ferdie exited: ${JSON.stringify(exited)}; see ${logFile}`);
    api = await connect(`ws://127.0.0.1:${rpcPort}`);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  console.log(`ferdie: pid ${child.pid}, rpc ${rpcPort}, p2p ${p2pPort}, prometheus ${prometheusPort}, bootnode ${bootnode}, log ${logFile}`);
  return {
    api, http, prometheusPort, logFile,
    /** SIGINT, then waits for the exit (SIGKILL after 30 s); returns how it exited. */
    async stop() {
      ferdieNode = undefined;
      await api.disconnect().catch(() => {});
      if (!exited) child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const result = await exit;
      clearTimeout(timer);
      log.end();
      return result;
    },
  };
}

/** The Aura key that sealed block `number`: its slot's authority in its parent's set. */
async function auraAuthorOf(api, number) {
  const header = await api.rpc.chain.getHeader(await api.rpc.chain.getBlockHash(number));
  const preRuntime = header.digest.logs.find((log) => log.isPreRuntime && log.asPreRuntime[0].toString() === 'aura');
  const slot = api.createType('u64', preRuntime.asPreRuntime[1]).toBigInt();
  const authorities = await (await api.at(header.parentHash)).query.aura.authorities();
  return authorities[Number(slot % BigInt(authorities.length))].toHex();
}

/** Aura authorities (hex) in the state after block `number`. */
async function auraAt(api, number) {
  return (await (await api.at(await api.rpc.chain.getBlockHash(number))).query.aura.authorities()).map((key) => key.toHex());
}

async function grandpaKeys(api) {
  return (await api.call.grandpaApi.grandpaAuthorities()).map(([id]) => id.toHex());
}

/**
 * Waits until `holds(aura authorities)` at the best block, then returns the first block whose
 * state it holds in (the session change) and the session index there.
 */
async function waitForAuraChange(api, holds, timeoutMs, what) {
  let number = await waitUntil(async () => {
    const head = await best(api);
    return holds(await auraAt(api, head)) && head;
  }, timeoutMs, what);
  while (holds(await auraAt(api, number - 1))) number -= 1;
  const session = (await (await api.at(await api.rpc.chain.getBlockHash(number))).query.session.currentIndex()).toNumber();
  return { number, session };
}

async function reserved(api, who) {
  return (await api.query.system.account(who)).data.reserved.toBigInt();
}

test('a fifth validator joins: keys rotated, setKeys, bonded, authors blocks and votes in GRANDPA from the second session boundary; then leaves; finality holds throughout', async () => {
  const began = Date.now();
  const { alice } = apis;
  const { ferdie } = accounts;
  const period = (await alice.query.validatorSet.sessionPeriod()).toNumber();
  // Two session boundaries, and one more session of slack.
  const twoSessions = (3 * period * 6_000) + MINUTE;

  // Step 1: the node, synced with the network and connected to all four validators. Blocks
  // imported while syncing do not reach the transaction pool, which validates against the last
  // block it heard of (genesis here: a transaction would be refused as having an "ancient birth
  // block") until the node imports a block after syncing.
  ferdieNode = await startFerdie();
  const node = ferdieNode.api;
  const synced = await finalized(alice);
  await waitUntil(async () => (await finalized(node)) >= synced, 2 * MINUTE, `ferdie to sync to #${synced}`);
  await waitUntil(async () => {
    const health = await node.rpc.system.health();
    return !health.isSyncing.isTrue && health.peers.toNumber() >= NAMES.length;
  }, MINUTE, 'ferdie to finish syncing, with all four peers');
  const syncedBest = await best(node);
  await waitUntil(async () => (await best(node)) > syncedBest, MINUTE, `ferdie to import a block after #${syncedBest}`);
  assert.equal((await node.rpc.chain.getBlockHash(synced)).toHex(), (await alice.rpc.chain.getBlockHash(synced)).toHex());

  // Steps 2-3: Ferdie's account id, and session keys made in Ferdie's keystore with a proof that
  // this account owns them.
  const inspected = execFileSync(nodeBinary(), ['key', 'inspect', ferdie.address]).toString();
  const owner = inspected.match(/Account ID:\s+(0x[0-9a-f]{64})/)[1];
  assert.equal(owner, `0x${Buffer.from(ferdie.publicKey).toString('hex')}`);
  const { keys, proof } = await rpcCall(ferdieNode.http, 'author_rotateKeysWithOwner', [owner]);
  assert.ok(proof, 'the runtime makes an ownership proof');
  assert.equal(await rpcCall(ferdieNode.http, 'author_hasSessionKeys', [keys]), true);
  const sessionKeys = node.createType(node.tx.session.setKeys.meta.args[0].type.toString(), keys);
  const [aura, grandpa, risk] = ['aura', 'grandpa', 'risk'].map((name) => sessionKeys.get(name).toHex());

  // Step 4: setKeys, then the bond, each finalized, sent through a long-running node (Alice's
  // RPC): a node that has just synced may refuse a transaction whose era starts at a block it
  // imported while syncing ("ancient birth block").
  // setKeys, then the bond. The proof is Ferdie's alone: Eve cannot
  // claim the keys with it.
  const { error } = await sendAndFinalize(alice, alice.tx.session.setKeys(keys, proof), accounts.eve, { expectFailure: true, inBlock: true });
  assert.equal(error, 'session.InvalidProof');
  const reservedBefore = await reserved(alice, ferdie.address);
  await sendAndFinalize(alice, alice.tx.session.setKeys(keys, proof), ferdie);
  const keyDeposit = (await reserved(alice, ferdie.address)) - reservedBefore;
  assert.ok(keyDeposit > 0n, 'the session keys hold a deposit');
  const registered = await sendAndFinalize(alice, alice.tx.collatorSelection.registerAsCandidate(), ferdie);
  const bond = (await alice.query.collatorSelection.candidacyBond()).toBigInt();
  assert.equal(bond, 10_000n * 10n ** 12n, '10,000 BAL');
  assert.equal(await reserved(alice, ferdie.address), reservedBefore + keyDeposit + bond);
  const registeredIn = (await (await alice.at(registered.blockHash)).query.session.currentIndex()).toNumber();
  const registeredAt = (await alice.rpc.chain.getHeader(registered.blockHash)).number.toNumber();
  assert.equal(await metric(ferdieNode.prometheusPort, 'substrate_finality_grandpa_precommits_total'), 0, 'no GRANDPA votes before joining');
  console.log(`ferdie registered at #${registeredAt} (session ${registeredIn}), bond ${bond}, key deposit ${keyDeposit}`);

  // Step 5: queued at the first boundary, validating from the second.
  await waitUntil(async () => (await alice.query.session.queuedKeys()).some(([who]) => who.toString() === ferdie.address), twoSessions, 'ferdie among the queued keys');
  assert.ok(!(await alice.query.session.validators()).some((who) => who.toString() === ferdie.address), 'queued, not validating yet');
  assert.ok(!(await auraAt(alice, await best(alice))).includes(aura));
  const joined = await waitForAuraChange(alice, (set) => set.includes(aura), twoSessions, "ferdie's Aura key among the authorities");
  assert.equal(joined.session, registeredIn + 2, 'validates from the second session boundary after registering');
  assert.equal((await auraAt(alice, joined.number)).length, NAMES.length + 1);
  await waitUntil(async () => (await grandpaKeys(alice)).includes(grandpa), MINUTE, "ferdie's GRANDPA key among the voters");
  const atJoin = await alice.at(await alice.rpc.chain.getBlockHash(joined.number));
  assert.ok((await atJoin.query.session.validators()).some((who) => who.toString() === ferdie.address));
  // Its risk key reports from the next risk epoch (600 blocks: not waited for here).
  assert.ok((await atJoin.query.risk.validatorKeys()).map((key) => key.toHex()).includes(risk), "ferdie's risk key among the session's");
  const pending = (await atJoin.query.risk.pendingReporters()).unwrapOr([]).map((key) => key.toHex());
  const reporters = (await atJoin.query.risk.reporters()).map((key) => key.toHex());
  assert.ok(pending.includes(risk) || reporters.includes(risk), "ferdie's risk key among the (pending) reporters");
  console.log(`ferdie validates from #${joined.number} (session ${joined.session})`);

  // Step 6: it authors blocks, they are finalized, and it votes.
  let next = joined.number + 1;
  const authored = await waitUntil(async () => {
    for (const head = await best(alice); next <= head; next++) if ((await auraAuthorOf(alice, next)) === aura) return next;
    return undefined;
  }, 2 * MINUTE, 'a block authored by ferdie');
  await waitUntil(async () => (await finalized(alice)) >= authored + 5, 2 * MINUTE, `finality of #${authored + 5}`);
  await waitUntil(async () => (await finalized(node)) >= authored + 5, MINUTE, `ferdie to finalize #${authored + 5}`);
  assert.equal((await node.rpc.chain.getBlockHash(authored)).toHex(), (await alice.rpc.chain.getBlockHash(authored)).toHex());
  const precommits = await waitUntil(async () => metric(ferdieNode.prometheusPort, 'substrate_finality_grandpa_precommits_total'), MINUTE, "ferdie's GRANDPA precommits");
  const prevotes = await metric(ferdieNode.prometheusPort, 'substrate_finality_grandpa_prevotes_total');
  assert.ok(prevotes > 0);
  assert.ok(readFileSync(ferdieNode.logFile, 'utf8').includes(`Pre-sealed block for proposal at ${authored}`), `ferdie's log shows it sealed #${authored}`);
  console.log(`ferdie authored #${authored}; it has cast ${prevotes} prevotes and ${precommits} precommits`);

  // Step 7: it leaves; collator-selection returns the bond at once, straight onto
  // validator-set's hold (at stake 168 sessions more); the seat goes at the second boundary.
  const left = await sendAndFinalize(alice, alice.tx.collatorSelection.leaveIntent(), ferdie);
  const leftIn = (await (await alice.at(left.blockHash)).query.session.currentIndex()).toNumber();
  assert.equal(await reserved(alice, ferdie.address), reservedBefore + keyDeposit + bond, 'the bond stays out of reach, the key deposit stays');
  const holds = (await alice.query.balances.holds(ferdie.address)).map(({ id, amount }) => [JSON.stringify(id.toJSON()).toLowerCase(), amount.toBigInt()]);
  assert.ok(holds.some(([id, amount]) => id.includes('bondatstake') && amount === bond), `the bond on hold as BondAtStake: ${JSON.stringify(holds, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
  assert.ok(!(await alice.query.collatorSelection.candidateList()).some(({ who }) => who.toString() === ferdie.address));
  const removed = await waitForAuraChange(alice, (set) => !set.includes(aura), twoSessions, "ferdie's Aura key to leave the authorities");
  assert.equal(removed.session, leftIn + 2, 'leaves at the second session boundary after leaveIntent');
  assert.equal((await auraAt(alice, removed.number)).length, NAMES.length);
  await waitUntil(async () => !(await grandpaKeys(alice)).includes(grandpa), MINUTE, "ferdie's GRANDPA key to leave the voters");
  const atRemoval = await alice.at(await alice.rpc.chain.getBlockHash(removed.number));
  assert.ok(!(await atRemoval.query.risk.validatorKeys()).map((key) => key.toHex()).includes(risk));
  const nextReporters = (await atRemoval.query.risk.pendingReporters()).unwrapOr(await atRemoval.query.risk.reporters());
  assert.ok(!nextReporters.map((key) => key.toHex()).includes(risk), "ferdie's risk key out of the next epoch's reporters");
  // Finality goes on without it, on every node, and Ferdie no longer votes.
  await waitUntil(async () => (await finalized(alice)) >= removed.number + 5, 2 * MINUTE, `finality of #${removed.number + 5}`);
  for (const api of [...NAMES.map((name) => apis[name]), node]) {
    await waitUntil(async () => (await finalized(api)) >= removed.number + 5, MINUTE, `every node to finalize #${removed.number + 5}`);
  }
  const votesAfter = await metric(ferdieNode.prometheusPort, 'substrate_finality_grandpa_precommits_total');
  const later = (await finalized(alice)) + 3;
  await waitUntil(async () => (await finalized(node)) >= later, MINUTE, `ferdie to finalize #${later}`);
  assert.equal(await metric(ferdieNode.prometheusPort, 'substrate_finality_grandpa_precommits_total'), votesAfter, 'no votes once out of the set');

  // Step 8: stop the node.
  const exit = await ferdieNode.stop();
  assert.deepEqual(exit, { code: 0, signal: null }, 'ferdie stopped cleanly');
  console.log(`ferdie left at #${removed.number} (session ${removed.session}); finality reached #${later}; ${((Date.now() - began) / 1000).toFixed(0)} s`);
});
