/**
 * The seed's (Flink 0.9) policies next to their modern namesakes, and Flink's aggregation
 * semantics, as examples worked out by hand (flink-semantics.md §1.3, §3, §4.1; DESIGN.md).
 */
import { type Collector, StreamEnvironment, WatermarkStrategy } from '@weir/core';
import { Count, CountTrigger, Delta, DeltaTrigger, GlobalWindows, PurgingTrigger, Time, TumblingEventTimeWindows } from '@weir/windows';
import { describe, expect, it } from 'vitest';

interface Tick {
  symbol: string;
  price: number;
}
const rel = (a: Tick, b: Tick) => Math.abs(b.price / a.price - 1);
const ticks = [1000, 1020, 1060, 1061, 1000, 999].map((price) => ({ symbol: 'A', price }));
const prices = (xs: readonly Tick[], out: Collector<number[]>) => out.collect(xs.map((x) => x.price));

describe('Delta.of (seed) vs DeltaTrigger (modern)', () => {
  it('Delta.of: reference = initial value, strictly greater, the triggering element opens the next window, last partial window at the end', async () => {
    const env = StreamEnvironment.create();
    const out = env.fromCollection(ticks).groupBy('symbol').window(Delta.of(0.05, rel, { symbol: '', price: 1000 })).mapWindow(prices).collect();
    await env.execute();
    // ref 1000: 1060 (6 %) closes [1000, 1020]; ref 1060: 1000 (5.66 %) closes [1060, 1061]; [1000, 999] at the end.
    expect(out.items()).toEqual([
      [1000, 1020],
      [1060, 1061],
      [1000, 999],
    ]);
  });

  it('Delta.of with an initial value far away: the very first element closes an empty window (nothing emitted)', async () => {
    const env = StreamEnvironment.create();
    const out = env.fromCollection(ticks).groupBy('symbol').window(Delta.of(0.05, rel, { symbol: '', price: 500 })).mapWindow(prices).collect();
    await env.execute();
    expect(out.items()).toEqual([
      [1000, 1020],
      [1060, 1061],
      [1000, 999],
    ]);
  });

  it('exactly the threshold does not trigger (strictly greater)', async () => {
    const env = StreamEnvironment.create();
    const xs = [10, 15, 20, 26].map((price) => ({ symbol: 'A', price }));
    const out = env.fromCollection(xs).groupBy('symbol').window(Delta.of(5, (a: Tick, b: Tick) => b.price - a.price, { symbol: '', price: 10 })).mapWindow(prices).collect();
    await env.execute();
    // 15 - 10 = 5 is not > 5; 20 - 10 = 10 > 5 closes [10, 15]; 26 - 20 = 6 > 5 closes [20]; [26] at the end.
    expect(out.items()).toEqual([[10, 15], [20], [26]]);
  });

  it('DeltaTrigger (modern): the first element is the reference, the triggering element is inside the window, no partial window at the end', async () => {
    const env = StreamEnvironment.create();
    const out = env
      .fromCollection(ticks)
      .keyBy('symbol')
      .window(GlobalWindows.create())
      .trigger(PurgingTrigger.of(DeltaTrigger.of(0.05, rel)))
      .process((_k, _ctx, xs, o: Collector<number[]>) => prices(xs, o))
      .collect();
    await env.execute();
    // ref 1000 (the first element): 1060 fires [1000, 1020, 1060]; ref 1060: 1000 fires [1061, 1000]; 999 stays.
    expect(out.items()).toEqual([
      [1000, 1020, 1060],
      [1061, 1000],
    ]);
  });

  it('DeltaTrigger without purging: each firing holds everything so far', async () => {
    const env = StreamEnvironment.create();
    const out = env
      .fromCollection(ticks)
      .keyBy('symbol')
      .window(GlobalWindows.create())
      .trigger(DeltaTrigger.of(0.05, rel))
      .process((_k, _ctx, xs, o: Collector<number[]>) => prices(xs, o))
      .collect();
    await env.execute();
    expect(out.items()).toEqual([
      [1000, 1020, 1060],
      [1000, 1020, 1060, 1061, 1000],
    ]);
  });
});

describe('Count.of (seed) vs countWindow / CountTrigger (modern)', () => {
  const collectAll = (xs: readonly number[], out: Collector<number[]>) => out.collect([...xs]);

  it('Count.of(3) emits windows of 3 and the partial last window; countWindow(3) drops the partial one', async () => {
    const env = StreamEnvironment.create();
    const src = env.fromElements(1, 2, 3, 4, 5, 6, 7);
    const seed = src.window(Count.of(3)).mapWindow(collectAll).collect();
    const modern = src
      .keyBy(() => 0)
      .countWindow(3)
      .process((_k, _c, xs, o: Collector<number[]>) => collectAll(xs, o))
      .collect();
    await env.execute();
    expect(seed.items()).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(modern.items()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('countWindow(3, 2): every 2nd element, the last (up to) 3; the first firing after 2 elements', async () => {
    const env = StreamEnvironment.create();
    const out = env
      .fromElements(1, 2, 3, 4, 5, 6, 7)
      .keyBy(() => 0)
      .countWindow(3, 2)
      .process((_k, _c, xs, o: Collector<number[]>) => o.collect([...xs]))
      .collect();
    await env.execute();
    expect(out.items()).toEqual([
      [1, 2],
      [2, 3, 4],
      [4, 5, 6],
    ]);
  });

  it('CountTrigger fires on the n-th element, including it', async () => {
    const env = StreamEnvironment.create();
    const out = env
      .fromElements(1, 2, 3, 4)
      .keyBy(() => 0)
      .window(GlobalWindows.create())
      .trigger(CountTrigger.of(2))
      .process((_k, _c, xs, o: Collector<number[]>) => o.collect([...xs]))
      .collect();
    await env.execute();
    expect(out.items()).toEqual([
      [1, 2],
      [1, 2, 3, 4],
    ]);
  });

  it('invalid policies are rejected when the pipeline is built', () => {
    expect(() => Count.of(0)).toThrow(/Count\.of/);
    expect(() => CountTrigger.of(0)).toThrow(/CountTrigger/);
  });
});

describe('rolling aggregations (§3)', () => {
  interface T3 {
    a: number;
    b: number;
    c: number;
  }

  it('max replaces only the field (a record that never existed); maxBy keeps whole elements', async () => {
    const env = StreamEnvironment.create();
    const src = env.fromElements<T3>({ a: 0, b: 1, c: 2 }, { a: 0, b: 2, c: 1 }).keyBy('a');
    const max = src.max('b').collect();
    const maxBy = src.maxBy('b').collect();
    await env.execute();
    expect(max.items()).toEqual([
      { a: 0, b: 1, c: 2 },
      { a: 0, b: 2, c: 2 },
    ]);
    expect(maxBy.items()).toEqual([
      { a: 0, b: 1, c: 2 },
      { a: 0, b: 2, c: 1 },
    ]);
  });

  it('minBy/maxBy keep the first of equal values; with first = false the latest', async () => {
    const env = StreamEnvironment.create();
    const src = env.fromElements<T3>({ a: 0, b: 5, c: 1 }, { a: 0, b: 5, c: 2 }, { a: 0, b: 7, c: 3 }, { a: 0, b: 7, c: 4 }).keyBy('a');
    const first = src.maxBy('b').collect();
    const latest = src.maxBy('b', false).collect();
    const minFirst = src.minBy('b').collect();
    const minLatest = src.minBy('b', false).collect();
    await env.execute();
    expect(first.items().map((x) => x.c)).toEqual([1, 1, 3, 3]);
    expect(latest.items().map((x) => x.c)).toEqual([1, 2, 3, 4]);
    expect(minFirst.items().map((x) => x.c)).toEqual([1, 1, 1, 1]);
    expect(minLatest.items().map((x) => x.c)).toEqual([1, 2, 2, 2]);
  });

  it('sum keeps the first element\'s other fields and emits one result per input, per key', async () => {
    const env = StreamEnvironment.create();
    const out = env
      .fromElements({ k: 'x', n: 1, tag: 'first' }, { k: 'y', n: 10, tag: 'y' }, { k: 'x', n: 2, tag: 'second' })
      .keyBy('k')
      .sum('n')
      .collect();
    await env.execute();
    expect(out.items()).toEqual([
      { k: 'x', n: 1, tag: 'first' },
      { k: 'y', n: 10, tag: 'y' },
      { k: 'x', n: 3, tag: 'first' },
    ]);
  });

  it('window sum: one result per window, the window\'s first element with the sum, stamped end - 1', async () => {
    const env = StreamEnvironment.create();
    const out = env
      .fromElements({ k: 'x', n: 1, ts: 3 }, { k: 'x', n: 2, ts: 1 }, { k: 'x', n: 4, ts: 12 })
      .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<{ k: string; n: number; ts: number }>(5).withTimestampAssigner((e) => e.ts))
      .keyBy('k')
      .window(TumblingEventTimeWindows.of(Time.milliseconds(10)))
      .sum('n')
      .collect();
    await env.execute();
    expect(out.records()).toEqual([
      { value: { k: 'x', n: 3, ts: 3 }, timestamp: 9 },
      { value: { k: 'x', n: 4, ts: 12 }, timestamp: 19 },
    ]);
  });
});
