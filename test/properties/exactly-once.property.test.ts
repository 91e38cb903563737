/**
 * Exactly-once state across a crash (DESIGN.md "Guarantees"): for each kind of stateful
 * operator, a run that crashes before a random event and restores from its latest checkpoint
 * (in a fresh environment, via @weir/testing's runPipeline) commits the same output as a run
 * without the crash. State covered: window contents of every window type, merging-window sets,
 * trigger state (count, seed count, seed delta reference point, delta trigger), evictor-trimmed
 * buffers, rolling aggregates, processing-time timers, join buffers, late side output.
 */
import type { Collector, DataStream } from '@weir/core';
import { arbEventStream, type PipelineContext, type PipelineOutputs, runPipeline, type TestEvent } from '@weir/testing';
import {
  ContinuousEventTimeTrigger,
  Count,
  CountTrigger,
  Delta,
  DeltaTrigger,
  EventTimeSessionWindows,
  GlobalWindows,
  PurgingTrigger,
  SlidingEventTimeWindows,
  TimeEvictor,
  TumblingEventTimeWindows,
  TumblingProcessingTimeWindows,
} from '@weir/windows';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

type Ev = TestEvent<number>;
const events = arbEventStream({ keys: ['a', 'b'], value: fc.integer({ min: 0, max: 20 }), maxDisorderMs: 300, lateFraction: 0.1, bursts: true, maxStepMs: 200, maxLength: 14 });
const absDelta = (a: Ev, b: Ev) => Math.abs(a.value - b.value);
const show = (k: string, _c: unknown, els: readonly Ev[], out: Collector<string>) => out.collect(`${k}:${els.map((e) => `${e.value}@${e.timestamp}`).join(',')}`);

const pipelines: Record<string, (s: DataStream<Ev>, ctx: PipelineContext<Ev>) => DataStream<string> | PipelineOutputs<string, Ev>> = {
  'countWindow(3)': (s) => s.keyBy('key').countWindow(3).process(show),
  'countWindow(3, 2)': (s) => s.keyBy('key').countWindow(3, 2).process(show),
  'Count.of(3)': (s) => s.groupBy('key').window(Count.of(3)).process(show),
  'Delta.of': (s) => s.groupBy('key').window(Delta.of(5, absDelta, { key: '', value: 10, timestamp: 0 })).process(show),
  'PurgingTrigger(DeltaTrigger)': (s) => s.keyBy('key').window(GlobalWindows.create()).trigger(PurgingTrigger.of(DeltaTrigger.of(5, absDelta))).process(show),
  'CountTrigger + TimeEvictor': (s) => s.keyBy('key').window(GlobalWindows.create()).trigger(CountTrigger.of(2)).evictor(TimeEvictor.of(300)).process(show),
  'sliding + allowed lateness + late output': (s, ctx) => {
    const sums = s.keyBy('key').window(SlidingEventTimeWindows.of(600, 200)).allowedLateness(300).sideOutputLateData(ctx.lateTag).sum('value');
    return { results: sums.map((e) => JSON.stringify(e)), late: sums.getSideOutput(ctx.lateTag) };
  },
  'sessions + allowed lateness': (s, ctx) => s.keyBy('key').window(EventTimeSessionWindows.withGap(250)).allowedLateness(200).sideOutputLateData(ctx.lateTag).process(show),
  // The pane path (built-in aggregations on tumbling/sliding event-time windows) keeps its
  // accumulators in per-key pane lists, checkpointed in columns.
  'tumbling sum (panes)': (s) => s.keyBy('key').window(TumblingEventTimeWindows.of(400)).sum('value').map((e) => JSON.stringify(e)),
  'sliding maxBy (panes)': (s) => s.keyBy('key').window(SlidingEventTimeWindows.of(600, 200)).maxBy('value').map((e) => JSON.stringify(e)),
  'rolling maxBy': (s) => s.keyBy('key').maxBy('value').map((e) => JSON.stringify(e)),
  'processing-time windows': (s) => s.keyBy('key').window(TumblingProcessingTimeWindows.of(3)).process(show),
  'window join': (s) =>
    s
      .filter((e) => e.value % 2 === 0)
      .join(s.filter((e) => e.value % 2 === 1))
      .where('key')
      .equalTo('key')
      .window(TumblingEventTimeWindows.of(500))
      .apply((a, b) => `${a.value}@${a.timestamp}-${b.value}@${b.timestamp}`),
  // Timers registered at or behind the watermark fire at its next rise, also after a restore
  // (operators checkpoint their watermark).
  'keyed timers in the past': (s) =>
    s.keyBy('key').process<string>({
      processElement(e, ctx) {
        ctx.timerService().registerEventTimeTimer(e.timestamp - 500);
      },
      onTimer(ts, ctx, out) {
        out.collect(`${String(ctx.getCurrentKey())}@${ts} wm ${ctx.currentWatermark()}`);
      },
    }),
  'ContinuousEventTimeTrigger': (s) => s.keyBy('key').window(TumblingEventTimeWindows.of(800)).trigger(ContinuousEventTimeTrigger.of(200)).process(show),
};

const canonical = (records: readonly unknown[]) => records.map((r) => JSON.stringify(r)).sort();

describe('a crash at any point, then restore: the same committed output as without the crash', () => {
  for (const [name, build] of Object.entries(pipelines)) {
    it(name, async () => {
      await fc.assert(
        fc.asyncProperty(events, fc.nat(), async (evs, n) => {
          const at = n % (evs.length + 1);
          const plain = await runPipeline(evs, build);
          const crashed = await runPipeline(evs, build, { crash: { afterEvents: at } });
          expect(crashed.restored).toBe(true);
          expect(canonical(crashed.records)).toEqual(canonical(plain.records));
          expect(crashed.late).toEqual(plain.late);
        }),
        { numRuns: 6 },
      );
    });
  }
});
