/**
 * Tumbling, sliding and session event-time windows (with their default EventTimeTrigger) against
 * the naive grouping of naive.ts, on random streams with bounded disorder, late events, idle
 * gaps, bursts and negative timestamps: same windows, same contents, same late elements; each
 * window fires once, stamped end - 1, at the first watermark that reaches end - 1.
 */
import type { Collector, TimeWindow, WindowContext } from '@weir/core';
import { arbEventStream, type PipelineRun, runPipeline } from '@weir/testing';
import { CumulativeEventTimeWindows, EventTimeSessionWindows, SlidingEventTimeWindows, TumblingEventTimeWindows } from '@weir/windows';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byWindow, type Ev, naiveCumulativeWindows, naiveSessions, naiveTimeWindows, type WindowResult, withIds } from './naive.js';

const streams = (bound: number) =>
  arbEventStream({ keys: ['a', 'b', 'c'], maxDisorderMs: bound, lateFraction: 0.15, idleGaps: true, bursts: true, maxStepMs: 300 }).map(withIds);

interface Fired extends WindowResult {
  watermark: number;
}

const describeWindow = (key: string, ctx: WindowContext<TimeWindow>, els: readonly Ev[], out: Collector<Fired>) =>
  out.collect({ key, start: ctx.window.start, end: ctx.window.end, ids: els.map((e) => e.value).sort((a, b) => a - b), watermark: ctx.currentWatermark });

/** Every window fired at the first watermark >= end - 1 of the trace, stamped end - 1. */
function checkFiring(out: PipelineRun<Fired, Ev>): void {
  const wms = out.watermarks.map((w) => w.watermark);
  for (const r of out.records) {
    expect(r.timestamp).toBe(r.value.end - 1);
    expect(r.value.watermark).toBe(wms.find((w) => w >= r.value.end - 1));
  }
}

const strip = (rs: readonly Fired[]): WindowResult[] => rs.map(({ key, start, end, ids }) => ({ key, start, end, ids })).sort(byWindow);

describe('tumbling event-time windows', () => {
  it('match the naive grouping by floor((ts - offset) / size), late elements to the side output', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 0, max: 1999 }),
        fc.context(),
        async (bound, size, rawOffset, _ctx) => {
          const offset = (rawOffset % size) * (rawOffset % 2 === 0 ? 1 : -1);
          const [events] = fc.sample(streams(bound), { numRuns: 1, seed: size * 7919 + rawOffset });
          const out = await runPipeline(events!, (s, ctx) =>
            s.keyBy('key').window(TumblingEventTimeWindows.of(size, offset)).sideOutputLateData(ctx.lateTag).process(describeWindow),
            { maxDisorderMs: bound },
          );
          const naive = naiveTimeWindows(events!, size, size, offset, bound);
          expect(strip(out.results)).toEqual(naive.results);
          expect(out.late).toEqual(naive.late);
          checkFiring(out);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('sliding event-time windows', () => {
  it('match the naive grouping; an element late for some windows is kept in the others', async () => {
    await fc.assert(
      fc.asyncProperty(streams(200), fc.integer({ min: 1, max: 1500 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: -400, max: 400 }), async (events, slide, k, rawOffset) => {
        const size = slide * k + (k % 2 === 0 ? Math.floor(slide / 2) : 0); // also size % slide != 0
        const offset = rawOffset % slide;
        const out = await runPipeline(events, (s, ctx) =>
          s.keyBy('key').window(SlidingEventTimeWindows.of(size, slide, offset)).sideOutputLateData(ctx.lateTag).process(describeWindow),
          { maxDisorderMs: 200 },
        );
        const naive = naiveTimeWindows(events, size, slide, offset, 200);
        expect(strip(out.results)).toEqual(naive.results);
        expect(out.late).toEqual(naive.late);
        checkFiring(out);
      }),
      { numRuns: 150 },
    );
  });
});

describe('cumulative event-time windows', () => {
  it('match the naive grouping into growing windows of each epoch; late elements to the side output', async () => {
    await fc.assert(
      fc.asyncProperty(streams(200), fc.integer({ min: 1, max: 800 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: -3000, max: 3000 }), async (events, step, k, offset) => {
        const maxSize = step * k;
        const out = await runPipeline(events, (s, ctx) =>
          s.keyBy('key').window(CumulativeEventTimeWindows.of(maxSize, step, offset)).sideOutputLateData(ctx.lateTag).process(describeWindow),
          { maxDisorderMs: 200 },
        );
        const naive = naiveCumulativeWindows(events, maxSize, step, offset, 200);
        expect(strip(out.results)).toEqual(naive.results);
        expect(out.late).toEqual(naive.late);
        checkFiring(out);
      }),
      { numRuns: 100 },
    );
  });
});

describe('event-time session windows', () => {
  it('merge overlapping and touching windows as the naive per-key session list does', async () => {
    await fc.assert(
      fc.asyncProperty(streams(300), fc.integer({ min: 1, max: 1200 }), async (events, gap) => {
        const out = await runPipeline(events, (s, ctx) =>
          s.keyBy('key').window(EventTimeSessionWindows.withGap(gap)).sideOutputLateData(ctx.lateTag).process(describeWindow),
          { maxDisorderMs: 300 },
        );
        const naive = naiveSessions(events, gap, 300);
        expect(strip(out.results)).toEqual(naive.results);
        expect(out.late).toEqual(naive.late);
        checkFiring(out);
      }),
      { numRuns: 200 },
    );
  });

  it('dynamic gaps: each element opens [ts, ts + gap(element))', async () => {
    await fc.assert(
      fc.asyncProperty(streams(0), async (events) => {
        const gapOf = (e: Ev) => 100 + (e.value % 5) * 150;
        const out = await runPipeline(events, (s) => s.keyBy('key').window(EventTimeSessionWindows.withDynamicGap<Ev>(gapOf)).process(describeWindow), { maxDisorderMs: 0 });
        // Naive: per key, sessions of [ts, ts + gap(e)) merged when they overlap or touch.
        const expected = naiveDynamicSessions(events, gapOf);
        expect(strip(out.results)).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });
});

/** Watermarks with bound 0; an event whose merged session has already closed is dropped (late). */
function naiveDynamicSessions(events: readonly Ev[], gapOf: (e: Ev) => number): WindowResult[] {
  let max = Number.NEGATIVE_INFINITY;
  const open = new Map<string, WindowResult[]>();
  const done: WindowResult[] = [];
  for (const e of events) {
    const wm = max - 1;
    for (const [k, list] of open) open.set(k, list.filter((s) => (s.end - 1 <= wm ? (done.push(s), false) : true)));
    let s: WindowResult = { key: e.key, start: e.timestamp, end: e.timestamp + gapOf(e), ids: [e.value] };
    const rest: WindowResult[] = [];
    for (const o of open.get(e.key) ?? []) {
      if (o.start <= s.end && o.end >= s.start) s = { key: e.key, start: Math.min(o.start, s.start), end: Math.max(o.end, s.end), ids: [...o.ids, ...s.ids] };
      else rest.push(o);
    }
    if (s.end - 1 > wm) open.set(e.key, [...rest, s]);
    max = Math.max(max, e.timestamp);
  }
  for (const list of open.values()) done.push(...list);
  return done.map((w) => ({ ...w, ids: [...w.ids].sort((a, b) => a - b) })).sort(byWindow);
}
