// Everything the app reads from the chain, through runtime APIs (`api.call.*`) and storage, turned
// into plain values (bigints for amounts) so that pages only format.
import { ApiPromise, WsProvider } from '@polkadot/api';
import type { Codec } from '@polkadot/types/types';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { Signer } from '@polkadot/types/types';
import type { KeyringPair } from '@polkadot/keyring/types';

/** Ballast's SS58 prefix (`ballast_primitives::network::SS58_PREFIX`). */
export const SS58_PREFIX = 7771;

/** Where the node is: `?rpc=ws://…` in the page's address, else the local dev node. */
export function endpoint(): string {
  return new URLSearchParams(location.search).get('rpc') ?? 'ws://127.0.0.1:9944';
}

export async function connect(url: string): Promise<ApiPromise> {
  return ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
}

/** A codec holding an integer (u32…u128, FixedU128, Perbill) as a bigint. */
export function big(value: Codec | { toString(): string }): bigint {
  return BigInt(value.toString());
}

/** A plain or optional integer codec as a number (0 when None). */
function optNumber(value: Dyn): number {
  if (value.isNone) return 0;
  return Number((value.isSome ? value.unwrap() : value).toString());
}

/** The Ethereum slot of a loss's position (an Option in newer runtimes); null when unknown. */
function lossSlot(position: Dyn): number | null {
  if (!position || position.isNone) return null;
  return (position.isSome ? position.unwrap() : position).slot.toNumber();
}

/** An Option<integer> as a bigint or null. */
export function optBig(value: Codec): bigint | null {
  const option = value as unknown as { isSome: boolean; unwrap(): Codec };
  return option.isSome ? big(option.unwrap()) : null;
}

// The generated augmentations are not in this project (no codegen step): results are read
// through this loose view of polkadot.js's dynamic codecs.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Dyn = any;

export interface Asset {
  id: number;
  symbol: string;
  decimals: number;
}

/** An asset's symbol and decimals; LRTs registered without metadata show as LRT-<id>, 18 decimals. */
export async function asset(api: ApiPromise, id: number): Promise<Asset> {
  const meta: Dyn = await api.query.assets.metadata(id);
  const symbol = meta.symbol.toUtf8?.() || '';
  const decimals = meta.decimals.toNumber();
  if (!symbol) return { id, symbol: `LRT-${id}`, decimals: 18 };
  return { id, symbol, decimals };
}

export interface MarketView {
  id: number;
  collateral: number;
  borrowAsset: number;
  state: string;
  ltv: bigint;
  liquidationThreshold: bigint;
  effectiveLtv: bigint;
  effectiveLiquidationThreshold: bigint;
  supplyCap: bigint;
  borrowCap: bigint;
  minDebt: bigint;
  reserveFactor: bigint;
  totalDebt: bigint;
  supplyAssets: bigint;
  cash: bigint;
  reserves: bigint;
  totalCollateral: bigint;
  stock: bigint;
  badDebt: bigint;
  utilisation: bigint;
  borrowRate: bigint;
  supplyRate: bigint;
  backingRate: bigint | null;
  borrowSideRate: bigint | null;
  propagating: boolean;
}

/** The ids of all markets (0 … nextMarketId − 1) that the runtime API still knows. */
export async function marketIds(api: ApiPromise): Promise<number[]> {
  const next = Number((await api.query.lending.nextMarketId()).toString());
  return Array.from({ length: next }, (_, i) => i);
}

export async function market(api: ApiPromise, id: number): Promise<MarketView | null> {
  const option: Dyn = await api.call.lendingApi.market(id);
  if (option.isNone) return null;
  const view: Dyn = option.unwrap();
  const { market: m } = view;
  const { params, ledger } = m;
  return {
    id,
    collateral: m.collateral.toNumber(),
    borrowAsset: m.borrowAsset.toNumber(),
    state: m.state.type,
    ltv: big(params.ltv),
    liquidationThreshold: big(params.liquidationThreshold),
    effectiveLtv: big(view.effectiveLtv),
    effectiveLiquidationThreshold: big(view.effectiveLiquidationThreshold),
    supplyCap: big(params.supplyCap),
    borrowCap: big(params.borrowCap),
    minDebt: big(params.minDebt),
    reserveFactor: big(params.reserveFactor),
    totalDebt: big(view.totalDebt),
    supplyAssets: big(view.supplyAssets),
    cash: big(ledger.cash),
    reserves: big(ledger.reserves),
    totalCollateral: big(ledger.totalCollateral),
    stock: big(ledger.stock),
    badDebt: big(ledger.badDebt.total),
    utilisation: big(view.utilisation),
    borrowRate: big(view.borrowRate),
    supplyRate: big(view.supplyRate),
    backingRate: optBig(view.backingRate),
    borrowSideRate: optBig(view.borrowSideRate),
    propagating: view.propagating.isTrue,
  };
}

export interface PositionView {
  collateral: bigint;
  debt: bigint;
  weightedCollateral: bigint;
  health: bigint | null;
  liquidatable: boolean;
  borrowLimit: bigint;
}

export async function position(api: ApiPromise, id: number, who: string): Promise<PositionView | null> {
  const option: Dyn = await api.call.lendingApi.position(id, who);
  if (option.isNone) return null;
  const p: Dyn = option.unwrap();
  return {
    collateral: big(p.collateral),
    debt: big(p.debt),
    weightedCollateral: big(p.weightedCollateral),
    health: optBig(p.health),
    liquidatable: p.liquidatable.isTrue,
    borrowLimit: big(p.borrowLimit),
  };
}

export async function lender(api: ApiPromise, id: number, who: string): Promise<{ shares: bigint; assets: bigint }> {
  const view: Dyn = await api.call.lendingApi.lender(id, who);
  return { shares: big(view.shares), assets: big(view.assets) };
}

export async function maxBorrow(api: ApiPromise, id: number, who: string): Promise<bigint> {
  return big(await api.call.lendingApi.maxBorrow(id, who));
}

/** An account's balance of an asset (0 without an account). */
export async function assetBalance(api: ApiPromise, id: number, who: string): Promise<bigint> {
  const option: Dyn = await api.query.assets.account(id, who);
  return option.isSome ? big(option.unwrap().balance) : 0n;
}

/** An account's free BAL (native token, 12 decimals). */
export async function nativeBalance(api: ApiPromise, who: string): Promise<bigint> {
  const account: Dyn = await api.query.system.account(who);
  return big(account.data.free);
}

/** The LRTs the bridge knows (ids of `lrtBridge.lrts`, less bridged ETH), in order. */
export async function lrtIds(api: ApiPromise): Promise<number[]> {
  const [keys, ether]: Dyn[] = await Promise.all([api.query.lrtBridge.lrts.keys(), api.query.lrtBridge.bridgedEther()]);
  const etherId = ether.isSome ? Number(ether.unwrap().toString()) : null;
  return keys.map((key: Dyn) => Number(key.args[0].toString())).filter((id: number) => id !== etherId).sort((a: number, b: number) => a - b);
}

export interface LrtView {
  id: number;
  token: string;
  gateway: string;
  state: string;
  operators: string[];
  avss: string[];
  deposited: bigint;
  withdrawn: bigint;
  backingRate: bigint | null;
  borrowRate: bigint | null;
  components: {
    reported: bigint;
    proven: bigint;
    cap: bigint;
    effective: bigint;
    losses: bigint;
    stale: boolean;
    circuitBreaker: boolean;
    unconfirmed: string | null;
  } | null;
  snapshot: {
    totalEth: bigint;
    totalSupply: bigint;
    timestamp: number;
    slot: number;
    stakes: { operator: string; strategy: string; shares: bigint }[];
  } | null;
  history: { rate: bigint; at: number }[];
  losses: { kind: string; detail: string; wei: bigint; bookedAt: number; slot: number | null }[];
  validators: { total: number; active: number; exited: number; slashed: number; balanceGwei: bigint; oldestProofSlot: number };
  maxProofAgeSlots: number | null;
  risk: {
    accepted: { score: number; tier: number; epoch: number } | null;
    limits: { ltv: bigint; liquidationThreshold: bigint } | null;
    model: { score: number; parts: Record<string, number> } | null;
    operatorScores: { operator: string; score: number }[];
    slashedValidators: number;
  };
}

export async function lrt(api: ApiPromise, id: number): Promise<LrtView | null> {
  const [profileOpt, totals, backingRate, borrowRate, componentsOpt, snapshotOpt, history, losses, aggregates, params, accepted, limits, model, operatorScores, validatorScores]: Dyn[] =
    await Promise.all([
      api.call.lrtBridgeApi.lrt(id),
      api.call.lrtBridgeApi.totals(id),
      api.call.lrtBackingApi.backingRate(id),
      api.call.lrtBackingApi.borrowRate(id),
      api.call.lrtBackingApi.components(id),
      api.call.lrtBackingApi.snapshot(id),
      api.call.lrtBackingApi.history(id),
      api.query.lrtBacking.losses(id),
      api.call.validatorHealthApi.lrtAggregates(id),
      api.query.lrtBacking.params(id),
      api.call.riskApi.score(id),
      api.call.riskApi.limits(id),
      api.call.riskApi.compute(id),
      api.call.riskApi.operatorScores(id),
      api.call.riskApi.validatorScores(id),
    ]);
  if (profileOpt.isNone) return null;
  const profile = profileOpt.unwrap();
  const components = componentsOpt.isSome ? componentsOpt.unwrap() : null;
  const snapshot = snapshotOpt.isSome ? snapshotOpt.unwrap() : null;
  const modelScore = model.isSome ? model.unwrap().toJSON() as Record<string, number> : null;
  return {
    id,
    token: profile.token.toHex(),
    gateway: profile.gateway.toHex(),
    state: profile.state.type,
    operators: profile.operators.map((o: Codec) => o.toHex()),
    avss: profile.avss.map((a: Codec) => a.toHex()),
    deposited: big(totals.deposited),
    withdrawn: big(totals.withdrawn),
    backingRate: optBig(backingRate),
    borrowRate: optBig(borrowRate),
    components: components && {
      reported: big(components.reported),
      proven: big(components.proven),
      cap: big(components.cap),
      effective: big(components.effective),
      losses: big(components.losses),
      stale: components.stale.isTrue,
      circuitBreaker: components.circuitBreaker.isTrue,
      unconfirmed: components.unconfirmed.isSome ? components.unconfirmed.unwrap().toString() : null,
    },
    snapshot: snapshot && {
      totalEth: big(snapshot.totalEth),
      totalSupply: big(snapshot.totalSupply),
      timestamp: snapshot.timestamp.toNumber(),
      slot: snapshot.position.slot.toNumber(),
      stakes: snapshot.stakes.map((s: Dyn) => ({ operator: s.operator.toHex(), strategy: s.strategy.toHex(), shares: big(s.shares) })),
    },
    history: history.map((h: Dyn) => ({ rate: big(h.rate), at: h.at.toNumber() })),
    losses: losses.map((loss: Dyn) => ({
      kind: loss.kind.type,
      detail: JSON.stringify(loss.kind.toJSON()),
      wei: big(loss.wei),
      bookedAt: loss.bookedAt.toNumber(),
      slot: lossSlot(loss.position),
    })),
    validators: {
      total: aggregates.validators.toNumber(),
      active: aggregates.active.toNumber(),
      exited: aggregates.exited.toNumber(),
      slashed: aggregates.slashed.toNumber(),
      balanceGwei: big(aggregates.totalBalance),
      oldestProofSlot: optNumber(aggregates.oldestProofSlot),
    },
    maxProofAgeSlots: params.isSome ? params.unwrap().maxProofAgeSlots.toNumber() : null,
    risk: {
      accepted: accepted.isSome
        ? { score: accepted.unwrap().score.toNumber(), tier: accepted.unwrap().tier.toNumber(), epoch: accepted.unwrap().epoch.toNumber() }
        : null,
      limits: limits.isSome ? { ltv: big(limits.unwrap().ltv), liquidationThreshold: big(limits.unwrap().liquidationThreshold) } : null,
      model: modelScore && { score: modelScore.score, parts: Object.fromEntries(Object.entries(modelScore).filter(([k]) => k !== 'score')) },
      operatorScores: operatorScores.map(([operator, score]: Dyn) => ({ operator: operator.toHex(), score: score.toNumber() })),
      slashedValidators: validatorScores.filter(([, score]: Dyn) => score.toNumber() > 0).length,
    },
  };
}

export interface RiskTier { maxScore: number; ltv: bigint; liquidationThreshold: bigint }

export async function riskTiers(api: ApiPromise): Promise<RiskTier[]> {
  const tiers: Dyn = await api.call.riskApi.tiers();
  return tiers.map((t: Dyn) => ({ maxScore: t.maxScore.toNumber(), ltv: big(t.ltv), liquidationThreshold: big(t.liquidationThreshold) }));
}

/** The tier a score falls in: the first whose `maxScore` is at least the score. */
export function tierOf(tiers: RiskTier[], score: number): number | null {
  const index = tiers.findIndex((t) => score <= t.maxScore);
  return index < 0 ? null : index;
}

/** Genesis times of the Ethereum networks the light client may follow, by genesis fork version. */
const BEACON_GENESIS: Record<string, { name: string; time: number }> = {
  '0x00000000': { name: 'Ethereum mainnet', time: 1_606_824_023 },
  '0x90000069': { name: 'Sepolia', time: 1_655_733_600 },
  '0x10000910': { name: 'Hoodi', time: 1_742_213_400 },
};
const SECONDS_PER_SLOT = 12;

export interface NetworkView {
  chainTime: number;
  bestBlock: number;
  finalizedBlock: number;
  ethereum: string;
  finalizedSlot: number | null;
  slotTime: number | null;
  operatingMode: string;
  lrts: { id: number; oldestProofSlot: number; validators: number; maxProofAgeSlots: number | null }[];
  risk: { epoch: number; epochBlocks: number | null; lastAccepted: number | null; reporters: { key: string; reported: boolean }[] };
}

export async function network(api: ApiPromise): Promise<NetworkView> {
  const [now, header, finalizedHash, root, forks, mode, ids, reporters, lastEpoch]: Dyn[] = await Promise.all([
    api.query.timestamp.now(),
    api.rpc.chain.getHeader(),
    api.rpc.chain.getFinalizedHead(),
    api.query.ethereumBeaconClient.latestFinalizedBlockRoot(),
    api.call.validatorHealthApi.ethereumForks(),
    api.query.ethereumBeaconClient.operatingMode(),
    lrtIds(api),
    api.call.riskApi.reporters(),
    api.call.riskApi.lastEpoch(),
  ]);
  const finalizedHeader: Dyn = await api.rpc.chain.getHeader(finalizedHash);
  const state: Dyn = await api.query.ethereumBeaconClient.finalizedBeaconState(root);
  const finalizedSlot = state.isSome ? state.unwrap().slot.toNumber() : null;
  const genesisVersion = forks.isSome ? forks.unwrap().genesis.version.toHex() : null;
  const genesis = genesisVersion ? BEACON_GENESIS[genesisVersion] : undefined;
  const lrts = await Promise.all(ids.map(async (id: number) => {
    const [aggregates, params]: Dyn[] = await Promise.all([api.call.validatorHealthApi.lrtAggregates(id), api.query.lrtBacking.params(id)]);
    return {
      id,
      oldestProofSlot: optNumber(aggregates.oldestProofSlot),
      validators: aggregates.validators.toNumber(),
      maxProofAgeSlots: params.isSome ? params.unwrap().maxProofAgeSlots.toNumber() : null,
    };
  }));
  const [epoch, keys] = reporters;
  const epochBlocks = (api.consts.risk as Dyn)?.epochBlocks;
  return {
    chainTime: Number(now.toString()) / 1000,
    bestBlock: header.number.toNumber(),
    finalizedBlock: finalizedHeader.number.toNumber(),
    ethereum: genesis?.name ?? (genesisVersion ? `genesis fork ${genesisVersion}` : 'not configured'),
    finalizedSlot,
    slotTime: genesis && finalizedSlot !== null ? genesis.time + finalizedSlot * SECONDS_PER_SLOT : null,
    operatingMode: mode.type,
    lrts,
    risk: {
      epoch: epoch.toNumber(),
      epochBlocks: epochBlocks ? Number(epochBlocks.toString()) : null,
      lastAccepted: lastEpoch.isSome ? lastEpoch.unwrap().toNumber() : null,
      reporters: keys.map(([key, reported]: Dyn) => ({ key: key.toHex(), reported: reported.isTrue })),
    },
  };
}

/** The chain error of a failed extrinsic: `section.Name` and its documentation. */
export interface ChainError { name: string; docs: string }

export function describeDispatchError(api: ApiPromise, error: Dyn): ChainError {
  if (error.isModule) {
    const meta = api.registry.findMetaError(error.asModule);
    return { name: `${meta.section}.${meta.name}`, docs: meta.docs.join(' ') };
  }
  if (error.isToken) return { name: `Token.${error.asToken.type}`, docs: '' };
  if (error.isArithmetic) return { name: `Arithmetic.${error.asArithmetic.type}`, docs: '' };
  return { name: error.type, docs: '' };
}

/** Who signs: a dev keypair (dev chains) or an extension account with its injected signer. */
export interface SigningAccount {
  address: string;
  name: string;
  source: 'dev' | 'extension';
  pair?: KeyringPair;
  signer?: Signer;
}

/**
 * Signs and sends `tx`, resolving once it is in a block: `{ blockHash }`, plus `error` when the
 * extrinsic was included but failed. Rejects when the pool refuses it or the user cancels.
 */
export function send(
  api: ApiPromise,
  tx: SubmittableExtrinsic<'promise'>,
  account: SigningAccount,
  onStatus: (status: string) => void = () => {},
): Promise<{ blockHash: string; error?: ChainError }> {
  return new Promise((resolve, reject) => {
    let unsubscribe: (() => void) | undefined;
    let settled = false;
    const callback = (result: Dyn) => {
      const { status, dispatchError } = result;
      onStatus(status.type);
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        settled = true;
        unsubscribe?.();
        reject(new Error(`transaction ${status.type}`));
        return;
      }
      if (!status.isInBlock && !status.isFinalized) return;
      settled = true;
      unsubscribe?.();
      const blockHash = (status.isInBlock ? status.asInBlock : status.asFinalized).toHex();
      resolve(dispatchError ? { blockHash, error: describeDispatchError(api, dispatchError) } : { blockHash });
    };
    const sending = account.pair
      ? tx.signAndSend(account.pair, callback)
      : tx.signAndSend(account.address, { signer: account.signer }, callback);
    sending.then((u) => {
      unsubscribe = u;
      if (settled) u();
    }, reject);
  });
}
