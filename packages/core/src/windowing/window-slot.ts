/**
 * The state of one (key, window): its window, its contents (an accumulator, or the buffered
 * elements with their timestamps), the latest element timestamp, and a memo of the timers last
 * registered for it. One mutable object per live (key, window), kept in the operator's keyed
 * state table; the memo saves a timer-queue probe per element (registering the same timer again
 * is a no-op in Flink too).
 * @internal
 */
import { AccSlot } from '../aggregation/accumulators.js';
import type { Columns, TableCodec } from '../state/keyed-state-backend.js';
import { encodeWindow, GlobalWindow, TimeWindow, type Window } from '../contract/window.js';

/** The accumulator (incremental functions; see aggregation/accumulators.ts), plus a buffer and timers. */
export class WindowSlot extends AccSlot {
  /** The buffered elements and their timestamps (process functions, evictors). */
  values: unknown[] | null = null;
  timestamps: number[] | null = null;
  maxTs = Number.NEGATIVE_INFINITY;
  eventTimer = Number.NaN;
  procTimer = Number.NaN;
  constructor(public window: Window) {
    super();
  }

  hasContents(): boolean {
    return this.has || (this.values !== null && this.values.length > 0);
  }

  /** Back to a fresh slot (for reuse). */
  override reset(): this {
    this.purge();
    this.eventTimer = Number.NaN;
    this.procTimer = Number.NaN;
    return this;
  }

  /** Drops the contents (a purging trigger), keeping the window and its timers. */
  purge(): void {
    super.reset();
    this.values = null;
    this.timestamps = null;
    this.maxTs = Number.NEGATIVE_INFINITY;
  }
}

/** Flat (one array per slot): a window start and end (NaN, NaN for the global window), then the slot's fields. */
type EncodedSlot = [number, number, boolean, unknown, unknown[] | null, number[] | null, number, unknown];

/**
 * The checkpoint codec of window slots. Buffers are copied at the barrier; the accumulator is
 * cloned when it is a user function's object (which may be updated in place later) and kept by
 * reference otherwise (numbers and elements of the built-in aggregations).
 */
export function windowSlotCodec(cloneAccumulator: boolean): TableCodec<WindowSlot> {
  const detachAcc = (acc: unknown) => (cloneAccumulator && typeof acc === 'object' && acc !== null ? structuredClone(acc) : acc);
  const read = (start: number, end: number, hasAcc: boolean, acc: unknown, values: unknown[] | null, timestamps: number[] | null, maxTs: number, first: unknown) => {
    const s = new WindowSlot(Number.isNaN(start) ? GlobalWindow.INSTANCE : new TimeWindow(start, end));
    s.has = hasAcc;
    s.acc = acc;
    s.values = values;
    s.timestamps = timestamps;
    s.maxTs = maxTs;
    s.first = first;
    return s;
  };
  return {
    encode(s: WindowSlot): EncodedSlot {
      const [start, end] = bounds(s.window);
      return [start, end, s.has, detachAcc(s.acc), s.values?.slice() ?? null, s.timestamps?.slice() ?? null, s.maxTs, s.first];
    },
    decode(data: unknown): WindowSlot {
      const [start, end, hasAcc, acc, values, timestamps, maxTs, first] = data as EncodedSlot;
      return read(start, end, hasAcc, acc, values, timestamps, maxTs, first);
    },
    columns: {
      names: ['start', 'end', 'hasAcc', 'acc', 'values', 'timestamps', 'maxTs', 'first'],
      append(c: Columns, s: WindowSlot): void {
        const [start, end] = bounds(s.window);
        c.start!.push(start);
        c.end!.push(end);
        c.hasAcc!.push(s.has);
        c.acc!.push(detachAcc(s.acc));
        c.values!.push(s.values?.slice() ?? null);
        c.timestamps!.push(s.timestamps?.slice() ?? null);
        c.maxTs!.push(s.maxTs);
        c.first!.push(s.first);
      },
      read(c: Columns, i: number): WindowSlot {
        return read(
          c.start![i] as number,
          c.end![i] as number,
          c.hasAcc![i] as boolean,
          c.acc![i],
          c.values![i] as unknown[] | null,
          c.timestamps![i] as number[] | null,
          c.maxTs![i] as number,
          c.first![i],
        );
      },
    },
  };
}

/** Start and end of a checkpointable window (NaN, NaN for the global window). */
function bounds(w: Window): [number, number] {
  if (w instanceof TimeWindow) return [w.start, w.end];
  if (w instanceof GlobalWindow) return [Number.NaN, Number.NaN];
  encodeWindow(w); // throws the clear "cannot checkpoint this window" error
  return [Number.NaN, Number.NaN];
}
