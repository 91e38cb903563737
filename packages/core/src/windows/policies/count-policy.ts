/**
 * The seed's `Count.of(n)`: `window(Count.of(n))` gives windows of n elements (the (n+1)-th
 * element closes the window and starts the next; the last partial window is emitted at the end
 * of bounded input); `window(Count.of(size)).every(Count.of(slide))` gives the last `size`
 * elements every `slide` elements (global window + CountEvictor + count trigger).
 */
import { ConfigError } from '../../errors.js';
import { type Evictor } from '../../contract/evictor.js';
import { type GlobalWindow, type Window } from '../../contract/window.js';
import { type Trigger } from '../../contract/trigger.js';
import { type Windowing } from '../../contract/window-definition.js';
import { GlobalWindows } from '../assigners/global-windows.js';
import { CountEvictor } from '../evictors/count-evictor.js';
import { SeedCountTrigger } from './seed-count-trigger.js';
import { SeedPolicy } from './seed-policy.js';

/**
 * @example
 * ```ts
 * stream.groupBy('symbol').window(Count.of(100)).every(Count.of(10)).maxBy('price');
 * ```
 */
export class Count extends SeedPolicy<GlobalWindow> {
  private constructor(readonly count: number) {
    super();
  }
  /** A window of `n` elements. */
  static of(n: number): Count {
    if (!Number.isInteger(n) || n < 1) throw new ConfigError(`Count.of(n): n must be a positive integer (got ${n})`);
    return new Count(n);
  }
  protected alone(): Windowing<unknown, Window> {
    return { assigner: GlobalWindows.create(), trigger: new SeedCountTrigger(this.count, true) };
  }
  asEvictor(): Evictor<unknown, Window> {
    return CountEvictor.of(this.count);
  }
  asSlideTrigger(): Trigger<unknown, Window> {
    return new SeedCountTrigger(this.count, false);
  }
  toString(): string {
    return `Count.of(${this.count})`;
  }
}
