/**
 * Corrupt checkpoints are detected every time: a bit flip anywhere in a file a checkpoint reads
 * (its own files and the shared keyed-state files it refers to), or a truncation to any length,
 * is noticed and named. The manifest and the small state (operator state, committables,
 * positions) are kept twice: a damaged copy is read from the other one, with a warning naming
 * the damaged file, and the checkpoint restores exactly as before. Damaged keyed state makes
 * every checkpoint that refers to it unusable with a CheckpointCorruptError naming the file;
 * restore then falls back to the newest complete checkpoint that does not refer to it, with a
 * logged reason, and with no valid checkpoint left a job with `restore` fails instead of silently
 * starting fresh. Incremental chains share files: a damaged shared file follows the same rules,
 * and a fallback over committed output is refused (no silent duplicates).
 */
import { cp, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointCorruptError, CommittedOutputWouldRepeatError, DirectoryCheckpointStorage, StreamEnvironment, WatermarkStrategy } from '@weir/core';
import { Time, TumblingEventTimeWindows } from '@weir/windows';

interface Ev {
  k: string;
  v: number;
  ts: number;
}
const events: Ev[] = Array.from({ length: 400 }, (_, i) => ({ k: `k${i % 37}`, v: i, ts: i * 10 }));

/** The test job (full checkpoints only: every checkpoint has keyed state files of its own); `logger` sees the checkpoint messages. */
function job(dir: string, restore: 'latest' | string | false, warnings: string[] = []) {
  const env = StreamEnvironment.create({
    checkpointing: { intervalMs: 60_000, dir, retain: 3, incremental: false },
    restore,
    restartStrategy: { attempts: 0 },
    logger: { info: () => {}, warn: (m) => warnings.push(m) },
  });
  const timed = env
    .fromCollection(events)
    .uid('events')
    .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<Ev>(50).withTimestampAssigner((e) => e.ts))
    .uid('timestamps');
  const out = timed.keyBy('k').window(TumblingEventTimeWindows.of(Time.milliseconds(500))).sum('v').uid('window').collect();
  // A rolling sum keeps keyed state after the input ended (the windows have all fired by then).
  timed.keyBy('k').sum('v').uid('rolling').collect();
  return { env, out };
}

let root: string;
let pristine: string;
let newest: string;
let previous: string;
/** The files the newest checkpoint reads, relative to the checkpoint directory's root. */
let newestFiles: string[];
const silent = { info: () => {}, warn: () => {} };

/** The manifest body of a checkpoint. */
async function manifestOf(checkpoint: string): Promise<{ files: Record<string, unknown> }> {
  const raw = await readFile(join(checkpoint, 'manifest'), 'utf8');
  return JSON.parse(raw.slice(raw.indexOf('\n') + 1));
}

/** The files checkpoint `name` of `dir` reads, relative to `dir` (`chk-N/small.bin`, `shared/x.bin`). */
async function filesRead(dir: string, name: string): Promise<string[]> {
  const m = await manifestOf(join(dir, name));
  const own = (await readdir(join(dir, name))).map((f) => `${name}/${f}`);
  const shared = Object.keys(m.files)
    .filter((f) => f.startsWith('../shared/'))
    .map((f) => f.slice(3));
  return [...own, ...shared].sort();
}

/** The complete checkpoints of `dir`, newest first. */
async function checkpoints(dir: string): Promise<string[]> {
  return (await readdir(dir))
    .filter((n) => /^chk-\d{10}$/.test(n))
    .sort()
    .reverse();
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'weir-corrupt-'));
  pristine = join(root, 'pristine');
  // Three runs of a bounded job, each restoring the previous one's final checkpoint: three
  // complete checkpoints with keyed window state, positions and sink committables.
  for (let i = 0; i < 3; i++) await job(pristine, 'latest').env.execute('corruption');
  const names = (await readdir(pristine)).filter((n) => n.startsWith('chk-')).sort();
  expect(names.length).toBe(3);
  newest = names.at(-1)!;
  previous = names.at(-2)!;
  newestFiles = await filesRead(pristine, newest);
  expect(newestFiles).toEqual(expect.arrayContaining([`${newest}/manifest`, `${newest}/manifest.copy`, `${newest}/small.bin`, `${newest}/small.copy.bin`]));
  expect(newestFiles.filter((f) => f.startsWith('shared/')).length).toBeGreaterThanOrEqual(1);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let copies = 0;
async function copy(): Promise<string> {
  const dir = join(root, `copy-${copies++}`);
  await cp(pristine, dir, { recursive: true });
  return dir;
}

async function flipBit(path: string, at: number, bit: number): Promise<void> {
  const data = await readFile(path);
  data[at % data.length]! ^= 1 << bit;
  await writeFile(path, data);
}

const mutation = fc.record({
  file: fc.nat(),
  kind: fc.constantFrom('flip', 'truncate'),
  at: fc.nat(),
  bit: fc.integer({ min: 0, max: 7 }),
});

describe('checkpoint corruption', () => {
  it('the pristine checkpoints load', async () => {
    const cp = await new DirectoryCheckpointStorage(pristine, 3, silent).latest();
    expect(cp?.path).toBe(join(pristine, newest));
  });

  it('every bit flip and every truncation of a checkpoint file is detected, naming the file: a redundant file is read from its copy, damaged keyed state falls back to the previous checkpoint (property)', async () => {
    const intact = await new DirectoryCheckpointStorage(pristine, 3, silent).load(join(pristine, newest));
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const dir = await copy();
        const name = newestFiles[m.file % newestFiles.length]!;
        const file = join(dir, name);
        const size = (await stat(file)).size;
        if (m.kind === 'flip') await flipBit(file, m.at, m.bit);
        else await truncate(file, m.at % size);
        const warnings: string[] = [];
        const storage = new DirectoryCheckpointStorage(dir, 3, { info: () => {}, warn: (w) => warnings.push(w) });
        const loaded = await storage.load(join(dir, newest)).then(
          (cp) => cp,
          (e: unknown) => e,
        );
        if (name.startsWith('shared/')) {
          expect(loaded).toBeInstanceOf(CheckpointCorruptError);
          // A damaged state file is named by its own name.
          expect((loaded as CheckpointCorruptError).file).toBe(file);
          const fallback = await storage.latest();
          expect(fallback?.path).toBe(join(dir, previous));
          expect(warnings.some((w) => w.includes(newest) && w.includes(file))).toBe(true);
        } else {
          // Kept twice: the other copy restores exactly the intact checkpoint, with a warning.
          expect(loaded).not.toBeInstanceOf(Error);
          expect((loaded as typeof intact).operators).toEqual(intact.operators);
          expect(warnings.some((w) => w.includes(file) && w.includes('damaged'))).toBe(true);
          expect((await storage.latest())?.path).toBe(join(dir, newest));
        }
        await rm(dir, { recursive: true, force: true });
      }),
      { numRuns: Number(process.env.FAULT_CORRUPTION_RUNS ?? 200) },
    );
  });

  it('a job restoring from a corrupted newest checkpoint continues from the previous one, with a logged reason', async () => {
    const dir = await copy();
    const own = (await filesRead(dir, newest)).find((f) => f.startsWith('shared/'))!;
    await flipBit(join(dir, own), 17, 3);
    const warnings: string[] = [];
    const { env } = job(dir, 'latest', warnings);
    const result = await env.execute('corruption');
    expect(result.restoredFrom?.path).toBe(join(dir, previous));
    expect(warnings.join('\n')).toMatch(/Skipping checkpoint chk-\d+: .*shared\/.*\.bin.*checksum/);
  });

  it('with no valid checkpoint left, restore fails with CheckpointCorruptError instead of starting fresh', async () => {
    const dir = await copy();
    for (const name of await readdir(join(dir, 'shared'))) await truncate(join(dir, 'shared', name), 3);
    const { env, out } = job(dir, 'latest');
    const error = await env.execute('corruption').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CheckpointCorruptError);
    expect((error as CheckpointCorruptError).file).toMatch(/shared\/[^/]+\.bin$/);
    expect((error as Error).message).toMatch(/shared\/[^/]+\.bin/);
    expect(out.items()).toEqual([]);
  });

  it('restore from an explicit path that is corrupt fails, naming the file', async () => {
    const dir = await copy();
    await flipBit(join(dir, previous, 'manifest'), 40, 0);
    await flipBit(join(dir, previous, 'manifest.copy'), 41, 2);
    const { env } = job(dir, join(dir, previous));
    await expect(env.execute('corruption')).rejects.toSatisfy((e: unknown) => e instanceof CheckpointCorruptError && e.file === join(dir, previous, 'manifest'));
  });
});

describe('incremental chains: a damaged shared file', () => {
  /** A rolling sum: run 1 writes 37 keys, runs 2 and 3 change 2 and 1 of them (deltas). */
  const inputs = [
    Array.from({ length: 200 }, (_, i) => ({ k: `k${i % 37}`, v: i, ts: i })),
    Array.from({ length: 20 }, (_, i) => ({ k: `k${1 + (i % 2)}`, v: i, ts: 200 + i })),
    Array.from({ length: 20 }, (_, i) => ({ k: 'k3', v: i, ts: 220 + i })),
  ];
  function rolling(dir: string, run: number, warnings: string[] = []) {
    const env = StreamEnvironment.create({
      checkpointing: { intervalMs: 60_000, dir, retain: 3 },
      restore: 'latest',
      restartStrategy: { attempts: 0 },
      logger: { info: () => {}, warn: (m) => warnings.push(m) },
    });
    // Each run restores the previous one's position and reads only what was appended since.
    const out = env.fromCollection(inputs.slice(0, run + 1).flat()).uid('events').keyBy('k').sum('v').uid('rolling').collect();
    return { env, out };
  }
  let chain: string;
  let names: string[];
  beforeAll(async () => {
    chain = join(root, 'chain');
    for (let run = 0; run < 3; run++) await rolling(chain, run).env.execute('chain');
    names = await checkpoints(chain);
    expect(names.length).toBe(3);
  });
  const copyChain = async () => {
    const dir = join(root, `chain-copy-${copies++}`);
    await cp(chain, dir, { recursive: true });
    return dir;
  };
  /** The shared file checkpoint `name` wrote itself. */
  const ownShared = (name: string) => `shared/${Number(name.slice(4))}-0-`;

  it('each checkpoint refers to the shared files of the ones before it, and a delta holds only what changed', async () => {
    const [newest, middle, oldest] = names as [string, string, string];
    const files = await filesRead(chain, newest);
    const shared = files.filter((f) => f.startsWith('shared/'));
    expect(shared).toHaveLength(3);
    for (const name of [oldest, middle, newest]) expect(shared.some((f) => f.startsWith(ownShared(name)))).toBe(true);
    const size = async (prefix: string) => (await stat(join(chain, shared.find((f) => f.startsWith(prefix))!))).size;
    // Three keys out of 37 changed: the deltas are a small part of the full segment under them.
    expect(await size(ownShared(newest))).toBeLessThan((await size(ownShared(oldest))) / 4);
    expect(await size(ownShared(middle))).toBeLessThan((await size(ownShared(oldest))) / 4);
    // The chain restores the state the runs built: a fourth run reads nothing new and keeps it.
    const r = rolling(await copyChain(), 2);
    expect((await r.env.execute('chain')).restoredFrom?.path).toMatch(new RegExp(`${newest}$`));
  });

  it('damaged in the newest delta: the fallback to the previous checkpoint would commit output again, and is refused', async () => {
    const dir = await copyChain();
    const file = (await filesRead(dir, names[0]!)).find((f) => f.startsWith(ownShared(names[0]!)))!;
    await flipBit(join(dir, file), 5, 1);
    const { env, out } = rolling(dir, 2);
    const error = await env.execute('chain').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CommittedOutputWouldRepeatError);
    expect((error as Error).message).toContain(join(dir, file));
    expect(out.items()).toEqual([]);
  });

  it('damaged in the full segment every checkpoint of the chain refers to: no valid checkpoint, CheckpointCorruptError naming the shared file', async () => {
    const dir = await copyChain();
    const file = (await filesRead(dir, names[2]!)).find((f) => f.startsWith(ownShared(names[2]!)))!;
    await truncate(join(dir, file), 10);
    const storage = new DirectoryCheckpointStorage(dir, 3, silent);
    await expect(storage.latest()).rejects.toSatisfy((e: unknown) => e instanceof CheckpointCorruptError && e.file === join(dir, file));
    const { env, out } = rolling(dir, 2);
    await expect(env.execute('chain')).rejects.toBeInstanceOf(CheckpointCorruptError);
    expect(out.items()).toEqual([]);
  });
});
