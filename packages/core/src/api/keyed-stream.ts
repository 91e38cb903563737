/**
 * `KeyedStream<T, K>`: a stream partitioned by key. Rolling aggregations emit one result per
 * input (Flink's semantics); `window(...)` and `countWindow(...)` open windows per key;
 * `process(...)` gives keyed state and timers.
 *
 * As in Flink a keyed stream is a data stream: `keyed.map(...)`, `filter`, `flatMap`, `mapAsync`,
 * `print`, `union` and the rest work on it, their edges hash-partitioned by the key. Only what a
 * keyed stream means differently is its own: `window` (per key), `process` (keyed state and
 * timers), `connect` (keyed connected or keyed broadcast streams). A keyed stream has no operator
 * of its own, so `name`, `uid` and `getSideOutput` belong to the stream it was keyed from.
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
import { DataStream } from './data-stream.js';
import type { StreamEnvironment } from './stream-environment.js';
import type { NodeKind, NodeSpecs } from '../contract/plan.js';
import { describeSelector, type FieldArg, type KeySelector, type NumericField, toKeyFunction } from './field-types.js';
import { WindowedStream } from './windowed-stream.js';
import { IntervalJoin } from './interval-join.js';
import { BroadcastStream, KeyedBroadcastConnectedStream } from './broadcast-stream.js';
import { ConnectedStreams } from './connected-streams.js';
import { erased } from '../contract/plan.js';

/**
 * The DataStream operations a keyed stream inherits as they are. `window`, `process` and `connect`
 * mean something else on a keyed stream (Flink overrides them too); `name`, `uid` and
 * `getSideOutput` address an operator, and a keyed stream has none of its own. TypeScript cannot
 * express an override whose return type is unrelated (`window` returns a `WindowedStream` here,
 * an `AllWindowedStream` on a DataStream), so the base type leaves them out; at run time the class
 * is DataStream's subclass (`keyed instanceof DataStream`).
 */
const DataStreamOfKeyedStream = DataStream as unknown as abstract new <T>(
  env: StreamEnvironment,
  nodeId: number,
  sideOutputTag?: string,
) => Omit<DataStream<T>, 'window' | 'process' | 'connect' | 'name' | 'uid' | 'getSideOutput' | 'append'> & {
  /** @internal */ append<R, KIND extends NodeKind>(kind: KIND, name: string, spec: NodeSpecs[KIND], partitioning?: 'forward' | 'hash'): DataStream<R>;
};

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
export class KeyedStream<T, K> extends DataStreamOfKeyedStream<T> {
  /** @internal Bivariant in T like DataStream's methods (a property of function type would make KeyedStream invariant). */
  readonly keySelector: { key(value: T): unknown }['key'];
  private readonly keyDescription: string;

  /** @internal */
  constructor(
    /** @internal */ readonly input: DataStream<T>,
    selector: KeySelector<T>,
  ) {
    super(input.env, input.nodeId, input.sideOutputTag);
    if (selector === undefined || selector === null) throw new ConfigError('keyBy(): a field name or key function is required');
    this.keySelector = toKeyFunction(selector);
    this.keyDescription = describeSelector(selector);
  }

  /** @internal DataStream operations on a keyed stream read it hash-partitioned, as Flink's. */
  override append<R, KIND extends NodeKind>(kind: KIND, name: string, spec: NodeSpecs[KIND]): DataStream<R> {
    return this.input.append<R, KIND>(kind, name, spec, 'hash');
  }

  /** @internal A keyed stream has no operator to name (JavaScript callers; TypeScript refuses it). */
  name(): never {
    throw new ConfigError('name() on a KeyedStream: name the operator before keyBy(), or the one after it');
  }

  /** @internal A keyed stream has no operator to give a uid (JavaScript callers). */
  uid(): never {
    throw new ConfigError('uid() on a KeyedStream: set the uid of the operator before keyBy(), or of the one after it');
  }

  /** @internal */
  getSideOutput(): never {
    throw new ConfigError('getSideOutput() on a KeyedStream: call it on the operator that emits the side output, before keyBy()');
  }

  /** @internal */
  describeKey(): string {
    return this.keyDescription;
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
