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

/**
 * Per object shape (its keys, in order), two functions compiled once, since property access by
 * a variable name is ten times slower than by a fixed one (measured: 85 ms against 8 ms to
 * rebuild 100 k objects of three numbers):
 * - `split(col, columns)`: checks that every element is a plain object with exactly these keys, in
 *   this order, and primitive values, filling one column per key; returns false on the first that
 *   is not;
 * - `join(columns, n)`: the objects again.
 */
interface ShapeCodec {
  readonly split: (col: readonly unknown[], columns: unknown[][]) => boolean;
  readonly join: (columns: ReadonlyArray<ArrayLike<unknown>>, n: number) => unknown[];
}

const shapes = new Map<string, ShapeCodec>();
/** Shapes compiled at most (a column of objects of ever new shapes is left as it is). */
const MAX_SHAPES = 256;

function shapeCodec(keys: readonly string[]): ShapeCodec | undefined {
  const signature = JSON.stringify(keys);
  let codec = shapes.get(signature);
  if (codec !== undefined || shapes.size >= MAX_SHAPES) return codec;
  const prop = (k: string) => `[${JSON.stringify(k)}]`;
  const cols = keys.map((_, j) => `c${j}`);
  const prologue = keys.map((_, j) => `const c${j} = C[${j}];`).join('');
  const reads = keys.map((k, j) => `const v${j} = o${prop(k)}; if (v${j} !== null && (typeof v${j} === 'object' || typeof v${j} === 'function')) return false; c${j}[i] = v${j};`).join('');
  // new Function: the code is built from the keys, each quoted by JSON.stringify.
  const split = new Function(
    'col',
    'C',
    `${prologue} const K = ${signature}; const n = col.length; const OP = Object.prototype;
     for (let i = 0; i < n; i++) {
       const o = col[i];
       if (typeof o !== 'object' || o === null || Object.getPrototypeOf(o) !== OP) return false;
       let j = 0; for (const k in o) { if (k !== K[j]) return false; j++; }
       if (j !== ${keys.length}) return false;
       ${reads}
     }
     return true;`,
  ) as ShapeCodec['split'];
  const join = new Function(
    'C',
    'n',
    `${prologue} const out = new Array(n);
     for (let i = 0; i < n; i++) out[i] = { ${keys.map((k, j) => `${JSON.stringify(k)}: ${cols[j]}[i]`).join(', ')} };
     return out;`,
  ) as ShapeCodec['join'];
  codec = { split, join };
  shapes.set(signature, codec);
  return codec;
}

/** The columns of a column of plain objects of one shape, or undefined. */
function splitObjects(col: readonly unknown[]): { keys: string[]; columns: unknown[][] } | undefined {
  const first = col[0];
  if (typeof first !== 'object' || first === null || Object.getPrototypeOf(first) !== Object.prototype) return undefined;
  const keys = Object.keys(first);
  // An own `__proto__` would set the prototype in an object literal.
  if (keys.length === 0 || keys.includes(PACKED) || keys.includes('__proto__')) return undefined;
  const codec = shapeCodec(keys);
  if (codec === undefined) return undefined;
  const columns = keys.map(() => new Array<unknown>(col.length));
  return codec.split(col, columns) ? { keys, columns } : undefined;
}

/** A column in its packed form (or the column itself). */
export function packColumn(col: unknown[]): unknown {
  if (col.length < MIN_LENGTH) return col;
  const numbers = numberKind(col);
  // The array-like constructors copy without the iterator protocol that `from` goes through.
  if (numbers === 'int32') return new Int32Array(col as number[]);
  if (numbers === 'number') return new Float64Array(col as number[]);
  const split = splitObjects(col);
  if (split === undefined) return col;
  const struct: Struct = { [PACKED]: split.keys, c: split.columns.map(packColumn) };
  return struct;
}

/** A packed column read back (typed arrays are indexed as they are). */
export function unpackColumn(packed: unknown): ArrayLike<unknown> {
  if (typeof packed !== 'object' || packed === null || !(PACKED in packed)) return packed as ArrayLike<unknown>;
  const { [PACKED]: keys, c } = packed as Struct;
  const columns = c.map(unpackColumn);
  const codec = shapeCodec(keys);
  const n = columns[0]!.length;
  if (codec !== undefined) return codec.join(columns, n);
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    const o: Record<string, unknown> = {};
    for (let j = 0; j < keys.length; j++) o[keys[j]!] = columns[j]![i];
    out[i] = o;
  }
  return out;
}
