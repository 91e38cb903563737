/**
 * Nexmark q12 on event time (q12-det): bids per bidder per 10 s tumbling window, as
 * (bidder, count, window end). The original q12 uses processing-time windows, which are not
 * deterministic; on event time the results can be checked against the hand-written version.
 *
 * weir: `keyBy('bidder').window(Tumbling 10 s).aggregate(COUNT, ...)`. Hand-written:
 * `Map<window start, Map<bidder, count>>`, fired by the watermark.
 */
import { TumblingEventTimeWindows } from '@weir/windows';
import { DigestWriter, digestSink, hash3 } from '../harness/digest.js';
import { COUNT } from './aggregates.js';
import { NexmarkGenerator } from './generator.js';
import { BID, isBid } from './model.js';
import type { NexmarkQuery } from './query.js';
import { InlineWatermark, nexmarkWatermarks } from './source.js';

const SIZE = 10_000;

interface BidderCount {
  readonly bidder: number;
  readonly count: number;
  readonly end: number;
}

const hashRow = (r: BidderCount): number => hash3(r.bidder, r.count, r.end);

/**
 * q12-det: bids per bidder per event-time tumbling window.
 *
 * @example
 * ```ts
 * await runWeirQuery(q12, config, 1_000_000, digest);
 * ```
 */
export const q12: NexmarkQuery = {
  id: 'q12',
  title: 'bids per bidder (event-time tumbling 10 s)',
  flinkPerCore: 75_700,
  weir(events, digest) {
    events
      .assignTimestampsAndWatermarks(nexmarkWatermarks())
      .filter(isBid)
      .keyBy('bidder')
      .window(TumblingEventTimeWindows.of(SIZE))
      .aggregate(COUNT, (bidder: number, ctx, counts, out) => out.collect({ bidder, count: counts[0]!, end: ctx.window.end }))
      .sinkTo(digestSink(digest, hashRow));
  },
  hand(config, n, digest) {
    const gen = new NexmarkGenerator(config);
    const out = new DigestWriter<BidderCount>(digest, hashRow);
    const wm = new InlineWatermark();
    const windows = new Map<number, Map<number, number>>();
    let curStart = Number.NaN;
    let cur: Map<number, number> | undefined;
    let nextFire = Number.POSITIVE_INFINITY;
    const fire = (watermark: number): void => {
      nextFire = Number.POSITIVE_INFINITY;
      for (const [start, counts] of windows) {
        const end = start + SIZE;
        if (end - 1 <= watermark) {
          for (const [bidder, count] of counts) out.write({ bidder, count, end }, end - 1);
          windows.delete(start);
        } else if (end - 1 < nextFire) nextFire = end - 1;
      }
      curStart = Number.NaN;
    };
    for (let i = 0; i < n; i++) {
      const e = gen.next();
      if (e.kind === BID) {
        const start = e.dateTime - (e.dateTime % SIZE);
        if (start !== curStart) {
          cur = windows.get(start);
          if (cur === undefined) {
            windows.set(start, (cur = new Map()));
            if (start + SIZE - 1 < nextFire) nextFire = start + SIZE - 1;
          }
          curStart = start;
        }
        cur!.set(e.bidder, (cur!.get(e.bidder) ?? 0) + 1);
      }
      if (wm.advance(e.dateTime) && wm.value >= nextFire) fire(wm.value);
    }
    fire(Number.POSITIVE_INFINITY);
  },
};
