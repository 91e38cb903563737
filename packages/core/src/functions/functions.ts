/**
 * The user-function interfaces shared by streams, windows and state: reduce and aggregate
 * functions (Flink's `ReduceFunction`, `AggregateFunction`) and the collector that process
 * functions write to.
 */

/**
 * Combines two values into one (associative, as Flink's `ReduceFunction`).
 * `reduce(accumulated, next)`.
 *
 * @example
 * ```ts
 * const sumCounts: ReduceFunction<Count> = (a, b) => ({ ...a, count: a.count + b.count });
 * ```
 */
export type ReduceFunction<T> = (accumulated: T, value: T) => T;

/**
 * Incremental aggregation with an accumulator, as Flink's `AggregateFunction`. `merge` is needed
 * for merging windows (sessions) only.
 *
 * @example
 * ```ts
 * const average: AggregateFunction<Tick, { sum: number; n: number }, number> = {
 *   createAccumulator: () => ({ sum: 0, n: 0 }),
 *   add: (t, acc) => ({ sum: acc.sum + t.price, n: acc.n + 1 }),
 *   getResult: (acc) => acc.sum / acc.n,
 *   merge: (a, b) => ({ sum: a.sum + b.sum, n: a.n + b.n }),
 * };
 * ```
 */
export interface AggregateFunction<IN, ACC, OUT> {
  createAccumulator(): ACC;
  add(value: IN, accumulator: ACC): ACC;
  getResult(accumulator: ACC): OUT;
  merge?(a: ACC, b: ACC): ACC;
}

/**
 * Receives the output of a process function or window function.
 *
 * @example
 * ```ts
 * stream.flatMap((line: string, out: Collector<string>) => line.split(' ').forEach((w) => out.collect(w)));
 * ```
 */
export interface Collector<T> {
  collect(value: T): void;
}
