/** `map`: one output per input, timestamp kept (Flink's `StreamMap`). */
import { AbstractOperator } from './abstract-operator.js';

export class MapOperator<IN, OUT> extends AbstractOperator<IN, OUT> {
  constructor(private readonly fn: (value: IN) => OUT) {
    super();
  }
  processElement(value: IN, timestamp: number): void {
    let result: OUT;
    try {
      result = this.fn(value);
    } catch (e) {
      throw this.userError(e);
    }
    this.out.processElement(result, timestamp);
  }
}
