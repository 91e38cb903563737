/**
 * Keeps the elements of the last `windowSize` ms (Flink's `TimeEvictor`): with `max` the largest
 * element timestamp, evicts every element with timestamp <= max - windowSize.
 */
import { ConfigError } from '../../errors.js';
import { type Duration, toMillis } from '../../time/time.js';
import { type Evictor, type WindowBuffer } from '../../contract/evictor.js';
import { type Window } from '../../contract/window.js';

/**
 * @example
 * ```ts
 * keyed.window(GlobalWindows.create()).evictor(TimeEvictor.of(Time.seconds(10)));
 * ```
 */
export class TimeEvictor implements Evictor<unknown, Window> {
  private constructor(
    readonly windowSize: number,
    private readonly doEvictAfter: boolean,
  ) {}
  static of(windowSize: Duration, doEvictAfter = false): TimeEvictor {
    const ms = toMillis(windowSize);
    if (!(ms >= 0)) throw new ConfigError(`TimeEvictor.of: the window size must not be negative (got ${ms} ms)`);
    return new TimeEvictor(ms, doEvictAfter);
  }
  evictBefore(buffer: WindowBuffer<unknown>): void {
    if (!this.doEvictAfter) this.evict(buffer);
  }
  evictAfter(buffer: WindowBuffer<unknown>): void {
    if (this.doEvictAfter) this.evict(buffer);
  }
  private evict(buffer: WindowBuffer<unknown>): void {
    if (buffer.size === 0) return;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < buffer.size; i++) max = Math.max(max, buffer.timestampAt(i));
    const cutoff = max - this.windowSize;
    buffer.removeIf((_v, ts) => ts <= cutoff);
  }
  toString(): string {
    return `TimeEvictor(${this.windowSize})`;
  }
}
