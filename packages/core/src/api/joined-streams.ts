/**
 * Window joins (Flink's `JoinedStreams`): `a.join(b).where(k1).equalTo(k2).window(w).apply(f)`
 * calls `f(x, y)` for every pair of an `a` element and a `b` element with equal keys in the
 * same window, results stamped with the window's last timestamp. A join is a coGroup (Flink
 * builds it the same way): the coGroup function pairs every element of one side with every
 * element of the other.
 */
import type { Evictor } from '../contract/evictor.js';
import type { Trigger } from '../contract/trigger.js';
import type { WindowAssigner } from '../contract/window-assigner.js';
import type { Window } from '../contract/window.js';
import type { Duration } from '../time/time.js';
import { CoGroupedStreams, splitSides, type Tagged, tagAndUnion } from './co-grouped-streams.js';
import type { DataStream } from './data-stream.js';
import { type KeySelector } from './field-types.js';

export { type Tagged, tagAndUnion };

/** @internal Every (left, right) pair of a window's tagged elements, in arrival order. */
export function crossPairs<R>(elements: readonly Tagged[], fn: (a: unknown, b: unknown) => R, emit: (r: R) => void): void {
  const [lefts, rights] = splitSides(elements);
  for (const a of lefts) for (const b of rights) emit(fn(a, b));
}

/**
 * @example
 * ```ts
 * a.join(b).where('id').equalTo('id').window(TumblingEventTimeWindows.of(Time.seconds(5))).apply((x, y) => ({ x, y }));
 * ```
 */
export class JoinedStreams<T1, T2> {
  /** @internal */
  constructor(
    private readonly first: DataStream<T1>,
    private readonly second: DataStream<T2>,
  ) {}

  /** Key of the first stream. @example `a.join(b).where('symbol')` */
  where(key1: KeySelector<T1>) {
    return {
      /** Key of the second stream. @example `.equalTo('symbol')` */
      equalTo: (key2: KeySelector<T2>) => ({
        /** The join window. @example `.window(TumblingEventTimeWindows.of(Time.seconds(30)))` */
        window: <W extends Window>(assigner: WindowAssigner<unknown, W>) => new JoinWindow<T1, T2, W>(this.first, this.second, key1, key2, assigner),
      }),
    };
  }
}

/**
 * A join with its window chosen; `apply` builds it.
 *
 * @example
 * ```ts
 * joined.allowedLateness(Time.seconds(1)).apply((w, t) => [w.count, t.count]);
 * ```
 */
export class JoinWindow<T1, T2, W extends Window> {
  private trig: Trigger<unknown, W> | undefined;
  private evict: Evictor<unknown, W> | undefined;
  private lateness: Duration = 0;

  /** @internal */
  constructor(
    private readonly first: DataStream<T1>,
    private readonly second: DataStream<T2>,
    private readonly key1: KeySelector<T1>,
    private readonly key2: KeySelector<T2>,
    private readonly assigner: WindowAssigner<unknown, W>,
  ) {}

  /** @example `joined.trigger(CountTrigger.of(10))` */
  trigger(t: Trigger<unknown, W>): this {
    this.trig = t;
    return this;
  }
  /** @example `joined.evictor(CountEvictor.of(100))` */
  evictor(e: Evictor<unknown, W>): this {
    this.evict = e;
    return this;
  }
  /** @example `joined.allowedLateness(1000)` */
  allowedLateness(lateness: Duration): this {
    this.lateness = lateness;
    return this;
  }

  /**
   * Builds the join; without a function the result is `[left, right]` pairs.
   *
   * @example
   * ```ts
   * joined.apply((order, payment) => ({ id: order.id, paid: payment.amount }));
   * ```
   */
  apply(): DataStream<[T1, T2]>;
  apply<R>(fn: (left: T1, right: T2) => R): DataStream<R>;
  apply<R>(fn?: (left: T1, right: T2) => R): DataStream<R> {
    const join = (fn ?? ((a: T1, b: T2) => [a, b])) as (a: T1, b: T2) => R;
    const coGrouped = new CoGroupedStreams(this.first, this.second).where(this.key1).equalTo(this.key2).window(this.assigner).allowedLateness(this.lateness);
    coGrouped.operatorName = 'Window Join';
    coGrouped.tagLabel = 'Join';
    if (this.trig) coGrouped.trigger(this.trig);
    if (this.evict) coGrouped.evictor(this.evict);
    return coGrouped.apply<R>((lefts, rights, out) => {
      for (const a of lefts) for (const b of rights) out.collect(join(a, b));
    });
  }
}
