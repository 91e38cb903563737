/**
 * Tumbling processing-time windows (Flink's `TumblingProcessingTimeWindows`): the window of the
 * current processing time (the environment's clock), fired by processing-time timers.
 */
import { ConfigError, type Duration, TimeWindow, toMillis, type Trigger, type WindowAssigner, type WindowAssignerContext } from '@weir/core';
import { ProcessingTimeTrigger } from '../triggers/processing-time-trigger.js';

/**
 * @example
 * ```ts
 * keyed.window(TumblingProcessingTimeWindows.of(Time.seconds(5)));
 * ```
 */
export class TumblingProcessingTimeWindows implements WindowAssigner<unknown, TimeWindow> {
  private cachedStart = Number.NaN;
  private cachedEnd = Number.NaN;
  private cached: readonly TimeWindow[] = [];
  private constructor(
    readonly size: number,
    readonly offset: number,
  ) {}

  static of(size: Duration, offset: Duration = 0): TumblingProcessingTimeWindows {
    const s = toMillis(size);
    const o = toMillis(offset);
    if (!(s > 0) || !Number.isFinite(s)) throw new ConfigError(`TumblingProcessingTimeWindows: the size must be greater than 0 (got ${s} ms)`);
    if (!(Math.abs(o) < s)) throw new ConfigError(`TumblingProcessingTimeWindows parameters must satisfy abs(offset) < size (offset ${o} ms, size ${s} ms)`);
    return new TumblingProcessingTimeWindows(s, o);
  }

  assignWindows(_e: unknown, _ts: number, ctx: WindowAssignerContext): readonly TimeWindow[] {
    const now = ctx.currentProcessingTime();
    if (now >= this.cachedStart && now < this.cachedEnd) return this.cached;
    const start = TimeWindow.getWindowStartWithOffset(now, this.offset, this.size);
    this.cachedStart = start;
    this.cachedEnd = start + this.size;
    this.cached = [new TimeWindow(start, start + this.size)];
    return this.cached;
  }
  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return ProcessingTimeTrigger.create();
  }
  isEventTime(): boolean {
    return false;
  }
  toString(): string {
    return `TumblingProcessingTimeWindows(${this.size})`;
  }
}
