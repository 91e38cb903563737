/**
 * The triggers of {@link GlobalWindows}: `NeverTrigger` (the default of `create()`: never
 * fires, give your own trigger) and `EndOfStreamTrigger` (fires once when input ends).
 */
import { type Trigger, type TriggerContext, TriggerResult } from '../../contract/trigger.js';
import { type Window } from '../../contract/window.js';

/**
 * @example
 * ```ts
 * new NeverTrigger().onElement(); // CONTINUE, always
 * ```
 */
export class NeverTrigger implements Trigger<unknown, Window> {
  onElement(): TriggerResult {
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
  onMerge(): void {}
  clear(): void {}
  toString(): string {
    return 'NeverTrigger()';
  }
}

/**
 * Fires on the final (+Infinity) watermark, i.e. when bounded input ends.
 *
 * @example
 * ```ts
 * keyed.window(GlobalWindows.createWithEndOfStreamTrigger()).sum('count');
 * ```
 */
export class EndOfStreamTrigger implements Trigger<unknown, Window> {
  onElement(_e: unknown, _ts: number, _w: Window, ctx: TriggerContext): TriggerResult {
    ctx.registerEventTimeTimer(Number.POSITIVE_INFINITY);
    return TriggerResult.CONTINUE;
  }
  onEventTime(time: number): TriggerResult {
    return time === Number.POSITIVE_INFINITY ? TriggerResult.FIRE : TriggerResult.CONTINUE;
  }
  onProcessingTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }
  clear(_w: Window, ctx: TriggerContext): void {
    ctx.deleteEventTimeTimer(Number.POSITIVE_INFINITY);
  }
  toString(): string {
    return 'EndOfStreamTrigger()';
  }
}
