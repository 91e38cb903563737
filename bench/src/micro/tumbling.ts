/**
 * G1/G2: a keyed tumbling event-time window sum, in weir, as a hand-written loop, and as two RxJS
 * pipelines.
 *
 * The hand-written loop is what a competent engineer writes: one `Map<key, sum>` per open window,
 * the current window's map cached (consecutive events almost always share it), a monotonous
 * watermark (`ts - 1`) that fires every window whose end has passed, late events counted and
 * skipped. Worked example, size 1000: events (k1, 5, t=10), (k2, 1, t=900), (k1, 2, t=1000):
 * the third event opens window [1000, 2000) and raises the watermark to 999, which fires
 * [0, 1000) as (k1, 5) and (k2, 1) stamped 999.
 *
 * RxJS has no event time; the idiomatic pipelines derive the watermark from the shared input and
 * close groups with `groupBy`'s `duration`:
 * - `rxjsByWindow`: `groupBy(window)`, closed when the watermark passes its end, then `reduce`
 *   into a `Map` per key (one group per window);
 * - `rxjsByKeyAndWindow`: the same outer grouping, then `groupBy(key)` + `reduce` inside (one
 *   group per (key, window): the per-(key, window) grouping an RxJS user reaches for first).
 */
import type { StreamEnvironment } from '@weir/core';
import { TumblingEventTimeWindows } from '@weir/windows';
import { filter, from, groupBy, map, mergeMap, type Observable, reduce, share } from 'rxjs';
import type { KeyedEvent } from '../data/keyed-events.js';
import { type Digest, DigestWriter, digestSink } from '../harness/digest.js';
import { eventTime, hashWindowResult, type KeyedResult, runWeir, windowStart } from './common.js';

/**
 * The weir job: `keyBy('key').window(Tumbling(size)).sum('value')` on event time.
 *
 * @example
 * ```ts
 * await weirTumblingSum(events, 1000, digest, 1000); // 1 s windows, checkpoint every 1 s
 * ```
 */
export function weirTumblingSum(events: readonly KeyedEvent[], sizeMs: number, digest: Digest, checkpointIntervalMs?: number): Promise<void> {
  return runWeir(checkpointIntervalMs, (env) => buildTumblingSum(env, events, sizeMs, digest));
}

/**
 * Appends the tumbling-sum job to an environment (shared with the checkpoint and memory cases).
 *
 * @example
 * ```ts
 * buildTumblingSum(env, events, 1000, digest);
 * await env.execute();
 * ```
 */
export function buildTumblingSum(env: StreamEnvironment, events: readonly KeyedEvent[] | Iterable<KeyedEvent>, sizeMs: number, digest: Digest): void {
  env
    .fromCollection(events)
    .assignTimestampsAndWatermarks(eventTime())
    .keyBy('key')
    .window(TumblingEventTimeWindows.of(sizeMs))
    .sum('value')
    .sinkTo(digestSink(digest, hashWindowResult));
}

/**
 * The hand-written loop (see the module header).
 *
 * @example
 * ```ts
 * handTumblingSum(events, 1000, digest);
 * ```
 */
export function handTumblingSum(events: readonly KeyedEvent[], sizeMs: number, digest: Digest): void {
  const out = new DigestWriter<KeyedResult>(digest, hashWindowResult);
  const windows = new Map<number, Map<number, number>>();
  let curStart = Number.NaN;
  let cur: Map<number, number> | undefined;
  let watermark = Number.NEGATIVE_INFINITY;
  let nextFire = Number.POSITIVE_INFINITY; // smallest maxTimestamp (end - 1) of an open window
  let late = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const ts = e.ts;
    const start = windowStart(ts, sizeMs);
    if (start !== curStart) {
      if (start + sizeMs - 1 <= watermark) {
        late++;
        continue;
      }
      cur = windows.get(start);
      if (cur === undefined) {
        cur = new Map();
        windows.set(start, cur);
        if (start + sizeMs - 1 < nextFire) nextFire = start + sizeMs - 1;
      }
      curStart = start;
    }
    cur!.set(e.key, (cur!.get(e.key) ?? 0) + e.value);
    if (ts - 1 > watermark) {
      watermark = ts - 1;
      if (watermark >= nextFire) {
        nextFire = fireTumbling(windows, sizeMs, watermark, out);
        curStart = Number.NaN;
      }
    }
  }
  fireTumbling(windows, sizeMs, Number.POSITIVE_INFINITY, out);
  if (late > 0) throw new Error(`hand tumbling: ${late} late events in an in-order input`);
}

/** Emits and drops every window whose end - 1 <= watermark; returns the next window's end - 1. */
function fireTumbling(windows: Map<number, Map<number, number>>, sizeMs: number, watermark: number, out: DigestWriter<KeyedResult>): number {
  let next = Number.POSITIVE_INFINITY;
  for (const [start, sums] of windows) {
    const maxTs = start + sizeMs - 1;
    if (maxTs <= watermark) {
      for (const [key, value] of sums) out.write({ key, value }, maxTs);
      windows.delete(start);
    } else if (maxTs < next) next = maxTs;
  }
  return next;
}

/** The shared input and its watermark stream (monotonous: `ts - 1` after each event). */
function withWatermarks(events: readonly KeyedEvent[]): { events$: Observable<KeyedEvent>; watermark$: Observable<number> } {
  const events$ = from(events).pipe(share());
  return { events$, watermark$: events$.pipe(map((e) => e.ts - 1)) };
}

/**
 * RxJS: `groupBy(window)` closed by the watermark, then a `Map` per key inside each window.
 *
 * @example
 * ```ts
 * await rxjsTumblingByWindow(events, 1000, digest);
 * ```
 */
export function rxjsTumblingByWindow(events: readonly KeyedEvent[], sizeMs: number, digest: Digest): Promise<void> {
  const out = new DigestWriter<KeyedResult>(digest, hashWindowResult);
  const { events$, watermark$ } = withWatermarks(events);
  return new Promise((resolve, reject) => {
    events$
      .pipe(
        groupBy((e) => windowStart(e.ts, sizeMs), { duration: (w$) => watermark$.pipe(filter((wm) => wm >= w$.key + sizeMs - 1)) }),
        mergeMap((w$) =>
          w$.pipe(
            reduce((sums, e) => sums.set(e.key, (sums.get(e.key) ?? 0) + e.value), new Map<number, number>()),
            mergeMap((sums) => Array.from(sums, ([key, value]) => ({ key, value, end: w$.key + sizeMs }))),
          ),
        ),
      )
      .subscribe({ next: (r) => out.write(r, r.end - 1), error: reject, complete: resolve });
  });
}

/**
 * RxJS: nested `groupBy(window)` then `groupBy(key)` with a `reduce` per (key, window).
 *
 * @example
 * ```ts
 * await rxjsTumblingByKeyAndWindow(events, 1000, digest);
 * ```
 */
export function rxjsTumblingByKeyAndWindow(events: readonly KeyedEvent[], sizeMs: number, digest: Digest): Promise<void> {
  const out = new DigestWriter<KeyedResult>(digest, hashWindowResult);
  const { events$, watermark$ } = withWatermarks(events);
  return new Promise((resolve, reject) => {
    events$
      .pipe(
        groupBy((e) => windowStart(e.ts, sizeMs), { duration: (w$) => watermark$.pipe(filter((wm) => wm >= w$.key + sizeMs - 1)) }),
        mergeMap((w$) =>
          w$.pipe(
            groupBy((e) => e.key),
            mergeMap((k$) =>
              k$.pipe(
                reduce((sum, e) => sum + e.value, 0),
                map((value) => ({ key: k$.key, value, end: w$.key + sizeMs })),
              ),
            ),
          ),
        ),
      )
      .subscribe({ next: (r) => out.write(r, r.end - 1), error: reject, complete: resolve });
  });
}
