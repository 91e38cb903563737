/**
 * A seeded random source whose whole state is plain data, so that a generator can be
 * checkpointed and resumed mid-sequence (`snapshot()` / `SeededRandom.restore(state)`):
 * xoroshiro128+ from pure-rand for uniform bits, and Java's `Random.nextGaussian` algorithm
 * (Marsaglia's polar method, which makes two normal deviates per round and keeps the spare) for
 * the Gaussian steps of the 2015 example's random walk.
 *
 * Same seed, same sequence: `new SeededRandom(7).nextInt(200)` is the same number on every run.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';

/**
 * The checkpointable state of a {@link SeededRandom}.
 *
 * @example
 * ```ts
 * const state: RandomState = random.snapshot(); SeededRandom.restore(state);
 * ```
 */
export interface RandomState {
  readonly rng: readonly number[];
  /** The second deviate of the last polar round, not yet used. */
  readonly spare: number | null;
}

type Rng = ReturnType<typeof xoroshiro128plus>;

/**
 * Uniform integers and doubles and standard normal deviates from one seed.
 *
 * @example
 * ```ts
 * const random = new SeededRandom(42);
 * const delayMs = random.nextInt(200);   // 0..199
 * const step = random.nextGaussian() * 10;
 * const saved = random.snapshot();
 * const again = SeededRandom.restore(saved); // continues exactly where `random` is
 * ```
 */
export class SeededRandom {
  private spare: number | null = null;
  private rng: Rng;

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed | 0);
  }

  /** A generator continuing from a snapshot. */
  static restore(state: RandomState): SeededRandom {
    const r = new SeededRandom(0);
    r.rng = xoroshiro128plusFromState(state.rng);
    r.spare = state.spare;
    return r;
  }

  snapshot(): RandomState {
    return { rng: [...this.rng.getState()], spare: this.spare };
  }

  /** Uniform in [0, 1). */
  nextDouble(): number {
    return uniformFloat64(this.rng);
  }

  /** Uniform integer in [0, bound). */
  nextInt(bound: number): number {
    return uniformInt(this.rng, 0, bound - 1);
  }

  /** Standard normal deviate (Java's `nextGaussian`). */
  nextGaussian(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let v1: number;
    let v2: number;
    let s: number;
    do {
      v1 = 2 * this.nextDouble() - 1;
      v2 = 2 * this.nextDouble() - 1;
      s = v1 * v1 + v2 * v2;
    } while (s >= 1 || s === 0);
    const multiplier = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v2 * multiplier;
    return v1 * multiplier;
  }
}

/**
 * A 32-bit seed for one generator, derived from the run's seed and the generator's name
 * (FNV-1a over the name, mixed with the seed), so each stock has its own stream.
 *
 * @example
 * ```ts
 * const spx = new SeededRandom(deriveSeed(42, 'SPX'));
 * ```
 */
export function deriveSeed(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ (seed | 0);
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // A final avalanche (murmur3's fmix32) so that nearby seeds give unrelated streams.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
