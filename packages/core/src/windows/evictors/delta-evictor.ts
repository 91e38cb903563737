/**
 * Evicts every element whose delta to the window's last element is >= `threshold` (Flink's
 * `DeltaEvictor`; note `>=` here against the trigger's `>`). Scans the whole buffer.
 */
import { ConfigError } from '../../errors.js';
import { type Evictor, type WindowBuffer } from '../../contract/evictor.js';
import { type Window } from '../../contract/window.js';
import type { DeltaFunction } from '../triggers/delta-trigger.js';

/**
 * @example
 * ```ts
 * keyed.window(GlobalWindows.create()).evictor(DeltaEvictor.of(5, (a, b) => Math.abs(a.price - b.price)));
 * ```
 */
export class DeltaEvictor<T> implements Evictor<T, Window> {
  private constructor(
    readonly threshold: number,
    private readonly delta: DeltaFunction<T>,
    private readonly doEvictAfter: boolean,
  ) {}
  static of<T>(threshold: number, delta: DeltaFunction<T>, doEvictAfter = false): DeltaEvictor<T> {
    if (typeof delta !== 'function') throw new ConfigError('DeltaEvictor.of(threshold, fn): fn must be a function');
    return new DeltaEvictor(threshold, delta, doEvictAfter);
  }
  evictBefore(buffer: WindowBuffer<T>): void {
    if (!this.doEvictAfter) this.evict(buffer);
  }
  evictAfter(buffer: WindowBuffer<T>): void {
    if (this.doEvictAfter) this.evict(buffer);
  }
  private evict(buffer: WindowBuffer<T>): void {
    if (buffer.size === 0) return;
    const last = buffer.valueAt(buffer.size - 1);
    buffer.removeIf((v) => this.delta(v, last) >= this.threshold);
  }
  toString(): string {
    return `DeltaEvictor(${this.threshold})`;
  }
}
