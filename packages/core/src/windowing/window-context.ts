/**
 * The context a {@link ProcessWindowFunction} gets: the window, time, per-window and per-key
 * state, and side outputs. One object per operator, re-pointed at each firing window.
 * @internal
 */
import type { OutputTag } from '../contract/output-tag.js';
import type { AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, ValueStateDescriptor } from '../state/descriptors.js';
import type { Downstream } from '../contract/downstream.js';
import { StreamRecord } from '../contract/stream-record.js';
import type { KeyedStateBackend } from '../state/keyed-state-backend.js';
import { type Namespace, VOID_NAMESPACE } from '../state/state-table.js';
import type { KeyedStateStore } from '../state/state-types.js';
import type { WindowContext } from '../contract/window-functions.js';
import type { Window } from '../contract/window.js';

class NamespacedStore implements KeyedStateStore {
  constructor(
    private readonly backend: KeyedStateBackend,
    private readonly ns: Namespace,
  ) {}
  getState<T>(d: ValueStateDescriptor<T>) {
    return this.backend.getState(d, this.ns);
  }
  getListState<T>(d: ListStateDescriptor<T>) {
    return this.backend.getListState(d, this.ns);
  }
  getMapState<K, V>(d: MapStateDescriptor<K, V>) {
    return this.backend.getMapState(d, this.ns);
  }
  getReducingState<T>(d: ReducingStateDescriptor<T>) {
    return this.backend.getReducingState(d, this.ns);
  }
  getAggregatingState<IN, ACC, OUT>(d: AggregatingStateDescriptor<IN, ACC, OUT>) {
    return this.backend.getAggregatingState(d, this.ns);
  }
}

export class WindowContextImpl implements WindowContext<Window> {
  window: Window = undefined as unknown as Window;
  timestamp = 0;
  private readonly global: NamespacedStore;
  private readonly sideRecord = new StreamRecord<unknown>();
  constructor(
    private readonly backend: KeyedStateBackend,
    private readonly watermark: () => number,
    private readonly now: () => number,
    private readonly side: (tagId: string) => Downstream<unknown> | undefined,
  ) {
    this.global = new NamespacedStore(backend, VOID_NAMESPACE);
  }
  get currentWatermark(): number {
    return this.watermark();
  }
  get currentProcessingTime(): number {
    return this.now();
  }
  windowState(): KeyedStateStore {
    return new NamespacedStore(this.backend, this.window.ns);
  }
  globalState(): KeyedStateStore {
    return this.global;
  }
  output<X>(tag: OutputTag<X>, value: X): void {
    const side = this.side(tag.id);
    if (side === undefined) return;
    this.sideRecord.value = value;
    this.sideRecord.timestamp = this.timestamp;
    side.processElement(this.sideRecord);
  }
}
