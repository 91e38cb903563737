/**
 * A bench group: cases that share one input, run in one process (the runner gives every group a
 * fresh process, so one group's JIT feedback and heap never weigh on another's).
 */
import type { CaseResult } from '../harness/measure.js';
import type { Profile } from '../harness/profile.js';

/**
 * A group of cases.
 *
 * @example
 * ```ts
 * const results = await group.run(profile('smoke'), console.error);
 * results.every((r) => r.agree);
 * ```
 */
export interface BenchGroup {
  readonly id: string;
  readonly title: string;
  /** Runs every case of the group; `only` restricts the implementations (profiling). */
  run(profile: Profile, log: (line: string) => void, only?: readonly string[]): Promise<CaseResult[]>;
}

/**
 * Keeps the implementations named in `only` (all when `only` is empty or undefined).
 *
 * @example
 * ```ts
 * pick(impls, ['weir']); // just weir, e.g. under --cpu-prof
 * ```
 */
export function pick<T extends { readonly name: string }>(impls: readonly T[], only: readonly string[] | undefined): T[] {
  return only === undefined || only.length === 0 ? [...impls] : impls.filter((i) => only.includes(i.name));
}

/**
 * A result made of figures only (memory cases have no timed implementations).
 *
 * @example
 * ```ts
 * figuresResult('g6-bytes', 'G6', 'bytes per accumulator', 1e6, { weirBytes: 88 });
 * ```
 */
export function figuresResult(id: string, goal: string, title: string, events: number, extra: Record<string, unknown>): CaseResult {
  return { id, goal, title, events, impls: [], ratios: {}, agree: true, disagreements: [], extra };
}
