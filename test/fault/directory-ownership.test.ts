/**
 * Issue #14, defect 5: a checkpoint directory belongs to one job.
 * - Job B started on job A's directory with `restore: 'latest'` refuses A's checkpoint
 *   (ForeignCheckpointError) instead of silently restoring A's state.
 * - An explicit `restore: '<path>'` of another job's checkpoint is refused unless its operators
 *   (uids and kinds) are this job's: a renamed job, restored with a logged warning.
 * - While a job runs, it holds the directory's lock: a second job on the same directory is
 *   refused (CheckpointDirectoryLockedError naming the owner) and the first one's output is
 *   exact. A lock left by a killed process (dead pid, or a pid reused by another process) is
 *   taken over with a warning; one held on another host is not. The lock is released on every
 *   way out of execute().
 */
import { hostname } from 'node:os';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobCancelledError, StreamEnvironment } from '@weir/core';
import type { ChildConfig } from './child/child-config.js';
import { bundle, ROOT } from './support/bundle.js';
import { compareLines, readCommitted } from './support/committed-output.js';
import { checkpointNames, fileJob, writeInput } from './support/file-job.js';
import { runChild } from './support/run-child.js';

let root: string;
let input: string;
let expected: string[];
let n = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'weir-owner-'));
  input = join(root, 'input.csv');
  expected = await writeInput(input, 5, 3000);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const fresh = () => {
  const work = join(root, `w${n++}`);
  return { outDir: join(work, 'out'), checkpointDir: join(work, 'chk') };
};
const rejection = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('a checkpoint directory belongs to one job', () => {
  it("job B with restore: 'latest' on job A's directory refuses A's checkpoint", async () => {
    const a = fresh();
    await fileJob({ input, ...a, restore: false }).execute('job A');
    const newest = join(a.checkpointDir, checkpointNames(a.checkpointDir).at(-1)!);
    const bOut = join(root, `b-out-${n++}`);
    // Another pipeline whose generated uids are A's: before, it restored A's windows silently.
    const error = await rejection(fileJob({ input, outDir: bOut, checkpointDir: a.checkpointDir, restore: 'latest', variant: 'wider' }).execute('job B'));
    expect(error).toMatchObject({ name: 'ForeignCheckpointError', code: 'CHECKPOINT_FOREIGN', checkpointJobName: 'job A', jobName: 'job B', path: newest });
    expect((error as Error).message).toMatch(/checkpointing\.dir/);
    expect((await readCommitted(bOut)).lines).toEqual([]);
  });

  it('the same job under another name (same operators) is refused by latest, restored from an explicit path with a warning', async () => {
    const a = fresh();
    const ac = new AbortController();
    let stopped = false;
    const first = fileJob({
      input,
      ...a,
      restore: false,
      onCommitted: (id) => {
        if (id >= 2 && !stopped) {
          stopped = true;
          ac.abort();
        }
      },
    });
    await expect(first.execute({ jobName: 'old name', signal: ac.signal })).rejects.toBeInstanceOf(JobCancelledError);
    const newest = join(a.checkpointDir, checkpointNames(a.checkpointDir).at(-1)!);
    const latest = await rejection(fileJob({ input, ...a, restore: 'latest' }).execute('new name'));
    expect(latest).toMatchObject({ code: 'CHECKPOINT_FOREIGN' });
    expect((latest as Error).message).toContain(`restore: '${newest}'`);

    const warnings: string[] = [];
    const result = await fileJob({ input, ...a, restore: newest, warnings }).execute('new name');
    expect(result.restoredFrom?.path).toBe(newest);
    expect(warnings.some((w) => w.includes("'old name'") && w.includes("'new name'"))).toBe(true);
    expect(compareLines((await readCommitted(a.outDir)).lines, expected)).toEqual({ lost: 0, duplicated: 0, inconsistent: 0 });
  });

  it("an explicit restore of another job's checkpoint with other operators is refused", async () => {
    const a = fresh();
    await fileJob({ input, ...a, restore: false }).execute('job A');
    const newest = join(a.checkpointDir, checkpointNames(a.checkpointDir).at(-1)!);
    const b = fresh();
    const error = await rejection(fileJob({ input, ...b, restore: newest, variant: 'passthrough' }).execute('job B'));
    expect(error).toMatchObject({ code: 'CHECKPOINT_FOREIGN', checkpointJobName: 'job A', path: newest });
  });
});

describe('one job at a time per directory', () => {
  it('a second job on a directory in use is refused, naming the owner; the first one is unharmed', async () => {
    const a = fresh();
    const second: unknown[] = [];
    let tried = false;
    const env = fileJob({
      input,
      ...a,
      restore: false,
      onCommitted: () => {
        if (tried) return;
        tried = true;
        // While job A runs: job B (fresh start) and a second copy of A (latest) on its directory.
        const other = fresh();
        second.push(
          rejection(fileJob({ input, outDir: other.outDir, checkpointDir: a.checkpointDir, restore: false, variant: 'passthrough' }).execute('job B')),
          rejection(fileJob({ input, outDir: other.outDir, checkpointDir: a.checkpointDir, restore: 'latest' }).execute('job A')),
        );
      },
    });
    await env.execute('job A');
    const errors = await Promise.all(second);
    for (const e of errors) {
      expect(e).toMatchObject({ name: 'CheckpointDirectoryLockedError', code: 'CHECKPOINT_LOCKED', ownerPid: process.pid, ownerJobName: 'job A' });
      expect((e as Error).message).toContain(a.checkpointDir);
    }
    expect(compareLines((await readCommitted(a.outDir)).lines, expected)).toEqual({ lost: 0, duplicated: 0, inconsistent: 0 });
  });

  it('the lock is released on every way out: success, failure, cancellation, refusal', async () => {
    const a = fresh();
    const lock = join(a.checkpointDir, 'LOCK');
    const quiet = { info: () => {}, warn: () => {} };
    const env = (restore: 'latest' | false, fail: boolean) => {
      const e = StreamEnvironment.create({ checkpointing: { intervalMs: 5, dir: a.checkpointDir }, restore, restartStrategy: { attempts: 0 }, logger: quiet });
      e.fromCollection(Array.from({ length: 500 }, (_, i) => i))
        .uid('numbers')
        .map((x) => {
          if (fail && x === 400) throw new Error('boom');
          return x;
        })
        .uid('map')
        .collect();
      return e;
    };
    await env(false, false).execute('job');
    expect(existsSync(lock)).toBe(false);
    await expect(env(false, true).execute('job')).rejects.toMatchObject({ code: 'USER_FUNCTION' });
    expect(existsSync(lock)).toBe(false);
    const ac = new AbortController();
    ac.abort();
    await expect(env('latest', false).execute({ jobName: 'job', signal: ac.signal })).rejects.toBeInstanceOf(JobCancelledError);
    expect(existsSync(lock)).toBe(false);
    await expect(env('latest', false).execute('another job')).rejects.toMatchObject({ code: 'CHECKPOINT_FOREIGN' });
    expect(existsSync(lock)).toBe(false);
  });
});

describe('a lock left behind by a killed process', () => {
  let script: string;
  let cfg: ChildConfig;
  let leftLock: string;
  beforeAll(async () => {
    script = await bundle(join(ROOT, 'test', 'fault', 'child', 'job.ts'), join(root, 'job.mjs'));
    const w = fresh();
    cfg = { pipeline: 'tumbling-sum', input, ...w, intervalMs: 20, linesPerTick: 10, tickMs: 1, cpuPerLineMs: 0 };
    const killed = await runChild(script, cfg, { failpoints: 'checkpoint.after-pointer@2' });
    expect(killed.signal).toBe('SIGKILL');
    leftLock = await readFile(join(cfg.checkpointDir, 'LOCK'), 'utf8');
  });

  const withLock = async (edit: (lock: Record<string, unknown>) => void): Promise<ChildConfig> => {
    const w = fresh();
    const copy = { ...cfg, ...w };
    await rm(copy.checkpointDir, { recursive: true, force: true });
    const { cp } = await import('node:fs/promises');
    await cp(cfg.checkpointDir, copy.checkpointDir, { recursive: true });
    await cp(cfg.outDir, copy.outDir, { recursive: true });
    const lock = JSON.parse(leftLock) as Record<string, unknown>;
    edit(lock);
    await writeFile(join(copy.checkpointDir, 'LOCK'), JSON.stringify(lock));
    return copy;
  };

  it('names the dead owner; the restarted job takes it over with a warning and completes exactly', async () => {
    const lock = JSON.parse(leftLock) as Record<string, unknown>;
    expect(lock).toMatchObject({ hostname: hostname(), jobName: 'tumbling-sum' });
    const c = await withLock(() => {});
    const run = await runChild(script, c);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`WARN .*LOCK.*pid ${lock.pid}.*no longer running`));
    expect(existsSync(join(c.checkpointDir, 'LOCK'))).toBe(false);
    expect(compareLines((await readCommitted(c.outDir)).lines, expected)).toEqual({ lost: 0, duplicated: 0, inconsistent: 0 });
  });

  it('a pid that now belongs to another process (other start time) is a stale lock too', async () => {
    // The test runner's own pid, alive, but not the process that took the lock.
    const c = await withLock((l) => (l.pid = process.pid));
    const run = await runChild(script, c);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/WARN .*LOCK.*another process/);
  });

  it('a lock held on another host is not taken over', async () => {
    const c = await withLock((l) => (l.hostname = 'some-other-host'));
    const run = await runChild(script, c);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/CheckpointDirectoryLockedError/);
    expect(run.stderr).toContain('some-other-host');
    expect(run.stderr).toContain(join(c.checkpointDir, 'LOCK'));
  });
});
