/**
 * The seed's remaining operators against independent models: window cross (every pair of the two
 * streams in the same window, regardless of key) and CoReduce (per-key rolling reduce on each side
 * of connected streams, mapped to one output type), with Flink's timestamps and ordering.
 */
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type DataStream, StreamEnvironment, WatermarkStrategy } from '@weir/core';
import { TumblingEventTimeWindows } from '@weir/windows';

interface A { a: number; ts: number }
interface B { b: string; ts: number }

const floorMod = (x: number, m: number) => ((x % m) + m) % m;

describe('window cross', () => {
  it('pairs every a with every b of the same window, stamped with the window end - 1', async () => {
    const arbA = fc.array(fc.record({ a: fc.integer(), ts: fc.integer({ min: -5000, max: 20_000 }) }), { maxLength: 20 });
    const arbB = fc.array(fc.record({ b: fc.string({ maxLength: 3 }), ts: fc.integer({ min: -5000, max: 20_000 }) }), { maxLength: 20 });
    await fc.assert(
      fc.asyncProperty(arbA, arbB, fc.constantFrom(1000, 3000, 7000), async (as, bs, size) => {
        const env = StreamEnvironment.create();
        // No watermarks until the end: nothing is late, every element lands in its window.
        const sa = env.fromCollection<A>(as).assignTimestampsAndWatermarks(WatermarkStrategy.noWatermarks<A>().withTimestampAssigner((x) => x.ts));
        const sb = env.fromCollection<B>(bs).assignTimestampsAndWatermarks(WatermarkStrategy.noWatermarks<B>().withTimestampAssigner((x) => x.ts));
        const crossed = sa.cross(sb).window(TumblingEventTimeWindows.of(size)).apply((x, y) => `${x.a}|${y.b}`);
        expectTypeOf(crossed).toEqualTypeOf<DataStream<string>>();
        const out = crossed.collect();
        await env.execute();
        const model: Array<[string, number]> = [];
        for (const x of as) for (const y of bs) {
          const w = x.ts - floorMod(x.ts, size);
          if (w === y.ts - floorMod(y.ts, size)) model.push([`${x.a}|${y.b}`, w + size - 1]);
        }
        const got = out.records().map((r): [string, number] => [r.value, r.timestamp]);
        const sort = (xs: Array<[string, number]>) => [...xs].sort((p, q) => p[1] - q[1] || (p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : 0));
        expect(sort(got)).toEqual(sort(model));
      }),
      { numRuns: 80 },
    );
  });
});

describe('CoReduce on connected keyed streams', () => {
  it('emits map1/map2 of the rolling per-key reduction of each side, one output per input', async () => {
    type Side = { side: 1 | 2; key: string; v: number };
    const arb = fc.array(fc.record({ side: fc.constantFrom<1 | 2>(1, 2), key: fc.constantFrom('x', 'y', 'z'), v: fc.integer({ min: -50, max: 50 }) }), { maxLength: 60 });
    await fc.assert(
      fc.asyncProperty(arb, async (events) => {
        const ones = events.filter((e) => e.side === 1).map((e) => ({ k1: e.key, n: e.v }));
        const twos = events.filter((e) => e.side === 2).map((e) => ({ k2: e.key, s: String(e.v) }));
        const env = StreamEnvironment.create();
        const out = env
          .fromCollection(ones)
          .connect(env.fromCollection(twos))
          .groupBy('k1', 'k2')
          .reduce({
            reduce1: (acc, x) => ({ k1: acc.k1, n: acc.n + x.n }),
            reduce2: (acc, x) => ({ k2: acc.k2, s: acc.s + ',' + x.s }),
            map1: (x) => `1:${x.k1}=${x.n}`,
            map2: (x) => `2:${x.k2}=${x.s}`,
          })
          .collect();
        await env.execute();
        // Model: per side and key, running sums / concatenations in each side's own order.
        const sum = new Map<string, number>();
        const cat = new Map<string, string>();
        const want1 = ones.map((o) => {
          sum.set(o.k1, (sum.get(o.k1) ?? 0) + o.n);
          return `1:${o.k1}=${sum.get(o.k1)}`;
        });
        const want2 = twos.map((t) => {
          cat.set(t.k2, cat.has(t.k2) ? `${cat.get(t.k2)},${t.s}` : t.s);
          return `2:${t.k2}=${cat.get(t.k2)}`;
        });
        const got = out.items();
        // Each side's outputs keep that side's order; interleaving between the sides is not defined.
        expect(got.filter((s) => s.startsWith('1:'))).toEqual(want1);
        expect(got.filter((s) => s.startsWith('2:'))).toEqual(want2);
      }),
      { numRuns: 80 },
    );
  });

  it('needs keys first', () => {
    const env = StreamEnvironment.create();
    expect(() =>
      env.fromElements(1).connect(env.fromElements('a')).reduce({ reduce1: (a, b) => a + b, reduce2: (a, b) => a + b, map1: String, map2: String }),
    ).toThrow(/must be keyed/);
  });
});
