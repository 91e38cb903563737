/**
 * The context triggers see (Flink's `WindowOperator.Context`): one object per operator, pointed
 * at the (key, window) being evaluated. Timers are registered under the window's namespace;
 * trigger state lives in keyed state under the window's namespace.
 * @internal
 */
import type {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  ReducingStateDescriptor,
  StateDescriptor,
  ValueStateDescriptor,
} from '../state/descriptors.js';
import type { KeyedStateBackend } from '../state/keyed-state-backend.js';
import type { Namespace } from '../state/state-table.js';
import type { OnMergeContext } from '../contract/trigger.js';
import type { WindowSlot } from './window-slot.js';
import type { Window } from '../contract/window.js';

interface NamespacedState {
  namespace: Namespace;
}

export class WindowTriggerContext implements OnMergeContext {
  key: unknown = undefined;
  window: Window = undefined as unknown as Window;
  /** The slot whose timer memo may be used (non-merging windows only), else null. */
  memo: WindowSlot | null = null;
  mergedWindows: readonly Window[] = [];
  private readonly states = new Map<string, NamespacedState>();

  constructor(
    private readonly backend: KeyedStateBackend,
    private readonly time: { readonly currentWatermark: number },
    private readonly now: () => number,
  ) {}

  getCurrentWatermark(): number {
    return this.time.currentWatermark;
  }
  getCurrentProcessingTime(): number {
    return this.now();
  }

  registerEventTimeTimer(time: number): void {
    const m = this.memo;
    // A memoised timer later than the watermark has not fired yet, so it is still registered.
    if (m !== null && m.eventTimer === time && time > this.time.currentWatermark) return;
    this.backend.eventTimers.add(time, this.key, this.window.ns);
    if (m !== null) m.eventTimer = time;
  }
  registerProcessingTimeTimer(time: number): void {
    const m = this.memo;
    if (m !== null && m.procTimer === time && time > this.now()) return;
    this.backend.processingTimers.add(time, this.key, this.window.ns);
    if (m !== null) m.procTimer = time;
  }
  deleteEventTimeTimer(time: number): void {
    this.backend.eventTimers.delete(time, this.key, this.window.ns);
    if (this.memo !== null && this.memo.eventTimer === time) this.memo.eventTimer = Number.NaN;
  }
  deleteProcessingTimeTimer(time: number): void {
    this.backend.processingTimers.delete(time, this.key, this.window.ns);
    if (this.memo !== null && this.memo.procTimer === time) this.memo.procTimer = Number.NaN;
  }

  getPartitionedState(descriptor: StateDescriptor): never {
    let s = this.states.get(descriptor.name);
    if (s === undefined) {
      s = this.create(descriptor) as unknown as NamespacedState;
      this.states.set(descriptor.name, s);
    }
    s.namespace = this.window.ns;
    return s as never;
  }

  mergePartitionedState(descriptor: ReducingStateDescriptor<unknown> | ListStateDescriptor<unknown> | AggregatingStateDescriptor<unknown, unknown, unknown>): void {
    const table = this.backend.table<unknown>(descriptor.name, descriptor.kind);
    const key = this.key;
    const target = this.window.ns;
    for (const w of this.mergedWindows) {
      if (w.ns === target) continue;
      const source = table.get(key, w.ns);
      if (source === undefined) continue;
      table.remove(key, w.ns);
      const current = table.get(key, target);
      if (current === undefined) table.put(key, target, source);
      else if (descriptor.kind === 'list') (current as unknown[]).push(...(source as unknown[]));
      else if (descriptor.kind === 'reducing') table.put(key, target, descriptor.reduce(current, source));
      else {
        const merge = descriptor.aggregate.merge;
        if (!merge) throw new TypeError(`Trigger state '${descriptor.name}': its AggregateFunction has no merge()`);
        table.put(key, target, merge(current, source));
      }
    }
  }

  private create(d: StateDescriptor): unknown {
    const ns = this.window.ns;
    switch (d.kind) {
      case 'value':
        return this.backend.getState(d as ValueStateDescriptor<unknown>, ns);
      case 'list':
        return this.backend.getListState(d, ns);
      case 'map':
        return this.backend.getMapState(d, ns);
      case 'reducing':
        return this.backend.getReducingState(d, ns);
      case 'aggregating':
        return this.backend.getAggregatingState(d, ns);
    }
  }
}
