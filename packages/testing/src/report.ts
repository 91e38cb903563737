/**
 * Readable failure output: when a pipeline's results differ from a model's, say where (the first
 * differing result, with the window and key the model computed it for) and show the (shrunk)
 * event stream as a small table, with the watermark each event met and whether it was late.
 */
import { isDeepStrictEqual } from 'node:util';
import { canonicalKey } from './canonical-order.js';
import { disorderBound, type Timestamped } from './events.js';
import { modelWindowsOf } from './model/model-result.js';

/**
 * Raised by {@link expectResults} with the whole report as its message.
 *
 * @example
 * ```ts
 * try { expectResults(out, expected); } catch (e) { if (e instanceof ResultMismatchError) console.log(e.message); }
 * ```
 */
export class ResultMismatchError extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
    this.name = 'ResultMismatchError';
  }
}

const show = (v: unknown): string => {
  const s = canonicalKey(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
};

const showTime = (t: number): string => (t === Number.NEGATIVE_INFINITY ? '-inf' : t === Number.POSITIVE_INFINITY ? '+inf' : String(t));

/**
 * The events as a table: index, key, value, timestamp, the watermark it met (default watermarks)
 * and a mark for events behind that watermark.
 *
 * @example
 * ```ts
 * console.log(formatEvents(events));
 * ```
 */
export function formatEvents<E extends Timestamped>(events: readonly E[], options: { maxDisorderMs?: number; late?: readonly E[] } = {}): string {
  const bound = disorderBound(events, options.maxDisorderMs);
  const late = new Set(options.late ?? []);
  const rows: string[][] = [['#', 'key', 'value', 'timestamp', 'watermark', '']];
  let maxTs = Number.NEGATIVE_INFINITY;
  events.forEach((e, i) => {
    const wm = maxTs === Number.NEGATIVE_INFINITY ? maxTs : maxTs - bound - 1;
    const rec = e as unknown as { key?: unknown; value?: unknown };
    const note = late.has(e) ? 'late (dropped)' : e.timestamp <= wm ? 'behind watermark' : '';
    rows.push([String(i), show(rec.key), 'value' in (e as object) ? show(rec.value) : show(e), showTime(e.timestamp), showTime(wm), note]);
    if (Number.isFinite(e.timestamp) && e.timestamp > maxTs) maxTs = e.timestamp;
  });
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
}

/**
 * Compares a pipeline's results with the expected ones (typically a `windowModel` result) and
 * throws a {@link ResultMismatchError} with a report: the first differing result, the window and
 * key it belongs to, and the event stream as a table. Equality is deep and strict (-0 is not 0,
 * NaN equals NaN), as vitest's `toEqual` on numbers.
 *
 * @example
 * ```ts
 * const out = await runPipeline(events, build);
 * expectResults(out, windowModel.tumbling(events, 1000).sum('value'));
 * ```
 */
export function expectResults<R, E extends Timestamped>(
  actual: { readonly results: readonly R[]; readonly events: readonly E[] },
  expected: readonly R[],
  options: { maxDisorderMs?: number; late?: readonly E[] } = {},
): void {
  const a = actual.results;
  const n = Math.max(a.length, expected.length);
  let i = 0;
  while (i < n && i < a.length && i < expected.length && isDeepStrictEqual(a[i], expected[i])) i++;
  if (i === n) return;
  const windows = modelWindowsOf(expected);
  const w = windows?.[Math.min(i, expected.length - 1)];
  const where =
    w === undefined
      ? ''
      : w.start === undefined
        ? ` (count window of key ${show(w.key)}, timestamp ${w.timestamp})`
        : ` (window [${w.start}, ${w.end}) of key ${show(w.key)}, timestamp ${w.timestamp})`;
  const lines = [
    `pipeline results differ from the expected ones at result #${i}${i < expected.length ? where : ''}:`,
    `  expected: ${i < expected.length ? show(expected[i]) : '(no more results)'}`,
    `  actual:   ${i < a.length ? show(a[i]) : '(no more results)'}`,
    `  (${expected.length} results expected, ${a.length} produced)`,
  ];
  if (w !== undefined && i < expected.length) lines.push(`  window contents: ${w.elements.map(show).join(', ')}`);
  lines.push('', `events (${actual.events.length}, in arrival order):`, formatEvents(actual.events, options));
  throw new ResultMismatchError(lines.join('\n'), i);
}
