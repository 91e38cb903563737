/**
 * Packed columns read back exactly as v8 serialisation alone would give them: numbers (-0, NaN,
 * large integers included), plain objects of one shape, and everything else (mixed columns,
 * nested objects, class instances, Maps) left as it is.
 */
import { deserialize, serialize } from 'node:v8';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packColumn, unpackColumn } from './column-packing.js';

const roundTrip = (col: unknown[]) => Array.from(unpackColumn(deserialize(serialize(packColumn(col)))));
const plain = (col: unknown[]) => deserialize(serialize(col)) as unknown[];

const primitive = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(-0, Number.NaN, 2 ** 53, undefined, null), fc.string(), fc.boolean(), fc.bigInt());

describe('column packing', () => {
  it('any column reads back as v8 alone gives it (property)', () => {
    const column = fc.oneof(
      fc.array(fc.double(), { minLength: 0, maxLength: 60 }),
      fc.array(fc.record({ key: fc.integer(), value: fc.double(), ts: fc.integer() }), { maxLength: 60 }),
      fc.array(fc.record({ a: primitive, b: primitive }), { maxLength: 60 }),
      fc.array(fc.oneof(primitive, fc.record({ a: primitive }), fc.array(primitive, { maxLength: 3 })), { maxLength: 60 }),
      fc.array(fc.record({ nested: fc.record({ x: fc.integer() }) }), { maxLength: 40 }),
    );
    fc.assert(
      fc.property(column, (col) => {
        expect(roundTrip(col)).toEqual(plain(col));
      }),
      { numRuns: 500 },
    );
  });

  it('numbers become an Int32Array or a Float64Array, uniform plain objects one column per key; -0 and NaN survive', () => {
    const nums = Array.from({ length: 20 }, (_, i) => (i === 0 ? -0 : i === 1 ? Number.NaN : i * 1.5));
    const packedNums = packColumn(nums);
    expect(packedNums).toBeInstanceOf(Float64Array);
    expect(packColumn(Array.from({ length: 20 }, (_, i) => i - 10))).toBeInstanceOf(Int32Array);
    expect(packColumn(Array.from({ length: 20 }, (_, i) => 2 ** 31 + i))).toBeInstanceOf(Float64Array);
    const back = roundTrip(nums);
    expect(Object.is(back[0], -0)).toBe(true);
    expect(back[1]).toBeNaN();
    const objs = Array.from({ length: 20 }, (_, i) => ({ key: i, value: `v${i}`, ts: 1_704_067_200_000 + i }));
    expect(packColumn(objs)).not.toBe(objs);
    expect(roundTrip(objs)).toEqual(objs);
  });

  it('objects whose keys are any strings, in their order (quotes, integers, __proto__ as an own key)', () => {
    const keys = fc.uniqueArray(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('"', "'", '\\', '1', '0', '__proto__', 'constructor', '${x}')), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(keys, fc.integer({ min: 16, max: 40 }), (ks, n) => {
        const col = Array.from({ length: n }, (_, i) => JSON.parse(JSON.stringify(Object.fromEntries(ks.map((k, j) => [k, i * 10 + j])))) as unknown);
        const back = roundTrip(col);
        expect(back).toEqual(plain(col));
        expect(back.map((o) => Object.keys(o as object))).toEqual(plain(col).map((o) => Object.keys(o as object)));
      }),
      { numRuns: 300 },
    );
  });

  it('leaves class instances, Maps, Dates and objects of different shapes as they are', () => {
    class Point {
      constructor(readonly x: number) {}
    }
    for (const col of [
      Array.from({ length: 20 }, (_, i) => new Point(i)),
      Array.from({ length: 20 }, (_, i) => new Map([[i, i]])),
      Array.from({ length: 20 }, (_, i) => new Date(i)),
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? { a: i } : { b: i })),
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? { a: i, b: 1 } : { b: 1, a: i })),
    ]) {
      expect(packColumn(col as unknown[])).toBe(col);
    }
  });
});
