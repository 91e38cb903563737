/** Keeps the last `maxCount` elements of a window (Flink's `CountEvictor`): evicts the oldest. */
import { ConfigError } from '../../errors.js';
import { type Evictor, type WindowBuffer } from '../../contract/evictor.js';
import { type Window } from '../../contract/window.js';

/**
 * @example
 * ```ts
 * keyed.window(GlobalWindows.create()).evictor(CountEvictor.of(100)).trigger(CountTrigger.of(10));
 * ```
 */
export class CountEvictor implements Evictor<unknown, Window> {
  private constructor(
    readonly maxCount: number,
    private readonly doEvictAfter: boolean,
  ) {}
  static of(maxCount: number, doEvictAfter = false): CountEvictor {
    if (!Number.isInteger(maxCount) || maxCount < 1) throw new ConfigError(`CountEvictor.of(n): n must be a positive integer (got ${maxCount})`);
    return new CountEvictor(maxCount, doEvictAfter);
  }
  evictBefore(buffer: WindowBuffer<unknown>): void {
    if (!this.doEvictAfter) this.evict(buffer);
  }
  evictAfter(buffer: WindowBuffer<unknown>): void {
    if (this.doEvictAfter) this.evict(buffer);
  }
  private evict(buffer: WindowBuffer<unknown>): void {
    if (buffer.size > this.maxCount) buffer.removeFirst(buffer.size - this.maxCount);
  }
  toString(): string {
    return `CountEvictor(${this.maxCount})`;
  }
}
