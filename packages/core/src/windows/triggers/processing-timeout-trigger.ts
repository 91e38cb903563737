/**
 * Turns any trigger into one with a processing-time timeout (Flink's `ProcessingTimeoutTrigger`):
 * the first element of a window starts a timer `timeout` ms of processing time ahead (with
 * `resetTimerOnNewRecord`, every element starts it again); when it fires, the window fires (and
 * purges if the nested trigger's answer purges), and with `shouldClearOnTimeout` (the default)
 * the nested trigger's state is cleared. When the nested trigger fires on an element, the timeout
 * is cleared with it.
 *
 * Example: `ProcessingTimeoutTrigger.of(CountTrigger.of(3), 100)`: a window fires on its third
 * element, or 100 ms after its first, whichever comes first.
 */
import { ConfigError } from '../../errors.js';
import { type Duration, toMillis } from '../../time/time.js';
import { isFire, isPurge, type Trigger, type TriggerContext, TriggerResult } from '../../contract/trigger.js';
import { ValueStateDescriptor } from '../../state/descriptors.js';
import { type Window } from '../../contract/window.js';

/**
 * @example
 * ```ts
 * keyed.window(GlobalWindows.create()).trigger(ProcessingTimeoutTrigger.of(CountTrigger.of(100), Time.seconds(5)));
 * ```
 */
export class ProcessingTimeoutTrigger<T, W extends Window> implements Trigger<T, W> {
  private readonly timeoutState = new ValueStateDescriptor<number>('timeout');
  private constructor(
    readonly nested: Trigger<T, W>,
    readonly timeout: number,
    readonly resetTimerOnNewRecord: boolean,
    readonly shouldClearOnTimeout: boolean,
  ) {}

  /**
   * `nested` with a timeout of `timeout` (a Time or milliseconds) from a window's first element;
   * `resetTimerOnNewRecord` (default false) restarts it on every element; `shouldClearOnTimeout`
   * (default true) clears the nested trigger when the timeout fires.
   */
  static of<T, W extends Window>(nested: Trigger<T, W>, timeout: Duration, resetTimerOnNewRecord = false, shouldClearOnTimeout = true): ProcessingTimeoutTrigger<T, W> {
    const ms = toMillis(timeout);
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new ConfigError(`ProcessingTimeoutTrigger.of: the timeout must be a finite number of milliseconds >= 0 (got ${ms})`);
    return new ProcessingTimeoutTrigger(nested, ms, resetTimerOnNewRecord, shouldClearOnTimeout);
  }

  onElement(element: T, timestamp: number, window: W, ctx: TriggerContext): TriggerResult {
    const result = this.nested.onElement(element, timestamp, window, ctx);
    if (isFire(result)) {
      this.clear(window, ctx);
      return result;
    }
    const state = ctx.getPartitionedState(this.timeoutState);
    const next = ctx.getCurrentProcessingTime() + this.timeout;
    let current = state.value();
    if (current !== undefined && this.resetTimerOnNewRecord) {
      ctx.deleteProcessingTimeTimer(current);
      state.clear();
      current = undefined;
    }
    if (current === undefined) {
      state.update(next);
      ctx.registerProcessingTimeTimer(next);
    }
    return result;
  }

  onProcessingTime(time: number, window: W, ctx: TriggerContext): TriggerResult {
    const result = this.nested.onProcessingTime(time, window, ctx);
    if (this.shouldClearOnTimeout) this.clear(window, ctx);
    return isPurge(result) ? TriggerResult.FIRE_AND_PURGE : TriggerResult.FIRE;
  }

  onEventTime(time: number, window: W, ctx: TriggerContext): TriggerResult {
    const result = this.nested.onEventTime(time, window, ctx);
    if (this.shouldClearOnTimeout) this.clear(window, ctx);
    return isPurge(result) ? TriggerResult.FIRE_AND_PURGE : TriggerResult.FIRE;
  }

  clear(window: W, ctx: TriggerContext): void {
    const state = ctx.getPartitionedState(this.timeoutState);
    const t = state.value();
    if (t !== undefined) {
      ctx.deleteProcessingTimeTimer(t);
      state.clear();
    }
    this.nested.clear(window, ctx);
  }

  toString(): string {
    return `TimeoutTrigger(${String(this.nested)})`;
  }
}
