/**
 * The group of goal G9 (issue #18): Async I/O throughput against a simulated 5 ms service for
 * capacity 10, 100 and 1,000, ordered and unordered, next to a hand-written promise pool; and the
 * heap over a long run.
 */
import { keyedEvents } from '../data/keyed-events.js';
import { Digest } from '../harness/digest.js';
import { type CaseResult, type Impl, measureCase } from '../harness/measure.js';
import type { Profile } from '../harness/profile.js';
import { handAsyncPool, weirAsync, weirAsyncHeap } from '../micro/async-io.js';
import { type BenchGroup, figuresResult, pick } from './group.js';

/** The simulated service's latency, ms. */
export const ASYNC_LATENCY_MS = 5;
const CAPACITIES = [10, 100, 1000] as const;

/** Seconds of calls per run at the bound: long enough that start-up and drain are small. */
function secondsPerRun(profile: Profile): number {
  return profile.name === 'full' ? 2 : profile.name === 'quick' ? 0.6 : 0.05;
}

const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

/**
 * G9: for each capacity and mode, weir's `mapAsync` and the hand-written pool over the same
 * events; the figure is weir's wall-clock calls per second as a fraction of `capacity / latency`.
 *
 * @example
 * ```ts
 * await asyncGroup.run(profile('quick'), console.error);
 * ```
 */
export const asyncGroup: BenchGroup = {
  id: 'async',
  title: 'G9 Async I/O against a 5 ms service',
  async run(profile, log, only) {
    const results: CaseResult[] = [];
    for (const ordered of [true, false]) {
      for (const capacity of CAPACITIES) {
        const bound = capacity / (ASYNC_LATENCY_MS / 1000);
        const events = keyedEvents(Math.max(capacity * 2, Math.round(bound * secondsPerRun(profile))), { keys: 1000, eventsPerSecond: 1000 });
        const impls: Impl[] = [
          { name: 'weir', run: (d) => weirAsync(events, capacity, ordered, ASYNC_LATENCY_MS, d) },
          { name: 'hand', run: (d) => handAsyncPool(events, capacity, ASYNC_LATENCY_MS, d) },
        ];
        const mode = ordered ? 'ordered' : 'unordered';
        const result = await measureCase(
          {
            id: `g9-async-${mode}-${capacity}`,
            goal: 'G9',
            title: `mapAsync ${mode}, capacity ${capacity}, ${ASYNC_LATENCY_MS} ms service`,
            events: events.length,
            impls: pick(impls, only),
            ratios: [['weir', 'hand']],
          },
          profile,
          log,
        );
        const wall = (name: string) => result.impls.find((i) => i.name === name)?.eventsPerWallSec;
        const extra: Record<string, unknown> = { capacity, ordered, latencyMs: ASYNC_LATENCY_MS, boundPerSec: bound };
        const w = wall('weir');
        const h = wall('hand');
        if (w !== undefined) extra.weirFractionOfBound = round(w / bound);
        if (h !== undefined) extra.handFractionOfBound = round(h / bound);
        if (w !== undefined && h !== undefined) extra.weirOverHandWall = round(w / h);
        results.push({ ...result, extra });
      }
    }
    if (only === undefined || only.length === 0 || only.includes('weir')) {
      const capacity = 1000;
      const n = Math.round((capacity / (ASYNC_LATENCY_MS / 1000)) * secondsPerRun(profile) * 2);
      const digest = new Digest();
      const heap = await weirAsyncHeap(n, Math.max(1, Math.floor(n / 10)), capacity, ASYNC_LATENCY_MS, digest);
      log(`  g9-async-heap: spread ${(heap.spread * 100).toFixed(1)}% over ${heap.samples.length} samples`);
      results.push(
        figuresResult('g9-async-heap', 'G9', `heap after GC over ${n.toLocaleString('en')} calls, capacity ${capacity}`, n, {
          spread: round(heap.spread, 4),
          samplesMB: heap.samples.map((b) => round(b / 1e6, 1)),
          calls: digest.count,
        }),
      );
    }
    return results;
  },
};
