/**
 * Tumbling processing-time windows (Flink's `TumblingProcessingTimeWindows`): the window of the
 * current processing time (the environment's clock), fired by processing-time timers.
 */
import type { Duration } from '../../time/time.js';
import type { TimeWindow } from '../../contract/window.js';
import type { Trigger } from '../../contract/trigger.js';
import type { WindowAssigner, WindowAssignerContext } from '../../contract/window-assigner.js';
import { ProcessingTimeTrigger } from '../triggers/processing-time-trigger.js';
import { TumblingWindowFormula } from './tumbling-windows.js';

/**
 * @example
 * ```ts
 * keyed.window(TumblingProcessingTimeWindows.of(Time.seconds(5)));
 * ```
 */
export class TumblingProcessingTimeWindows implements WindowAssigner<unknown, TimeWindow> {
  private readonly formula: TumblingWindowFormula;
  private constructor(size: number, offset: number) {
    this.formula = new TumblingWindowFormula(size, offset);
  }

  static of(size: Duration, offset: Duration = 0): TumblingProcessingTimeWindows {
    return new TumblingProcessingTimeWindows(...TumblingWindowFormula.validate('TumblingProcessingTimeWindows', size, offset));
  }

  get size(): number {
    return this.formula.size;
  }

  /** Lets the window operator aggregate per slice (one slice per window for tumbling windows). */
  get slicing(): { size: number; slide: number; offset: number } {
    return { size: this.formula.size, slide: this.formula.size, offset: this.formula.offset };
  }

  assignWindows(_e: unknown, _ts: number, ctx: WindowAssignerContext): readonly TimeWindow[] {
    return this.formula.windowsOf(ctx.currentProcessingTime());
  }
  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return ProcessingTimeTrigger.create();
  }
  isEventTime(): boolean {
    return false;
  }
  toString(): string {
    return `TumblingProcessingTimeWindows(${this.formula.size})`;
  }
}
