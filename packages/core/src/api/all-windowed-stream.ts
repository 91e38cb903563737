/**
 * `AllWindowedStream<T, W>`: windows over a whole, non-keyed stream (Flink's `windowAll`, the
 * seed's `stream.window(...)`). The seed's `window(...).every(...).groupBy(f)` computes the
 * windows over the whole stream and applies the function per group.
 */
import type { Collector } from '../functions/functions.js';
import type { AllWindowFunction, ProcessWindowFunction } from '../contract/window-functions.js';
import type { Window } from '../contract/window.js';
import type { Windowing } from '../contract/window-definition.js';
import type { DataStream } from './data-stream.js';
import type { KeyOf, KeySelector } from './field-types.js';
import { describeSelector } from './field-types.js';
import { GroupedAllWindowedStream } from './grouped-all-windowed-stream.js';
import { WindowedStreamBase } from './windowed-stream-base.js';

/**
 * A non-keyed stream cut into windows.
 *
 * @example
 * ```ts
 * ticks.window(Time.of(10, 'seconds')).every(Time.of(5, 'seconds')).minBy('price');
 * ```
 */
export class AllWindowedStream<T, W extends Window> extends WindowedStreamBase<T, undefined, W> {
  /** @internal */
  constructor(input: DataStream<T>, windowing: Windowing<T, W>, policy: unknown) {
    super(input, undefined, windowing, policy, 'all');
  }

  /**
   * `(key, context, elements, out)` with `key` undefined (Flink's `ProcessAllWindowFunction`).
   *
   * @example
   * ```ts
   * allWindowed.process((_, ctx, elements, out) => out.collect(elements.length));
   * ```
   */
  process<R>(fn: ProcessWindowFunction<T, R, undefined, W>): DataStream<R> {
    return this.build({ kind: 'process', process: fn as never }, 'ProcessAllWindowFunction');
  }

  /**
   * Flink's `AllWindowFunction`: `(window, elements, out)`.
   *
   * @example
   * ```ts
   * allWindowed.apply((window, elements, out) => out.collect(elements.length));
   * ```
   */
  apply<R>(fn: AllWindowFunction<T, R, W>): DataStream<R> {
    return this.build(
      { kind: 'process', process: ((_k: undefined, ctx: { window: W }, elements: readonly T[], out: Collector<R>) => fn(ctx.window, elements, out)) as never },
      'AllWindowFunction',
    );
  }

  /**
   * The seed's grouping after windowing: windows over the whole stream, the function per group.
   *
   * @example
   * ```ts
   * ticks.window(Time.of(10, 'seconds')).every(Time.of(5, 'seconds')).groupBy('symbol').maxBy('price');
   * ```
   */
  groupBy<S extends KeySelector<T>>(selector: S): GroupedAllWindowedStream<T, KeyOf<T, S>, W> {
    return new GroupedAllWindowedStream<T, KeyOf<T, S>, W>(this, selector as KeySelector<T>, describeSelector(selector));
  }

  /** @internal Builds the window node with a given function (used by grouped windows). */
  buildWith<R>(process: ProcessWindowFunction<T, R, undefined, W>, fnName: string): DataStream<R> {
    return this.build({ kind: 'process', process: process as never }, fnName);
  }
}
