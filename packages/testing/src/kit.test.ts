/**
 * The kit tests itself: its models agree with weir on random streams, a crash + restore gives
 * the output of an uninterrupted run, and deliberately broken pipelines are caught and shrunk to
 * a few events with a readable report.
 */
import {
  type Collector,
  type DataStream,
  TimeWindow,
  type Trigger,
  type WindowAssigner,
} from '@weir/core';
import { EventTimeSessionWindows, EventTimeTrigger, SlidingEventTimeWindows, TumblingEventTimeWindows } from '@weir/windows';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbEventStream } from './arb-event-stream.js';
import type { TestEvent } from './events.js';
import { expectResults, ResultMismatchError } from './report.js';
import { type PipelineContext, runPipeline } from './run-pipeline.js';
import { windowModel } from './window-model.js';

type Ev = TestEvent<number>;
const streams = arbEventStream({ keys: ['a', 'b', 'c'], maxDisorderMs: 300, lateFraction: 0.1, idleGaps: true, bursts: true, maxStepMs: 400 });
const doubles = arbEventStream({ keys: ['x', 'y'], value: fc.double({ noNaN: true }), maxDisorderMs: 200, lateFraction: 0.1, bursts: true });

describe('models agree with weir', () => {
  it('tumbling (with offset): sum, min, max, minBy, maxBy, count and late elements', async () => {
    await fc.assert(
      fc.asyncProperty(streams, fc.integer({ min: -499, max: 499 }), async (events, offset) => {
        const m = windowModel.tumbling(events, 1000, { offsetMs: offset });
        const window = (s: DataStream<Ev>, ctx: PipelineContext<Ev>) =>
          s.keyBy('key').window(TumblingEventTimeWindows.of(1000, offset)).sideOutputLateData(ctx.lateTag);
        const sum = await runPipeline(events, (s, ctx) => window(s, ctx).sum('value'));
        expectResults(sum, m.sum('value'));
        expect(sum.late).toEqual(m.late());
        expectResults(await runPipeline(events, (s, ctx) => window(s, ctx).min('value')), m.min('value'));
        expectResults(await runPipeline(events, (s, ctx) => window(s, ctx).max('value')), m.max('value'));
        expectResults(await runPipeline(events, (s, ctx) => window(s, ctx).minBy('value')), m.minBy('value'));
        expectResults(await runPipeline(events, (s, ctx) => window(s, ctx).maxBy('value', false)), m.maxBy('value', false));
        const counts = await runPipeline(events, (s, ctx) =>
          window(s, ctx).aggregate({ createAccumulator: () => 0, add: (_e, n: number) => n + 1, getResult: (n) => n, merge: (a, b) => a + b }),
        );
        expect(counts.records).toEqual(m.records((w) => w.elements.length));
      }),
      { numRuns: 40 },
    );
  });

  it('sliding: maxBy and late elements (an element late for some windows stays in the others)', async () => {
    await fc.assert(
      fc.asyncProperty(streams, fc.constantFrom([1000, 500], [1000, 300], [900, 900]), async (events, [size, slide]) => {
        const m = windowModel.sliding(events, size!, slide!);
        const out = await runPipeline(events, (s, ctx) => s.keyBy('key').window(SlidingEventTimeWindows.of(size!, slide!)).sideOutputLateData(ctx.lateTag).maxBy('value'));
        expectResults(out, m.maxBy('value'));
        expect(out.late).toEqual(m.late());
      }),
      { numRuns: 40 },
    );
  });

  it('sessions: sums of doubles are bit-identical, merges and late elements agree', async () => {
    await fc.assert(
      fc.asyncProperty(doubles, fc.integer({ min: 1, max: 1500 }), async (events, gap) => {
        const m = windowModel.session(events, gap);
        const out = await runPipeline(events, (s, ctx) => s.keyBy('key').window(EventTimeSessionWindows.withGap(gap)).sideOutputLateData(ctx.lateTag).sum('value'));
        expectResults(out, m.sum('value'));
        expect(out.late).toEqual(m.late());
        expectResults(await runPipeline(events, (s) => s.keyBy('key').window(EventTimeSessionWindows.withGap(gap)).min('value')), m.min('value'));
      }),
      { numRuns: 40 },
    );
  });

  it('allowed lateness: late firings with full contents, late only after end - 1 + lateness', async () => {
    await fc.assert(
      fc.asyncProperty(streams, fc.integer({ min: 0, max: 1500 }), async (events, lateness) => {
        const m = windowModel.tumbling(events, 700, { allowedLatenessMs: lateness });
        const out = await runPipeline(events, (s, ctx) =>
          s.keyBy('key').window(TumblingEventTimeWindows.of(700)).allowedLateness(lateness).sideOutputLateData(ctx.lateTag).sum('value'),
        );
        expectResults(out, m.sum('value'));
        expect(out.late).toEqual(m.late());
        const sessions = windowModel.session(events, 300, { allowedLatenessMs: lateness });
        const s2 = await runPipeline(events, (s, ctx) =>
          s.keyBy('key').window(EventTimeSessionWindows.withGap(300)).allowedLateness(lateness).sideOutputLateData(ctx.lateTag).sum('value'),
        );
        expectResults(s2, sessions.sum('value'));
        expect(s2.late).toEqual(sessions.late());
      }),
      { numRuns: 40 },
    );
  });

  it('count windows: countWindow(size) and countWindow(size, slide), with timestamps', async () => {
    await fc.assert(
      fc.asyncProperty(streams, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), async (events, size, slide) => {
        const tumbling = await runPipeline(events, (s) => s.keyBy('key').countWindow(size).sum('value'));
        expect(tumbling.records).toEqual(windowModel.count(events, size).records((w) => w.elements.reduce((a, e) => ({ ...a, value: a.value + e.value }))));
        const sliding = await runPipeline(events, (s) => s.keyBy('key').countWindow(size, slide).maxBy('value'));
        expectResults(sliding, windowModel.count(events, size, slide).maxBy('value'));
      }),
      { numRuns: 40 },
    );
  });
});

describe('crash and restore', () => {
  it('the output after a crash at any point and a restore equals the uninterrupted run and the model', async () => {
    await fc.assert(
      fc.asyncProperty(arbEventStream({ keys: ['a', 'b'], maxDisorderMs: 200, lateFraction: 0.15, maxLength: 16, maxStepMs: 300 }), fc.nat(), async (events, n) => {
        const at = events.length === 0 ? 0 : n % (events.length + 1);
        const build = (s: DataStream<Ev>, ctx: PipelineContext<Ev>) =>
          s.keyBy('key').window(EventTimeSessionWindows.withGap(250)).sideOutputLateData(ctx.lateTag).sum('value');
        const crashed = await runPipeline(events, build, { crash: { afterEvents: at } });
        const plain = await runPipeline(events, build);
        expect(crashed.restored).toBe(true);
        expect(crashed.records).toEqual(plain.records);
        expect(crashed.late).toEqual(plain.late);
        const m = windowModel.session(events, 250);
        expectResults(crashed, m.sum('value'));
        expect(crashed.late).toEqual(m.late());
      }),
      { numRuns: 12 },
    );
  });
});

/** A broken assigner: the window end is treated as inclusive (ts = end goes to the earlier window). */
class EndInclusiveWindows implements WindowAssigner<unknown, TimeWindow> {
  constructor(private readonly size: number) {}
  assignWindows(_e: unknown, ts: number): TimeWindow[] {
    const start = Math.floor((ts - 1) / this.size) * this.size;
    return [new TimeWindow(start, start + this.size)];
  }
  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return EventTimeTrigger.create() as Trigger<unknown, TimeWindow>;
  }
  isEventTime(): boolean {
    return true;
  }
}

const windowCounts = (key: string, ctx: { window: TimeWindow }, els: readonly Ev[], out: Collector<{ key: string; start: number; n: number }>) =>
  out.collect({ key, start: ctx.window.start, n: els.length });

describe('broken pipelines are caught and shrunk', () => {
  it('an off-by-one window end shrinks to one event on a window boundary', async () => {
    const result = await fc.check(
      fc.asyncProperty(streams, async (events) => {
        const out = await runPipeline(events, (s) => s.keyBy('key').window(new EndInclusiveWindows(1000)).process(windowCounts));
        expectResults(out, windowModel.tumbling(events, 1000).apply((els, w) => ({ key: w.key as string, start: w.start!, n: els.length })));
      }),
      { seed: 11, numRuns: 200 },
    );
    expect(result.failed).toBe(true);
    const [events] = result.counterexample!;
    expect(events).toHaveLength(1);
    expect(events[0]!.timestamp % 1000).toBe(0);
    expect(String(result.errorInstance)).toContain('window [');
  });

  it('a pipeline that drops elements behind the watermark (but in open windows) shrinks to two events', async () => {
    const result = await fc.check(
      fc.asyncProperty(streams, async (events) => {
        const out = await runPipeline(events, (s) =>
          s
            .process((e: Ev, ctx, out: Collector<Ev>) => {
              if (ctx.timestamp > ctx.currentWatermark()) out.collect(e);
            })
            .keyBy('key')
            .window(TumblingEventTimeWindows.of(1000))
            .sum('value'),
        );
        expectResults(out, windowModel.tumbling(events, 1000).sum('value'));
      }),
      { seed: 5, numRuns: 200 },
    );
    expect(result.failed).toBe(true);
    expect(result.counterexample![0].length).toBeLessThanOrEqual(3);
  });

  it('a pipeline that loses its late elements (no side output) shrinks to a few events', async () => {
    const result = await fc.check(
      fc.asyncProperty(streams, async (events) => {
        const out = await runPipeline(events, (s) => s.keyBy('key').window(TumblingEventTimeWindows.of(1000)).sum('value'));
        expect(out.late).toEqual(windowModel.tumbling(events, 1000).late());
      }),
      { seed: 3, numRuns: 200 },
    );
    expect(result.failed).toBe(true);
    expect(result.counterexample![0].length).toBeLessThanOrEqual(3);
  });

  it('the report shows the first differing window and the events as a table', async () => {
    const events: Ev[] = [
      { key: 'a', value: 1, timestamp: 1000 },
      { key: 'a', value: 2, timestamp: 1500 },
    ];
    const out = await runPipeline(events, (s) => s.keyBy('key').window(new EndInclusiveWindows(1000)).process(windowCounts));
    const expected = windowModel.tumbling(events, 1000).apply((els, w) => ({ key: w.key as string, start: w.start!, n: els.length }));
    let message = '';
    try {
      expectResults(out, expected);
    } catch (e) {
      expect(e).toBeInstanceOf(ResultMismatchError);
      message = (e as Error).message;
    }
    expect(message).toBe(
      [
        'pipeline results differ from the expected ones at result #0 (window [1000, 2000) of key "a", timestamp 1999):',
        '  expected: {"key":"a","n":2,"start":1000}',
        '  actual:   {"key":"a","n":1,"start":0}',
        '  (1 results expected, 2 produced)',
        '  window contents: {"key":"a","timestamp":1000,"value":1}, {"key":"a","timestamp":1500,"value":2}',
        '',
        'events (2, in arrival order):',
        '#  key  value  timestamp  watermark',
        '0  "a"  1      1000       -inf',
        '1  "a"  2      1500       999',
      ].join('\n'),
    );
  });
});
