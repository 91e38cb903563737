/** `filter`: keeps the elements for which the predicate is true (Flink's `StreamFilter`). */
import type { StreamRecord } from '../contract/stream-record.js';
import { AbstractOperator } from '../contract/abstract-operator.js';
import { isThenable, promiseReturnedError } from '../contract/refuse-promise.js';

export class FilterOperator<T> extends AbstractOperator<T, T> {
  constructor(private readonly predicate: (value: T) => unknown) {
    super();
  }
  processElement(input: StreamRecord<T>): void {
    this.counters.recordsIn++;
    let keep: unknown;
    try {
      keep = this.predicate(input.value);
    } catch (e) {
      throw this.userError(e);
    }
    if (isThenable(keep)) throw promiseReturnedError(this.ctx.name, 'filter predicate', keep);
    // Consumers never modify records, so the input record can go on as it is.
    if (keep) this.out.processElement(input);
  }
}
