/**
 * Tumbling event-time windows (Flink's `TumblingEventTimeWindows`): each element goes to the one
 * window `[start, start + size)` with `start = ts - floorMod(ts - offset, size)`.
 * Example: size 10 s, element at 12 s -> [10 s, 20 s); element at -1 ms -> [-10 s, 0).
 */
import type { Duration } from '../../time/time.js';
import type { TimeWindow } from '../../contract/window.js';
import type { Trigger } from '../../contract/trigger.js';
import type { WindowAssigner } from '../../contract/window-assigner.js';
import { EventTimeTrigger } from '../triggers/event-time-trigger.js';
import { TumblingWindowFormula } from './tumbling-windows.js';

/**
 * @example
 * ```ts
 * keyed.window(TumblingEventTimeWindows.of(Time.seconds(10)));
 * keyed.window(TumblingEventTimeWindows.of(Time.hours(1), Time.minutes(15))); // [h:15, h+1:15)
 * ```
 */
export class TumblingEventTimeWindows implements WindowAssigner<unknown, TimeWindow> {
  private readonly formula: TumblingWindowFormula;
  private constructor(size: number, offset: number) {
    this.formula = new TumblingWindowFormula(size, offset);
  }

  /** Windows of `size`, shifted by `offset` (|offset| < size). */
  static of(size: Duration, offset: Duration = 0): TumblingEventTimeWindows {
    return new TumblingEventTimeWindows(...TumblingWindowFormula.validate('TumblingEventTimeWindows', size, offset));
  }

  get size(): number {
    return this.formula.size;
  }
  get offset(): number {
    return this.formula.offset;
  }

  /** Lets the window operator aggregate per pane (one pane per window for tumbling windows). */
  get slicing(): { size: number; slide: number; offset: number } {
    return { size: this.formula.size, slide: this.formula.size, offset: this.formula.offset };
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
    return `TumblingEventTimeWindows(${this.formula.size})`;
  }
}
