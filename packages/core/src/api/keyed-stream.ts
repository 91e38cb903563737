/**
 * `KeyedStream<T, K>`: a stream partitioned by key. Rolling aggregations emit one result per
 * input (Flink's semantics); `window(...)` and `countWindow(...)` open windows per key;
 * `process(...)` gives keyed state and timers.
 */
import { aggregationReducer, type AggregationKind } from '../aggregation/accumulators.js';
import type { FieldName } from '../aggregation/field-access.js';
import { ConfigError } from '../errors.js';
import type { ReduceFunction } from '../functions/functions.js';
import type { KeyedProcessFunction } from '../contract/process-functions.js';
import type { Time } from '../time/time.js';
import type { GlobalWindow, TimeWindow, Window } from '../contract/window.js';
import type { WindowSpec } from '../contract/window-definition.js';
import { countWindowing, resolveWindowing } from './resolve-windowing.js';
import type { DataStream } from './data-stream.js';
import { describeSelector, type FieldArg, type KeySelector, type NumericField, toKeyFunction } from './field-types.js';
import { WindowedStream } from './windowed-stream.js';
import { IntervalJoin } from './interval-join.js';
import { BroadcastStream, KeyedBroadcastConnectedStream } from './broadcast-stream.js';
import { ConnectedStreams } from './connected-streams.js';
import { erased } from '../contract/plan.js';

/**
 * A stream partitioned by a key of type `K`.
 *
 * @example
 * ```ts
 * const bySymbol = ticks.keyBy('symbol');
 * bySymbol.maxBy('price');                                      // rolling
 * bySymbol.window(TumblingEventTimeWindows.of(Time.seconds(10))).sum('volume'); // windowed
 * ```
 */
export class KeyedStream<T, K> {
  /** @internal */
  readonly keySelector: (value: T) => unknown;

  /** @internal */
  constructor(
    /** @internal */ readonly input: DataStream<T>,
    private readonly selector: KeySelector<T>,
  ) {
    if (selector === undefined || selector === null) throw new ConfigError('keyBy(): a field name or key function is required');
    this.keySelector = toKeyFunction(selector);
  }

  /** @internal */
  describeKey(): string {
    return describeSelector(this.selector);
  }

  private rolling(kind: AggregationKind, field: FieldName, first = true): DataStream<T> {
    const label = field === undefined ? kind : `${kind}(${String(field)})`;
    return this.input.append('keyedReduce', `Keyed Aggregation: ${label}`, { keySelector: erased(this.keySelector), reduce: erased(aggregationReducer<T>(kind, field, first)) }, 'hash');
  }

  /**
   * Rolling sum of a numeric field per key: the key's first element with the field replaced by
   * the running sum, one output per input. On a stream of numbers, call it without a field.
   *
   * @example
   * ```ts
   * counts.keyBy('symbol').sum('count');
   * ```
   */
  sum(...field: FieldArg<T>): DataStream<T> {
    return this.rolling('sum', field[0] as FieldName);
  }

  /**
   * Rolling minimum of a field: only that field changes, the other fields stay those of the
   * key's first element.
   *
   * @example
   * ```ts
   * ticks.keyBy('symbol').min('price');
   * ```
   */
  min(...field: FieldArg<T>): DataStream<T> {
    return this.rolling('min', field[0] as FieldName);
  }

  /**
   * Rolling maximum of a field (other fields from the key's first element).
   *
   * @example
   * ```ts
   * ticks.keyBy('symbol').max('price');
   * ```
   */
  max(...field: FieldArg<T>): DataStream<T> {
    return this.rolling('max', field[0] as FieldName);
  }

  /**
   * Rolling element with the smallest field value; on ties the first (or, with
   * `first = false`, the latest) such element.
   *
   * @example
   * ```ts
   * ticks.keyBy('symbol').minBy('price');
   * ```
   */
  minBy(field: NumericField<T>, first = true): DataStream<T> {
    return this.rolling('minBy', field as FieldName, first);
  }

  /**
   * Rolling element with the largest field value; on ties the first (or the latest).
   *
   * @example
   * ```ts
   * ticks.keyBy('symbol').maxBy('price');
   * ```
   */
  maxBy(field: NumericField<T>, first = true): DataStream<T> {
    return this.rolling('maxBy', field as FieldName, first);
  }

  /**
   * Rolling reduce: the first element of a key is emitted as it is, then
   * `reduce(accumulated, element)` for each following element.
   *
   * @example
   * ```ts
   * counts.keyBy('word').reduce((a, b) => ({ word: a.word, n: a.n + b.n }));
   * ```
   */
  reduce(fn: ReduceFunction<T>): DataStream<T> {
    return this.input.append('keyedReduce', 'Keyed Reduce', { keySelector: erased(this.keySelector), reduce: erased(fn) }, 'hash');
  }

  /**
   * A {@link KeyedProcessFunction} with keyed state and timers.
   *
   * @example
   * ```ts
   * events.keyBy('user').process({
   *   processElement(e, ctx, out) { ctx.timerService().registerEventTimeTimer(ctx.timestamp + 1000); },
   *   onTimer(ts, ctx, out) { out.collect(`${ctx.getCurrentKey()} @ ${ts}`); },
   * });
   * ```
   */
  process<R>(fn: KeyedProcessFunction<K, T, R>): DataStream<R> {
    return this.input.append('keyedProcess', 'Keyed Process', { keySelector: erased(this.keySelector), fn: erased(fn) }, 'hash');
  }

  /**
   * Connects another stream: a {@link BroadcastStream} for the broadcast state pattern (a
   * `KeyedBroadcastProcessFunction` with keyed state, timers and read-only broadcast state on
   * this side); another keyed stream for keyed connected streams (as `a.connect(b).keyBy(ka, kb)`);
   * a plain stream for non-keyed connected streams.
   *
   * @example
   * ```ts
   * events.keyBy('user').connect(limits.broadcast(limitState)).process(checkLimits);
   * orders.keyBy('id').connect(payments.keyBy('orderId')).process(matchPayments);
   * ```
   */
  connect<T2>(other: BroadcastStream<T2>): KeyedBroadcastConnectedStream<T, K, T2>;
  connect<T2>(other: KeyedStream<T2, K>): ConnectedStreams<T, T2>;
  connect<T2>(other: DataStream<T2>): ConnectedStreams<T, T2>;
  connect<T2>(other: BroadcastStream<T2> | KeyedStream<T2, K> | DataStream<T2>): KeyedBroadcastConnectedStream<T, K, T2> | ConnectedStreams<T, T2> {
    if (other instanceof BroadcastStream) return new KeyedBroadcastConnectedStream<T, K, T2>(this.input, this.keySelector, other);
    if (other instanceof KeyedStream) return new ConnectedStreams<T, T2>(this.input, other.input, this.keySelector, other.keySelector);
    return new ConnectedStreams<T, T2>(this.input, other, undefined, undefined);
  }

  /**
   * Interval join with another keyed stream (same key type): pairs elements of equal keys whose
   * timestamps are close, `between(lower, upper)` relative to this stream's element.
   *
   * @example
   * ```ts
   * orders.keyBy('id').intervalJoin(payments.keyBy('orderId'))
   *   .between(0, Time.minutes(15))
   *   .process<string>((order, payment, _ctx, out) => out.collect(`${order.id} paid ${payment.amount}`));
   * ```
   */
  intervalJoin<T2>(other: KeyedStream<T2, K>): IntervalJoin<T, T2, K> {
    return new IntervalJoin<T, T2, K>(this, other);
  }

  /**
   * Windows per key: an assigner, or the seed's policies (`Time.of`, `Count.of`, `Delta.of`,
   * then optionally `.every(...)`).
   *
   * @example
   * ```ts
   * ticks.keyBy('symbol').window(SlidingEventTimeWindows.of(Time.seconds(10), Time.seconds(5)));
   * ticks.groupBy('symbol').window(Time.of(10, 'seconds')).every(Time.of(5, 'seconds'));
   * ```
   */
  window(spec: Time): WindowedStream<T, K, TimeWindow>;
  window<W extends Window>(spec: WindowSpec<T, W>): WindowedStream<T, K, W>;
  window<W extends Window>(spec: WindowSpec<T, W> | Time): WindowedStream<T, K, W> {
    return new WindowedStream<T, K, W>(this.input, this.keySelector, resolveWindowing(spec) as never, spec, this.describeKey());
  }

  /**
   * Count windows per key (modern Flink): `countWindow(n)` fires and purges every n elements;
   * `countWindow(size, slide)` fires every `slide` elements over the last `size`. A partial
   * window is not emitted at the end of input.
   *
   * @example
   * ```ts
   * ticks.keyBy('symbol').countWindow(100, 10).sum('volume');
   * ```
   */
  countWindow(size: number, slide?: number): WindowedStream<T, K, GlobalWindow> {
    const windowing = countWindowing(size, slide);
    return new WindowedStream<T, K, GlobalWindow>(this.input, this.keySelector, windowing as never, undefined, this.describeKey());
  }
}
