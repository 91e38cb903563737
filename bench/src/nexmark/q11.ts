/**
 * Nexmark q11, user sessions: bids per bidder per event-time session (gap 10 s), as
 * (bidder, count, session start, session end).
 *
 * weir: `keyBy('bidder').window(EventTimeSessionWindows.withGap(10 s)).aggregate(COUNT, ...)`.
 * Hand-written: per bidder the open session `{ start, end, count }`, extended while bids arrive
 * at most the gap after the previous one (Flink merges touching windows), fired from a FIFO of
 * session ends (event time never decreases in this stream, so the FIFO is sorted), as in the G8
 * session loop. Worked example: bids of one bidder at 0 s, 4 s and 30 s form the sessions
 * [0, 14 s) with 2 bids and [30 s, 40 s) with 1.
 */
import { EventTimeSessionWindows } from '@weir/windows';
import { DigestWriter, digestSink, hash4 } from '../harness/digest.js';
import { COUNT } from './aggregates.js';
import { NexmarkGenerator } from './generator.js';
import { BID, isBid } from './model.js';
import type { NexmarkQuery } from './query.js';
import { InlineWatermark, nexmarkWatermarks } from './source.js';

const GAP = 10_000;

interface UserSession {
  readonly bidder: number;
  readonly count: number;
  readonly start: number;
  readonly end: number;
}

const hashRow = (r: UserSession): number => hash4(r.bidder, r.count, r.start, r.end);

class Open {
  fired = false;
  constructor(
    readonly bidder: number,
    readonly start: number,
    public end: number,
    public count: number,
  ) {}
}

/**
 * q11: bids per user session.
 *
 * @example
 * ```ts
 * await runWeirQuery(q11, config, 1_000_000, digest);
 * ```
 */
export const q11: NexmarkQuery = {
  id: 'q11',
  title: 'user sessions (session windows, gap 10 s)',
  flinkPerCore: 39_700,
  weir(events, digest) {
    events
      .assignTimestampsAndWatermarks(nexmarkWatermarks())
      .filter(isBid)
      .keyBy('bidder')
      .window(EventTimeSessionWindows.withGap(GAP))
      .aggregate(COUNT, (bidder: number, ctx, counts, out) => out.collect({ bidder, count: counts[0]!, start: ctx.window.start, end: ctx.window.end }))
      .sinkTo(digestSink(digest, hashRow));
  },
  hand(config, n, digest) {
    const gen = new NexmarkGenerator(config);
    const out = new DigestWriter<UserSession>(digest, hashRow);
    const wm = new InlineWatermark();
    const open = new Map<number, Open>();
    let queue: Open[] = [];
    let ends: number[] = [];
    let head = 0;
    const fire = (watermark: number): void => {
      while (head < queue.length && ends[head]! - 1 <= watermark) {
        const s = queue[head]!;
        if (s.end === ends[head] && !s.fired) {
          s.fired = true;
          out.write({ bidder: s.bidder, count: s.count, start: s.start, end: s.end }, s.end - 1);
          if (open.get(s.bidder) === s) open.delete(s.bidder);
        }
        head++;
      }
      if (head > 4096 && head * 2 > queue.length) {
        queue = queue.slice(head);
        ends = ends.slice(head);
        head = 0;
      }
    };
    for (let i = 0; i < n; i++) {
      const e = gen.next();
      if (e.kind === BID) {
        const ts = e.dateTime;
        const s = open.get(e.bidder);
        if (s !== undefined && ts <= s.end) {
          s.count++;
          if (ts + GAP > s.end) {
            s.end = ts + GAP;
            queue.push(s);
            ends.push(s.end);
          }
        } else {
          const o = new Open(e.bidder, ts, ts + GAP, 1);
          open.set(e.bidder, o);
          queue.push(o);
          ends.push(o.end);
        }
      }
      if (wm.advance(e.dateTime) && head < queue.length && wm.value >= ends[head]! - 1) fire(wm.value);
    }
    fire(Number.POSITIVE_INFINITY);
  },
};
