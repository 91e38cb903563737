/**
 * A two-input operator over connected keyed streams (Flink's `KeyedCoProcessOperator`): as
 * co-process-operator.ts, with state and timers per key (each input has its key selector).
 */
import type { CoProcessFunction, KeyedProcessContext } from '../contract/process-functions.js';
import type { OperatorContext } from '../contract/operator.js';
import type { Namespace } from '../state/state-table.js';
import { AbstractKeyedOperator } from '../contract/abstract-keyed-operator.js';
import type { StreamRecord } from '../contract/stream-record.js';
import { KeyedContextImpl } from '../contract/process-context.js';
import { TimestampedCollector } from '../contract/timestamped-collector.js';
import { isThenable, promiseReturnedError } from '../contract/refuse-promise.js';

type KeyedCoFn = CoProcessFunction<unknown, unknown, unknown, KeyedProcessContext<unknown>>;

export class KeyedCoProcessOperator extends AbstractKeyedOperator<unknown, unknown> {
  private collector: TimestampedCollector<unknown> = undefined as unknown as TimestampedCollector<unknown>;
  private context: KeyedContextImpl<unknown> = undefined as unknown as KeyedContextImpl<unknown>;
  constructor(
    private readonly key1: (v: unknown) => unknown,
    private readonly key2: (v: unknown) => unknown,
    private readonly fn: KeyedCoFn,
  ) {
    super();
  }
  override open(ctx: OperatorContext<unknown>): void {
    super.open(ctx);
    this.collector = new TimestampedCollector(this.out);
    const self = this;
    this.context = new KeyedContextImpl({ ctx, watermark: () => self.currentWatermark }, this.backend);
    this.fn.open?.(this.context);
  }
  processElement(input: StreamRecord<unknown>): void {
    this.counters.recordsIn++;
    this.selectKey(this.key1, input.value);
    this.collector.record.timestamp = input.timestamp;
    this.context.timestamp = input.timestamp;
    let result: unknown;
    try {
      result = this.fn.processElement1(input.value, this.context, this.collector);
    } catch (e) {
      throw this.userError(e, this.backend.getCurrentKey());
    }
    if (isThenable(result)) throw promiseReturnedError(this.ctx.name, 'processElement1 function', result);
  }
  processElement2(input: StreamRecord<unknown>): void {
    this.counters.recordsIn++;
    this.selectKey(this.key2, input.value);
    this.collector.record.timestamp = input.timestamp;
    this.context.timestamp = input.timestamp;
    let result: unknown;
    try {
      result = this.fn.processElement2(input.value, this.context, this.collector);
    } catch (e) {
      throw this.userError(e, this.backend.getCurrentKey());
    }
    if (isThenable(result)) throw promiseReturnedError(this.ctx.name, 'processElement2 function', result);
  }
  protected onEventTimer(_k: unknown, _ns: Namespace, ts: number): void {
    this.fireTimer(ts, 'event-time');
  }
  protected onProcessingTimer(_k: unknown, _ns: Namespace, ts: number): void {
    this.fireTimer(ts, 'processing-time');
  }
  private fireTimer(ts: number, domain: 'event-time' | 'processing-time'): void {
    if (!this.fn.onTimer) return;
    this.collector.record.timestamp = ts;
    this.context.timestamp = ts;
    this.context.timeDomain = domain;
    let result: unknown;
    try {
      result = this.fn.onTimer(ts, this.context, this.collector);
    } catch (e) {
      throw this.userError(e, this.backend.getCurrentKey());
    }
    if (isThenable(result)) throw promiseReturnedError(this.ctx.name, 'onTimer function', result);
  }
  close(): void {
    this.fn.close?.();
  }
}
