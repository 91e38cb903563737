/**
 * Scale-out across real processes on a real redis-server: instances of a keyed job (session
 * windows per user over 8 partitions; counts per page behind a repartition stream) are killed
 * (SIGKILL), joined, stopped cleanly and paused past their lease (SIGSTOP/SIGCONT) while input
 * arrives. The committed output must equal what one process computes from the same input (a
 * naive model of the windows): 0 lost, 0 duplicated, compared by content. Negative controls run
 * the same schedules with fencing, state restore or offset commits disabled and must catch the
 * difference. `WEIR_SCALE_OUT_SCHEDULES=n` runs n seeded schedules besides the fixed ones (default 1;
 * more for the nightly size), from seed `WEIR_SCALE_OUT_SEED` (default 1000).
 */
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedis } from '../test-support/redis-server.js';
import { bundleWorker } from '../test-support/run-worker.js';
import { canonical, clicks, diff, modelPages, modelSessions, processState, random, ScaleOutRun } from '../test-support/scale-out-scenario.js';
import { sleep } from '../test-support/tcp.js';
import type { WorkerConfig } from '../test-support/scale-out-worker.js';

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
type Broken = WorkerConfig['broken'];
const newRun = (job: 'sessions' | 'pages', broken?: Broken) => {
  const run = new ScaleOutRun(r, bundle, { redis: server.url, job, partitions: P, leaseMs: LEASE_MS, checkpointMs: 100, gapMs: GAP_MS, ...(broken ? { broken } : {}) }, `${job}-${++tags}`);
  runs.push(run);
  return run;
};
const expected = (run: ScaleOutRun, job: 'sessions' | 'pages') => canonical(job === 'sessions' ? modelSessions(run.written, GAP_MS) : modelPages(run.written, GAP_MS));

/** Kill, join, clean stop, while input arrives in batches; returns what was committed and what one process computes. */
async function killJoinStop(job: 'sessions' | 'pages', seed: number, broken?: Broken, settleMs = 30_000): Promise<{ got: string[]; want: string[]; run: ScaleOutRun }> {
  const run = newRun(job, broken);
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
  const got = await run.settle(want.length, settleMs);
  await run.stopAll();
  return { got, want, run };
}

/**
 * A zombie: `b` stops itself (SIGSTOP) in the middle of a checkpoint, before staging its
 * transaction; its tasks move to `a` and `c` once its lease expires, which restore the checkpoint
 * before and redo the work; then `b` is resumed (SIGCONT) and goes on to stage, write and commit
 * that checkpoint of an epoch that is no longer its own.
 */
async function zombie(seed: number, broken?: Broken): Promise<{ got: string[]; want: string[]; run: ScaleOutRun; zombieLines: string[] }> {
  const run = newRun('sessions', broken);
  const input = clicks(4000, seed);
  const batches = 20;
  const size = input.length / batches;
  run.start('a');
  const b = run.start('b', { pauseFile: run.pauseFile('b') });
  run.start('c');
  await run.allRunning(P);
  let next = 0;
  for (; next < 4; next++) {
    await run.write(input.slice(next * size, (next + 1) * size));
    await sleep(60);
  }
  // b pauses at its next checkpoint whose transaction has output: input keeps coming until then.
  run.armPause('b');
  while (!b.lines.some((l) => l.startsWith('PAUSING'))) {
    if (next >= 10) throw new Error(`b did not pause: ${run.logs()}`);
    await run.write(input.slice(next * size, (next + 1) * size));
    next++;
    await sleep(100);
  }
  for (let t = 0; t < 100 && processState(b.proc.pid) !== 'T'; t++) await sleep(10);
  expect(processState(b.proc.pid)).toBe('T');
  // While b is stopped: more input, and its tasks move to a and c.
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (next < 12) {
      await run.write(input.slice(next * size, (next + 1) * size));
      next++;
    }
    const others = [...run.tasks()].filter(([id]) => id !== 'b').flatMap(([, ts]) => ts);
    if (new Set(others).size === P && next >= 12) break;
    if (Date.now() > deadline) throw new Error(`b's tasks did not move: ${run.logs()}`);
    await sleep(60);
  }
  b.proc.kill('SIGCONT');
  await b.waitFor((l) => / rejoins job /.test(l), 10_000).catch(() => {});
  for (; next < batches; next++) {
    await run.write(input.slice(next * size, (next + 1) * size));
    await sleep(60);
  }
  await run.writeEnd();
  const want = expected(run, 'sessions');
  const got = await run.settle(want.length);
  await run.stopAll();
  return { got, want, run, zombieLines: b.lines };
}

describe('scale-out across processes', () => {
  it('sessions over 8 partitions: SIGKILL one of three, a fourth joins, one stops cleanly: output equals one process', async () => {
    const { got, want, run } = await killJoinStop('sessions', 11);
    const d = diff(got, want);
    expect({ missing: d.missing.length, extra: d.extra.length }, run.logs()).toEqual({ missing: 0, extra: 0 });
    expect(got).toEqual(want);
  }, 60_000);

  it('a repartitioned keyBy (source partitioned by user, job keyed by page) equals one process across a kill, a join and a clean stop', async () => {
    const { got, want, run } = await killJoinStop('pages', 23);
    const d = diff(got, want);
    expect({ missing: d.missing.length, extra: d.extra.length }, run.logs()).toEqual({ missing: 0, extra: 0 });
    expect(got).toEqual(want);
  }, 60_000);

  it('a zombie (paused past its lease mid-checkpoint, then resumed) lands none of its commits, leaves with a clear log line and rejoins', async () => {
    const { got, want, run, zombieLines } = await zombie(31);
    const d = diff(got, want);
    expect({ missing: d.missing.length, extra: d.extra.length }, run.logs()).toEqual({ missing: 0, extra: 0 });
    expect(zombieLines.some((l) => /^WARN weir scale-out: instance b left job .*: fenced: /.test(l)), zombieLines.join('\n')).toBe(true);
    expect(zombieLines.some((l) => /^WARN weir scale-out: instance b rejoins job /.test(l))).toBe(true);
  }, 60_000);

  // One more seeded schedule in CI; the nightly-sized run sets WEIR_SCALE_OUT_SCHEDULES (and
  // WEIR_SCALE_OUT_SEED to explore new ones).
  const extraSchedules = Number(process.env.WEIR_SCALE_OUT_SCHEDULES ?? 1);
  const firstSeed = Number(process.env.WEIR_SCALE_OUT_SEED ?? 1000);
  for (let i = 0; i < extraSchedules; i++) {
    const job = i % 2 === 0 ? 'pages' : 'sessions';
    it(`random schedule ${i} (${job}, seed ${firstSeed + i}): output equals one process`, async () => {
      const { got, want, run } = await killJoinStop(job, firstSeed + i);
      const d = diff(got, want);
      expect({ missing: d.missing.length, extra: d.extra.length }, run.logs()).toEqual({ missing: 0, extra: 0 });
    }, 90_000);
  }
});

describe('scale-out negative controls: the suite catches a broken implementation', () => {
  it('without fencing, the zombie commits a checkpoint of a lost epoch: duplicates', async () => {
    const { got, want } = await zombie(31, 'no-fence');
    expect(diff(got, want).extra.length).toBeGreaterThan(0);
  }, 60_000);

  it('without state restore, a moved task starts with empty state: wrong sessions', async () => {
    const { got, want } = await killJoinStop('sessions', 11, 'no-restore', 8000);
    const d = diff(got, want);
    expect(d.missing.length + d.extra.length).toBeGreaterThan(0);
  }, 60_000);

  it('without offsets, a moved task reads its partition again from the start: duplicates', async () => {
    const { got, want } = await killJoinStop('sessions', 11, 'no-offsets', 8000);
    expect(diff(got, want).extra.length).toBeGreaterThan(0);
  }, 60_000);
});
