/** Turns every FIRE of the wrapped trigger into FIRE_AND_PURGE (Flink's `PurgingTrigger`). */
import { type OnMergeContext, type Trigger, type TriggerContext, TriggerResult } from '../../contract/trigger.js';
import { type Window } from '../../contract/window.js';
import { type DataDrivenRule, dataDrivenRuleOf } from '../../contract/data-driven-trigger.js';

const purging = (r: TriggerResult): TriggerResult => (r === TriggerResult.FIRE ? TriggerResult.FIRE_AND_PURGE : r);

/**
 * @example
 * ```ts
 * keyed.window(GlobalWindows.create()).trigger(PurgingTrigger.of(CountTrigger.of(10)));
 * ```
 */
export class PurgingTrigger<T, W extends Window> implements Trigger<T, W> {
  private constructor(readonly nested: Trigger<T, W>) {}
  static of<T, W extends Window>(nested: Trigger<T, W>): PurgingTrigger<T, W> {
    return new PurgingTrigger(nested);
  }
  onElement(e: T, ts: number, w: W, ctx: TriggerContext): TriggerResult {
    return purging(this.nested.onElement(e, ts, w, ctx));
  }
  onEventTime(time: number, w: W, ctx: TriggerContext): TriggerResult {
    return purging(this.nested.onEventTime(time, w, ctx));
  }
  onProcessingTime(time: number, w: W, ctx: TriggerContext): TriggerResult {
    return purging(this.nested.onProcessingTime(time, w, ctx));
  }
  canMerge(): boolean {
    return this.nested.canMerge?.() ?? false;
  }
  onMerge(w: W, ctx: OnMergeContext): void {
    this.nested.onMerge?.(w, ctx);
  }
  clear(w: W, ctx: TriggerContext): void {
    this.nested.clear(w, ctx);
  }
  /** @internal The nested trigger's rule, purging. */
  dataDrivenRule(): DataDrivenRule | undefined {
    const rule = dataDrivenRuleOf(this.nested);
    // A rule decided before the element is added comes from a hook this wrapper does not pass on.
    return rule === undefined || rule.before ? undefined : { ...rule, purge: true };
  }
  toString(): string {
    return `PurgingTrigger(${String(this.nested)})`;
  }
}
