/**
 * Windowed coGroup (Flink's `CoGroupedStreams`): `a.coGroup(b).where(k1).equalTo(k2).window(w)
 * .apply((as, bs, out) => ...)` calls the function once per key and window with all elements of
 * either side that fell into it (one side may be empty); results are stamped with the window's
 * last timestamp. Built as Flink builds it: both inputs tagged and unioned, keyed by their own key
 * functions, windowed, and split by tag in the window function. The window join is a coGroup
 * whose function pairs every left element with every right one (joined-streams.ts).
 *
 * Example: keys by id, tumbling 10 ms windows; a = [{id 1 @2}, {id 2 @3}], b = [{id 1 @4}] gives
 * for window [0, 10): key 1 -> ([a1], [b1]), key 2 -> ([a2], []), both stamped 9.
 */
import type { Evictor } from '../contract/evictor.js';
import type { CoGroupFunction } from '../contract/join-functions.js';
import type { OutputTag } from '../contract/output-tag.js';
import { isThenable, promiseReturnedError } from '../contract/refuse-promise.js';
import type { Trigger } from '../contract/trigger.js';
import type { WindowAssigner } from '../contract/window-assigner.js';
import type { Window } from '../contract/window.js';
import { ConfigError } from '../errors.js';
import type { Collector } from '../functions/functions.js';
import type { Duration } from '../time/time.js';
import type { DataStream } from './data-stream.js';
import { type KeySelector, toKeyFunction } from './field-types.js';

/** @internal An element of either side of a two-stream window operation. */
export interface Tagged {
  readonly side: 0 | 1;
  readonly value: unknown;
}

/** @internal Tags both inputs and unions them. */
export function tagAndUnion<T1, T2>(first: DataStream<T1>, second: DataStream<T2>, label: string): DataStream<Tagged> {
  if (second.env !== first.env) throw new ConfigError(`${label}: both streams must come from the same StreamEnvironment`);
  const left = first.map((value): Tagged => ({ side: 0, value })).name(`${label}: tag left`);
  const right = second.map((value): Tagged => ({ side: 1, value })).name(`${label}: tag right`);
  return left.union(right);
}

/** @internal Splits a window's tagged elements into the two sides, in arrival order. */
export function splitSides(elements: readonly Tagged[]): [unknown[], unknown[]] {
  const lefts: unknown[] = [];
  const rights: unknown[] = [];
  for (const e of elements) (e.side === 0 ? lefts : rights).push(e.value);
  return [lefts, rights];
}

/**
 * Two streams to be grouped together per key and window; `where` picks the first stream's key.
 *
 * @example
 * ```ts
 * orders.coGroup(payments).where('id').equalTo('orderId')
 *   .window(TumblingEventTimeWindows.of(Time.minutes(1)))
 *   .apply<string>((os, ps, out) => { for (const o of os) out.collect(`${o.id}: ${ps.length} payments`); });
 * ```
 */
export class CoGroupedStreams<T1, T2> {
  /** @internal */
  constructor(
    private readonly first: DataStream<T1>,
    private readonly second: DataStream<T2>,
  ) {}

  /**
   * The key of the first stream (a field name or a key function).
   *
   * @example
   * ```ts
   * a.coGroup(b).where('id');
   * ```
   */
  where(key1: KeySelector<T1>): CoGroupWhere<T1, T2> {
    if (key1 === undefined || key1 === null) throw new ConfigError('coGroup().where(key): a field name or key function is required');
    return new CoGroupWhere(this.first, this.second, toKeyFunction(key1));
  }
}

/**
 * A coGroup with its first key; `equalTo` gives the second stream's key, whose values must equal
 * the first's to meet.
 *
 * @example
 * ```ts
 * a.coGroup(b).where('id').equalTo((x) => x.ref);
 * ```
 */
export class CoGroupWhere<T1, T2> {
  /** @internal */
  constructor(
    private readonly first: DataStream<T1>,
    private readonly second: DataStream<T2>,
    private readonly key1: (v: T1) => unknown,
  ) {}

  /**
   * The key of the second stream.
   *
   * @example
   * ```ts
   * a.coGroup(b).where('id').equalTo('id').window(TumblingEventTimeWindows.of(1000));
   * ```
   */
  equalTo(key2: KeySelector<T2>) {
    if (key2 === undefined || key2 === null) throw new ConfigError('coGroup().equalTo(key): a field name or key function is required');
    const k2 = toKeyFunction(key2);
    return {
      /**
       * The window in which elements meet.
       * @example `.window(TumblingEventTimeWindows.of(Time.seconds(30)))`
       */
      window: <W extends Window>(assigner: WindowAssigner<unknown, W>) => new CoGroupWindow<T1, T2, W>(this.first, this.second, this.key1, k2, assigner),
    };
  }
}

/**
 * A coGroup with its window chosen; `apply` builds it.
 *
 * @example
 * ```ts
 * coGrouped.allowedLateness(Time.seconds(5)).apply((as, bs, out) => out.collect(as.length + bs.length));
 * ```
 */
export class CoGroupWindow<T1, T2, W extends Window> {
  private trig: Trigger<unknown, W> | undefined;
  private evict: Evictor<unknown, W> | undefined;
  private lateness: Duration = 0;
  private lateTag: OutputTag<unknown> | undefined;
  /** @internal Names the window operator (a join built on the coGroup says so). */
  operatorName = 'Window CoGroup';
  /** @internal Prefix of the names of the two tagging maps (`CoGroup: tag left`). */
  tagLabel = 'CoGroup';

  /** @internal */
  constructor(
    private readonly first: DataStream<T1>,
    private readonly second: DataStream<T2>,
    private readonly key1: (v: T1) => unknown,
    private readonly key2: (v: T2) => unknown,
    private readonly assigner: WindowAssigner<unknown, W>,
  ) {}

  /** @example `coGrouped.trigger(CountTrigger.of(10))` */
  trigger(t: Trigger<unknown, W>): this {
    this.trig = t;
    return this;
  }
  /** @example `coGrouped.evictor(CountEvictor.of(100))` */
  evictor(e: Evictor<unknown, W>): this {
    this.evict = e;
    return this;
  }
  /** @example `coGrouped.allowedLateness(1000)` */
  allowedLateness(lateness: Duration): this {
    this.lateness = lateness;
    return this;
  }
  /**
   * Elements too late for every window they belong to go to this side output (tagged with the
   * side they came from, as `{ side: 0 | 1, value }`).
   * @example `coGrouped.sideOutputLateData(new OutputTag<{ side: 0 | 1; value: unknown }>('late'))`
   */
  sideOutputLateData(tag: OutputTag<{ readonly side: 0 | 1; readonly value: unknown }>): this {
    this.lateTag = tag as OutputTag<unknown>;
    return this;
  }

  /**
   * Builds the coGroup: `fn(firstElements, secondElements, out)` once per key and window.
   *
   * @example
   * ```ts
   * coGrouped.apply<[number, number]>((as, bs, out) => out.collect([as.length, bs.length]));
   * ```
   */
  apply<R>(fn: CoGroupFunction<T1, T2, R>): DataStream<R> {
    if (typeof fn !== 'function') throw new ConfigError('coGroup().apply(fn): fn must be a function (first, second, out)');
    const { key1, key2, operatorName } = this;
    const keyed = tagAndUnion(this.first, this.second, this.tagLabel).keyBy((t: Tagged) => (t.side === 0 ? key1(t.value as T1) : key2(t.value as T2)));
    let windowed = keyed.window(this.assigner as WindowAssigner<Tagged, W>).allowedLateness(this.lateness);
    if (this.trig) windowed = windowed.trigger(this.trig);
    if (this.evict) windowed = windowed.evictor(this.evict);
    if (this.lateTag) windowed = windowed.sideOutputLateData(this.lateTag as OutputTag<Tagged>);
    return windowed
      .process<R>((_key, _ctx, elements, out: Collector<R>) => {
        const [lefts, rights] = splitSides(elements);
        const result: unknown = fn(lefts as T1[], rights as T2[], out);
        if (isThenable(result)) throw promiseReturnedError(operatorName, 'coGroup function', result);
      })
      .name(operatorName);
  }
}
