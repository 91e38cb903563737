/** Cumulative processing-time windows (Flink's CUMULATE window on processing time). */
import type { Duration } from '../../time/time.js';
import type { TimeWindow } from '../../contract/window.js';
import type { Trigger } from '../../contract/trigger.js';
import type { WindowAssigner, WindowAssignerContext } from '../../contract/window-assigner.js';
import { ProcessingTimeTrigger } from '../triggers/processing-time-trigger.js';
import { CumulativeWindowFormula } from './cumulative-windows.js';

/**
 * @example
 * ```ts
 * // Requests so far this minute, every 10 seconds of the clock.
 * keyed.window(CumulativeProcessingTimeWindows.of(Time.minutes(1), Time.seconds(10))).sum('requests');
 * ```
 */
export class CumulativeProcessingTimeWindows implements WindowAssigner<unknown, TimeWindow> {
  private readonly formula: CumulativeWindowFormula;
  private constructor(maxSize: number, step: number, offset: number) {
    this.formula = new CumulativeWindowFormula(maxSize, step, offset);
  }

  /** Windows growing by `step` up to `maxSize` (a multiple of `step`), epochs shifted by `offset`. */
  static of(maxSize: Duration, step: Duration, offset: Duration = 0): CumulativeProcessingTimeWindows {
    return new CumulativeProcessingTimeWindows(...CumulativeWindowFormula.validate('CumulativeProcessingTimeWindows', maxSize, step, offset));
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
    return `CumulativeProcessingTimeWindows(${this.formula.maxSize}, ${this.formula.step})`;
  }
}
