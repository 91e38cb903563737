/**
 * Global windows with count and delta triggers and the three evictors, the modern count windows
 * (`countWindow(size[, slide])`) and the seed's policies (`Count.of`, `Delta.of`), against naive
 * per-key buffers written here from Flink's documented rules (flink-semantics.md §1.2-1.4, §4.1).
 * Results are compared in emission order: these windows fire on an element's arrival.
 */
import type { Collector, DataStream, GlobalWindow, WindowContext } from '@weir/core';
import { arbEventStream, runPipeline } from '@weir/testing';
import {
  Count,
  CountEvictor,
  CountTrigger,
  Delta,
  DeltaEvictor,
  DeltaTrigger,
  GlobalWindows,
  PurgingTrigger,
  TimeEvictor,
} from '@weir/windows';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Ev, withIds } from './naive.js';

const streams = arbEventStream({ keys: ['a', 'b'], maxDisorderMs: 500, lateFraction: 0.1, bursts: true, maxStepMs: 300 }).map(withIds);
/** Streams whose values are prices (not ids), for delta functions. */
const prices = arbEventStream({ keys: ['a', 'b'], value: fc.integer({ min: 0, max: 40 }), maxStepMs: 100, maxLength: 30 });

type Out = [string, number[]];
const ids = (key: string, _ctx: WindowContext<GlobalWindow>, els: readonly Ev[], out: Collector<Out>) => out.collect([key, els.map((e) => e.value)]);
const run = async (events: readonly Ev[], build: (s: DataStream<Ev>) => DataStream<Out>) =>
  (await runPipeline(events, build, { order: 'emitted', maxDisorderMs: 500 })).results;

/** Per-key state for the naive models. */
function perKey<S>(init: () => S): (key: string) => S {
  const m = new Map<string, S>();
  return (key) => {
    let s = m.get(key);
    if (s === undefined) m.set(key, (s = init()));
    return s;
  };
}

describe('count windows (modern)', () => {
  it('countWindow(n) = GlobalWindows + PurgingTrigger(CountTrigger(n)): every n-th element, no partial window at the end', async () => {
    await fc.assert(
      fc.asyncProperty(streams, fc.integer({ min: 1, max: 5 }), async (events, n) => {
        const expected: Out[] = [];
        const buf = perKey<number[]>(() => []);
        for (const e of events) {
          const b = buf(e.key);
          b.push(e.value);
          if (b.length === n) expected.push([e.key, b.splice(0)]);
        }
        expect(await run(events, (s) => s.keyBy('key').countWindow(n).process(ids))).toEqual(expected);
        expect(await run(events, (s) => s.keyBy('key').window(GlobalWindows.create()).trigger(PurgingTrigger.of(CountTrigger.of(n))).process(ids))).toEqual(expected);
      }),
      { numRuns: 80 },
    );
  });

  it('countWindow(size, slide): every slide-th element, the last size elements (evicted for good)', async () => {
    await fc.assert(
      fc.asyncProperty(streams, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), async (events, size, slide) => {
        const expected: Out[] = [];
        const st = perKey(() => ({ all: [] as number[], count: 0 }));
        for (const e of events) {
          const k = st(e.key);
          k.all.push(e.value);
          if (++k.count === slide) {
            k.count = 0;
            k.all = k.all.slice(-size);
            expected.push([e.key, [...k.all]]);
          }
        }
        expect(await run(events, (s) => s.keyBy('key').countWindow(size, slide).process(ids))).toEqual(expected);
      }),
      { numRuns: 80 },
    );
  });

  it('GlobalWindows + CountTrigger(n) (not purging): every n-th element, all elements so far', async () => {
    await fc.assert(
      fc.asyncProperty(streams, fc.integer({ min: 1, max: 4 }), async (events, n) => {
        const expected: Out[] = [];
        const st = perKey(() => ({ all: [] as number[] }));
        for (const e of events) {
          const k = st(e.key);
          k.all.push(e.value);
          if (k.all.length % n === 0) expected.push([e.key, [...k.all]]);
        }
        expect(await run(events, (s) => s.keyBy('key').window(GlobalWindows.create()).trigger(CountTrigger.of(n)).process(ids))).toEqual(expected);
      }),
      { numRuns: 80 },
    );
  });

  it('GlobalWindows alone (NeverTrigger) emits nothing; createWithEndOfStreamTrigger emits everything once at the end', async () => {
    await fc.assert(
      fc.asyncProperty(streams, async (events) => {
        expect(await run(events, (s) => s.keyBy('key').window(GlobalWindows.create()).process(ids))).toEqual([]);
        const atEnd = await run(events, (s) => s.keyBy('key').window(GlobalWindows.createWithEndOfStreamTrigger()).process(ids));
        const byKey = new Map<string, number[]>();
        for (const e of events) byKey.set(e.key, [...(byKey.get(e.key) ?? []), e.value]);
        expect(new Map(atEnd)).toEqual(byKey);
        expect(atEnd).toHaveLength(byKey.size);
      }),
      { numRuns: 30 },
    );
  });
});

describe('count windows (the seed\'s Count.of)', () => {
  it('window(Count.of(n)) fires when the (n+1)-th element arrives, emitting the previous n; the partial last window at the end', async () => {
    await fc.assert(
      fc.asyncProperty(streams, fc.integer({ min: 1, max: 5 }), async (events, n) => {
        const expected: Out[] = [];
        const buf = perKey<number[]>(() => []);
        const keys: string[] = [];
        for (const e of events) {
          const b = buf(e.key);
          if (!keys.includes(e.key)) keys.push(e.key);
          if (b.length === n) expected.push([e.key, b.splice(0)]);
          b.push(e.value);
        }
        const partial = keys.map((k) => [k, buf(k)] as Out).filter(([, b]) => b.length > 0);
        const out = await run(events, (s) => s.groupBy('key').window(Count.of(n)).process(ids));
        expect(out.slice(0, expected.length)).toEqual(expected);
        // The partial windows come at the end of input, one per key (their order is the runtime's).
        expect(out.slice(expected.length).sort()).toEqual(partial.sort());
      }),
      { numRuns: 80 },
    );
  });
});

const absDelta = (a: Ev, b: Ev) => Math.abs(b.value - a.value);

describe('delta windows', () => {
  it('the seed\'s Delta.of: reference starts at the initial value, strictly greater closes the window without the triggering element, last partial window at the end', async () => {
    await fc.assert(
      fc.asyncProperty(prices, fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 40 }), async (events, threshold, initial) => {
        const expected: Out[] = [];
        const st = perKey(() => ({ ref: { key: '', value: initial, timestamp: 0 } as Ev, buf: [] as number[] }));
        const keys: string[] = [];
        for (const e of events) {
          const k = st(e.key);
          if (!keys.includes(e.key)) keys.push(e.key);
          if (absDelta(k.ref, e) > threshold) {
            if (k.buf.length > 0) expected.push([e.key, k.buf]);
            k.ref = e;
            k.buf = [];
          }
          k.buf.push(e.value);
        }
        const partial = keys.map((key) => [key, st(key).buf] as Out).filter(([, b]) => b.length > 0);
        const out = await run(events, (s) => s.groupBy('key').window(Delta.of(threshold, absDelta, { key: '', value: initial, timestamp: 0 })).process(ids));
        expect(out.slice(0, expected.length)).toEqual(expected);
        expect(out.slice(expected.length).sort()).toEqual(partial.sort());
      }),
      { numRuns: 100 },
    );
  });

  it('DeltaTrigger (modern) with PurgingTrigger: the first element is the reference, the triggering element is inside the window, nothing at the end', async () => {
    await fc.assert(
      fc.asyncProperty(prices, fc.integer({ min: 0, max: 15 }), async (events, threshold) => {
        const expected: Out[] = [];
        const st = perKey(() => ({ ref: undefined as Ev | undefined, buf: [] as number[] }));
        for (const e of events) {
          const k = st(e.key);
          k.buf.push(e.value);
          if (k.ref === undefined) k.ref = e;
          else if (absDelta(k.ref, e) > threshold) {
            k.ref = e;
            expected.push([e.key, k.buf]);
            k.buf = [];
          }
        }
        const out = await run(events, (s) =>
          s.keyBy('key').window(GlobalWindows.create()).trigger(PurgingTrigger.of(DeltaTrigger.of(threshold, absDelta))).process(ids),
        );
        expect(out).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });
});

describe('evictors (GlobalWindows + CountTrigger(k))', () => {
  type Evict = (buf: Ev[]) => Ev[];
  const countEvict = (n: number): Evict => (buf) => (buf.length > n ? buf.slice(buf.length - n) : buf);
  const timeEvict = (d: number): Evict => (buf) => {
    if (buf.length === 0) return buf;
    const cutoff = Math.max(...buf.map((e) => e.timestamp)) - d;
    return buf.filter((e) => e.timestamp > cutoff);
  };
  const deltaEvict = (t: number): Evict => (buf) => {
    if (buf.length === 0) return buf;
    const last = buf[buf.length - 1]!;
    return buf.filter((e) => absDelta(e, last) < t);
  };

  /** Fires every k-th element of a key; evicts before or after the function, for good. */
  function naive(events: readonly Ev[], k: number, evict: Evict, after: boolean): Out[] {
    const expected: Out[] = [];
    const st = perKey(() => ({ buf: [] as Ev[], count: 0 }));
    for (const e of events) {
      const s = st(e.key);
      s.buf.push(e);
      if (++s.count < k) continue;
      s.count = 0;
      if (!after) s.buf = evict(s.buf);
      expected.push([e.key, s.buf.map((x) => x.value)]);
      if (after) s.buf = evict(s.buf);
    }
    return expected;
  }

  it('CountEvictor.of(n[, after]): keeps the newest n elements', async () => {
    await fc.assert(
      fc.asyncProperty(streams, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.boolean(), async (events, k, n, after) => {
        const out = await run(events, (s) => s.keyBy('key').window(GlobalWindows.create()).trigger(CountTrigger.of(k)).evictor(CountEvictor.of(n, after)).process(ids));
        expect(out).toEqual(naive(events, k, countEvict(n), after));
      }),
      { numRuns: 80 },
    );
  });

  it('TimeEvictor.of(d[, after]): drops elements with timestamp <= max timestamp - d', async () => {
    await fc.assert(
      fc.asyncProperty(streams, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 1500 }), fc.boolean(), async (events, k, d, after) => {
        const out = await run(events, (s) => s.keyBy('key').window(GlobalWindows.create()).trigger(CountTrigger.of(k)).evictor(TimeEvictor.of(d, after)).process(ids));
        expect(out).toEqual(naive(events, k, timeEvict(d), after));
      }),
      { numRuns: 80 },
    );
  });

  it('DeltaEvictor.of(t, fn[, after]): drops every element whose delta to the last one is >= t', async () => {
    await fc.assert(
      fc.asyncProperty(prices, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 20 }), fc.boolean(), async (events, k, t, after) => {
        const out = await run(events, (s) =>
          s.keyBy('key').window(GlobalWindows.create()).trigger(CountTrigger.of(k)).evictor(DeltaEvictor.of(t, absDelta, after)).process(ids),
        );
        expect(out).toEqual(naive(events, k, deltaEvict(t), after));
      }),
      { numRuns: 80 },
    );
  });
});
