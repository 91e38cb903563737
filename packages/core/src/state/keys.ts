/**
 * Key normalisation. JavaScript maps compare keys by identity, Flink compares them by value, so
 * a key function returning a fresh tuple (`(t) => [t.a, t.b]`) must still land on one key.
 * Primitive keys are used as they are (the common, fast case); object keys become a canonical
 * string, and the backend remembers the original object to hand back to user functions.
 */

const OBJECT_KEY_PREFIX = '\u0000k:';

/** @internal */
export function isObjectKey(key: unknown): key is object {
  return typeof key === 'object' && key !== null;
}

/** @internal Canonical map key for a non-primitive key. */
export function objectKeyString(key: object): string {
  return OBJECT_KEY_PREFIX + stableStringify(key);
}

function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
    return JSON.stringify(v) ?? String(v);
  }
  if (v instanceof Date) return `D${v.getTime()}`;
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`).join(',')}}`;
}
