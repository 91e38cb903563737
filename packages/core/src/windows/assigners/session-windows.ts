/**
 * Session windows (Flink's `EventTimeSessionWindows` / `ProcessingTimeSessionWindows`): each
 * element opens `[t, t + gap)`; windows of a key that overlap or touch merge. Two elements exactly
 * `gap` apart are in one session (`[0, 3)` and `[3, 6)` touch).
 */
import { ConfigError } from '../../errors.js';
import { type Duration, toMillis } from '../../time/time.js';
import { type MergingWindowAssigner, type WindowAssignerContext } from '../../contract/window-assigner.js';
import { TimeWindow } from '../../contract/window.js';
import { type Trigger } from '../../contract/trigger.js';
import { EventTimeTrigger } from '../triggers/event-time-trigger.js';
import { ProcessingTimeTrigger } from '../triggers/processing-time-trigger.js';

abstract class SessionWindows<T> implements MergingWindowAssigner<T> {
  /** Windows merge when they intersect (TimeWindow.mergeWindows): lets the operator take its fast path. */
  readonly mergesByIntersection = true;
  protected constructor(
    private readonly gapOf: (element: T) => number,
    private readonly label: string,
  ) {}
  protected abstract timeOf(timestamp: number, ctx: WindowAssignerContext): number;
  abstract isEventTime(): boolean;
  abstract getDefaultTrigger(): Trigger<T, TimeWindow>;

  assignWindows(element: T, timestamp: number, ctx: WindowAssignerContext): readonly TimeWindow[] {
    const gap = this.sessionGap(element);
    const t = this.timeOf(timestamp, ctx);
    return [new TimeWindow(t, t + gap)];
  }
  /**
   * The gap of the session an element opens (`assignWindows` gives `[t, t + gap)`); the session
   * operator reads it directly instead of allocating a window per element.
   */
  sessionGap(element: T): number {
    const gap = this.gapOf(element);
    if (!(gap > 0)) throw new ConfigError(`${this.label}: the dynamic session gap must be greater than 0 (got ${gap} ms)`);
    return gap;
  }
  mergeWindows(windows: readonly TimeWindow[], callback: (toMerge: TimeWindow[], result: TimeWindow) => void): void {
    TimeWindow.mergeWindows(windows, callback);
  }
  toString(): string {
    return this.label;
  }
}

function validGap(name: string, gap: Duration): number {
  const g = toMillis(gap);
  if (!(g > 0) || !Number.isFinite(g)) throw new ConfigError(`${name} parameters must satisfy 0 < size (got gap ${g} ms)`);
  return g;
}

/**
 * @example
 * ```ts
 * events.keyBy('user').window(EventTimeSessionWindows.withGap(Time.minutes(10))).sum('count');
 * ```
 */
export class EventTimeSessionWindows<T = unknown> extends SessionWindows<T> {
  /** A fixed inactivity gap. */
  static withGap(gap: Duration): EventTimeSessionWindows {
    const g = validGap('EventTimeSessionWindows', gap);
    return new EventTimeSessionWindows(() => g, `EventTimeSessionWindows(${g})`);
  }
  /** A gap per element (ms). */
  static withDynamicGap<T>(gapOf: (element: T) => number): EventTimeSessionWindows<T> {
    return new EventTimeSessionWindows<T>(gapOf, 'EventTimeSessionWindows(dynamic)');
  }
  protected timeOf(timestamp: number): number {
    return timestamp;
  }
  isEventTime(): boolean {
    return true;
  }
  getDefaultTrigger(): Trigger<T, TimeWindow> {
    return EventTimeTrigger.create() as Trigger<T, TimeWindow>;
  }
}

/**
 * @example
 * ```ts
 * events.keyBy('user').window(ProcessingTimeSessionWindows.withGap(Time.seconds(30)));
 * ```
 */
export class ProcessingTimeSessionWindows<T = unknown> extends SessionWindows<T> {
  static withGap(gap: Duration): ProcessingTimeSessionWindows {
    const g = validGap('ProcessingTimeSessionWindows', gap);
    return new ProcessingTimeSessionWindows(() => g, `ProcessingTimeSessionWindows(${g})`);
  }
  static withDynamicGap<T>(gapOf: (element: T) => number): ProcessingTimeSessionWindows<T> {
    return new ProcessingTimeSessionWindows<T>(gapOf, 'ProcessingTimeSessionWindows(dynamic)');
  }
  protected timeOf(_timestamp: number, ctx: WindowAssignerContext): number {
    return ctx.currentProcessingTime();
  }
  isEventTime(): boolean {
    return false;
  }
  getDefaultTrigger(): Trigger<T, TimeWindow> {
    return ProcessingTimeTrigger.create() as Trigger<T, TimeWindow>;
  }
}
