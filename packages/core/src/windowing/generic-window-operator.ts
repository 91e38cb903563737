/**
 * The generic window operator (Flink's `WindowOperator` and `EvictingWindowOperator`): any
 * assigner x trigger x evictor x function, keyed or not. The translator gives it every window the
 * specialised families (slicing, sessions) do not take: custom triggers, evictors, global, count
 * and delta windows, custom assigners.
 *
 * Per element: assign windows; skip windows already past cleanup (late); add the element to each
 * remaining window's slot; ask the trigger; fire (emit with timestamp `window.maxTimestamp()`) and
 * purge as it says; make sure the window's cleanup timer (end - 1 + allowed lateness) exists. An
 * element that no window took, and is behind the watermark by more than the allowed lateness, goes
 * to the late side output or is counted as dropped. Timers: the trigger decides; at cleanup time
 * all state of the window is dropped. Merging assigners go through a per-key
 * {@link MergingWindowSet}, as in Flink: trigger state and timers live under the window's own
 * namespace (the whole window), contents under its state window.
 *
 * Contents are an accumulator when the function is incremental and no evictor needs the elements
 * (count and delta windows with a built-in aggregation keep one accumulator per key), else a
 * buffer of elements.
 *
 * Output timestamps of the global window (which ends at +Infinity) are the latest element
 * timestamp in the fired window, not Flink's `Long.MAX_VALUE`, so that count and delta window
 * results can still be windowed by event time downstream.
 */
import type { WindowNodeSpec } from '../contract/plan.js';
import type { OperatorContext } from '../contract/operator.js';
import type { StreamRecord } from '../contract/stream-record.js';
import { type Namespace, type StateTable, VOID_NAMESPACE } from '../state/state-table.js';
import type { EvictorContext } from '../contract/evictor.js';
import { MergingWindowSet, mergingWindowSetCodec } from './merging-window-set.js';
import type { WindowAssignerContext } from '../contract/window-assigner.js';
import { createWindowContents, type WindowContents, type WindowEmitter } from './window-contents.js';
import { WindowSlot, windowSlotCodec } from './window-slot.js';
import { WindowTriggerContext } from './window-trigger-context.js';
import { isFire, isPurge } from '../contract/trigger.js';
import { maxTimestampOf, type TimeWindow, type Window } from '../contract/window.js';
import { MUTATES_THROUGH_UPDATE, type PlanProcessWindowFunction, WindowOperatorBase } from './window-operator-base.js';

/** Upper bound of reusable slots kept (memory of a burst of windows is given back beyond it). */
const MAX_FREE_SLOTS = 65_536;

export class GenericWindowOperator extends WindowOperatorBase implements WindowEmitter, EvictorContext {
  readonly evictorContext: EvictorContext = this;
  private slots: StateTable<WindowSlot> = undefined as unknown as StateTable<WindowSlot>;
  private mergingSets: StateTable<MergingWindowSet> | null = null;
  private tc: WindowTriggerContext = undefined as unknown as WindowTriggerContext;
  private readonly contents: WindowContents;
  private readonly isEventTime: boolean;
  private readonly merging: boolean;
  private readonly lateness: number;
  private readonly assignerContext: WindowAssignerContext;
  private readonly freeSlots: WindowSlot[] = [];
  // Created once, not per element: the merge callback reads the current key from the backend.
  private readonly mergesByIntersection: boolean;
  private readonly mergeWindows: (w: readonly TimeWindow[], cb: (toMerge: TimeWindow[], result: TimeWindow) => void) => void;
  private readonly mergeCallback = (result: TimeWindow, merged: TimeWindow[], stateResult: TimeWindow, mergedStates: TimeWindow[]): void =>
    this.onMerge(this.backend.currentKey, result, merged, stateResult, mergedStates);

  constructor(spec: WindowNodeSpec) {
    super(spec);
    this.contents = createWindowContents(spec.fn, spec.evictor);
    this.isEventTime = spec.assigner.isEventTime();
    this.merging = typeof spec.assigner.mergeWindows === 'function';
    this.lateness = spec.allowedLateness;
    this.assignerContext = { currentProcessingTime: () => this.ctx.clock.now() };
    this.mergesByIntersection = (spec.assigner as { mergesByIntersection?: boolean }).mergesByIntersection === true;
    this.mergeWindows = (w, cb) => spec.assigner.mergeWindows!(w as never, cb as never);
  }

  override open(ctx: OperatorContext<unknown>): void {
    super.open(ctx);
    // User reduce/aggregate accumulators may be updated in place: the checkpoint clones them.
    this.slots = this.backend.table('window-contents', 'window', windowSlotCodec(this.contents.userState), MUTATES_THROUGH_UPDATE);
    if (this.merging) this.mergingSets = this.backend.table('merging-window-set', 'merging', mergingWindowSetCodec, MUTATES_THROUGH_UPDATE);
    this.tc = new WindowTriggerContext(this.backend, this, () => ctx.clock.now());
  }

  liveWindows(): number {
    return this.slots.size;
  }

  getCurrentWatermark(): number {
    return this.currentWatermark;
  }
  getCurrentProcessingTime(): number {
    return this.ctx.clock.now();
  }

  emitAggregate(result: unknown, process: PlanProcessWindowFunction | undefined): void {
    if (process === undefined) this.collector.collect(result);
    else this.callProcess(process, [result]);
  }

  emitElements(process: PlanProcessWindowFunction, elements: readonly unknown[]): void {
    this.callProcess(process, elements);
  }

  processElement(input: StreamRecord<unknown>): void {
    this.counters.recordsIn++;
    const value = input.value;
    const timestamp = input.timestamp;
    this.selectElementKey(value);
    let windows: readonly Window[];
    try {
      windows = this.spec.assigner.assignWindows(value, timestamp, this.assignerContext);
    } catch (e) {
      throw this.userError(e, this.userKey());
    }
    const skipped = this.merging ? this.processMerging(value, timestamp, windows as readonly TimeWindow[]) : this.processPlain(value, timestamp, windows);
    if (skipped && this.isEventTime && timestamp + this.lateness <= this.currentWatermark) this.handleLate(value, timestamp);
  }

  private processPlain(value: unknown, timestamp: number, windows: readonly Window[]): boolean {
    let skipped = true;
    const key = this.backend.currentKey;
    for (let i = 0; i < windows.length; i++) {
      const window = windows[i]!;
      if (this.isWindowLate(window)) continue;
      skipped = false;
      let slot = this.slots.update(key, window.ns);
      if (slot === undefined) {
        slot = this.newSlot(window);
        this.slots.put(key, window.ns, slot);
      }
      this.addElement(key, window, slot, slot, value, timestamp);
    }
    return skipped;
  }

  private processMerging(value: unknown, timestamp: number, windows: readonly TimeWindow[]): boolean {
    let skipped = true;
    const key = this.backend.currentKey;
    const sets = this.mergingSets!;
    const set = sets.update(key, VOID_NAMESPACE) ?? new MergingWindowSet([]);
    for (const window of windows) {
      const actual =
        (this.mergesByIntersection ? set.addWindowByIntersection(window, this.mergeCallback) : undefined) ??
        set.addWindow(window, this.mergeWindows, this.mergeCallback);
      if (this.isWindowLate(actual)) {
        set.retireWindow(actual);
        continue;
      }
      skipped = false;
      const stateWindow = set.getStateWindow(actual)!;
      let slot = this.slots.update(key, stateWindow.ns);
      if (slot === undefined) {
        slot = this.newSlot(stateWindow);
        this.slots.put(key, stateWindow.ns, slot);
      }
      this.addElement(key, actual, slot, null, value, timestamp);
    }
    if (set.mapping.length > 0) sets.put(key, VOID_NAMESPACE, set);
    else sets.remove(key, VOID_NAMESPACE);
    return skipped;
  }

  private addElement(key: unknown, window: Window, slot: WindowSlot, memo: WindowSlot | null, value: unknown, timestamp: number): void {
    const tc = this.tc;
    const trigger = this.spec.trigger;
    tc.key = key;
    tc.window = window;
    tc.memo = memo;
    try {
      if (trigger.onElementBefore !== undefined) {
        const before = trigger.onElementBefore(value, timestamp, window, tc);
        if (isFire(before) && slot.hasContents()) this.emit(window, slot);
        if (isPurge(before)) slot.purge();
      }
      this.contents.add(slot, value, timestamp);
      if (timestamp > slot.maxTs) slot.maxTs = timestamp;
      const result = trigger.onElement(value, timestamp, window, tc);
      if (isFire(result) && slot.hasContents()) this.emit(window, slot);
      if (isPurge(result)) slot.purge();
    } catch (e) {
      throw this.userError(e, this.userKey());
    }
    this.registerCleanupTimer(window);
  }

  private onMerge(key: unknown, result: TimeWindow, merged: TimeWindow[], stateResult: TimeWindow, mergedStates: TimeWindow[]): void {
    if (this.isEventTime && this.cleanupTime(result) <= this.currentWatermark) {
      throw new Error(
        `The end timestamp of an event-time window cannot become earlier than the current watermark by merging. Current watermark: ${this.currentWatermark} window: ${result}`,
      );
    }
    const tc = this.tc;
    const trigger = this.spec.trigger;
    tc.key = key;
    tc.memo = null;
    tc.window = result;
    tc.mergedWindows = merged;
    trigger.onMerge?.(result, tc);
    tc.mergedWindows = [];
    for (const m of merged) {
      tc.window = m;
      trigger.clear(m, tc);
      this.deleteCleanupTimer(key, m);
    }
    let target = this.slots.update(key, stateResult.ns);
    for (const s of mergedStates) {
      const source = this.slots.get(key, s.ns);
      if (source === undefined) continue;
      if (target === undefined) {
        target = new WindowSlot(stateResult);
        this.slots.put(key, stateResult.ns, target);
      }
      this.contents.mergeInto(target, source);
      if (source.maxTs > target.maxTs) target.maxTs = source.maxTs;
      this.slots.remove(key, s.ns);
    }
  }

  protected onEventTimer(key: unknown, ns: Namespace, timestamp: number): void {
    this.onTimer(key, ns, timestamp, true);
  }

  protected onProcessingTimer(key: unknown, ns: Namespace, timestamp: number): void {
    this.onTimer(key, ns, timestamp, false);
  }

  private onTimer(key: unknown, ns: Namespace, timestamp: number, eventTime: boolean): void {
    let window: Window | undefined;
    let slot: WindowSlot | undefined;
    let set: MergingWindowSet | undefined;
    if (this.merging) {
      set = this.mergingSets!.update(key, VOID_NAMESPACE);
      const w = set?.windowByNs(ns);
      if (w === undefined) return; // merged away: its timers were deleted, this one is stale
      window = w;
      slot = this.slots.update(key, set!.getStateWindow(w)!.ns);
    } else {
      slot = this.slots.update(key, ns);
      if (slot === undefined) return;
      window = slot.window;
    }
    const tc = this.tc;
    tc.key = key;
    tc.window = window;
    tc.memo = this.merging ? null : (slot ?? null);
    try {
      const trigger = this.spec.trigger;
      const result = eventTime ? trigger.onEventTime(timestamp, window, tc) : trigger.onProcessingTime(timestamp, window, tc);
      if (slot !== undefined) {
        if (isFire(result) && slot.hasContents()) this.emit(window, slot);
        if (isPurge(result)) slot.purge();
      }
      if (eventTime === this.isEventTime && timestamp === this.cleanupTime(window)) this.clearAllState(key, window, slot, set);
    } catch (e) {
      throw this.userError(e, this.userKey());
    }
  }

  /** A slot for a new (key, window); slots of expired windows are reused, sparing the GC. */
  private newSlot(window: Window): WindowSlot {
    const s = this.freeSlots.pop();
    if (s === undefined) return new WindowSlot(window);
    s.window = window;
    return s;
  }

  private clearAllState(key: unknown, window: Window, slot: WindowSlot | undefined, set: MergingWindowSet | undefined): void {
    if (slot !== undefined) {
      this.slots.remove(key, slot.window.ns);
      slot.reset();
      if (this.freeSlots.length < MAX_FREE_SLOTS) this.freeSlots.push(slot);
    }
    const tc = this.tc;
    tc.key = key;
    tc.window = window;
    tc.memo = null;
    this.spec.trigger.clear(window, tc);
    const fn = this.spec.fn;
    this.clearProcessState(fn.process, window);
    if (set !== undefined) {
      set.retireWindow(window as TimeWindow);
      if (set.mapping.length === 0) this.mergingSets!.remove(key, VOID_NAMESPACE);
    }
  }

  private emit(window: Window, slot: WindowSlot): void {
    const maxTs = maxTimestampOf(window);
    const ts = maxTs === Number.POSITIVE_INFINITY ? slot.maxTs : maxTs;
    this.collector.record.timestamp = ts;
    this.context.timestamp = ts;
    this.context.window = window;
    this.contents.emit(slot, window, this);
  }

  private registerCleanupTimer(window: Window): void {
    // cleanupTime() inlined by hand: returning a double from a call allocates (see StreamRecord).
    const m = window.maxTs;
    const maxTs = m !== undefined ? m : window.maxTimestamp();
    const t = this.isEventTime ? maxTs + this.lateness : maxTs;
    if (t === Number.POSITIVE_INFINITY) return;
    // The memo check is repeated here so that the common case makes no call with a double
    // argument (which would allocate; see StreamRecord).
    const memo = this.tc.memo;
    if (this.isEventTime) {
      if (memo !== null && memo.eventTimer === t && t > this.currentWatermark) return;
      this.tc.registerEventTimeTimer(t);
    } else {
      if (memo !== null && memo.procTimer === t && t > this.ctx.clock.now()) return;
      this.tc.registerProcessingTimeTimer(t);
    }
  }

  private deleteCleanupTimer(key: unknown, window: Window): void {
    const t = this.cleanupTime(window);
    if (t === Number.POSITIVE_INFINITY) return;
    if (this.isEventTime) this.backend.eventTimers.delete(t, key, window.ns);
    else this.backend.processingTimers.delete(t, key, window.ns);
  }

  private cleanupTime(window: Window): number {
    const maxTs = maxTimestampOf(window);
    return this.isEventTime ? maxTs + this.lateness : maxTs;
  }

  private isWindowLate(window: Window): boolean {
    if (!this.isEventTime) return false;
    const m = window.maxTs;
    return (m !== undefined ? m : window.maxTimestamp()) + this.lateness <= this.currentWatermark;
  }
}
