/**
 * What keyed and non-keyed windowed streams share: the window definition (assigner, trigger,
 * evictor), lateness handling, and the window functions that do not depend on the key.
 * Building validates the combination and appends one window node.
 */
import { aggregationFunction, type AggregationKind } from '../aggregation/accumulators.js';
import type { FieldName } from '../aggregation/field-access.js';
import { ConfigError } from '../errors.js';
import type { AggregateFunction, ReduceFunction } from '../functions/functions.js';
import { type Duration, toMillis } from '../time/time.js';
import type { Evictor } from '../contract/evictor.js';
import type { Trigger } from '../contract/trigger.js';
import type { ProcessWindowFunction, WindowFunctionSpec, WindowMapFunction } from '../contract/window-functions.js';
import type { WindowNodeSpec } from '../contract/plan.js';
import type { Window } from '../contract/window.js';
import type { Windowing, WindowPolicyLike } from '../contract/window-definition.js';
import { resolveWindowing } from './resolve-windowing.js';
import type { DataStream } from './data-stream.js';
import type { FieldArg, NumericField } from './field-types.js';
import type { OutputTag } from '../contract/output-tag.js';

/**
 * What keyed and non-keyed windowed streams share: the seed's `every`, `trigger`, `evictor`,
 * `allowedLateness`, `sideOutputLateData`, and the window functions (`reduce`, `aggregate`,
 * `sum`/`min`/`max`/`minBy`/`maxBy`, `mapWindow`). Get one from `window(...)` on a
 * `KeyedStream` ({@link WindowedStream}) or a `DataStream` ({@link AllWindowedStream}).
 *
 * @example
 * ```ts
 * ticks.keyBy('symbol')
 *   .window(TumblingEventTimeWindows.of(Time.seconds(10)))
 *   .allowedLateness(Time.seconds(5))
 *   .sideOutputLateData(late)
 *   .maxBy('price');
 * ```
 */
export abstract class WindowedStreamBase<T, K, W extends Window> {
  private windowing: Windowing<T, W>;
  private lateness = 0;
  private lateTag: string | undefined = undefined;

  /** @internal */
  constructor(
    protected readonly input: DataStream<T>,
    protected readonly keySelector: ((value: T) => unknown) | undefined,
    windowing: Windowing<T, W>,
    private readonly policy: unknown,
    protected readonly keyDescription: string,
  ) {
    this.windowing = windowing;
  }

  /**
   * The seed's slide: `window(Time.of(10, 'seconds')).every(Time.of(5, 'seconds'))` is a
   * sliding window of 10 s every 5 s; `window(Count.of(100)).every(Count.of(10))` the last 100
   * elements every 10.
   *
   * @example
   * ```ts
   * ticks.window(Time.of(10, 'seconds')).every(Time.of(5, 'seconds')).minBy('price');
   * ```
   */
  every(slide: WindowPolicyLike): this {
    if (this.policy === undefined) throw new ConfigError('every() applies to window(policy); this window was built without a policy');
    this.windowing = resolveWindowing(this.policy, slide) as Windowing<T, W>;
    return this;
  }

  /**
   * Replaces the assigner's default trigger.
   *
   * @example
   * ```ts
   * keyed.window(GlobalWindows.create()).trigger(CountTrigger.of(100));
   * ```
   */
  trigger(trigger: Trigger<T, W>): this {
    this.windowing = { ...this.windowing, trigger };
    return this;
  }

  /**
   * Sets an evictor: elements are buffered and removed before/after the window function.
   *
   * @example
   * ```ts
   * keyed.window(GlobalWindows.create()).evictor(TimeEvictor.of(Time.seconds(10)));
   * ```
   */
  evictor(evictor: Evictor<T, W>): this {
    this.windowing = { ...this.windowing, evictor };
    return this;
  }

  /**
   * Keeps window state for `lateness` after the window's end: elements arriving in that time
   * update the window (it fires again); later ones are late.
   *
   * @example
   * ```ts
   * keyed.window(TumblingEventTimeWindows.of(Time.seconds(10))).allowedLateness(Time.seconds(5));
   * ```
   */
  allowedLateness(lateness: Duration): this {
    const ms = toMillis(lateness);
    if (!(ms >= 0)) throw new ConfigError(`allowedLateness must not be negative (got ${ms} ms)`);
    this.lateness = ms;
    return this;
  }

  /**
   * Sends late elements to a side output instead of dropping them.
   *
   * @example
   * ```ts
   * const late = new OutputTag<Tick>('late');
   * const result = keyed.window(assigner).sideOutputLateData(late).sum('volume');
   * result.getSideOutput(late).print('late');
   * ```
   */
  sideOutputLateData(tag: OutputTag<T>): this {
    this.lateTag = tag.id;
    return this;
  }

  /**
   * Incremental reduce per window; with a process function, it receives the one reduced value.
   *
   * @example
   * ```ts
   * windowed.reduce((a, b) => (a.price >= b.price ? a : b));
   * ```
   */
  reduce(fn: ReduceFunction<T>): DataStream<T>;
  reduce<R>(fn: ReduceFunction<T>, process: ProcessWindowFunction<T, R, K, W>): DataStream<R>;
  reduce<R>(fn: ReduceFunction<T>, process?: ProcessWindowFunction<T, R, K, W>): DataStream<R> {
    return this.build({ kind: 'reduce', reduce: fn as ReduceFunction<unknown>, process: process as never }, 'ReduceFunction');
  }

  /**
   * Incremental aggregation with an accumulator per window.
   *
   * @example
   * ```ts
   * windowed.aggregate({ createAccumulator: () => 0, add: (t, n) => n + 1, getResult: (n) => n, merge: (a, b) => a + b });
   * ```
   */
  aggregate<ACC, R>(fn: AggregateFunction<T, ACC, R>): DataStream<R>;
  aggregate<ACC, V, R>(fn: AggregateFunction<T, ACC, V>, process: ProcessWindowFunction<V, R, K, W>): DataStream<R>;
  aggregate<ACC, V, R>(fn: AggregateFunction<T, ACC, V>, process?: ProcessWindowFunction<V, R, K, W>): DataStream<R> {
    return this.build(
      { kind: 'aggregate', aggregate: fn as AggregateFunction<unknown, unknown, unknown>, process: process as never },
      'AggregateFunction',
    );
  }

  /**
   * The seed's `mapWindow`: `(elements, out)` per window.
   *
   * @example
   * ```ts
   * windowed.mapWindow((ticks, out) => out.collect(ticks.reduce((s, t) => s + t.price, 0) / ticks.length));
   * ```
   */
  mapWindow<R>(fn: WindowMapFunction<T, R>): DataStream<R> {
    return this.build({ kind: 'process', process: (_k, _ctx, elements, out) => fn(elements as T[], out as never) }, 'WindowMapFunction');
  }

  /** Sum of a numeric field per window (the window's first element with the field replaced). @example `windowed.sum('volume')` */
  sum(...field: FieldArg<T>): DataStream<T> {
    return this.aggregation('sum', field[0] as FieldName);
  }
  /** Minimum of a field per window (other fields from the window's first element). @example `windowed.min('price')` */
  min(...field: FieldArg<T>): DataStream<T> {
    return this.aggregation('min', field[0] as FieldName);
  }
  /** Maximum of a field per window (other fields from the window's first element). @example `windowed.max('price')` */
  max(...field: FieldArg<T>): DataStream<T> {
    return this.aggregation('max', field[0] as FieldName);
  }
  /** Element with the smallest field value per window; first on ties unless `first = false`. @example `windowed.minBy('price')` */
  minBy(field: NumericField<T>, first = true): DataStream<T> {
    return this.aggregation('minBy', field as FieldName, first);
  }
  /** Element with the largest field value per window; first on ties unless `first = false`. @example `windowed.maxBy('price')` */
  maxBy(field: NumericField<T>, first = true): DataStream<T> {
    return this.aggregation('maxBy', field as FieldName, first);
  }

  private aggregation(kind: AggregationKind, field: FieldName, first = true): DataStream<T> {
    const label = field === undefined ? kind : `${kind}(${String(field)})`;
    return this.build({ kind: 'aggregate', aggregate: aggregationFunction(kind, field, first) as AggregateFunction<unknown, unknown, unknown> }, label);
  }

  /** @internal Validates the window definition and appends the window node. */
  protected build<R>(fn: WindowFunctionSpec, fnName: string): DataStream<R> {
    const { assigner, evictor } = this.windowing;
    const trigger = this.windowing.trigger ?? assigner.getDefaultTrigger();
    const name = `Window(${describe(assigner)}, ${describe(trigger)}${evictor ? `, ${describe(evictor)}` : ''}, ${fnName})`;
    if (typeof assigner.mergeWindows === 'function' && !trigger.canMerge?.()) {
      throw new ConfigError(`${name}: the merging assigner ${describe(assigner)} needs a trigger that can merge; ${describe(trigger)} cannot`);
    }
    if (typeof assigner.mergeWindows === 'function' && fn.kind === 'aggregate' && !fn.aggregate.merge && !evictor) {
      throw new ConfigError(`${name}: session (merging) windows need an AggregateFunction with merge()`);
    }
    const spec: WindowNodeSpec = {
      keySelector: this.keySelector as ((value: unknown) => unknown) | undefined,
      assigner: assigner as never,
      trigger: trigger as never,
      evictor: evictor as never,
      allowedLateness: this.lateness,
      lateDataTag: this.lateTag,
      fn,
      defaultTrigger: this.windowing.trigger === undefined,
    };
    return this.input.append('window', name, spec, this.keySelector ? 'hash' : 'forward');
  }
}

function describe(x: object): string {
  const s = String(x);
  return s === '[object Object]' ? (x.constructor?.name ?? 'custom') : s;
}
