/**
 * Windowed coGroup and the join built on it: Flink's `CoGroupJoinITCase` with its inputs and
 * expected results, then properties against a nested-loop model (group both sides by key and
 * tumbling window; a coGroup sees both groups, a join every pair of them).
 */
import { StreamEnvironment, Time, TumblingEventTimeWindows, WatermarkStrategy } from '@weir/core';
import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

type T2 = readonly [string, number];
type T3 = readonly [string, string, number];
const tuple = (t: readonly unknown[]) => `(${t.join(',')})`;
/** Flink's punctuated extractors: the last field is the timestamp, each element's watermark is ts - 1. */
const punctuated = <T extends readonly unknown[]>(env: StreamEnvironment, xs: T[]) =>
  env.fromCollection(xs).assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<T>().withTimestampAssigner((t) => t[t.length - 1] as number));
const window3ms = TumblingEventTimeWindows.of(Time.of(3, 'milliseconds'));

describe("Flink's CoGroupJoinITCase", () => {
  it('testCoGroup', async () => {
    const env = StreamEnvironment.create();
    const source1 = punctuated<T2>(env, [['a', 0], ['a', 1], ['a', 2], ['b', 3], ['b', 4], ['b', 5], ['a', 6], ['a', 7], ['a', 8]]);
    const source2 = punctuated<T2>(env, [['a', 0], ['a', 1], ['b', 3], ['c', 6], ['c', 7], ['c', 8]]);
    const out = source1
      .coGroup(source2)
      .where((t) => t[0])
      .equalTo((t) => t[0])
      .window(window3ms)
      .apply<string>((first, second, o) => o.collect(`F:${first.map(tuple).join('')} S:${second.map(tuple).join('')}`))
      .collect();
    await env.execute('CoGroup Test');
    expect([...out.items()].sort()).toEqual(['F:(a,0)(a,1)(a,2) S:(a,0)(a,1)', 'F:(b,3)(b,4)(b,5) S:(b,3)', 'F:(a,6)(a,7)(a,8) S:', 'F: S:(c,6)(c,7)(c,8)'].sort());
  });

  const joinExpected = [
    '(a,x,0):(a,u,0)', '(a,x,0):(a,w,1)', '(a,y,1):(a,u,0)', '(a,y,1):(a,w,1)', '(a,z,2):(a,u,0)', '(a,z,2):(a,w,1)',
    '(b,u,3):(b,i,3)', '(b,u,3):(b,k,5)', '(b,w,5):(b,i,3)', '(b,w,5):(b,k,5)',
    '(a,i,6):(a,x,6)', '(a,i,6):(a,z,8)', '(a,j,7):(a,x,6)', '(a,j,7):(a,z,8)', '(a,k,8):(a,x,6)', '(a,k,8):(a,z,8)',
  ];
  const joinSource1: T3[] = [['a', 'x', 0], ['a', 'y', 1], ['a', 'z', 2], ['b', 'u', 3], ['b', 'w', 5], ['a', 'i', 6], ['a', 'j', 7], ['a', 'k', 8]];

  it('testJoin', async () => {
    const env = StreamEnvironment.create();
    const source2: T3[] = [['a', 'u', 0], ['a', 'w', 1], ['b', 'i', 3], ['b', 'k', 5], ['a', 'x', 6], ['a', 'z', 8]];
    const out = punctuated<T3>(env, joinSource1)
      .join(punctuated<T3>(env, source2))
      .where((t) => t[0])
      .equalTo((t) => t[0])
      .window(window3ms)
      .apply((first, second) => `${tuple(first)}:${tuple(second)}`)
      .collect();
    await env.execute('Join Test');
    expect([...out.items()].sort()).toEqual([...joinExpected].sort());
  });

  it('testSelfJoin', async () => {
    const env = StreamEnvironment.create();
    const source1 = punctuated<T3>(env, joinSource1);
    const out = source1.join(source1).where((t) => t[0]).equalTo((t) => t[0]).window(window3ms).apply((a, b) => `${tuple(a)}:${tuple(b)}`).collect();
    await env.execute('Self-Join Test');
    const groups = [joinSource1.slice(0, 3), joinSource1.slice(3, 5), joinSource1.slice(5)];
    const expected = groups.flatMap((g) => g.flatMap((a) => g.map((b) => `${tuple(a)}:${tuple(b)}`)));
    expect(expected).toHaveLength(22);
    expect([...out.items()].sort()).toEqual(expected.sort());
  });

  it('testCoGroupOperatorWithCheckpoint: a coGroup pipeline checkpoints', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'weir-cogroup-'));
    try {
      const env = StreamEnvironment.create({ checkpointing: { intervalMs: 1, dir }, logger: { info() {}, warn() {} } });
      const s1 = punctuated<T2>(env, [['a', 0], ['b', 3]]);
      const s2 = punctuated<T2>(env, [['a', 1], ['b', 6]]);
      const out = s1.coGroup(s2).where((t) => t[0]).equalTo((t) => t[0]).window(window3ms).apply<string>((f, s, o) => o.collect(`${f.map(tuple).join('')}:${s.map(tuple).join('')}`)).collect();
      const result = await env.execute();
      expect(result.checkpoints.completed).toBeGreaterThan(0);
      expect([...out.items()].sort()).toEqual(['(a,0):(a,1)', '(b,3):', ':(b,6)']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

interface Ev {
  readonly k: string;
  readonly ts: number;
  readonly id: number;
}
const events = (idBase: number) =>
  fc.array(fc.record({ k: fc.constantFrom('a', 'b', 'c'), ts: fc.integer({ min: 0, max: 40 }) }), { maxLength: 20 }).map((xs) => xs.map((x, i): Ev => ({ ...x, id: idBase + i })));
const SIZE = 7;
const groupKey = (e: Ev) => `${e.k}@${e.ts - (e.ts % SIZE)}`;

/** Model: both sides grouped by (key, window); a coGroup sees each group once, sides in arrival order. */
function coGroupModel(ls: readonly Ev[], rs: readonly Ev[]): string[] {
  const groups = new Map<string, [number[], number[]]>();
  for (const [side, xs] of [[0, ls], [1, rs]] as const) {
    for (const e of xs) {
      const g = groups.get(groupKey(e)) ?? [[], []];
      g[side].push(e.id);
      groups.set(groupKey(e), g);
    }
  }
  return [...groups].map(([g, [a, b]]) => `${g}:${a.join(',')}|${b.join(',')}`).sort();
}

async function run(ls: readonly Ev[], rs: readonly Ev[]) {
  const env = StreamEnvironment.create();
  const stamp = (xs: readonly Ev[]) => env.fromCollection(xs).assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<Ev>(41).withTimestampAssigner((e) => e.ts));
  const a = stamp(ls);
  const b = stamp(rs);
  const coGrouped = a
    .coGroup(b)
    .where('k')
    .equalTo('k')
    .window(TumblingEventTimeWindows.of(SIZE))
    .apply<string>((xs, ys, out) => {
      const any = xs[0] ?? ys[0]!;
      out.collect(`${groupKey(any)}:${xs.map((x) => x.id).join(',')}|${ys.map((y) => y.id).join(',')}`);
    })
    .collect();
  const joined = a.join(b).where('k').equalTo('k').window(TumblingEventTimeWindows.of(SIZE)).apply((x, y) => `${x.id}-${y.id}`).collect();
  await env.execute();
  return { coGrouped: [...coGrouped.items()].sort(), joined: [...joined.items()].sort() };
}

describe('coGroup and join = nested loops over (key, window) groups', () => {
  it('coGroup sees each group once with both sides in arrival order; join emits exactly the pairs of each group', async () => {
    await fc.assert(
      fc.asyncProperty(events(0), events(1000), async (ls, rs) => {
        const r = await run(ls, rs);
        expect(r.coGrouped).toEqual(coGroupModel(ls, rs));
        const pairs: string[] = [];
        for (const l of ls) for (const x of rs) if (groupKey(l) === groupKey(x)) pairs.push(`${l.id}-${x.id}`);
        expect(r.joined).toEqual(pairs.sort());
      }),
      { numRuns: 80 },
    );
  });
});
