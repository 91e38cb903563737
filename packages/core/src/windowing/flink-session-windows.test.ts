/**
 * Flink's WindowOperatorTest session cases, ported with Flink's inputs and exact expected outputs
 * (flink-streaming-java/.../operators/windowing/WindowOperatorTest.java): merging with count and
 * continuous triggers, point sessions, dynamic gaps, processing-time sessions, allowed lateness and
 * late side output, cleanup timers. Each case runs the operator the translator picks for its plan,
 * through a snapshot and restore where Flink's test takes one.
 *
 * Elements are Flink's `Tuple2<String, Integer>` as `[key, n]`; window results `Tuple3<String,
 * Long, Long>` as `[label, start, end]`. Like Flink's `assertOutputEqualsSorted`, records are
 * compared sorted by timestamp then value.
 */
import { describe, expect, it } from 'vitest';
import type { StreamOperator } from '../contract/operator.js';
import type { WindowNodeSpec } from '../contract/plan.js';
import type { Trigger } from '../contract/trigger.js';
import type { MergingWindowAssigner, WindowAssigner } from '../contract/window-assigner.js';
import type { WindowFunctionSpec, WindowContext } from '../contract/window-functions.js';
import { TimeWindow, type Window } from '../contract/window.js';
import type { Collector } from '../functions/functions.js';
import { TRANSLATORS } from '../runtime/translators.js';
import { EventTimeSessionWindows, ProcessingTimeSessionWindows } from '../windows/assigners/session-windows.js';
import { ContinuousEventTimeTrigger } from '../windows/triggers/continuous-event-time-trigger.js';
import { CountTrigger } from '../windows/triggers/count-trigger.js';
import { EventTimeTrigger } from '../windows/triggers/event-time-trigger.js';
import { ProcessingTimeTrigger } from '../windows/triggers/processing-time-trigger.js';
import { PurgingTrigger } from '../windows/triggers/purging-trigger.js';
import { type HarnessSnapshot, OperatorHarness } from './operator-harness.test-util.js';

type T2 = [string, number];
type T3 = [string, number, number];
const LATE = 'late-output';

/** Flink's SessionWindowFunction: the sum of the window's elements as `key-sum`, and its bounds. */
const sessionWindowFunction: WindowFunctionSpec = {
  kind: 'process',
  process: (key: unknown, ctx: WindowContext<Window>, values: readonly unknown[], out: Collector<unknown>) => {
    let sum = 0;
    for (const v of values as readonly T2[]) sum += v[1];
    const w = ctx.window as TimeWindow;
    out.collect([`${String(key)}-${sum}`, w.start, w.end] satisfies T3);
  },
};

/** Flink's SumReducer: `(value2.f0, value1.f1 + value2.f1)`. */
const sumReducer = (a: unknown, b: unknown): unknown => [(b as T2)[0], (a as T2)[1] + (b as T2)[1]];

/** Flink's SumReducer with ReducedSessionWindowFunction: `key-reduced` and the bounds. */
const reducedSessionWindowFunction: WindowFunctionSpec = {
  kind: 'reduce',
  reduce: sumReducer,
  process: (key: unknown, ctx: WindowContext<Window>, values: readonly unknown[], out: Collector<unknown>) => {
    const w = ctx.window as TimeWindow;
    for (const v of values as readonly T2[]) out.collect([`${String(key)}-${v[1]}`, w.start, w.end] satisfies T3);
  },
};

/** Flink's SumReducer with PassThroughWindowFunction. */
const passThroughSum: WindowFunctionSpec = { kind: 'reduce', reduce: sumReducer };

function spec(
  assigner: WindowAssigner<unknown, Window>,
  trigger: Trigger<unknown, Window>,
  fn: WindowFunctionSpec,
  allowedLateness = 0,
  lateDataTag?: string,
): WindowNodeSpec {
  return {
    keySelector: (t) => (t as T2)[0],
    assigner,
    trigger,
    evictor: undefined,
    allowedLateness,
    lateDataTag,
    fn,
    defaultTrigger: String(trigger) === String(assigner.getDefaultTrigger()),
  };
}

const operatorOf = (s: WindowNodeSpec) => (): StreamOperator<unknown, unknown> => TRANSLATORS.window(s)!.operator;

/** Records sorted as Flink's Tuple3ResultSortComparator/Tuple2ResultSortComparator sort them. */
function sorted(records: ReadonlyArray<{ value: unknown; timestamp: number }>): Array<[unknown, number]> {
  return records
    .map((r): [unknown, number] => [r.value, r.timestamp])
    .sort((a, b) => a[1] - b[1] || JSON.stringify(a[0]).localeCompare(JSON.stringify(b[0])));
}

const rec = (value: unknown, timestamp: number): [unknown, number] => [value, timestamp];

/** Runs `steps` on a fresh operator, snapshotting and restoring into a new one at each `'snapshot'`. */
function run(s: WindowNodeSpec, steps: Array<(h: OperatorHarness<unknown, unknown>) => void | 'snapshot'>) {
  let h = OperatorHarness.open(operatorOf(s));
  const all: Array<{ value: unknown; timestamp: number }> = [];
  const late: Array<{ value: unknown; timestamp: number }> = [];
  for (const step of steps) {
    if (step(h) === 'snapshot') {
      const snap: HarnessSnapshot = h.snapshot();
      all.push(...h.records());
      late.push(...h.side(LATE));
      h = OperatorHarness.restore(operatorOf(s), snap);
    }
  }
  return { out: () => sorted([...all, ...h.records()]), late: () => sorted([...late, ...h.side(LATE)]), harness: () => h };
}

const snapshot = (): 'snapshot' => 'snapshot';
const el = (key: string, n: number, ts: number) => (h: OperatorHarness<unknown, unknown>) => void h.element([key, n], ts);
const wm = (w: number) => (h: OperatorHarness<unknown, unknown>) => void h.watermark(w);
const pt = (t: number) => (h: OperatorHarness<unknown, unknown>) => void h.processingTime(t);

const eventSessions = (gap: number) => EventTimeSessionWindows.withGap(gap) as unknown as WindowAssigner<unknown, Window>;
const eventTrigger = EventTimeTrigger.create() as Trigger<unknown, Window>;

describe("Flink's WindowOperatorTest: session windows", () => {
  // testSessionWindows / testSessionWindowsWithProcessFunction
  it('sessions with a ProcessWindowFunction, through a snapshot', () => {
    const r = run(spec(eventSessions(3000), eventTrigger, sessionWindowFunction), [
      el('key2', 1, 0),
      el('key2', 2, 1000),
      el('key2', 3, 2500),
      el('key1', 1, 10),
      el('key1', 2, 1000),
      snapshot,
      el('key1', 3, 2500),
      el('key2', 4, 5501),
      el('key2', 5, 6000),
      el('key2', 5, 6000),
      el('key2', 6, 6050),
      wm(12000),
      el('key2', 10, 15000),
      el('key2', 20, 15000),
      wm(17999),
    ]);
    expect(r.out()).toEqual([
      rec(['key1-6', 10, 5500], 5499),
      rec(['key2-6', 0, 5500], 5499),
      rec(['key2-20', 5501, 9050], 9049),
      rec(['key2-30', 15000, 18000], 17999),
    ]);
  });

  // testReduceSessionWindows / testReduceSessionWindowsWithProcessFunction
  it('sessions with a reduce and a window function, through a snapshot', () => {
    const r = run(spec(eventSessions(3000), eventTrigger, reducedSessionWindowFunction), [
      el('key2', 1, 0),
      el('key2', 2, 1000),
      el('key2', 3, 2500),
      snapshot,
      el('key1', 1, 10),
      el('key1', 2, 1000),
      el('key1', 3, 2500),
      el('key2', 4, 5501),
      el('key2', 5, 6000),
      el('key2', 5, 6000),
      el('key2', 6, 6050),
      wm(12000),
      el('key2', 10, 15000),
      el('key2', 20, 15000),
      wm(17999),
    ]);
    expect(r.out()).toEqual([
      rec(['key1-6', 10, 5500], 5499),
      rec(['key2-6', 0, 5500], 5499),
      rec(['key2-20', 5501, 9050], 9049),
      rec(['key2-30', 15000, 18000], 17999),
    ]);
  });

  // testSessionWindowsWithCountTrigger: a merge that keeps the start must not clear the result's count
  it('PurgingTrigger(CountTrigger(4)) counts across merges: key2-10 [0, 6500) and key1-22 [10, 10000)', () => {
    const trigger = PurgingTrigger.of(CountTrigger.of(4)) as Trigger<unknown, Window>;
    const r = run(spec(eventSessions(3000), trigger, sessionWindowFunction), [
      el('key2', 1, 0),
      el('key2', 2, 1000),
      el('key2', 3, 2500),
      el('key2', 4, 3500),
      el('key1', 1, 10),
      el('key1', 2, 1000),
      snapshot,
      el('key1', 3, 2500),
      el('key1', 1, 6000),
      el('key1', 2, 6500),
      el('key1', 3, 7000),
    ]);
    expect(r.out()).toEqual([rec(['key2-10', 0, 6500], 6499)]);
    r.harness().element(['key1', 10], 4500); // merges the two key1 sessions: count 6, fires
    expect(r.out()).toEqual([rec(['key2-10', 0, 6500], 6499), rec(['key1-22', 10, 10000], 9999)]);
  });

  // testSessionWindowsWithContinuousEventTimeTrigger: merges keep the early-fire timer
  it('ContinuousEventTimeTrigger(2 s) keeps its timer across merges, through a snapshot', () => {
    const trigger = ContinuousEventTimeTrigger.of(2000) as Trigger<unknown, Window>;
    const r = run(spec(eventSessions(3000), trigger, sessionWindowFunction), [
      el('key1', 1, 1500),
      el('key2', 1, 0),
      el('key2', 3, 2500),
      el('key2', 2, 1000),
      wm(2500),
      el('key2', 5, 4000),
      wm(3000),
      snapshot,
      el('key1', 2, 4000),
      el('key2', 4, 3500),
      wm(4000),
    ]);
    expect(r.out()).toEqual([
      rec(['key1-1', 1500, 4500], 4499),
      rec(['key2-6', 0, 5500], 5499),
      rec(['key1-3', 1500, 7000], 6999),
      rec(['key2-15', 0, 7000], 6999),
    ]);
  });

  // testPointSessions: windows with start == end merge with the sessions they touch
  it('point sessions', () => {
    const base = EventTimeSessionWindows.withGap(3000);
    const pointSessions: MergingWindowAssigner<unknown> = {
      assignWindows: (e, ts) => ((e as T2)[1] === 33 ? [new TimeWindow(ts, ts)] : [new TimeWindow(ts, ts + 3000)]),
      mergeWindows: (ws, cb) => TimeWindow.mergeWindows(ws, cb),
      getDefaultTrigger: () => base.getDefaultTrigger() as Trigger<unknown, TimeWindow>,
      isEventTime: () => true,
    };
    const r = run(spec(pointSessions as WindowAssigner<unknown, Window>, eventTrigger, sessionWindowFunction), [
      el('key2', 1, 0),
      el('key2', 33, 1000),
      snapshot,
      el('key2', 33, 2500),
      el('key1', 1, 10),
      el('key1', 2, 1000),
      el('key1', 33, 2500),
      wm(12000),
    ]);
    expect(r.out()).toEqual([rec(['key2-67', 0, 3000], 2999), rec(['key1-36', 10, 4000], 3999)]);
  });

  const gapOf = (e: unknown) => {
    const [key, n] = e as T2;
    return key === 'key1' ? 3000 : key === 'key2' ? (n === 10 ? 1000 : 2000) : 0;
  };

  // testDynamicEventTimeSessionWindows
  it('dynamic gaps in event time: the furthest timeout of a session is respected', () => {
    const assigner = EventTimeSessionWindows.withDynamicGap(gapOf) as unknown as WindowAssigner<unknown, Window>;
    const r = run(spec(assigner, eventTrigger, sessionWindowFunction), [
      el('key1', 3, 10),
      el('key2', 4, 5000),
      el('key2', 5, 6000),
      wm(8999),
      el('key2', 1, 9000),
      el('key2', 2, 10000),
      el('key2', 10, 10500),
      wm(12999),
      el('key2', 10, 13000),
      el('key2', 10, 13500),
      el('key2', 1, 14000),
      wm(16999),
    ]);
    expect(r.out()).toEqual([
      rec(['key1-3', 10, 3010], 3009),
      rec(['key2-9', 5000, 8000], 7999),
      rec(['key2-13', 9000, 12000], 11999),
      rec(['key2-21', 13000, 16000], 15999),
    ]);
  });

  // testDynamicProcessingTimeSessionWindows
  it('dynamic gaps in processing time', () => {
    const assigner = ProcessingTimeSessionWindows.withDynamicGap(gapOf) as unknown as WindowAssigner<unknown, Window>;
    const r = run(spec(assigner, ProcessingTimeTrigger.create() as Trigger<unknown, Window>, sessionWindowFunction), [
      pt(10),
      el('key1', 3, 10),
      pt(5000),
      el('key2', 4, 5000),
      pt(6000),
      el('key2', 5, 6000),
      pt(8999),
      pt(9000),
      el('key2', 1, 9000),
      pt(10000),
      el('key2', 2, 10000),
      pt(10500),
      el('key2', 10, 10500),
      pt(13000),
      el('key2', 10, 13000),
      pt(13500),
      el('key2', 10, 13500),
      pt(14000),
      el('key2', 1, 14000),
      pt(16999),
    ]);
    expect(r.out()).toEqual([
      rec(['key1-3', 10, 3010], 3009),
      rec(['key2-9', 5000, 8000], 7999),
      rec(['key2-13', 9000, 12000], 11999),
      rec(['key2-21', 13000, 16000], 15999),
    ]);
  });

  // testProcessingTimeSessionWindows
  it('processing-time sessions with a reduce', () => {
    const assigner = ProcessingTimeSessionWindows.withGap(3000) as unknown as WindowAssigner<unknown, Window>;
    const r = run(spec(assigner, ProcessingTimeTrigger.create() as Trigger<unknown, Window>, passThroughSum), [
      pt(3),
      el('key2', 1, 1),
      pt(1000),
      el('key2', 1, 1002),
      pt(5000),
    ]);
    expect(r.out()).toEqual([rec(['key2', 2], 3999)]);
    const h = r.harness();
    for (const k of ['key2', 'key2', 'key1', 'key1', 'key1']) h.element([k, 1], 5000);
    h.processingTime(10000);
    expect(r.out()).toEqual([rec(['key2', 2], 3999), rec(['key1', 3], 7999), rec(['key2', 2], 7999)]);
  });
});

describe("Flink's WindowOperatorTest: session windows, lateness and cleanup", () => {
  /** The input shared by the lateness cases, up to the session [11600, 14600) firing. */
  const upToSecondSession = [
    el('key2', 1, 1000),
    wm(1999),
    el('key2', 1, 2000),
    wm(4998),
    el('key2', 1, 4500), // not late: the session it joins ends after the watermark
    el('key2', 1, 8500), // a new session
    wm(7400),
    el('key2', 1, 7000), // merges the two sessions into one
    wm(11501),
    el('key2', 1, 11600), // a new session
    wm(14600),
  ];

  // testSideOutputDueToLatenessSessionZeroLatenessPurgingTrigger
  it('zero lateness, purging trigger: late elements go to the side output and are not merged', () => {
    const r = run(spec(eventSessions(3000), PurgingTrigger.of(eventTrigger), reducedSessionWindowFunction, 0, LATE), [
      ...upToSecondSession,
      el('key2', 1, 10000),
      el('key2', 1, 10100),
      el('key2', 1, 14500),
      wm(20000),
      wm(100000),
    ]);
    expect(r.out()).toEqual([rec(['key2-5', 1000, 11500], 11499), rec(['key2-1', 11600, 14600], 14599), rec(['key2-1', 14500, 17500], 17499)]);
    expect(r.late()).toEqual([rec(['key2', 1], 10000), rec(['key2', 1], 10100)]);
  });

  // testSideOutputDueToLatenessSessionZeroLateness
  it('zero lateness: a late element goes to the side output', () => {
    const r = run(spec(eventSessions(3000), eventTrigger, reducedSessionWindowFunction, 0, LATE), [
      ...upToSecondSession,
      el('key2', 1, 10000),
      el('key2', 1, 14500),
      wm(20000),
      wm(100000),
    ]);
    expect(r.out()).toEqual([rec(['key2-5', 1000, 11500], 11499), rec(['key2-1', 11600, 14600], 14599), rec(['key2-1', 14500, 17500], 17499)]);
    expect(r.late()).toEqual([rec(['key2', 1], 10000)]);
  });

  // testDropDueToLatenessSessionWithLatenessPurgingTrigger
  it('lateness 10, purging trigger: the element at 10000 joins the session still kept and fires it at once', () => {
    const r = run(spec(eventSessions(3000), PurgingTrigger.of(eventTrigger), reducedSessionWindowFunction, 10, LATE), [
      ...upToSecondSession,
      el('key2', 1, 10000),
      el('key2', 1, 14500),
      wm(20000),
      wm(100000),
    ]);
    expect(r.out()).toEqual([
      rec(['key2-5', 1000, 11500], 11499),
      rec(['key2-1', 10000, 14600], 14599),
      rec(['key2-1', 11600, 14600], 14599),
      rec(['key2-1', 10000, 17500], 17499),
    ]);
    expect(r.late()).toEqual([]);
  });

  // testNotSideOutputDueToLatenessSessionWithLateness
  it('lateness 10, accumulating trigger: merged late elements fire the session again with its contents', () => {
    const r = run(spec(eventSessions(3000), eventTrigger, reducedSessionWindowFunction, 10, LATE), [
      ...upToSecondSession,
      el('key2', 1, 10000),
      el('key2', 1, 14500),
    ]);
    expect(r.out()).toEqual([rec(['key2-5', 1000, 11500], 11499), rec(['key2-1', 11600, 14600], 14599), rec(['key2-2', 10000, 14600], 14599)]);
    const h = r.harness();
    h.watermark(20000).watermark(100000);
    expect(r.out()).toEqual([
      rec(['key2-5', 1000, 11500], 11499),
      rec(['key2-1', 11600, 14600], 14599),
      rec(['key2-2', 10000, 14600], 14599),
      rec(['key2-3', 10000, 17500], 17499),
    ]);
    expect(r.late()).toEqual([]);
  });

  // testNotSideOutputDueToLatenessSessionWithHugeLatenessPurgingTrigger
  it('lateness 10 s, purging trigger: everything merges into one session that fires at once', () => {
    const r = run(spec(eventSessions(3000), PurgingTrigger.of(eventTrigger), reducedSessionWindowFunction, 10000, LATE), [
      ...upToSecondSession,
      el('key2', 1, 10000),
      el('key2', 1, 14500),
      wm(20000),
      wm(100000),
    ]);
    expect(r.out()).toEqual([
      rec(['key2-5', 1000, 11500], 11499),
      rec(['key2-1', 1000, 14600], 14599),
      rec(['key2-1', 11600, 14600], 14599),
      rec(['key2-1', 1000, 17500], 17499),
    ]);
    expect(r.late()).toEqual([]);
  });

  // testNotSideOutputDueToLatenessSessionWithHugeLateness
  it('lateness 10 s, accumulating trigger: the merged session fires at once with all its contents', () => {
    const r = run(spec(eventSessions(3000), eventTrigger, reducedSessionWindowFunction, 10000, LATE), [
      ...upToSecondSession,
      el('key2', 1, 10000),
      el('key2', 1, 14500),
      wm(20000),
      wm(100000),
    ]);
    expect(r.out()).toEqual([
      rec(['key2-5', 1000, 11500], 11499),
      rec(['key2-1', 11600, 14600], 14599),
      rec(['key2-7', 1000, 14600], 14599),
      rec(['key2-8', 1000, 17500], 17499),
    ]);
    expect(r.late()).toEqual([]);
  });

  // testCleanupTimerWithEmptyListStateForSessionWindows / ...EmptyReduceState...
  it('the cleanup timer of a session fires after its lateness and emits nothing more', () => {
    const listed = run(spec(eventSessions(3000), eventTrigger, { kind: 'process', process: (_k, _c, vs, out) => vs.forEach((v) => out.collect(v)) }, 10), [
      el('key2', 1, 1000),
      wm(4998),
      wm(14600),
    ]);
    expect(listed.out()).toEqual([rec(['key2', 1], 3999)]);
    expect(listed.harness().backend.entryCount).toBe(0);
    const reduced = run(spec(eventSessions(3000), eventTrigger, reducedSessionWindowFunction, 10), [el('key2', 1, 1000), wm(4998), wm(14600)]);
    expect(reduced.out()).toEqual([rec(['key2-1', 1000, 4000], 3999)]);
    expect(reduced.harness().backend.entryCount).toBe(0);
  });
});
