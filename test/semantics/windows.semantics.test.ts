/**
 * Flink's documented window edge cases, as examples with results worked out by hand from
 * shared/reference/flink-semantics.md (section numbers in the test names).
 */
import { type Collector, OutputTag, StreamEnvironment, TimeWindow, WatermarkStrategy, type WindowContext } from '@weir/core';
import {
  EventTimeSessionWindows,
  GlobalWindows,
  SlidingEventTimeWindows,
  TumblingEventTimeWindows,
} from '@weir/windows';
import { describe, expect, it } from 'vitest';

interface Ev {
  k: string;
  v: number;
  ts: number;
  /** A punctuated watermark to emit right after this element. */
  wm?: number;
}

const ev = (v: number, ts: number, wm?: number): Ev => (wm === undefined ? { k: 'a', v, ts } : { k: 'a', v, ts, wm });

/** Watermarks only where an element says so (punctuated), so each test controls them exactly. */
const punctuated = WatermarkStrategy.forGenerator<Ev>(() => ({
  onEvent(e, _ts, out) {
    if (e.wm !== undefined) out.emitWatermark(e.wm);
  },
  onPeriodicEmit() {},
})).withTimestampAssigner((e) => e.ts);

const bounded = (ms: number) => WatermarkStrategy.forBoundedOutOfOrderness<Ev>(ms).withTimestampAssigner((e) => e.ts);

type Fired = { start: number; end: number; vs: number[]; wm: number; ts?: number };
const describeWindow = (_k: string, ctx: WindowContext<TimeWindow>, els: readonly Ev[], out: Collector<Fired>) =>
  out.collect({ start: ctx.window.start, end: ctx.window.end, vs: els.map((e) => e.v), wm: ctx.currentWatermark });

describe('window start and end (§1.1, §1.2)', () => {
  it('getWindowStartWithOffset uses floor-mod: negative timestamps and offsets', () => {
    expect(TimeWindow.getWindowStartWithOffset(-1, 0, 10)).toBe(-10);
    expect(TimeWindow.getWindowStartWithOffset(-10, 0, 10)).toBe(-10);
    expect(TimeWindow.getWindowStartWithOffset(-11, 0, 10)).toBe(-20);
    expect(TimeWindow.getWindowStartWithOffset(2, 3, 10)).toBe(-7);
    expect(TimeWindow.getWindowStartWithOffset(6, -3, 10)).toBe(-3);
    expect(TimeWindow.getWindowStartWithOffset(-4, -3, 10)).toBe(-13);
  });

  it('a tumbling pipeline puts ts -1 in [-10, 0) stamped -1, ts 10 in [10, 20): the end is exclusive', async () => {
    const env = StreamEnvironment.create();
    const out = env
      .fromElements(ev(1, -1), ev(2, 0), ev(3, 9), ev(4, 10))
      .assignTimestampsAndWatermarks(bounded(100))
      .keyBy('k')
      .window(TumblingEventTimeWindows.of(10))
      .process(describeWindow)
      .collect();
    await env.execute();
    expect(out.records().map((r) => [r.value.start, r.value.end, r.value.vs, r.timestamp])).toEqual([
      [-10, 0, [1], -1],
      [0, 10, [2, 3], 9],
      [10, 20, [4], 19],
    ]);
  });

  it('with an offset of 3, windows are [-7, 3), [3, 13): ts 2 and ts 3 are in different windows', async () => {
    const env = StreamEnvironment.create();
    const out = env
      .fromElements(ev(1, 2), ev(2, 3), ev(3, -7))
      .assignTimestampsAndWatermarks(bounded(100))
      .keyBy('k')
      .window(TumblingEventTimeWindows.of(10, 3))
      .process(describeWindow)
      .collect();
    await env.execute();
    expect(out.items().map((f) => [f.start, f.vs])).toEqual([
      [-7, [1, 3]],
      [3, [2]],
    ]);
  });

  it('invalid windows throw a ConfigError naming the assigner', () => {
    expect(() => TumblingEventTimeWindows.of(0)).toThrow(/TumblingEventTimeWindows/);
    expect(() => TumblingEventTimeWindows.of(10, 10)).toThrow(/abs\(offset\) < size/);
    expect(() => SlidingEventTimeWindows.of(10, 5, 5)).toThrow(/abs\(offset\) < slide/);
    expect(() => EventTimeSessionWindows.withGap(0)).toThrow(/0 < size/);
  });
});

describe('firing (§1.3 EventTimeTrigger)', () => {
  it('fires exactly when the watermark reaches end - 1, not before', async () => {
    const env = StreamEnvironment.create();
    const out = env
      .fromElements(ev(1, 0), ev(2, 5, 8), ev(3, 6, 9), ev(4, 15, 30))
      .assignTimestampsAndWatermarks(punctuated)
      .keyBy('k')
      .window(TumblingEventTimeWindows.of(10))
      .process(describeWindow)
      .collect();
    await env.execute();
    // Watermark 8 leaves [0, 10) open; 9 = end - 1 fires it, with 1, 2 and 3 (3 arrived before watermark 9).
    expect(out.items()).toEqual([
      { start: 0, end: 10, vs: [1, 2, 3], wm: 9 },
      { start: 10, end: 20, vs: [4], wm: 30 },
    ]);
  });

  it('the end of bounded input (+Infinity watermark) fires every pending window, even without watermarks', async () => {
    const env = StreamEnvironment.create();
    const out = env
      .fromElements(ev(1, 0), ev(2, 500), ev(3, 25))
      .assignTimestampsAndWatermarks(WatermarkStrategy.noWatermarks<Ev>().withTimestampAssigner((e) => e.ts))
      .keyBy('k')
      .window(TumblingEventTimeWindows.of(10))
      .process(describeWindow)
      .collect();
    await env.execute();
    expect(out.items().map((f) => [f.start, f.vs, f.wm])).toEqual([
      [0, [1], Number.POSITIVE_INFINITY],
      [20, [3], Number.POSITIVE_INFINITY],
      [500, [2], Number.POSITIVE_INFINITY],
    ]);
  });

  it('GlobalWindows: never late, nothing fires without a trigger; createWithEndOfStreamTrigger fires at the end', async () => {
    const env = StreamEnvironment.create();
    const s = env.fromElements(ev(1, 100), ev(2, 0, 1000)).assignTimestampsAndWatermarks(punctuated).keyBy('k');
    const never = s.window(GlobalWindows.create()).sum('v').collect();
    const atEnd = s.window(GlobalWindows.createWithEndOfStreamTrigger()).sum('v').collect();
    await env.execute();
    expect(never.items()).toEqual([]);
    expect(atEnd.items()).toEqual([{ k: 'a', v: 3, ts: 100 }]);
  });
});

describe('late elements (§1.5)', () => {
  const late = new OutputTag<Ev>('late');

  it('without allowed lateness: a late element goes to the side output, or is counted as dropped', async () => {
    const env = StreamEnvironment.create();
    const src = env.fromElements(ev(1, 5), ev(2, 20, 19), ev(3, 7)).assignTimestampsAndWatermarks(punctuated).keyBy('k');
    const withTag = src.window(TumblingEventTimeWindows.of(10)).sideOutputLateData(late).process(describeWindow);
    const sideOut = withTag.getSideOutput(late).collect();
    const main = withTag.collect();
    const dropped = src.window(TumblingEventTimeWindows.of(10)).sum('v').name('no side output').collect();
    await env.execute();
    expect(main.items().map((f) => [f.start, f.vs])).toEqual([
      [0, [1]],
      [20, [2]],
    ]);
    expect(sideOut.records()).toEqual([{ value: ev(3, 7), timestamp: 7 }]);
    expect(dropped.items()).toEqual([{ k: 'a', v: 1, ts: 5 }, ev(2, 20, 19)]);
    const op = env.metrics().operators.find((o) => o.name === 'no side output');
    expect(op?.lateRecordsDropped).toBe(1);
  });

  it('with allowed lateness: a late firing with the full contents, then late after end - 1 + lateness', async () => {
    const env = StreamEnvironment.create();
    const w = env
      .fromElements(ev(1, 5), ev(2, 12, 11), ev(3, 7), ev(4, 20, 14), ev(5, 8))
      .assignTimestampsAndWatermarks(punctuated)
      .keyBy('k')
      .window(TumblingEventTimeWindows.of(10))
      .allowedLateness(5)
      .sideOutputLateData(late)
      .process(describeWindow);
    const main = w.collect();
    const sideOut = w.getSideOutput(late).collect();
    await env.execute();
    // Watermark 11 fires [0,10) = {1}; 3 arrives (11 < 9 + 5): fires again with {1, 3};
    // watermark 14 = 9 + 5 clears it, so 5 is late.
    expect(main.items().map((f) => [f.start, f.vs])).toEqual([
      [0, [1]],
      [0, [1, 3]],
      [10, [2]],
      [20, [4]],
    ]);
    expect(sideOut.items()).toEqual([ev(5, 8)]);
  });

  it('sliding: an element late for some of its windows is kept in the others and not side-output (T19)', async () => {
    const env = StreamEnvironment.create();
    const w = env
      .fromElements(ev(1, 20, 19), ev(2, 17))
      .assignTimestampsAndWatermarks(punctuated)
      .keyBy('k')
      .window(SlidingEventTimeWindows.of(10, 5))
      .sideOutputLateData(late)
      .process(describeWindow);
    const main = w.collect();
    const sideOut = w.getSideOutput(late).collect();
    await env.execute();
    // ts 17 is in [10,20) (ended: 19 <= 19) and [15,25) (open).
    expect(main.items().map((f) => [f.start, f.vs])).toEqual([
      [15, [1, 2]],
      [20, [1]],
    ]);
    expect(sideOut.items()).toEqual([]);
  });
});

describe('session windows (§1.1, §1.2)', () => {
  it('two elements exactly gap apart merge ([0,3000) and [3000,6000) touch); 3001 apart do not', async () => {
    const env = StreamEnvironment.create();
    const out = env
      .fromElements(ev(1, 0), ev(2, 3000), ev(3, 9001))
      .assignTimestampsAndWatermarks(bounded(10_000))
      .keyBy('k')
      .window(EventTimeSessionWindows.withGap(3000))
      .process(describeWindow)
      .collect();
    await env.execute();
    expect(out.records().map((r) => [r.value.start, r.value.end, r.value.vs, r.timestamp])).toEqual([
      [0, 6000, [1, 2], 5999],
      [9001, 12001, [3], 12000],
    ]);
  });

  it('an element between two sessions merges all three windows into one', async () => {
    const env = StreamEnvironment.create();
    const out = env
      .fromElements(ev(1, 0), ev(2, 5000), ev(3, 2500))
      .assignTimestampsAndWatermarks(bounded(10_000))
      .keyBy('k')
      .window(EventTimeSessionWindows.withGap(3000))
      .sum('v')
      .collect();
    await env.execute();
    expect(out.records()).toEqual([{ value: { k: 'a', v: 6, ts: 0 }, timestamp: 7999 }]);
  });
});
