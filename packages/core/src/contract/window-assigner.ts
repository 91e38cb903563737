/**
 * Window assigners (Flink's `WindowAssigner`): which windows an element belongs to, and the
 * trigger used when the user gives none. Concrete assigners live in `@weir/windows`.
 */
import type { Trigger } from './trigger.js';
import type { TimeWindow, Window } from './window.js';

/**
 * What an assigner may read.
 *
 * @example
 * ```ts
 * const everyMinute: WindowAssigner<Tick, TimeWindow> = {
 *   assignWindows(_t, _ts, ctx) {
 *     const now = ctx.currentProcessingTime();
 *     const start = now - (now % 60_000);
 *     return [new TimeWindow(start, start + 60_000)];
 *   },
 *   getDefaultTrigger: () => ProcessingTimeTrigger.create(),
 *   isEventTime: () => false,
 * };
 * ```
 */
export interface WindowAssignerContext {
  currentProcessingTime(): number;
}

/**
 * Assigns elements to windows.
 *
 * `assignWindows` may return the same array object again for the same windows (assigners cache
 * the windows of the current period to avoid allocating per element); callers must not keep or
 * modify it.
 *
 * @example
 * ```ts
 * const everything: WindowAssigner<unknown, GlobalWindow> = {
 *   assignWindows: () => [GlobalWindow.INSTANCE],
 *   getDefaultTrigger: () => myTrigger,
 *   isEventTime: () => false,
 * };
 * ```
 */
export interface WindowAssigner<T, W extends Window> {
  assignWindows(element: T, timestamp: number, ctx: WindowAssignerContext): readonly W[];
  getDefaultTrigger(): Trigger<T, W>;
  /** Event-time windows can be late and are cleaned up by the watermark. */
  isEventTime(): boolean;
  /** Present on merging assigners (sessions). */
  mergeWindows?(windows: readonly W[], callback: (toMerge: W[], mergeResult: W) => void): void;
  toString?(): string;
}

/**
 * A merging assigner (sessions): windows of a key that intersect are merged.
 *
 * @example
 * ```ts
 * const sessions: MergingWindowAssigner<Click> = EventTimeSessionWindows.withGap(Time.minutes(30));
 * ```
 */
export interface MergingWindowAssigner<T> extends WindowAssigner<T, TimeWindow> {
  mergeWindows(windows: readonly TimeWindow[], callback: (toMerge: TimeWindow[], mergeResult: TimeWindow) => void): void;
}

/** @internal */
export function isWindowAssigner(x: unknown): x is WindowAssigner<unknown, Window> {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as WindowAssigner<unknown, Window>).assignWindows === 'function' &&
    typeof (x as WindowAssigner<unknown, Window>).getDefaultTrigger === 'function'
  );
}
