/**
 * Scale-out: separate weir processes share a partitioned Redis stream through leases. Two
 * processes own disjoint halves and together process every entry exactly once; when one is
 * killed, a standby process takes over its partitions after the lease expires and processes
 * what it left unacknowledged (nothing lost).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionKey, partitionOf } from '../index.js';
import { type RedisServer, startRedis } from '../test-support/redis-server.js';
import { bundleWorker, runWorker, type Worker } from '../test-support/run-worker.js';
import { sleep } from '../test-support/tcp.js';

let server: RedisServer;
let r: Redis;
let bundle = '';
const dirs: string[] = [];
const workers: Worker[] = [];
beforeAll(async () => {
  [server, bundle] = await Promise.all([startRedis(), bundleWorker(fileURLToPath(new URL('../test-support/partition-worker.ts', import.meta.url)))]);
  r = new Redis(server.url);
  r.on('error', () => {});
}, 60_000);
afterAll(async () => {
  for (const w of workers) await w.kill('SIGKILL');
  r.disconnect();
  await server.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const P = 4;
const STREAM = 'clicks';
const OUT = 'copied';
const LEASE_MS = 1000;
const start = (owner: string, maxPartitions: number) => {
  const dir = mkdtempSync(join(tmpdir(), `weir-${owner}-`));
  dirs.push(dir);
  const w = runWorker(bundle, [server.url, STREAM, String(P), String(maxPartitions), owner, OUT, String(LEASE_MS), dir]);
  workers.push(w);
  return w;
};
const owned = async (w: Worker, count: number) => JSON.parse((await w.waitFor((l) => l.startsWith('OWNED ') && JSON.parse(l.slice(6)).length === count)).slice(6)) as number[];
async function add(from: number, to: number): Promise<void> {
  const pipe = r.pipeline();
  for (let n = from; n < to; n++) {
    const user = `u${n % 13}`;
    pipe.call('XADD', partitionKey(STREAM, partitionOf(user, P), P), '*', 'v', JSON.stringify({ user, n }));
  }
  await pipe.exec();
}
async function output(): Promise<Array<{ n: number; user: string; owner: string }>> {
  const entries = (await r.call('XRANGE', OUT, '-', '+')) as Array<[string, string[]]>;
  return entries.map(([, f]) => {
    const o: Record<string, string> = {};
    for (let i = 0; i < f.length; i += 2) o[f[i]!] = f[i + 1]!;
    return { ...(JSON.parse(o.v!) as { n: number; user: string }), owner: o.owner! };
  });
}
async function waitForAll(count: number): Promise<Array<{ n: number; user: string; owner: string }>> {
  for (let t = 0; t < 400; t++) {
    const out = await output();
    if (new Set(out.map((o) => o.n)).size >= count) return out;
    await sleep(50);
  }
  return output();
}

describe('partition ownership across processes', () => {
  it('two processes own disjoint partitions, process only their own entries, and together everything once; a standby takes over a killed owner', async () => {
    const a = start('proc-a', 2);
    const aOwned = await owned(a, 2);
    const b = start('proc-b', 2);
    const bOwned = await owned(b, 2);
    expect([...aOwned, ...bOwned].sort()).toEqual([0, 1, 2, 3]);
    for (const p of aOwned) expect(await r.get(`weir:lease:${STREAM}:${p}`)).toBe('proc-a');
    for (const p of bOwned) expect(await r.get(`weir:lease:${STREAM}:${p}`)).toBe('proc-b');

    await add(0, 2000);
    const out = await waitForAll(2000);
    expect(out).toHaveLength(2000); // exactly once overall
    expect(out.map((o) => o.n).sort((x, y) => x - y)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    for (const o of out) expect((o.owner === 'proc-a' ? aOwned : bOwned).includes(partitionOf(o.user, P))).toBe(true);
    expect(new Set(out.map((o) => o.owner))).toEqual(new Set(['proc-a', 'proc-b']));

    // failover: a standby that may own everything gets nothing while a and b hold their leases...
    const c = start('proc-c', 4);
    await owned(c, 0);
    await sleep(LEASE_MS * 1.5);
    expect(c.lines.filter((l) => l.startsWith('OWNED ')).at(-1)).toBe('OWNED []');
    // ...until a dies; then it takes a's partitions (not b's) once a's leases expire
    await a.kill('SIGKILL');
    await add(2000, 3000);
    const cOwned = await owned(c, 2);
    expect(cOwned.sort()).toEqual([...aOwned].sort());
    const after = await waitForAll(3000);
    expect(new Set(after.map((o) => o.n)).size).toBe(3000); // nothing lost
    for (const o of after.filter((x) => x.n >= 2000)) {
      expect(o.owner).toBe(aOwned.includes(partitionOf(o.user, P)) ? 'proc-c' : 'proc-b');
    }
  }, 60_000);
});
