/**
 * For every stateful operator: restore(snapshot(s)) then any suffix equals the uninterrupted
 * run. fast-check picks the input (keys, values, out-of-order and late timestamps) and the cut;
 * the harness checkpoints exactly at the cut, cancels, restores in a new job and continues.
 * Single-input jobs must match exactly (order included); two-input jobs as multisets, because a
 * restored job may interleave its inputs differently (their results here do not depend on it).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AggregateFunction,
  type Collector,
  type DataStream,
  type KeyedProcessFunction,
  ListStateDescriptor,
  MapStateDescriptor,
  OutputTag,
  ValueStateDescriptor,
  WatermarkStrategy,
} from '@weir/core';
import {
  ContinuousEventTimeTrigger,
  Count,
  CountTrigger,
  Delta,
  EventTimeSessionWindows,
  GlobalWindows,
  SlidingEventTimeWindows,
  Time,
  TimeEvictor,
  TumblingEventTimeWindows,
} from '@weir/windows';
import { type AnyStream, runSplit } from './support/cut-harness.js';

interface E {
  readonly k: 'a' | 'b' | 'c';
  readonly v: number;
  readonly ts: number;
  readonly id: number;
}

const BOUND = 20;
/**
 * Events for three keys, out of order by less than BOUND behind the largest timestamp so far, so
 * no element is late. (Late data is left out on purpose: the watermark is not part of a
 * checkpoint, so after a restore an element that was late may be accepted; see the report of
 * issue 3.)
 */
const arbEvents = (maxLength = 40) =>
  fc
    .array(fc.record({ k: fc.constantFrom<'a' | 'b' | 'c'>('a', 'b', 'c'), v: fc.integer({ min: -5, max: 20 }), dt: fc.integer({ min: -(BOUND - 1), max: 40 }) }), { maxLength })
    .map((xs) => {
      let max = 1000;
      return xs.map((x, id): E => {
        const ts = max + x.dt;
        max = Math.max(max, ts);
        return { k: x.k, v: x.v, ts, id };
      });
    });

const timed = (s: DataStream<unknown>, bound = BOUND) =>
  (s as DataStream<E>).assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<E>(bound).withTimestampAssigner((e) => e.ts));
const plain = (s: DataStream<unknown>) => s as DataStream<E>;
const sortAll = (outs: unknown[][]) => outs.map((o) => o.map((x) => JSON.stringify(x)).sort());

/** The key an output belongs to: its `k` field, or the leading letters of a string. */
const keyOf = (x: unknown): string =>
  typeof x === 'object' && x !== null && 'k' in x ? String((x as { k: unknown }).k) : typeof x === 'string' ? /^[a-z]*/.exec(x)![0] : '';

/**
 * Each key's outputs in order. Flink orders outputs per key (per key and timestamp, timers fire in
 * order), not across keys: windows of different keys that fire at the same watermark may come
 * out in another order after a restore, as in Flink, whose timer queue breaks ties arbitrarily.
 */
function perKey(out: readonly unknown[]): Array<[string, string[]]> {
  const m = new Map<string, string[]>();
  for (const x of out) {
    const k = keyOf(x);
    let list = m.get(k);
    if (!list) m.set(k, (list = []));
    list.push(JSON.stringify(x));
  }
  return [...m].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
const RUNS = Number(process.env.FAULT_PROPERTY_RUNS ?? 12);

async function singleInput(build: (s: DataStream<unknown>) => AnyStream[], ordered = true): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arbEvents(), fc.nat(), async (events, c) => {
      const r = await runSplit([events], [c % (events.length + 1)], ([s]) => build(s!));
      if (ordered) expect(r.split.map(perKey)).toEqual(r.uninterrupted.map(perKey));
      else expect(sortAll(r.split)).toEqual(sortAll(r.uninterrupted));
    }),
    { numRuns: RUNS },
  );
}

async function twoInputs(build: (a: DataStream<unknown>, b: DataStream<unknown>) => AnyStream[]): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arbEvents(25), arbEvents(25), fc.nat(), fc.nat(), async (x, y, c1, c2) => {
      const r = await runSplit([x, y], [c1 % (x.length + 1), c2 % (y.length + 1)], ([a, b]) => build(a!, b!));
      expect(sortAll(r.split)).toEqual(sortAll(r.uninterrupted));
    }),
    { numRuns: RUNS },
  );
}

const avg: AggregateFunction<E, { n: number; s: number }, number> = {
  createAccumulator: () => ({ n: 0, s: 0 }),
  add: (e, a) => ({ n: a.n + 1, s: a.s + e.v }),
  getResult: (a) => a.s / a.n,
  merge: (a, b) => ({ n: a.n + b.n, s: a.s + b.s }),
};

const keyedProcess: KeyedProcessFunction<string, E, string> = {
  processElement(e, ctx, out) {
    const count = ctx.getState(new ValueStateDescriptor<number>('count'));
    const last = ctx.getListState(new ListStateDescriptor<number>('last'));
    const byMod = ctx.getMapState(new MapStateDescriptor<number, number>('byMod'));
    count.update((count.value() ?? 0) + 1);
    last.add(e.v);
    const m = ((e.v % 3) + 3) % 3;
    byMod.put(m, (byMod.get(m) ?? 0) + 1);
    ctx.timerService().registerEventTimeTimer(e.ts + 25);
    out.collect(`${e.k}#${count.value()}`);
  },
  onTimer(ts, ctx, out) {
    const last = [...ctx.getListState(new ListStateDescriptor<number>('last')).get()];
    const byMod = ctx.getMapState(new MapStateDescriptor<number, number>('byMod'));
    out.collect(`${ctx.getCurrentKey()}@${ts}: ${last.slice(-3).join(',')} ${[0, 1, 2].map((m) => byMod.get(m) ?? 0).join('/')}`);
  },
};

describe('restore(snapshot(s)) then any suffix equals the uninterrupted run', () => {
  it('keyed rolling aggregations (sum, min, max, minBy, maxBy, reduce)', () =>
    singleInput((s) => {
      const k = plain(s).keyBy('k');
      return [k.sum('v'), k.min('v'), k.max('v'), k.minBy('v'), k.maxBy('v', false), k.reduce((a, b) => ({ ...a, v: a.v * 2 + b.v }))];
    }));

  it('keyed process function: value, list and map state, event-time timers', () => singleInput((s) => [timed(s).keyBy('k').process(keyedProcess)]));

  it('tumbling event-time window with allowed lateness and a late side output', () =>
    singleInput((s) => {
      const late = new OutputTag<E>('late');
      const w = timed(s).keyBy('k').window(TumblingEventTimeWindows.of(Time.milliseconds(50))).allowedLateness(30).sideOutputLateData(late).sum('v');
      return [w, w.getSideOutput(late)];
    }));

  it('sliding event-time window with an aggregate function', () =>
    singleInput((s) => [
      timed(s)
        .keyBy('k')
        .window(SlidingEventTimeWindows.of(Time.milliseconds(60), Time.milliseconds(20)))
        .aggregate(avg, (k: string, ctx, [mean], out: Collector<{ k: string; start: number; mean: number }>) => out.collect({ k, start: ctx.window.start, mean: mean! })),
    ]));

  it('session windows (merging) with reduce and a process function', () =>
    singleInput((s) => [
      timed(s)
        .keyBy('k')
        .window(EventTimeSessionWindows.withGap(25))
        .reduce(
          (a: E, b: E) => ({ ...a, v: a.v + b.v }),
          (key: string, ctx, xs: readonly E[], out) => out.collect(`${key}[${ctx.window.start},${ctx.window.end}) ${xs[0]!.v}`),
        )
        ,
    ]));

  it('count windows: countWindow(3), countWindow(4, 2), the seed Count.of(3).every(Count.of(2))', () =>
    singleInput((s) => {
      const k = plain(s).keyBy('k');
      return [
        k.countWindow(3).sum('v'),
        k.countWindow(4, 2).reduce((a, b) => ({ ...a, v: a.v + b.v })),
        k
          .window(Count.of(3))
          .every(Count.of(2))
          .mapWindow((xs: readonly E[], out: Collector<{ k: string; ids: number[] }>) => out.collect({ k: xs[0]!.k, ids: xs.map((x) => x.id) }))
          ,
      ];
    }));

  it('the seed delta policy (its reference point is state)', () =>
    singleInput((s) => [
      plain(s)
        .keyBy('k')
        .window(Delta.of(6, (a: E, b: E) => Math.abs(b.v - a.v), { k: 'a', v: 0, ts: 0, id: -1 }))
        .mapWindow((xs: readonly E[], out: Collector<{ k: string; ids: number[] }>) => out.collect({ k: xs[0]!.k, ids: xs.map((x) => x.id) }))
        ,
    ]));

  it('global window with a count trigger and a time evictor; continuous event-time trigger', () =>
    singleInput((s) => [
      timed(s)
        .keyBy('k')
        .window(GlobalWindows.create())
        .trigger(CountTrigger.of(3))
        .evictor(TimeEvictor.of(Time.milliseconds(30)))
        .process((key: string, _ctx, xs: readonly E[], out: Collector<string>) => out.collect(`${key}:${xs.map((x) => x.id).join(',')}`))
        ,
      timed(s).keyBy('k').window(TumblingEventTimeWindows.of(Time.milliseconds(100))).trigger(ContinuousEventTimeTrigger.of(Time.milliseconds(30))).sum('v'),
    ]));

  it('non-keyed windows: windowAll tumbling sum, the seed Count.of(4) mapWindow', () =>
    singleInput((s) => [
      timed(s).windowAll(TumblingEventTimeWindows.of(Time.milliseconds(50))).sum('v'),
      plain(s)
        .window(Count.of(4))
        .mapWindow((xs: readonly E[], out: Collector<number[]>) => out.collect(xs.map((x) => x.id)))
        ,
    ]));

  it('iteration: elements in the feedback loop at the checkpoint survive it', () =>
    singleInput((s) => {
      const it = plain(s)
        .map((e) => ({ id: e.id, n: Math.abs(e.v) % 7 }))
        .iterate();
      const step = it.map((x) => ({ ...x, n: x.n - 1 }));
      it.closeWith(step.filter((x) => x.n > 0));
      // Loop order is a scheduling detail; the multiset of results is what must survive.
      return [step.filter((x) => x.n <= 0)];
    }, false));

  it('co-reduce on connected keyed streams', () =>
    twoInputs((a, b) => [
      plain(a)
        .connect(plain(b))
        .groupBy('k', 'k')
        .reduce({ reduce1: (x, y) => ({ ...x, v: x.v + y.v }), reduce2: (x, y) => (y.v > x.v ? y : x), map1: (x) => `1:${x.k}:${x.v}`, map2: (x) => `2:${x.k}:${x.v}` })
        ,
    ]));

  it('window join and window cross of two inputs; union into a keyed window', () =>
    twoInputs((a, b) => {
      // A bound larger than any disorder and than the input span: windows fire only at the end,
      // so the result does not depend on how the two inputs interleave.
      const x = timed(a, 1e9);
      const y = timed(b, 1e9);
      return [
        x.join(y).where('k').equalTo('k').window(TumblingEventTimeWindows.of(Time.milliseconds(50))).apply((l: E, r: E) => `${l.id}-${r.id}`),
        x.cross(y).window(TumblingEventTimeWindows.of(Time.milliseconds(80))).apply((l: E, r: E) => `${l.id}x${r.id}`),
        // sum keeps the first element of the window, which depends on the interleaving: compare k and v.
        x.union(y).keyBy('k').window(TumblingEventTimeWindows.of(Time.milliseconds(50))).sum('v').map((e) => ({ k: e.k, v: e.v })),
      ];
    }));
});
