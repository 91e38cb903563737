/**
 * G5: what checkpointing every second costs a keyed tumbling-window job with many live keys.
 *
 * The job is the G1 sum over 10 s windows; the input has `keys` keys at 200,000 events per second
 * of event time, so every window holds each key 2,000,000 / keys times and about `keys`
 * (key, window) accumulators (and their cleanup timers) are live at any time. A run with
 * checkpointing goes through {@link ProbeSource} and {@link CheckpointProbe} (timings per
 * checkpoint); its directory is kept so that the largest periodic checkpoint can be measured
 * (size on disk) and restored (time from `execute()` to the first poll: load, checksum,
 * deserialise, restore keyed state and timers).
 */
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CollectionSource, JobCancelledError, type Sink, StreamEnvironment } from '@weir/core';
import { TumblingEventTimeWindows } from '@weir/windows';
import type { KeyedEvent } from '../data/keyed-events.js';
import type { Digest } from '../harness/digest.js';
import { benchEnv, eventTime, hashWindowResult, type KeyedResult } from './common.js';
import { CheckpointProbe, type CheckpointTiming, ProbeSource, type SourceHooks } from './probes.js';

/** Window size of the checkpoint case. */
export const CHECKPOINT_CASE_WINDOW_MS = 10_000;

/** What one checkpointed run leaves behind. */
export interface CheckpointedRun {
  readonly checkpoints: readonly CheckpointTiming[];
  /** Bytes each completed checkpoint wrote (a delta writes what changed), in id order. */
  readonly written: readonly number[];
  /** The longest stall between two polls over the run (see CheckpointProbe.longestStallMs). */
  readonly longestStallMs: number;
  /** The checkpoint directory, kept until `dispose` ('' without checkpointing). */
  readonly dir: string;
  dispose(): void;
}

function buildJob(env: StreamEnvironment, events: readonly KeyedEvent[], hooks: SourceHooks, sink: Sink<KeyedResult>): void {
  env
    .fromSource(new ProbeSource(new CollectionSource(events), hooks), 'events')
    .uid('events')
    .assignTimestampsAndWatermarks(eventTime())
    .uid('timestamps')
    .keyBy('key')
    .window(TumblingEventTimeWindows.of(CHECKPOINT_CASE_WINDOW_MS))
    .sum('value')
    .uid('window')
    .sinkTo(sink)
    .uid('sink');
}

/**
 * One instrumented run, with a checkpoint every `intervalMs` or (undefined) without checkpoints.
 *
 * @example
 * ```ts
 * const run = await weirCheckpointCaseRun(events, 1000, digest);
 * run.checkpoints.filter((c) => !c.final).map((c) => c.completedMs - c.startMs);
 * run.dispose();
 * ```
 */
export async function weirCheckpointCaseRun(events: readonly KeyedEvent[], intervalMs: number | undefined, digest: Digest): Promise<CheckpointedRun> {
  const b = benchEnv(intervalMs, true);
  const probe = new CheckpointProbe();
  let written: number[];
  try {
    buildJob(b.env, events, probe.hooks, probe.sink<KeyedResult>(digest, hashWindowResult));
    const result = await b.env.execute('checkpoint-cost');
    written = result.metrics.checkpoints.history.filter((c) => c.status === 'completed').map((c) => c.bytes);
  } catch (e) {
    if (b.dir !== undefined) rmSync(b.dir, { recursive: true, force: true });
    throw e;
  }
  const dir = b.dir ?? '';
  return { checkpoints: probe.checkpoints, written, longestStallMs: probe.longestStallMs, dir, dispose: () => (dir ? rmSync(dir, { recursive: true, force: true }) : undefined) };
}

/**
 * The largest checkpoint taken before the input ended that the directory still holds (the newest
 * `retain` are kept), with its size on disk: every file it reads, its own and the keyed-state
 * files it shares with earlier checkpoints (format 3 keeps those in `shared/`). The largest, not
 * the newest: a checkpoint taken just after a window fired holds almost nothing.
 *
 * @example
 * ```ts
 * const cp = largestPeriodicCheckpoint(run); // { id, path, bytes } or undefined
 * ```
 */
export function largestPeriodicCheckpoint(run: CheckpointedRun): { id: number; path: string; bytes: number } | undefined {
  let best: { id: number; path: string; bytes: number } | undefined;
  for (const c of run.checkpoints) {
    if (c.final || c.completedMs === 0) continue;
    const name = readdirSync(run.dir).find((d) => d.startsWith('chk-') && Number(d.slice(4)) === c.id);
    if (name === undefined) continue;
    const path = join(run.dir, name);
    const bytes = checkpointSize(path);
    if (best === undefined || bytes > best.bytes) best = { id: c.id, path, bytes };
  }
  return best;
}

/** Bytes of every file a checkpoint reads: its own files and the shared files its manifest names. */
export function checkpointSize(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) if (entry.isFile()) total += statSync(join(path, entry.name)).size;
  const raw = readFileSync(join(path, 'manifest'), 'utf8');
  const files = (JSON.parse(raw.slice(raw.indexOf('\n') + 1)) as { files: Record<string, { bytes: number }> }).files;
  for (const [file, f] of Object.entries(files)) if (file.startsWith('../')) total += f.bytes;
  return total;
}

/**
 * Time from `execute()` to the first read of a job restored from `checkpointPath` (the job is
 * cancelled right there, so nothing else is measured).
 *
 * @example
 * ```ts
 * const ms = await weirRestoreTime(events, cp.path, run.dir);
 * ```
 */
export async function weirRestoreTime(events: readonly KeyedEvent[], checkpointPath: string, dir: string): Promise<number> {
  const env = StreamEnvironment.create({ checkpointing: { intervalMs: 3_600_000, dir }, restore: checkpointPath });
  const abort = new AbortController();
  let startedAt = Number.NaN;
  const onStart = (): void => {
    startedAt = performance.now();
    abort.abort();
  };
  buildJob(env, events, { onStart }, { createWriter: () => ({ write: () => {} }) });
  const t0 = performance.now();
  try {
    await env.execute({ jobName: 'restore', signal: abort.signal });
  } catch (e) {
    if (!(e instanceof JobCancelledError) && !(e instanceof Error && e.name === 'AbortError')) throw e;
  }
  if (Number.isNaN(startedAt)) throw new Error('restore run never started reading');
  return startedAt - t0;
}
