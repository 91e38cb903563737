/**
 * Key normalisation. JavaScript maps compare keys by identity (SameValueZero for primitives),
 * Flink compares them by value (`equals`), so a key function returning a fresh tuple
 * (`(t) => [t.a, t.b]`) must still land on one key, and `-0` must not land on `0`'s key.
 *
 * The rule: two keys are one key when they are deeply equal with `Object.is` at the leaves
 * (Node's `util.isDeepStrictEqual` without the prototype check, since checkpoints bring class
 * instances back as plain objects): `NaN` is one key, `-0` and `0` are two (as Java's
 * `Double.equals`), `Map`s and `Set`s compare by content whatever their insertion order, a `Date`
 * by its time, a typed array by its type and bytes, an object by its own enumerable properties.
 *
 * Plain primitive keys are used as they are (the common, fast case). Everything else becomes a
 * canonical string that starts with NUL, and the backend remembers the original value to hand
 * back to user functions. A string key that itself starts with NUL is encoded too, so no string
 * can collide with an encoded composite (`"\0k:[1]"` and `[1]` are two keys). Values that cannot
 * be compared by value or checkpointed (symbols, functions, promises, weak collections, cyclic
 * objects) are refused with a {@link ConfigError} naming the operator.
 *
 * Worked example: `['SPX', 1]` encodes as `"\0[s"SPX",1]"`, `new Map([[1, 'a']])` as
 * `"\0Map{1=>s"a"}"`, `-0` as `"\0-0"`, the string `"\0x"` as `"\0s"\u0000x""`.
 */
import { ConfigError } from '../errors.js';

const ENCODED = '\u0000';

/** Why a key cannot be encoded (the message of the error the operator throws). */
class UnsupportedKey extends Error {}

/**
 * The key as weir compares it: the key itself when it is a primitive that JavaScript's `Map`
 * already compares by value, otherwise its canonical encoding (a string starting with NUL).
 * Throws a {@link ConfigError} naming `operator` for a value that cannot be a key.
 * @internal
 */
export function normalizeKey(key: unknown, operator: string): unknown {
  switch (typeof key) {
    case 'string':
      return key.charCodeAt(0) === 0 ? encodeKey(key, operator) : key;
    case 'number':
      return key === 0 && 1 / key < 0 ? encodeKey(key, operator) : key;
    case 'object':
      return key === null ? key : encodeKey(key, operator);
    case 'symbol':
    case 'function':
      return encodeKey(key, operator);
    default:
      return key;
  }
}

/**
 * The canonical encoding of any key that has one (for hashing composite keys into key groups);
 * `undefined` for a value that cannot be a key.
 * @internal
 */
export function canonicalKeyString(key: unknown): string | undefined {
  try {
    return canonical(key, new Set());
  } catch {
    return undefined;
  }
}

/** True for an internal key produced by {@link normalizeKey}'s encoding. @internal */
export function isEncodedKey(internal: unknown): internal is string {
  return typeof internal === 'string' && internal.charCodeAt(0) === 0;
}

function encodeKey(key: unknown, operator: string): string {
  try {
    return ENCODED + canonical(key, new Set());
  } catch (e) {
    if (!(e instanceof UnsupportedKey) && !(e instanceof RangeError)) throw e;
    const why = e instanceof UnsupportedKey ? e.message : 'it is nested too deeply';
    throw new ConfigError(
      `Operator '${operator}': the key function returned a value that cannot be a key (${why}). ` +
        'Keys are compared by value and checkpointed: return a string, number, bigint, boolean, or an array, ' +
        'plain object, Map, Set or Date of those (e.g. `(t) => [t.region, t.user]`).',
    );
  }
}

function canonical(v: unknown, path: Set<object>): string {
  switch (typeof v) {
    case 'string':
      return `s${JSON.stringify(v)}`;
    case 'number':
      return Object.is(v, -0) ? '-0' : String(v);
    case 'bigint':
      return `${v}n`;
    case 'boolean':
    case 'undefined':
      return String(v);
    case 'symbol':
      throw new UnsupportedKey(`a symbol, ${String(v)}`);
    case 'function':
      throw new UnsupportedKey('a function');
  }
  if (v === null) return 'null';
  const obj = v as object;
  if (path.has(obj)) throw new UnsupportedKey('a cyclic object');
  path.add(obj);
  try {
    return canonicalObject(obj, path);
  } finally {
    path.delete(obj);
  }
}

function canonicalObject(obj: object, path: Set<object>): string {
  if (Array.isArray(obj)) {
    let s = '[';
    for (let i = 0; i < obj.length; i++) s += (i === 0 ? '' : ',') + canonical(obj[i], path);
    return `${s}]`;
  }
  const tag = Object.prototype.toString.call(obj).slice(8, -1);
  switch (tag) {
    case 'Date':
      return `Date(${(obj as Date).getTime()})`;
    case 'Map':
      return `Map{${sorted([...(obj as Map<unknown, unknown>)].map(([k, x]) => `${canonical(k, path)}=>${canonical(x, path)}`))}}`;
    case 'Set':
      return `Set{${sorted([...(obj as Set<unknown>)].map((x) => canonical(x, path)))}}`;
    case 'RegExp':
      return `RegExp(${String(obj)})`;
    case 'Number':
    case 'String':
    case 'Boolean':
    case 'BigInt':
      return `${tag}(${canonical((obj as { valueOf(): unknown }).valueOf(), path)})`;
    case 'ArrayBuffer':
      return `ArrayBuffer[${new Uint8Array(obj as ArrayBuffer).join(',')}]`;
    case 'Promise':
    case 'WeakMap':
    case 'WeakSet':
    case 'WeakRef':
      throw new UnsupportedKey(`a ${tag}, which has no value to compare`);
  }
  if (ArrayBuffer.isView(obj)) {
    // A Buffer is checkpointed as a Uint8Array, so it is encoded as one.
    const bytes = new Uint8Array(obj.buffer, obj.byteOffset, obj.byteLength);
    return `${obj instanceof DataView ? 'DataView' : tag}[${bytes.join(',')}]`;
  }
  const record = obj as Record<string, unknown>;
  return `{${sorted(Object.keys(record).map((k) => `${JSON.stringify(k)}:${canonical(record[k], path)}`))}}`;
}

function sorted(parts: string[]): string {
  return parts.sort().join(',');
}
