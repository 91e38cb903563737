/**
 * The broadcast state pattern on a keyed element stream (Flink's `CoBroadcastWithKeyedOperator`):
 * as broadcast-process-operator.ts, and elements see their key's state and timers; the broadcast
 * side can reach every key's state with `applyToKeyedState`. Broadcast state is operator state
 * (`snapshotState`); keyed state lives in the backend.
 */
import type { BroadcastProcessNodeSpec, KeyedBroadcastProcessFunction } from '../../contract/broadcast-functions.js';
import { AbstractKeyedOperator } from '../../contract/abstract-keyed-operator.js';
import type { OperatorContext, OperatorSnapshot, RestoredState } from '../../contract/operator.js';
import type { ContextOwner } from '../../contract/process-context.js';
import { isThenable, promiseReturnedError } from '../../contract/refuse-promise.js';
import type { StreamRecord } from '../../contract/stream-record.js';
import { TimestampedCollector } from '../../contract/timestamped-collector.js';
import type { Namespace } from '../../state/state-table.js';
import { KeyedBroadcastContextImpl, KeyedReadOnlyContextImpl } from './broadcast-contexts.js';
import { BroadcastStateStore } from './broadcast-state-store.js';

type AnyKeyedBroadcastFn = KeyedBroadcastProcessFunction<unknown, unknown, unknown, unknown>;

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
