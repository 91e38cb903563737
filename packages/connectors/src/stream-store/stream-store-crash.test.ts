/**
 * Exactly-once under real crashes: a separate process copying one embedded stream to another
 * while input keeps arriving is killed (SIGKILL, by the engine's failpoints) at each instant of
 * the checkpoint and commit path, then a new process resumes with `restore: 'latest'`; the output
 * must hold every input event exactly once.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventRead, StreamManager } from '../index.js';
import { bundleWorker, runWorker } from '../test-support/run-worker.js';
import { sleep } from '../test-support/tcp.js';
import { SegmentAppender } from './segment-appender.js';

const root = mkdtempSync(join(tmpdir(), 'weir-crash-'));
let bundle = '';
beforeAll(async () => {
  bundle = await bundleWorker(fileURLToPath(new URL('../test-support/store-copy-worker.ts', import.meta.url)));
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const COUNT = 20_000;
const FAILPOINTS = [
  'checkpoint.before-write@3',
  'checkpoint.after-part@5',
  'checkpoint.before-rename@3',
  'checkpoint.after-rename@3',
  'checkpoint.after-pointer@3',
  'sink.before-commit@3',
  'sink.after-commit@3',
  'restore.after-recover@1',
];

async function output(m: StreamManager, scope: string): Promise<number[]> {
  const g = await m.createReaderGroup<{ id: number }>(`check-${Date.now()}`, scope, 'out');
  const out: EventRead<{ id: number }>[] = [];
  for (let b = await g.readNext(10_000); b.length > 0; b = await g.readNext(10_000)) out.push(...b);
  await g.close();
  return out.map((e) => e.value.id).sort((a, b) => a - b);
}

describe('stream store copy job killed at each failpoint', () => {
  it.each(FAILPOINTS)('killed at %s, resumed by a new process, commits every event exactly once', async (fp) => {
    const m = new StreamManager(root);
    const scope = fp.replace(/[^a-z0-9]/gi, '-');
    await m.createScope(scope);
    await m.createStream(scope, 'in', { scalingPolicy: { minSegments: 3 } });
    await m.createStream(scope, 'out', { scalingPolicy: { minSegments: 2 } });
    const w = await m.createWriter<{ id: number; customer: string }>(scope, 'in');
    const write = (from: number, to: number) => Promise.all(Array.from({ length: to - from }, (_, i) => w.writeEvent(`c${(from + i) % 11}`, { id: from + i, customer: `c${(from + i) % 11}` })));
    const args = [root, scope, 'in', 'out', join(root, `${scope}-ck`)];
    await write(0, 2000);
    // restore.after-recover fires while restoring, so that one is armed in the second process
    const restoreFailpoint = fp.startsWith('restore.');
    const first = runWorker(bundle, [...args, '0'], restoreFailpoint ? undefined : fp);
    let next = 2000;
    while (next < COUNT && first.proc.exitCode === null && first.proc.signalCode === null) {
      await write(next, next + 1000);
      next += 1000;
      await sleep(25);
    }
    if (restoreFailpoint) await first.kill('SIGKILL');
    else {
      for (let t = 0; t < 100 && first.proc.signalCode === null; t++) await sleep(20);
      expect(first.proc.signalCode, `the failpoint ${fp} should have killed the first process`).toBe('SIGKILL');
    }
    if (restoreFailpoint) {
      const dying = runWorker(bundle, [...args, '1'], fp);
      await dying.exited;
      expect(dying.proc.signalCode).toBe('SIGKILL');
    }
    await write(next, COUNT);
    await SegmentAppender.closeAll();
    const resumed = runWorker(bundle, [...args, '1']);
    let ids: number[] = [];
    for (let t = 0; t < 300 && ids.length < COUNT; t++) {
      await sleep(50);
      ids = await output(m, scope);
    }
    await sleep(200);
    ids = await output(m, scope);
    await resumed.kill('SIGKILL');
    expect(ids.length).toBe(COUNT);
    expect(ids).toEqual(Array.from({ length: COUNT }, (_, i) => i * 2));
  }, 90_000);
});
