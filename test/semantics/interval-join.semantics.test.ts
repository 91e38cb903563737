/**
 * Interval joins through the whole runtime: Flink's `IntervalJoinITCase` with its inputs and
 * expected results, then properties against a nested-loop model (every pair of equal keys whose
 * timestamps are within the bounds), with and without late data.
 */
import { type DataStream, OutputTag, StreamEnvironment, Time, WatermarkStrategy } from '@weir/core';
import { arbEventStream, runPipeline, type TestEvent } from '@weir/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** Flink's Tuple2<String, Integer>, printed as Flink prints it. */
type T2 = readonly [string, number];
const show = (t: T2) => `(${t[0]},${t[1]})`;
const combine = (l: T2, r: T2, _ctx: unknown, out: { collect(s: string): void }) => out.collect(`${show(l)}:${show(r)}`);
/** Flink's AscendingTuple2TimestampExtractor: timestamp f1, watermark max - 1. */
const ascending = (env: StreamEnvironment, ...xs: T2[]) =>
  env.fromElements(...xs).assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<T2>().withTimestampAssigner((t) => t[1]));

describe("Flink's IntervalJoinITCase", () => {
  it('testCanJoinOverSameKey: between(0, 0)', async () => {
    const env = StreamEnvironment.create();
    const xs: T2[] = [0, 1, 2, 3, 4, 5].map((i) => ['key', i]);
    const out = ascending(env, ...xs).keyBy((t) => t[0]).intervalJoin(ascending(env, ...xs).keyBy((t) => t[0])).between(Time.milliseconds(0), Time.milliseconds(0)).process(combine).collect();
    await env.execute();
    expect([...out.items()].sort()).toEqual(['(key,0):(key,0)', '(key,1):(key,1)', '(key,2):(key,2)', '(key,3):(key,3)', '(key,4):(key,4)', '(key,5):(key,5)']);
  });

  it('testJoinsCorrectlyWithMultipleKeys: between(0, 1) joins within a key only', async () => {
    const env = StreamEnvironment.create();
    const xs: T2[] = [['key1', 0], ['key2', 1], ['key1', 2], ['key2', 3], ['key1', 4], ['key2', 5]];
    const out = ascending(env, ...xs).keyBy((t) => t[0]).intervalJoin(ascending(env, ...xs).keyBy((t) => t[0])).between(0, 1).process(combine).collect();
    await env.execute();
    expect([...out.items()].sort()).toEqual(['(key1,0):(key1,0)', '(key1,2):(key1,2)', '(key1,4):(key1,4)', '(key2,1):(key2,1)', '(key2,3):(key2,3)', '(key2,5):(key2,5)']);
  });

  it('testBoundedUnorderedStreamsStillJoinCorrectly: between(-1, 1) on out-of-order input with watermark 5 mid-stream', async () => {
    const env = StreamEnvironment.create();
    // The source emits watermark 5 after its fifth element (Flink's ctx.emitWatermark(new Watermark(5))).
    const withWatermark5 = (order: number[]) =>
      env.fromElements(...order.map((i): T2 => ['key', i])).assignTimestampsAndWatermarks(
        WatermarkStrategy.forGenerator<T2>(() => {
          let n = 0;
          return { onEvent: (_e, _ts, out) => void (++n === 5 && out.emitWatermark(5)), onPeriodicEmit: () => {} };
        }).withTimestampAssigner((t) => t[1]),
      );
    const one = withWatermark5([5, 1, 4, 3, 2, 9, 8, 7, 6]);
    const two = withWatermark5([2, 1, 3, 4, 5, 8, 7, 9, 6]);
    const out = one.keyBy((t) => t[0]).intervalJoin(two.keyBy((t) => t[0])).between(-1, 1).process(combine).collect();
    await env.execute();
    const expected: string[] = [];
    for (let l = 1; l <= 9; l++) for (let r = l - 1; r <= l + 1; r++) if (r >= 1 && r <= 9) expected.push(`(key,${l}):(key,${r})`);
    expect([...out.items()].sort()).toEqual(expected.sort());
    expect(expected).toHaveLength(25);
  });

  it('testFailsWithoutUpperBound / testFailsWithoutLowerBound: a missing bound is refused when the job is built', () => {
    const env = StreamEnvironment.create();
    const k = () => env.fromElements<T2>(['1', 1]).keyBy((t) => t[0]);
    expect(() => k().intervalJoin(k()).between(0, null as never)).toThrow(/Expected a duration/);
    expect(() => k().intervalJoin(k()).between(null as never, 1)).toThrow(/Expected a duration/);
    expect(() => k().intervalJoin(k()).between(2, 1)).toThrow(/lower bound must not be greater than the upper bound/);
  });

  const threeEach = (env: StreamEnvironment) => [ascending(env, ['key', 0], ['key', 1], ['key', 2]), ascending(env, ['key', 0], ['key', 1], ['key', 2])] as const;

  it('testBoundsCanBeExclusive: between(0, 2) with both bounds exclusive', async () => {
    const env = StreamEnvironment.create();
    const [a, b] = threeEach(env);
    const out = a.keyBy((t) => t[0]).intervalJoin(b.keyBy((t) => t[0])).between(0, 2).upperBoundExclusive().lowerBoundExclusive().process(combine).collect();
    await env.execute();
    expect([...out.items()].sort()).toEqual(['(key,0):(key,1)', '(key,1):(key,2)']);
  });

  for (const name of ['testBoundsCanBeInclusive', 'testBoundsAreInclusiveByDefault']) {
    it(`${name}: between(0, 2)`, async () => {
      const env = StreamEnvironment.create();
      const [a, b] = threeEach(env);
      const out = a.keyBy((t) => t[0]).intervalJoin(b.keyBy((t) => t[0])).between(0, 2).process(combine).collect();
      await env.execute();
      expect([...out.items()].sort()).toEqual(['(key,0):(key,0)', '(key,0):(key,1)', '(key,0):(key,2)', '(key,1):(key,1)', '(key,1):(key,2)', '(key,2):(key,2)']);
    });
  }
});

interface Ev {
  readonly k: string;
  readonly ts: number;
  readonly id: number;
}
const side = (idBase: number) =>
  fc.array(fc.record({ k: fc.constantFrom('a', 'b', 'c'), ts: fc.integer({ min: 0, max: 60 }) }), { maxLength: 25 }).map((xs) => xs.map((x, i): Ev => ({ ...x, id: idBase + i })));
const bounds = fc.tuple(fc.integer({ min: -8, max: 8 }), fc.integer({ min: 0, max: 10 }), fc.boolean(), fc.boolean()).map(([lo, width, loEx, upEx]) => ({ lo, up: lo + width, loEx, upEx }));

/** The nested-loop model: every (l, r) of equal key with r.ts within l's interval. */
function nestedLoop(ls: readonly Ev[], rs: readonly Ev[], b: { lo: number; up: number; loEx: boolean; upEx: boolean }): string[] {
  const out: string[] = [];
  for (const l of ls) {
    for (const r of rs) {
      if (l.k !== r.k) continue;
      const d = r.ts - l.ts;
      const aboveLower = b.loEx ? d > b.lo : d >= b.lo;
      const belowUpper = b.upEx ? d < b.up : d <= b.up;
      if (aboveLower && belowUpper) out.push(`${l.id}-${r.id}@${Math.max(l.ts, r.ts)}`);
    }
  }
  return out.sort();
}

async function runJoin(ls: readonly Ev[], rs: readonly Ev[], b: { lo: number; up: number; loEx: boolean; upEx: boolean }, disorder: number) {
  // A watermark after every element, as the nested-loop model assumes.
  const env = StreamEnvironment.create({ perElementWatermarks: true });
  const lateL = new OutputTag<Ev>('late-left');
  const lateR = new OutputTag<Ev>('late-right');
  const stamp = (xs: readonly Ev[]): DataStream<Ev> =>
    env.fromCollection(xs).assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<Ev>(disorder).withTimestampAssigner((e) => e.ts));
  let joined = stamp(ls).keyBy('k').intervalJoin(stamp(rs).keyBy('k')).between(b.lo, b.up).sideOutputLeftLateData(lateL).sideOutputRightLateData(lateR);
  if (b.loEx) joined = joined.lowerBoundExclusive();
  if (b.upEx) joined = joined.upperBoundExclusive();
  const pairs = joined.process<string>((l, r, ctx, out) => out.collect(`${l.id}-${r.id}@${ctx.timestamp}`));
  const stamped = pairs.process<string>((p, ctx, out) => out.collect(`${p.slice(0, p.indexOf('@'))}@${ctx.timestamp}`)).collect();
  const late = [pairs.getSideOutput(lateL).collect(), pairs.getSideOutput(lateR).collect()] as const;
  await env.execute();
  return { pairs: [...stamped.items()].sort(), lateLeft: late[0].items(), lateRight: late[1].items() };
}

describe('interval join = nested loop over the elements that are not late', () => {
  it('no late data (watermarks allow all the disorder): exactly the nested-loop pairs, with the larger timestamp', async () => {
    await fc.assert(
      fc.asyncProperty(side(0), side(1000), bounds, async (ls, rs, b) => {
        const run = await runJoin(ls, rs, b, 61);
        expect(run.lateLeft).toEqual([]);
        expect(run.lateRight).toEqual([]);
        expect(run.pairs).toEqual(nestedLoop(ls, rs, b));
      }),
      { numRuns: 100 },
    );
  });

  it('with late data: late elements come out on their side outputs, the rest join as the nested loop says', async () => {
    await fc.assert(
      fc.asyncProperty(side(0), side(1000), bounds, fc.integer({ min: 0, max: 10 }), async (ls, rs, b, disorder) => {
        const run = await runJoin(ls, rs, b, disorder);
        const lateIds = new Set([...run.lateLeft, ...run.lateRight].map((e) => e.id));
        expect(run.pairs).toEqual(nestedLoop(ls.filter((e) => !lateIds.has(e.id)), rs.filter((e) => !lateIds.has(e.id)), b));
        // A late element is strictly behind the join's watermark, which is at most its own stream's
        // watermark when it arrived: max(timestamps before it) - disorder - 1.
        for (const [late, own] of [[run.lateLeft, ls], [run.lateRight, rs]] as const) {
          for (const e of late) {
            const before = own.slice(0, own.findIndex((x) => x.id === e.id));
            expect(e.ts).toBeLessThan(Math.max(...before.map((x) => x.ts)) - disorder - 1);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('regression: a right element at the watermark is on time (Flink) and still finds its partner', async () => {
    // Right 60 moves the watermark to 59; right 59 then arrives exactly at the watermark: on time,
    // as in Flink (only elements strictly behind it are late). Its partner, left 47 (47 + 12 = 59),
    // must still be there: Flink removes it when the watermark reaches 59 and loses this pair
    // without a trace; weir keeps a bucket until the watermark passes its last matching time.
    const run = await runJoin([{ k: 'a', ts: 47, id: 0 }], [{ k: 'a', ts: 60, id: 1000 }, { k: 'a', ts: 59, id: 1001 }], { lo: 6, up: 12, loEx: false, upEx: false }, 0);
    expect(run.pairs).toEqual(['0-1001@59']);
    expect(run.lateRight).toEqual([]);
  });
});

describe('interval join across a crash', () => {
  type Ev = TestEvent<number>;
  const stream = arbEventStream({ keys: ['a', 'b'], value: fc.integer({ min: 0, max: 9 }), maxDisorderMs: 100, lateFraction: 0.1, maxLength: 25 });
  const build = (s: DataStream<Ev>) => {
    const left = s.filter((e) => e.value % 2 === 0);
    const right = s.filter((e) => e.value % 2 === 1);
    return left
      .keyBy('key')
      .intervalJoin(right.keyBy('key'))
      .between(-1000, 1000)
      .process<string>((a, b, _ctx, out) => out.collect(`${a.key}:${a.value}@${a.timestamp}-${b.value}@${b.timestamp}`))
      .uid('interval-join');
  };
  it('buffers and cleanup timers are checkpointed: a crash at any event, then restore, gives the output of a run that never failed', async () => {
    await fc.assert(
      fc.asyncProperty(stream, fc.nat(), async (evs, n) => {
        const at = n % (evs.length + 1);
        const plain = await runPipeline(evs, build);
        const crashed = await runPipeline(evs, build, { crash: { afterEvents: at } });
        const canonical = (rs: readonly unknown[]) => rs.map((r) => JSON.stringify(r)).sort();
        expect(crashed.restored).toBe(true);
        expect(canonical(crashed.records)).toEqual(canonical(plain.records));
      }),
      { numRuns: 15 },
    );
  });
});
