/** `map`: one output per input, timestamp kept (Flink's `StreamMap`). */
import type { StreamRecord } from '../runtime/stream-record.js';
import { AbstractOperator } from './abstract-operator.js';
import { isThenable, promiseReturnedError } from './refuse-promise.js';

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
