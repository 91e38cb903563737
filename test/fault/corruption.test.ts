/**
 * Corrupt checkpoints are detected every time: a bit flip anywhere in a checkpoint file, or a
 * truncation to any length, is noticed and named. The manifest and the small state (operator
 * state, committables, positions) are kept twice: a damaged copy is read from the other one,
 * with a warning naming the damaged file, and the checkpoint restores exactly as before. Damaged
 * keyed state makes that checkpoint unusable with a CheckpointCorruptError naming the file;
 * restore then falls back to the previous complete checkpoint with a logged reason, and with no
 * valid checkpoint left a job with `restore` fails instead of silently starting fresh.
 */
import { cp, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointCorruptError, DirectoryCheckpointStorage, StreamEnvironment, WatermarkStrategy } from '@weir/core';
import { Time, TumblingEventTimeWindows } from '@weir/windows';

interface Ev {
  k: string;
  v: number;
  ts: number;
}
const events: Ev[] = Array.from({ length: 400 }, (_, i) => ({ k: `k${i % 37}`, v: i, ts: i * 10 }));

/** The test job; `logger` sees the checkpoint messages. */
function job(dir: string, restore: 'latest' | string | false, warnings: string[] = []) {
  const env = StreamEnvironment.create({
    checkpointing: { intervalMs: 60_000, dir, retain: 3 },
    restore,
    restartStrategy: { attempts: 0 },
    logger: { info: () => {}, warn: (m) => warnings.push(m) },
  });
  const out = env
    .fromCollection(events)
    .uid('events')
    .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<Ev>(50).withTimestampAssigner((e) => e.ts))
    .uid('timestamps')
    .keyBy('k')
    .window(TumblingEventTimeWindows.of(Time.milliseconds(500)))
    .sum('v')
    .uid('window')
    .collect();
  return { env, out };
}

let root: string;
let pristine: string;
let newest: string;
let previous: string;
let newestFiles: string[];
const silent = { info: () => {}, warn: () => {} };

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
  newestFiles = (await readdir(join(pristine, newest))).sort();
  expect(newestFiles).toEqual(expect.arrayContaining(['manifest', 'manifest.copy', 'small.bin', 'small.copy.bin']));
  expect(newestFiles.filter((f) => f.startsWith('op-')).length).toBeGreaterThanOrEqual(1);
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
        const file = join(dir, newest, name);
        const size = (await stat(file)).size;
        if (m.kind === 'flip') await flipBit(file, m.at, m.bit);
        else await truncate(file, m.at % size);
        const warnings: string[] = [];
        const storage = new DirectoryCheckpointStorage(dir, 3, { info: () => {}, warn: (w) => warnings.push(w) });
        const loaded = await storage.load(join(dir, newest)).then(
          (cp) => cp,
          (e: unknown) => e,
        );
        if (name.startsWith('op-')) {
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
    await flipBit(join(dir, newest, 'op-0.bin'), 17, 3);
    const warnings: string[] = [];
    const { env } = job(dir, 'latest', warnings);
    const result = await env.execute('corruption');
    expect(result.restoredFrom?.path).toBe(join(dir, previous));
    expect(warnings.join('\n')).toMatch(/Skipping checkpoint chk-\d+: .*op-0\.bin.*checksum/);
  });

  it('with no valid checkpoint left, restore fails with CheckpointCorruptError instead of starting fresh', async () => {
    const dir = await copy();
    for (const name of (await readdir(dir)).filter((n) => n.startsWith('chk-'))) await truncate(join(dir, name, 'op-0.bin'), 3);
    const { env, out } = job(dir, 'latest');
    const error = await env.execute('corruption').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CheckpointCorruptError);
    expect((error as CheckpointCorruptError).file).toMatch(/chk-\d+\/op-0\.bin$/);
    expect((error as Error).message).toMatch(/op-0\.bin/);
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
