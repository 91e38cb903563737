/**
 * The groups of goals G5 (checkpoint cost) and G6 (memory of window state).
 */
import { keyedEvents } from '../data/keyed-events.js';
import { Digest } from '../harness/digest.js';
import { type CaseResult, type Impl, measureCase, median, percentile } from '../harness/measure.js';
import type { Profile } from '../harness/profile.js';
import { type CheckpointedRun, largestPeriodicCheckpoint, weirCheckpointCaseRun, weirRestoreTime } from '../micro/checkpoint-cost.js';
import { bytesPerPhase, phasedKeys } from '../micro/incremental-cost.js';
import { handBytesPerAccumulator, weirBytesPerAccumulator, weirBytesPerValueState, weirHeapStability } from '../micro/memory.js';
import { type BenchGroup, figuresResult, pick } from './group.js';
import { MICRO_EVENTS, MICRO_KEYS } from './window-groups.js';

function keyCounts(profile: Profile): number[] {
  if (profile.name === 'full') return [10_000, 100_000, 1_000_000];
  if (profile.name === 'quick') return [10_000, 100_000];
  return [1000];
}

/**
 * Events of the G5 case per key count in a full run: 10 M at 10 k keys; fewer with more keys, where
 * the job is slower, so that a run still lasts long enough for several checkpoints (and at 1 M keys
 * still fills the 10 s windows: 2 M events each at 200,000 events/s).
 */
function checkpointCaseEvents(keys: number): number {
  return keys >= 1_000_000 ? 3_000_000 : keys >= 100_000 ? 4_000_000 : MICRO_EVENTS;
}

const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

/**
 * G5: the tumbling-sum job (10 s windows, 200,000 events/s of event time) with 10 k / 100 k / 1 M
 * keys (10 M / 4 M / 3 M events in a full run), with and without a checkpoint every second: throughput, and per checkpoint the capture
 * time, duration and pause; the size of the largest periodic checkpoint and the time to restore it.
 *
 * @example
 * ```ts
 * await checkpointGroup.run(profile('quick'), console.error);
 * ```
 */
export const checkpointGroup: BenchGroup = {
  id: 'checkpoint',
  title: 'G5 checkpoint overhead',
  async run(profile, log, only) {
    const results: CaseResult[] = [];
    // In a smoke run the job lasts milliseconds: checkpoint every millisecond to exercise the path.
    const intervalMs = profile.name === 'smoke' ? 1 : 1000;
    for (const keys of keyCounts(profile)) {
      const events = keyedEvents(profile.size(checkpointCaseEvents(keys)), { keys, eventsPerSecond: 200_000 });
      const runs: CheckpointedRun[] = [];
      // The job's own longest stall without checkpoints (a window firing for every key): the
      // floor under the pause measured while a checkpoint is in flight.
      const stallsWithout: number[] = [];
      const timings: CheckpointedRun['checkpoints'][number][] = [];
      const impls: Impl[] = [
        {
          name: 'weir+cp',
          run: async (d) => {
            const run = await weirCheckpointCaseRun(events, intervalMs, d);
            runs.forEach((r) => r.dispose());
            runs.length = 0;
            runs.push(run);
            timings.push(...run.checkpoints.filter((c) => !c.final && c.completedMs > 0));
          },
        },
        {
          name: 'weir',
          run: async (d) => {
            const run = await weirCheckpointCaseRun(events, undefined, d);
            stallsWithout.push(run.longestStallMs);
            run.dispose();
          },
        },
      ];
      const result = await measureCase(
        {
          id: `g5-checkpoint-${keys >= 1e6 ? `${keys / 1e6}M` : `${keys / 1000}k`}`,
          goal: 'G5',
          title: `checkpoint every ${intervalMs} ms, ${keys.toLocaleString('en')} keys`,
          events: events.length,
          impls: pick(impls, only),
          ratios: [['weir+cp', 'weir']],
        },
        profile,
        log,
      );
      const extra: Record<string, unknown> = { keys, checkpointIntervalMs: intervalMs, checkpoints: timings.length };
      const ratio = result.ratios['weir+cp/weir'];
      if (ratio !== undefined) extra.overhead = round(1 - ratio, 4);
      const wall = (name: string) => result.impls.find((i) => i.name === name)?.eventsPerWallSec;
      const withCp = wall('weir+cp');
      const without = wall('weir');
      // Wall time also counts the stalls while fsync and the like wait (CPU time does not).
      if (withCp !== undefined && without !== undefined) extra.overheadWall = round(1 - withCp / without, 4);
      if (stallsWithout.length > 0) extra.stallWithoutCheckpointsMaxMs = round(median(stallsWithout));
      const run0 = runs[0];
      if (run0 !== undefined && run0.written.length > 0) {
        Object.assign(extra, { writtenP50Bytes: Math.round(median(run0.written)), writtenMaxBytes: Math.max(...run0.written) });
      }
      if (timings.length > 0) {
        const durations = timings.map((c) => c.completedMs - c.startMs);
        const captures = timings.map((c) => c.capturedMs - c.startMs);
        const pauses = timings.map((c) => c.pauseMs);
        Object.assign(extra, {
          durationP50Ms: round(median(durations)),
          durationMaxMs: round(Math.max(...durations)),
          captureP50Ms: round(median(captures)),
          captureMaxMs: round(Math.max(...captures)),
          pauseP50Ms: round(median(pauses)),
          pauseP99Ms: round(percentile(pauses, 99)),
        });
      }
      const run = runs[0];
      if (run !== undefined) {
        const cp = largestPeriodicCheckpoint(run);
        if (cp !== undefined) {
          extra.checkpointBytes = cp.bytes;
          const restores: number[] = [];
          for (let i = 0; i < Math.max(1, Math.min(3, profile.rounds)); i++) restores.push(await weirRestoreTime(events, cp.path, run.dir));
          extra.restoreMs = round(median(restores));
          log(`  restore of checkpoint ${cp.id} (${(cp.bytes / 1e6).toFixed(1)} MB): ${restores.map((r) => r.toFixed(0)).join(', ')} ms`);
        }
        run.dispose();
      }
      results.push({ ...result, extra });
    }
    results.push(await incrementalCase(profile, log));
    return results;
  },
};

/**
 * G5, incremental: bytes written by the checkpoints of an interval in which 1 % of the keys of a
 * keyed state changed, incremental against full (1 M keys in a full run).
 */
async function incrementalCase(profile: Parameters<BenchGroup['run']>[0], log: (line: string) => void) {
  const keys = profile.name === 'full' ? 1_000_000 : profile.name === 'quick' ? 100_000 : 2000;
  const phases = phasedKeys(keys, 0.01, 5);
  const incremental = await bytesPerPhase(phases, true);
  const full = await bytesPerPhase(phases, false);
  const ratios = incremental.perPhase.slice(1).map((b, i) => b / full.perPhase[i + 1]!);
  log(`  1% of ${keys.toLocaleString('en')} keys per interval: incremental ${incremental.perPhase.map((b) => b.toLocaleString('en')).join(' / ')} B, full ${full.perPhase.map((b) => b.toLocaleString('en')).join(' / ')} B`);
  return figuresResult('g5-incremental-1pct', 'G5', `bytes written when 1% of ${keys.toLocaleString('en')} keys changed, incremental / full`, keys, {
    keys,
    fullCheckpointBytes: Math.round(median(full.perPhase.slice(1))),
    incrementalCheckpointBytes: Math.round(median(incremental.perPhase.slice(1))),
    writtenRatio: round(median(ratios), 4),
  });
}

/**
 * G6: bytes per live (key, window) accumulator (1 M keys in a full run), weir and a hand-written
 * Map; and the heap over 10 M generated events of the G1 job, sampled every million.
 *
 * @example
 * ```ts
 * await memoryGroup.run(profile('quick'), console.error);
 * ```
 */
export const memoryGroup: BenchGroup = {
  id: 'memory',
  title: 'G6 memory',
  async run(profile, log) {
    // The heap run first, while nothing else is on the heap.
    const n = profile.size(MICRO_EVENTS);
    const every = Math.max(1, Math.floor(n / 10));
    const heap = await weirHeapStability(n, every, { keys: MICRO_KEYS, eventsPerSecond: 1000 }, new Digest());
    log(`  heap every ${every}: ${heap.samples.map((s) => (s / 1e6).toFixed(1)).join(' ')} MB, spread ${(heap.spread * 100).toFixed(1)}%`);
    const keys = profile.name === 'full' ? 1_000_000 : profile.name === 'quick' ? 100_000 : 2000;
    const events = keyedEvents(keys, { keys, eventsPerSecond: keys });
    const weirRuns: number[] = [];
    for (let i = 0; i < Math.max(1, Math.min(3, profile.rounds)); i++) {
      const m = await weirBytesPerAccumulator(events, new Digest());
      weirRuns.push(m.bytesPerAccumulator);
      log(`  weir: ${m.bytesPerAccumulator.toFixed(1)} B per accumulator (${m.accumulators} accumulators)`);
    }
    const hand = handBytesPerAccumulator(events);
    log(`  hand: ${hand.bytesPerAccumulator.toFixed(1)} B per accumulator`);
    const valueState: number[] = [];
    for (let i = 0; i < Math.max(1, Math.min(3, profile.rounds)); i++) valueState.push((await weirBytesPerValueState(events)).bytesPerEntry);
    log(`  ValueState: ${valueState.map((b) => b.toFixed(1)).join(', ')} B per entry`);
    return [
      figuresResult('g6-bytes-per-accumulator', 'G6', `bytes per live (key, window) accumulator, ${keys.toLocaleString('en')} keys`, events.length, {
        weirBytesPerAccumulator: round(median(weirRuns), 1),
        handBytesPerAccumulator: round(hand.bytesPerAccumulator, 1),
      }),
      figuresResult('g6-bytes-per-value-state', 'G6', `heap per keyed ValueState<number> entry, ${keys.toLocaleString('en')} keys`, events.length, {
        weirBytesPerValueStateEntry: round(median(valueState), 1),
      }),
      figuresResult('g6-heap-stability', 'G6', 'heap over the G1 job (after GC)', n, {
        heapSamplesMB: heap.samples.map((s) => round(s / 1e6, 1)),
        sampleEvery: every,
        spread: round(heap.spread, 4),
      }),
    ];
  },
};
