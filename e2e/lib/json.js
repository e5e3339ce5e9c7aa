// JSON that keeps every integer exact. JSON.parse rounds integers beyond 2^53 to the nearest
// double, and a chain spec holds such numbers (the light client's "no next fork" epoch is
// u64::MAX): written back rounded, the runtime refuses the genesis. These read such integers as
// BigInt and write BigInts as plain JSON integers.

/** Marks a too-large integer while it passes through JSON.parse/JSON.stringify as a string. */
const EXACT = 'ballast-exact-integer:';

/** `JSON.parse`, with every integer that a double cannot hold exactly as a BigInt. */
export function parseJsonExact(text) {
  let marked = '';
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      // Skip the string, escapes included: digits inside strings are not numbers.
      i += 1;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i += 1;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let end = i + 1;
      while (end < text.length && '0123456789.eE+-'.includes(text[end])) end += 1;
      const token = text.slice(i, end);
      if (/^-?\d+$/.test(token) && !Number.isSafeInteger(Number(token))) {
        marked += `${text.slice(copied, i)}"${EXACT}${token}"`;
        copied = end;
      }
      i = end;
    } else {
      i += 1;
    }
  }
  marked += text.slice(copied);
  return JSON.parse(marked, (_, value) =>
    typeof value === 'string' && value.startsWith(EXACT) ? BigInt(value.slice(EXACT.length)) : value);
}

/** `JSON.stringify`, writing BigInts (from `parseJsonExact`, or amounts) as plain integers. */
export function stringifyJsonExact(value, indent) {
  const text = JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${EXACT}${v}` : v), indent);
  return text.replace(new RegExp(`"${EXACT}(-?\\d+)"`, 'g'), '$1');
}
