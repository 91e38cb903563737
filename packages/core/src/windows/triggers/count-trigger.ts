/**
 * Fires every `n` elements of a (key, window) (Flink's `CountTrigger`): the n-th element is
 * added first, so it is part of the window that fires. Not purging (wrap in `PurgingTrigger`).
 */
import { ConfigError } from '../../errors.js';
import { ReducingStateDescriptor } from '../../state/descriptors.js';
import { type Trigger, type TriggerContext, type OnMergeContext, TriggerResult } from '../../contract/trigger.js';
import { type Window } from '../../contract/window.js';
import type { DataDrivenRule } from '../../contract/data-driven-trigger.js';

const add = (a: number, b: number) => a + b;

/**
 * @example
 * ```ts
 * keyed.window(GlobalWindows.create()).trigger(PurgingTrigger.of(CountTrigger.of(100)));
 * ```
 */
export class CountTrigger implements Trigger<unknown, Window> {
  private readonly state = new ReducingStateDescriptor<number>('count', add);
  private constructor(readonly maxCount: number) {}
  static of(maxCount: number): CountTrigger {
    if (!Number.isInteger(maxCount) || maxCount < 1) throw new ConfigError(`CountTrigger.of(n): n must be a positive integer (got ${maxCount})`);
    return new CountTrigger(maxCount);
  }
  onElement(_e: unknown, _ts: number, _w: Window, ctx: TriggerContext): TriggerResult {
    const count = ctx.getPartitionedState(this.state);
    count.add(1);
    if ((count.get() ?? 0) >= this.maxCount) {
      count.clear();
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
  canMerge(): boolean {
    return true;
  }
  onMerge(_w: Window, ctx: OnMergeContext): void {
    ctx.mergePartitionedState(this.state as ReducingStateDescriptor<unknown>);
  }
  clear(_w: Window, ctx: TriggerContext): void {
    ctx.getPartitionedState(this.state).clear();
  }
  /** @internal What the count-and-delta window operator needs to do exactly this. */
  dataDrivenRule(): DataDrivenRule {
    return { kind: 'count', n: this.maxCount, before: false, purge: false, fireAtEnd: false };
  }
  toString(): string {
    return `CountTrigger(${this.maxCount})`;
  }
}
