/**
 * G8 (session): event-time session windows per key (gap g) with a sum, in weir and as a
 * hand-written loop (RxJS has no event-time sessions).
 *
 * Flink's semantics: an element at t is the window [t, t + g); windows of a key that intersect
 * (touching counts: `[a, b)` and `[b, c)` merge) merge into one; a session fires when the
 * watermark reaches its end - 1.
 *
 * The hand-written loop relies on what this input guarantees (timestamps never decrease, as the
 * monotonous watermark assumes): per key one open session `{ end, sum }`, extended when
 * `t <= end`, otherwise replaced. Sessions are fired by the watermark from a FIFO of
 * (session, end at push) entries: ends are pushed in non-decreasing order, so the FIFO is sorted
 * and firing is a pop; an entry whose session has since been extended is stale and skipped. A
 * session replaced by a newer one of its key before the watermark passed it stays in the FIFO and
 * still fires.
 * Worked example, g = 10: events at 0, 5, 15, 40 on one key: [0, 15) extends to [0, 25) at 15
 * (15 <= 15), fires when the watermark reaches 24 (event 40 sets it to 39), and [40, 50) fires at
 * the end of input.
 */
import { EventTimeSessionWindows } from '@weir/windows';
import type { KeyedEvent } from '../data/keyed-events.js';
import { type Digest, DigestWriter, digestSink } from '../harness/digest.js';
import { eventTime, hashWindowResult, type KeyedResult, runWeir } from './common.js';

/**
 * The weir job: `keyBy('key').window(EventTimeSessionWindows.withGap(gap)).sum('value')`.
 *
 * @example
 * ```ts
 * await weirSessionSum(events, 1000, digest);
 * ```
 */
export function weirSessionSum(events: readonly KeyedEvent[], gapMs: number, digest: Digest): Promise<void> {
  return runWeir(undefined, (env) =>
    env
      .fromCollection(events)
      .assignTimestampsAndWatermarks(eventTime())
      .keyBy('key')
      .window(EventTimeSessionWindows.withGap(gapMs))
      .sum('value')
      .sinkTo(digestSink(digest, hashWindowResult)),
  );
}

/** One open session of a key. */
class Session {
  fired = false;
  constructor(
    readonly key: number,
    public end: number,
    public sum: number,
  ) {}
}

/**
 * The hand-written loop (see the module header).
 *
 * @example
 * ```ts
 * handSessionSum(events, 1000, digest);
 * ```
 */
export function handSessionSum(events: readonly KeyedEvent[], gapMs: number, digest: Digest): void {
  const out = new DigestWriter<KeyedResult>(digest, hashWindowResult);
  const open = new Map<number, Session>();
  // FIFO of (session, its end when pushed); head index instead of shift(), compacted now and then.
  let queue: Session[] = [];
  let ends: number[] = [];
  let head = 0;
  let watermark = Number.NEGATIVE_INFINITY;
  const fire = (wm: number): void => {
    while (head < queue.length && ends[head]! - 1 <= wm) {
      const s = queue[head]!;
      if (s.end === ends[head] && !s.fired) {
        s.fired = true;
        out.write({ key: s.key, value: s.sum }, s.end - 1);
        if (open.get(s.key) === s) open.delete(s.key);
      }
      head++;
    }
    if (head > 4096 && head * 2 > queue.length) {
      queue = queue.slice(head);
      ends = ends.slice(head);
      head = 0;
    }
  };
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const ts = e.ts;
    const s = open.get(e.key);
    if (s !== undefined && ts <= s.end) {
      s.sum += e.value;
      if (ts + gapMs > s.end) {
        s.end = ts + gapMs;
        queue.push(s);
        ends.push(s.end);
      }
    } else {
      const n = new Session(e.key, ts + gapMs, e.value);
      open.set(e.key, n);
      queue.push(n);
      ends.push(n.end);
    }
    if (ts - 1 > watermark) {
      watermark = ts - 1;
      fire(watermark);
    }
  }
  fire(Number.POSITIVE_INFINITY);
}
