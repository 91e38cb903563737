/**
 * Keys compare by value: the grouping of a keyed stream must equal a grouping by a reference
 * deep equality (Node's `util.isDeepStrictEqual`: `Object.is` at the leaves, Maps and Sets by
 * content), for every value a key function can return, and a value that cannot be a key is
 * refused with a ConfigError naming the operator.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, StreamEnvironment } from '../index.js';

/** Per input, how many inputs so far had a key equal to its key (what a rolling count emits). */
function referenceCounts(keys: readonly unknown[]): number[] {
  return keys.map((k, i) => keys.slice(0, i + 1).filter((o) => isDeepStrictEqual(o, k)).length);
}

async function rollingCounts(keys: readonly unknown[]): Promise<number[]> {
  const env = StreamEnvironment.create();
  const out = env
    .fromCollection(keys.map((key) => ({ key, n: 1 })))
    .keyBy((e) => e.key)
    .sum('n')
    .collect();
  await env.execute();
  return out.items().map((e) => e.n); // one output per input, in input order
}

/** A structurally equal copy with Map and Set insertion orders reversed. */
function reorderedCopy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reorderedCopy);
  if (v instanceof Map) return new Map([...v].reverse().map(([k, x]) => [reorderedCopy(k), reorderedCopy(x)]));
  if (v instanceof Set) return new Set([...v].reverse().map(reorderedCopy));
  if (v instanceof Date) return new Date(v.getTime());
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(Object.keys(v).reverse().map((k) => [k, reorderedCopy((v as Record<string, unknown>)[k])]));
  }
  return v;
}

const leaf = fc.oneof(
  fc.constantFrom<unknown>(0, -0, Number.NaN, 1, Infinity, '1', 1n, true, null, undefined, '', '\u0000k:[1]', '\u0000[1]', '\u0000s"a"'),
  fc.integer({ min: -3, max: 3 }),
  fc.string({ maxLength: 3 }),
);
const { key } = fc.letrec<{ key: unknown }>((tie) => ({
  key: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('key'), { maxLength: 3 }),
    fc.uniqueArray(fc.tuple(tie('key'), tie('key')), { maxLength: 3, comparator: (a, b) => isDeepStrictEqual(a[0], b[0]) }).map((e) => new Map(e)),
    fc.uniqueArray(tie('key'), { maxLength: 3, comparator: isDeepStrictEqual }).map((e) => new Set(e)),
    fc.integer({ min: -2, max: 2 }).map((t) => new Date(t)),
    fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('key'), { maxKeys: 3, noNullPrototype: true }),
  ),
}));

describe('keys compare by value', () => {
  it('property: the grouping of a rolling count equals a grouping by isDeepStrictEqual', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(key, { minLength: 1, maxLength: 5 }),
        fc.array(fc.tuple(fc.nat(), fc.boolean()), { minLength: 1, maxLength: 30 }),
        async (pool, picks) => {
          const keys = picks.map(([i, copy]) => (copy ? reorderedCopy(pool[i % pool.length]) : pool[i % pool.length]));
          expect(await rollingCounts(keys)).toEqual(referenceCounts(keys));
        },
      ),
      { numRuns: 150 },
    );
  });

  it.each([
    ['Maps with other entries', new Map([['a', 1]]), new Map([['b', 2]])],
    ['Sets with other members', new Set([1]), new Set([2])],
    ['a string that looks like an encoding and the array it encodes', '\u0000k:[1]', [1]],
    ['-0 and 0', -0, 0],
    ['[-0] and [0]', [-0], [0]],
    ['the number 1 and the string "1" inside arrays', [1], ['1']],
    ['1 and 1n', 1, 1n],
    ['two Dates', new Date(1), new Date(2)],
    ['a Uint8Array and an array of the same numbers', new Uint8Array([1, 2]), [1, 2]],
    ['{ a: undefined } and {}', { a: undefined }, {}],
    ['nested arrays [[1], 2] and [1, [2]]', [[1], 2], [1, [2]]],
  ])('%s are two keys', async (_name, a, b) => {
    expect(await rollingCounts([a, b, a, b])).toEqual([1, 1, 2, 2]);
  });

  it.each([
    ['NaN', Number.NaN, Number.NaN],
    ['Maps in another insertion order', new Map([['a', 1], ['b', 2]]), new Map([['b', 2], ['a', 1]])],
    ['fresh tuples', ['SPX', 1], ['SPX', 1]],
    ['Dates of the same time', new Date(5), new Date(5)],
  ])('%s are one key', async (_name, a, b) => {
    expect(await rollingCounts([a, b])).toEqual([1, 2]);
  });

  it('hands user functions the key as the key function returned it', async () => {
    const env = StreamEnvironment.create();
    const seen: unknown[] = [];
    env
      .fromCollection([{ k: new Map([['x', 1]]) }, { k: -0 }, { k: '\u0000raw' }])
      .keyBy((e) => e.k)
      .process({
        processElement: (_e, ctx) => {
          seen.push(ctx.getCurrentKey());
        },
      })
      .collect();
    await env.execute();
    expect(seen[0]).toEqual(new Map([['x', 1]]));
    expect(Object.is(seen[1], -0)).toBe(true);
    expect(seen[2]).toBe('\u0000raw');
  });

  it.each([
    ['a symbol', () => Symbol('s'), /a symbol, Symbol\(s\)/],
    ['a function', () => () => 1, /a function/],
    ['a Promise', () => Promise.resolve(1), /a Promise/],
    ['a symbol inside an array', () => [1, Symbol('t')], /a symbol/],
    ['a cyclic object', () => { const o: Record<string, unknown> = {}; o.self = o; return o; }, /a cyclic object/],
  ])('refuses %s as a key with a ConfigError naming the operator', async (_name, keyOf, why) => {
    const env = StreamEnvironment.create();
    env.fromElements(1, 2).keyBy(keyOf as (x: number) => unknown).reduce((a, b) => a + b).name('by odd key').collect();
    const run = env.execute();
    await expect(run).rejects.toBeInstanceOf(ConfigError);
    await expect(run).rejects.toThrow(why);
  });
});
