/**
 * A small seeded random generator (mulberry32) whose whole state is one 32-bit number, so the
 * audit generator's position in a checkpoint is plain data and a restored run draws the same
 * numbers as an uninterrupted one.
 */

/**
 * @example
 * ```ts
 * const r = new Random(42); r.next(); const saved = r.state; new Random(0).restore(saved);
 * ```
 */
export class Random {
  state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  /** An item chosen with probability proportional to its weight. */
  weighted<T extends { readonly weight: number }>(xs: readonly T[]): T {
    let total = 0;
    for (const x of xs) total += x.weight;
    let r = this.next() * total;
    for (const x of xs) if ((r -= x.weight) < 0) return x;
    return xs[xs.length - 1]!;
  }
  /** Exponentially distributed with the given mean (Poisson arrivals). */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
  /** A version-4 UUID drawn from this generator (auditIDs). */
  uuid(): string {
    const hex = (n: number) => Array.from({ length: n }, () => Math.floor(this.next() * 16).toString(16)).join('');
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[this.int(0, 3)]}${hex(3)}-${hex(12)}`;
  }
}
