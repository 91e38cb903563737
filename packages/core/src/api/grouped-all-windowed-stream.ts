/**
 * The seed's `window(...).groupBy(f)`: "window sizes and slide sizes are calculated on the whole
 * stream (in a central fashion), but the user defined functions are applied on a per group
 * basis". Each firing window's elements are grouped by key (groups in order of first
 * appearance) and the aggregation runs per group.
 */
import { aggregationReducer, type AggregationKind } from '../aggregation/accumulators.js';
import type { FieldName } from '../aggregation/field-access.js';
import type { Collector, ReduceFunction } from '../functions/functions.js';
import { normalizeKey } from '../state/keys.js';
import type { WindowContext, WindowMapFunction } from '../contract/window-functions.js';
import type { Window } from '../contract/window.js';
import type { AllWindowedStream } from './all-windowed-stream.js';
import type { DataStream } from './data-stream.js';
import { type KeySelector, type NumericField, toKeyFunction } from './field-types.js';

/**
 * Central windows, per-group functions.
 *
 * @example
 * ```ts
 * ticks.window(Time.of(10, 'seconds')).every(Time.of(5, 'seconds')).groupBy('symbol').maxBy('price');
 * ```
 */
export class GroupedAllWindowedStream<T, K, W extends Window> {
  private readonly keyOf: (value: T) => unknown;

  /** @internal */
  constructor(
    private readonly windowed: AllWindowedStream<T, W>,
    selector: KeySelector<T>,
    private readonly keyName: string,
  ) {
    this.keyOf = toKeyFunction(selector);
  }

  private groups(elements: readonly T[]): Array<[K, T[]]> {
    const byKey = new Map<unknown, [K, T[]]>();
    for (const e of elements) {
      const key = this.keyOf(e);
      const id = normalizeKey(key, `grouped by ${this.keyName}`);
      let g = byKey.get(id);
      if (!g) byKey.set(id, (g = [key as K, []]));
      g[1].push(e);
    }
    return [...byKey.values()];
  }

  /**
   * Per-group process function `(key, context, elements, out)`.
   *
   * @example
   * ```ts
   * grouped.process((symbol, ctx, ticks, out) => out.collect({ symbol, n: ticks.length }));
   * ```
   */
  process<R>(fn: (key: K, context: WindowContext<W>, elements: readonly T[], out: Collector<R>) => void): DataStream<R> {
    return this.windowed.buildWith<R>((_k, ctx, elements, out) => {
      for (const [key, group] of this.groups(elements)) fn(key, ctx, group, out);
    }, `grouped by ${this.keyName}`);
  }

  /**
   * The seed's `mapWindow` per group.
   *
   * @example
   * ```ts
   * grouped.mapWindow((ticks, out) => out.collect(ticks.length));
   * ```
   */
  mapWindow<R>(fn: WindowMapFunction<T, R>): DataStream<R> {
    return this.process<R>((_k, _ctx, group, out) => fn(group, out));
  }

  /**
   * Reduce per group and window.
   *
   * @example
   * ```ts
   * grouped.reduce((a, b) => (a.price > b.price ? a : b));
   * ```
   */
  reduce(fn: ReduceFunction<T>): DataStream<T> {
    return this.process<T>((_k, _ctx, group, out) => {
      let acc = group[0] as T;
      for (let i = 1; i < group.length; i++) acc = fn(acc, group[i] as T);
      out.collect(acc);
    });
  }

  private aggregation(kind: AggregationKind, field: FieldName, first = true): DataStream<T> {
    return this.reduce(aggregationReducer<T>(kind, field, first));
  }

  /** @example `grouped.sum('count')` */
  sum(field: NumericField<T>): DataStream<T> {
    return this.aggregation('sum', field as FieldName);
  }
  /** @example `grouped.min('price')` */
  min(field: NumericField<T>): DataStream<T> {
    return this.aggregation('min', field as FieldName);
  }
  /** @example `grouped.max('price')` */
  max(field: NumericField<T>): DataStream<T> {
    return this.aggregation('max', field as FieldName);
  }
  /** @example `grouped.minBy('price')` */
  minBy(field: NumericField<T>, first = true): DataStream<T> {
    return this.aggregation('minBy', field as FieldName, first);
  }
  /** @example `grouped.maxBy('price')` */
  maxBy(field: NumericField<T>, first = true): DataStream<T> {
    return this.aggregation('maxBy', field as FieldName, first);
  }
}
