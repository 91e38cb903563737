/**
 * The {@link Collector} handed to user functions: one instance per operator, re-pointed at the
 * timestamp of the element being processed, so emitting allocates nothing.
 * @internal
 */
import type { Collector } from '../functions/functions.js';
import type { Downstream } from '../runtime/downstream.js';

export class TimestampedCollector<T> implements Collector<T> {
  timestamp = 0;
  count = 0;
  constructor(private readonly out: Downstream<T>) {}
  collect(value: T): void {
    this.count++;
    this.out.processElement(value, this.timestamp);
  }
}
