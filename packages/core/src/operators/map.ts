/** `map`: one output per input, timestamp kept (Flink's `StreamMap`). */
import type { StreamRecord } from '../contract/stream-record.js';
import { AbstractOperator } from '../contract/abstract-operator.js';
import { isThenable, promiseReturnedError } from '../contract/refuse-promise.js';

export class MapOperator<IN, OUT> extends AbstractOperator<IN, OUT> {
  constructor(private readonly fn: (value: IN) => OUT) {
    super();
  }
  processElement(input: StreamRecord<IN>): void {
    this.counters.recordsIn++;
    let result: OUT;
    try {
      result = this.fn(input.value);
    } catch (e) {
      throw this.userError(e);
    }
    if (isThenable(result)) throw promiseReturnedError(this.ctx.name, 'map function', result);
    const out = this.record;
    out.value = result;
    out.timestamp = input.timestamp;
    this.out.processElement(out);
  }
}
