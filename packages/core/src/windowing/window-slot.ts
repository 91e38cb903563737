/**
 * The state of one (key, window): its window, its contents (an accumulator, or the buffered
 * elements with their timestamps), the latest element timestamp, and a memo of the timers last
 * registered for it. One mutable object per live (key, window), kept in the operator's keyed
 * state table; the memo saves a timer-queue probe per element (registering the same timer again
 * is a no-op in Flink too).
 * @internal
 */
import type { TableCodec } from '../state/keyed-state-backend.js';
import { decodeWindow, type EncodedWindow, encodeWindow, type Window } from './window.js';

export class WindowSlot {
  acc: unknown = undefined;
  /** The window's first element (built-in field aggregations keep it for the other fields). */
  first: unknown = undefined;
  hasAcc = false;
  values: unknown[] | null = null;
  timestamps: number[] | null = null;
  maxTs = Number.NEGATIVE_INFINITY;
  eventTimer = Number.NaN;
  procTimer = Number.NaN;
  constructor(public window: Window) {}

  hasContents(): boolean {
    return this.hasAcc || (this.values !== null && this.values.length > 0);
  }

  /** Back to a fresh slot (for reuse). */
  reset(): void {
    this.purge();
    this.eventTimer = Number.NaN;
    this.procTimer = Number.NaN;
  }

  purge(): void {
    this.acc = undefined;
    this.first = undefined;
    this.hasAcc = false;
    this.values = null;
    this.timestamps = null;
    this.maxTs = Number.NEGATIVE_INFINITY;
  }
}

type EncodedSlot = [EncodedWindow, boolean, unknown, unknown[] | null, number[] | null, number, unknown];

export const windowSlotCodec: TableCodec<WindowSlot> = {
  encode(s: WindowSlot): EncodedSlot {
    return [encodeWindow(s.window), s.hasAcc, s.acc, s.values, s.timestamps, s.maxTs, s.first];
  },
  decode(data: unknown): WindowSlot {
    const [w, hasAcc, acc, values, timestamps, maxTs, first] = data as EncodedSlot;
    const s = new WindowSlot(decodeWindow(w));
    s.hasAcc = hasAcc;
    s.acc = acc;
    s.values = values;
    s.timestamps = timestamps;
    s.maxTs = maxTs;
    s.first = first;
    return s;
  },
};
