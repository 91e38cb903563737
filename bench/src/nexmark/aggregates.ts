/**
 * Aggregate functions the windowed Nexmark queries share.
 */
import type { AggregateFunction } from '@weir/core';

/**
 * `count(*)`.
 *
 * @example
 * ```ts
 * bids.keyBy('auction').window(assigner).aggregate(COUNT);
 * ```
 */
export const COUNT: AggregateFunction<unknown, number, number> = {
  createAccumulator: () => 0,
  add: (_value, acc) => acc + 1,
  getResult: (acc) => acc,
  merge: (a, b) => a + b,
};

/** The largest value seen and every element that has it. */
export interface MaxRows<T> {
  max: number;
  rows: T[];
}

/**
 * Keeps the elements with the largest `valueOf(element)` (all of them on ties): an incremental
 * "max, joined back to its rows", so a window never buffers its elements.
 *
 * @example
 * ```ts
 * bids.windowAll(TumblingEventTimeWindows.of(10_000)).aggregate(maxRows((b: Bid) => b.price));
 * ```
 */
export function maxRows<T>(valueOf: (element: T) => number): AggregateFunction<T, MaxRows<T>, T[]> {
  return {
    createAccumulator: () => ({ max: Number.NEGATIVE_INFINITY, rows: [] }),
    add(element, acc) {
      const v = valueOf(element);
      if (v > acc.max) {
        acc.max = v;
        acc.rows = [element];
      } else if (v === acc.max) acc.rows.push(element);
      return acc;
    },
    getResult: (acc) => acc.rows,
    merge(a, b) {
      if (a.max > b.max) return a;
      if (b.max > a.max) return b;
      return { max: a.max, rows: a.rows.concat(b.rows) };
    },
  };
}
