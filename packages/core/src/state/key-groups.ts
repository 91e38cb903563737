/**
 * Key-group assignment, bit-compatible with Flink's `KeyGroupRangeAssignment`:
 * `keyGroup = murmurHash(hashCode(key)) % maxParallelism`, with Java's `hashCode` for strings,
 * integers, doubles, longs (bigint) and booleans.
 *
 * Key groups are the unit in which keyed state is written to checkpoints, so that a later
 * deployment with several processes can split state by key group without a format change.
 * The runtime computes them only when it snapshots, never on the per-element path.
 *
 * Worked example: `hashCode("SPX") = 82_466`, `murmurHash(82_466) % 128` gives the group.
 */
import { canonicalKeyString } from './keys.js';

/**
 * Flink's default number of key groups for a job of parallelism 1.
 *
 * @example
 * ```ts
 * StreamEnvironment.create({ maxParallelism: DEFAULT_MAX_PARALLELISM }); // 128 key groups, the default
 * ```
 */
export const DEFAULT_MAX_PARALLELISM = 128;

/** @internal The most key groups a job may have: Flink's upper bound for `maxParallelism` (2^15). */
export const MAX_KEY_GROUPS = 32_768;

const float64 = new Float64Array(1);
const int32View = new Int32Array(float64.buffer);

/**
 * Java's `hashCode` of a key as a 32-bit signed integer.
 *
 * @example
 * ```ts
 * javaHashCode('a'); // 97
 * ```
 */
export function javaHashCode(key: unknown): number {
  switch (typeof key) {
    case 'string': {
      let h = 0;
      for (let i = 0; i < key.length; i++) h = (Math.imul(31, h) + key.charCodeAt(i)) | 0;
      return h;
    }
    case 'number':
      // -0 is a double (Java's Double.hashCode(-0.0)), a key of its own as in Flink.
      if (Number.isInteger(key) && key >= -2147483648 && key <= 2147483647 && !Object.is(key, -0)) return key | 0;
      // Double.hashCode: bits ^ (bits >>> 32); NaN has one canonical bit pattern in Java.
      float64[0] = Number.isNaN(key) ? Number.NaN : key;
      return (int32View[0]! ^ int32View[1]!) | 0;
    case 'bigint': {
      const v = BigInt.asUintN(64, key);
      return Number(BigInt.asIntN(32, v ^ (v >> 32n)));
    }
    case 'boolean':
      return key ? 1231 : 1237;
    case 'undefined':
      return 0;
    case 'object':
      // Composite keys hash by their canonical encoding, so they spread over the key groups.
      return key === null ? 0 : javaHashCode(canonicalKeyString(key) ?? String(key));
    default:
      return javaHashCode(String(key));
  }
}

/**
 * Flink's `MathUtils.murmurHash`: a non-negative 32-bit mix of a hash code.
 *
 * @example
 * ```ts
 * murmurHash(javaHashCode('SPX')) % 128;
 * ```
 */
export function murmurHash(code: number): number {
  let h = Math.imul(code, 0xcc9e2d51);
  h = (h << 15) | (h >>> 17);
  h = Math.imul(h, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  h ^= 4;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  if (h >= 0) return h;
  return h !== -2147483648 ? -h : 0;
}

/**
 * The key group of a key.
 *
 * @example
 * ```ts
 * keyGroupOf('SPX'); // a number in [0, 128)
 * ```
 */
export function keyGroupOf(key: unknown, maxParallelism = DEFAULT_MAX_PARALLELISM): number {
  return murmurHash(javaHashCode(key)) % maxParallelism;
}

/**
 * A range of key groups, from `start` (included) to `end` (excluded): the key groups one instance
 * of a keyed job owns (the same half-open ranges as the scale-out's `keyGroupRangeOf`).
 *
 * @example
 * ```ts
 * const firstHalf: KeyGroupRange = { start: 0, end: 64 }; // key groups 0..63 of 128
 * ```
 */
export interface KeyGroupRange {
  readonly start: number;
  readonly end: number;
}

/** @internal */
export function inKeyGroupRange(keyGroup: number, range: KeyGroupRange): boolean {
  return keyGroup >= range.start && keyGroup < range.end;
}
