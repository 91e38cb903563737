/**
 * `WindowedStream<T, K, W>`: windows per key. Functions see the key.
 */
import type { Collector } from '../functions/functions.js';
import type { ProcessWindowFunction, WindowFunction } from '../contract/window-functions.js';
import type { Window } from '../contract/window.js';
import type { DataStream } from './data-stream.js';
import { WindowedStreamBase } from './windowed-stream-base.js';

/**
 * A keyed stream cut into windows.
 *
 * @example
 * ```ts
 * ticks.keyBy('symbol')
 *   .window(TumblingEventTimeWindows.of(Time.seconds(10)))
 *   .process((symbol, ctx, ticks, out) => out.collect({ symbol, end: ctx.window.end, n: ticks.length }));
 * ```
 */
export class WindowedStream<T, K, W extends Window> extends WindowedStreamBase<T, K, W> {
  /**
   * Flink's `ProcessWindowFunction`: `(key, context, elements, out)`.
   *
   * @example
   * ```ts
   * windowed.process((key, ctx, elements, out) => out.collect(`${key}: ${elements.length} in [${ctx.window.start}, ${ctx.window.end})`));
   * ```
   */
  process<R>(fn: ProcessWindowFunction<T, R, K, W>): DataStream<R> {
    return this.build({ kind: 'process', process: fn as never }, 'ProcessWindowFunction');
  }

  /**
   * Flink's `WindowFunction`: `(key, window, elements, out)`.
   *
   * @example
   * ```ts
   * windowed.apply((key, window, elements, out) => out.collect(elements.length));
   * ```
   */
  apply<R>(fn: WindowFunction<T, R, K, W>): DataStream<R> {
    return this.build(
      { kind: 'process', process: ((key: K, ctx: { window: W }, elements: readonly T[], out: Collector<R>) => fn(key, ctx.window, elements, out)) as never },
      'WindowFunction',
    );
  }
}
