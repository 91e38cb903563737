/**
 * Count and delta windows: the count-and-delta operator against the generic operator running the
 * same trigger through a look-alike wrapper (so the translator cannot specialise it), on random
 * keyed streams with a snapshot and restore at a random element and the end of input, for
 * `countWindow(n)`, a non-purging `CountTrigger`, `DeltaTrigger` (purging or not) and the seed's
 * `Count.of` and `Delta.of`, with built-in aggregations, a reduce and an aggregate with a
 * ProcessWindowFunction. Results are compared with their timestamps, in order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregationFunction } from '../aggregation/accumulators.js';
import type { AggregateFunction } from '../functions/functions.js';
import type { WindowNodeSpec } from '../contract/plan.js';
import type { Trigger } from '../contract/trigger.js';
import type { WindowAssigner } from '../contract/window-assigner.js';
import type { WindowFunctionSpec } from '../contract/window-functions.js';
import type { Window } from '../contract/window.js';
import { TRANSLATORS } from '../runtime/translators.js';
import { GlobalWindows } from '../windows/assigners/global-windows.js';
import { Count } from '../windows/policies/count-policy.js';
import { Delta } from '../windows/policies/delta-policy.js';
import { CountTrigger } from '../windows/triggers/count-trigger.js';
import { DeltaTrigger } from '../windows/triggers/delta-trigger.js';
import { PurgingTrigger } from '../windows/triggers/purging-trigger.js';
import { OperatorHarness } from './operator-harness.test-util.js';
import { chooseWindowStrategy } from './window-strategy.js';

interface El {
  readonly k: string;
  readonly v: number;
}

/** The same trigger, every hook forwarded, but not one the translator recognises. */
function lookalike(t: Trigger<unknown, Window>): Trigger<unknown, Window> {
  return {
    ...(t.onElementBefore ? { onElementBefore: (e, ts, w, c) => t.onElementBefore!(e, ts, w, c) } : {}),
    onElement: (e, ts, w, c) => t.onElement(e, ts, w, c),
    onEventTime: (time, w, c) => t.onEventTime(time, w, c),
    onProcessingTime: (time, w, c) => t.onProcessingTime(time, w, c),
    clear: (w, c) => t.clear(w, c),
  };
}

const absDiff = (a: unknown, b: unknown) => Math.abs((a as El).v - (b as El).v);

const TRIGGERS: Array<[string, () => { assigner: WindowAssigner<unknown, Window>; trigger: Trigger<unknown, Window> }]> = [
  ['countWindow(3)', () => ({ assigner: GlobalWindows.create() as WindowAssigner<unknown, Window>, trigger: PurgingTrigger.of(CountTrigger.of(3)) })],
  ['CountTrigger(2), not purging', () => ({ assigner: GlobalWindows.create() as WindowAssigner<unknown, Window>, trigger: CountTrigger.of(2) })],
  ['DeltaTrigger(4)', () => ({ assigner: GlobalWindows.create() as WindowAssigner<unknown, Window>, trigger: DeltaTrigger.of(4, absDiff) })],
  ['PurgingTrigger(DeltaTrigger(4))', () => ({ assigner: GlobalWindows.create() as WindowAssigner<unknown, Window>, trigger: PurgingTrigger.of(DeltaTrigger.of(4, absDiff)) })],
  ["the seed's Count.of(3)", () => Count.of(3).toWindowing() as { assigner: WindowAssigner<unknown, Window>; trigger: Trigger<unknown, Window> }],
  ["the seed's Delta.of(4)", () => Delta.of(4, absDiff, { k: '', v: 5 }).toWindowing() as { assigner: WindowAssigner<unknown, Window>; trigger: Trigger<unknown, Window> }],
];

const sumAndCount: AggregateFunction<unknown, { n: number; s: number }, string> = {
  createAccumulator: () => ({ n: 0, s: 0 }),
  add: (e, a) => ({ n: a.n + 1, s: a.s + (e as El).v }),
  getResult: (a) => `${a.n}/${a.s}`,
  merge: (a, b) => ({ n: a.n + b.n, s: a.s + b.s }),
};

const FNS: Array<[string, WindowFunctionSpec]> = [
  ['sum', { kind: 'aggregate', aggregate: aggregationFunction<unknown>('sum', 'v') as AggregateFunction<unknown, unknown, unknown> }],
  ['maxBy', { kind: 'aggregate', aggregate: aggregationFunction<unknown>('maxBy', 'v') as AggregateFunction<unknown, unknown, unknown> }],
  ['reduce', { kind: 'reduce', reduce: (a, b) => ({ k: (a as El).k, v: (a as El).v * 2 + (b as El).v }) }],
  ['aggregate + process', { kind: 'aggregate', aggregate: sumAndCount as AggregateFunction<unknown, unknown, unknown>, process: (key, _c, [r], out) => out.collect(`${String(key)}=${String(r)}`) }],
];

const arbElements = fc.array(fc.record({ k: fc.constantFrom('a', 'b'), v: fc.integer({ min: 0, max: 12 }), ts: fc.integer({ min: 0, max: 1000 }) }), { maxLength: 40 });

function run(spec: WindowNodeSpec, els: ReadonlyArray<El & { ts: number }>, snapshotAt: number): Array<[unknown, number]> {
  const create = () => TRANSLATORS.window(spec)!.operator;
  let h = OperatorHarness.open(create);
  const out: Array<[unknown, number]> = [];
  const take = () => out.push(...h.records().map((r): [unknown, number] => [r.value, r.timestamp]));
  els.forEach((e, i) => {
    if (i === snapshotAt) {
      const snap = h.snapshot();
      take();
      h = OperatorHarness.restore(create, snap);
    }
    h.element({ k: e.k, v: e.v }, e.ts);
  });
  h.endInput();
  take();
  return out;
}

describe('count and delta windows: the count-and-delta operator agrees with the generic one', () => {
  for (const [tName, make] of TRIGGERS) {
    for (const [fName, fn] of FNS) {
      it(`${tName}: ${fName}`, () => {
        fc.assert(
          fc.property(arbElements, fc.nat(), (els, at) => {
            const { assigner, trigger } = make();
            const base = { keySelector: (e: unknown) => (e as El).k, evictor: undefined, allowedLateness: 0, lateDataTag: undefined, fn, assigner, defaultTrigger: false };
            const lean: WindowNodeSpec = { ...base, trigger };
            const generic: WindowNodeSpec = { ...base, trigger: lookalike(trigger) };
            expect(chooseWindowStrategy(lean)).toBe('count-delta');
            expect(chooseWindowStrategy(generic)).toBe('generic');
            const snapshotAt = els.length === 0 ? 0 : at % els.length;
            expect(run(lean, els, snapshotAt)).toEqual(run(generic, els, snapshotAt));
          }),
          { numRuns: 100 },
        );
      });
    }
  }
});
