/**
 * Fires periodically in event time while the window is open, and at its end (Flink's
 * `ContinuousEventTimeTrigger`): the first element schedules a firing at the next multiple of
 * `interval`; each firing schedules the next (never past the window's end; at the end of bounded
 * input a window without an end fires once more, not once per interval up to infinity).
 */
import { ConfigError } from '../../errors.js';
import { type Duration, toMillis } from '../../time/time.js';
import { type OnMergeContext, type Trigger, type TriggerContext, TriggerResult } from '../../contract/trigger.js';
import { ReducingStateDescriptor } from '../../state/descriptors.js';
import { type Window } from '../../contract/window.js';

const min = (a: number, b: number) => Math.min(a, b);

/**
 * @example
 * ```ts
 * keyed.window(TumblingEventTimeWindows.of(Time.minutes(1))).trigger(ContinuousEventTimeTrigger.of(Time.seconds(10)));
 * ```
 */
export class ContinuousEventTimeTrigger implements Trigger<unknown, Window> {
  private readonly state = new ReducingStateDescriptor<number>('fire-time', min);
  private constructor(readonly interval: number) {}
  static of(interval: Duration): ContinuousEventTimeTrigger {
    const ms = toMillis(interval);
    if (!(ms > 0)) throw new ConfigError(`ContinuousEventTimeTrigger.of: the interval must be greater than 0 (got ${ms} ms)`);
    return new ContinuousEventTimeTrigger(ms);
  }
  onElement(_e: unknown, timestamp: number, window: Window, ctx: TriggerContext): TriggerResult {
    if (window.maxTimestamp() <= ctx.getCurrentWatermark()) return TriggerResult.FIRE;
    ctx.registerEventTimeTimer(window.maxTimestamp());
    const fireTime = ctx.getPartitionedState(this.state);
    if (fireTime.get() === undefined) this.registerNext(timestamp - (timestamp % this.interval), window, ctx);
    return TriggerResult.CONTINUE;
  }
  onEventTime(time: number, window: Window, ctx: TriggerContext): TriggerResult {
    if (time === window.maxTimestamp()) return TriggerResult.FIRE;
    const fireTime = ctx.getPartitionedState(this.state);
    if (fireTime.get() === time) {
      fireTime.clear();
      this.registerNext(time, window, ctx);
      return TriggerResult.FIRE;
    }
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
    const next = ctx.getPartitionedState(this.state).get();
    if (next !== undefined) ctx.registerEventTimeTimer(next);
  }
  clear(_w: Window, ctx: TriggerContext): void {
    const fireTime = ctx.getPartitionedState(this.state);
    const t = fireTime.get();
    if (t !== undefined) ctx.deleteEventTimeTimer(t);
    fireTime.clear();
  }
  private registerNext(time: number, window: Window, ctx: TriggerContext): void {
    // At the end of bounded input the watermark is +Infinity: a window that never ends (the global
    // window of the seed's Count.of(n).every(Time.of(t))) would catch up one interval at a time
    // forever. Its timer at +Infinity fires it a last time instead.
    if (ctx.getCurrentWatermark() === Number.POSITIVE_INFINITY && window.maxTimestamp() === Number.POSITIVE_INFINITY) return;
    const next = Math.min(time + this.interval, window.maxTimestamp());
    ctx.getPartitionedState(this.state).add(next);
    ctx.registerEventTimeTimer(next);
  }
  toString(): string {
    return `ContinuousEventTimeTrigger(${this.interval})`;
  }
}
