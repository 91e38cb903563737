/**
 * Tumbling processing-time windows (Flink's `TumblingProcessingTimeWindows`): the window of the
 * current processing time (the environment's clock), fired by processing-time timers. With a
 * {@link WindowStagger} other than `ALIGNED`, the windows' offset gets a stagger fixed at the
 * first element: `(offset + stagger) % size`.
 */
import type { Duration } from '../../time/time.js';
import type { TimeWindow } from '../../contract/window.js';
import type { Trigger } from '../../contract/trigger.js';
import type { WindowAssigner, WindowAssignerContext } from '../../contract/window-assigner.js';
import { ProcessingTimeTrigger } from '../triggers/processing-time-trigger.js';
import { TumblingWindowFormula } from './tumbling-windows.js';
import { WindowStagger } from './window-stagger.js';

/**
 * @example
 * ```ts
 * keyed.window(TumblingProcessingTimeWindows.of(Time.seconds(5)));
 * keyed.window(TumblingProcessingTimeWindows.of(Time.minutes(1), 0, WindowStagger.NATURAL));
 * ```
 */
export class TumblingProcessingTimeWindows implements WindowAssigner<unknown, TimeWindow> {
  private formula: TumblingWindowFormula;
  /** True once the stagger offset is fixed (at once when aligned). */
  private staggered: boolean;
  private constructor(
    size: number,
    private readonly globalOffset: number,
    readonly stagger: WindowStagger,
  ) {
    this.formula = new TumblingWindowFormula(size, globalOffset);
    this.staggered = stagger.name === 'ALIGNED';
  }

  /** Windows of `size`, shifted by `offset` (|offset| < size), staggered by `stagger` (default aligned). */
  static of(size: Duration, offset: Duration = 0, stagger: WindowStagger = WindowStagger.ALIGNED): TumblingProcessingTimeWindows {
    return new TumblingProcessingTimeWindows(...TumblingWindowFormula.validate('TumblingProcessingTimeWindows', size, offset), stagger);
  }

  get size(): number {
    return this.formula.size;
  }

  /** Lets the window operator aggregate per slice (one slice per window for tumbling windows). */
  get slicing(): { size: number; slide: number; offset: number; offsetAt?: (now: number) => number } {
    const size = this.formula.size;
    if (this.staggered) return { size, slide: size, offset: this.formula.offset };
    return { size, slide: size, offset: this.globalOffset, offsetAt: (now) => this.offsetAt(now) };
  }

  /** The windows' offset from the first element on (Flink: fixed at the first assignment). */
  private offsetAt(now: number): number {
    if (!this.staggered) {
      const size = this.formula.size;
      this.formula = new TumblingWindowFormula(size, (this.globalOffset + this.stagger.getStaggerOffset(now, size)) % size);
      this.staggered = true;
    }
    return this.formula.offset;
  }

  assignWindows(_e: unknown, _ts: number, ctx: WindowAssignerContext): readonly TimeWindow[] {
    const now = ctx.currentProcessingTime();
    if (!this.staggered) this.offsetAt(now);
    return this.formula.windowsOf(now);
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
