/** `filter`: keeps the elements for which the predicate is true (Flink's `StreamFilter`). */
import { AbstractOperator } from './abstract-operator.js';

export class FilterOperator<T> extends AbstractOperator<T, T> {
  constructor(private readonly predicate: (value: T) => boolean) {
    super();
  }
  processElement(value: T, timestamp: number): void {
    let keep: boolean;
    try {
      keep = this.predicate(value);
    } catch (e) {
      throw this.userError(e);
    }
    if (keep) this.out.processElement(value, timestamp);
  }
}
