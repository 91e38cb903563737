/**
 * The broadcast state pattern on a non-keyed element stream (Flink's
 * `CoBroadcastWithNonKeyedOperator`): the first input is the element stream, the second the
 * broadcast stream. Broadcast elements go to `processBroadcastElement` with read-write broadcast
 * state; elements to `processElement` with a read-only view of it. Elements of the two inputs are
 * processed in arrival order; as in Flink nothing orders a broadcast element before an element of
 * the other input that arrives first. The watermark is the min of both inputs (the runtime's
 * valve). Broadcast state is operator state (`snapshotState`).
 */
import type { BroadcastProcessFunction, BroadcastProcessNodeSpec } from '../../contract/broadcast-functions.js';
import { AbstractOperator } from '../../contract/abstract-operator.js';
import type { OperatorContext, OperatorSnapshot, RestoredState } from '../../contract/operator.js';
import type { ContextOwner } from '../../contract/process-context.js';
import { isThenable, promiseReturnedError } from '../../contract/refuse-promise.js';
import type { StreamRecord } from '../../contract/stream-record.js';
import { TimestampedCollector } from '../../contract/timestamped-collector.js';
import { BroadcastContextImpl, ReadOnlyContextImpl } from './broadcast-contexts.js';
import { BroadcastStateStore } from './broadcast-state-store.js';

type AnyBroadcastFn = BroadcastProcessFunction<unknown, unknown, unknown>;

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
