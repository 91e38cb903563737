/**
 * Fires periodically in processing time while the window is open, and at its end (Flink's
 * `ContinuousProcessingTimeTrigger`, with FLINK-20443's fix): the first element schedules a
 * firing at the next multiple of `interval` of the clock; each firing schedules the next, never
 * past the window's last millisecond, so the window's end fires too. Merging windows keep the
 * earliest scheduled firing.
 *
 * Example, interval 5 on tumbling processing-time windows of 10: elements at 0 and 2 fire [0, 10)
 * at 5 with both; an element at 7 fires it again at 9 with all three.
 */
import { ConfigError } from '../../errors.js';
import { type Duration, toMillis } from '../../time/time.js';
import { type OnMergeContext, type Trigger, type TriggerContext, TriggerResult } from '../../contract/trigger.js';
import { ReducingStateDescriptor } from '../../state/descriptors.js';
import { type Window } from '../../contract/window.js';

/**
 * @example
 * ```ts
 * keyed.window(TumblingProcessingTimeWindows.of(Time.minutes(1))).trigger(ContinuousProcessingTimeTrigger.of(Time.seconds(10)));
 * ```
 */
export class ContinuousProcessingTimeTrigger implements Trigger<unknown, Window> {
  /** When merging, the earliest scheduled firing wins. */
  private readonly state = new ReducingStateDescriptor<number>('fire-time', (a, b) => Math.min(a, b));
  private constructor(readonly interval: number) {}

  /** A trigger firing every `interval` of processing time (a Time or milliseconds). */
  static of(interval: Duration): ContinuousProcessingTimeTrigger {
    const ms = toMillis(interval);
    if (!(ms > 0) || !Number.isFinite(ms)) throw new ConfigError(`ContinuousProcessingTimeTrigger.of: the interval must be greater than 0 (got ${ms} ms)`);
    return new ContinuousProcessingTimeTrigger(ms);
  }

  onElement(_e: unknown, _ts: number, window: Window, ctx: TriggerContext): TriggerResult {
    const fireTime = ctx.getPartitionedState(this.state);
    if (fireTime.get() === undefined) {
      const now = ctx.getCurrentProcessingTime();
      this.registerNext(now - (now % this.interval), window, ctx);
    }
    return TriggerResult.CONTINUE;
  }

  onEventTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  onProcessingTime(time: number, window: Window, ctx: TriggerContext): TriggerResult {
    const fireTime = ctx.getPartitionedState(this.state);
    if (fireTime.get() === time) {
      fireTime.clear();
      this.registerNext(time, window, ctx);
      return TriggerResult.FIRE;
    }
    return TriggerResult.CONTINUE;
  }

  canMerge(): boolean {
    return true;
  }

  onMerge(_w: Window, ctx: OnMergeContext): void {
    ctx.mergePartitionedState(this.state as ReducingStateDescriptor<unknown>);
    const next = ctx.getPartitionedState(this.state).get();
    if (next !== undefined) ctx.registerProcessingTimeTimer(next);
  }

  clear(_w: Window, ctx: TriggerContext): void {
    const fireTime = ctx.getPartitionedState(this.state);
    const t = fireTime.get();
    if (t !== undefined) {
      ctx.deleteProcessingTimeTimer(t);
      fireTime.clear();
    }
  }

  private registerNext(time: number, window: Window, ctx: TriggerContext): void {
    const next = Math.min(time + this.interval, window.maxTimestamp());
    ctx.getPartitionedState(this.state).add(next);
    ctx.registerProcessingTimeTimer(next);
  }

  toString(): string {
    return `ContinuousProcessingTimeTrigger(${this.interval})`;
  }
}
