/** `map`: one output per input, timestamp kept (Flink's `StreamMap`). */
import type { StreamRecord } from '../runtime/stream-record.js';
import { AbstractOperator } from './abstract-operator.js';

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
    const out = this.record;
    out.value = result;
    out.timestamp = input.timestamp;
    this.out.processElement(out);
  }
}
