/**
 * Side-by-side measurement: the implementations of one case run on the same input, alternating
 * within each round (the order rotates every round, so none always runs right after a GC or right
 * after a competitor that warmed the caches), with a forced GC before every run when the process
 * has `--expose-gc`. Warm-up rounds run first and are not counted; the figure of an
 * implementation is the median of its measured rounds. Every run's digest must equal every other
 * run's, across implementations and rounds: a mismatch marks the case as disagreeing.
 *
 * Time is measured as the process's CPU time (user + system, all threads: GC helper threads count,
 * their work is part of the cost), because the machines this runs on are shared: wall time moves
 * with other processes' load (the same hand-written loop measured 12, 6 and 5 M events/s of wall
 * time in three rounds under a load average of 8 on 2 cores, and 8.8, 8.9 and 8.7 M events/s of
 * CPU time). Wall time is recorded too.
 *
 * Worked example: impls [weir, hand], 1 warm-up + 3 rounds: warm-up weir, hand; round 1 weir,
 * hand; round 2 hand, weir; round 3 weir, hand; median of the three times of each.
 */
import { Digest } from './digest.js';
import type { Profile } from './profile.js';

/** One implementation of a case: a full run over the case's input, results into `digest`. */
export interface Impl {
  readonly name: string;
  run(digest: Digest): void | Promise<void>;
}

/** The measured figures of one implementation. */
export interface ImplResult {
  readonly name: string;
  /** Median CPU time of a run, ms. */
  readonly medianMs: number;
  /** Events per CPU second at the median CPU time: the figure ratios are taken from. */
  readonly eventsPerSec: number;
  /** Events per wall-clock second at the median wall time. */
  readonly eventsPerWallSec: number;
  /** CPU time of each measured run, ms. */
  readonly runsMs: readonly number[];
  /** Wall time of each measured run, ms. */
  readonly runsWallMs: readonly number[];
  readonly digest: string;
}

/** The result of one case. */
export interface CaseResult {
  readonly id: string;
  readonly goal: string;
  readonly title: string;
  readonly events: number;
  readonly impls: readonly ImplResult[];
  /** Named ratios of events/s, e.g. `weir/hand`. */
  readonly ratios: Readonly<Record<string, number>>;
  /** True when every run of every implementation produced the same digest. */
  readonly agree: boolean;
  readonly disagreements: readonly string[];
  /** Case-specific figures (checkpoint sizes, bytes per accumulator...). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** What a case declares. */
export interface CaseSpec {
  readonly id: string;
  readonly goal: string;
  readonly title: string;
  readonly events: number;
  readonly impls: readonly Impl[];
  /** Ratios to report, as [numerator impl, denominator impl]. */
  readonly ratios?: readonly (readonly [string, string])[];
}

/** Collects a full garbage collection when the process allows it (`--expose-gc`). */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 100));
}

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** A percentile (nearest rank) of a non-empty list, p in [0, 100]. */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[rank]!;
}

/**
 * Runs a case's implementations side by side and returns their medians, ratios and agreement.
 *
 * @example
 * ```ts
 * const result = await measureCase({
 *   id: 'g4', goal: 'G4', title: 'rolling maxBy', events: events.length,
 *   impls: [{ name: 'weir', run: (d) => weirMaxBy(events, d) }, { name: 'hand', run: (d) => handMaxBy(events, d) }],
 *   ratios: [['weir', 'hand']],
 * }, profile('quick'));
 * ```
 */
export async function measureCase(spec: CaseSpec, profile: Profile, log: (line: string) => void = () => {}): Promise<CaseResult> {
  const times = new Map<string, number[]>(spec.impls.map((i) => [i.name, []]));
  const wallTimes = new Map<string, number[]>(spec.impls.map((i) => [i.name, []]));
  const digests = new Map<string, string[]>(spec.impls.map((i) => [i.name, []]));
  const total = profile.warmup + profile.rounds;
  for (let round = 0; round < total; round++) {
    const n = spec.impls.length;
    for (let j = 0; j < n; j++) {
      const impl = spec.impls[(j + round) % n]!;
      collectGarbage();
      // Let concurrent sweeping of the previous run's garbage finish: its CPU time is not this run's.
      await settle();
      const digest = new Digest();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await impl.run(digest);
      const wall = performance.now() - t0;
      const cpuUsed = process.cpuUsage(cpu0);
      const cpu = (cpuUsed.user + cpuUsed.system) / 1000;
      digests.get(impl.name)!.push(digest.toString());
      if (round >= profile.warmup) {
        times.get(impl.name)!.push(cpu);
        wallTimes.get(impl.name)!.push(wall);
      }
      const label = round < profile.warmup ? 'warm-up' : `round ${round - profile.warmup + 1}`;
      log(`  ${spec.id} ${label} ${impl.name}: cpu ${cpu.toFixed(0)} ms (${fmtRate(spec.events / (cpu / 1000))}), wall ${wall.toFixed(0)} ms ${digest}`);
    }
  }
  const impls: ImplResult[] = spec.impls.map((i) => {
    const runs = times.get(i.name)!;
    const wallRuns = wallTimes.get(i.name)!;
    const med = median(runs);
    return {
      name: i.name,
      medianMs: med,
      eventsPerSec: spec.events / (med / 1000),
      eventsPerWallSec: spec.events / (median(wallRuns) / 1000),
      runsMs: runs,
      runsWallMs: wallRuns,
      digest: digests.get(i.name)![0]!,
    };
  });
  const reference = impls[0]!.digest;
  const disagreements: string[] = [];
  for (const [name, ds] of digests) {
    for (const d of ds) if (d !== reference) disagreements.push(`${name}: ${d} != ${spec.impls[0]!.name}: ${reference}`);
  }
  const ratios: Record<string, number> = {};
  const rate = new Map(impls.map((i) => [i.name, i.eventsPerSec]));
  for (const [a, b] of spec.ratios ?? []) {
    const ra = rate.get(a);
    const rb = rate.get(b);
    if (ra !== undefined && rb !== undefined) ratios[`${a}/${b}`] = ra / rb;
  }
  return { id: spec.id, goal: spec.goal, title: spec.title, events: spec.events, impls, ratios, agree: disagreements.length === 0, disagreements: [...new Set(disagreements)] };
}

/**
 * Events per second in a short human form.
 *
 * @example
 * ```ts
 * fmtRate(13_700_000); // '13.70 M/s'
 * ```
 */
export function fmtRate(eventsPerSec: number): string {
  if (eventsPerSec >= 1e6) return `${(eventsPerSec / 1e6).toFixed(2)} M/s`;
  if (eventsPerSec >= 1e3) return `${(eventsPerSec / 1e3).toFixed(1)} k/s`;
  return `${eventsPerSec.toFixed(0)} /s`;
}
