/**
 * Fires when the watermark passes the window's end (Flink's `EventTimeTrigger`): a timer at
 * `end - 1`; an element arriving when the watermark is already past that (allowed lateness)
 * fires the window at once, with all its contents.
 */
import { type TimeWindow, type Window } from '../../contract/window.js';
import { type Trigger, type TriggerContext, TriggerResult } from '../../contract/trigger.js';

/**
 * @example
 * ```ts
 * keyed.window(GlobalWindows.create()).trigger(EventTimeTrigger.create());
 * ```
 */
export class EventTimeTrigger implements Trigger<unknown, Window> {
  private static readonly INSTANCE = new EventTimeTrigger();
  private constructor() {}
  static create(): EventTimeTrigger {
    return EventTimeTrigger.INSTANCE;
  }
  onElement(_e: unknown, _ts: number, window: Window, ctx: TriggerContext): TriggerResult {
    // The field when the window has it: a call returning a double would allocate per element.
    const maxTs = window.maxTs !== undefined ? window.maxTs : window.maxTimestamp();
    if (maxTs <= ctx.getCurrentWatermark()) return TriggerResult.FIRE;
    ctx.registerEventTimeTimer(maxTs);
    return TriggerResult.CONTINUE;
  }
  onEventTime(time: number, window: Window): TriggerResult {
    return time === (window.maxTs !== undefined ? window.maxTs : window.maxTimestamp()) ? TriggerResult.FIRE : TriggerResult.CONTINUE;
  }
  onProcessingTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }
  canMerge(): boolean {
    return true;
  }
  onMerge(window: Window, ctx: TriggerContext): void {
    // Only if the watermark has not passed the merged window yet, else it would fire twice.
    const maxTs = window.maxTimestamp();
    if (maxTs > ctx.getCurrentWatermark()) ctx.registerEventTimeTimer(maxTs);
  }
  clear(window: Window, ctx: TriggerContext): void {
    ctx.deleteEventTimeTimer(window.maxTimestamp());
  }
  toString(): string {
    return 'EventTimeTrigger()';
  }
}

export type { TimeWindow };
