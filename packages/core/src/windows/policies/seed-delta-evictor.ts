/**
 * The seed's delta eviction (Flink 0.9 `DeltaPolicy` as eviction policy, used with `every`):
 * from the oldest element, evict while its delta to the newest buffered element is >= the
 * threshold; stop at the first one below it.
 * @internal
 */
import type { Evictor, WindowBuffer } from '../../contract/evictor.js';
import type { Window } from '../../contract/window.js';
import type { DeltaFunction } from '../triggers/delta-trigger.js';

export class SeedDeltaEvictor<T> implements Evictor<T, Window> {
  constructor(
    readonly threshold: number,
    private readonly delta: DeltaFunction<T>,
  ) {}
  evictBefore(buffer: WindowBuffer<T>): void {
    if (buffer.size === 0) return;
    const newest = buffer.valueAt(buffer.size - 1);
    let n = 0;
    while (n < buffer.size - 1 && this.delta(buffer.valueAt(n), newest) >= this.threshold) n++;
    buffer.removeFirst(n);
  }
  evictAfter(): void {}
  toString(): string {
    return `Delta.of(${this.threshold})`;
  }
}
