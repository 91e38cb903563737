/**
 * Fires when an element differs from the last fired element by more than `threshold` (Flink's
 * `DeltaTrigger`): the first element becomes the reference; the reference moves only when the
 * trigger fires; strictly greater. The triggering element is in the window that fires (modern
 * semantics; the seed's `Delta.of` policy excludes it, see policies/delta-policy.ts). The
 * reference point is keyed state, so it is checkpointed.
 */
import { ConfigError } from '../../errors.js';
import { type Trigger, type TriggerContext, TriggerResult } from '../../contract/trigger.js';
import { ValueStateDescriptor } from '../../state/descriptors.js';
import { type Window } from '../../contract/window.js';
import type { DataDrivenRule } from '../../contract/data-driven-trigger.js';

/**
 * `(oldPoint, newPoint) => distance`.
 *
 * @example
 * ```ts
 * const relativeChange: DeltaFunction<Tick> = (oldTick, newTick) => Math.abs(newTick.price / oldTick.price - 1);
 * DeltaTrigger.of(0.05, relativeChange);
 * ```
 */
export type DeltaFunction<T> = (oldPoint: T, newPoint: T) => number;

/**
 * @example
 * ```ts
 * keyed.window(GlobalWindows.create()).evictor(TimeEvictor.of(Time.seconds(10)))
 *   .trigger(DeltaTrigger.of(50, (a, b) => b.distance - a.distance)).maxBy('speed');
 * ```
 */
export class DeltaTrigger<T> implements Trigger<T, Window> {
  private readonly state = new ValueStateDescriptor<T>('last-element');
  private constructor(
    readonly threshold: number,
    /** @internal read by the count-and-delta window operator */
    readonly delta: DeltaFunction<T>,
  ) {}
  static of<T>(threshold: number, delta: DeltaFunction<T>): DeltaTrigger<T> {
    if (typeof delta !== 'function') throw new ConfigError('DeltaTrigger.of(threshold, fn): fn must be a function');
    if (Number.isNaN(threshold)) throw new ConfigError('DeltaTrigger.of: threshold must be a number');
    return new DeltaTrigger(threshold, delta);
  }
  onElement(element: T, _ts: number, _w: Window, ctx: TriggerContext): TriggerResult {
    const last = ctx.getPartitionedState(this.state);
    const ref = last.value();
    if (ref === undefined) {
      last.update(element);
      return TriggerResult.CONTINUE;
    }
    if (this.delta(ref, element) > this.threshold) {
      last.update(element);
      return TriggerResult.FIRE;
    }
    return TriggerResult.CONTINUE;
  }
  onEventTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }
  onProcessingTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }
  clear(_w: Window, ctx: TriggerContext): void {
    ctx.getPartitionedState(this.state).clear();
  }
  /** @internal What the count-and-delta window operator needs to do exactly this. */
  dataDrivenRule(): DataDrivenRule {
    return { kind: 'delta', threshold: this.threshold, delta: this.delta as (a: unknown, b: unknown) => number, before: false, purge: false, fireAtEnd: false };
  }
  toString(): string {
    return `DeltaTrigger(${this.threshold})`;
  }
}
