// Markets: per market the LRT, supplied and borrowed, utilisation, supply and borrow rates, caps,
// the LTV and liquidation threshold in force (risk-capped), the LRT's backing rate and risk tier.
import { h, facts, value, section, fill } from '../dom';
import { assetOf, type Context, type Page } from '../context';
import { market, marketIds, riskTiers, tierOf, type MarketView } from '../chain';
import { units, perbill, fixed, fixedPercent, apyFromRate } from '../format';

let list: HTMLElement;

async function card(ctx: Context, m: MarketView, tier: string): Promise<HTMLElement> {
  const [lrt, borrowed] = await Promise.all([assetOf(ctx, m.collateral), assetOf(ctx, m.borrowAsset)]);
  const id = `market-${m.id}`;
  const amount = (v: bigint, field: string) => value(`${units(v, borrowed.decimals)} ${borrowed.symbol}`, `${id}-${field}`, v);
  const capped = (inForce: bigint, governance: bigint) => (inForce < governance ? ` (governance ${perbill(governance)}, capped by risk)` : '');
  return h('article', { class: 'card', 'data-testid': id },
    h('h3', {}, `Market ${m.id}: borrow ${borrowed.symbol} against ${lrt.symbol}`, ' ', h('span', { class: `badge ${m.state.toLowerCase()}` }, m.state)),
    facts([
      ['Supplied', amount(m.supplyAssets, 'supplied')],
      ['Borrowed', amount(m.totalDebt, 'borrowed')],
      ['Available', amount(m.cash, 'cash')],
      ['Utilisation', value(perbill(m.utilisation), `${id}-utilisation`, m.utilisation)],
      ['Supply APY', h('span', {}, value(apyFromRate(m.supplyRate), `${id}-supply-apy`), ' (rate ', value(fixedPercent(m.supplyRate), `${id}-supply-rate`, m.supplyRate), ' a year)')],
      ['Borrow APY', h('span', {}, value(apyFromRate(m.borrowRate), `${id}-borrow-apy`), ' (rate ', value(fixedPercent(m.borrowRate), `${id}-borrow-rate`, m.borrowRate), ' a year)')],
      ['Supply cap', amount(m.supplyCap, 'supply-cap')],
      ['Borrow cap', amount(m.borrowCap, 'borrow-cap')],
      ['LTV in force', h('span', {}, value(perbill(m.effectiveLtv), `${id}-ltv`, m.effectiveLtv), capped(m.effectiveLtv, m.ltv))],
      ['Liquidation threshold in force', h('span', {}, value(perbill(m.effectiveLiquidationThreshold), `${id}-lt`, m.effectiveLiquidationThreshold), capped(m.effectiveLiquidationThreshold, m.liquidationThreshold))],
      [`${lrt.symbol} backing rate`, m.backingRate === null ? value('no valuation', `${id}-backing-rate`) : value(`${fixed(m.backingRate, 6)} ${borrowed.symbol}`, `${id}-backing-rate`, m.backingRate)],
      ['Borrow-side rate', m.borrowSideRate === null ? value('stale: borrowing paused', `${id}-borrow-side-rate`) : value(`${fixed(m.borrowSideRate, 6)} ${borrowed.symbol}`, `${id}-borrow-side-rate`, m.borrowSideRate)],
      [`${lrt.symbol} risk tier`, value(tier, `${id}-tier`)],
      ['Collateral posted', value(`${units(m.totalCollateral, lrt.decimals)} ${lrt.symbol}`, `${id}-collateral`, m.totalCollateral)],
      ['Reserves', amount(m.reserves, 'reserves')],
      ['Bad debt', amount(m.badDebt, 'bad-debt')],
      ['Seized collateral for sale', value(`${units(m.stock, lrt.decimals)} ${lrt.symbol}`, `${id}-stock`, m.stock)],
      ['Rate drop being worked off', value(m.propagating ? 'yes' : 'no', `${id}-propagating`)],
    ]),
    h('p', {}, h('a', { href: `#/position?market=${m.id}` }, 'Supply or borrow →'), ' ', h('a', { href: `#/lrt?lrt=${m.collateral}` }, `${lrt.symbol} details →`)),
  );
}

export const marketsPage: Page = {
  title: 'Markets',
  mount(root) {
    list = h('div', { class: 'cards' }, 'loading markets…');
    root.append(section('Markets', list));
  },
  async update(ctx) {
    const { api } = ctx;
    const [ids, tiers] = await Promise.all([marketIds(api), riskTiers(api)]);
    const markets = (await Promise.all(ids.map((id) => market(api, id)))).filter((m): m is MarketView => m !== null);
    const cards = await Promise.all(markets.map(async (m) => {
      const [accepted, model] = await Promise.all([api.call.riskApi.score(m.collateral), api.call.riskApi.compute(m.collateral)]);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const acc = accepted as any, mod = model as any;
      let tier = 'no score yet';
      if (acc.isSome) tier = `tier ${acc.unwrap().tier.toNumber() + 1} of ${tiers.length} (score ${acc.unwrap().score.toNumber()}, accepted)`;
      else if (mod.isSome) {
        const score = mod.unwrap().score.toNumber();
        const index = tierOf(tiers, score);
        tier = `not yet accepted; model score ${score}${index === null ? '' : ` (tier ${index + 1} of ${tiers.length})`}`;
      }
      return card(ctx, m, tier);
    }));
    fill(list, ...(cards.length ? cards : [h('p', {}, 'No market yet. Governance creates markets with lending.createMarket.')]));
  },
};
