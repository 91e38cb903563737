import { describe, expect, it } from 'vitest';
import { StreamEnvironment, WatermarkStrategy, type Collector } from '@weir/core';
import { Count, Delta, Time, TumblingEventTimeWindows, EventTimeSessionWindows } from '@weir/windows';

interface Tick { symbol: string; price: number; ts: number }

describe('smoke', () => {
  it('map/filter/collect', async () => {
    const env = StreamEnvironment.create();
    const out = env.fromElements(1, 2, 3, 4).map((x) => x * 10).filter((x) => x > 10).collect();
    await env.execute();
    expect(out.items()).toEqual([20, 30, 40]);
  });

  it('keyed tumbling max', async () => {
    const env = StreamEnvironment.create();
    const ticks: Tick[] = [
      { symbol: 'A', price: 1, ts: 0 }, { symbol: 'B', price: 5, ts: 1000 }, { symbol: 'A', price: 3, ts: 9000 },
      { symbol: 'A', price: 2, ts: 10_000 }, { symbol: 'B', price: 1, ts: 15_000 },
    ];
    const out = env.fromCollection(ticks)
      .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<Tick>(1000).withTimestampAssigner((t) => t.ts))
      .keyBy('symbol').window(TumblingEventTimeWindows.of(Time.seconds(10))).maxBy('price').collect();
    await env.execute();
    expect(out.records()).toEqual([
      { value: ticks[2], timestamp: 9999 }, { value: ticks[1], timestamp: 9999 },
      { value: ticks[3], timestamp: 19999 }, { value: ticks[4], timestamp: 19999 },
    ]);
  });

  it('seed delta and count', async () => {
    const env = StreamEnvironment.create();
    const rel = (a: Tick, b: Tick) => Math.abs(b.price / a.price - 1);
    const prices = [1000, 1020, 1060, 1061, 1000, 999].map((price, i) => ({ symbol: 'A', price, ts: i }));
    const w = env.fromCollection(prices).groupBy('symbol')
      .window(Delta.of(0.05, rel, { symbol: '', price: 1000, ts: 0 }))
      .mapWindow((xs, out: Collector<number[]>) => out.collect(xs.map((x) => x.price))).collect();
    const c = env.fromElements(1, 2, 3, 4, 5, 6, 7).window(Count.of(3)).mapWindow((xs, out: Collector<number[]>) => out.collect([...xs])).collect();
    await env.execute();
    expect(w.items()).toEqual([[1000, 1020], [1060, 1061], [1000, 999]]);
    expect(c.items()).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('sessions', async () => {
    const env = StreamEnvironment.create();
    const out = env.fromElements({ k: 'a', v: 1, ts: 0 }, { k: 'a', v: 1, ts: 5000 }, { k: 'a', v: 1, ts: 2000 }, { k: 'a', v: 1, ts: 20000 })
      .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<{ k: string; v: number; ts: number }>(10_000).withTimestampAssigner((e) => e.ts))
      .keyBy('k').window(EventTimeSessionWindows.withGap(3000)).sum('v').collect();
    await env.execute();
    expect(out.records().map((r) => [r.value.v, r.timestamp])).toEqual([[3, 7999], [1, 22999]]);
  });

  it('iteration collatz', async () => {
    const env = StreamEnvironment.create();
    const it = env.fromElements(6, 7).map((n) => ({ start: n, n, steps: 0 })).iterate();
    const step = it.map((s) => ({ ...s, n: s.n % 2 === 0 ? s.n / 2 : 3 * s.n + 1, steps: s.steps + 1 }));
    it.closeWith(step.filter((s) => s.n !== 1));
    const done = step.filter((s) => s.n === 1).collect();
    await env.execute();
    expect(done.items().map((s) => [s.start, s.steps]).sort()).toEqual([[6, 8], [7, 16]]);
  });
});
