/**
 * Flink's processing-time triggers and window stagger: ContinuousProcessingTimeTriggerTest and
 * WindowStaggerTest ported with Flink's inputs and expected values, and ProcessingTimeoutTriggerTest's
 * cases run through a window operator (Flink runs them on a bare trigger harness; here the
 * trigger's decisions show as window results).
 */
import { describe, expect, it } from 'vitest';
import type { StreamOperator } from '../contract/operator.js';
import type { WindowNodeSpec } from '../contract/plan.js';
import type { Trigger } from '../contract/trigger.js';
import type { WindowAssigner } from '../contract/window-assigner.js';
import type { WindowFunctionSpec } from '../contract/window-functions.js';
import type { TimeWindow, Window } from '../contract/window.js';
import { TRANSLATORS } from '../runtime/translators.js';
import { GlobalWindows } from '../windows/assigners/global-windows.js';
import { ProcessingTimeSessionWindows } from '../windows/assigners/session-windows.js';
import { TumblingProcessingTimeWindows } from '../windows/assigners/tumbling-processing-time-windows.js';
import { WindowStagger } from '../windows/assigners/window-stagger.js';
import { ContinuousProcessingTimeTrigger } from '../windows/triggers/continuous-processing-time-trigger.js';
import { CountTrigger } from '../windows/triggers/count-trigger.js';
import { ProcessingTimeTrigger } from '../windows/triggers/processing-time-trigger.js';
import { ProcessingTimeoutTrigger } from '../windows/triggers/processing-timeout-trigger.js';
import { PurgingTrigger } from '../windows/triggers/purging-trigger.js';
import { OperatorHarness } from './operator-harness.test-util.js';
import { chooseWindowStrategy } from './window-strategy.js';

/** Flink's IntegerSumWindowFunction: the window and the sum of its integers. */
const windowedSum: WindowFunctionSpec = {
  kind: 'process',
  process: (_k, ctx, els, out) => {
    const w = ctx.window as TimeWindow;
    out.collect([w.start, w.end, (els as number[]).reduce((a, b) => a + b, 0)]);
  },
};
const count: WindowFunctionSpec = { kind: 'process', process: (_k, _c, els, out) => out.collect(els.length) };

function spec(assigner: unknown, trigger: unknown, fn: WindowFunctionSpec): WindowNodeSpec {
  const a = assigner as WindowAssigner<unknown, Window>;
  return {
    keySelector: () => 0,
    assigner: a,
    trigger: trigger as Trigger<unknown, Window>,
    evictor: undefined,
    allowedLateness: 0,
    lateDataTag: undefined,
    fn,
    defaultTrigger: trigger === a.getDefaultTrigger(),
  };
}

const open = (s: WindowNodeSpec) => OperatorHarness.open((): StreamOperator<unknown, unknown> => TRANSLATORS.window(s)!.operator);
const records = (h: OperatorHarness<unknown, unknown>) => h.records().map((r) => [r.value, r.timestamp]);

describe("Flink's ContinuousProcessingTimeTriggerTest", () => {
  it('testWindowFiring: fires every 5 ms and at the end of each window', () => {
    const trigger = ContinuousProcessingTimeTrigger.of(5);
    expect(trigger.canMerge()).toBe(true);
    const h = open(spec(TumblingProcessingTimeWindows.of(10), trigger, windowedSum));
    h.processingTime(0).element(1, 0);
    h.processingTime(2).element(2, 0);
    h.processingTime(5);
    expect(records(h)).toEqual([[[0, 10, 3], 9]]);
    h.processingTime(7).element(3, 0);
    h.processingTime(9);
    expect(records(h)).toEqual([
      [[0, 10, 3], 9],
      [[0, 10, 6], 9],
    ]);
    h.processingTime(10).element(3, 0);
    h.processingTime(15);
    h.processingTime(18).element(3, 0);
    h.processingTime(20);
    expect(records(h)).toEqual([
      [[0, 10, 3], 9],
      [[0, 10, 6], 9],
      [[10, 20, 3], 19],
      [[10, 20, 6], 19],
    ]);
  });

  it('testMergingWindows: the merged session keeps the timer and fires on time', () => {
    const h = open(spec(ProcessingTimeSessionWindows.withGap(10), ContinuousProcessingTimeTrigger.of(5), windowedSum));
    h.processingTime(0).element(1, 0);
    h.processingTime(2).element(2, 0);
    h.processingTime(5);
    expect(records(h)).toEqual([[[0, 12, 3], 11]]);
    h.processingTime(9);
    expect(records(h)).toHaveLength(1);
    h.processingTime(10);
    h.processingTime(15);
    expect(records(h)).toEqual([
      [[0, 12, 3], 11],
      [[0, 12, 3], 11],
      [[0, 12, 3], 11],
    ]);
    h.processingTime(100);
    expect(records(h)).toHaveLength(3);
    expect(h.backend.entryCount).toBe(0);
  });
});

describe("Flink's ProcessingTimeoutTriggerTest, through a window operator", () => {
  it('testWindowFireWithoutResetTimer: fires at the timeout from the first element, then clears the count', () => {
    const h = open(spec(GlobalWindows.create(), ProcessingTimeoutTrigger.of(CountTrigger.of(3), 50, false, true), count));
    h.element('a', 0).element('b', 0);
    h.processingTime(40);
    expect(h.values()).toEqual([]);
    h.processingTime(50);
    expect(h.values()).toEqual([2]);
    // The count restarted: three more elements fire (the window was not purged: five elements).
    h.element('c', 0).element('d', 0);
    expect(h.values()).toEqual([2]);
    h.element('e', 0);
    expect(h.values()).toEqual([2, 5]);
  });

  it('testWindowFireWithResetTimer: each element restarts the timeout', () => {
    const h = open(spec(GlobalWindows.create(), ProcessingTimeoutTrigger.of(CountTrigger.of(3), 50, true, true), count));
    h.processingTime(0).element('a', 0);
    h.processingTime(10).element('b', 0);
    h.processingTime(50);
    expect(h.values()).toEqual([]);
    h.processingTime(60);
    expect(h.values()).toEqual([2]);
    h.element('c', 0).element('d', 0).element('e', 0);
    expect(h.values()).toEqual([2, 5]);
  });

  it('testWindowFireWithoutClearOnTimeout: the nested count survives the timeout', () => {
    const h = open(spec(GlobalWindows.create(), ProcessingTimeoutTrigger.of(CountTrigger.of(3), 50, false, false), count));
    h.element('a', 0).element('b', 0);
    h.processingTime(50);
    expect(h.values()).toEqual([2]);
    // CountTrigger still holds 2: the next element is its third.
    h.element('c', 0);
    expect(h.values()).toEqual([2, 3]);
  });

  it('testWindowPurgingWhenInnerTriggerIsPurging: the timeout fires and purges', () => {
    const trigger = ProcessingTimeoutTrigger.of(PurgingTrigger.of(ProcessingTimeTrigger.create()), 50, false, false);
    const h = open(spec(TumblingProcessingTimeWindows.of(100), trigger, count));
    h.element('a', 0).element('b', 0);
    h.processingTime(50);
    expect(h.values()).toEqual([2]);
    // Purged: the window's end fires with nothing in it, so emits nothing.
    h.processingTime(99);
    expect(h.values()).toEqual([2]);
  });
});

describe("Flink's WindowStaggerTest and staggered tumbling processing-time windows", () => {
  it('testWindowStagger', () => {
    expect(WindowStagger.ALIGNED.getStaggerOffset(500, 5000)).toBe(0);
    expect(WindowStagger.NATURAL.getStaggerOffset(5500, 5000)).toBe(500);
    for (let i = 0; i < 100; i++) {
      const r = WindowStagger.RANDOM.getStaggerOffset(0, 5000);
      expect(r).toBeGreaterThanOrEqual(0);
      expect(r).toBeLessThan(5000);
    }
  });

  it.each([
    ['the slicing operator (sum)', { kind: 'reduce', reduce: (a: unknown, b: unknown) => (a as number) + (b as number) } as WindowFunctionSpec, 'tumbling'],
    ['the generic operator (process)', { kind: 'process', process: (_k, _c, els, out) => out.collect((els as number[]).reduce((a, b) => a + b, 0)) } as WindowFunctionSpec, 'generic'],
  ])('NATURAL stagger aligns the windows to the first element (%s), also after a restore', (_name, fn, family) => {
    const assigner = TumblingProcessingTimeWindows.of(1000, 0, WindowStagger.NATURAL);
    const s = spec(assigner, assigner.getDefaultTrigger(), fn);
    expect(chooseWindowStrategy(s)).toBe(family);
    const create = (): StreamOperator<unknown, unknown> => TRANSLATORS.window(s)!.operator;
    let h = OperatorHarness.open(create, { processingTime: 5300 });
    h.element(1, 0);
    h.processingTime(6000).element(2, 0);
    const snap = h.snapshot();
    h = OperatorHarness.restore(create, snap);
    h.processingTime(6299);
    h.processingTime(6300).element(4, 0);
    h.processingTime(7299);
    // Windows [5300, 6300) and [6300, 7300): the offset is the first element's 300 ms.
    expect(records(h)).toEqual([
      [3, 6299],
      [4, 7299],
    ]);
  });
});
