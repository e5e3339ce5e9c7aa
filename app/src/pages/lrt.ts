// LRT: backing components (reported vs proven, losses by kind), validators proven / slashed /
// exited and their proofs' freshness, operators and AVS exposure, the rate's history as a chart,
// and the risk score with its parts.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h, facts, value, section, table, fill } from '../dom';
import { assetOf, type Context, type Page } from '../context';
import { lrt, lrtIds, riskTiers, tierOf, type LrtView } from '../chain';
import { units, fixed, perbill, shortHex, duration } from '../format';

let list: HTMLElement;
const charts: uPlot[] = [];

function rateChart(view: LrtView, now: number): HTMLElement {
  const holder = h('div', { class: 'chart', 'data-testid': `lrt-${view.id}-chart` });
  if (view.history.length === 0) {
    holder.append('no rate yet');
    return holder;
  }
  // A step line up to now: the rate holds until the next change.
  const xs = [...view.history.map((p) => p.at), Math.max(now, view.history[view.history.length - 1].at)];
  const ys = [...view.history.map((p) => Number(p.rate) / 1e18), Number(view.history[view.history.length - 1].rate) / 1e18];
  const chart = new uPlot({
    width: 560,
    height: 220,
    scales: { x: { time: true } },
    series: [{}, { label: 'ETH per LRT', stroke: '#2b6cb0', width: 2, paths: uPlot.paths.stepped!({ align: 1 }), points: { show: true } }],
    axes: [{}, { size: 70, values: (_u, splits) => splits.map((v) => v.toFixed(4)) }],
  }, [xs, ys], holder);
  charts.push(chart);
  return holder;
}

async function card(ctx: Context, view: LrtView, finalizedSlot: number | null, now: number): Promise<HTMLElement> {
  const token = await assetOf(ctx, view.id);
  const eth = 'ETH';
  const id = `lrt-${view.id}`;
  const wei = (v: bigint, field: string) => value(`${units(v, 18)} ${eth}`, `${id}-${field}`, v);
  const rate = (v: bigint | null, field: string) => value(v === null ? 'none' : `${fixed(v, 6)} ${eth}`, `${id}-${field}`, v);
  const c = view.components;
  const tiers = await riskTiers(ctx.api);
  const proofAge = finalizedSlot === null ? null : finalizedSlot - view.validators.oldestProofSlot;
  const totalShares = view.snapshot?.stakes.reduce((sum, s) => sum + s.shares, 0n) ?? 0n;
  const scoreOf = new Map(view.risk.operatorScores.map((o) => [o.operator, o.score]));
  const model = view.risk.model;
  const modelTier = model ? tierOf(tiers, model.score) : null;

  return h('article', { class: 'card', 'data-testid': id },
    h('h3', {}, `${token.symbol} (asset ${view.id})`, ' ', h('span', { class: `badge ${view.state.toLowerCase()}` }, view.state)),
    h('div', { class: 'columns' },
      h('div', {},
        h('h4', {}, 'Backing rate (ETH per LRT)'),
        facts([
          ['Backing rate (liquidations)', rate(view.backingRate, 'backing-rate')],
          ['Borrow-side rate (limits)', rate(view.borrowRate, 'borrow-rate')],
          ['Reported by the gateway', rate(c?.reported ?? null, 'reported')],
          ['Proven', rate(c?.proven ?? null, 'proven')],
          ['Growth cap', rate(c?.cap ?? null, 'cap')],
          ['Effective', rate(c?.effective ?? null, 'effective')],
          ['Proven losses since the snapshot', wei(c?.losses ?? 0n, 'losses')],
          ['Stale', value(c ? (c.stale ? 'yes: borrowing paused' : 'no') : '–', `${id}-stale`)],
          ['Circuit breaker', value(c ? (c.circuitBreaker ? 'tripped' : 'no') : '–', `${id}-circuit-breaker`)],
          ['Unconfirmed fall', value(c?.unconfirmed ?? 'none', `${id}-unconfirmed`)],
        ]),
        h('h4', {}, 'Losses by kind'),
        view.losses.length === 0 ? h('p', {}, 'none')
          : table(['kind', 'amount', 'Ethereum slot', 'booked'], view.losses.map((l) => [l.kind, value(`${units(l.wei, 18)} ETH`, `${id}-loss`, l.wei), l.slot ?? '–', new Date(l.bookedAt * 1000).toISOString()])),
        h('h4', {}, 'Bridge'),
        facts([
          ['Token on Ethereum', value(view.token, `${id}-token`)],
          ['Gateway', value(view.gateway, `${id}-gateway`)],
          ['Deposited', value(`${units(view.deposited, token.decimals)} ${token.symbol}`, `${id}-deposited`, view.deposited)],
          ['Withdrawn', value(`${units(view.withdrawn, token.decimals)} ${token.symbol}`, `${id}-withdrawn`, view.withdrawn)],
          ['Snapshot', value(view.snapshot ? `${units(view.snapshot.totalEth, 18)} ETH for ${units(view.snapshot.totalSupply, 18)} ${token.symbol}, slot ${view.snapshot.slot}` : 'none', `${id}-snapshot`)],
        ]),
      ),
      h('div', {},
        h('h4', {}, 'Rate history'),
        rateChart(view, now),
        h('h4', {}, 'Validators'),
        facts([
          ['Proven', value(String(view.validators.total), `${id}-validators`, view.validators.total)],
          ['Active', value(String(view.validators.active), `${id}-active`, view.validators.active)],
          ['Slashed', value(String(view.validators.slashed), `${id}-slashed`, view.validators.slashed)],
          ['Exited', value(String(view.validators.exited), `${id}-exited`, view.validators.exited)],
          ['Balance', value(`${units(view.validators.balanceGwei, 9)} ETH`, `${id}-balance`, view.validators.balanceGwei)],
          ['Oldest proof', value(view.validators.total ? `slot ${view.validators.oldestProofSlot}` : '–', `${id}-oldest-proof`, view.validators.oldestProofSlot)],
          ['Freshness', value(proofAge === null || !view.validators.total ? '–'
            : `${proofAge} slots (${duration(proofAge * 12)}) behind the light client${view.maxProofAgeSlots === null ? '' : `, limit ${view.maxProofAgeSlots}`}${view.maxProofAgeSlots !== null && proofAge > view.maxProofAgeSlots ? ': STALE' : ''}`, `${id}-freshness`)],
        ]),
      ),
    ),
    h('h4', {}, 'Operators and AVS exposure'),
    view.snapshot && view.snapshot.stakes.length
      ? table(['operator', 'strategy', 'shares', 'share', 'operator score'], view.snapshot.stakes.map((s) => [
        shortHex(s.operator), shortHex(s.strategy), units(s.shares, 18),
        totalShares ? perbill(s.shares * 1_000_000_000n / totalShares) : '–', String(scoreOf.get(s.operator) ?? '–'),
      ]), { 'data-testid': `${id}-stakes` })
      : h('p', {}, 'no delegations in the snapshot'),
    facts([
      ['Operators registered on the bridge', value(view.operators.length ? view.operators.map(shortHex).join(', ') : 'none', `${id}-operators`)],
      ['AVSs registered on the bridge', value(view.avss.length ? view.avss.map(shortHex).join(', ') : 'none', `${id}-avss`)],
    ]),
    h('h4', {}, 'Risk'),
    facts([
      ['Accepted score', value(view.risk.accepted ? `${view.risk.accepted.score} (tier ${view.risk.accepted.tier + 1}, epoch ${view.risk.accepted.epoch})` : 'none yet: an epoch is judged when it ends', `${id}-risk-accepted`)],
      ['Market limits from risk', value(view.risk.limits ? `LTV ≤ ${perbill(view.risk.limits.ltv)}, threshold ≤ ${perbill(view.risk.limits.liquidationThreshold)}` : 'uncapped', `${id}-risk-limits`)],
      ['Model score now', value(model ? `${model.score} / 1000${modelTier === null ? '' : ` (tier ${modelTier + 1})`}` : '–', `${id}-risk-score`, model?.score ?? null)],
      ...(model ? Object.entries(model.parts).map(([part, score]): [string, HTMLElement] => [`  ${part}`, value(String(score), `${id}-risk-${part}`, score)]) : []),
      ['Validators with a risk score', value(String(view.risk.slashedValidators), `${id}-risk-validators`)],
    ]),
    table(['tier', 'score up to', 'LTV', 'liquidation threshold'], tiers.map((t, i) => [String(i + 1), String(t.maxScore), perbill(t.ltv), perbill(t.liquidationThreshold)])),
  );
}

export const lrtPage: Page = {
  title: 'LRTs',
  mount(root) {
    list = h('div', { class: 'cards' }, 'loading LRTs…');
    root.append(section('Liquid restaking tokens', list));
  },
  async update(ctx) {
    const { api } = ctx;
    const ids = await lrtIds(api);
    const wanted = Number(new URLSearchParams(location.hash.split('?')[1] ?? '').get('lrt'));
    const views = (await Promise.all(ids.filter((id) => !wanted || id === wanted).map((id) => lrt(api, id)))).filter((v): v is LrtView => v !== null);
    const root = await api.query.ethereumBeaconClient.latestFinalizedBlockRoot();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const state: any = await api.query.ethereumBeaconClient.finalizedBeaconState(root);
    const finalizedSlot = state.isSome ? state.unwrap().slot.toNumber() : null;
    const now = Number((await api.query.timestamp.now()).toString()) / 1000;
    for (const chart of charts.splice(0)) chart.destroy();
    const cards = await Promise.all(views.map((v) => card(ctx, v, finalizedSlot, now)));
    fill(list, ...(cards.length ? cards : [h('p', {}, 'No LRT registered yet (lrtBridge.registerLrt).')]));
  },
  unmount() {
    for (const chart of charts.splice(0)) chart.destroy();
  },
};
