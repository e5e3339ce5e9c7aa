// What a position would look like after an action, before it is signed: the same formulas as the
// lending pallet's position view (weighted collateral = collateral · backing rate · liquidation
// threshold; health = weighted collateral / debt; borrow limit = collateral · borrow-side rate ·
// LTV), with the market's values in force (risk-capped LTV and threshold).
import { FIXED, PERBILL } from './format';
import type { MarketView, PositionView } from './chain';

/** The position-changing calls of `pallet-lending` the Position page offers. */
export type Action = 'supply' | 'withdraw' | 'depositCollateral' | 'withdrawCollateral' | 'borrow' | 'repay';

export interface Projection {
  collateral: bigint;
  debt: bigint;
  health: bigint | null;
  borrowLimit: bigint;
  /** The backing rate (ETH per LRT) at which health reaches 1; null without debt. */
  liquidationRate: bigint | null;
}

/** `collateral · rate · share`, rates scaled by 1e18 and shares by 1e9, rounded down. */
function valued(collateral: bigint, rate: bigint | null, share: bigint): bigint {
  if (rate === null) return 0n;
  return (collateral * rate / FIXED) * share / PERBILL;
}

/** The projection of a position as it is (no action). */
export function current(position: PositionView | null, market: MarketView): Projection {
  const collateral = position?.collateral ?? 0n;
  const debt = position?.debt ?? 0n;
  return {
    collateral,
    debt,
    health: position ? position.health : null,
    borrowLimit: position?.borrowLimit ?? 0n,
    liquidationRate: liquidationRate(collateral, debt, market),
  };
}

/** The position after `action` of `amount` (smallest units); lender actions leave it as it is. */
export function project(position: PositionView | null, market: MarketView, action: Action, amount: bigint): Projection {
  let collateral = position?.collateral ?? 0n;
  let debt = position?.debt ?? 0n;
  switch (action) {
    case 'depositCollateral': collateral += amount; break;
    case 'withdrawCollateral': collateral = collateral > amount ? collateral - amount : 0n; break;
    case 'borrow': debt += amount; break;
    case 'repay': debt = debt > amount ? debt - amount : 0n; break;
    default: return current(position, market);
  }
  const weighted = valued(collateral, market.backingRate, market.effectiveLiquidationThreshold);
  return {
    collateral,
    debt,
    health: debt === 0n ? null : weighted * FIXED / debt,
    borrowLimit: valued(collateral, market.borrowSideRate, market.effectiveLtv),
    liquidationRate: liquidationRate(collateral, debt, market),
  };
}

function liquidationRate(collateral: bigint, debt: bigint, market: MarketView): bigint | null {
  if (debt === 0n || collateral === 0n || market.effectiveLiquidationThreshold === 0n) return null;
  return debt * FIXED * PERBILL / (collateral * market.effectiveLiquidationThreshold);
}
