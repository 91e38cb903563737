/**
 * `flatMap`: zero or more outputs per input, each with the input's timestamp. The function
 * either writes to the collector (Flink's style) or returns an iterable (TypeScript's style).
 */
import type { FlatMapFunction, NotAPromise } from '../functions/functions.js';
import type { OperatorContext } from '../contract/operator.js';
import type { StreamRecord } from '../contract/stream-record.js';
import { AbstractOperator } from '../contract/abstract-operator.js';
import { TimestampedCollector } from '../contract/timestamped-collector.js';
import { isThenable, promiseReturnedError } from '../contract/refuse-promise.js';

export class FlatMapOperator<IN, OUT> extends AbstractOperator<IN, OUT> {
  private collector: TimestampedCollector<OUT> = undefined as unknown as TimestampedCollector<OUT>;
  constructor(private readonly fn: FlatMapFunction<IN, OUT>) {
    super();
  }
  override open(ctx: OperatorContext<OUT>): void {
    super.open(ctx);
    this.collector = new TimestampedCollector(this.out);
  }
  processElement(input: StreamRecord<IN>): void {
    this.counters.recordsIn++;
    const c = this.collector;
    c.record.timestamp = input.timestamp;
    let result: Iterable<OUT> | NotAPromise;
    try {
      result = this.fn(input.value, c);
    } catch (e) {
      throw this.userError(e);
    }
    if (result == null) return;
    if (isThenable(result)) throw promiseReturnedError(this.ctx.name, 'flatMap function', result);
    try {
      for (const r of result as Iterable<OUT>) c.collect(r);
    } catch (e) {
      throw this.userError(e);
    }
  }
}
