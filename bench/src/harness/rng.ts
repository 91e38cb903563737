/**
 * A small seeded random number generator (mulberry32), so every run of the suite sees exactly the
 * same events. `reseed` makes it usable as a per-event generator: the Nexmark generator reseeds
 * with the event id, which makes any event computable from its number alone (replayable sources).
 */

/**
 * Seeded 32-bit PRNG.
 *
 * @example
 * ```ts
 * const rng = new Rng(42);
 * rng.int(100); // 0..99, the same on every run
 * ```
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = scramble(seed);
  }

  /** Restarts the sequence from `seed`. */
  reseed(seed: number): void {
    this.state = scramble(seed);
  }

  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
    return this.nextI32() >>> 0;
  }

  /** A uniform integer in [0, n) for n up to 2^31 (modulo bias is negligible for the sizes used). */
  int(n: number): number {
    // 31 bits stay small integers, so `%` is an integer modulo, not a floating-point one.
    return (this.nextI32() >>> 1) % n;
  }

  private nextI32(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return t ^ (t >>> 14);
  }

  /** A uniform integer in [0, n) for n beyond 2^32 (Nexmark's long ranges). */
  long(n: number): number {
    return Math.floor(this.double() * n);
  }

  /** A uniform double in [0, 1). */
  double(): number {
    return this.nextU32() / 4294967296;
  }
}

/** Spreads nearby seeds (event ids 0, 1, 2...) over the state space (splitmix-style finaliser). */
function scramble(seed: number): number {
  let z = Math.imul(seed | 0, 0x9e3779b1) ^ Math.floor(seed / 4294967296);
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) | 0;
}
