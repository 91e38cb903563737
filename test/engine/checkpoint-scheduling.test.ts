/**
 * Checkpoints belong to the job that wrote them and make progress while the job is busy:
 * - a job started fresh in a directory holding an earlier job's checkpoints numbers its own
 *   after them, and its restart restores its own newest checkpoint, never the other job's;
 * - behind a slow operator, batches shrink so checkpoint writes get their turns: checkpoints
 *   complete during the run, not only at the end of input.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StreamEnvironment } from '@weir/core';

const quiet = { info: () => {}, warn: () => {} };
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'weir-sched-'));
  dirs.push(d);
  return join(d, 'cp');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('checkpoint scheduling', () => {
  it("a restart restores the job's own checkpoint, not another job's in the same directory", async () => {
    const dir = tempDir();
    for (let run = 0; run < 2; run++) {
      const a = StreamEnvironment.create({ checkpointing: { intervalMs: 1, dir }, restore: 'latest', logger: quiet });
      a.fromElements(1, 2, 3).keyBy((n) => n % 2).reduce((x, y) => x + y).uid('job-a-sum').collect();
      await a.execute('job A');
    }
    let seen = 0;
    const b = StreamEnvironment.create({ checkpointing: { intervalMs: 1, dir }, restartStrategy: { attempts: 1 }, logger: quiet });
    const out = b
      .fromCollection(Array.from({ length: 100 }, (_, i) => i))
      .map((n) => {
        if (++seen === 50) throw new Error('crash');
        return n;
      })
      .keyBy((n) => n % 3)
      .reduce((x, y) => x + y)
      .uid('job-b-sum')
      .collect();
    const result = await b.execute('job B');
    expect(result.restarts).toBe(1);
    // The rolling sums are exactly those of a run without the crash.
    const sums = new Map<number, number>();
    const want = Array.from({ length: 100 }, (_, i) => {
      sums.set(i % 3, (sums.get(i % 3) ?? 0) + i);
      return sums.get(i % 3);
    });
    expect(out.items()).toEqual(want);
  });

  it('checkpoints complete while a slow operator keeps the job busy', async () => {
    const dir = tempDir();
    const env = StreamEnvironment.create({ checkpointing: { intervalMs: 50, dir }, logger: quiet });
    env
      .fromCollection(Array.from({ length: 1500 }, (_, i) => i))
      .map((n) => {
        const until = performance.now() + 0.5; // half a millisecond of work per element
        while (performance.now() < until);
        return n;
      })
      .collect();
    const result = await env.execute('busy');
    // The whole input fits one default batch: before batches adapted, the only checkpoint was the
    // final one. Now several complete during the ~0.75 s run.
    expect(result.checkpoints.completed).toBeGreaterThanOrEqual(4);
  });
});
