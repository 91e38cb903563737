/**
 * Packs a segment's columns (segment.ts) before v8 serialisation, and unpacks them after
 * deserialisation. V8 serialises an object property by property, about 0.5 us per small object,
 * and deserialises it in about 1.4 us; a column of numbers as a Float64Array is one copy. So:
 *
 * - a column of numbers only becomes an Int32Array (32-bit integers) or a Float64Array (-0 and NaN
 *   kept); read back by index as it is;
 * - a column of plain objects that all have the same own keys, in the same order, and primitive
 *   values only (a window's first element `{ key, value, ts }`) becomes one column per key
 *   (struct of arrays), each packed again; unpacking rebuilds the objects;
 * - anything else stays as it is.
 *
 * Example: `[{ k: 1, v: 2 }, { k: 3, v: 4 }]` packs to `{ [PACKED]: ['k', 'v'], c: [Int32Array [1, 3], Int32Array [2, 4]] }`.
 * @internal
 */

/** Marks a packed struct column (a property name no user object uses by accident). */
const PACKED = '\u0000weir.struct';

/** Columns shorter than this are left as they are (nothing to gain). */
const MIN_LENGTH = 16;

interface Struct {
  readonly [PACKED]: string[];
  readonly c: unknown[];
}

const isPrimitive = (v: unknown) => v === null || (typeof v !== 'object' && typeof v !== 'function');

/** 'int32' when every element is a 32-bit integer (not -0), 'number' when all are numbers, else undefined. */
function numberKind(col: readonly unknown[]): 'int32' | 'number' | undefined {
  let int32 = true;
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    if (typeof v !== 'number') return undefined;
    if (int32 && ((v | 0) !== v || Object.is(v, -0))) int32 = false;
  }
  return int32 ? 'int32' : 'number';
}

/** The keys shared by every element, if all are plain objects with primitive values. */
function sharedShape(col: readonly unknown[]): string[] | undefined {
  const first = col[0];
  if (typeof first !== 'object' || first === null || Object.prototype.toString.call(first) !== '[object Object]') return undefined;
  const keys = Object.keys(first);
  if (keys.length === 0 || keys.includes(PACKED)) return undefined;
  for (let i = 0; i < col.length; i++) {
    const o = col[i];
    if (typeof o !== 'object' || o === null || Array.isArray(o)) return undefined;
    if (Object.getPrototypeOf(o) !== Object.prototype) return undefined;
    const ks = Object.keys(o);
    if (ks.length !== keys.length) return undefined;
    for (let j = 0; j < keys.length; j++) {
      if (ks[j] !== keys[j] || !isPrimitive((o as Record<string, unknown>)[keys[j]!])) return undefined;
    }
  }
  return keys;
}

/** A column in its packed form (or the column itself). */
export function packColumn(col: unknown[]): unknown {
  if (col.length < MIN_LENGTH) return col;
  const numbers = numberKind(col);
  if (numbers === 'int32') return Int32Array.from(col as number[]);
  if (numbers === 'number') return Float64Array.from(col as number[]);
  const keys = sharedShape(col);
  if (keys === undefined) return col;
  const c = keys.map((k) => packColumn(col.map((o) => (o as Record<string, unknown>)[k])));
  const struct: Struct = { [PACKED]: keys, c };
  return struct;
}

/** A packed column read back (typed arrays are indexed as they are). */
export function unpackColumn(packed: unknown): ArrayLike<unknown> {
  if (typeof packed !== 'object' || packed === null || !(PACKED in packed)) return packed as ArrayLike<unknown>;
  const { [PACKED]: keys, c } = packed as Struct;
  const cols = c.map(unpackColumn);
  const n = cols[0]!.length;
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    const o: Record<string, unknown> = {};
    for (let j = 0; j < keys.length; j++) o[keys[j]!] = cols[j]![i];
    out[i] = o;
  }
  return out;
}
