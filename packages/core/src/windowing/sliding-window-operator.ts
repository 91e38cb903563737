/**
 * Slicing, sliding windows: each key keeps its live slices in one short list (sorted by start),
 * so an element costs one state lookup and one accumulator update whatever size/slide is, and a
 * firing window combines each key's slices in its range (an array scan, no lookup per slice).
 * See slicing-operator-base.ts for the semantics.
 *
 * Example: size 10 s, slide 5 s: key k's list holds slices [0,5), [5,10); window [0,10) fires as
 * slice[0,5) + slice[5,10), then [0,5) is dropped from every key (no later window needs it).
 *
 * An AggregateFunction without `merge` cannot combine slices: then the list holds one
 * accumulator per *window* (keyed by the window's start), an element is added to each live window
 * it belongs to (size / slide of them), and a firing window emits its own accumulator; the rest
 * (timers, lateness, late output, cleanup) is the same. Example, size 10 s, slide 5 s: an element
 * at 7 s is added to the accumulators of [0,10) and [5,15).
 * @internal
 */
import { AccSlot } from '../aggregation/accumulators.js';
import type { Slicing } from '../contract/slicing.js';
import type { WindowNodeSpec } from '../contract/plan.js';
import { TimeWindow } from '../contract/window.js';
import type { Columns, TableCodec } from '../state/keyed-state-backend.js';
import { type StateTable, VOID_NAMESPACE } from '../state/state-table.js';
import { MAX_POOLED, SlicingOperatorBase } from './slicing-operator-base.js';
import { MUTATES_THROUGH_UPDATE } from './window-operator-base.js';

/**
 * The live slices of one key, sorted by start: a handful (size / slice, plus slices of
 * out-of-order elements), so finding one is a check of the newest, and combining a window an
 * array scan. The arrays only grow: dropping slices never reallocates.
 */
export class KeySlices {
  n = 0;
  starts: number[] = [];
  slots: AccSlot[] = [];

  insertAt(i: number, start: number, slot: AccSlot): void {
    if (this.starts.length === 0) {
      // Exact-size arrays for a key's first slice: `[]` then push would reserve 17 slots.
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
    for (let j = n - count; j < n; j++) this.slots[j] = undefined as unknown as AccSlot;
    this.n = n - count;
  }
}

type EncodedSlices = [number[], boolean[], unknown[], unknown[], number[], number[]];

/** Checkpoint codec of a key's slices: six arrays per key. */
function keySlicesCodec(cloneUserState: boolean): TableCodec<KeySlices> {
  const detach = (acc: unknown) => (cloneUserState && typeof acc === 'object' && acc !== null ? structuredClone(acc) : acc);
  const encode = (ks: KeySlices): EncodedSlices => {
    const slots = ks.slots.slice(0, ks.n);
    return [ks.starts.slice(0, ks.n), slots.map((s) => s.has), slots.map((s) => detach(s.acc)), slots.map((s) => s.first), slots.map((s) => s.accSeq), slots.map((s) => s.firstSeq)];
  };
  const decode = ([starts, has, acc, first, accSeq, firstSeq]: EncodedSlices): KeySlices => {
    const ks = new KeySlices();
    for (let i = 0; i < starts.length; i++) {
      const s = new AccSlot();
      s.has = has[i]!;
      s.acc = acc[i];
      s.first = first[i];
      s.accSeq = accSeq[i]!;
      s.firstSeq = firstSeq[i]!;
      ks.insertAt(i, starts[i]!, s);
    }
    return ks;
  };
  return {
    encode,
    decode: (data) => decode(data as EncodedSlices),
    columns: {
      names: ['slices'],
      append: (c: Columns, ks: KeySlices) => void c.slices!.push(encode(ks)),
      read: (c: Columns, i: number) => decode(c.slices![i] as EncodedSlices),
    },
  };
}

export class SlidingWindowOperator extends SlicingOperatorBase {
  private keys: StateTable<KeySlices> = undefined as unknown as StateTable<KeySlices>;
  private liveSlices = 0;
  private readonly freeSlots: AccSlot[] = [];
  private readonly scratch = new AccSlot();
  private firing: TimeWindow | undefined = undefined;
  private readonly emitEntry = (ks: KeySlices, key: unknown): void => {
    if (this.windowsPerElement) {
      this.emitOwnAccumulator(key, ks, this.firing!);
      return;
    }
    if (this.combine(ks, this.firing!)) {
      this.backend.currentKey = key;
      this.emitAggregate(this.accumulator.result(this.scratch), this.firing!);
    }
    this.scratch.reset();
  };
  private readonly dropEntry = (_ks: KeySlices, key: unknown): void => this.dropKeySlices(key, this.firing!);

  constructor(spec: WindowNodeSpec, slicing: Slicing) {
    super(spec, slicing);
    this.windowsPerElement = !this.accumulator.canMerge;
  }

  protected openSlices(): void {
    this.keys = this.backend.table('window-key-slices', 'slices', keySlicesCodec(this.accumulator.userState), MUTATES_THROUGH_UPDATE);
    this.keys.forEach((_ns, _k, ks) => (this.liveSlices += ks.n));
  }

  protected forEachSliceStart(fn: (start: number) => void): void {
    this.keys.forEach((_ns, _k, ks) => {
      for (let i = 0; i < ks.n; i++) fn(ks.starts[i]!);
    });
  }

  liveWindows(): number {
    return this.liveSlices;
  }

  protected override addToEachWindow(key: unknown, value: unknown, sliceStart: number): void {
    const seq = ++this.seq;
    const wm = this.currentWatermark;
    const acc = this.accumulator;
    // Latest start first, as the assigners list an element's windows; windows already cleaned up
    // (allowed lateness passed) are skipped, as Flink's WindowOperator skips late windows.
    for (let s = TimeWindow.getWindowStartWithOffset(sliceStart, this.offset, this.slide); s + this.size > sliceStart; s -= this.slide) {
      if (this.eventTime && s + this.size - 1 + this.lateness <= wm) continue;
      const slot = this.slotFor(key, s);
      try {
        acc.add(slot, value, seq);
      } catch (e) {
        throw this.userError(e, this.userKey());
      }
    }
  }

  /** Per-window accumulators: the slot of the window starting at `start`, if the key has one. */
  private windowSlot(ks: KeySlices, start: number): AccSlot | undefined {
    const starts = ks.starts;
    for (let i = 0; i < ks.n; i++) {
      const s0 = starts[i]!;
      if (s0 === start) return ks.slots[i];
      if (s0 > start) break;
    }
    return undefined;
  }

  /** Per-window accumulators: emits the key's accumulator of `window`, if it holds anything. */
  private emitOwnAccumulator(key: unknown, ks: KeySlices, window: TimeWindow): void {
    const slot = this.windowSlot(ks, window.start);
    if (slot === undefined || !slot.has) return;
    this.backend.currentKey = key;
    this.emitAggregate(this.accumulator.result(slot), window);
  }

  protected slotFor(key: unknown, start: number): AccSlot {
    let ks = this.keys.update(key, VOID_NAMESPACE);
    if (ks === undefined) {
      ks = new KeySlices();
      this.keys.put(key, VOID_NAMESPACE, ks);
    }
    const n = ks.n;
    if (n > 0 && ks.starts[n - 1] === start) return ks.slots[n - 1]!;
    // Not the newest slice: find it, or insert a new one keeping the starts sorted.
    let i = n;
    while (i > 0 && ks.starts[i - 1]! > start) i--;
    if (i > 0 && ks.starts[i - 1] === start) return ks.slots[i - 1]!;
    const slot = this.freeSlots.pop() ?? new AccSlot();
    ks.insertAt(i, start, slot);
    this.liveSlices++;
    this.registerWindowsOf(start);
    return slot;
  }

  /** Folds the key's slices within `window` into the scratch slot (arrival order); true when any. */
  private combine(ks: KeySlices, window: TimeWindow): boolean {
    const starts = ks.starts;
    const end = window.end;
    const acc = this.accumulator;
    const scratch = this.scratch;
    for (let i = 0; i < ks.n; i++) {
      const s0 = starts[i]!;
      if (s0 < window.start) continue;
      if (s0 >= end) break;
      acc.merge(scratch, ks.slots[i]!, true);
    }
    return scratch.has;
  }

  protected emitWindow(window: TimeWindow): void {
    const entries = this.keys.namespaceEntries(VOID_NAMESPACE);
    if (entries === undefined) return;
    this.firing = window;
    try {
      entries.forEach(this.emitEntry);
    } finally {
      this.firing = undefined;
      this.scratch.reset();
    }
  }

  protected emitKeyWindow(key: unknown, window: TimeWindow): void {
    const ks = this.keys.get(key, VOID_NAMESPACE);
    if (this.windowsPerElement) {
      if (ks !== undefined) this.emitOwnAccumulator(key, ks, window);
      return;
    }
    if (ks !== undefined && this.combine(ks, window)) this.emitAggregate(this.accumulator.result(this.scratch), window);
    this.scratch.reset();
  }

  protected dropWindow(window: TimeWindow): void {
    const entries = this.keys.namespaceEntries(VOID_NAMESPACE);
    if (entries === undefined) return;
    this.firing = window;
    entries.forEach(this.dropEntry);
    this.firing = undefined;
  }

  /** Clears the key's process state of `window` and drops its slices that no later window contains. */
  private dropKeySlices(key: unknown, window: TimeWindow): void {
    const ks = this.keys.update(key, VOID_NAMESPACE)!;
    const starts = ks.starts;
    if (this.processHasClear) {
      let inWindow = false;
      if (this.windowsPerElement) inWindow = this.windowSlot(ks, window.start) !== undefined;
      else for (let i = 0; i < ks.n && starts[i]! < window.end; i++) if (starts[i]! >= window.start) inWindow = true;
      if (inWindow) {
        this.backend.currentKey = key;
        this.clearWindowState(window);
      }
    }
    // Windows are cleaned up in end order: slices before the next window's start are in no later window.
    const keepFrom = window.start + this.slide;
    let drop = 0;
    while (drop < ks.n && starts[drop]! < keepFrom) drop++;
    if (drop === 0) return;
    const free = this.freeSlots;
    for (let i = 0; i < drop; i++) if (free.length < MAX_POOLED) free.push(ks.slots[i]!.reset());
    ks.dropFirst(drop);
    this.liveSlices -= drop;
    if (ks.n === 0) this.keys.remove(key, VOID_NAMESPACE);
  }
}
