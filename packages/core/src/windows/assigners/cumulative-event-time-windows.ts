/**
 * Cumulative event-time windows (Flink's CUMULATE window, in its Table API): windows that grow by
 * `step` from the start of each `maxSize` epoch, so a running total is emitted every step and the
 * epoch's full result at its end. Fired by the event-time trigger, as every event-time window.
 */
import type { Duration } from '../../time/time.js';
import type { TimeWindow } from '../../contract/window.js';
import type { Trigger } from '../../contract/trigger.js';
import type { WindowAssigner } from '../../contract/window-assigner.js';
import { EventTimeTrigger } from '../triggers/event-time-trigger.js';
import { CumulativeWindowFormula } from './cumulative-windows.js';

/**
 * @example
 * ```ts
 * // Today's revenue so far, every hour: [0h, 1h), [0h, 2h), ... [0h, 24h), then the next day.
 * keyed.window(CumulativeEventTimeWindows.of(Time.days(1), Time.hours(1))).sum('amount');
 * ```
 */
export class CumulativeEventTimeWindows implements WindowAssigner<unknown, TimeWindow> {
  private readonly formula: CumulativeWindowFormula;
  private constructor(maxSize: number, step: number, offset: number) {
    this.formula = new CumulativeWindowFormula(maxSize, step, offset);
  }

  /** Windows growing by `step` up to `maxSize` (a multiple of `step`), epochs shifted by `offset`. */
  static of(maxSize: Duration, step: Duration, offset: Duration = 0): CumulativeEventTimeWindows {
    return new CumulativeEventTimeWindows(...CumulativeWindowFormula.validate('CumulativeEventTimeWindows', maxSize, step, offset));
  }

  get maxSize(): number {
    return this.formula.maxSize;
  }
  get step(): number {
    return this.formula.step;
  }

  assignWindows(_element: unknown, timestamp: number): readonly TimeWindow[] {
    return this.formula.windowsOf(timestamp);
  }
  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return EventTimeTrigger.create();
  }
  isEventTime(): boolean {
    return true;
  }
  toString(): string {
    return `CumulativeEventTimeWindows(${this.formula.maxSize}, ${this.formula.step})`;
  }
}
