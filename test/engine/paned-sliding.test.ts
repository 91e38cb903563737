/**
 * Pane-based sliding windows (an optimisation) must give exactly what per-window evaluation
 * gives, including Flink's arrival-order tie rules and the first element's other fields. The
 * reference here is an independent batch computation over the input: group by key and window
 * start (the sliding formula), skip late elements as the watermark rule says, then fold in
 * arrival order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamEnvironment, WatermarkStrategy } from '@weir/core';
import { SlidingEventTimeWindows } from '@weir/windows';

interface Ev { k: string; v: number; ts: number; id: number }
type Kind = 'sum' | 'min' | 'max' | 'minBy' | 'maxBy';

function floorMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/** The batch model: late = ts + 0 <= watermark before it, where watermark = max ts so far - bound - 1. */
function model(events: Ev[], size: number, slide: number, bound: number, kind: Kind, first: boolean) {
  const windows = new Map<string, { key: string; start: number; els: Ev[] }>();
  let maxTs = Number.NEGATIVE_INFINITY;
  for (const e of events) {
    const wm = maxTs - bound - 1;
    const lastStart = e.ts - floorMod(e.ts, slide);
    for (let s = lastStart; s > e.ts - size; s -= slide) {
      if (s + size - 1 <= wm) continue; // this window already fired
      const id = `${e.k}|${s}`;
      if (!windows.has(id)) windows.set(id, { key: e.k, start: s, els: [] });
      windows.get(id)!.els.push(e);
    }
    maxTs = Math.max(maxTs, e.ts);
  }
  const out: Array<{ end: number; value: Ev }> = [];
  for (const w of windows.values()) {
    const els = w.els;
    let acc: Ev = els[0]!;
    if (kind === 'sum') acc = { ...els[0]!, v: els.reduce((s, e) => s + e.v, 0) };
    if (kind === 'min') acc = { ...els[0]!, v: Math.min(...els.map((e) => e.v)) };
    if (kind === 'max') acc = { ...els[0]!, v: Math.max(...els.map((e) => e.v)) };
    if (kind === 'maxBy' || kind === 'minBy') {
      for (const e of els.slice(1)) {
        const better = kind === 'maxBy' ? e.v > acc.v : e.v < acc.v;
        if (better || (e.v === acc.v && !first)) acc = e;
      }
    }
    out.push({ end: w.start + size - 1, value: acc });
  }
  return out;
}

const arbEvents = fc.array(
  fc.record({ k: fc.constantFrom('a', 'b', 'c'), v: fc.integer({ min: -5, max: 5 }), ts: fc.integer({ min: -3000, max: 30_000 }) }),
  { maxLength: 120 },
).map((xs) => xs.map((x, id) => ({ ...x, id })));

const sortOut = (xs: Array<{ end: number; value: Ev }>) =>
  [...xs].sort((a, b) => a.end - b.end || a.value.k.localeCompare(b.value.k) || a.value.id - b.value.id);

describe('pane-based sliding windows', () => {
  it('equal the per-window model for every built-in aggregation', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbEvents,
        fc.constantFrom<[number, number]>([10_000, 5000], [10_000, 1000], [6000, 4000], [9000, 2000], [5000, 5000], [1000, 1000]),
        fc.integer({ min: 0, max: 4000 }),
        fc.constantFrom<Kind>('sum', 'min', 'max', 'minBy', 'maxBy'),
        fc.boolean(),
        async (events, [size, slide], bound, kind, first) => {
          // A watermark after every element: the model decides lateness element by element.
          const env = StreamEnvironment.create({ perElementWatermarks: true });
          const keyed = env
            .fromCollection<Ev>(events)
            .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<Ev>(bound).withTimestampAssigner((e) => e.ts))
            .keyBy('k')
            .window(SlidingEventTimeWindows.of(size, slide));
          const result =
            kind === 'minBy' ? keyed.minBy('v', first) : kind === 'maxBy' ? keyed.maxBy('v', first) : kind === 'sum' ? keyed.sum('v') : kind === 'min' ? keyed.min('v') : keyed.max('v');
          const out = result.collect();
          await env.execute();
          const actual = out.records().map((r) => ({ end: r.timestamp, value: r.value }));
          expect(sortOut(actual)).toEqual(sortOut(model(events, size, slide, bound, kind, first)));
        },
      ),
      { numRuns: 150 },
    );
  });
});
