/**
 * Keyed rolling aggregations, watermark generation, window joins, connect/coMap and keyed process
 * functions with timers, against naive computations written here (flink-semantics.md §2, §3,
 * §1.6).
 */
import { type Collector, type DataStream, type KeyedProcessFunction, type KeyedStream, ValueStateDescriptor, WatermarkStrategy } from '@weir/core';
import { arbEventStream, runPipeline } from '@weir/testing';
import { TumblingEventTimeWindows } from '@weir/windows';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignedStart, type Ev, watermarksBefore, withIds } from './naive.js';

/** Small values, so that ties (first-wins) happen often. */
const tied = arbEventStream({ keys: ['a', 'b', 'c'], value: fc.integer({ min: -3, max: 3 }), maxDisorderMs: 100, bursts: true, maxStepMs: 50 });

describe('rolling aggregations (KeyedStream.sum/min/max/minBy/maxBy/reduce)', () => {
  /** Flink's StreamGroupedReduceOperator: first element of a key as it is, then reduce(acc, next); one output per input. */
  function rolling(events: readonly Ev[], reduce: (acc: Ev, e: Ev) => Ev): Array<{ value: Ev; timestamp: number }> {
    const state = new Map<string, Ev>();
    return events.map((e) => {
      const acc = state.get(e.key);
      const next = acc === undefined ? e : reduce(acc, e);
      state.set(e.key, next);
      return { value: next, timestamp: e.timestamp };
    });
  }
  const cmp = (a: number, b: number) => (Object.is(a, b) ? 0 : a < b ? -1 : a > b ? 1 : Object.is(a, -0) ? -1 : 1);
  const naive = {
    sum: (acc: Ev, e: Ev) => ({ ...acc, value: acc.value + e.value }),
    // Only the field changes (replaced unless the accumulated value is strictly more extreme).
    max: (acc: Ev, e: Ev) => ({ ...acc, value: cmp(acc.value, e.value) > 0 ? acc.value : e.value }),
    min: (acc: Ev, e: Ev) => ({ ...acc, value: cmp(acc.value, e.value) < 0 ? acc.value : e.value }),
    // The whole element; ties keep the first (first = true) or take the new one (first = false).
    maxBy: (first: boolean) => (acc: Ev, e: Ev) => (cmp(e.value, acc.value) > 0 || (!first && cmp(e.value, acc.value) === 0) ? e : acc),
    minBy: (first: boolean) => (acc: Ev, e: Ev) => (cmp(e.value, acc.value) < 0 || (!first && cmp(e.value, acc.value) === 0) ? e : acc),
  };

  it('one output per input with the input timestamp; sum/min/max keep the first element\'s other fields; minBy/maxBy first-wins ties', async () => {
    await fc.assert(
      fc.asyncProperty(tied, fc.boolean(), async (events, first) => {
        const run = async (f: (k: KeyedStream<Ev, string>) => DataStream<Ev>) =>
          (await runPipeline(events, (s) => f(s.keyBy('key')), { order: 'emitted' })).records;
        expect(await run((k) => k.sum('value'))).toEqual(rolling(events, naive.sum));
        expect(await run((k) => k.max('value'))).toEqual(rolling(events, naive.max));
        expect(await run((k) => k.min('value'))).toEqual(rolling(events, naive.min));
        expect(await run((k) => k.maxBy('value', first))).toEqual(rolling(events, naive.maxBy(first)));
        expect(await run((k) => k.minBy('value', first))).toEqual(rolling(events, naive.minBy(first)));
        const concat = (a: Ev, b: Ev) => ({ ...a, value: a.value * 10 + b.value });
        expect(await run((k) => k.reduce(concat))).toEqual(rolling(events, concat));
      }),
      { numRuns: 80 },
    );
  });
});

describe('watermarks', () => {
  it('forBoundedOutOfOrderness(B): before each element the watermark is max(earlier timestamps) - B - 1', async () => {
    await fc.assert(
      fc.asyncProperty(arbEventStream({ maxDisorderMs: 300, lateFraction: 0.2, idleGaps: true }), fc.integer({ min: 0, max: 600 }), async (events, bound) => {
        const watermarks = WatermarkStrategy.forBoundedOutOfOrderness<Ev>(bound).withTimestampAssigner((e) => e.timestamp);
        const out = await runPipeline(events, (s) => s.process((_e: Ev, ctx, o: Collector<number>) => o.collect(ctx.currentWatermark())), { watermarks, order: 'emitted' });
        expect(out.results).toEqual(watermarksBefore(events, bound));
        // The trace: strictly increasing, ending with +Infinity at the end of input.
        const trace = out.watermarks.map((w) => w.watermark);
        expect(trace.at(-1)).toBe(Number.POSITIVE_INFINITY);
        trace.forEach((w, i) => i > 0 && expect(w).toBeGreaterThan(trace[i - 1]!));
      }),
      { numRuns: 100 },
    );
  });

  it('forMonotonousTimestamps = bounded out-of-orderness 0: max - 1', async () => {
    await fc.assert(
      fc.asyncProperty(arbEventStream({ maxDisorderMs: 100 }), async (events) => {
        const watermarks = WatermarkStrategy.forMonotonousTimestamps<Ev>().withTimestampAssigner((e) => e.timestamp);
        const out = await runPipeline(events, (s) => s.process((_e: Ev, ctx, o: Collector<number>) => o.collect(ctx.currentWatermark())), { watermarks, order: 'emitted' });
        expect(out.results).toEqual(watermarksBefore(events, 0));
      }),
      { numRuns: 30 },
    );
  });
});

describe('window join', () => {
  it('inner join: every pair with equal keys in the same window, stamped window.maxTimestamp()', async () => {
    const onTime = arbEventStream({ keys: ['a', 'b'], maxDisorderMs: 300, bursts: true, maxStepMs: 200 }).map(withIds);
    await fc.assert(
      fc.asyncProperty(onTime, fc.integer({ min: 50, max: 1000 }), async (events, size) => {
        const out = await runPipeline(
          events,
          (s) => {
            const left = s.filter((e) => e.value % 2 === 0);
            const right = s.filter((e) => e.value % 2 === 1);
            return left.join(right).where('key').equalTo('key').window(TumblingEventTimeWindows.of(size)).apply((l, r) => [l.value, r.value]);
          },
          { maxDisorderMs: 300 },
        );
        const expected: Array<{ value: number[]; timestamp: number }> = [];
        for (const l of events) {
          if (l.value % 2 !== 0) continue;
          for (const r of events) {
            const w = alignedStart(l.timestamp, size, 0);
            if (r.value % 2 === 1 && r.key === l.key && alignedStart(r.timestamp, size, 0) === w) expected.push({ value: [l.value, r.value], timestamp: w + size - 1 });
          }
        }
        const key = (x: { value: number[]; timestamp: number }) => `${x.timestamp}:${x.value}`;
        expect(out.records.map(key).sort()).toEqual(expected.map(key).sort());
      }),
      { numRuns: 80 },
    );
  });
});

describe('connect', () => {
  it('coMap: one output per input of either side, in arrival order', async () => {
    await fc.assert(
      fc.asyncProperty(arbEventStream({ maxDisorderMs: 100, lateFraction: 0.1 }).map(withIds), async (events) => {
        const out = await runPipeline(
          events,
          (s) => {
            const left = s.filter((e) => e.key === 'a');
            const right = s.filter((e) => e.key !== 'a').map((e) => e.value);
            return left.connect(right).coMap((l) => `L${l.value}`, (r) => `R${r}`);
          },
          { order: 'emitted' },
        );
        expect(out.results).toEqual(events.map((e) => (e.key === 'a' ? `L${e.value}` : `R${e.value}`)));
      }),
      { numRuns: 30 },
    );
  });
});

describe('keyed process functions with event-time timers', () => {
  it('a timer at ts + delay fires once per key and timestamp when the watermark reaches it, seeing the key\'s state then', async () => {
    const BOUND = 150;
    await fc.assert(
      fc.asyncProperty(arbEventStream({ keys: ['a', 'b'], maxDisorderMs: BOUND, lateFraction: 0.15, bursts: true, maxStepMs: 100 }), fc.integer({ min: 0, max: 400 }), async (events, delay) => {
        const count = new ValueStateDescriptor<number>('count');
        const fn: KeyedProcessFunction<string, Ev, [string, number, number]> = {
          processElement(_e, ctx) {
            const c = ctx.getState(count);
            c.update((c.value() ?? 0) + 1);
            ctx.timerService().registerEventTimeTimer(ctx.timestamp + delay);
          },
          onTimer(ts, ctx, out) {
            out.collect([ctx.getCurrentKey(), ts, ctx.getState(count).value() ?? 0]);
          },
        };
        const out = await runPipeline(events, (s) => s.keyBy('key').process(fn), { maxDisorderMs: BOUND });
        // Naive: pending timers per key (a set of timestamps), fired in order whenever the watermark advances.
        const wms = [...watermarksBefore(events, BOUND).slice(1), Math.max(...events.map((e) => e.timestamp)) - BOUND - 1];
        const counts = new Map<string, number>();
        const pending: Array<[string, number]> = [];
        const fired: Array<[string, number, number]> = [];
        let wm = Number.NEGATIVE_INFINITY;
        const advance = (to: number) => {
          if (!(to > wm)) return;
          wm = to;
          const due = pending.filter(([, t]) => t <= to).sort((a, b) => a[1] - b[1]);
          for (const d of due) {
            pending.splice(pending.indexOf(d), 1);
            fired.push([d[0], d[1], counts.get(d[0])!]);
          }
        };
        events.forEach((e, i) => {
          counts.set(e.key, (counts.get(e.key) ?? 0) + 1);
          const t = e.timestamp + delay;
          if (!pending.some(([k, x]) => k === e.key && x === t)) pending.push([e.key, t]);
          advance(wms[i]!);
        });
        advance(Number.POSITIVE_INFINITY);
        const byTime = (a: [string, number, number], b: [string, number, number]) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1);
        expect([...out.results].sort(byTime)).toEqual(fired.sort(byTime));
      }),
      { numRuns: 100 },
    );
  });
});
