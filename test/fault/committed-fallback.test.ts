/**
 * Issue #14, defect 3: falling back from a corrupt checkpoint must not commit output twice.
 *
 * FileSource -> keyBy -> tumbling window -> FileSink, stopped right after the sink committed
 * checkpoint N. Then one file of chk-N is damaged and the job restarts with `restore: 'latest'`:
 * - a damaged manifest or small part (operator state, committables, positions) is repaired from
 *   its second copy: the job continues from chk-N and its output equals the model exactly;
 * - damaged keyed state cannot be repaired: restoring chk-(N-1) would commit chk-N's output a
 *   second time, so the restart refuses with CommittedOutputWouldRepeatError naming both
 *   checkpoints and how many records would repeat; `restore: '<chk-(N-1)>'` accepts that, and
 *   then exactly that many lines are duplicated (counted against the model, not the error);
 * - when chk-N was durable but never committed (a crash between the write and the commit), the
 *   fallback to chk-(N-1) stays allowed, with its warning, and the output is exact.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobCancelledError } from '@weir/core';
import type { ChildConfig } from './child/child-config.js';
import { bundle, ROOT } from './support/bundle.js';
import { compareLines, readCommitted } from './support/committed-output.js';
import { checkpointNames, fileJob, flipByte, keyedStateFile, linesIn, manifestOf, partsOf, writeInput } from './support/file-job.js';
import { runChild } from './support/run-child.js';

let root: string;
let runs = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'weir-fallback-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Runs the job until the sink committed a checkpoint (>= 3) with output; returns its id. */
async function runUntilCommitted(): Promise<{ work: string; input: string; outDir: string; checkpointDir: string; expected: string[]; committed: number }> {
  const work = join(root, `run-${runs++}`);
  const input = join(root, `input-${runs}.csv`);
  const expected = await writeInput(input, 14_003 + runs, 6000);
  const outDir = join(work, 'out');
  const checkpointDir = join(work, 'chk');
  const ac = new AbortController();
  let committed = 0;
  const env = fileJob({
    input,
    outDir,
    checkpointDir,
    restore: false,
    onCommitted: (id) => {
      if (committed === 0 && id >= 3 && partsOf(outDir, id).length > 0) {
        committed = id;
        ac.abort();
      }
    },
  });
  await expect(env.execute({ jobName: 'tumbling', signal: ac.signal })).rejects.toBeInstanceOf(JobCancelledError);
  expect(committed).toBeGreaterThanOrEqual(3);
  expect(checkpointNames(checkpointDir).at(-1)).toBe(`chk-${String(committed).padStart(10, '0')}`);
  return { work, input, outDir, checkpointDir, expected, committed };
}

const chk = (dir: string, id: number) => join(dir, `chk-${String(id).padStart(10, '0')}`);

describe('falling back from a corrupt checkpoint', () => {
  it('refuses when the skipped checkpoint\'s output was committed, saying how much would repeat; restore: <path> accepts exactly that repetition', async () => {
    const r = await runUntilCommitted();
    const newest = chk(r.checkpointDir, r.committed);
    const keyed = await keyedStateFile(newest);
    await flipByte(keyed.file, keyed.offset + 3);
    const committedLines = await linesIn(r.outDir, partsOf(r.outDir, r.committed));
    expect(committedLines).toBeGreaterThan(0);
    const before = (await readdir(r.outDir)).sort();

    const warnings: string[] = [];
    const error = await fileJob({ ...r, restore: 'latest', warnings }).execute('tumbling').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      name: 'CommittedOutputWouldRepeatError',
      code: 'CHECKPOINT_FALLBACK',
      committedCheckpointId: r.committed,
      fallbackCheckpointId: r.committed - 1,
      fallbackPath: chk(r.checkpointDir, r.committed - 1),
      repeatedRecords: committedLines,
    });
    const message = (error as Error).message;
    expect(message).toContain(keyed.file);
    expect(message).toContain(`restore: '${chk(r.checkpointDir, r.committed - 1)}'`);
    expect(message).toContain(committedLines.toLocaleString('en-US'));
    // Nothing was committed by the refused attempt.
    expect((await readdir(r.outDir)).sort()).toEqual(before);

    // Accepting the repetition explicitly: exactly the reported lines are committed twice.
    await fileJob({ ...r, restore: chk(r.checkpointDir, r.committed - 1) }).execute('tumbling');
    const final = await readCommitted(r.outDir);
    expect(compareLines(final.lines, r.expected)).toEqual({ lost: 0, duplicated: committedLines, inconsistent: 0 });
  });

  it('repairs a damaged manifest or small part from its copy and continues from that checkpoint: the output equals the model', async () => {
    const r = await runUntilCommitted();
    const newest = chk(r.checkpointDir, r.committed);
    const manifest = await manifestOf(newest);
    const redundant = Object.entries(manifest.files)
      .filter(([, f]) => f.copy !== undefined)
      .map(([name]) => name);
    expect(redundant.length).toBeGreaterThan(0);
    await flipByte(join(newest, 'manifest'), 57);
    for (const f of redundant) await flipByte(join(newest, f), 11);

    const warnings: string[] = [];
    const result = await fileJob({ ...r, restore: 'latest', warnings }).execute('tumbling');
    expect(result.restoredFrom?.path).toBe(newest);
    expect(warnings.some((w) => w.includes(join(newest, 'manifest')) && /copy/.test(w))).toBe(true);
    for (const f of redundant) expect(warnings.some((w) => w.includes(join(newest, f)) && /copy/.test(w))).toBe(true);
    const final = await readCommitted(r.outDir);
    expect(compareLines(final.lines, r.expected)).toEqual({ lost: 0, duplicated: 0, inconsistent: 0 });
  });
});

describe('falling back after a crash (child processes, SIGKILL at a failpoint)', () => {
  let script: string;
  beforeAll(async () => {
    script = await bundle(join(ROOT, 'test', 'fault', 'child', 'job.ts'), join(root, 'job.mjs'));
  });

  async function crashAt(failpoint: string): Promise<{ cfg: ChildConfig; expected: string[] }> {
    const work = join(root, `child-${runs++}`);
    const input = join(root, `child-input-${runs}.csv`);
    const expected = await writeInput(input, 2_024 + runs, 4000);
    const cfg: ChildConfig = {
      pipeline: 'tumbling-sum',
      input,
      outDir: join(work, 'out'),
      checkpointDir: join(work, 'chk'),
      intervalMs: 40,
      linesPerTick: 10,
      tickMs: 1,
      cpuPerLineMs: 0,
    };
    const crashed = await runChild(script, cfg, { failpoints: failpoint });
    expect(crashed.signal).toBe('SIGKILL');
    return { cfg, expected };
  }

  it('a checkpoint that was durable but never committed may be skipped: warning, and the output equals the model', async () => {
    const { cfg, expected } = await crashAt('checkpoint.after-pointer@3');
    const newest = chk(cfg.checkpointDir, 3);
    expect(checkpointNames(cfg.checkpointDir).at(-1)).toBe('chk-0000000003');
    expect(partsOf(cfg.outDir, 3)).toEqual([]);
    const keyed = await keyedStateFile(newest);
    await flipByte(keyed.file, keyed.offset + 3);
    const run = await runChild(script, cfg);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Skipping checkpoint chk-0000000003/);
    const final = await readCommitted(cfg.outDir);
    expect(compareLines(final.lines, expected)).toEqual({ lost: 0, duplicated: 0, inconsistent: 0 });
  });

  it('a checkpoint whose commit had started is never silently skipped', async () => {
    const { cfg } = await crashAt('sink.after-commit@3');
    const newest = chk(cfg.checkpointDir, 3);
    expect(partsOf(cfg.outDir, 3).length).toBeGreaterThan(0);
    const keyed = await keyedStateFile(newest);
    await flipByte(keyed.file, keyed.offset + 3);
    const before = (await readdir(cfg.outDir)).sort();
    const run = await runChild(script, cfg);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/CommittedOutputWouldRepeatError/);
    expect(run.stderr).toContain(chk(cfg.checkpointDir, 2));
    expect((await readdir(cfg.outDir)).sort()).toEqual(before);
  });
});
