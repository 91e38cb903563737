/**
 * The slicing family (tumbling and sliding windows, event or processing time, with the
 * assigner's own trigger and an incremental function): per-key accumulators per *slice*, windows
 * assembled from slices when they fire. Time is cut into slices of `gcd(size, slide)`; every
 * window is a run of whole slices, so an element updates exactly one accumulator however many
 * windows it belongs to, and all elements of a slice belong to the same windows.
 *
 * Worked example: size 10 s, slide 5 s -> slices of 5 s. Elements at 3 s and 7 s update slices
 * [0,5) and [5,10); window [0,10) = slice [0,5) + slice [5,10); window [5,15) = slice [5,10) +
 * slice [10,15). After window [0,10) is cleaned up, slice [0,5) is dropped: no later window
 * contains it.
 *
 * Flink's semantics are kept: a window fires when the watermark (or processing time) reaches its
 * end - 1, with the aggregate of its elements, stamped end - 1; with allowed lateness its slices
 * stay until end - 1 + lateness and an element arriving meanwhile fires the window again at once
 * with its updated aggregate (EventTimeTrigger's FIRE on a late element); an element whose
 * windows are all cleaned up is late (side output or dropped). Slices combine in arrival order
 * (each accumulator remembers the arrival numbers of its first and chosen element), so ties and
 * "first element" rules come out as a one-by-one fold would give them.
 *
 * One difference, in processing time only: a sliding window fires once the clock has passed its
 * last millisecond (end), not at it (end - 1). An element arriving in that millisecond after
 * Flink fired the window would make Flink fire it a second time with that element alone (its
 * state was cleared); here the element is in the window's one result. (Its slice is shared with
 * later windows, so it cannot be set apart.) Tumbling windows fire at end - 1, as Flink.
 *
 * Timers belong to windows, not to (key, window): one timer per window fires every key's
 * result. They live in the operator (not in keyed state) and are rebuilt from the restored slices
 * on restore. Subclasses keep the slices: one accumulator per (key, window) for tumbling windows,
 * a short per-key list of slices for sliding ones.
 * @internal
 */
import type { Accumulator, AccumulatorSlot } from '../aggregation/accumulators.js';
import type { OperatorContext, OperatorSnapshot, RestoredState } from '../contract/operator.js';
import type { WindowNodeSpec } from '../contract/plan.js';
import type { Slicing } from '../contract/slicing.js';
import type { StreamRecord } from '../contract/stream-record.js';
import { TimeWindow } from '../contract/window.js';
import type { Namespace } from '../state/state-table.js';
import { TimerQueue } from '../state/timer-queue.js';
import { incrementalFunctionOf } from './window-contents.js';
import { type PlanProcessWindowFunction, WindowOperatorBase } from './window-operator-base.js';

/** Kinds of window timers (the timer queue's "key"). */
const FIRE = 0;
const CLEANUP = 1;

/** Upper bound of pooled objects (a burst's memory is given back beyond it). */
export const MAX_POOLED = 65_536;

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

export abstract class SlicingOperatorBase extends WindowOperatorBase {
  protected readonly size: number;
  protected readonly slide: number;
  /** The slices' alignment; a staggered assigner fixes it at the first element (operator state). */
  protected offset: number;
  private readonly offsetAt: ((now: number) => number) | undefined;
  private offsetFixed: boolean;
  /** Slice length: gcd(size, slide). */
  protected readonly slice: number;
  protected readonly lateness: number;
  protected readonly eventTime: boolean;
  protected readonly accumulator: Accumulator;
  protected readonly process: PlanProcessWindowFunction | undefined;
  /** Arrival numbers (operator state, so ties stay stable across restores). */
  protected seq = 0;
  private restoredSeq = 0;
  /** Processing time up to which window timers have fired (operator state: restored windows that fired stay fired). */
  private firedUpTo = Number.NEGATIVE_INFINITY;
  /** One timer per window (namespace: the window start; key: FIRE or CLEANUP). */
  private readonly windowTimers = new TimerQueue();
  /**
   * 1 for sliding processing-time windows, which fire once the clock has passed their last
   * millisecond (see the class comment), else 0.
   */
  private readonly fireDelay: number;
  /** Starts of windows with pending timers. */
  private readonly registered = new Set<number>();
  private lastRegisteredSlice = Number.NaN;
  // The slice of the last element and what its windows need, cached: consecutive elements
  // mostly share a slice, and then skip the floating-point modulo and the window arithmetic.
  private cellStart = Number.NaN;
  /**
   * The same start as a tagged number: passed on as a namespace, a double field would be boxed
   * into a new heap number on every element; this one was boxed once, when the slice changed.
   */
  private cellNs: number | undefined = undefined;
  private cellEnd = Number.NaN;
  /** Cleanup time of the last window containing the cell (event time). */
  private cellLastCleanup = Number.NaN;
  /** End - 1 of the first window containing the cell (event time). */
  private cellFirstMaxTs = Number.NaN;
  private readonly onWindowTimer = (kind: unknown, windowStart: Namespace): void => {
    if (kind === FIRE) this.fire(windowStart as number);
    else this.cleanup(windowStart as number);
  };

  constructor(spec: WindowNodeSpec, slicing: Slicing) {
    super(spec);
    this.size = slicing.size;
    this.slide = slicing.slide;
    this.offset = slicing.offset;
    this.offsetAt = slicing.offsetAt;
    this.offsetFixed = slicing.offsetAt === undefined;
    this.slice = gcd(slicing.size, slicing.slide);
    this.eventTime = spec.assigner.isEventTime();
    this.lateness = this.eventTime ? spec.allowedLateness : 0;
    this.fireDelay = !this.eventTime && this.slide < this.size ? 1 : 0;
    const fn = incrementalFunctionOf(spec.fn);
    if (fn === undefined) throw new TypeError(`The slicing window operator needs a reduce or aggregate function, not ${spec.fn.kind}`);
    this.accumulator = fn.accumulator;
    this.process = fn.process;
  }

  override open(ctx: OperatorContext<unknown>): void {
    super.open(ctx);
    this.seq = this.restoredSeq;
    this.openSlices();
    // Restored slices: give every window still to fire or clean up its timers.
    this.forEachSliceStart((start) => this.registerWindowsOf(start));
  }

  /**
   * True when the accumulators cannot be combined (an AggregateFunction without `merge`): then
   * every window has its own accumulator, and an element is added to each window it belongs to
   * that is not cleaned up yet ({@link addToEachWindow}), as Flink's WindowOperator does.
   */
  protected windowsPerElement = false;

  /** Adds the current element to each live window containing the slice at `sliceStart` (see {@link windowsPerElement}). */
  protected addToEachWindow(_key: unknown, _value: unknown, _sliceStart: number): void {
    throw new TypeError(`${this.constructor.name} keeps no accumulator per window`);
  }

  /** Creates the slice table (restored entries arrive with it). */
  protected abstract openSlices(): void;
  /** Calls `fn` with the start of every live slice (restore). */
  protected abstract forEachSliceStart(fn: (start: number) => void): void;
  /** The accumulator of the current key's slice at `start`, created if missing, ready for mutation. */
  protected abstract slotFor(key: unknown, start: number): AccumulatorSlot;
  /** Emits every key's result of the window starting at `start`. */
  protected abstract emitWindow(window: TimeWindow): void;
  /** Emits the current key's result of `window` (a late element updated it). */
  protected abstract emitKeyWindow(key: unknown, window: TimeWindow): void;
  /** Drops what no window after the one starting at `start` needs (clearing its process-function state). */
  protected abstract dropWindow(window: TimeWindow): void;

  snapshotState(): OperatorSnapshot {
    return { operator: { seq: this.seq, firedUpTo: this.firedUpTo, offset: this.offsetFixed ? this.offset : undefined } };
  }

  restoreState(state: RestoredState): void {
    const op = state.operator as { seq?: number; firedUpTo?: number; offset?: number } | undefined;
    this.restoredSeq = op?.seq ?? 0;
    this.firedUpTo = op?.firedUpTo ?? Number.NEGATIVE_INFINITY;
    if (op?.offset !== undefined) {
      // Restored slices lie on the grid of the offset they were cut with.
      this.offset = op.offset;
      this.offsetFixed = true;
    }
  }

  processElement(input: StreamRecord<unknown>): void {
    this.counters.recordsIn++;
    const value = input.value;
    this.selectElementKey(value);
    const ts = this.eventTime ? input.timestamp : this.ctx.clock.now();
    if (!(ts >= this.cellStart && ts < this.cellEnd)) {
      if (!this.offsetFixed) this.fixOffset(ts);
      this.locate(ts);
    }
    if (this.eventTime && this.cellLastCleanup <= this.currentWatermark) {
      this.handleLate(value, input.timestamp);
      return;
    }
    const key = this.backend.currentKey;
    if (this.windowsPerElement) this.addToEachWindow(key, value, this.cellStart);
    else {
      const slot = this.slotFor(key, this.cellNs!);
      try {
        this.accumulator.add(slot, value, ++this.seq);
      } catch (e) {
        throw this.userError(e, this.userKey());
      }
    }
    // Allowed lateness: windows of the slice that fired already fire again at once (Flink's
    // EventTimeTrigger fires on an element whose window's end the watermark has passed).
    if (this.lateness > 0 && this.cellFirstMaxTs <= this.currentWatermark) this.refire(key);
  }

  /** A staggered assigner: the offset is fixed by the first element's processing time. */
  private fixOffset(now: number): void {
    this.offset = this.offsetAt!(now);
    this.offsetFixed = true;
  }

  /** Caches the slice of `ts` and what its windows need. */
  private locate(ts: number): void {
    const start = TimeWindow.getWindowStartWithOffset(ts, this.offset, this.slice);
    this.cellStart = start;
    this.cellNs = start;
    this.cellEnd = start + this.slice;
    const lastWindowStart = TimeWindow.getWindowStartWithOffset(start, this.offset, this.slide);
    this.cellLastCleanup = lastWindowStart + this.size - 1 + this.lateness;
    // The first window containing the slice starts at the first slide point after start - size.
    this.cellFirstMaxTs = TimeWindow.getWindowStartWithOffset(start - this.size, this.offset, this.slide) + this.slide + this.size - 1;
  }

  /** Fires, for the current key, the windows of the element's slice that already fired and are kept. */
  private refire(key: unknown): void {
    const wm = this.currentWatermark;
    // Latest start first, as the assigners list an element's windows.
    for (let s = TimeWindow.getWindowStartWithOffset(this.cellStart, this.offset, this.slide); s + this.size > this.cellStart; s -= this.slide) {
      const maxTs = s + this.size - 1;
      if (maxTs > wm || maxTs + this.lateness <= wm) continue;
      this.emitKeyWindow(key, new TimeWindow(s, s + this.size));
    }
  }

  /** Makes sure every window containing the slice at `start` that is not cleaned up yet has its timers. */
  protected registerWindowsOf(start: number): void {
    if (start === this.lastRegisteredSlice) return;
    this.lastRegisteredSlice = start;
    const wm = this.currentWatermark;
    for (let s = TimeWindow.getWindowStartWithOffset(start, this.offset, this.slide); s + this.size > start; s -= this.slide) {
      if (this.registered.has(s)) continue;
      const maxTs = s + this.size - 1;
      if (this.eventTime && maxTs + this.lateness <= wm) continue;
      // A restored slice of sliding processing-time windows: the windows that fired before the snapshot stay fired.
      if (this.fireDelay > 0 && maxTs + this.fireDelay <= this.firedUpTo) continue;
      this.registered.add(s);
      if (this.lateness === 0) this.windowTimers.add(maxTs + this.fireDelay, FIRE, s);
      else {
        if (maxTs > wm) this.windowTimers.add(maxTs, FIRE, s);
        this.windowTimers.add(maxTs + this.lateness, CLEANUP, s);
      }
    }
  }

  /** A registered slice start becomes stale once a window containing it is done. */
  protected forgetRegisteredSlice(): void {
    this.lastRegisteredSlice = Number.NaN;
  }

  private fire(start: number): void {
    const window = new TimeWindow(start, start + this.size);
    try {
      this.emitWindow(window);
      if (this.lateness === 0) this.completeWindow(window);
    } catch (e) {
      throw this.userError(e, this.userKey());
    }
  }

  private cleanup(start: number): void {
    try {
      this.completeWindow(new TimeWindow(start, start + this.size));
    } catch (e) {
      throw this.userError(e, this.userKey());
    }
  }

  private completeWindow(window: TimeWindow): void {
    this.registered.delete(window.start);
    this.forgetRegisteredSlice();
    this.dropWindow(window);
  }

  /** Emits one key's result of `window` (the backend's current key is the key). */
  protected emitAggregate(result: unknown, window: TimeWindow): void {
    this.emitResult(result, window, window.maxTs, this.process);
  }

  /** Clears the process function's per-window state for the current key. */
  protected clearWindowState(window: TimeWindow): void {
    this.clearProcessState(this.process, window);
  }

  /** True when the process function has per-window state to clear. */
  protected get processHasClear(): boolean {
    const p = this.process;
    return p !== undefined && typeof p !== 'function' && p.clear !== undefined;
  }

  protected override onWatermark(watermark: number): void {
    const timers = this.windowTimers;
    if (this.eventTime && timers.next <= watermark) timers.advance(watermark, this.onWindowTimer);
  }

  override nextProcessingTime(): number {
    return this.eventTime ? Number.POSITIVE_INFINITY : this.windowTimers.next;
  }

  override onProcessingTime(now: number): void {
    if (this.eventTime) return;
    const timers = this.windowTimers;
    const upTo = now === Number.POSITIVE_INFINITY ? timers.maxTimestamp() : now;
    if (timers.next <= upTo) timers.advance(upTo, this.onWindowTimer);
    if (upTo > this.firedUpTo) this.firedUpTo = upTo;
  }

  // No keyed timers: every timer is a window's.
  protected onEventTimer(): void {}
  protected onProcessingTimer(): void {}
}
