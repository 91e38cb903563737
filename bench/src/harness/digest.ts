/**
 * Result digests: how the suite checks that weir, the hand-written loop and RxJS computed the same
 * thing. Each result record is hashed to 32 bits (murmur3-style mixing of its fields); the digest
 * keeps the count, the sum mod 2^32 and the xor of those hashes. Sum and xor do not depend on the
 * order of the results, so implementations that fire windows in a different order (weir fires
 * timers by time and key; a Map loop fires in insertion order) still agree when their results are
 * the same multiset.
 *
 * Worked example: results {a: 1} and {b: 2} hash to h1 and h2; the digest is count 2,
 * sum (h1 + h2) >>> 0, xor h1 ^ h2, whichever is emitted first.
 */
import type { Sink, SinkWriter } from '@weir/core';

/**
 * An order-independent digest of a multiset of record hashes.
 *
 * @example
 * ```ts
 * const d = new Digest();
 * d.add(hash2(1, 2));
 * d.toString(); // '1:…:…'
 * ```
 */
export class Digest {
  count = 0;
  sum = 0;
  xor = 0;

  add(hash: number): void {
    this.count++;
    this.sum = (this.sum + hash) >>> 0;
    this.xor = (this.xor ^ hash) >>> 0;
  }

  equals(other: Digest): boolean {
    return this.count === other.count && this.sum === other.sum && this.xor === other.xor;
  }

  /** `count:sum:xor`, sum and xor in hex. */
  toString(): string {
    return `${this.count}:${this.sum.toString(16)}:${this.xor.toString(16)}`;
  }
}

function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Mixes a number: integers by their low and high 32-bit words, fractions rounded to 1e-6. */
function mixNumber(h: number, x: number): number {
  const v = Number.isInteger(x) ? x : Math.round(x * 1e6);
  return mix(mix(h, v | 0), Math.floor(v / 4294967296) | 0);
}

/**
 * Hash of two numbers.
 *
 * @example
 * ```ts
 * digest.add(hash2(auction, price));
 * ```
 */
export function hash2(a: number, b: number): number {
  return finish(mixNumber(mixNumber(0x9747b28c, a), b));
}

/**
 * Hash of three numbers.
 *
 * @example
 * ```ts
 * digest.add(hash3(key, sum, windowEnd));
 * ```
 */
export function hash3(a: number, b: number, c: number): number {
  return finish(mixNumber(mixNumber(mixNumber(0x9747b28c, a), b), c));
}

/**
 * Hash of four numbers.
 *
 * @example
 * ```ts
 * digest.add(hash4(auction, bidder, price, dateTime));
 * ```
 */
export function hash4(a: number, b: number, c: number, d: number): number {
  return finish(mixNumber(mixNumber(mixNumber(mixNumber(0x9747b28c, a), b), c), d));
}

/**
 * Hash of a string combined with a number hash.
 *
 * @example
 * ```ts
 * digest.add(hashString(person.name, hash2(person.id, start)));
 * ```
 */
export function hashString(s: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < s.length; i++) h = mix(h, s.charCodeAt(i));
  return finish(h ^ s.length);
}

/** How a result record (and the timestamp it was emitted with) is hashed. */
export type RecordHash<T> = (value: T, timestamp: number) => number;

/**
 * The consumer every implementation writes its results to: a weir `SinkWriter`, also called
 * directly by the hand-written loops and RxJS subscribers, so all pay the same per-result cost.
 *
 * @example
 * ```ts
 * const out = new DigestWriter(new Digest(), (r: { key: number; value: number }, ts) => hash3(r.key, r.value, ts));
 * out.write({ key: 1, value: 10 }, 999);
 * ```
 */
export class DigestWriter<T> implements SinkWriter<T> {
  constructor(
    readonly digest: Digest,
    private readonly hash: RecordHash<T>,
  ) {}

  write(value: T, timestamp: number): void {
    this.digest.add(this.hash(value, timestamp));
  }
}

/**
 * A weir sink that digests its input.
 *
 * @example
 * ```ts
 * const digest = new Digest();
 * stream.sinkTo(digestSink(digest, (r, ts) => hash3(r.key, r.value, ts)));
 * ```
 */
export function digestSink<T>(digest: Digest, hash: RecordHash<T>): Sink<T> {
  return { name: 'Digest Sink', createWriter: () => new DigestWriter<T>(digest, hash) };
}
