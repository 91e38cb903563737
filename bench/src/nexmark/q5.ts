/**
 * Nexmark q5, hot items: per sliding window (size 10 s, slide 2 s), the auctions with the most
 * bids (all of them on ties), as (auction, count, window end).
 *
 * weir (Flink's DataStream shape): `keyBy('auction')` + sliding window `count` (each result
 * stamped with its window's end - 1), then `windowAll` over 2 s tumbling windows, which puts each
 * sliding window's counts in one tumbling window, keeping the rows with the maximum.
 *
 * Hand-written: counts per 2 s pane (`Map<pane, Map<auction, count>>`); when the watermark passes
 * a window's end, its 5 panes are summed, the maximum found and its auctions emitted, and the
 * pane no later window needs is dropped. Worked example: panes [0, 2 s) {a: 3, b: 1} and
 * [2 s, 4 s) {b: 3}: the window ending at 4 s has {a: 3, b: 4} and emits (b, 4, 4000).
 */
import { SlidingEventTimeWindows, TumblingEventTimeWindows } from '@weir/windows';
import { DigestWriter, digestSink, hash3 } from '../harness/digest.js';
import { COUNT, maxRows } from './aggregates.js';
import { NexmarkGenerator } from './generator.js';
import { BID, isBid } from './model.js';
import type { NexmarkQuery } from './query.js';
import { InlineWatermark, nexmarkWatermarks } from './source.js';

const SIZE = 10_000;
const SLIDE = 2_000;
const PANES = SIZE / SLIDE;

interface HotItem {
  readonly auction: number;
  readonly count: number;
  readonly end: number;
}

const hashRow = (r: HotItem): number => hash3(r.auction, r.count, r.end);

/**
 * q5: hot items over sliding windows.
 *
 * @example
 * ```ts
 * await runWeirQuery(q5, config, 1_000_000, digest);
 * ```
 */
export const q5: NexmarkQuery = {
  id: 'q5',
  title: 'hot items (sliding 10 s / 2 s, global max)',
  flinkPerCore: 22_100,
  weir(events, digest) {
    events
      .assignTimestampsAndWatermarks(nexmarkWatermarks())
      .filter(isBid)
      .keyBy('auction')
      .window(SlidingEventTimeWindows.of(SIZE, SLIDE))
      .aggregate(COUNT, (auction: number, ctx, counts, out) => out.collect({ auction, count: counts[0]!, end: ctx.window.end }))
      .windowAll(TumblingEventTimeWindows.of(SLIDE))
      .aggregate(maxRows((r: HotItem) => r.count), (_key, _ctx, results, out) => {
        for (const r of results[0]!) out.collect(r);
      })
      .sinkTo(digestSink(digest, hashRow));
  },
  hand(config, n, digest) {
    const gen = new NexmarkGenerator(config);
    const out = new DigestWriter<HotItem>(digest, hashRow);
    const wm = new InlineWatermark();
    const panes = new Map<number, Map<number, number>>();
    let curPane = Number.NaN;
    let cur: Map<number, number> | undefined;
    let nextEnd = Number.NaN;
    let lastPane = Number.NEGATIVE_INFINITY;
    const fireUpTo = (watermark: number): void => {
      while (nextEnd - 1 <= watermark && nextEnd <= (lastPane + PANES) * SLIDE) {
        fireWindow(panes, nextEnd, out);
        panes.delete(nextEnd / SLIDE - PANES);
        nextEnd += SLIDE;
      }
      curPane = Number.NaN; // the cached pane may have been dropped
    };
    for (let i = 0; i < n; i++) {
      const e = gen.next();
      if (e.kind === BID) {
        const pane = Math.floor(e.dateTime / SLIDE);
        if (pane !== curPane) {
          if ((pane + PANES) * SLIDE - 1 <= wm.value) throw new Error('q5 hand: late bid in an in-order stream');
          cur = panes.get(pane);
          if (cur === undefined) panes.set(pane, (cur = new Map()));
          curPane = pane;
          if (Number.isNaN(nextEnd)) nextEnd = (pane + 1) * SLIDE;
          if (pane > lastPane) lastPane = pane;
        }
        cur!.set(e.auction, (cur!.get(e.auction) ?? 0) + 1);
      }
      if (wm.advance(e.dateTime) && wm.value >= nextEnd - 1) fireUpTo(wm.value);
    }
    fireUpTo(Number.POSITIVE_INFINITY);
  },
};

/** Sums the window's panes and emits the auctions with the maximum count. */
function fireWindow(panes: Map<number, Map<number, number>>, end: number, out: DigestWriter<HotItem>): void {
  const counts = new Map<number, number>();
  for (let p = end / SLIDE - PANES; p < end / SLIDE; p++) {
    const pane = panes.get(p);
    if (pane !== undefined) for (const [auction, c] of pane) counts.set(auction, (counts.get(auction) ?? 0) + c);
  }
  let max = 0;
  for (const c of counts.values()) if (c > max) max = c;
  for (const [auction, c] of counts) if (c === max) out.write({ auction, count: c, end }, end - 1);
}
