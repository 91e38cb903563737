/**
 * The one ordering rule that makes outputs comparable. weir (like Flink) emits window results in
 * firing order; results that fire at the same moment with the same timestamp (windows of
 * different keys ending together) come out in an order Flink leaves unspecified. Both
 * `runPipeline` and `windowModel` therefore sort every run of consecutive results with equal
 * timestamps by a canonical rendering of the value, and keep every other order as it is.
 *
 * Worked example: records a@9 b@9 c@19 a@9 (a late firing) keep c between the two runs; only
 * the first run (a, b) is sorted within itself.
 */

/**
 * A value with the timestamp it was emitted with.
 *
 * @example
 * ```ts
 * const r: TimestampedValue<number> = { value: 3, timestamp: 9999 };
 * ```
 */
export interface TimestampedValue<T> {
  readonly value: T;
  readonly timestamp: number;
}

/**
 * A deterministic text rendering of a value (object keys sorted; -0, NaN and infinities kept
 * distinct), used to order simultaneous results.
 *
 * @example
 * ```ts
 * canonicalKey({ b: 1, a: -0 }); // '{"a":-0,"b":1}'
 * ```
 */
export function canonicalKey(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? String(value);
  if (Array.isArray(value)) return `[${value.map(canonicalKey).join(',')}]`;
  if (value instanceof Date) return `Date(${value.getTime()})`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalKey((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/**
 * Sorts each run of consecutive records with equal timestamps by {@link canonicalKey}; returns a
 * new array.
 *
 * @example
 * ```ts
 * canonicalOrder([{ value: 'b', timestamp: 9 }, { value: 'a', timestamp: 9 }]);
 * // [{ value: 'a', timestamp: 9 }, { value: 'b', timestamp: 9 }]
 * ```
 */
export function canonicalOrder<T>(records: readonly TimestampedValue<T>[]): TimestampedValue<T>[] {
  const out: TimestampedValue<T>[] = [];
  let i = 0;
  while (i < records.length) {
    let j = i + 1;
    while (j < records.length && Object.is(records[j]!.timestamp, records[i]!.timestamp)) j++;
    const run = records.slice(i, j);
    if (run.length > 1) {
      const keyed = run.map((r) => ({ r, k: canonicalKey(r.value) }));
      keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
      for (const x of keyed) out.push(x.r);
    } else out.push(run[0]!);
    i = j;
  }
  return out;
}
