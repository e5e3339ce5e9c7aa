// Position (of the chosen account): collateral, debt, health, the backing rate at which it would be
// liquidated, max borrow; actions (supply, withdraw, deposit and withdraw collateral, borrow,
// repay) with the resulting health before signing, and the chain's error when one fails.
import { h, facts, value, section, fill } from '../dom';
import { assetOf, type Context, type Page } from '../context';
import { market, marketIds, position, lender, maxBorrow, assetBalance, nativeBalance, send, type MarketView, type PositionView } from '../chain';
import { current, project, type Action, type Projection } from '../health';
import { units, fixed, health, parseUnits } from '../format';

const ACTIONS: { action: Action; label: string; asset: 'borrow' | 'collateral' }[] = [
  { action: 'supply', label: 'Supply (lend)', asset: 'borrow' },
  { action: 'withdraw', label: 'Withdraw supply', asset: 'borrow' },
  { action: 'depositCollateral', label: 'Deposit collateral', asset: 'collateral' },
  { action: 'withdrawCollateral', label: 'Withdraw collateral', asset: 'collateral' },
  { action: 'borrow', label: 'Borrow', asset: 'borrow' },
  { action: 'repay', label: 'Repay', asset: 'borrow' },
];

interface State {
  marketId: number;
  market: MarketView | null;
  position: PositionView | null;
}

const state: State = { marketId: 0, market: null, position: null };
let panel: HTMLElement;
let marketSelect: HTMLSelectElement;
let actionSelect: HTMLSelectElement;
let amountInput: HTMLInputElement;
let previewBox: HTMLElement;
let submitButton: HTMLButtonElement;
let result: HTMLElement;

function healthClass(value: bigint | null): string {
  if (value === null) return 'good';
  if (value < 10n ** 18n) return 'bad';
  if (value < 11n * 10n ** 17n) return 'warn';
  return 'good';
}

function projectionFacts(p: Projection, borrowSymbol: string, lrtSymbol: string, prefix: string): HTMLElement {
  return facts([
    ['Collateral', value(`${units(p.collateral, 18)} ${lrtSymbol}`, `${prefix}-collateral`, p.collateral)],
    ['Debt', value(`${units(p.debt, 18)} ${borrowSymbol}`, `${prefix}-debt`, p.debt)],
    ['Health factor', h('span', { class: `health ${healthClass(p.health)}` }, value(health(p.health), `${prefix}-health`, p.health))],
    ['Borrow limit', value(`${units(p.borrowLimit, 18)} ${borrowSymbol}`, `${prefix}-borrow-limit`, p.borrowLimit)],
    ['Liquidated at a backing rate of', value(p.liquidationRate === null ? '–' : `${fixed(p.liquidationRate, 6)} ${borrowSymbol} per ${lrtSymbol}`, `${prefix}-liquidation-rate`, p.liquidationRate)],
  ]);
}

async function renderPreview(ctx: Context): Promise<void> {
  const m = state.market;
  if (!m) return;
  const [lrt, borrowed] = await Promise.all([assetOf(ctx, m.collateral), assetOf(ctx, m.borrowAsset)]);
  const action = actionSelect.value as Action;
  const decimals = ACTIONS.find((a) => a.action === action)!.asset === 'borrow' ? borrowed.decimals : lrt.decimals;
  const amount = parseUnits(amountInput.value, decimals);
  if (amount === null || amount === 0n) {
    fill(previewBox, h('p', {}, 'Enter an amount to see the resulting position.'));
    submitButton.disabled = true;
    return;
  }
  submitButton.disabled = !ctx.account;
  const after = project(state.position, m, action, amount);
  const changesPosition = action !== 'supply' && action !== 'withdraw';
  fill(previewBox,
    h('h4', {}, 'After this action'),
    changesPosition ? projectionFacts(after, borrowed.symbol, lrt.symbol, 'preview')
      : h('p', {}, 'Lending does not change your borrowing position or its health.'),
    changesPosition && after.health !== null && after.health < 10n ** 18n ? h('p', { class: 'error' }, 'This would leave the position liquidatable.') : null,
    (action === 'borrow' || action === 'withdrawCollateral') && after.debt > after.borrowLimit
      ? h('p', { class: 'error', 'data-testid': 'preview-over-limit' }, 'The debt would exceed the borrow limit: the chain will refuse it.') : null,
  );
}

function txFor(ctx: Context, action: Action, id: number, amount: bigint) {
  const { api } = ctx;
  switch (action) {
    case 'supply': return api.tx.lending.supply(id, amount);
    case 'withdraw': return api.tx.lending.withdraw(id, amount);
    case 'depositCollateral': return api.tx.lending.depositCollateral(id, amount);
    case 'withdrawCollateral': return api.tx.lending.withdrawCollateral(id, amount);
    case 'borrow': return api.tx.lending.borrow(id, amount);
    case 'repay': return api.tx.lending.repay(id, ctx.account!.address, amount);
  }
}

async function submit(ctx: Context): Promise<void> {
  const m = state.market;
  const account = ctx.account;
  if (!m || !account) return;
  const [lrt, borrowed] = await Promise.all([assetOf(ctx, m.collateral), assetOf(ctx, m.borrowAsset)]);
  const action = actionSelect.value as Action;
  const decimals = ACTIONS.find((a) => a.action === action)!.asset === 'borrow' ? borrowed.decimals : lrt.decimals;
  const amount = parseUnits(amountInput.value, decimals);
  if (amount === null || amount === 0n) return;
  submitButton.disabled = true;
  result.className = 'tx-result pending';
  result.dataset.state = 'pending';
  fill(result, 'Signing…');
  try {
    const outcome = await send(ctx.api, txFor(ctx, action, m.id, amount), account, (s) => fill(result, `Transaction ${s}…`));
    if (outcome.error) {
      result.className = 'tx-result error';
      result.dataset.state = 'failed';
      fill(result, 'The chain refused it: ', h('strong', { 'data-testid': 'tx-error' }, outcome.error.name), outcome.error.docs ? ` — ${outcome.error.docs}` : '');
    } else {
      result.className = 'tx-result ok';
      result.dataset.state = 'ok';
      fill(result, `Done: in block ${outcome.blockHash.slice(0, 10)}…`);
      amountInput.value = '';
    }
  } catch (error) {
    result.className = 'tx-result error';
    result.dataset.state = 'failed';
    fill(result, 'Not sent: ', h('strong', { 'data-testid': 'tx-error' }, String((error as Error).message ?? error)));
  } finally {
    submitButton.disabled = false;
    ctx.refresh();
  }
}

export const positionPage: Page = {
  title: 'Position',
  mount(root, ctx) {
    const wanted = new URLSearchParams(location.hash.split('?')[1] ?? '').get('market');
    if (wanted !== null) state.marketId = Number(wanted);
    state.market = null;
    state.position = null;
    panel = h('div', { class: 'columns' }, 'loading…');
    marketSelect = h('select', { 'data-testid': 'market-select', 'aria-label': 'market' });
    marketSelect.addEventListener('change', () => {
      state.marketId = Number(marketSelect.value);
      ctx.refresh();
    });
    actionSelect = h('select', { 'data-testid': 'action', 'aria-label': 'action' }, ...ACTIONS.map((a) => h('option', { value: a.action }, a.label)));
    amountInput = h('input', { 'data-testid': 'amount', 'aria-label': 'amount', inputmode: 'decimal', placeholder: 'amount', autocomplete: 'off' });
    previewBox = h('div', { class: 'preview', 'data-testid': 'preview' });
    submitButton = h('button', { 'data-testid': 'submit', type: 'submit', disabled: '' }, 'Sign and send');
    result = h('div', { class: 'tx-result', 'data-testid': 'tx-result' });
    for (const input of [actionSelect, amountInput]) {
      input.addEventListener('input', () => void renderPreview(ctx));
      input.addEventListener('change', () => void renderPreview(ctx));
    }
    const form = h('form', { class: 'action' }, h('label', {}, 'Action ', actionSelect), h('label', {}, 'Amount ', amountInput), submitButton);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void submit(ctx);
    });
    root.append(
      section('Your position', h('label', {}, 'Market ', marketSelect), panel),
      section('Act', ctx.account ? null : h('p', { class: 'warn' }, 'Choose an account (top right) to sign.'), form, previewBox, result),
    );
  },
  async update(ctx) {
    const { api, account } = ctx;
    const ids = await marketIds(api);
    if (marketSelect.options.length !== ids.length) {
      marketSelect.replaceChildren(...ids.map((id) => h('option', { value: String(id) }, `Market ${id}`)));
    }
    marketSelect.value = String(state.marketId);
    const m = await market(api, state.marketId);
    state.market = m;
    if (!m) {
      fill(panel, h('p', {}, 'No such market.'));
      return;
    }
    const [lrt, borrowed] = await Promise.all([assetOf(ctx, m.collateral), assetOf(ctx, m.borrowAsset)]);
    if (!account) {
      state.position = null;
      fill(panel, h('p', {}, 'Choose an account to see its position.'));
      await renderPreview(ctx);
      return;
    }
    const who = account.address;
    const [p, supplied, room, lrtBalance, borrowBalance, bal] = await Promise.all([
      position(api, m.id, who), lender(api, m.id, who), maxBorrow(api, m.id, who),
      assetBalance(api, m.collateral, who), assetBalance(api, m.borrowAsset, who), nativeBalance(api, who),
    ]);
    state.position = p;
    const now = current(p, m);
    fill(panel,
      h('div', {},
        h('h4', {}, 'Borrowing'),
        projectionFacts(now, borrowed.symbol, lrt.symbol, 'position'),
        facts([
          ['Max borrow now', value(`${units(room, borrowed.decimals)} ${borrowed.symbol}`, 'position-max-borrow', room)],
          ['Liquidatable', value(p?.liquidatable ? 'yes' : 'no', 'position-liquidatable')],
        ]),
      ),
      h('div', {},
        h('h4', {}, 'Lending'),
        facts([
          ['Supplied (with interest)', value(`${units(supplied.assets, borrowed.decimals)} ${borrowed.symbol}`, 'lender-assets', supplied.assets)],
        ]),
        h('h4', {}, 'Wallet'),
        facts([
          ['Account', value(who, 'account-address')],
          [borrowed.symbol, value(`${units(borrowBalance, borrowed.decimals)} ${borrowed.symbol}`, 'wallet-borrow-asset', borrowBalance)],
          [lrt.symbol, value(`${units(lrtBalance, lrt.decimals)} ${lrt.symbol}`, 'wallet-collateral', lrtBalance)],
          ['BAL (fees)', value(`${units(bal, 12)} BAL`, 'wallet-bal', bal)],
        ]),
      ),
    );
    await renderPreview(ctx);
  },
};
