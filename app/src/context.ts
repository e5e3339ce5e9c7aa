// What every page gets: the connected API, asset metadata, the chosen account.
import type { ApiPromise } from '@polkadot/api';
import { asset, type Asset, type SigningAccount } from './chain';

export interface Context {
  api: ApiPromise;
  /** A development chain: the dev accounts are offered. */
  development: boolean;
  account: SigningAccount | null;
  accounts: SigningAccount[];
  assets: Map<number, Asset>;
  /** Asks for a refresh of the current page now (after a transaction). */
  refresh(): void;
}

/** An asset's metadata, read once. */
export async function assetOf(ctx: Context, id: number): Promise<Asset> {
  let known = ctx.assets.get(id);
  if (!known) {
    known = await asset(ctx.api, id);
    ctx.assets.set(id, known);
  }
  return known;
}

/** A page: built once when shown (`mount`), then `update`d on every new block. */
export interface Page {
  title: string;
  mount(root: HTMLElement, ctx: Context): void;
  update(ctx: Context): Promise<void>;
  unmount?(): void;
}
