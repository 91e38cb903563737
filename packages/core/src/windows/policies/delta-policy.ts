/**
 * The seed's `Delta.of(threshold, deltaFn, initialValue)`: a data-driven window that closes when
 * an element is more than `threshold` away from the reference point (initially `initialValue`,
 * then the element that last closed a window). The closing element is not part of the window it
 * closes; it opens the next one. The last partial window is emitted at the end of bounded input.
 */
import { ConfigError } from '../../errors.js';
import { type Evictor } from '../../contract/evictor.js';
import { type GlobalWindow, type Window } from '../../contract/window.js';
import { type Trigger } from '../../contract/trigger.js';
import { type Windowing } from '../../contract/window-definition.js';
import { GlobalWindows } from '../assigners/global-windows.js';
import type { DeltaFunction } from '../triggers/delta-trigger.js';
import { SeedDeltaEvictor } from './seed-delta-evictor.js';
import { SeedDeltaTrigger } from './seed-delta-trigger.js';
import { SeedPolicy } from './seed-policy.js';

/**
 * @example
 * ```ts
 * const relativeChange = (a: Tick, b: Tick) => Math.abs(b.price / a.price - 1);
 * ticks.groupBy('symbol').window(Delta.of(0.05, relativeChange, { symbol: '', price: 1000 }))
 *   .mapWindow((window, out) => out.collect(window[0]!.symbol));
 * ```
 */
export class Delta<T> extends SeedPolicy<GlobalWindow> {
  private constructor(
    readonly threshold: number,
    private readonly delta: DeltaFunction<T>,
    private readonly initialValue: T,
  ) {
    super();
  }
  static of<T>(threshold: number, delta: DeltaFunction<T>, initialValue: T): Delta<T> {
    if (typeof threshold !== 'number' || Number.isNaN(threshold)) throw new ConfigError(`Delta.of: threshold must be a number (got ${String(threshold)})`);
    if (typeof delta !== 'function') throw new ConfigError('Delta.of(threshold, deltaFn, initialValue): deltaFn must be a function');
    return new Delta(threshold, delta, initialValue);
  }
  protected alone(): Windowing<unknown, Window> {
    return { assigner: GlobalWindows.create(), trigger: new SeedDeltaTrigger(this.threshold, this.delta, this.initialValue, true) as Trigger<unknown, Window> };
  }
  asEvictor(): Evictor<unknown, Window> {
    return new SeedDeltaEvictor(this.threshold, this.delta) as Evictor<unknown, Window>;
  }
  asSlideTrigger(): Trigger<unknown, Window> {
    return new SeedDeltaTrigger(this.threshold, this.delta, this.initialValue, false) as Trigger<unknown, Window>;
  }
  toString(): string {
    return `Delta.of(${this.threshold})`;
  }
}
