/**
 * Sliding event-time windows (Flink's `SlidingEventTimeWindows`): windows of `size` starting
 * every `slide`; an element belongs to size / slide of them.
 */
import type { Duration } from '../../time/time.js';
import type { TimeWindow } from '../../contract/window.js';
import type { Trigger } from '../../contract/trigger.js';
import type { WindowAssigner } from '../../contract/window-assigner.js';
import { EventTimeTrigger } from '../triggers/event-time-trigger.js';
import { SlidingWindowFormula } from './sliding-windows.js';

/**
 * @example
 * ```ts
 * keyed.window(SlidingEventTimeWindows.of(Time.seconds(10), Time.seconds(5)));
 * ```
 */
export class SlidingEventTimeWindows implements WindowAssigner<unknown, TimeWindow> {
  private readonly formula: SlidingWindowFormula;
  private constructor(size: number, slide: number, offset: number) {
    this.formula = new SlidingWindowFormula(size, slide, offset);
  }

  /** Windows of `size` every `slide`, shifted by `offset` (|offset| < slide). */
  static of(size: Duration, slide: Duration, offset: Duration = 0): SlidingEventTimeWindows {
    return new SlidingEventTimeWindows(...SlidingWindowFormula.validate('SlidingEventTimeWindows', size, slide, offset));
  }

  /** Lets the window operator aggregate per pane (each element updates one pane, not size/slide windows). */
  get slicing(): { size: number; slide: number; offset: number } {
    return { size: this.formula.size, slide: this.formula.slide, offset: this.formula.offset };
  }

  get size(): number {
    return this.formula.size;
  }
  get slide(): number {
    return this.formula.slide;
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
    return `SlidingEventTimeWindows(${this.formula.size}, ${this.formula.slide})`;
  }
}
