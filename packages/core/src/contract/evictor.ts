/**
 * Evictors (Flink's `Evictor`): remove elements from a window's buffer before and/or after the
 * window function runs. With an evictor all elements are buffered and reduce/aggregate functions
 * run over the survivors at fire time. Concrete evictors live in `@weir/windows`.
 */
import type { Window } from './window.js';

/**
 * A window's buffered elements in insertion order, with their timestamps.
 *
 * @example
 * ```ts
 * buffer.removeFirst(buffer.size - 10); // keep the last 10
 * ```
 */
export interface WindowBuffer<T> {
  readonly size: number;
  valueAt(index: number): T;
  timestampAt(index: number): number;
  /** Removes the `n` oldest elements. */
  removeFirst(n: number): void;
  /** Removes every element for which `predicate` is true. */
  removeIf(predicate: (value: T, timestamp: number) => boolean): void;
}

/**
 * What an evictor may read.
 *
 * @example
 * ```ts
 * const olderThanAMinute: Evictor<Tick, TimeWindow> = {
 *   evictBefore: (buffer, _window, ctx) => buffer.removeIf((_t, ts) => ts <= ctx.getCurrentWatermark() - 60_000),
 *   evictAfter: () => {},
 * };
 * ```
 */
export interface EvictorContext {
  getCurrentWatermark(): number;
  getCurrentProcessingTime(): number;
}

/**
 * Removes elements from a firing window.
 *
 * @example
 * ```ts
 * const keepLastTen: Evictor<unknown, Window> = {
 *   evictBefore: (buf) => buf.removeFirst(Math.max(0, buf.size - 10)),
 *   evictAfter: () => {},
 * };
 * ```
 */
export interface Evictor<T, W extends Window> {
  evictBefore(buffer: WindowBuffer<T>, window: W, ctx: EvictorContext): void;
  evictAfter(buffer: WindowBuffer<T>, window: W, ctx: EvictorContext): void;
  toString?(): string;
}
