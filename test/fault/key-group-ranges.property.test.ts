/**
 * Restore by key-group range in running jobs (issue #17): a job stopped at a random point, whose
 * checkpoint there ends a chain of deltas, continues either whole or as one instance per
 * key-group range (random boundaries; each restores only its key groups and reads only its keys):
 * the instances together commit exactly what the whole job commits. Keyed state covered: rolling
 * aggregates, a keyed process function's value and list state with event-time timers, and
 * tumbling and session windows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DataStream, keyGroupOf, type KeyedProcessFunction, ListStateDescriptor, ValueStateDescriptor, WatermarkStrategy } from '@weir/core';
import { EventTimeSessionWindows, Time, TumblingEventTimeWindows } from '@weir/windows';
import { runSplitByRanges } from './support/cut-harness.js';

interface E {
  readonly k: string;
  readonly v: number;
  readonly ts: number;
}

const KEYS = Array.from({ length: 24 }, (_, i) => `key-${i}`);
const events = fc
  .array(fc.record({ k: fc.constantFrom(...KEYS), v: fc.integer({ min: 0, max: 9 }), dt: fc.integer({ min: 0, max: 30 }) }), { minLength: 1, maxLength: 60 })
  .map((xs) => {
    let ts = 1000;
    return xs.map((x): E => ({ k: x.k, v: x.v, ts: (ts += x.dt) }));
  });
const boundaries = fc.uniqueArray(fc.integer({ min: 1, max: 127 }), { minLength: 1, maxLength: 4 }).map((cuts) => {
  const b = [0, ...cuts.sort((x, y) => x - y), 128];
  return b.slice(1).map((end, i) => ({ start: b[i]!, end }));
});

const counter: KeyedProcessFunction<string, E, string> = {
  processElement(e, ctx, out) {
    const n = ctx.getState(new ValueStateDescriptor<number>('n'));
    const seen = ctx.getListState(new ListStateDescriptor<number>('seen'));
    n.update((n.value() ?? 0) + 1);
    seen.add(e.v);
    ctx.timerService().registerEventTimeTimer(e.ts + 40);
    out.collect(`${e.k}#${n.value()}`);
  },
  onTimer(ts, ctx, out) {
    out.collect(`${ctx.getCurrentKey()}@${ts}:${ctx.getListState(new ListStateDescriptor<number>('seen')).get().join(',')}`);
  },
};

const sorted = (outs: unknown[][]) => outs.map((o) => o.map((x) => JSON.stringify(x)).sort());

describe('instances restored by key-group ranges commit what the whole job commits', () => {
  it('rolling sum, process function with state and timers, tumbling and session windows (property)', async () => {
    await fc.assert(
      fc.asyncProperty(events, fc.nat(), boundaries, async (evs, c, ranges) => {
        const cut = c % (evs.length + 1);
        const r = await runSplitByRanges([evs], [cut], ranges, (k) => keyGroupOf(k), ([s], owns) => {
          const timed = (s as DataStream<E>).assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<E>().withTimestampAssigner((e) => e.ts));
          // Only the instance's own keys: a repartition would route them so.
          const mine = timed.filter((e) => owns(e.k));
          const keyed = mine.keyBy('k');
          return [
            keyed.sum('v').uid('rolling'),
            keyed.process(counter).uid('counter'),
            keyed.window(TumblingEventTimeWindows.of(Time.milliseconds(100))).sum('v').uid('tumbling'),
            keyed.window(EventTimeSessionWindows.withGap(25)).sum('v').uid('sessions'),
          ];
        });
        expect(sorted(r.byRanges)).toEqual(sorted(r.whole));
      }),
      { numRuns: Number(process.env.FAULT_PROPERTY_RUNS ?? 12) },
    );
  }, 120_000);
});
