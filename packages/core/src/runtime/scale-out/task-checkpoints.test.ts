/**
 * Which checkpoint a task restores when an instance acquires it at a new epoch, against the rule
 * written in task-checkpoints.ts: the newest checkpoint of the highest earlier epoch that has
 * one; an epoch without checkpoints but with a BASE gives its BASE (what its owner started from);
 * an epoch that never started (no BASE) is skipped. A paused old owner's later checkpoints never
 * win over a newer epoch's BASE.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DirectoryCheckpointStorage } from '../../checkpoint/directory-storage.js';
import type { JobGraph } from '../../contract/plan.js';
import { prepareTaskCheckpoints, pruneOlderEpochs, taskDirectory, taskJobName } from './task-checkpoints.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const graph: JobGraph = { nodes: [], edges: [] };
const logger = { info: () => {}, warn: () => {} };
const epochDir = (base: string, e: number) => join(taskDirectory(base, 'j', '0_3'), `e${String(e).padStart(10, '0')}`);

/** Writes checkpoint `id` into epoch `e`'s directory, as the owner of that epoch would. */
async function checkpoint(base: string, e: number, id: number): Promise<string> {
  const storage = new DirectoryCheckpointStorage(epochDir(base, e), { retain: 10, logger, lock: false });
  const close = await storage.open(taskJobName('j', '0_3'));
  const written = await storage.write(id, taskJobName('j', '0_3'), [{ uid: 'src', name: 'src', position: { id: `${id}-0` } }]);
  await close();
  return written.path;
}
const prepare = (base: string, epoch: number) => prepareTaskCheckpoints({ base, jobName: 'j', taskId: '0_3', epoch, graph, logger });
const newBase = () => {
  const d = mkdtempSync(join(tmpdir(), 'weir-task-ck-'));
  dirs.push(d);
  return d;
};

describe('prepareTaskCheckpoints', () => {
  it('starts fresh without earlier epochs, and records that in its BASE', async () => {
    const base = newBase();
    const where = await prepare(base, 1);
    expect(where).toEqual({ dir: epochDir(base, 1), restoreFrom: undefined });
    // The next epoch, finding e1 with a BASE of "fresh" and no checkpoint, starts fresh too.
    expect((await prepare(base, 2)).restoreFrom).toBeUndefined();
  });

  it('restores the newest checkpoint of the highest earlier epoch that has one', async () => {
    const base = newBase();
    await prepare(base, 1);
    await checkpoint(base, 1, 1);
    const second = await checkpoint(base, 1, 2);
    expect((await prepare(base, 2)).restoreFrom).toBe(second);
    const third = await checkpoint(base, 2, 3);
    expect((await prepare(base, 4)).restoreFrom).toBe(third); // e3 has no directory: e2 is the highest earlier epoch with one
  });

  it("follows an epoch's BASE when that epoch wrote no checkpoint, ignoring what a paused older owner wrote since", async () => {
    const base = newBase();
    await prepare(base, 1);
    const c2 = await checkpoint(base, 1, 2);
    expect((await prepare(base, 2)).restoreFrom).toBe(c2); // e2's BASE: e1/chk-2; e2 dies before its first checkpoint
    await checkpoint(base, 1, 3); // e1's owner, paused, wakes up and writes one more
    expect((await prepare(base, 3)).restoreFrom).toBe(c2);
  });

  it('skips an epoch that never started (no BASE: its owner died before choosing)', async () => {
    const base = newBase();
    await prepare(base, 1);
    const c1 = await checkpoint(base, 1, 1);
    mkdirSync(epochDir(base, 2), { recursive: true });
    expect((await prepare(base, 3)).restoreFrom).toBe(c1);
  });

  it('a damaged BASE is an error, not a silent choice', async () => {
    const base = newBase();
    await prepare(base, 1);
    await checkpoint(base, 1, 1);
    mkdirSync(epochDir(base, 2), { recursive: true });
    writeFileSync(join(epochDir(base, 2), 'BASE'), '{"restoreFrom":');
    await expect(prepare(base, 3)).rejects.toThrow(/BASE file .* is damaged/);
  });
});

describe('pruneOlderEpochs', () => {
  it('removes the epochs before the previous one, keeping the previous (a paused owner finds its directory) and the current', async () => {
    const base = newBase();
    for (let e = 1; e <= 5; e++) await prepare(base, e);
    await pruneOlderEpochs(base, 'j', '0_3', 5);
    expect(readdirSync(taskDirectory(base, 'j', '0_3')).sort()).toEqual(['e0000000004', 'e0000000005']);
  });
});
