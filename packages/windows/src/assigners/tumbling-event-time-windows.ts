/**
 * Tumbling event-time windows (Flink's `TumblingEventTimeWindows`): each element goes to the one
 * window `[start, start + size)` with `start = ts - floorMod(ts - offset, size)`.
 * Example: size 10 s, element at 12 s -> [10 s, 20 s); element at -1 ms -> [-10 s, 0).
 */
import { ConfigError, type Duration, TimeWindow, toMillis, type Trigger, type WindowAssigner } from '@weir/core';
import { EventTimeTrigger } from '../triggers/event-time-trigger.js';

/**
 * @example
 * ```ts
 * keyed.window(TumblingEventTimeWindows.of(Time.seconds(10)));
 * keyed.window(TumblingEventTimeWindows.of(Time.hours(1), Time.minutes(15))); // [h:15, h+1:15)
 * ```
 */
export class TumblingEventTimeWindows implements WindowAssigner<unknown, TimeWindow> {
  // One cached window: consecutive elements mostly share it, so assigning allocates nothing and
  // skips the floating-point modulo (a quarter of a keyed window job's time when done per element).
  private cachedStart = Number.NaN;
  private cachedEnd = Number.NaN;
  private cached: readonly TimeWindow[] = [];

  private constructor(
    readonly size: number,
    readonly offset: number,
  ) {}

  /** Windows of `size`, shifted by `offset` (|offset| < size). */
  static of(size: Duration, offset: Duration = 0): TumblingEventTimeWindows {
    const s = toMillis(size);
    const o = toMillis(offset);
    if (!(s > 0) || !Number.isFinite(s)) throw new ConfigError(`TumblingEventTimeWindows: the size must be greater than 0 (got ${s} ms)`);
    if (!(Math.abs(o) < s)) throw new ConfigError(`TumblingEventTimeWindows parameters must satisfy abs(offset) < size (offset ${o} ms, size ${s} ms)`);
    return new TumblingEventTimeWindows(s, o);
  }

  /** Lets the window operator aggregate per pane (one pane per window for tumbling windows). */
  get slicing(): { size: number; slide: number; offset: number } {
    return { size: this.size, slide: this.size, offset: this.offset };
  }

  assignWindows(_element: unknown, timestamp: number): readonly TimeWindow[] {
    if (timestamp >= this.cachedStart && timestamp < this.cachedEnd) return this.cached;
    const start = TimeWindow.getWindowStartWithOffset(timestamp, this.offset, this.size);
    this.cachedStart = start;
    this.cachedEnd = start + this.size;
    this.cached = [new TimeWindow(start, start + this.size)];
    return this.cached;
  }

  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return EventTimeTrigger.create();
  }

  isEventTime(): boolean {
    return true;
  }

  toString(): string {
    return `TumblingEventTimeWindows(${this.size})`;
  }
}
