/** Fires when processing time passes the window's end (Flink's `ProcessingTimeTrigger`). */
import { type Trigger, type TriggerContext, TriggerResult } from '../../contract/trigger.js';
import { type Window } from '../../contract/window.js';

/**
 * @example
 * ```ts
 * keyed.window(TumblingProcessingTimeWindows.of(Time.seconds(5))).trigger(ProcessingTimeTrigger.create());
 * ```
 */
export class ProcessingTimeTrigger implements Trigger<unknown, Window> {
  private static readonly INSTANCE = new ProcessingTimeTrigger();
  private constructor() {}
  static create(): ProcessingTimeTrigger {
    return ProcessingTimeTrigger.INSTANCE;
  }
  onElement(_e: unknown, _ts: number, window: Window, ctx: TriggerContext): TriggerResult {
    ctx.registerProcessingTimeTimer(window.maxTimestamp());
    return TriggerResult.CONTINUE;
  }
  onEventTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }
  onProcessingTime(): TriggerResult {
    return TriggerResult.FIRE;
  }
  canMerge(): boolean {
    return true;
  }
  onMerge(window: Window, ctx: TriggerContext): void {
    const maxTs = window.maxTimestamp();
    if (maxTs > ctx.getCurrentProcessingTime()) ctx.registerProcessingTimeTimer(maxTs);
  }
  clear(window: Window, ctx: TriggerContext): void {
    ctx.deleteProcessingTimeTimer(window.maxTimestamp());
  }
  toString(): string {
    return 'ProcessingTimeTrigger()';
  }
}
