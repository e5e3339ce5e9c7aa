// The app in a real browser (Debian's Chromium, headless, driven by puppeteer-core) against a real
// seeded dev node (instant sealing): every page loads without console errors, the numbers shown
// are the runtime APIs' values at the block the page shows, a dev account supplies, borrows and
// repays through the UI with the health shown following the chain, a refused borrow shows the
// chain's error, and the seeded slash's liquidations are in Activity. Screenshots of every page
// go to app/.screenshots/ (git-ignored).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { createServer } from 'vite';
import { startDevNode, devAccounts, freePort } from '../../e2e/lib/node.js';
import { seedDevChain, SECOND_LRT, SECOND_LRT_SYMBOL } from '../../e2e/lib/seed.js';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shots = join(appDir, '.screenshots');
const ROUTES = ['markets', 'lrt', 'position', 'activity', 'network'];
const ETH = 10n ** 18n;

let node;
let api;
let accounts;
let seeded;
let server;
let appUrl;
let browser;
let page;
let consoleErrors = [];

function chromium() {
  const found = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean).find(existsSync);
  if (!found) throw new Error('no Chromium found: run scripts/setup.sh (apt-get install chromium) or set CHROMIUM');
  return found;
}

before(async () => {
  accounts = devAccounts();
  node = await startDevNode({ name: 'app', extraArgs: ['--sealing', 'instant'] });
  api = node.api;
  const started = Date.now();
  seeded = await seedDevChain(api, accounts, { options: { inBlock: true } });
  console.log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  server = await createServer({ root: appDir, configFile: join(appDir, 'vite.config.ts'), logLevel: 'warn', server: { port: await freePort(), strictPort: true } });
  await server.listen();
  appUrl = server.resolvedUrls.local[0];
  mkdirSync(shots, { recursive: true });
  browser = await puppeteer.launch({ executablePath: chromium(), headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 1000 });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (node) {
    const exit = await node.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, 'node stopped cleanly');
  }
});

/** Opens a route as `account` and waits until the page has rendered the chain's best block. */
async function open(route, account = accounts.eve) {
  const url = `${appUrl}?rpc=${encodeURIComponent(node.rpcUrl)}&account=${account.address}#/${route}`;
  if (page.url().split('#')[0] === url.split('#')[0]) {
    await page.evaluate((hash) => { location.hash = hash; }, `#/${route.split('?')[0]}${route.includes('?') ? `?${route.split('?')[1]}` : ''}`);
  } else {
    await page.goto(url, { waitUntil: 'domcontentloaded' });
  }
  return renderedAt(route.split('?')[0]);
}

/** Waits until the page shows the chain's best block; returns that block's hash. */
async function renderedAt(route) {
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  await page.waitForFunction(
    (r, n) => document.body.dataset.renderedPage === r && Number(document.body.dataset.renderedBlock) >= n,
    { timeout: 30_000 }, route, best,
  );
  const shown = Number(await page.evaluate(() => document.body.dataset.renderedBlock));
  return api.rpc.chain.getBlockHash(shown);
}

/** The `data-raw` (exact chain value) and the text of the element named `testid`. */
async function shown(testid) {
  const handle = await page.waitForSelector(`[data-testid="${testid}"]`, { timeout: 10_000 });
  return handle.evaluate((el) => ({ raw: el.dataset.raw, text: el.textContent }));
}

/**
 * Asserts that `testid` holds `expected` (the chain's integer) exactly, and shows it as text:
 * `expected / 10^decimals` rounded to `digits` decimals.
 */
async function assertAmount(testid, expected, decimals = 18, digits = 4) {
  const { raw, text } = await shown(testid);
  assert.equal(BigInt(raw), BigInt(expected), `${testid}: raw`);
  // The first number shown (a symbol such as LRT-1000 may follow it).
  const number = Number((text.match(/\d[\d,]*(\.\d+)?/) ?? ['NaN'])[0].replace(/,/g, ''));
  const exact = Number(BigInt(expected)) / 10 ** decimals;
  assert.ok(Math.abs(number - exact) <= 0.5 * 10 ** -digits + exact * 1e-12, `${testid}: shows ${text}, chain ${exact}`);
}

test('every page loads without console errors; screenshots', async () => {
  for (const route of ROUTES) {
    consoleErrors = [];
    await open(route);
    await new Promise((r) => setTimeout(r, 300));
    await page.screenshot({ path: join(shots, `${route}.png`), fullPage: true });
    assert.deepEqual(consoleErrors, [], `console errors on ${route}`);
  }
});

test("Markets shows the lending runtime API's market at the block shown", async () => {
  const hash = await open('markets');
  const view = (await (await api.at(hash)).call.lendingApi.market(seeded.market)).unwrap();
  const id = `market-${seeded.market}`;
  await assertAmount(`${id}-supplied`, view.supplyAssets.toBigInt());
  await assertAmount(`${id}-borrowed`, view.totalDebt.toBigInt());
  await assertAmount(`${id}-cash`, view.market.ledger.cash.toBigInt());
  await assertAmount(`${id}-utilisation`, view.utilisation.toBigInt(), 7, 2);
  await assertAmount(`${id}-borrow-rate`, view.borrowRate.toBigInt(), 16, 2);
  await assertAmount(`${id}-supply-rate`, view.supplyRate.toBigInt(), 16, 2);
  await assertAmount(`${id}-supply-cap`, view.market.params.supplyCap.toBigInt());
  await assertAmount(`${id}-ltv`, view.effectiveLtv.toBigInt(), 7, 2);
  await assertAmount(`${id}-lt`, view.effectiveLiquidationThreshold.toBigInt(), 7, 2);
  await assertAmount(`${id}-backing-rate`, view.backingRate.unwrap().toBigInt(), 18, 6);
  // The slash's seized collateral waits for sale; two liquidations booked reserves.
  assert.ok(view.market.ledger.stock.toBigInt() > 0n);
  await assertAmount(`${id}-stock`, view.market.ledger.stock.toBigInt());
});

test('LRT shows backing components, validators and the risk model as the runtime APIs give them', async () => {
  const hash = await open('lrt');
  const at = await api.at(hash);
  const components = (await at.call.lrtBackingApi.components(1000)).unwrap();
  await assertAmount('lrt-1000-backing-rate', (await at.call.lrtBackingApi.backingRate(1000)).unwrap().toBigInt(), 18, 6);
  await assertAmount('lrt-1000-reported', components.reported.toBigInt(), 18, 6);
  await assertAmount('lrt-1000-proven', components.proven.toBigInt(), 18, 6);
  await assertAmount('lrt-1000-losses', components.losses.toBigInt());
  const aggregates = await at.call.validatorHealthApi.lrtAggregates(1000);
  assert.equal((await shown('lrt-1000-validators')).raw, String(aggregates.validators.toNumber()));
  assert.equal(aggregates.validators.toNumber(), 100, 'the real Sepolia validators of its EigenPod');
  assert.equal((await shown('lrt-1000-slashed')).raw, String(aggregates.slashed.toNumber()));
  assert.equal((await shown('lrt-1000-oldest-proof')).raw, String(oldestProof(aggregates)));
  const model = (await at.call.riskApi.compute(1000)).unwrap();
  assert.equal((await shown('lrt-1000-risk-score')).raw, String(model.score.toNumber()));
  assert.equal((await shown('lrt-1000-risk-concentration')).raw, String(model.concentration.toNumber()));
  // The history chart holds the two rates (1.03, then 0.9682 after the slash).
  assert.equal((await at.call.lrtBackingApi.history(1000)).length, 2);
  assert.ok(await page.$('[data-testid="lrt-1000-chart"] canvas'), 'the rate chart is drawn');
});

test('LRT lists both seeded LRTs, each backed by 100 real Sepolia validators and valued by a proven report', async () => {
  const hash = await open('lrt');
  const at = await api.at(hash);
  const cards = await page.$$eval('article.card[data-testid^="lrt-"]', (els) => [...new Set(els.map((el) => el.dataset.testid))]);
  assert.deepEqual(cards.sort(), ['lrt-1000', `lrt-${SECOND_LRT}`]);
  assert.match(await page.$eval(`[data-testid="lrt-${SECOND_LRT}"] h3`, (el) => el.textContent), new RegExp(SECOND_LRT_SYMBOL));
  const rate = (await at.call.lrtBackingApi.backingRate(SECOND_LRT)).unwrap().toBigInt();
  // Kelp's own rsETH price (1.027), through its real adapter.
  assert.ok(rate > 1_026n * ETH / 1_000n && rate <= 1_027n * ETH / 1_000n, `rsETH at ${rate}`);
  await assertAmount(`lrt-${SECOND_LRT}-backing-rate`, rate, 18, 6);
  const aggregates = await at.call.validatorHealthApi.lrtAggregates(SECOND_LRT);
  assert.equal(aggregates.validators.toNumber(), 100, 'the real Sepolia validators of its EigenPod');
  assert.equal((await shown(`lrt-${SECOND_LRT}-validators`)).raw, '100');
  assert.equal((await at.call.lrtBackingApi.history(SECOND_LRT)).length, 1);
});

test("Markets lists the second LRT's market, with a lender and a borrower", async () => {
  const hash = await open('markets');
  const id = seeded.markets[SECOND_LRT];
  const view = (await (await api.at(hash)).call.lendingApi.market(id)).unwrap();
  assert.equal(view.market.collateral.toNumber(), SECOND_LRT);
  assert.ok(view.totalDebt.toBigInt() >= 100n * ETH, 'the seeded borrow');
  await assertAmount(`market-${id}-supplied`, view.supplyAssets.toBigInt());
  await assertAmount(`market-${id}-borrowed`, view.totalDebt.toBigInt());
  await assertAmount(`market-${id}-backing-rate`, view.backingRate.unwrap().toBigInt(), 18, 6);
});

test('Network shows the light client, proof freshness and risk reporters', async () => {
  const hash = await open('network');
  const at = await api.at(hash);
  const root = await at.query.ethereumBeaconClient.latestFinalizedBlockRoot();
  const slot = (await at.query.ethereumBeaconClient.finalizedBeaconState(root)).unwrap().slot.toNumber();
  assert.equal((await shown('network-slot')).raw, String(slot));
  assert.equal((await shown('network-ethereum')).text, 'Sepolia');
  const aggregates = await at.call.validatorHealthApi.lrtAggregates(1000);
  assert.equal((await shown('network-oldest-proof-1000')).raw, String(oldestProof(aggregates)));
  const [epoch, reporters] = await at.call.riskApi.reporters();
  assert.equal((await shown('network-risk-epoch')).raw, String(epoch.toNumber()));
  assert.equal((await shown('network-reporter')).raw, reporters[0][0].toHex());
});

/** An LRT's oldest validator proof slot (an Option: None without validators). */
function oldestProof(aggregates) {
  const slot = aggregates.oldestProofSlot;
  return (slot.isSome ? slot.unwrap() : slot).toNumber();
}

/** Chooses an action, types an amount and returns the preview's health (raw) before signing. */
async function prepare(action, amount) {
  await page.select('[data-testid="action"]', action);
  await page.$eval('[data-testid="amount"]', (el) => { el.value = ''; });
  await page.type('[data-testid="amount"]', amount);
  await page.waitForFunction(() => !document.querySelector('[data-testid="submit"]').disabled, { timeout: 10_000 });
  const preview = await page.$('[data-testid="preview-health"]');
  return preview ? preview.evaluate((el) => el.dataset.raw ?? null) : undefined;
}

/** Signs through the UI and waits for the outcome shown. */
async function sign() {
  await page.$eval('[data-testid="tx-result"]', (el) => { delete el.dataset.state; });
  await page.click('[data-testid="submit"]');
  await page.waitForFunction(() => ['ok', 'failed'].includes(document.querySelector('[data-testid="tx-result"]').dataset.state), { timeout: 30_000 });
  return page.$eval('[data-testid="tx-result"]', (el) => ({ state: el.dataset.state, text: el.textContent }));
}

async function positionAt(hash, who) {
  return (await (await api.at(hash)).call.lendingApi.position(seeded.market, who.address)).unwrap();
}

test('a dev account supplies, borrows and repays through the UI; the health shown follows the chain', async () => {
  const { eve } = accounts;
  let hash = await open(`position?market=${seeded.market}`, eve);
  consoleErrors = [];
  const start = await positionAt(hash, eve);
  assert.equal((await shown('position-health')).raw, start.health.unwrap().toString());
  assert.equal((await shown('account-address')).text, eve.address);

  // Supply 5 ETH of what Eve borrowed.
  await prepare('supply', '5');
  assert.equal((await sign()).state, 'ok');
  hash = await renderedAt('position');
  const lent = await (await api.at(hash)).call.lendingApi.lender(seeded.market, eve.address);
  // 5 ETH, less at most a wei of share rounding, plus the interest of the blocks sealed since
  // the supply's (far under a millionth).
  assert.ok(lent.assets.toBigInt() >= 5n * ETH - 1n && lent.assets.toBigInt() <= 5n * ETH + 5n * ETH / 1_000_000n, `lent ${lent.assets.toBigInt()}`);
  await assertAmount('lender-assets', lent.assets.toBigInt());

  // Borrow 2 ETH: the health previewed before signing is what the chain then reports (up to the
  // interest of the seconds in between).
  const previewed = BigInt(await prepare('borrow', '2'));
  assert.equal((await sign()).state, 'ok');
  hash = await renderedAt('position');
  const borrowed = await positionAt(hash, eve);
  const afterBorrow = borrowed.health.unwrap().toBigInt();
  assert.ok(afterBorrow < start.health.unwrap().toBigInt(), 'borrowing lowers health');
  assert.ok(previewed - afterBorrow < previewed / 100_000n && afterBorrow <= previewed, `previewed ${previewed}, chain ${afterBorrow}`);
  assert.equal((await shown('position-health')).raw, afterBorrow.toString());
  await assertAmount('position-debt', borrowed.debt.toBigInt());

  // Repay 3 ETH: health rises above where it started.
  await prepare('repay', '3');
  assert.equal((await sign()).state, 'ok');
  hash = await renderedAt('position');
  const repaid = await positionAt(hash, eve);
  assert.ok(repaid.health.unwrap().toBigInt() > start.health.unwrap().toBigInt(), 'repaying raises health');
  assert.equal((await shown('position-health')).raw, repaid.health.unwrap().toString());
  await page.screenshot({ path: join(shots, 'position-after-repay.png'), fullPage: true });
  assert.deepEqual(consoleErrors, [], 'console errors while signing');
});

test("a borrow over the limit is refused and the chain's error is shown", async () => {
  const { eve } = accounts;
  let hash = await open(`position?market=${seeded.market}`, eve);
  const before = await positionAt(hash, eve);
  await prepare('borrow', '50');
  assert.ok(BigInt(await shown('preview-health').then((s) => s.raw)) < 10n ** 18n, 'the preview warns: health under 1');
  assert.ok(await page.$eval('[data-testid="preview"]', (el) => el.textContent.includes('liquidatable')));
  assert.ok(await page.$('[data-testid="preview-over-limit"]'), 'the preview says the chain will refuse it');
  const outcome = await sign();
  assert.equal(outcome.state, 'failed');
  assert.equal(await page.$eval('[data-testid="tx-error"]', (el) => el.textContent), 'lending.InsufficientBorrowLimit');
  await page.screenshot({ path: join(shots, 'position-refused.png'), fullPage: true });
  hash = await renderedAt('position');
  const after = await positionAt(hash, eve);
  assert.ok(after.debt.toBigInt() - before.debt.toBigInt() < ETH / 1_000_000n, 'nothing borrowed');
});

test("the seeded slash's liquidations show in Activity, in the slash's block", async () => {
  await open('activity');
  await page.select('[data-testid="activity-filter"]', 'liquidation');
  const rows = await page.$$eval('[data-testid="activity"] tbody tr[data-kind="liquidation"]', (trs) =>
    trs.map((tr) => ({ who: tr.querySelector('[data-raw]')?.dataset.raw, text: tr.textContent })));
  assert.deepEqual(rows.map((r) => r.who).sort(), [...seeded.liquidated].sort());
  assert.deepEqual(seeded.liquidated.sort(), [accounts.bob.address, accounts.charlie.address].sort());
  for (const row of rows) assert.match(row.text, /same block as the slash/);
  await page.screenshot({ path: join(shots, 'activity-liquidations.png'), fullPage: true });
  await page.select('[data-testid="activity-filter"]', 'slash');
  const slashes = await page.$$eval('[data-testid="activity"] tbody tr[data-kind="slash"]', (trs) => trs.map((tr) => tr.textContent));
  assert.equal(slashes.length, 1);
  assert.match(slashes[0], /AvsSlash/);
});
