/**
 * Checkpoint cost, measured side by side in one process:
 *
 * 1. Throughput of a keyed tumbling-window sum over 100,000 keys without checkpoints and with one
 *    checkpoint per second (runs alternate, medians reported), with each checkpoint's synchronous
 *    pause (from the source's position snapshot to the next poll), duration (snapshot to
 *    completion notice) and size on disk.
 * 2. A checkpoint of 1,000,000 keys (size, duration, pause) and the time to restore it.
 *
 * Run: `node test/fault/run.mjs test/fault/perf/checkpoint-overhead.ts` (PERF_RECORDS, PERF_ROUNDS
 * override the sizes). Prints a table and a JSON line.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PollStatus, type Sink, type Source, type SourceOutput, type SourceReader, StreamEnvironment, WatermarkStrategy } from '@weir/core';
import { Time, TumblingEventTimeWindows } from '@weir/windows';

interface Rec {
  k: number;
  v: number;
  ts: number;
}

interface Timing {
  snapshots: number[];
  pauses: number[];
  durations: number[];
  firstPollAt?: number;
  /** Called at each completion notice (e.g. to measure the checkpoint on disk). */
  onComplete?: () => void;
}

/** Emits `total` records over `keys` keys, 100 records per ms of event time; can stop at the end without ending. */
class GeneratorReader implements SourceReader<Rec> {
  private i = 0;
  private snapAt = -1;
  private release: (() => void) | undefined;
  constructor(
    private readonly total: number,
    private readonly keys: number,
    private readonly holdAtEnd: boolean,
    private readonly t: Timing,
    private readonly onHeldCheckpoint: (() => void) | undefined,
  ) {}
  pollNext(out: SourceOutput<Rec>, max: number): PollStatus {
    const now = performance.now();
    this.t.firstPollAt ??= now;
    if (this.snapAt >= 0) {
      this.t.pauses.push(now - this.snapAt);
      this.snapAt = -1;
    }
    const end = Math.min(this.total, this.i + max);
    for (let i = this.i; i < end; i++) out.collect({ k: i % this.keys, v: 1, ts: Math.floor(i / 100) }, Math.floor(i / 100));
    this.i = end;
    if (end < this.total) return PollStatus.MORE_AVAILABLE;
    return this.holdAtEnd ? PollStatus.NOTHING_AVAILABLE : PollStatus.END_OF_INPUT;
  }
  isAvailable(): Promise<void> {
    return new Promise((r) => (this.release = r));
  }
  snapshotPosition(): number {
    this.snapAt = performance.now();
    this.t.snapshots.push(this.snapAt);
    return this.i;
  }
  restorePosition(p: unknown): void {
    this.i = p as number;
  }
  notifyCheckpointComplete(): void {
    this.t.durations.push(performance.now() - this.t.snapshots.at(-1)!);
    this.t.onComplete?.();
    if (this.i >= this.total) this.onHeldCheckpoint?.();
  }
  close(): void {
    this.release?.();
  }
}

function source(total: number, keys: number, t: Timing, holdAtEnd = false, onHeld?: () => void): Source<Rec> {
  return { name: 'generator', bounded: !holdAtEnd, replayable: true, createReader: () => new GeneratorReader(total, keys, holdAtEnd, t, onHeld) };
}

const discard = (): Sink<Rec> => ({ name: 'discard', createWriter: () => ({ write: () => {}, prepareCommit: () => undefined }) });

function build(env: StreamEnvironment, src: Source<Rec>, windowMs: number) {
  env
    .fromSource(src)
    .uid('gen')
    .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<Rec>())
    .uid('wm')
    .keyBy('k')
    .window(TumblingEventTimeWindows.of(Time.milliseconds(windowMs)))
    .sum('v')
    .uid('window')
    .sinkTo(discard())
    .uid('sink');
}

async function dirBytes(dir: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) n += e.isDirectory() ? await dirBytes(join(dir, e.name)) : (await stat(join(dir, e.name))).size;
  return n;
}

const median = (xs: readonly number[]) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const max = (xs: readonly number[]) => (xs.length === 0 ? Number.NaN : Math.max(...xs));
const f = (x: number, d = 1) => x.toFixed(d);

async function throughputRun(records: number, keys: number, checkpoint: boolean, root: string) {
  const dir = await mkdtemp(join(root, checkpoint ? 'ck-' : 'no-'));
  const sizes: Array<Promise<number>> = [];
  const newest = async () => {
    const names = (await readdir(dir)).filter((n) => n.startsWith('chk-')).sort();
    return names.length > 0 ? dirBytes(join(dir, names.at(-1)!)).catch(() => 0) : 0;
  };
  const t: Timing = { snapshots: [], pauses: [], durations: [], onComplete: () => void sizes.push(newest()) };
  const env = StreamEnvironment.create(checkpoint ? { checkpointing: { intervalMs: 1000, dir, retain: 1 } } : {});
  // 10 s windows at 100 records per ms: every window holds all 100,000 keys.
  build(env, source(records, keys, t), 10_000);
  const started = performance.now();
  await env.execute('throughput');
  const ms = performance.now() - started;
  const bytes = (await Promise.all(sizes)).slice(0, -1);
  await rm(dir, { recursive: true, force: true });
  // The final checkpoint (after the end of input, windows fired) is not a steady-state one.
  const steady = (xs: number[]) => xs.slice(0, Math.max(0, t.snapshots.length - 1));
  return { ms, perSec: records / (ms / 1000), checkpoints: t.snapshots.length, pauses: steady(t.pauses), durations: steady(t.durations), bytes };
}

async function bigState(keys: number, root: string) {
  const dir = join(root, 'big');
  const t: Timing = { snapshots: [], pauses: [], durations: [] };
  const ac = new AbortController();
  const env = StreamEnvironment.create({ checkpointing: { intervalMs: 1000, dir, retain: 1 }, logger: { info: () => {}, warn: () => {} } });
  // One window holding every key; hold at the end until a checkpoint with all keys completes.
  build(env, source(keys, keys, t, true, () => ac.abort()), 3_600_000);
  await env.execute({ jobName: 'big state', signal: ac.signal }).catch(() => {});
  const name = (await readdir(dir)).find((n) => n.startsWith('chk-'))!;
  const bytes = await dirBytes(join(dir, name));
  const heldPause = t.pauses.at(-1) ?? Number.NaN;
  const heldDuration = t.durations.at(-1)!;
  // Restore: from execute() to the first poll of the source, i.e. reading, verifying and
  // deserialising the checkpoint and rebuilding the state. The job then ends at once.
  const r: Timing = { snapshots: [], pauses: [], durations: [] };
  const env2 = StreamEnvironment.create({ checkpointing: { intervalMs: 60_000, dir, retain: 1 }, restore: 'latest' });
  build(env2, source(keys, keys, r), 3_600_000);
  const started = performance.now();
  await env2.execute('big state'); // the same job: 'latest' restores only its own checkpoints
  const restoreMs = r.firstPollAt! - started;
  return { bytes, syncMs: heldPause, durationMs: heldDuration, restoreMs };
}

const records = Number(process.env.PERF_RECORDS ?? 6_000_000);
const rounds = Number(process.env.PERF_ROUNDS ?? 3);
const keys = 100_000;
const root = await mkdtemp(join(tmpdir(), 'weir-ckpt-perf-'));
try {
  const plain: number[] = [];
  const checked: Array<Awaited<ReturnType<typeof throughputRun>>> = [];
  await throughputRun(1_000_000, keys, false, root); // warm-up
  for (let i = 0; i < rounds; i++) {
    plain.push((await throughputRun(records, keys, false, root)).perSec);
    checked.push(await throughputRun(records, keys, true, root));
  }
  const withCk = checked.map((c) => c.perSec);
  const pauses = checked.flatMap((c) => c.pauses);
  const durations = checked.flatMap((c) => c.durations);
  const big = await bigState(1_000_000, root);
  const loss = 1 - median(withCk) / median(plain);
  const result = {
    records,
    rounds,
    keys,
    throughputNoCheckpoint: Math.round(median(plain)),
    throughputCheckpoint1s: Math.round(median(withCk)),
    lossPct: Number(f(loss * 100, 2)),
    steadyCheckpoints: pauses.length,
    syncPauseMsMedian: Number(f(median(pauses), 2)),
    syncPauseMsMax: Number(f(max(pauses), 2)),
    durationMsMedian: Number(f(median(durations), 1)),
    bytes100kMedian: median(checked.flatMap((c) => c.bytes)),
    big1M: { bytes: big.bytes, syncPauseMs: Number(f(big.syncMs, 1)), durationMs: Number(f(big.durationMs, 1)), restoreMs: Number(f(big.restoreMs, 1)) },
  };
  console.log(`keyed tumbling sum, ${keys} keys, ${records} records per run, ${rounds} rounds (medians)`);
  console.log(`  throughput without checkpoints : ${result.throughputNoCheckpoint.toLocaleString('en')} records/s  (runs: ${plain.map((x) => Math.round(x)).join(', ')})`);
  console.log(`  throughput, 1 checkpoint/s     : ${result.throughputCheckpoint1s.toLocaleString('en')} records/s  (runs: ${withCk.map((x) => Math.round(x)).join(', ')})`);
  console.log(`  throughput loss                : ${result.lossPct} %`);
  console.log(`  steady-state checkpoints       : ${result.steadyCheckpoints}; sync pause median ${result.syncPauseMsMedian} ms, max ${result.syncPauseMsMax} ms; duration median ${result.durationMsMedian} ms`);
  console.log(`  steady checkpoint size         : ${(result.bytes100kMedian / 1e6).toFixed(2)} MB (median)`);
  console.log(`1,000,000 keys: checkpoint ${(big.bytes / 1e6).toFixed(1)} MB, sync pause ${result.big1M.syncPauseMs} ms, duration ${result.big1M.durationMs} ms, restore ${result.big1M.restoreMs} ms`);
  console.log(JSON.stringify(result));
} finally {
  await rm(root, { recursive: true, force: true });
}
