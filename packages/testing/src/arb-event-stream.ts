/**
 * `arbEventStream`: a fast-check arbitrary of event streams with the disorder real streams have.
 *
 * A stream is generated as a list of *steps*, then folded into timestamps. Each step says how
 * the next event relates to the largest timestamp seen so far (`maxTs`), with `B` the disorder
 * bound and the watermark `WM = maxTs - B - 1` (bounded out-of-orderness):
 *
 * - on time:   `maxTs + forward - back`, with `back <= B`, so it is never behind the watermark
 *              (`forward = 0, back = 0` repeats the timestamp);
 * - idle gap:  `maxTs + forward + gap`, a long silence (event time jumps, windows close);
 * - late:      `WM - lateBy`, behind the watermark (dropped by windows that already fired);
 * - a burst:   a step carries 1..5 events (of any keys) with the same timestamp.
 *
 * Because timestamps are relative to the steps before, fast-check's shrinking (drop steps, move
 * numbers toward 0) keeps every property of the stream: late steps stay late, on-time steps stay
 * on time. Shrunk streams are short, with small gaps and equal timestamps.
 *
 * Worked example (B = 100, start 0): steps on-time(+50), on-time(+0, back 30), late(lateBy 5),
 * gap(+10 000) give timestamps 50, 20, -56 (WM was 50 - 100 - 1 = -51), 10 050.
 */
import fc from 'fast-check';
import { type TestEvent, withStreamInfo } from './events.js';

/**
 * Options of {@link arbEventStream}.
 *
 * @example
 * ```ts
 * const opts: EventStreamOptions<number, 'SPX' | 'DAX'> = {
 *   keys: ['SPX', 'DAX'], value: fc.double({ min: 1, max: 2000, noNaN: true }),
 *   maxDisorderMs: 500, lateFraction: 0.05, idleGaps: true,
 * };
 * ```
 */
export interface EventStreamOptions<V, K> {
  /** The keys events are drawn from (default `['a', 'b', 'c']`). */
  readonly keys?: readonly K[];
  /** Values (default integers in [-1000, 1000]). */
  readonly value?: fc.Arbitrary<V>;
  /** Fewest and most steps (default 0 and 40); with bursts a step has up to 5 events. */
  readonly minLength?: number;
  readonly maxLength?: number;
  /** Timestamp of the first event before its forward step: a number or an arbitrary (default -20 000..20 000). */
  readonly start?: number | fc.Arbitrary<number>;
  /** Largest forward step between on-time events, ms (default 1000). */
  readonly maxStepMs?: number;
  /** Out-of-orderness bound `B`: on-time events are at most this far behind the largest timestamp (default 0). */
  readonly maxDisorderMs?: number;
  /** Expected share of late events, behind the watermark `maxTs - B - 1` (default 0). */
  readonly lateFraction?: number;
  /** How far behind the watermark a late event may be, ms (default `2 * maxStepMs`). */
  readonly maxLatenessMs?: number;
  /** Long silences: `true` (up to `30 * maxStepMs`) or the longest gap in ms (default false). */
  readonly idleGaps?: boolean | number;
  /** Several events with one timestamp in one step (default false). */
  readonly bursts?: boolean;
}

/** Share of steps that are idle gaps when `idleGaps` is on. */
const GAP_SHARE = 0.05;

interface Step<V, K> {
  readonly roll: number;
  readonly forward: number;
  readonly back: number;
  readonly lateBy: number;
  readonly gap: number;
  readonly items: ReadonlyArray<{ readonly key: K; readonly value: V }>;
}

/**
 * An arbitrary of event streams: arrays of `{ key, value, timestamp }` in arrival order, with
 * bounded disorder, late events, idle gaps, bursts and repeated timestamps. The array remembers
 * `maxDisorderMs` (see {@link streamInfo}), so `runPipeline` and `windowModel` use the same
 * watermarks: `maxTs - maxDisorderMs - 1` after every event.
 *
 * @example
 * ```ts
 * fc.assert(fc.asyncProperty(
 *   arbEventStream({ keys: ['SPX', 'DAX'], value: fc.double({ min: 1, max: 2000, noNaN: true }),
 *                    maxDisorderMs: 500, lateFraction: 0.05, idleGaps: true }),
 *   async (events) => { ... }));
 * ```
 */
export function arbEventStream<V = number, K = string>(options: EventStreamOptions<V, K> = {}): fc.Arbitrary<TestEvent<V, K>[]> {
  const keys = options.keys ?? (['a', 'b', 'c'] as unknown as readonly K[]);
  if (keys.length === 0) throw new RangeError('arbEventStream: keys must not be empty');
  const value = options.value ?? (fc.integer({ min: -1000, max: 1000 }) as unknown as fc.Arbitrary<V>);
  const maxStep = nonNegative('maxStepMs', options.maxStepMs ?? 1000);
  const bound = nonNegative('maxDisorderMs', options.maxDisorderMs ?? 0);
  const lateFraction = options.lateFraction ?? 0;
  if (!(lateFraction >= 0 && lateFraction <= 1)) throw new RangeError(`arbEventStream: lateFraction must be in [0, 1] (got ${lateFraction})`);
  const maxLateness = nonNegative('maxLatenessMs', options.maxLatenessMs ?? 2 * maxStep);
  const maxGap = options.idleGaps === true ? 30 * Math.max(1, maxStep) : typeof options.idleGaps === 'number' ? nonNegative('idleGaps', options.idleGaps) : 0;
  const start = options.start === undefined ? fc.integer({ min: -20_000, max: 20_000 }) : typeof options.start === 'number' ? fc.constant(options.start) : options.start;

  const step: fc.Arbitrary<Step<V, K>> = fc.record({
    // Unbiased, so that lateFraction is the real share; small rolls (what shrinking moves toward) are on time.
    roll: fc.noBias(fc.integer({ min: 0, max: 9999 })),
    forward: fc.integer({ min: 0, max: maxStep }),
    back: fc.integer({ min: 0, max: bound }),
    lateBy: fc.integer({ min: 0, max: maxLateness }),
    gap: fc.integer({ min: 0, max: maxGap }),
    items: fc.array(fc.record({ key: fc.constantFrom(...keys), value }), { minLength: 1, maxLength: options.bursts ? 5 : 1 }),
  });
  const lateFrom = 10_000 - Math.round(lateFraction * 10_000);
  const gapFrom = maxGap > 0 ? lateFrom - Math.round(GAP_SHARE * 10_000) : lateFrom;
  return fc
    .tuple(start, fc.array(step, { minLength: options.minLength ?? 0, maxLength: options.maxLength ?? 40 }))
    .map(([t0, steps]) => withStreamInfo(fold(t0, steps, bound, gapFrom, lateFrom), { maxDisorderMs: bound }));
}

function fold<V, K>(t0: number, steps: readonly Step<V, K>[], bound: number, gapFrom: number, lateFrom: number): TestEvent<V, K>[] {
  const events: TestEvent<V, K>[] = [];
  let maxTs = Number.NEGATIVE_INFINITY;
  for (const s of steps) {
    let ts: number;
    if (maxTs === Number.NEGATIVE_INFINITY) ts = t0 + s.forward;
    else if (s.roll >= lateFrom) ts = maxTs - bound - 1 - s.lateBy;
    else if (s.roll >= gapFrom) ts = maxTs + s.forward + s.gap;
    else ts = maxTs + s.forward - s.back;
    for (const item of s.items) events.push({ key: item.key, value: item.value, timestamp: ts });
    if (ts > maxTs) maxTs = ts;
  }
  return events;
}

function nonNegative(name: string, n: number): number {
  if (!(n >= 0) || !Number.isFinite(n)) throw new RangeError(`arbEventStream: ${name} must be a finite number >= 0 (got ${n})`);
  return n;
}
