/**
 * Window cross (the seed's `cross`): every pair of an element of the first stream and an element
 * of the second stream that fall in the same window, regardless of key (Flink's coGroup with a
 * constant key). Results are stamped with the window's last timestamp.
 */
import type { WindowAssigner } from '../contract/window-assigner.js';
import type { Window } from '../contract/window.js';
import type { DataStream } from './data-stream.js';
import { crossPairs, type Tagged, tagAndUnion } from './joined-streams.js';

/**
 * @example
 * ```ts
 * a.cross(b).window(TumblingEventTimeWindows.of(Time.seconds(1))).apply((x, y) => [x, y]);
 * ```
 */
export class CrossedStreams<T1, T2> {
  /** @internal */
  constructor(
    private readonly first: DataStream<T1>,
    private readonly second: DataStream<T2>,
  ) {}

  /** The window in which pairs are formed. @example `.window(TumblingEventTimeWindows.of(Time.seconds(1)))` */
  window<W extends Window>(assigner: WindowAssigner<unknown, W>) {
    const { first, second } = this;
    return {
      /**
       * Builds the cross; without a function the result is `[left, right]` pairs.
       * @example `.apply((x, y) => x * y)`
       */
      apply<R = [T1, T2]>(fn?: (left: T1, right: T2) => R): DataStream<R> {
        const pair = (fn ?? ((a: T1, b: T2) => [a, b])) as (a: unknown, b: unknown) => R;
        return tagAndUnion(first, second, 'Cross')
          .window(assigner as WindowAssigner<Tagged, W>)
          .process<R>((_k, _ctx, elements, out) => crossPairs(elements, pair, (r) => out.collect(r)))
          .name('Window Cross');
      },
    };
  }
}
