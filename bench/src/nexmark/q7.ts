/**
 * Nexmark q7, highest bid: per 10 s tumbling window, the bids with the highest price (all of them
 * on ties).
 *
 * weir: `windowAll(Tumbling 10 s).aggregate(maxRows(price), emit each row)`: the window keeps the
 * maximum and its bids, never the window's whole input. Hand-written: the same accumulator per
 * open window in a `Map<window start, MaxRows>`, fired by the watermark.
 * Worked example: bids at prices 5, 9, 9 in one window emit both bids at 9.
 */
import { TumblingEventTimeWindows } from '@weir/windows';
import { DigestWriter, digestSink, hash4 } from '../harness/digest.js';
import { maxRows, type MaxRows } from './aggregates.js';
import { NexmarkGenerator } from './generator.js';
import { BID, type Bid, isBid } from './model.js';
import type { NexmarkQuery } from './query.js';
import { InlineWatermark, nexmarkWatermarks } from './source.js';

const SIZE = 10_000;

const hashBid = (b: Bid): number => hash4(b.auction, b.bidder, b.price, b.dateTime);

/**
 * q7: highest bid per tumbling window.
 *
 * @example
 * ```ts
 * await runWeirQuery(q7, config, 1_000_000, digest);
 * ```
 */
export const q7: NexmarkQuery = {
  id: 'q7',
  title: 'highest bid (tumbling 10 s max, joined back)',
  flinkPerCore: 12_300,
  weir(events, digest) {
    events
      .assignTimestampsAndWatermarks(nexmarkWatermarks())
      .filter(isBid)
      .windowAll(TumblingEventTimeWindows.of(SIZE))
      .aggregate(maxRows((b: Bid) => b.price), (_key, _ctx, results, out) => {
        for (const b of results[0]!) out.collect(b);
      })
      .sinkTo(digestSink(digest, hashBid));
  },
  hand(config, n, digest) {
    const gen = new NexmarkGenerator(config);
    const out = new DigestWriter<Bid>(digest, hashBid);
    const acc = maxRows((b: Bid) => b.price);
    const wm = new InlineWatermark();
    const windows = new Map<number, MaxRows<Bid>>();
    let curStart = Number.NaN;
    let cur: MaxRows<Bid> | undefined;
    let nextFire = Number.POSITIVE_INFINITY;
    const fire = (watermark: number): void => {
      nextFire = Number.POSITIVE_INFINITY;
      for (const [start, w] of windows) {
        if (start + SIZE - 1 <= watermark) {
          for (const b of w.rows) out.write(b, start + SIZE - 1);
          windows.delete(start);
        } else if (start + SIZE - 1 < nextFire) nextFire = start + SIZE - 1;
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
            windows.set(start, (cur = acc.createAccumulator()));
            if (start + SIZE - 1 < nextFire) nextFire = start + SIZE - 1;
          }
          curStart = start;
        }
        acc.add(e, cur!);
      }
      if (wm.advance(e.dateTime) && wm.value >= nextFire) fire(wm.value);
    }
    fire(Number.POSITIVE_INFINITY);
  },
};
