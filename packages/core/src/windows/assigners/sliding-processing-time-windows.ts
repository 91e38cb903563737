/** Sliding processing-time windows (Flink's `SlidingProcessingTimeWindows`). */
import type { Duration } from '../../time/time.js';
import type { TimeWindow } from '../../contract/window.js';
import type { Trigger } from '../../contract/trigger.js';
import type { WindowAssigner, WindowAssignerContext } from '../../contract/window-assigner.js';
import { ProcessingTimeTrigger } from '../triggers/processing-time-trigger.js';
import { SlidingWindowFormula } from './sliding-windows.js';

/**
 * @example
 * ```ts
 * keyed.window(SlidingProcessingTimeWindows.of(Time.seconds(10), Time.seconds(5)));
 * ```
 */
export class SlidingProcessingTimeWindows implements WindowAssigner<unknown, TimeWindow> {
  private readonly formula: SlidingWindowFormula;
  private constructor(size: number, slide: number, offset: number) {
    this.formula = new SlidingWindowFormula(size, slide, offset);
  }
  static of(size: Duration, slide: Duration, offset: Duration = 0): SlidingProcessingTimeWindows {
    return new SlidingProcessingTimeWindows(...SlidingWindowFormula.validate('SlidingProcessingTimeWindows', size, slide, offset));
  }
  /** Lets the window operator aggregate per slice (each element updates one slice, not size/slide windows). */
  get slicing(): { size: number; slide: number; offset: number } {
    return { size: this.formula.size, slide: this.formula.slide, offset: this.formula.offset };
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
    return `SlidingProcessingTimeWindows(${this.formula.size}, ${this.formula.slide})`;
  }
}
