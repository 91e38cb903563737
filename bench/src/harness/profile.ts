/**
 * Run profiles: how many events and rounds a run of the suite uses.
 * - `full`: the sizes of the goals (10 M micro events, 1,000 keys), 1 warm-up + 5 measured rounds;
 * - `quick`: the same cases on about 1/20 of the events, 1 warm-up + 5 rounds (a few minutes);
 * - `smoke`: a few thousand events, one round, no warm-up: checks that every case runs and that
 *   all implementations agree (CI), never asserts times.
 */

/** The name of a profile. */
export type ProfileName = 'full' | 'quick' | 'smoke';

/**
 * Sizes and rounds of a run.
 *
 * @example
 * ```ts
 * const p = profile('quick');
 * p.size(10_000_000); // 500_000
 * ```
 */
export interface Profile {
  readonly name: ProfileName;
  /** Measured rounds (medians are taken over these). */
  readonly rounds: number;
  /** Unmeasured rounds first (JIT warm-up). */
  readonly warmup: number;
  /** The event count this profile uses for a case sized `full` events in a full run. */
  size(full: number): number;
}

/**
 * The profile of a given name.
 *
 * @example
 * ```ts
 * const p = profile(process.argv.includes('--quick') ? 'quick' : 'full');
 * ```
 */
export function profile(name: ProfileName): Profile {
  switch (name) {
    case 'full':
      return { name, rounds: 5, warmup: 1, size: (full) => full };
    case 'quick':
      return { name, rounds: 5, warmup: 1, size: (full) => Math.max(20_000, Math.round(full / 20)) };
    case 'smoke':
      return { name, rounds: 1, warmup: 0, size: (full) => Math.min(full, 6_000) };
  }
}
