/**
 * A two-input operator over connected streams (Flink's `CoProcessOperator`): `processElement1`
 * for the first input, `processElement2` for the second; the watermark is the min of both (the
 * runtime's valve). `coMap` and `coFlatMap` are process functions on top.
 */
import type { CoProcessFunction, ProcessContext } from '../contract/process-functions.js';
import type { OperatorContext } from '../contract/operator.js';
import type { StreamRecord } from '../contract/stream-record.js';
import { AbstractOperator } from '../contract/abstract-operator.js';
import { ProcessContextImpl } from '../contract/process-context.js';
import { TimestampedCollector } from '../contract/timestamped-collector.js';
import { isThenable, promiseReturnedError } from '../contract/refuse-promise.js';

type AnyCoFn = CoProcessFunction<unknown, unknown, unknown, ProcessContext>;

export class CoProcessOperator extends AbstractOperator<unknown, unknown> {
  private collector: TimestampedCollector<unknown> = undefined as unknown as TimestampedCollector<unknown>;
  private context: ProcessContextImpl = undefined as unknown as ProcessContextImpl;
  constructor(private readonly fn: AnyCoFn) {
    super();
  }
  override open(ctx: OperatorContext<unknown>): void {
    super.open(ctx);
    this.collector = new TimestampedCollector(this.out);
    const self = this;
    this.context = new ProcessContextImpl({ ctx, watermark: () => self.currentWatermark });
    this.fn.open?.(undefined);
  }
  processElement(input: StreamRecord<unknown>): void {
    this.counters.recordsIn++;
    this.collector.record.timestamp = input.timestamp;
    this.context.timestamp = input.timestamp;
    let result: unknown;
    try {
      result = this.fn.processElement1(input.value, this.context, this.collector);
    } catch (e) {
      throw this.userError(e);
    }
    if (isThenable(result)) throw promiseReturnedError(this.ctx.name, 'processElement1 function', result);
  }
  processElement2(input: StreamRecord<unknown>): void {
    this.counters.recordsIn++;
    this.collector.record.timestamp = input.timestamp;
    this.context.timestamp = input.timestamp;
    let result: unknown;
    try {
      result = this.fn.processElement2(input.value, this.context, this.collector);
    } catch (e) {
      throw this.userError(e);
    }
    if (isThenable(result)) throw promiseReturnedError(this.ctx.name, 'processElement2 function', result);
  }
  close(): void {
    this.fn.close?.();
  }
}
