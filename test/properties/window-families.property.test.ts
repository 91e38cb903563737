/**
 * The window operator families against each other and against @weir/testing's models, on random
 * streams (bounded disorder, late events, idle gaps, bursts), each run of the specialised family
 * crashing at a random point and restoring from its last checkpoint:
 *
 * - slicing (tumbling and sliding) and sessions run what the translator picks for the assigner's
 *   own trigger; the generic operator runs the same window with a trigger that behaves exactly
 *   like the assigner's but is not it (so the translator cannot specialise);
 * - the model is windowModel.tumbling / sliding / session with the same allowed lateness.
 *
 * Functions: the built-in aggregations, a user reduce, a user AggregateFunction with merge, and a
 * ProcessWindowFunction over the aggregate that reports the window. Results are compared with
 * their timestamps, late elements as the side output gives them.
 */
import {
  type AggregateFunction,
  type DataStream,
  type OutputTag,
  type TimeWindow,
  type Trigger,
  type TriggerContext,
  type OnMergeContext,
  TriggerResult,
  type Window,
} from '@weir/core';
import { arbEventStream, type PipelineRun, runPipeline, type TestEvent, windowModel, type WindowModelResult } from '@weir/testing';
import { EventTimeSessionWindows, EventTimeTrigger, SlidingEventTimeWindows, TumblingEventTimeWindows } from '@weir/windows';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

type Ev = TestEvent<number, string>;

/** EventTimeTrigger's decisions, from an object the translator does not recognise. */
function lookalikeEventTimeTrigger(): Trigger<Ev, Window> {
  const t = EventTimeTrigger.create() as Trigger<unknown, Window>;
  return {
    onElement: (e: Ev, ts: number, w: Window, ctx: TriggerContext) => t.onElement(e, ts, w, ctx),
    onEventTime: (time: number, w: Window, ctx: TriggerContext) => t.onEventTime(time, w, ctx),
    onProcessingTime: () => TriggerResult.CONTINUE,
    canMerge: () => true,
    onMerge: (w: Window, ctx: OnMergeContext) => t.onMerge!(w, ctx),
    clear: (w: Window, ctx: TriggerContext) => t.clear(w, ctx),
    toString: () => 'lookalike EventTimeTrigger',
  };
}

/** A windowed stream of a kind, with or without the look-alike trigger. */
type Windowing = (s: DataStream<Ev>, generic: boolean, lateness: number, late: OutputTag<Ev>) => ReturnType<ReturnType<DataStream<Ev>['keyBy']>['window']>;

interface Kind {
  readonly name: string;
  readonly window: Windowing;
  readonly model: (events: readonly Ev[], lateness: number) => WindowModelResult<Ev>;
}

const withTrigger = <W extends { trigger(t: Trigger<Ev, Window>): W }>(w: W, generic: boolean): W => (generic ? w.trigger(lookalikeEventTimeTrigger()) : w);

const KINDS: Kind[] = [
  {
    name: 'tumbling 500 ms, offset 100',
    window: (s, g, l, tag) => withTrigger(s.keyBy('key').window(TumblingEventTimeWindows.of(500, 100)), g).allowedLateness(l).sideOutputLateData(tag),
    model: (e, l) => windowModel.tumbling(e, 500, { offsetMs: 100, allowedLatenessMs: l }),
  },
  {
    name: 'sliding 600 ms / 200 ms',
    window: (s, g, l, tag) => withTrigger(s.keyBy('key').window(SlidingEventTimeWindows.of(600, 200)), g).allowedLateness(l).sideOutputLateData(tag),
    model: (e, l) => windowModel.sliding(e, 600, 200, { allowedLatenessMs: l }),
  },
  {
    name: 'sliding 500 ms / 200 ms (slices of 100)',
    window: (s, g, l, tag) => withTrigger(s.keyBy('key').window(SlidingEventTimeWindows.of(500, 200)), g).allowedLateness(l).sideOutputLateData(tag),
    model: (e, l) => windowModel.sliding(e, 500, 200, { allowedLatenessMs: l }),
  },
  {
    name: 'sessions, gap 300 ms',
    window: (s, g, l, tag) => withTrigger(s.keyBy('key').window(EventTimeSessionWindows.withGap(300)), g).allowedLateness(l).sideOutputLateData(tag),
    model: (e, l) => windowModel.session(e, 300, { allowedLatenessMs: l }),
  },
];

/** A commutative, associative reduce: its result does not depend on the order it folds in. */
const sumReduce = (a: Ev, b: Ev): Ev => ({ key: a.key, value: a.value + b.value, timestamp: Math.min(a.timestamp, b.timestamp) });
const reduceOfWindow = (els: readonly Ev[]): Ev => els.reduce(sumReduce);

const countAndSum: AggregateFunction<Ev, { n: number; sum: number }, string> = {
  createAccumulator: () => ({ n: 0, sum: 0 }),
  add: (e, acc) => {
    acc.n++;
    acc.sum += e.value;
    return acc;
  },
  getResult: (acc) => `${acc.n}:${acc.sum}`,
  merge: (a, b) => {
    a.n += b.n;
    a.sum += b.sum;
    return a;
  },
};

/**
 * No `merge`, and order-sensitive: on sliding windows every window keeps its own accumulator,
 * and the values must come out in arrival order, as a one-by-one fold gives them.
 */
const valuesInArrivalOrder: AggregateFunction<Ev, number[], string> = {
  createAccumulator: () => [],
  add: (e, acc) => {
    acc.push(e.value);
    return acc;
  },
  getResult: (acc) => acc.join(','),
};

/** A stream of results of any type (DataStream is invariant in its type). */
// biome-ignore lint/suspicious/noExplicitAny: the functions' results differ in type
type Results = DataStream<any>;

interface Fn {
  readonly name: string;
  readonly apply: (w: ReturnType<Windowing>) => Results;
  readonly model: (m: WindowModelResult<Ev>) => unknown[];
  /** Session windows need a function that can merge (they refuse this one when the job is built). */
  readonly withoutMerge?: boolean;
}

const FNS: Fn[] = [
  { name: 'sum', apply: (w) => w.sum('value'), model: (m) => m.sum('value') },
  { name: 'min', apply: (w) => w.min('value'), model: (m) => m.min('value') },
  { name: 'max', apply: (w) => w.max('value'), model: (m) => m.max('value') },
  { name: 'minBy', apply: (w) => w.minBy('value'), model: (m) => m.minBy('value') },
  { name: 'maxBy (last on ties)', apply: (w) => w.maxBy('value', false), model: (m) => m.maxBy('value', false) },
  { name: 'reduce', apply: (w) => w.reduce(sumReduce), model: (m) => m.apply((els) => reduceOfWindow(els)) },
  { name: 'aggregate with merge', apply: (w) => w.aggregate(countAndSum), model: (m) => m.apply((els) => `${els.length}:${els.reduce((s, e) => s + e.value, 0)}`) },
  {
    name: 'aggregate without merge (order-sensitive)',
    apply: (w) => w.aggregate(valuesInArrivalOrder),
    model: (m) => m.apply((els) => els.map((e) => e.value).join(',')),
    withoutMerge: true,
  },
  {
    name: 'aggregate + ProcessWindowFunction',
    apply: (w) => w.aggregate(countAndSum, (key, ctx, [r], out) => out.collect(`${key}[${(ctx.window as TimeWindow).start},${(ctx.window as TimeWindow).end})=${r}`)),
    model: (m) => m.apply((els, win) => `${String(win.key)}[${win.start},${win.end})=${els.length}:${els.reduce((s, e) => s + e.value, 0)}`),
  },
];

const BOUND = 150;
const streams = arbEventStream({ keys: ['a', 'b'], maxDisorderMs: BOUND, lateFraction: 0.15, idleGaps: true, bursts: true, maxStepMs: 120, maxLength: 60 });

const records = (r: PipelineRun<unknown, Ev>) => r.records.map((x) => [x.value, x.timestamp]);

describe('window operator families agree with each other and with the models', () => {
  for (const kind of KINDS) {
    for (const fn of FNS) {
      if (fn.withoutMerge && kind.name.startsWith('sessions')) continue;
      it(`${kind.name}: ${fn.name}`, async () => {
        await fc.assert(
          fc.asyncProperty(streams, fc.constantFrom(0, 250), fc.nat(), async (events, lateness, crashSeed) => {
            const build = (generic: boolean) => (s: DataStream<Ev>, ctx: { lateTag: OutputTag<Ev> }) => fn.apply(kind.window(s, generic, lateness, ctx.lateTag));
            const crash = { afterEvents: events.length === 0 ? 0 : crashSeed % (events.length + 1), checkpointIntervalMs: 1 + (crashSeed % 3) };
            const special = await runPipeline(events, build(false), { crash });
            const generic = await runPipeline(events, build(true));
            const model = kind.model(events, lateness);
            expect(records(special)).toEqual(records(generic));
            expect(special.results).toEqual(fn.model(model));
            expect(special.late).toEqual(generic.late);
            expect(special.late).toEqual(model.late());
          }),
          { numRuns: 20 },
        );
      });
    }
  }
});
