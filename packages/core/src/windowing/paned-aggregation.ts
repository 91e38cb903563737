/**
 * Pane-based ("sliced") evaluation of sliding event-time windows with a built-in aggregation.
 *
 * A sliding window of `size` every `slide` is cut into panes of `gcd(size, slide)`; an element
 * updates the one pane it falls in (instead of size/slide window accumulators), and when a window
 * fires its result is combined from its panes. Per-element cost no longer grows with size/slide.
 * Used only where it gives exactly the generic operator's results: default event-time trigger, no
 * evictor, no allowed lateness, and the built-in aggregations (whose accumulators weir owns, so
 * combining panes cannot be disturbed by a user function that mutates its arguments).
 *
 * Ties are decided by arrival order, as the sequential path decides them: every element gets a
 * sequence number; a window's "first element" (whose other fields `sum`/`min`/`max` keep) is the
 * pane-first with the lowest number, and `minBy`/`maxBy` ties go to the lowest (or, with
 * `first = false`, the highest) number.
 *
 * Worked example: size 10 s, slide 5 s -> panes of 5 s. Elements at 3 s and 7 s update panes
 * [0,5) and [5,10); window [0,10) = pane[0,5) + pane[5,10); window [5,15) = pane[5,10) + pane[10,15).
 * After window [0,10) fires, pane [0,5) is dropped: no later window contains it.
 * The panes of a key live in one sorted array (one state lookup per element).
 * @internal
 */
import { better, type FieldAggregation } from '../aggregation/aggregators.js';
import { compareValues } from '../aggregation/compare.js';
import { getField, numericField, withField } from '../aggregation/field-access.js';
import type { KeyedStateBackend, TableCodec } from '../state/keyed-state-backend.js';
import { type StateTable, VOID_NAMESPACE } from '../state/state-table.js';
import type { Slicing } from './slicing.js';
import { TimeWindow } from './window.js';

/** The accumulator of one (key, pane). */
export class PaneSlot {
  has = false;
  acc: unknown = undefined;
  accSeq = 0;
  first: unknown = undefined;
  firstSeq = 0;

  reset(): this {
    this.has = false;
    this.acc = undefined;
    this.first = undefined;
    return this;
  }
}

/** Upper bound of pooled objects (a burst's memory is given back beyond it). */
const MAX_POOLED = 65_536;

/**
 * The live panes of one key, sorted by start: a handful of entries (size / pane + the panes of
 * out-of-order elements), so finding a pane is a check of the newest one, and combining a window
 * is an array scan instead of a hash lookup per pane.
 */
export class KeyPanes {
  starts: number[] = [];
  slots: PaneSlot[] = [];
}

type EncodedPanes = Array<[number, unknown, number, unknown, number]>;

const panesCodec: TableCodec<KeyPanes> = {
  encode: (kp) => kp.slots.map((p, i) => [kp.starts[i]!, p.acc, p.accSeq, p.first, p.firstSeq]) as EncodedPanes,
  decode(data) {
    const kp = new KeyPanes();
    for (const [start, acc, accSeq, first, firstSeq] of data as EncodedPanes) {
      const p = new PaneSlot();
      p.has = true;
      p.acc = acc;
      p.accSeq = accSeq;
      p.first = first;
      p.firstSeq = firstSeq;
      kp.starts.push(start);
      kp.slots.push(p);
    }
    return kp;
  },
};

/** What the pane strategy needs from its window operator. */
export interface PaneHost {
  readonly currentWatermark: number;
  emitPaneResult(result: unknown, timestamp: number, window: TimeWindow): void;
  handleLate(value: unknown, timestamp: number): void;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

export class PanedAggregation {
  /** Arrival sequence; operator state (checkpointed) so ties stay stable across restores. */
  seq = 0;
  private readonly pane: number;
  private readonly panes: StateTable<KeyPanes>;
  private readonly sign: 1 | -1;
  // Expired panes and key entries are reused: with tumbling windows every (key, window) would
  // otherwise allocate a KeyPanes, its two arrays and a PaneSlot.
  private readonly freePanes: PaneSlot[] = [];
  private readonly freeKeys: KeyPanes[] = [];
  // Cached grid cells: timestamps of the same slide/pane skip the floating-point modulo.
  private lastStartCell = Number.NaN;
  private paneCell = Number.NaN;

  constructor(
    private readonly slicing: Slicing,
    private readonly agg: FieldAggregation,
    private readonly backend: KeyedStateBackend,
    private readonly host: PaneHost,
  ) {
    this.pane = gcd(slicing.size, slicing.slide);
    this.panes = backend.table('window-panes', 'panes', panesCodec);
    this.sign = agg.kind === 'min' || agg.kind === 'minBy' ? -1 : 1;
  }

  processElement(value: unknown, ts: number): void {
    const { size, slide, offset } = this.slicing;
    if (!(ts >= this.lastStartCell && ts < this.lastStartCell + slide)) this.lastStartCell = TimeWindow.getWindowStartWithOffset(ts, offset, slide);
    // The last window containing ts ends latest: if even it has fired, the element is late.
    if (this.lastStartCell + size - 1 <= this.host.currentWatermark) {
      this.host.handleLate(value, ts);
      return;
    }
    if (!(ts >= this.paneCell && ts < this.paneCell + this.pane)) this.paneCell = TimeWindow.getWindowStartWithOffset(ts, offset, this.pane);
    const key = this.backend.currentKey;
    let kp = this.panes.get(key, VOID_NAMESPACE);
    if (kp === undefined) {
      kp = this.freeKeys.pop() ?? new KeyPanes();
      this.panes.put(key, VOID_NAMESPACE, kp);
    }
    const paneStart = this.paneCell;
    const n = kp.starts.length;
    let p: PaneSlot;
    if (n > 0 && kp.starts[n - 1] === paneStart) p = kp.slots[n - 1]!;
    else p = this.paneOf(kp, key, paneStart);
    this.add(p, value, ++this.seq);
  }

  /** Finds or inserts (keeping starts sorted) the pane starting at `paneStart`. */
  private paneOf(kp: KeyPanes, key: unknown, paneStart: number): PaneSlot {
    let i = kp.starts.length;
    while (i > 0 && kp.starts[i - 1]! > paneStart) i--;
    if (i > 0 && kp.starts[i - 1] === paneStart) return kp.slots[i - 1]!;
    const p = this.freePanes.pop()?.reset() ?? new PaneSlot();
    const left = i > 0 ? kp.starts[i - 1]! : Number.NaN;
    const right = i < kp.starts.length ? kp.starts[i]! : Number.NaN;
    kp.starts.splice(i, 0, paneStart);
    kp.slots.splice(i, 0, p);
    this.registerWindows(key, paneStart, left, right);
    return p;
  }

  /** A window's timer fired: combine its panes, emit, and drop the panes no later window needs. */
  fire(key: unknown, windowStart: number): void {
    const { size, slide } = this.slicing;
    const kp = this.panes.get(key, VOID_NAMESPACE);
    if (kp === undefined) return;
    const end = windowStart + size;
    let any = false;
    let first: unknown;
    let firstSeq = Number.POSITIVE_INFINITY;
    let acc: unknown;
    let accSeq = 0;
    const byElement = this.agg.kind === 'minBy' || this.agg.kind === 'maxBy';
    const starts = kp.starts;
    for (let i = 0; i < starts.length; i++) {
      const s0 = starts[i]!;
      if (s0 < windowStart) continue;
      if (s0 >= end) break;
      const p = kp.slots[i]!;
      if (!p.has) continue;
      if (!any) {
        any = true;
        first = p.first;
        firstSeq = p.firstSeq;
        acc = p.acc;
        accSeq = p.accSeq;
        continue;
      }
      if (p.firstSeq < firstSeq) {
        first = p.first;
        firstSeq = p.firstSeq;
      }
      if (byElement) {
        const c = compareValues(getField(acc, this.agg.field), getField(p.acc, this.agg.field)) * this.sign;
        if (c < 0 || (c === 0 && (this.agg.first ? p.accSeq < accSeq : p.accSeq > accSeq))) {
          acc = p.acc;
          accSeq = p.accSeq;
        }
      } else if (this.agg.kind === 'sum') acc = (acc as number) + (p.acc as number);
      else if (!(compareValues(acc, p.acc) * this.sign > 0)) acc = p.acc;
    }
    if (any) {
      const result = byElement ? acc : withField(first, this.agg.field, acc);
      this.host.emitPaneResult(result, windowStart + size - 1, new TimeWindow(windowStart, windowStart + size));
    }
    // Panes before the next window's start are in no later window (windows fire in end order).
    let drop = 0;
    while (drop < starts.length && starts[drop]! < windowStart + slide) drop++;
    if (drop === 0) return;
    const free = this.freePanes;
    for (let i = 0; i < drop; i++) if (free.length < MAX_POOLED) free.push(kp.slots[i]!);
    if (drop === starts.length) {
      this.panes.remove(key, VOID_NAMESPACE);
      starts.length = 0;
      kp.slots.length = 0;
      if (this.freeKeys.length < MAX_POOLED) this.freeKeys.push(kp);
    } else {
      starts.splice(0, drop);
      kp.slots.splice(0, drop);
    }
  }

  /**
   * Registers the timers of the windows that contain the new pane and no other pane of the key
   * (a window holding an existing pane got its timer when that pane was created). Only the
   * nearest existing panes on either side can share a window with the new one, so in-order input
   * registers one timer per slide instead of size/slide.
   */
  private registerWindows(key: unknown, paneStart: number, left: number, right: number): void {
    const { size, slide, offset } = this.slicing;
    const wm = this.host.currentWatermark;
    const timers = this.backend.eventTimers;
    // Panes lie on the slide grid when pane == slide (tumbling, or slide dividing size): no modulo.
    const last = this.pane === slide ? paneStart : TimeWindow.getWindowStartWithOffset(paneStart, offset, slide);
    for (let s = last; s + size >= paneStart + this.pane; s -= slide) {
      if ((s <= left && left < s + size) || (s <= right && right < s + size)) continue;
      const maxTs = s + size - 1;
      if (maxTs > wm) timers.add(maxTs, key, s);
    }
  }

  private add(p: PaneSlot, value: unknown, seq: number): void {
    const field = this.agg.field;
    if (!p.has) {
      p.has = true;
      p.first = value;
      p.firstSeq = seq;
      p.acc = this.agg.kind === 'minBy' || this.agg.kind === 'maxBy' ? value : this.agg.kind === 'sum' ? numericField(value, field) : getField(value, field);
      p.accSeq = seq;
      return;
    }
    switch (this.agg.kind) {
      case 'sum':
        p.acc = (p.acc as number) + numericField(value, field);
        return;
      case 'min':
      case 'max': {
        const v = getField(value, field);
        if (!(compareValues(p.acc, v) * this.sign > 0)) p.acc = v;
        return;
      }
      default:
        if (better(getField(p.acc, field), getField(value, field), this.sign, this.agg.first)) {
          p.acc = value;
          p.accSeq = seq;
        }
    }
  }
}
