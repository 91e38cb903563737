/**
 * `merge` / `union`: passes every element of every input through. The runtime's watermark valve
 * in front of it makes its watermark the minimum over its inputs (ended inputs count as +Infinity,
 * idle ones are left out), as Flink's `StatusWatermarkValve`.
 */
import type { StreamRecord } from '../contract/stream-record.js';
import { AbstractOperator } from '../contract/abstract-operator.js';

export class UnionOperator<T> extends AbstractOperator<T, T> {
  processElement(input: StreamRecord<T>): void {
    this.counters.recordsIn++;
    this.out.processElement(input);
  }
}
