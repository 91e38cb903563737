/**
 * Window functions: what runs when a window fires. `reduce` and `aggregate` fold incrementally
 * (one accumulator per key and window); `process`, `apply` and `mapWindow` see all elements.
 */
import type { OutputTag } from './output-tag.js';
import type { AggregateFunction, Collector, NotAPromise, ReduceFunction } from '../functions/functions.js';
import type { KeyedStateStore } from '../state/state-types.js';
import type { Window } from './window.js';

/**
 * Context of a {@link ProcessWindowFunction} call (Flink's `ProcessWindowFunction.Context`).
 *
 * @example
 * ```ts
 * (key, ctx, elements, out) => out.collect({ key, start: ctx.window.start, n: elements.length })
 * ```
 */
export interface WindowContext<W extends Window> {
  readonly window: W;
  /** The operator's watermark when the window fires. */
  readonly currentWatermark: number;
  readonly currentProcessingTime: number;
  /** State scoped to this key and window (clear it in `clear`). */
  windowState(): KeyedStateStore;
  /** State scoped to this key, shared by all its windows. */
  globalState(): KeyedStateStore;
  output<X>(tag: OutputTag<X>, value: X): void;
}

/**
 * Flink's `ProcessWindowFunction`: `(key, context, elements, out)`. On a non-keyed window the key
 * is `undefined`. The elements array is a copy the function may keep.
 *
 * @example
 * ```ts
 * const count: ProcessWindowFunction<Tick, string, string, TimeWindow> =
 *   (symbol, ctx, ticks, out) => out.collect(`${symbol}@${ctx.window.start}: ${ticks.length}`);
 * ```
 */
export type ProcessWindowFunction<IN, OUT, K, W extends Window> =
  | ((key: K, context: WindowContext<W>, elements: readonly IN[], out: Collector<OUT>) => NotAPromise)
  | {
      process(key: K, context: WindowContext<W>, elements: readonly IN[], out: Collector<OUT>): NotAPromise;
      /** The window is discarded (after allowed lateness): clear `windowState()` here. */
      clear?(context: WindowContext<W>): void;
    };

/**
 * Flink's `WindowFunction` (`apply` on a keyed window): `(key, window, elements, out)`.
 *
 * @example
 * ```ts
 * windowed.apply((key, window, elements, out) => out.collect(elements.length));
 * ```
 */
export type WindowFunction<IN, OUT, K, W extends Window> = (key: K, window: W, elements: readonly IN[], out: Collector<OUT>) => NotAPromise;

/**
 * Flink's `AllWindowFunction` (`apply` on a non-keyed window): `(window, elements, out)`.
 *
 * @example
 * ```ts
 * allWindowed.apply((window, elements, out) => out.collect(elements.length));
 * ```
 */
export type AllWindowFunction<IN, OUT, W extends Window> = (window: W, elements: readonly IN[], out: Collector<OUT>) => NotAPromise;

/**
 * The seed's `WindowMapFunction`: `(elements, out)`.
 *
 * @example
 * ```ts
 * windowed.mapWindow((ticks, out) => out.collect(ticks.length));
 * ```
 */
export type WindowMapFunction<IN, OUT> = (elements: readonly IN[], out: Collector<OUT>) => NotAPromise;

/** How a window operator computes its result; built by the API, read by the operator. @internal */
export type WindowFunctionSpec =
  | { readonly kind: 'reduce'; readonly reduce: ReduceFunction<unknown>; readonly process?: ProcessWindowFunction<unknown, unknown, unknown, Window> }
  | {
      readonly kind: 'aggregate';
      readonly aggregate: AggregateFunction<unknown, unknown, unknown>;
      readonly process?: ProcessWindowFunction<unknown, unknown, unknown, Window>;
    }
  | { readonly kind: 'process'; readonly process: ProcessWindowFunction<unknown, unknown, unknown, Window> };
