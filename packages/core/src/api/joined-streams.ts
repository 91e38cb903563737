/**
 * Window joins (Flink's `JoinedStreams`): `a.join(b).where(k1).equalTo(k2).window(w).apply(f)`
 * calls `f(x, y)` for every pair of an `a` element and a `b` element with equal keys in the
 * same window, results stamped with the window's last timestamp. Built from primitives as Flink
 * builds it (a coGroup): both sides tagged and unioned, keyed, windowed, and crossed per window.
 */
import type { Evictor } from '../contract/evictor.js';
import type { Trigger } from '../contract/trigger.js';
import type { WindowAssigner } from '../contract/window-assigner.js';
import type { Window } from '../contract/window.js';
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
  const left = first.map((value): Tagged => ({ side: 0, value })).name(`${label}: tag left`);
  const right = second.map((value): Tagged => ({ side: 1, value })).name(`${label}: tag right`);
  return left.union(right);
}

/** @internal Every (left, right) pair of a window's tagged elements, in arrival order. */
export function crossPairs<R>(elements: readonly Tagged[], fn: (a: unknown, b: unknown) => R, emit: (r: R) => void): void {
  const lefts: unknown[] = [];
  const rights: unknown[] = [];
  for (const e of elements) (e.side === 0 ? lefts : rights).push(e.value);
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
        window: <W extends Window>(assigner: WindowAssigner<unknown, W>) =>
          new JoinWindow<T1, T2, W>(this.first, this.second, toKeyFunction(key1), toKeyFunction(key2), assigner),
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
    private readonly key1: (v: T1) => unknown,
    private readonly key2: (v: T2) => unknown,
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
    const join = (fn ?? ((a: T1, b: T2) => [a, b])) as (a: unknown, b: unknown) => R;
    const { key1, key2 } = this;
    const keyed = tagAndUnion(this.first, this.second, 'Join').keyBy((t: Tagged) => (t.side === 0 ? key1(t.value as T1) : key2(t.value as T2)));
    let windowed = keyed.window(this.assigner as WindowAssigner<Tagged, W>).allowedLateness(this.lateness);
    if (this.trig) windowed = windowed.trigger(this.trig);
    if (this.evict) windowed = windowed.evictor(this.evict);
    return windowed.process<R>((_key, _ctx, elements, out) => crossPairs(elements, join, (r) => out.collect(r))).name('Window Join');
  }
}
