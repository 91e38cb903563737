/**
 * Exactly-once under real crashes, Redis to Redis: a separate process copying a partitioned
 * stream is killed (SIGKILL, by the engine's failpoints) at instants of the checkpoint and commit
 * path — including after the sink committed but before the source acknowledged — and a new
 * process resumes with `restore: 'latest'`. The output holds every input entry exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionKey, partitionOf } from '../index.js';
import { type RedisServer, startRedis } from '../test-support/redis-server.js';
import { bundleWorker, runWorker } from '../test-support/run-worker.js';
import { sleep } from '../test-support/tcp.js';

let server: RedisServer;
let r: Redis;
let bundle = '';
const tmp = mkdtempSync(join(tmpdir(), 'weir-redis-crash-'));
beforeAll(async () => {
  [server, bundle] = await Promise.all([startRedis(), bundleWorker(fileURLToPath(new URL('../test-support/redis-copy-worker.ts', import.meta.url)))]);
  r = new Redis(server.url);
  r.on('error', () => {});
}, 60_000);
afterAll(async () => {
  r.disconnect();
  await server.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

const COUNT = 6000;
async function write(input: string, from: number, to: number): Promise<void> {
  const pipe = r.pipeline();
  for (let n = from; n < to; n++) {
    const user = `u${n % 9}`;
    pipe.call('XADD', partitionKey(input, partitionOf(user, 2), 2), '*', 'v', JSON.stringify({ user, n }));
  }
  await pipe.exec();
}
async function output(key: string): Promise<number[]> {
  const entries = (await r.call('XRANGE', key, '-', '+')) as Array<[string, string[]]>;
  return entries.map(([, f]) => (JSON.parse(f[f.indexOf('v') + 1]!) as { n: number }).n).sort((a, b) => a - b);
}

describe('Redis copy job killed at failpoints', () => {
  it.each(['checkpoint.before-write@3', 'checkpoint.after-rename@3', 'sink.before-commit@3', 'sink.after-commit@3', 'restore.after-recover@1'])(
    'killed at %s, resumed by a new process, copies every entry exactly once',
    async (fp) => {
      const tag = fp.replace(/[^a-z0-9]/gi, '-');
      const [input, out] = [`in-${tag}`, `out-${tag}`];
      const args = [server.url, input, out, join(tmp, tag)];
      await write(input, 0, 500);
      const restoreFailpoint = fp.startsWith('restore.');
      const first = runWorker(bundle, [...args, '0'], restoreFailpoint ? undefined : fp);
      let next = 500;
      while (next < COUNT && first.proc.signalCode === null && first.proc.exitCode === null) {
        await write(input, next, next + 250);
        next += 250;
        await sleep(20);
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
      await write(input, next, COUNT);
      const resumed = runWorker(bundle, [...args, '1']);
      let got: number[] = [];
      for (let t = 0; t < 300 && got.length < COUNT; t++) {
        await sleep(50);
        got = await output(out);
      }
      await sleep(200);
      got = await output(out);
      await resumed.kill('SIGKILL');
      expect(got.length).toBe(COUNT);
      expect(got).toEqual(Array.from({ length: COUNT }, (_, i) => i));
    },
    60_000,
  );
});
