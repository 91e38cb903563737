/**
 * The {@link Collector} handed to user functions: one instance per operator with its own reused
 * output record; the operator sets `record.timestamp` before calling the user function, so
 * emitting allocates nothing.
 * @internal
 */
import type { Collector } from '../functions/functions.js';
import type { Downstream } from './downstream.js';
import { StreamRecord } from './stream-record.js';

export class TimestampedCollector<T> implements Collector<T> {
  readonly record = new StreamRecord<T>();
  count = 0;
  constructor(private readonly out: Downstream<T>) {}
  collect(value: T): void {
    this.count++;
    this.record.value = value;
    this.out.processElement(this.record);
  }
}
