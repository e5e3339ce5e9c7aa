// The app's shell: connects to the node, offers accounts, routes between pages (#/markets, …)
// and refreshes the page shown on every new block.
import './style.css';
import { connect, endpoint, type SigningAccount } from './chain';
import { devAccounts, extensionAccounts } from './accounts';
import { h } from './dom';
import type { Context, Page } from './context';
import { marketsPage } from './pages/markets';
import { lrtPage } from './pages/lrt';
import { positionPage } from './pages/position';
import { activityPage } from './pages/activity';
import { networkPage } from './pages/network';

const pages: Record<string, Page> = {
  markets: marketsPage,
  lrt: lrtPage,
  position: positionPage,
  activity: activityPage,
  network: networkPage,
};

const nav = document.getElementById('nav')!;
const status = document.getElementById('status')!;
const accountSelect = document.getElementById('account') as HTMLSelectElement;
const root = document.getElementById('page')!;

for (const [route, page] of Object.entries(pages)) {
  nav.append(h('a', { href: `#/${route}`, 'data-route': route }, page.title));
}

function routeOf(): string {
  const route = location.hash.replace(/^#\/?/, '').split('?')[0];
  return route in pages ? route : 'markets';
}

async function main(): Promise<void> {
  const url = endpoint();
  status.textContent = `connecting to ${url}…`;
  const api = await connect(url);
  const chainType = await api.rpc.system.chainType();
  const development = chainType.isDevelopment || chainType.isLocal;
  const accounts: SigningAccount[] = [];
  // The extension first (what users sign with), then the dev accounts on development chains.
  try {
    accounts.push(...(await extensionAccounts()));
  } catch (error) {
    console.warn('no wallet extension', error);
  }
  if (development) accounts.push(...(await devAccounts()));

  const ctx: Context = {
    api,
    development,
    account: null,
    accounts,
    assets: new Map(),
    refresh: () => void refresh(),
  };

  const wanted = new URLSearchParams(location.search).get('account') ?? localStorage.getItem('ballast.account');
  accountSelect.replaceChildren(
    h('option', { value: '' }, accounts.length ? 'choose an account' : 'no accounts: install the polkadot{.js} extension'),
    ...accounts.map((a) => h('option', { value: a.address }, `${a.name} ${a.address.slice(0, 8)}…`)),
  );
  const select = (address: string) => {
    ctx.account = accounts.find((a) => a.address === address) ?? null;
    accountSelect.value = ctx.account?.address ?? '';
    if (ctx.account) localStorage.setItem('ballast.account', ctx.account.address);
  };
  select(wanted ?? '');
  accountSelect.addEventListener('change', () => {
    select(accountSelect.value);
    show();
  });

  let current: Page | null = null;
  let updating: Promise<void> | null = null;
  let again = false;

  // One update at a time; blocks that arrive meanwhile cause one more.
  async function refresh(): Promise<void> {
    if (updating) {
      again = true;
      return updating;
    }
    const page = current;
    updating = (async () => {
      try {
        if (page) await page.update(ctx);
        const header = await api.rpc.chain.getHeader();
        document.body.dataset.renderedBlock = String(header.number.toNumber());
        document.body.dataset.renderedPage = routeOf();
      } catch (error) {
        console.error('update failed', (error as Error).stack ?? error);
        root.prepend(h('p', { class: 'error' }, `Could not read the chain: ${String(error)}`));
      }
    })();
    await updating;
    updating = null;
    if (again) {
      again = false;
      await refresh();
    }
  }

  function show(): void {
    const route = routeOf();
    current?.unmount?.();
    current = pages[route];
    for (const link of nav.querySelectorAll('a')) link.classList.toggle('active', link.dataset.route === route);
    delete document.body.dataset.renderedBlock;
    root.replaceChildren();
    current.mount(root, ctx);
    void refresh();
  }

  window.addEventListener('hashchange', show);
  show();

  const chain = await api.rpc.system.chain();
  await api.rpc.chain.subscribeNewHeads((header) => {
    status.textContent = `${chain.toString()} · block #${header.number.toNumber()}`;
    status.dataset.block = String(header.number.toNumber());
    void refresh();
  });
}

main().catch((error) => {
  console.error(error);
  status.textContent = `cannot connect: ${String(error)}`;
});
