/**
 * Slicing, tumbling windows: a window is one slice, so each (key, window) is one accumulator
 * slot in keyed state, namespaced by the window's start. A window fires by walking the keys of its
 * namespace, and is dropped with them; an element costs one state lookup and one accumulator
 * update. See slicing-operator-base.ts for the semantics.
 *
 * Example: `keyBy(k).window(TumblingEventTimeWindows.of(1000)).sum('v')`: elements of [0, 1000)
 * land in slot (k, 0); at watermark 999 every key of namespace 0 emits its sum stamped 999, and
 * namespace 0 is gone.
 * @internal
 */
import { AccSlot } from '../aggregation/accumulators.js';
import { accSlotCodec } from '../aggregation/acc-slot-codec.js';
import type { Slicing } from '../contract/slicing.js';
import type { WindowNodeSpec } from '../contract/plan.js';
import type { TimeWindow } from '../contract/window.js';
import type { StateTable } from '../state/state-table.js';
import { MAX_POOLED, SlicingOperatorBase } from './slicing-operator-base.js';
import { MUTATES_THROUGH_UPDATE } from './window-operator-base.js';

export class TumblingWindowOperator extends SlicingOperatorBase {
  private slots: StateTable<AccSlot> = undefined as unknown as StateTable<AccSlot>;
  private readonly free: AccSlot[] = [];
  private firing: TimeWindow | undefined = undefined;
  private readonly emitEntry = (slot: AccSlot, key: unknown): void => {
    this.backend.currentKey = key;
    this.emitAggregate(this.accumulator.result(slot), this.firing!);
  };
  private readonly pool = (slot: AccSlot): void => {
    if (this.free.length < MAX_POOLED) this.free.push(slot.reset());
  };
  private readonly clearEntry = (_slot: AccSlot, key: unknown): void => {
    this.backend.currentKey = key;
    this.clearWindowState(this.firing!);
  };

  constructor(spec: WindowNodeSpec, slicing: Slicing) {
    super(spec, slicing);
    if (slicing.slide !== slicing.size) throw new TypeError('TumblingWindowOperator: slide must equal size');
  }

  protected openSlices(): void {
    this.slots = this.backend.table('window-slices', 'slices', accSlotCodec(this.accumulator.userState), MUTATES_THROUGH_UPDATE);
  }

  protected forEachSliceStart(fn: (start: number) => void): void {
    this.slots.forEach((ns) => fn(ns as number));
  }

  liveWindows(): number {
    return this.slots.size;
  }

  protected slotFor(key: unknown, start: number): AccSlot {
    const slots = this.slots;
    let s = slots.update(key, start);
    if (s === undefined) {
      s = this.free.pop() ?? new AccSlot();
      slots.put(key, start, s);
      this.registerWindowsOf(start);
    }
    return s;
  }

  protected emitWindow(window: TimeWindow): void {
    const entries = this.slots.namespaceEntries(window.start);
    if (entries === undefined) return;
    this.firing = window;
    entries.forEach(this.emitEntry);
    this.firing = undefined;
  }

  protected emitKeyWindow(key: unknown, window: TimeWindow): void {
    const slot = this.slots.get(key, window.start);
    if (slot !== undefined && slot.has) this.emitAggregate(this.accumulator.result(slot), window);
  }

  protected dropWindow(window: TimeWindow): void {
    const start = window.start;
    const slots = this.slots;
    if (this.processHasClear) {
      const entries = slots.namespaceEntries(start);
      if (entries === undefined) return;
      this.firing = window;
      entries.forEach(this.clearEntry);
      this.firing = undefined;
    }
    slots.removeNamespace(start, this.free.length < MAX_POOLED ? this.pool : undefined);
  }
}
