/**
 * Processing-time windows: the slicing and sessions operators against the generic one on random
 * arrival schedules (elements and clock moves interleaved), with a snapshot and restore at a
 * random step. The generic operator runs the same window with a trigger that behaves exactly like
 * ProcessingTimeTrigger but is not it, so the translator cannot specialise it. Window results are
 * compared with their timestamps, sorted by (timestamp, value) as results of one processing-time
 * instant have no defined order across keys.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AccSlot, aggregationFunction } from '../aggregation/accumulators.js';
import type { AggregateFunction } from '../functions/functions.js';
import type { WindowNodeSpec } from '../contract/plan.js';
import { type OnMergeContext, type Trigger, type TriggerContext, TriggerResult } from '../contract/trigger.js';
import type { WindowAssigner } from '../contract/window-assigner.js';
import type { WindowFunctionSpec } from '../contract/window-functions.js';
import type { TimeWindow, Window } from '../contract/window.js';
import { TRANSLATORS } from '../runtime/translators.js';
import { ProcessingTimeSessionWindows } from '../windows/assigners/session-windows.js';
import { SlidingProcessingTimeWindows } from '../windows/assigners/sliding-processing-time-windows.js';
import { TumblingProcessingTimeWindows } from '../windows/assigners/tumbling-processing-time-windows.js';
import { ProcessingTimeTrigger } from '../windows/triggers/processing-time-trigger.js';
import { OperatorHarness } from './operator-harness.test-util.js';
import { chooseWindowStrategy } from './window-strategy.js';

interface El {
  readonly k: string;
  readonly v: number;
}
type Step = { readonly el: El } | { readonly advance: number };

function lookalikeProcessingTimeTrigger(): Trigger<unknown, Window> {
  const t = ProcessingTimeTrigger.create() as Trigger<unknown, Window>;
  return {
    onElement: (e, ts, w, ctx: TriggerContext) => t.onElement(e, ts, w, ctx),
    onEventTime: () => TriggerResult.CONTINUE,
    onProcessingTime: (time, w, ctx) => t.onProcessingTime(time, w, ctx),
    canMerge: () => true,
    onMerge: (w, ctx: OnMergeContext) => t.onMerge!(w, ctx),
    clear: (w, ctx) => t.clear(w, ctx),
  };
}

const sumAndCount: AggregateFunction<unknown, { n: number; s: number }, string> = {
  createAccumulator: () => ({ n: 0, s: 0 }),
  add: (e, a) => ({ n: a.n + 1, s: a.s + (e as El).v }),
  getResult: (a) => `${a.n}/${a.s}`,
  merge: (a, b) => ({ n: a.n + b.n, s: a.s + b.s }),
};

/** No merge, order-sensitive: sliding windows keep an accumulator per window. */
const valuesInOrder: AggregateFunction<unknown, number[], string> = {
  createAccumulator: () => [],
  add: (e, a) => [...a, (e as El).v],
  getResult: (a) => a.join(','),
};

const FNS: Array<[string, WindowFunctionSpec]> = [
  ['sum', { kind: 'aggregate', aggregate: aggregationFunction<unknown>('sum', 'v') as AggregateFunction<unknown, unknown, unknown> }],
  ['minBy', { kind: 'aggregate', aggregate: aggregationFunction<unknown>('minBy', 'v') as AggregateFunction<unknown, AccSlot, unknown> as AggregateFunction<unknown, unknown, unknown> }],
  ['reduce', { kind: 'reduce', reduce: (a, b) => ({ k: (a as El).k, v: (a as El).v + (b as El).v }) }],
  ['aggregate without merge', { kind: 'aggregate', aggregate: valuesInOrder as AggregateFunction<unknown, unknown, unknown> }],
  [
    'aggregate + process',
    {
      kind: 'aggregate',
      aggregate: sumAndCount as AggregateFunction<unknown, unknown, unknown>,
      process: (key, ctx, [r], out) => out.collect(`${String(key)}@${(ctx.window as TimeWindow).start}-${(ctx.window as TimeWindow).end}:${String(r)}`),
    },
  ],
];

/**
 * Assigners, and the clock's granularity. Sliding windows move the clock in steps of 20 ms from
 * 1000, so it never stands at a window's last millisecond (end - 1 = 19 mod 20): the slicing
 * operator fires sliding processing-time windows once the clock passed end - 1, where Flink
 * fires at end - 1 and fires again for an element of that same millisecond (see
 * slicing-operator-base.ts).
 */
const ASSIGNERS: Array<[string, () => WindowAssigner<unknown, Window>, number]> = [
  ['tumbling 100', () => TumblingProcessingTimeWindows.of(100) as unknown as WindowAssigner<unknown, Window>, 1],
  ['sliding 100/40', () => SlidingProcessingTimeWindows.of(100, 40) as unknown as WindowAssigner<unknown, Window>, 20],
  ['sessions 50', () => ProcessingTimeSessionWindows.withGap(50) as unknown as WindowAssigner<unknown, Window>, 1],
];

const arbSteps = (granularity: number) =>
  fc.array(
    fc.oneof(
      { weight: 3, arbitrary: fc.record({ k: fc.constantFrom('a', 'b', 'c'), v: fc.integer({ min: -5, max: 9 }) }).map((el): Step => ({ el })) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 120 }).map((advance): Step => ({ advance: advance * granularity })) },
    ),
    { maxLength: 60 },
  );

function run(spec: WindowNodeSpec, steps: readonly Step[], snapshotAt: number): string[] {
  const create = () => TRANSLATORS.window(spec)!.operator;
  let h = OperatorHarness.open(create, { processingTime: 1000 });
  const out: string[] = [];
  const take = () => out.push(...h.records().map((r) => `${r.timestamp} ${JSON.stringify(r.value)}`));
  steps.forEach((step, i) => {
    if (i === snapshotAt) {
      const snap = h.snapshot();
      take();
      h = OperatorHarness.restore(create, snap);
    }
    if ('el' in step) h.element(step.el, 0);
    else h.processingTime(h.clock.now() + step.advance);
  });
  h.endInput();
  take();
  return out.sort();
}

describe('processing-time windows: the specialised operators agree with the generic one', () => {
  for (const [aName, assigner, granularity] of ASSIGNERS) {
    for (const [fName, fn] of FNS) {
      // Session windows refuse a function without merge when the job is built.
      if (fName === 'aggregate without merge' && aName.startsWith('sessions')) continue;
      it(`${aName}: ${fName}`, () => {
        fc.assert(
          fc.property(arbSteps(granularity), fc.nat(), (steps, at) => {
            const base = { keySelector: (e: unknown) => (e as El).k, evictor: undefined, allowedLateness: 0, lateDataTag: undefined, fn };
            const a = assigner();
            const special: WindowNodeSpec = { ...base, assigner: a, trigger: a.getDefaultTrigger(), defaultTrigger: true };
            const generic: WindowNodeSpec = { ...base, assigner: a, trigger: lookalikeProcessingTimeTrigger(), defaultTrigger: false };
            expect(chooseWindowStrategy(special)).not.toBe('generic');
            expect(chooseWindowStrategy(generic)).toBe('generic');
            const snapshotAt = steps.length === 0 ? 0 : at % steps.length;
            expect(run(special, steps, snapshotAt)).toEqual(run(generic, steps, snapshotAt));
          }),
          { numRuns: 100 },
        );
      });
    }
  }
});
