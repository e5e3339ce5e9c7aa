// Activity, from events: liquidations (who, how much, discount, in the slash's block or by the
// validators' keeper), proven slashes, deposits and withdrawals (bridge and lending), borrows
// and repayments. Scans the last SCAN_BLOCKS blocks once, then each new block.
import type { ApiPromise } from '@polkadot/api';
import { h, section, table, value, fill } from '../dom';
import type { Page } from '../context';
import { big } from '../chain';
import { units, perbill, shortHex, shortAddress, fixed } from '../format';

const SCAN_BLOCKS = 600;

interface Item {
  block: number;
  index: number;
  kind: 'liquidation' | 'slash' | 'deposit' | 'withdrawal' | 'borrow' | 'repay';
  who: string;
  amount: string;
  details: string;
}

// Kept across visits: blocks are immutable once scanned (finalized blocks; a dev chain).
const byBlock = new Map<number, Item[]>();
let scannedTo = 0;
let list: HTMLElement;
let filterSelect: HTMLSelectElement;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Dyn = any;

const eth = (v: Dyn) => `${units(big(v), 18)}`;

/** A loss kind as text: `AvsSlash: operator 0x0a0a…0a0a, strategy 0xbebe…bebe`. */
function lossKind(kind: Dyn): string {
  const inner = kind.value;
  const fields = inner && typeof inner.toJSON === 'function' && inner.toJSON();
  if (!fields || typeof fields !== 'object') return kind.type;
  const parts = Object.entries(fields).map(([name, v]) => `${name} ${typeof v === 'string' ? shortHex(v) : JSON.stringify(v)}`);
  return `${kind.type}: ${parts.join(', ')}`;
}

function itemsOf(events: Dyn[], block: number): Item[] {
  const items: Item[] = [];
  const sections = new Set(events.map(({ event }: Dyn) => `${event.section}.${event.method}`));
  // A market liquidates in the block of the rate drop (on_idle after a proven slash); otherwise
  // it is the keeper's authorized transaction.
  const slashBlock = sections.has('lending.PropagationStarted') || sections.has('lrtBacking.LossBooked') || sections.has('validatorHealth.ValidatorSlashed');
  events.forEach(({ event }: Dyn, index: number) => {
    const d = event.data;
    const key = `${event.section}.${event.method}`;
    const push = (kind: Item['kind'], who: string, amount: string, details: string) => items.push({ block, index, kind, who, amount, details });
    switch (key) {
      case 'lending.Liquidated': {
        const by = d.liquidator.isSome ? `liquidator ${shortAddress(d.liquidator.unwrap().toString())}`
          : slashBlock ? 'by the market, in the same block as the slash' : "by the market, through the validators' keeper";
        push('liquidation', d.borrower.toString(), `${eth(d.repaid)} ETH repaid`,
          `market ${d.market}; ${eth(d.seized)} LRT seized at a ${perbill(big(d.discount))} discount; health before ${fixed(big(d.health), 4)}; ${by}`);
        break;
      }
      case 'lrtBacking.LossBooked':
        push('slash', '', `${eth(d.wei)} ETH`, `LRT ${d.lrt}: ${lossKind(d.kind)}`);
        break;
      case 'validatorHealth.ValidatorSlashed':
        push('slash', '', `${units(big(d.effectiveBalance), 9)} ETH staked`, `LRT ${d.lrt}: validator ${d.index} slashed on Ethereum (proven)`);
        break;
      case 'lrtBridge.Deposited':
        push('deposit', d.recipient.toString(), `${eth(d.amount)} ${d.lrt.toNumber() === 1 ? 'ETH' : `LRT-${d.lrt}`}`, `bridged from ${shortHex(d.sender.toHex())}, nonce ${d.nonce}`);
        break;
      case 'lrtBridge.WithdrawalQueued':
        push('withdrawal', d.who.toString(), `${eth(d.amount)} LRT-${d.lrt}`, `to Ethereum ${d.recipient.toHex()}, nonce ${d.nonce}`);
        break;
      case 'lending.Supplied':
        push('deposit', d.who.toString(), `${eth(d.amount)} ETH`, `supplied to market ${d.market}`);
        break;
      case 'lending.Withdrawn':
        push('withdrawal', d.who.toString(), `${eth(d.amount)} ETH`, `withdrawn from market ${d.market}`);
        break;
      case 'lending.CollateralDeposited':
        push('deposit', d.who.toString(), `${eth(d.amount)} LRT`, `collateral into market ${d.market}`);
        break;
      case 'lending.CollateralWithdrawn':
        push('withdrawal', d.who.toString(), `${eth(d.amount)} LRT`, `collateral out of market ${d.market}`);
        break;
      case 'lending.Borrowed':
        push('borrow', d.who.toString(), `${eth(d.amount)} ETH`, `market ${d.market}`);
        break;
      case 'lending.Repaid':
        push('repay', d.borrower.toString(), `${eth(d.amount)} ETH`, `market ${d.market}, paid by ${shortAddress(d.payer.toString())}`);
        break;
      default:
    }
  });
  return items;
}

async function scan(api: ApiPromise): Promise<void> {
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  const from = Math.max(scannedTo + 1, head - SCAN_BLOCKS + 1, 1);
  // A few blocks at a time: enough parallelism without flooding the node.
  for (let start = from; start <= head; start += 16) {
    const numbers = Array.from({ length: Math.min(16, head - start + 1) }, (_, i) => start + i);
    await Promise.all(numbers.map(async (n) => {
      const hash = await api.rpc.chain.getBlockHash(n);
      const events: Dyn = await (await api.at(hash)).query.system.events();
      const items = itemsOf(events, n);
      if (items.length) byBlock.set(n, items);
    }));
  }
  scannedTo = head;
}

export const activityPage: Page = {
  title: 'Activity',
  mount(root) {
    filterSelect = h('select', { 'data-testid': 'activity-filter', 'aria-label': 'kind' },
      ...['all', 'liquidation', 'slash', 'deposit', 'withdrawal', 'borrow', 'repay'].map((k) => h('option', { value: k }, k)));
    list = h('div', {}, 'scanning recent blocks…');
    filterSelect.addEventListener('change', () => render());
    root.append(section(`Recent activity (last ${SCAN_BLOCKS} blocks)`, h('label', {}, 'Show ', filterSelect), list));
  },
  async update(ctx) {
    await scan(ctx.api);
    render();
  },
};

function render(): void {
  const kind = filterSelect.value;
  const items = [...byBlock.entries()].sort(([a], [b]) => b - a).flatMap(([, list]) => list)
    .filter((item) => kind === 'all' || item.kind === kind);
  fill(list, items.length === 0 ? h('p', {}, 'Nothing yet.')
    : table(['block', 'what', 'who', 'amount', 'details'], items.map((item) => [
      String(item.block),
      h('span', { class: `badge ${item.kind}` }, item.kind),
      item.who ? value(shortAddress(item.who), undefined, item.who) : '',
      item.amount,
      item.details,
    ]), { 'data-testid': 'activity' }));
  for (const [i, row] of [...list.querySelectorAll('tbody tr')].entries()) row.setAttribute('data-kind', items[i].kind);
}
