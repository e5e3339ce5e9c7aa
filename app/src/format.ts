// Amounts and rates in human units. Everything on chain is an integer: balances in their asset's
// smallest unit, FixedU128 scaled by 1e18, Perbill by 1e9. Formatting works on bigints so that
// what is shown is the chain's value rounded once, never a float's approximation of it.

/** FixedU128's scale: 1e18 = 1. */
export const FIXED = 10n ** 18n;
/** Perbill's scale: 1e9 = 100 %. */
export const PERBILL = 1_000_000_000n;

/** `value / 10^decimals` rounded half up to `digits` decimals, with thousands separators. */
export function units(value: bigint, decimals: number, digits = 4): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const scale = 10n ** BigInt(decimals);
  const shown = 10n ** BigInt(digits);
  // Round half up at the shown precision.
  const scaled = decimals >= digits
    ? (abs * shown + scale / 2n) / scale
    : abs * (shown / scale);
  const whole = scaled / shown;
  const fraction = (scaled % shown).toString().padStart(digits, '0');
  const grouped = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${digits > 0 ? `.${fraction}` : ''}`;
}

/** A FixedU128 (1e18 = 1) as a decimal number. */
export function fixed(value: bigint, digits = 4): string {
  return units(value, 18, digits);
}

/** A FixedU128 share (1e18 = 100 %) as a percentage. */
export function fixedPercent(value: bigint, digits = 2): string {
  return `${units(value * 100n, 18, digits)} %`;
}

/** A Perbill (1e9 = 100 %) as a percentage. */
export function perbill(value: bigint | number, digits = 2): string {
  return `${units(BigInt(value) * 100n, 9, digits)} %`;
}

/** Yearly rate `r` compounded every second, as the pallet accrues it: `e^r − 1`. */
export function apyFromRate(rate: bigint): string {
  const r = Number(rate) / 1e18;
  return `${(Math.expm1(r) * 100).toFixed(2)} %`;
}

/** A health factor (FixedU128), or ∞ without debt. */
export function health(value: bigint | null): string {
  return value === null ? '∞' : fixed(value, 4);
}

/** Seconds as "3 d 4 h", "5 min", "12 s". */
export function duration(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  const sign = seconds < 0 ? '-' : '';
  if (s >= 86_400) return `${sign}${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
  if (s >= 3600) return `${sign}${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  if (s >= 60) return `${sign}${Math.floor(s / 60)} min`;
  return `${sign}${s} s`;
}

/** A long hex string shortened for tables: 0x1234…abcd. */
export function shortHex(hex: string): string {
  return hex.length > 14 ? `${hex.slice(0, 6)}…${hex.slice(-4)}` : hex;
}

/** An SS58 address shortened for tables. */
export function shortAddress(address: string): string {
  return address.length > 16 ? `${address.slice(0, 6)}…${address.slice(-6)}` : address;
}

/**
 * Parses a human amount ("1.5", "1,000") into the asset's smallest unit; null if it is not a
 * non-negative decimal with at most `decimals` decimals.
 */
export function parseUnits(text: string, decimals: number): bigint | null {
  const clean = text.trim().replace(/,/g, '');
  const match = /^(\d*)(?:\.(\d*))?$/.exec(clean);
  if (!match || clean === '' || clean === '.') return null;
  const [, whole = '', fraction = ''] = match;
  if (fraction.length > decimals) return null;
  return BigInt(whole || '0') * 10n ** BigInt(decimals) + BigInt((fraction || '').padEnd(decimals, '0') || '0');
}
