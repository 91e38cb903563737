/**
 * Redis Streams source and sink against a real redis-server on 127.0.0.1 (a free port, data in a
 * temp dir): consumer groups, positions in checkpoints, acks at checkpoint completion, idempotent
 * transactional commits, bad entries, restore in a new job, and a server that goes away and
 * comes back. Expected outputs are the inputs the test wrote, counted directly in Redis.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEAD_LETTERS, JobCancelledError, SourceError, StreamEnvironment } from '@weir/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionKey, partitionOf, RedisStreamSink, RedisStreamSource } from '../index.js';
import { type RedisServer, startRedis } from '../test-support/redis-server.js';
import { sleep } from '../test-support/tcp.js';

let server: RedisServer;
let r: Redis;
beforeAll(async () => {
  server = await startRedis();
  r = new Redis(server.url, { maxRetriesPerRequest: null });
  r.on('error', () => {});
});
afterAll(async () => {
  r.disconnect();
  await server.dispose();
});

interface Click {
  user: string;
  n: number;
}
let seq = 0;
const name = (p: string) => `${p}-${++seq}`;
async function entries(key: string): Promise<Array<[string, string[]]>> {
  return (await r.call('XRANGE', key, '-', '+')) as Array<[string, string[]]>;
}
async function readValues<T>(stream: string, partitions: number): Promise<T[]> {
  const out: T[] = [];
  for (let p = 0; p < partitions; p++) {
    for (const [, f] of await entries(partitionKey(stream, p, partitions))) out.push(JSON.parse(f[f.indexOf('v') + 1]!) as T);
  }
  return out;
}
async function addClicks(stream: string, partitions: number, from: number, to: number): Promise<void> {
  const pipe = r.pipeline();
  for (let n = from; n < to; n++) {
    const c: Click = { user: `u${n % 7}`, n };
    pipe.call('XADD', partitionKey(stream, partitionOf(c.user, partitions), partitions), '*', 'v', JSON.stringify(c), 'ts', String(1000 + n));
  }
  await pipe.exec();
}
const byN = (a: Click, b: Click) => a.n - b.n;
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

describe('RedisStreamSource', () => {
  it('reads all partitions through a consumer group with entry timestamps, and acks at the end', async () => {
    const stream = name('clicks');
    await addClicks(stream, 3, 0, 300);
    const env = StreamEnvironment.create();
    const source = new RedisStreamSource<Click>({ redis: server.url, stream, partitions: 3, group: 'g', bounded: true });
    const out = env.fromSource(source).collect();
    await env.execute();
    const got = out.records();
    expect(got.map((x) => x.value).sort(byN).map((c) => c.n)).toEqual(range(0, 300));
    for (const x of got) expect(x.timestamp).toBe(1000 + x.value.n);
    for (const u of ['u0', 'u3']) {
      const ns = got.filter((x) => x.value.user === u).map((x) => x.value.n);
      expect(ns).toEqual([...ns].sort((a, b) => a - b)); // order per key (partition) kept
    }
  });

  it('sends undecodable and trimmed entries to the dead letters, reads entries without v as objects', async () => {
    const stream = name('bad');
    await r.call('XGROUP', 'CREATE', stream, 'g', '0', 'MKSTREAM');
    await r.call('XADD', stream, '*', 'v', '{"user":"a","n":1}');
    await r.call('XADD', stream, '*', 'v', '{broken');
    await r.call('XADD', stream, '*', 'other', 'x');
    // an entry delivered to a consumer that died, then trimmed away before anyone processed it
    const trimmedId = (await r.call('XADD', stream, '*', 'v', '{"user":"t","n":9}')) as string;
    await r.call('XREADGROUP', 'GROUP', 'g', 'dead-consumer', 'COUNT', '10', 'STREAMS', stream, '>');
    await r.call('XDEL', stream, trimmedId);
    const env = StreamEnvironment.create();
    const s = env.fromSource(new RedisStreamSource<unknown>({ redis: server.url, stream, group: 'g', bounded: true }));
    const out = s.collect();
    const dead = s.getSideOutput(DEAD_LETTERS).collect();
    await env.execute();
    expect(out.items()).toEqual([{ user: 'a', n: 1 }, { other: 'x' }]);
    const reasons = dead.items().map((d) => d.reason).sort();
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toMatch(/^cannot decode entry: /);
    expect(reasons[1]).toBe(`entry ${trimmedId} was deleted (trimmed) before it was processed`);
  });
});

describe('RedisStreamSink', () => {
  it('partitions by routing key and, without checkpoints, commits at the end', async () => {
    const stream = name('out');
    const env = StreamEnvironment.create();
    const input = range(0, 200).map((n) => ({ user: `u${n % 5}`, n }));
    env.fromCollection(input).sinkTo(new RedisStreamSink<Click>({ redis: server.url, stream, partitions: 4, routingKey: (c) => c.user, sinkId: 'j' }));
    await env.execute();
    for (let p = 0; p < 4; p++) {
      for (const [, f] of await entries(`${stream}:${p}`)) expect(partitionOf((JSON.parse(f[1]!) as Click).user, 4)).toBe(p);
    }
    expect((await readValues<Click>(stream, 4)).sort(byN)).toEqual(input);
  });

  it('stages a transaction invisibly, commits it once however often commit is repeated, and drops orphans on recover', async () => {
    const stream = name('txn');
    const sink = new RedisStreamSink<Click>({ redis: server.url, stream, routingKey: (c) => c.user, sinkId: 'job' });
    await sink.recover(undefined);
    const w = sink.createWriter({ operatorName: 'sink', checkpointing: true });
    for (const n of range(0, 50)) w.write({ user: 'x', n }, n);
    const c1 = (await w.prepareCommit!(1))!;
    expect(await entries(stream)).toEqual([]);
    await sink.commit([c1]);
    await sink.commit([c1]);
    await sink.commit([c1]);
    expect((await readValues<Click>(stream, 1)).map((c) => c.n)).toEqual(range(0, 50));
    for (const n of range(50, 60)) w.write({ user: 'x', n }, n);
    const orphan = (await w.prepareCommit!(2))!; // its checkpoint never completes: the job failed
    await sink.recover({ state: undefined, committables: [c1] });
    expect(await r.exists(`weir:txn:${stream}:job:${orphan.txnId}`)).toBe(0);
    await expect(sink.commit([orphan])).rejects.toThrow(/neither staged nor committed/);
    expect(await entries(stream)).toHaveLength(50);
    await sink.close();
  });
});

describe('Redis -> weir -> Redis', () => {
  it('is exactly-once across a failure and restart from the last checkpoint', async () => {
    const input = name('in');
    const output = name('doubled');
    const ck = mkdtempSync(join(tmpdir(), 'weir-ck-'));
    let failOnce = true;
    const env = StreamEnvironment.create({ checkpointing: { intervalMs: 20, dir: ck }, restartStrategy: { attempts: 3 } });
    env
      .fromSource(new RedisStreamSource<Click>({ redis: server.url, stream: input, partitions: 3, group: 'g', blockMs: 20 }))
      .uid('in')
      .map((c) => {
        if (failOnce && c.n >= 3000) {
          failOnce = false;
          throw new Error('injected failure');
        }
        return { ...c, n: c.n * 2 };
      })
      .uid('double')
      .sinkTo(new RedisStreamSink<Click>({ redis: server.url, stream: output, partitions: 2, routingKey: (c) => c.user, sinkId: 'doubler' }))
      .uid('out');
    const ac = new AbortController();
    const job = env.execute({ jobName: 'redis exactly once', signal: ac.signal });
    for (let i = 0; i < 8000; i += 500) {
      await addClicks(input, 3, i, i + 500);
      await sleep(30);
    }
    let got: Click[] = [];
    for (let t = 0; t < 300 && got.length < 8000; t++) {
      await sleep(50);
      got = await readValues<Click>(output, 2);
    }
    await sleep(200);
    got = await readValues<Click>(output, 2);
    ac.abort();
    await expect(job).rejects.toBeInstanceOf(JobCancelledError);
    expect(failOnce).toBe(false);
    expect(got.length).toBe(8000);
    expect(got.map((c) => c.n).sort((a, b) => a - b)).toEqual(range(0, 8000).map((n) => n * 2));
    rmSync(ck, { recursive: true, force: true });
  }, 40_000);

  it('a new job restored from the checkpoint of a killed one continues without loss or repeats (pending entries reclaimed)', async () => {
    const input = name('resume');
    const output = name('resumed');
    const ck = mkdtempSync(join(tmpdir(), 'weir-ck-'));
    await addClicks(input, 2, 0, 3000);
    const build = (restore: boolean) => {
      const env = StreamEnvironment.create({ checkpointing: { intervalMs: restore ? 10 : 400, dir: ck }, restore: restore ? 'latest' : false });
      env
        .fromSource(new RedisStreamSource<Click>({ redis: server.url, stream: input, partitions: 2, group: 'g', blockMs: 20 }))
        .uid('in')
        .sinkTo(new RedisStreamSink<Click>({ redis: server.url, stream: output, routingKey: (c) => c.user, sinkId: 'copy' }))
        .uid('out');
      return env;
    };
    // First job: runs until some checkpoints completed and more entries arrived, then "dies" (abort: no final checkpoint).
    const ac1 = new AbortController();
    const job1 = build(false).execute({ signal: ac1.signal });
    for (let t = 0; t < 100 && (await entries(output)).length === 0; t++) await sleep(20);
    await addClicks(input, 2, 3000, 4000); // read, but the next checkpoint is ~400 ms away
    await sleep(50);
    ac1.abort();
    await expect(job1).rejects.toBeInstanceOf(JobCancelledError);
    const pending = Number(((await r.call('XPENDING', `${input}:0`, 'g')) as [number])[0]) + Number(((await r.call('XPENDING', `${input}:1`, 'g')) as [number])[0]);
    await addClicks(input, 2, 4000, 5000);
    // Second job, another consumer: restores positions and reclaims what the first left pending.
    const ac2 = new AbortController();
    const job2 = build(true).execute({ signal: ac2.signal });
    let got: Click[] = [];
    for (let t = 0; t < 200 && got.length < 5000; t++) {
      await sleep(50);
      got = await readValues<Click>(output, 1);
    }
    await sleep(200);
    got = await readValues<Click>(output, 1);
    ac2.abort();
    await expect(job2).rejects.toBeInstanceOf(JobCancelledError);
    expect(pending).toBeGreaterThan(0); // the first job left unacknowledged entries behind
    expect(got.map((c) => c.n).sort((a, b) => a - b)).toEqual(range(0, 5000));
    rmSync(ck, { recursive: true, force: true });
  }, 40_000);

  it('rides out a Redis server that goes away and comes back, with nothing lost or repeated', async () => {
    const input = name('outage');
    const output = name('outage-out');
    const ck = mkdtempSync(join(tmpdir(), 'weir-ck-'));
    const env = StreamEnvironment.create({
      checkpointing: { intervalMs: 50, dir: ck },
      restartStrategy: { attempts: 20, delayMs: 200 },
      logger: { info: () => {}, warn: () => {} },
    });
    env
      .fromSource(new RedisStreamSource<Click>({ redis: server.url, stream: input, group: 'g', blockMs: 20, maxOutageMs: 20_000 }))
      .uid('in')
      .sinkTo(new RedisStreamSink<Click>({ redis: server.url, stream: output, routingKey: (c) => c.user, sinkId: 'copy' }))
      .uid('out');
    const ac = new AbortController();
    const job = env.execute({ jobName: 'outage', signal: ac.signal });
    await addClicks(input, 1, 0, 1000);
    for (let t = 0; t < 100 && (await entries(output)).length < 1000; t++) await sleep(30);
    await server.stop(true); // gone, mid-job
    await sleep(800);
    await server.restart(); // back, with its data (append-only file)
    await addClicks(input, 1, 1000, 2000);
    let got: Click[] = [];
    for (let t = 0; t < 300 && got.length < 2000; t++) {
      await sleep(50);
      got = await readValues<Click>(output, 1).catch(() => []);
    }
    await sleep(300);
    got = await readValues<Click>(output, 1);
    ac.abort();
    await expect(job).rejects.toBeInstanceOf(JobCancelledError);
    expect(got.map((c) => c.n).sort((a, b) => a - b)).toEqual(range(0, 2000));
    rmSync(ck, { recursive: true, force: true });
  }, 60_000);

  it('fails with a clear SourceError when Redis stays away longer than maxOutageMs', async () => {
    const stream = name('gone');
    await addClicks(stream, 1, 0, 10);
    const env = StreamEnvironment.create();
    const out = env.fromSource(new RedisStreamSource<Click>({ redis: server.url, stream, group: 'g', blockMs: 20, maxOutageMs: 400 })).collect();
    const job = env.execute();
    for (let t = 0; t < 100 && out.items().length < 10; t++) await sleep(20);
    await server.stop(true);
    const err = await job.catch((e: unknown) => e);
    await server.restart();
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toMatch(/Redis unreachable for more than 400 ms/);
    expect(out.items()).toHaveLength(10);
  }, 20_000);
});
