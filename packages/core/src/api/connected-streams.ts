/**
 * `ConnectedStreams<T1, T2>`: two streams processed by one two-input operator (Flink's
 * `ConnectedStreams`): `coMap`, `coFlatMap`, `process`, and, when keyed, keyed state and timers
 * and the seed's CoReduce.
 */
import { ConfigError } from '../errors.js';
import type { Collector } from '../functions/functions.js';
import type { CoProcessFunction, KeyedProcessContext, ProcessContext } from '../contract/process-functions.js';
import { ValueStateDescriptor } from '../state/descriptors.js';
import type { DataStream } from './data-stream.js';
import { DataStream as DataStreamClass } from './data-stream.js';
import { type KeySelector, toKeyFunction } from './field-types.js';
import { erased } from '../contract/plan.js';

/**
 * The seed's CoReduceFunction: rolling reduce per key on each side, mapped to one output type.
 *
 * @example
 * ```ts
 * const latest: CoReduceFunction<Quote, Trade, string> = {
 *   reduce1: (_acc, q) => q,
 *   reduce2: (acc, t) => ({ ...t, qty: acc.qty + t.qty }),
 *   map1: (q) => `quote ${q.symbol} ${q.bid}`,
 *   map2: (t) => `traded ${t.symbol} ${t.qty}`,
 * };
 * quotes.connect(trades).groupBy('symbol', 'symbol').reduce(latest);
 * ```
 */
export interface CoReduceFunction<T1, T2, R> {
  reduce1(accumulated: T1, value: T1): T1;
  reduce2(accumulated: T2, value: T2): T2;
  map1(value: T1): R;
  map2(value: T2): R;
}

/**
 * Two connected streams.
 *
 * @example
 * ```ts
 * const both = prices.connect(tweets).coMap((p) => p.symbol, (t) => t.symbol);
 * ```
 */
export class ConnectedStreams<T1, T2> {
  /** @internal */
  constructor(
    private readonly first: DataStream<T1>,
    private readonly second: DataStream<T2>,
    private readonly key1: ((v: T1) => unknown) | undefined,
    private readonly key2: ((v: T2) => unknown) | undefined,
  ) {}

  /**
   * One output per element of either input.
   *
   * @example
   * ```ts
   * a.connect(b).coMap((x) => `a:${x}`, (y) => `b:${y}`);
   * ```
   */
  coMap<R>(map1: (value: T1) => R, map2: (value: T2) => R): DataStream<R> {
    return this.twoInput<R>('CoMap', {
      processElement1: (v, _c, out) => out.collect(map1(v)),
      processElement2: (v, _c, out) => out.collect(map2(v)),
    });
  }

  /**
   * Zero or more outputs per element of either input.
   *
   * @example
   * ```ts
   * a.connect(b).coFlatMap((x, out) => out.collect(x), (y, out) => {});
   * ```
   */
  coFlatMap<R>(flatMap1: (value: T1, out: Collector<R>) => void, flatMap2: (value: T2, out: Collector<R>) => void): DataStream<R> {
    return this.twoInput<R>('CoFlatMap', {
      processElement1: (v, _c, out) => flatMap1(v, out),
      processElement2: (v, _c, out) => flatMap2(v, out),
    });
  }

  /**
   * A `CoProcessFunction`; on keyed connected streams its context has keyed state and timers.
   *
   * @example
   * ```ts
   * rules.keyBy('id').connect(events.keyBy('ruleId')); // or a.connect(b).keyBy('id', 'ruleId')
   * ```
   */
  process<R>(fn: CoProcessFunction<T1, T2, R, KeyedProcessContext<unknown>> | CoProcessFunction<T1, T2, R, ProcessContext>): DataStream<R> {
    return this.twoInput<R>('CoProcess', fn as CoProcessFunction<T1, T2, R, ProcessContext>);
  }

  /**
   * Partitions both inputs by key (field names or key functions); matching keys meet in the
   * same keyed state.
   *
   * @example
   * ```ts
   * orders.connect(payments).groupBy('orderId', 'orderId');
   * ```
   */
  groupBy(key1: KeySelector<T1>, key2: KeySelector<T2>): ConnectedStreams<T1, T2> {
    return new ConnectedStreams(this.first, this.second, toKeyFunction(key1), toKeyFunction(key2));
  }

  /**
   * Alias of {@link ConnectedStreams.groupBy}.
   *
   * @example
   * ```ts
   * a.connect(b).keyBy('id', (b) => b.ref);
   * ```
   */
  keyBy(key1: KeySelector<T1>, key2: KeySelector<T2>): ConnectedStreams<T1, T2> {
    return this.groupBy(key1, key2);
  }

  /**
   * The seed's CoReduce: per key, a rolling reduce of each side; an element of side 1 emits
   * `map1(reduced side-1 value)`, of side 2 `map2(reduced side-2 value)`. State is keyed state
   * (checkpointed).
   *
   * @example
   * ```ts
   * bids.connect(asks).groupBy('symbol', 'symbol').reduce({
   *   reduce1: (a, b) => (b.price > a.price ? b : a), reduce2: (a, b) => (b.price < a.price ? b : a),
   *   map1: (bid) => `best bid ${bid.price}`, map2: (ask) => `best ask ${ask.price}`,
   * });
   * ```
   */
  reduce<R>(fn: CoReduceFunction<T1, T2, R>): DataStream<R> {
    if (!this.key1) throw new ConfigError('CoReduce: connected streams must be keyed first: a.connect(b).groupBy(key1, key2).reduce(...)');
    const side1 = new ValueStateDescriptor<T1>('co-reduce-1');
    const side2 = new ValueStateDescriptor<T2>('co-reduce-2');
    return this.twoInput<R>('CoReduce', {
      processElement1(v, ctx, out) {
        const s = (ctx as KeyedProcessContext<unknown>).getState(side1);
        const cur = s.value();
        const next = cur === undefined ? v : fn.reduce1(cur, v);
        s.update(next);
        out.collect(fn.map1(next));
      },
      processElement2(v, ctx, out) {
        const s = (ctx as KeyedProcessContext<unknown>).getState(side2);
        const cur = s.value();
        const next = cur === undefined ? v : fn.reduce2(cur, v);
        s.update(next);
        out.collect(fn.map2(next));
      },
    });
  }

  private twoInput<R>(name: string, fn: CoProcessFunction<T1, T2, R, ProcessContext>): DataStream<R> {
    const keyed = this.key1 !== undefined;
    const env = this.first.env;
    if (this.second.env !== env) throw new ConfigError(`${name}: both streams must come from the same StreamEnvironment`);
    const partitioning = keyed ? 'hash' : 'forward';
    const id = env.addNode('coProcess', name, { fn: erased(fn), keySelector1: erased(this.key1), keySelector2: erased(this.key2) }, [
      this.first.asInput(partitioning, 0),
      this.second.asInput(partitioning, 1),
    ]);
    return new DataStreamClass<R>(env, id);
  }
}
