/**
 * G3: a keyed sliding event-time window sum (size / slide), in weir, as a hand-written loop and in
 * RxJS.
 *
 * The hand-written loop uses panes (slices of one slide): per key a ring of `size / slide` pane
 * sums tagged with their pane number, so an event costs one Map lookup and one array update
 * whatever the ratio, and firing the window ending at E sums the key's panes in [E - size, E).
 * Windows due at an event's arrival are fired before the event is added: none of them contains
 * it (they end at or before its timestamp), and it frees the ring slot the event may reuse.
 * Worked example, size 10, slide 5: an event at t=12 goes to pane 2 (slot 0 of 2); the window
 * [5, 15) = panes 1 and 2 fires when the watermark reaches 14.
 *
 * RxJS: each event is copied to every window containing it (`mergeMap`), then grouped by window
 * and reduced into a `Map` per key, as in the tumbling pipeline.
 */
import { SlidingEventTimeWindows } from '@weir/windows';
import { filter, from, groupBy, map, mergeMap, reduce, share } from 'rxjs';
import type { KeyedEvent } from '../data/keyed-events.js';
import { type Digest, DigestWriter, digestSink } from '../harness/digest.js';
import { eventTime, hashWindowResult, type KeyedResult, runWeir } from './common.js';

/**
 * The weir job: `keyBy('key').window(Sliding(size, slide)).sum('value')`.
 *
 * @example
 * ```ts
 * await weirSlidingSum(events, 10_000, 5_000, digest);
 * ```
 */
export function weirSlidingSum(events: readonly KeyedEvent[], sizeMs: number, slideMs: number, digest: Digest): Promise<void> {
  return runWeir(undefined, (env) =>
    env
      .fromCollection(events)
      .assignTimestampsAndWatermarks(eventTime())
      .keyBy('key')
      .window(SlidingEventTimeWindows.of(sizeMs, slideMs))
      .sum('value')
      .sinkTo(digestSink(digest, hashWindowResult)),
  );
}

/** Per key: the last `n` panes' sums and counts, slot = pane mod n. */
class PaneRing {
  readonly pane: Float64Array;
  readonly sum: Float64Array;
  readonly count: Int32Array;
  constructor(n: number) {
    this.pane = new Float64Array(n).fill(Number.NaN);
    this.sum = new Float64Array(n);
    this.count = new Int32Array(n);
  }
}

/**
 * The hand-written pane-based loop (see the module header).
 *
 * @example
 * ```ts
 * handSlidingSum(events, 10_000, 5_000, digest);
 * ```
 */
export function handSlidingSum(events: readonly KeyedEvent[], sizeMs: number, slideMs: number, digest: Digest): void {
  if (sizeMs % slideMs !== 0) throw new Error('handSlidingSum: size must be a multiple of slide');
  const out = new DigestWriter<KeyedResult>(digest, hashWindowResult);
  const n = sizeMs / slideMs;
  const rings = new Map<number, PaneRing>();
  let watermark = Number.NEGATIVE_INFINITY;
  let nextEnd = Number.NaN; // end of the next window to fire
  let lastPane = Number.NEGATIVE_INFINITY; // newest pane holding data
  const fireUpTo = (wm: number): void => {
    // Windows after the last pane's last window hold nothing.
    while (nextEnd - 1 <= wm && nextEnd <= (lastPane + n) * slideMs) {
      fireWindow(rings, nextEnd, n, slideMs, out);
      nextEnd += slideMs;
    }
  };
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const ts = e.ts;
    if (ts - 1 > watermark) {
      watermark = ts - 1;
      fireUpTo(watermark);
    }
    const pane = Math.floor(ts / slideMs);
    if (Number.isNaN(nextEnd)) nextEnd = (pane + 1) * slideMs;
    if ((pane + n) * slideMs - 1 <= watermark) continue; // late for every window (not in in-order input)
    if (pane > lastPane) lastPane = pane;
    let ring = rings.get(e.key);
    if (ring === undefined) {
      ring = new PaneRing(n);
      rings.set(e.key, ring);
    }
    const slot = pane % n;
    if (ring.pane[slot] !== pane) {
      ring.pane[slot] = pane;
      ring.sum[slot] = 0;
      ring.count[slot] = 0;
    }
    ring.sum[slot]! += e.value;
    ring.count[slot]!++;
  }
  fireUpTo(Number.POSITIVE_INFINITY);
}

/** Emits, per key with data in it, the window [end - n * slide, end). */
function fireWindow(rings: Map<number, PaneRing>, end: number, n: number, slideMs: number, out: DigestWriter<KeyedResult>): void {
  const lastPane = end / slideMs - 1;
  const firstPane = lastPane - n + 1;
  for (const [key, ring] of rings) {
    let sum = 0;
    let count = 0;
    for (let s = 0; s < n; s++) {
      const p = ring.pane[s]!;
      if (p >= firstPane && p <= lastPane) {
        sum += ring.sum[s]!;
        count += ring.count[s]!;
      }
    }
    if (count > 0) out.write({ key, value: sum }, end - 1);
  }
}

/**
 * RxJS: events copied to their windows, `groupBy(window)` closed by the watermark, a `Map` per key.
 *
 * @example
 * ```ts
 * await rxjsSlidingSum(events, 10_000, 5_000, digest);
 * ```
 */
export function rxjsSlidingSum(events: readonly KeyedEvent[], sizeMs: number, slideMs: number, digest: Digest): Promise<void> {
  const out = new DigestWriter<KeyedResult>(digest, hashWindowResult);
  const events$ = from(events).pipe(share());
  const watermark$ = events$.pipe(map((e) => e.ts - 1));
  const startsOf = (ts: number): number[] => {
    const starts: number[] = [];
    for (let s = ts - (ts % slideMs); s > ts - sizeMs; s -= slideMs) starts.push(s);
    return starts;
  };
  return new Promise((resolve, reject) => {
    events$
      .pipe(
        mergeMap((e) => startsOf(e.ts).map((start) => ({ start, e }))),
        groupBy((x) => x.start, { duration: (w$) => watermark$.pipe(filter((wm) => wm >= w$.key + sizeMs - 1)) }),
        mergeMap((w$) =>
          w$.pipe(
            reduce((sums, { e }) => sums.set(e.key, (sums.get(e.key) ?? 0) + e.value), new Map<number, number>()),
            mergeMap((sums) => Array.from(sums, ([key, value]) => ({ key, value, end: w$.key + sizeMs }))),
          ),
        ),
      )
      .subscribe({ next: (r) => out.write(r, r.end - 1), error: reject, complete: resolve });
  });
}
