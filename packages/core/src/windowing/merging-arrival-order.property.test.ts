/**
 * Merging windows do not depend on arrival order: for random session streams cut into segments
 * by watermarks, every merge-capable trigger whose decisions Flink makes on the merged window
 * (at the watermark, from state it merges) gives the same results when the elements of each
 * segment arrive in any other order, the watermark sequence kept. Before windows had the whole
 * window as their namespace, a session that grew while keeping its start lost its trigger state
 * and timers in one order and kept them in another (issue 16).
 *
 * Elements are never late (each segment's timestamps lie after the previous watermark), so the
 * only difference between two orders is how sessions are built up and merged on the way.
 * Triggers: EventTimeTrigger (its timer is moved on every merge), PurgingTrigger of it, and a
 * trigger that counts elements in partitioned state, merges the counts and fires at the window's
 * end when enough arrived (state, timers and onMerge together), with and without allowed lateness,
 * with and without a snapshot and restore before the last segment.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WindowNodeSpec } from '../contract/plan.js';
import { type OnMergeContext, type Trigger, type TriggerContext, TriggerResult } from '../contract/trigger.js';
import type { WindowAssigner } from '../contract/window-assigner.js';
import type { WindowFunctionSpec } from '../contract/window-functions.js';
import type { TimeWindow, Window } from '../contract/window.js';
import { TRANSLATORS } from '../runtime/translators.js';
import { ReducingStateDescriptor } from '../state/descriptors.js';
import { EventTimeSessionWindows } from '../windows/assigners/session-windows.js';
import { EventTimeTrigger } from '../windows/triggers/event-time-trigger.js';
import { PurgingTrigger } from '../windows/triggers/purging-trigger.js';
import { OperatorHarness } from './operator-harness.test-util.js';

interface El {
  readonly k: string;
  readonly v: number;
  readonly ts: number;
}
interface Segment {
  readonly elements: readonly El[];
  readonly watermark: number;
}

/** Fires at the end of a window holding at least `min` elements; the count merges with the window. */
class CountAtEndTrigger implements Trigger<unknown, Window> {
  private readonly count = new ReducingStateDescriptor<number>('count-at-end', (a, b) => a + b);
  constructor(private readonly min: number) {}
  onElement(_e: unknown, _ts: number, w: Window, ctx: TriggerContext): TriggerResult {
    ctx.getPartitionedState(this.count).add(1);
    ctx.registerEventTimeTimer(w.maxTimestamp());
    return TriggerResult.CONTINUE;
  }
  onEventTime(time: number, w: Window, ctx: TriggerContext): TriggerResult {
    return time === w.maxTimestamp() && (ctx.getPartitionedState(this.count).get() ?? 0) >= this.min ? TriggerResult.FIRE : TriggerResult.CONTINUE;
  }
  onProcessingTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }
  canMerge(): boolean {
    return true;
  }
  onMerge(w: Window, ctx: OnMergeContext): void {
    ctx.mergePartitionedState(this.count as ReducingStateDescriptor<unknown>);
    ctx.registerEventTimeTimer(w.maxTimestamp());
  }
  clear(w: Window, ctx: TriggerContext): void {
    ctx.getPartitionedState(this.count).clear();
    ctx.deleteEventTimeTimer(w.maxTimestamp());
  }
}

const GAP = 100;

/** Window results as `key [start, end) sum count`. */
const summary: WindowFunctionSpec = {
  kind: 'process',
  process: (key, ctx, els, out) => {
    const w = ctx.window as TimeWindow;
    out.collect(`${String(key)} [${w.start}, ${w.end}) ${(els as El[]).reduce((s, e) => s + e.v, 0)} ${els.length}`);
  },
};
const sumValue: WindowFunctionSpec = { kind: 'reduce', reduce: (a, b) => ({ k: (a as El).k, v: (a as El).v + (b as El).v }) };

const triggers: Array<[string, () => Trigger<unknown, Window>]> = [
  ['EventTimeTrigger', () => EventTimeTrigger.create() as Trigger<unknown, Window>],
  ['PurgingTrigger(EventTimeTrigger)', () => PurgingTrigger.of(EventTimeTrigger.create()) as Trigger<unknown, Window>],
  ['CountAtEnd(3)', () => new CountAtEndTrigger(3)],
];

/** Segments of elements for two keys; every timestamp is after the previous watermark. */
const arbSegments = fc
  .array(
    fc.record({
      elements: fc.array(fc.record({ k: fc.constantFrom('a', 'b'), v: fc.integer({ min: 1, max: 9 }), dt: fc.integer({ min: 1, max: 2 * GAP }) }), {
        minLength: 1,
        maxLength: 8,
      }),
      advance: fc.integer({ min: 0, max: 3 * GAP }),
    }),
    { minLength: 1, maxLength: 5 },
  )
  .map((segments) => {
    let watermark = 0;
    return segments.map((s): Segment => {
      const elements = s.elements.map((e) => ({ k: e.k, v: e.v, ts: watermark + e.dt }));
      watermark = Math.max(watermark, ...elements.map((e) => e.ts)) - GAP + s.advance;
      return { elements, watermark };
    });
  });

/** The same segments with each segment's elements permuted by the given sort keys. */
const reorder = (segments: readonly Segment[], keys: readonly number[]): Segment[] => {
  let i = 0;
  return segments.map((s) => ({
    watermark: s.watermark,
    elements: s.elements
      .map((e) => [e, keys[i++ % keys.length]!] as const)
      .sort((a, b) => a[1] - b[1])
      .map(([e]) => e),
  }));
};

function runSegments(spec: WindowNodeSpec, segments: readonly Segment[], snapshotBeforeLast: boolean): string[] {
  const create = () => TRANSLATORS.window(spec)!.operator;
  let h = OperatorHarness.open(create);
  const out: string[] = [];
  segments.forEach((s, i) => {
    if (snapshotBeforeLast && i === segments.length - 1) {
      const snap = h.snapshot();
      out.push(...h.records().map((r) => `${JSON.stringify(r.value)} @${r.timestamp}`));
      h = OperatorHarness.restore(create, snap);
    }
    // The reduce keeps only key and value: which element's timestamp field survives depends on order.
    for (const e of s.elements) h.element({ k: e.k, v: e.v }, e.ts);
    h.watermark(s.watermark);
  });
  h.watermark(Number.POSITIVE_INFINITY);
  out.push(...h.records().map((r) => `${JSON.stringify(r.value)} @${r.timestamp}`));
  return out.sort();
}

describe('session windows: results do not depend on arrival order within a watermark', () => {
  for (const [name, trigger] of triggers) {
    for (const [fnName, fn] of [
      ['a ProcessWindowFunction', summary],
      ['a reduce', sumValue],
    ] as const) {
      it(`${name} with ${fnName}`, () => {
        fc.assert(
          fc.property(
            arbSegments,
            fc.array(fc.integer(), { minLength: 1, maxLength: 40 }),
            fc.constantFrom(0, 50),
            fc.boolean(),
            (segments, keys, lateness, snapshot) => {
              const spec: WindowNodeSpec = {
                keySelector: (e) => (e as El).k,
                assigner: EventTimeSessionWindows.withGap(GAP) as unknown as WindowAssigner<unknown, Window>,
                trigger: trigger(),
                evictor: undefined,
                allowedLateness: lateness,
                lateDataTag: undefined,
                fn,
                defaultTrigger: name === 'EventTimeTrigger',
              };
              const inOrder = runSegments(spec, segments, snapshot);
              expect(runSegments(spec, reorder(segments, keys), snapshot)).toEqual(inOrder);
              expect(runSegments(spec, segments.map((s) => ({ ...s, elements: [...s.elements].reverse() })), snapshot)).toEqual(inOrder);
            },
          ),
          { numRuns: 150 },
        );
      });
    }
  }
});
