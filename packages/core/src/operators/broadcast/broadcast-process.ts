/**
 * The broadcast state pattern's operators (Flink's `CoBroadcastWithNonKeyedOperator` and
 * `CoBroadcastWithKeyedOperator`): the first input is the element stream (keyed or not), the
 * second the broadcast stream. Broadcast elements go to `processBroadcastElement` with read-write
 * broadcast state; elements to `processElement` with a read-only view of it (and, keyed, their
 * key's state and timers). Elements of the two inputs are processed in arrival order; as in Flink
 * nothing orders a broadcast element before an element of the other input that arrives first.
 * The watermark is the min of both inputs (the runtime's valve).
 *
 * Broadcast state is operator state (`snapshotState`); keyed state lives in the backend.
 */
import type {
  BroadcastContext,
  BroadcastProcessFunction,
  BroadcastProcessNodeSpec,
  BroadcastReadOnlyContext,
  BroadcastState,
  KeyedBroadcastContext,
  KeyedBroadcastProcessFunction,
  ReadOnlyBroadcastState,
} from '../../contract/broadcast-functions.js';
import { AbstractKeyedOperator } from '../../contract/abstract-keyed-operator.js';
import { AbstractOperator } from '../../contract/abstract-operator.js';
import type { OperatorContext, OperatorSnapshot, RestoredState } from '../../contract/operator.js';
import { type ContextOwner, KeyedContextImpl, ProcessContextImpl } from '../../contract/process-context.js';
import { isThenable, promiseReturnedError } from '../../contract/refuse-promise.js';
import type { StreamRecord } from '../../contract/stream-record.js';
import { TimestampedCollector } from '../../contract/timestamped-collector.js';
import type { MapStateDescriptor, StateDescriptor } from '../../state/descriptors.js';
import type { KeyedStateBackend } from '../../state/keyed-state-backend.js';
import { type Namespace, VOID_NAMESPACE } from '../../state/state-table.js';
import { BroadcastStateStore } from './broadcast-state-store.js';

class ReadOnlyContextImpl extends ProcessContextImpl implements BroadcastReadOnlyContext {
  constructor(
    owner: ContextOwner,
    private readonly store: BroadcastStateStore,
  ) {
    super(owner);
  }
  getBroadcastState<K, V>(d: MapStateDescriptor<K, V>): ReadOnlyBroadcastState<K, V> {
    return this.store.readOnly(d.name) as ReadOnlyBroadcastState<K, V>;
  }
}

class BroadcastContextImpl extends ProcessContextImpl implements BroadcastContext {
  constructor(
    owner: ContextOwner,
    private readonly store: BroadcastStateStore,
  ) {
    super(owner);
  }
  getBroadcastState<K, V>(d: MapStateDescriptor<K, V>): BroadcastState<K, V> {
    return this.store.writable(d.name) as BroadcastState<K, V>;
  }
}

class KeyedReadOnlyContextImpl<K> extends KeyedContextImpl<K> {
  constructor(
    owner: ContextOwner,
    backend: KeyedStateBackend,
    private readonly store: BroadcastStateStore,
  ) {
    super(owner, backend);
  }
  getBroadcastState<KK, V>(d: MapStateDescriptor<KK, V>): ReadOnlyBroadcastState<KK, V> {
    return this.store.readOnly(d.name) as ReadOnlyBroadcastState<KK, V>;
  }
}

class KeyedBroadcastContextImpl extends BroadcastContextImpl implements KeyedBroadcastContext<unknown> {
  constructor(
    owner: ContextOwner,
    store: BroadcastStateStore,
    private readonly backend: KeyedStateBackend,
  ) {
    super(owner, store);
  }

  /** Every key with a value in the state, one after the other as the current key (Flink's applyToKeyedState). */
  applyToKeyedState(d: StateDescriptor, fn: (key: unknown, state: never) => void): void {
    const backend = this.backend;
    const state = stateOf(backend, d);
    // Collected first: the function may clear the state it is given.
    const keys = [...backend.table(d.name, d.kind).keysIn(VOID_NAMESPACE)];
    const saved = backend.currentKey;
    try {
      for (const k of keys) {
        backend.currentKey = k;
        fn(backend.userKey(k), state as never);
      }
    } finally {
      backend.currentKey = saved;
    }
  }
}

function stateOf(backend: KeyedStateBackend, d: StateDescriptor): unknown {
  switch (d.kind) {
    case 'value':
      return backend.getState(d);
    case 'list':
      return backend.getListState(d);
    case 'map':
      return backend.getMapState(d);
    case 'reducing':
      return backend.getReducingState(d);
    case 'aggregating':
      return backend.getAggregatingState(d);
  }
}

type AnyBroadcastFn = BroadcastProcessFunction<unknown, unknown, unknown>;
type AnyKeyedBroadcastFn = KeyedBroadcastProcessFunction<unknown, unknown, unknown, unknown>;

export class BroadcastProcessOperator extends AbstractOperator<unknown, unknown> {
  private collector: TimestampedCollector<unknown> = undefined as unknown as TimestampedCollector<unknown>;
  private store: BroadcastStateStore = undefined as unknown as BroadcastStateStore;
  private readOnly: ReadOnlyContextImpl = undefined as unknown as ReadOnlyContextImpl;
  private writable: BroadcastContextImpl = undefined as unknown as BroadcastContextImpl;
  private restored: Record<string, Array<[unknown, unknown]>> | undefined;
  private readonly fn: AnyBroadcastFn;

  constructor(private readonly spec: BroadcastProcessNodeSpec) {
    super();
    this.fn = spec.fn as AnyBroadcastFn;
  }

  override open(ctx: OperatorContext<unknown>): void {
    super.open(ctx);
    this.collector = new TimestampedCollector(this.out);
    this.store = new BroadcastStateStore(ctx.name, this.spec.stateNames);
    if (this.restored) this.store.restore(this.restored);
    const owner: ContextOwner = { ctx, watermark: () => this.currentWatermark };
    this.readOnly = new ReadOnlyContextImpl(owner, this.store);
    this.writable = new BroadcastContextImpl(owner, this.store);
    this.fn.open?.();
  }

  processElement(input: StreamRecord<unknown>): void {
    this.counters.recordsIn++;
    this.collector.record.timestamp = input.timestamp;
    this.readOnly.timestamp = input.timestamp;
    let result: unknown;
    try {
      result = this.fn.processElement(input.value, this.readOnly, this.collector);
    } catch (e) {
      throw this.userError(e);
    }
    if (isThenable(result)) throw promiseReturnedError(this.ctx.name, 'processElement function', result);
  }

  processElement2(input: StreamRecord<unknown>): void {
    this.counters.recordsIn++;
    this.collector.record.timestamp = input.timestamp;
    this.writable.timestamp = input.timestamp;
    let result: unknown;
    try {
      result = this.fn.processBroadcastElement(input.value, this.writable, this.collector);
    } catch (e) {
      throw this.userError(e);
    }
    if (isThenable(result)) throw promiseReturnedError(this.ctx.name, 'processBroadcastElement function', result);
  }

  snapshotState(): OperatorSnapshot {
    return { operator: this.store.snapshot() };
  }

  restoreState(state: RestoredState): void {
    this.restored = state.operator as Record<string, Array<[unknown, unknown]>> | undefined;
  }

  close(): void {
    this.fn.close?.();
  }
}

export class KeyedBroadcastProcessOperator extends AbstractKeyedOperator<unknown, unknown> {
  private collector: TimestampedCollector<unknown> = undefined as unknown as TimestampedCollector<unknown>;
  private store: BroadcastStateStore = undefined as unknown as BroadcastStateStore;
  private readOnly: KeyedReadOnlyContextImpl<unknown> = undefined as unknown as KeyedReadOnlyContextImpl<unknown>;
  private writable: KeyedBroadcastContextImpl = undefined as unknown as KeyedBroadcastContextImpl;
  private restored: Record<string, Array<[unknown, unknown]>> | undefined;
  private readonly fn: AnyKeyedBroadcastFn;

  constructor(private readonly spec: BroadcastProcessNodeSpec) {
    super();
    this.fn = spec.fn as AnyKeyedBroadcastFn;
  }

  override open(ctx: OperatorContext<unknown>): void {
    super.open(ctx);
    this.collector = new TimestampedCollector(this.out);
    this.store = new BroadcastStateStore(ctx.name, this.spec.stateNames);
    if (this.restored) this.store.restore(this.restored);
    const owner: ContextOwner = { ctx, watermark: () => this.currentWatermark };
    this.readOnly = new KeyedReadOnlyContextImpl(owner, this.backend, this.store);
    this.writable = new KeyedBroadcastContextImpl(owner, this.store, this.backend);
    this.fn.open?.(this.readOnly);
  }

  processElement(input: StreamRecord<unknown>): void {
    this.counters.recordsIn++;
    this.selectKey(this.spec.keySelector!, input.value);
    this.collector.record.timestamp = input.timestamp;
    this.readOnly.timestamp = input.timestamp;
    let result: unknown;
    try {
      result = this.fn.processElement(input.value, this.readOnly, this.collector);
    } catch (e) {
      throw this.userError(e, this.backend.getCurrentKey());
    }
    if (isThenable(result)) throw promiseReturnedError(this.ctx.name, 'processElement function', result);
  }

  processElement2(input: StreamRecord<unknown>): void {
    this.counters.recordsIn++;
    this.collector.record.timestamp = input.timestamp;
    this.writable.timestamp = input.timestamp;
    let result: unknown;
    try {
      result = this.fn.processBroadcastElement(input.value, this.writable, this.collector);
    } catch (e) {
      throw this.userError(e);
    }
    if (isThenable(result)) throw promiseReturnedError(this.ctx.name, 'processBroadcastElement function', result);
  }

  protected onEventTimer(_key: unknown, _ns: Namespace, ts: number): void {
    this.fireTimer(ts, 'event-time');
  }

  protected onProcessingTimer(_key: unknown, _ns: Namespace, ts: number): void {
    this.fireTimer(ts, 'processing-time');
  }

  private fireTimer(ts: number, domain: 'event-time' | 'processing-time'): void {
    if (!this.fn.onTimer) return;
    this.collector.record.timestamp = ts;
    this.readOnly.timestamp = ts;
    this.readOnly.timeDomain = domain;
    let result: unknown;
    try {
      result = this.fn.onTimer(ts, this.readOnly, this.collector);
    } catch (e) {
      throw this.userError(e, this.backend.getCurrentKey());
    }
    if (isThenable(result)) throw promiseReturnedError(this.ctx.name, 'onTimer function', result);
  }

  snapshotState(): OperatorSnapshot {
    return { operator: this.store.snapshot() };
  }

  restoreState(state: RestoredState): void {
    this.restored = state.operator as Record<string, Array<[unknown, unknown]>> | undefined;
  }

  close(): void {
    this.fn.close?.();
  }
}
