/** `process` on a non-keyed stream: a {@link ProcessFunction} with side outputs, no state. */
import type { ProcessFunction } from '../contract/process-functions.js';
import type { OperatorContext } from '../contract/operator.js';
import type { StreamRecord } from '../contract/stream-record.js';
import { AbstractOperator } from '../contract/abstract-operator.js';
import { ProcessContextImpl } from '../contract/process-context.js';
import { TimestampedCollector } from '../contract/timestamped-collector.js';
import { isThenable, promiseReturnedError } from '../contract/refuse-promise.js';

export class ProcessOperator<IN, OUT> extends AbstractOperator<IN, OUT> {
  private collector: TimestampedCollector<OUT> = undefined as unknown as TimestampedCollector<OUT>;
  private context: ProcessContextImpl = undefined as unknown as ProcessContextImpl;
  private readonly call: (value: IN, ctx: ProcessContextImpl, out: TimestampedCollector<OUT>) => unknown;

  constructor(private readonly fn: ProcessFunction<IN, OUT>) {
    super();
    this.call = typeof fn === 'function' ? fn : (v, c, o) => fn.processElement(v, c, o);
  }

  override open(ctx: OperatorContext<OUT>): void {
    super.open(ctx);
    this.collector = new TimestampedCollector(this.out);
    const self = this;
    this.context = new ProcessContextImpl({ ctx: ctx as OperatorContext<unknown>, watermark: () => self.currentWatermark });
    if (typeof this.fn !== 'function') this.fn.open?.();
  }

  processElement(input: StreamRecord<IN>): void {
    this.counters.recordsIn++;
    this.collector.record.timestamp = input.timestamp;
    this.context.timestamp = input.timestamp;
    let result: unknown;
    try {
      result = this.call(input.value, this.context, this.collector);
    } catch (e) {
      throw this.userError(e);
    }
    if (isThenable(result)) throw promiseReturnedError(this.ctx.name, 'process function', result);
  }

  close(): void {
    if (typeof this.fn !== 'function') this.fn.close?.();
  }
}
