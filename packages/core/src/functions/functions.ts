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
 * What a synchronous user function may return: anything but a Promise (or another object with a
 * `then` method). Process and flatMap functions are typed to return it, so an `async` function
 * is a compile error there; use `mapAsync` for asynchronous work.
 *
 * @example
 * ```ts
 * const ok: (x: number) => NotAPromise = (x) => console.log(x);
 * // @ts-expect-error an async function returns a Promise
 * const refused: (x: number) => NotAPromise = async (x) => console.log(x);
 * ```
 */
export type NotAPromise = void | null | undefined | boolean | number | string | bigint | symbol | (object & { readonly then?: never });

/**
 * A map function's result type, or an explanation in place of it when the function returns a
 * Promise: `map(async (x) => ...)` does not compile.
 *
 * @example
 * ```ts
 * const fn: (x: number) => SyncResult<string> = (x) => String(x);
 * ```
 */
export type SyncResult<R> = R extends PromiseLike<unknown>
  ? { readonly 'map() got a function that returns a Promise: use stream.mapAsync(fn, { capacity, timeoutMs }) for asynchronous work': never }
  : R;

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

/**
 * A flatMap function: collect outputs, or return them as an iterable.
 *
 * @example
 * ```ts
 * const words: FlatMapFunction<string, string> = (line) => line.split(' ');
 * lines.flatMap(words);
 * ```
 */
export type FlatMapFunction<IN, OUT> = (value: IN, out: Collector<OUT>) => Iterable<OUT> | NotAPromise;
