/**
 * In-process snapshot/restore harness: runs a job over some input once without interruption,
 * and once split at cut points — the sources stop at their cut, the harness waits for a
 * checkpoint taken there, cancels the job, and a new job restores from that checkpoint and runs
 * to the end. The committed output of the split run (before + after) must equal the
 * uninterrupted output: restore(snapshot(s)) then any suffix equals the uninterrupted run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readdir } from 'node:fs/promises';
import {
  type DataStream,
  JobCancelledError,
  type KeyGroupRange,
  PollStatus,
  type Sink,
  type Source,
  type SourceOutput,
  type SourceReader,
  StreamEnvironment,
} from '@weir/core';

/**
 * A transactional sink into an "external system" that outlives the job (a map shared by the jobs
 * of one split run): committed per checkpoint id, idempotently, like FileSink. (`collect()` is
 * per environment, so a restored job would commit the restored transaction into its own handle
 * again.)
 */
class TxnStore {
  private readonly committed = new Map<number, unknown[]>();
  sink(): Sink<unknown, { id: number; items: unknown[] }> {
    return {
      name: 'txn store',
      createWriter: () => {
        let items: unknown[] = [];
        return {
          write: (v) => void items.push(v),
          prepareCommit: (id) => {
            const c = { id, items };
            items = [];
            return c;
          },
        };
      },
      commit: (cs) => {
        for (const c of cs) if (!this.committed.has(c.id)) this.committed.set(c.id, c.items);
      },
    };
  }
  items(): unknown[] {
    return [...this.committed.entries()].sort((a, b) => a[0] - b[0]).flatMap(([, items]) => items);
  }
  /** What checkpoints after `id` committed. */
  itemsAfter(id: number): unknown[] {
    return [...this.committed.entries()]
      .filter(([c]) => c > id)
      .sort((a, b) => a[0] - b[0])
      .flatMap(([, items]) => items);
  }
}

/** Stops the sources of a run at their cuts and tells when a checkpoint holds all of them there. */
class CutCoordinator {
  readonly readers = new Set<CutReader<unknown>>();
  readonly done: Promise<void>;
  private resolve!: () => void;
  constructor() {
    this.done = new Promise((r) => (this.resolve = r));
  }
  checkpointComplete(): void {
    for (const r of this.readers) if (!r.snappedAtCut) return;
    this.resolve();
  }
}

/** Elements per poll before the cut. */
const PACE = 3;

/**
 * Reads `items`. Before `cut` (when paced), a few elements per millisecond: checkpoints (1 ms
 * apart) fall between them, so the one at the cut ends a chain of deltas. The uninterrupted run
 * reads in the same batches as the split one (paced up to the cut, then all at once), so that the
 * two differ only by the restore.
 */
class CutReader<T> implements SourceReader<T> {
  private index = 0;
  snappedAtCut = false;
  private release: (() => void) | undefined;
  constructor(
    private readonly items: readonly T[],
    private readonly cut: number,
    private readonly coordinator: CutCoordinator | undefined,
    private readonly paced: boolean,
  ) {}
  pollNext(output: SourceOutput<T>, maxRecords: number): PollStatus {
    if (this.paced && this.index < this.cut) {
      const end = Math.min(this.cut, this.index + Math.min(maxRecords, PACE));
      while (this.index < end) output.collect(this.items[this.index++]!);
      return PollStatus.NOTHING_AVAILABLE;
    }
    if (this.coordinator !== undefined) return PollStatus.NOTHING_AVAILABLE; // at the cut
    const end = Math.min(this.items.length, this.index + maxRecords);
    while (this.index < end) output.collect(this.items[this.index++]!);
    return this.index >= this.items.length ? PollStatus.END_OF_INPUT : PollStatus.MORE_AVAILABLE;
  }
  isAvailable(): Promise<void> {
    if (this.paced && this.index < this.cut) return new Promise((r) => setTimeout(r, 1));
    if (this.coordinator === undefined) return Promise.resolve();
    // At the cut: wait until the job is cancelled.
    return new Promise((r) => (this.release = r));
  }
  snapshotPosition(): number {
    this.snappedAtCut = this.coordinator !== undefined && this.index === this.cut;
    return this.index;
  }
  restorePosition(position: unknown): void {
    this.index = position as number;
  }
  notifyCheckpointComplete(): void {
    this.coordinator?.checkpointComplete();
  }
  close(): void {
    this.release?.();
  }
}

/** A replayable source over `items` that, in the first half of a split run, stops at `cut`. */
function cutSource<T>(items: readonly T[], cut: number, coordinator: CutCoordinator | undefined, paced: boolean): Source<T> {
  return {
    name: 'cut source',
    bounded: true,
    replayable: true,
    createReader: () => {
      const r = new CutReader(items, cut, coordinator, paced);
      coordinator?.readers.add(r as CutReader<unknown>);
      return r;
    },
  };
}

/** A stream of any element type (DataStream is invariant in its type). */
// biome-ignore lint/suspicious/noExplicitAny: outputs of different element types in one list
export type AnyStream = DataStream<any>;

/** Builds the job under test from its sources; returns the streams whose output is compared. */
export type Build = (sources: Array<DataStream<unknown>>) => AnyStream[];

export interface SplitResult {
  readonly uninterrupted: unknown[][];
  readonly split: unknown[][];
  /** Output committed before the cut. */
  readonly before: unknown[][];
}

function job(
  dir: string,
  restore: boolean | string,
  inputs: ReadonlyArray<readonly unknown[]>,
  cuts: readonly number[] | undefined,
  coordinator: CutCoordinator | undefined,
  build: Build,
  stores: readonly TxnStore[],
  paced: boolean,
  keyGroups?: KeyGroupRange,
) {
  const env = StreamEnvironment.create({
    // Chains of incremental checkpoints (a full one, then deltas), so restores apply deltas.
    checkpointing: { intervalMs: 1, dir, retain: 2, fullEvery: 4, chainAlways: true },
    restore: typeof restore === 'string' ? restore : restore ? 'latest' : false,
    keyGroups,
    restartStrategy: { attempts: 0 },
    logger: { info: () => {}, warn: () => {} },
    // A watermark after every element: with periodic ones, where a batch ends (the cut is one)
    // would decide lateness and timers, and the split run could not equal the uninterrupted one.
    perElementWatermarks: true,
  });
  const sources = inputs.map((items, i) => env.fromSource(cutSource(items, cuts?.[i] ?? items.length, coordinator, paced)).uid(`source-${i}`));
  build(sources).forEach((out, i) => out.sinkTo(stores[i]!.sink()).uid(`out-${i}`));
  return env;
}

/** How many outputs `build` returns (built once on a throwaway environment). */
function probeOutputs(inputCount: number, build: Build): number {
  const env = StreamEnvironment.create();
  return build(Array.from({ length: inputCount }, () => env.fromElements<unknown>())).length;
}

/** Runs the job uninterrupted and split at `cuts` (one per input); returns both outputs. */
export async function runSplit(inputs: ReadonlyArray<readonly unknown[]>, cuts: readonly number[], build: Build): Promise<SplitResult> {
  const root = await mkdtemp(join(tmpdir(), 'weir-cut-'));
  try {
    const count = probeOutputs(inputs.length, build);
    const whole = Array.from({ length: count }, () => new TxnStore());
    const split = Array.from({ length: count }, () => new TxnStore());
    await job(join(root, 'a'), false, inputs, cuts, undefined, build, whole, true).execute('uninterrupted');
    const coordinator = new CutCoordinator();
    const first = job(join(root, 'b'), false, inputs, cuts, coordinator, build, split, true);
    const ac = new AbortController();
    // Both halves are one job (one name): a checkpoint directory belongs to one job.
    const running = first.execute({ jobName: 'split', signal: ac.signal });
    await Promise.race([coordinator.done, running]);
    ac.abort();
    await running.then(
      () => {
        throw new Error('the first half of a split run ended instead of stopping at the cut');
      },
      (e: unknown) => {
        if (!(e instanceof JobCancelledError)) throw e;
      },
    );
    const before = split.map((s) => s.items());
    const second = await job(join(root, 'b'), true, inputs, undefined, undefined, build, split, false).execute('split');
    if (second.restoredFrom === undefined) throw new Error('the second half of a split run did not restore');
    return { uninterrupted: whole.map((s) => s.items()), split: split.map((s) => s.items()), before };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Builds the job of one instance: `owns(key)` says whether its key groups hold `key`. */
export type RangeBuild = (sources: Array<DataStream<unknown>>, owns: (key: unknown) => boolean) => AnyStream[];

export interface RangeSplitResult {
  /** What the second half committed, restored whole (one instance). */
  readonly whole: unknown[][];
  /** What the second halves committed, one instance per range, concatenated. */
  readonly byRanges: unknown[][];
}

/**
 * Runs the job to `cuts` and checkpoints there (a chain of deltas), then continues from that
 * checkpoint twice: once whole, and once as one instance per key-group range (each restores
 * only its key groups, `keyGroups`, and keeps only its keys). Returns what each second half
 * committed.
 */
export async function runSplitByRanges(
  inputs: ReadonlyArray<readonly unknown[]>,
  cuts: readonly number[],
  ranges: readonly KeyGroupRange[],
  keyGroupOfKey: (key: unknown) => number,
  build: RangeBuild,
): Promise<RangeSplitResult> {
  const root = await mkdtemp(join(tmpdir(), 'weir-ranges-'));
  try {
    const count = probeOutputs(inputs.length, (s) => build(s, () => true));
    const first = Array.from({ length: count }, () => new TxnStore());
    const coordinator = new CutCoordinator();
    const env = job(join(root, 'first'), false, inputs, cuts, coordinator, (s) => build(s, () => true), first, true);
    const ac = new AbortController();
    const running = env.execute({ jobName: 'ranges', signal: ac.signal });
    await Promise.race([coordinator.done, running]);
    ac.abort();
    await running.then(
      () => {
        throw new Error('the first half ended instead of stopping at the cut');
      },
      (e: unknown) => {
        if (!(e instanceof JobCancelledError)) throw e;
      },
    );
    const newest = (await readdir(join(root, 'first'))).filter((n) => /^chk-\d{10}$/.test(n)).sort().at(-1)!;
    const checkpoint = join(root, 'first', newest);
    const restoredId = Number(newest.slice(4));
    const continueFrom = async (dir: string, range: KeyGroupRange | undefined): Promise<unknown[][]> => {
      const stores = Array.from({ length: count }, () => new TxnStore());
      const owns = range === undefined ? () => true : (key: unknown) => keyGroupOfKey(key) >= range.start && keyGroupOfKey(key) < range.end;
      await job(join(root, dir), checkpoint, inputs, undefined, undefined, (s) => build(s, owns), stores, false, range).execute('ranges');
      return stores.map((st) => st.itemsAfter(restoredId));
    };
    const whole = await continueFrom('whole', undefined);
    const byRanges: unknown[][] = Array.from({ length: count }, () => []);
    for (const [i, range] of ranges.entries()) {
      const out = await continueFrom(`range-${i}`, range);
      out.forEach((items, j) => byRanges[j]!.push(...items));
    }
    return { whole, byRanges };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
