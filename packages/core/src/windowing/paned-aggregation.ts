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
import type { Columns, KeyedStateBackend, TableCodec } from '../state/keyed-state-backend.js';
import { type StateTable, VOID_NAMESPACE } from '../state/state-table.js';
import { TimerQueue } from '../state/timer-queue.js';
import type { Slicing } from '../contract/slicing.js';
import { TimeWindow } from '../contract/window.js';

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
  /** Live panes: the first `n` entries of `starts`/`slots` (the arrays only grow, so dropping
   * panes never reallocates). */
  n = 0;
  starts: number[] = [];
  slots: PaneSlot[] = [];
  /** Empty since the previous window fired: removed from the table at the next one. */
  idle = false;

  insertAt(i: number, start: number, slot: PaneSlot): void {
    if (this.starts.length === 0) {
      // Exact-size arrays for a new key's first pane (most keys have one): `[]` followed by a
      // push would reserve 17 slots each, a third of the memory of a live key.
      this.starts = [start];
      this.slots = [slot];
      this.n = 1;
      return;
    }
    for (let j = this.n; j > i; j--) {
      this.starts[j] = this.starts[j - 1]!;
      this.slots[j] = this.slots[j - 1]!;
    }
    this.starts[i] = start;
    this.slots[i] = slot;
    this.n++;
  }

  dropFirst(count: number): void {
    const n = this.n;
    for (let j = count; j < n; j++) {
      this.starts[j - count] = this.starts[j]!;
      this.slots[j - count] = this.slots[j]!;
    }
    this.n = n - count;
  }
}

type EncodedPanes = Array<[number, unknown, number, unknown, number]>;

function paneSlot(acc: unknown, accSeq: number, first: unknown, firstSeq: number): PaneSlot {
  const p = new PaneSlot();
  p.has = true;
  p.acc = acc;
  p.accSeq = accSeq;
  p.first = first;
  p.firstSeq = firstSeq;
  return p;
}

/**
 * Checkpoint codec of a key's panes. Columnar: a key with one pane (every key of a tumbling
 * window) is five scalars in five arrays, no object per key, which keeps the barrier pause short;
 * a key with several panes stores arrays in the same columns.
 */
const panesCodec: TableCodec<KeyPanes> = {
  encode: (kp) => kp.slots.slice(0, kp.n).map((p, i) => [kp.starts[i]!, p.acc, p.accSeq, p.first, p.firstSeq]) as EncodedPanes,
  decode(data) {
    const kp = new KeyPanes();
    for (const [start, acc, accSeq, first, firstSeq] of data as EncodedPanes) kp.insertAt(kp.n, start, paneSlot(acc, accSeq, first, firstSeq));
    return kp;
  },
  columns: {
    names: ['n', 'start', 'acc', 'accSeq', 'first', 'firstSeq'],
    append(c: Columns, kp: KeyPanes): void {
      const n = kp.n;
      c.n!.push(n);
      if (n === 1) {
        const p = kp.slots[0]!;
        c.start!.push(kp.starts[0]);
        c.acc!.push(p.acc);
        c.accSeq!.push(p.accSeq);
        c.first!.push(p.first);
        c.firstSeq!.push(p.firstSeq);
        return;
      }
      const slots = kp.slots.slice(0, n);
      c.start!.push(kp.starts.slice(0, n));
      c.acc!.push(slots.map((p) => p.acc));
      c.accSeq!.push(slots.map((p) => p.accSeq));
      c.first!.push(slots.map((p) => p.first));
      c.firstSeq!.push(slots.map((p) => p.firstSeq));
    },
    read(c: Columns, i: number): KeyPanes {
      const kp = new KeyPanes();
      const n = c.n![i] as number;
      if (n === 1) {
        kp.insertAt(0, c.start![i] as number, paneSlot(c.acc![i], c.accSeq![i] as number, c.first![i], c.firstSeq![i] as number));
        return kp;
      }
      const starts = c.start![i] as number[];
      const accs = c.acc![i] as unknown[];
      const accSeqs = c.accSeq![i] as number[];
      const firsts = c.first![i] as unknown[];
      const firstSeqs = c.firstSeq![i] as number[];
      for (let j = 0; j < n; j++) kp.insertAt(j, starts[j]!, paneSlot(accs[j], accSeqs[j]!, firsts[j], firstSeqs[j]!));
      return kp;
    },
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
  /** Live (key, pane) accumulators (metrics). */
  livePanes = 0;
  private readonly pane: number;
  private readonly panes: StateTable<KeyPanes>;
  private readonly sign: 1 | -1;
  // Expired panes and key entries are reused: with tumbling windows every (key, window) would
  // otherwise allocate a KeyPanes, its two arrays and a PaneSlot.
  private readonly freePanes: PaneSlot[] = [];
  /**
   * One timer per window (namespace: the window start), kept here rather than among the keyed
   * timers: it belongs to no key, and it is not checkpointed, since the restored panes say which
   * windows are still to fire (the constructor registers them again).
   */
  readonly windowTimers = new TimerQueue();
  /** Starts of the windows whose timer is registered (a cache: the timer queue dedupes too). */
  private readonly registered = new Set<number>();
  private lastRegistered = Number.NaN;
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
    for (const kp of this.panes.namespaceEntries(VOID_NAMESPACE)?.values() ?? []) {
      // Restored state: count the panes and give every window still to fire its timer.
      this.livePanes += kp.n;
      for (let i = 0; i < kp.n; i++) this.registerWindows(kp.starts[i]!);
    }
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
    kp.idle = false;
    const n = kp.n;
    let p: PaneSlot;
    if (n > 0 && kp.starts[n - 1] === paneStart) p = kp.slots[n - 1]!;
    else p = this.paneOf(kp, paneStart);
    this.add(p, value, ++this.seq);
  }

  /** Finds or inserts (keeping starts sorted) the pane starting at `paneStart`. */
  private paneOf(kp: KeyPanes, paneStart: number): PaneSlot {
    let i = kp.n;
    while (i > 0 && kp.starts[i - 1]! > paneStart) i--;
    if (i > 0 && kp.starts[i - 1] === paneStart) return kp.slots[i - 1]!;
    const p = this.freePanes.pop()?.reset() ?? new PaneSlot();
    kp.insertAt(i, paneStart, p);
    this.livePanes++;
    this.registerWindows(paneStart);
    return p;
  }

  /**
   * A window's timer fired: every key with panes in it emits, and panes no later window needs are
   * dropped. One timer per window, not per key and window: all keys of a window fire at the same
   * watermark, so the window walks the keys that have live panes (keys without any are not in
   * the table).
   */
  fireWindow(windowStart: number): void {
    this.registered.delete(windowStart);
    const keys = this.panes.namespaceEntries(VOID_NAMESPACE);
    if (keys === undefined) return;
    // One window object for every key's result.
    const window = new TimeWindow(windowStart, windowStart + this.slicing.size);
    for (const [key, kp] of keys) {
      if (kp.n > 0) this.fireKey(key, kp, window);
      else if (kp.idle) {
        // No element for a whole window: give the key's entry back.
        this.panes.remove(key, VOID_NAMESPACE);
        if (this.freeKeys.length < MAX_POOLED) this.freeKeys.push(kp);
      } else kp.idle = true;
    }
  }

  private fireKey(key: unknown, kp: KeyPanes, window: TimeWindow): void {
    const { size, slide } = this.slicing;
    const windowStart = window.start;
    const starts = kp.starts;
    const n = kp.n;
    const end = windowStart + size;
    if (starts[0]! >= end) return; // only panes of later windows (out-of-order input)
    let any = false;
    let first: unknown;
    let firstSeq = Number.POSITIVE_INFINITY;
    let acc: unknown;
    let accSeq = 0;
    const byElement = this.agg.kind === 'minBy' || this.agg.kind === 'maxBy';
    for (let i = 0; i < n; i++) {
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
      this.backend.currentKey = key;
      const result = byElement ? acc : withField(first, this.agg.field, acc);
      this.host.emitPaneResult(result, windowStart + size - 1, window);
    }
    // Panes before the next window's start are in no later window (windows fire in end order).
    // The key's entry stays while it is active (an emptied one is removed after a whole idle window).
    let drop = 0;
    while (drop < n && starts[drop]! < windowStart + slide) drop++;
    if (drop === 0) return;
    const free = this.freePanes;
    for (let i = 0; i < drop; i++) if (free.length < MAX_POOLED) free.push(kp.slots[i]!);
    kp.dropFirst(drop);
    this.livePanes -= drop;
  }

  /** Makes sure every not-yet-fired window containing the new pane has its (one) timer. */
  private registerWindows(paneStart: number): void {
    const { size, slide, offset } = this.slicing;
    const wm = this.host.currentWatermark;
    // Panes lie on the slide grid when pane == slide (tumbling, or slide dividing size): no modulo.
    const last = this.pane === slide ? paneStart : TimeWindow.getWindowStartWithOffset(paneStart, offset, slide);
    for (let s = last; s + size >= paneStart + this.pane; s -= slide) {
      const maxTs = s + size - 1;
      if (maxTs <= wm || s === this.lastRegistered || this.registered.has(s)) continue;
      this.registered.add(s);
      this.lastRegistered = s;
      this.windowTimers.add(maxTs, undefined, s);
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
