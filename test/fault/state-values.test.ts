/**
 * State values survive a checkpoint exactly: NaN, -0, ±Infinity, BigInt, Date, Map, Set and
 * nested mixes, in keyed value state and as a window's contents, checkpointed to disk and read
 * back by a new job.
 */
import { describe, expect, it } from 'vitest';
import { type Collector, type DataStream, type KeyedProcessFunction, ValueStateDescriptor } from '@weir/core';
import { GlobalWindows, CountTrigger } from '@weir/windows';
import { runSplit } from './support/cut-harness.js';

const VALUES: readonly unknown[] = [
  Number.NaN,
  -0,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.MIN_VALUE,
  2n ** 70n + 1n,
  -(2n ** 64n),
  new Date(1_700_000_000_123),
  new Date(Number.NaN),
  new Map<unknown, unknown>([
    [1, { nan: Number.NaN }],
    ['k', new Set([-0])],
  ]),
  new Set<unknown>([Number.NaN, 'x', 3n]),
  { nested: [undefined, null, -0, [Number.POSITIVE_INFINITY]], when: new Date(0) },
  'unicode \u{1F600} \u0000 text',
  new Uint8Array([0, 255, 7]),
];

type Cmd = { readonly k: number; readonly op: 'store' | 'read' };

/** Deep equality that tells -0 from 0 and NaN from anything but NaN. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b);
  if (a instanceof Date && b instanceof Date) return Object.is(a.getTime(), b.getTime());
  if (a instanceof Map && b instanceof Map) return a.size === b.size && [...a].every(([k, v], i) => same(k, [...b][i]![0]) && same(v, [...b][i]![1]));
  if (a instanceof Set && b instanceof Set) return same([...a], [...b]);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.from(a).equals(Buffer.from(b));
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return Object.is(a, b);
}

const remember: KeyedProcessFunction<number, Cmd, { k: number; value: unknown }> = (cmd, ctx, out) => {
  const state = ctx.getState(new ValueStateDescriptor<unknown>('value'));
  if (cmd.op === 'store') state.update(VALUES[cmd.k]);
  else out.collect({ k: cmd.k, value: state.value() });
};

const commands: Cmd[] = [...VALUES.map((_, k) => ({ k, op: 'store' as const })), ...VALUES.map((_, k) => ({ k, op: 'read' as const }))];

describe('state values survive a checkpoint exactly', () => {
  it('the comparison itself tells the values apart', () => {
    expect(same(-0, 0)).toBe(false);
    expect(same(Number.NaN, Number.NaN)).toBe(true);
    expect(same(new Set([1, 2]), new Set([1, 3]))).toBe(false);
    expect(same(new Map([[1, -0]]), new Map([[1, 0]]))).toBe(false);
    expect(same(2n ** 70n, 2n ** 70n + 1n)).toBe(false);
  });

  it('in keyed value state, restored by a new job from the checkpoint on disk', async () => {
    const r = await runSplit([commands], [VALUES.length], ([s]) => [(s as DataStream<Cmd>).keyBy((c) => c.k).process(remember)]);
    expect(r.before).toEqual([[]]);
    const restored = r.split[0] as Array<{ k: number; value: unknown }>;
    expect(restored.map((x) => x.k).sort((a, b) => a - b)).toEqual(VALUES.map((_, k) => k));
    for (const { k, value } of restored) expect(same(value, VALUES[k]), `value #${k}: ${String(VALUES[k])}`).toBe(true);
  });

  it('as window contents (elements buffered in a global window)', async () => {
    const items = VALUES.map((value, i) => ({ i, value }));
    const r = await runSplit([items], [VALUES.length - 1], ([s]) => [
      (s as DataStream<{ i: number; value: unknown }>)
        .keyBy(() => 0)
        .window(GlobalWindows.create())
        .trigger(CountTrigger.of(VALUES.length))
        .process((_k: number, _ctx, xs: ReadonlyArray<{ i: number; value: unknown }>, out: Collector<unknown[]>) => out.collect(xs.map((x) => x.value))),
    ]);
    const [fired] = r.split[0] as unknown[][];
    expect(same(fired, VALUES)).toBe(true);
  });
});
