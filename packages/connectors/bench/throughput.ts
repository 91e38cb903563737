/**
 * Throughput of the stream store and Redis Streams paths, events per second. Run with
 * `node packages/connectors/bench/run.mjs` (bundles this file with the workspace sources and
 * starts its own redis-server on 127.0.0.1). Sizes: BENCH_EVENTS (default 200 000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamEnvironment } from '@weir/core';
import { RedisStreamSink, RedisStreamSource, StreamManager, StreamStoreSink, StreamStoreSource } from '@weir/connectors';
import { Redis } from 'ioredis';
import { startRedis } from '../src/test-support/redis-server.js';

interface Ev {
  key: string;
  n: number;
  payload: string;
}
const N = Number(process.env.BENCH_EVENTS ?? 200_000);
const payload = 'x'.repeat(64);
const ev = (n: number): Ev => ({ key: `k${n % 1000}`, n, payload });
const rows: Array<[string, string]> = [];
async function measure(name: string, events: number, fn: () => Promise<void>): Promise<void> {
  const t0 = performance.now();
  await fn();
  const s = (performance.now() - t0) / 1000;
  rows.push([name, `${Math.round(events / s).toLocaleString('en-US')} events/s  (${events.toLocaleString('en-US')} in ${s.toFixed(2)} s)`]);
  console.log(`${name}: ${rows.at(-1)![1]}`);
}

async function streamStore(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'weir-bench-store-'));
  const m = new StreamManager(root);
  await m.createScope('b');
  await m.createStream('b', 'in', { scalingPolicy: { minSegments: 4 } });
  await m.createStream('b', 'out', { scalingPolicy: { minSegments: 4 } });
  const w = await m.createWriter<Ev>('b', 'in');
  await measure('stream store: EventStreamWriter.writeEvent (durable, group commit, 4 segments)', N, async () => {
    for (let i = 0; i < N; i += 10_000) {
      const batch: Promise<void>[] = [];
      for (let n = i; n < Math.min(N, i + 10_000); n++) batch.push(w.writeEvent(`k${n % 1000}`, ev(n), n));
      await Promise.all(batch);
    }
  });
  await measure('stream store: writeEvent awaited one at a time (fsync each)', 2000, async () => {
    for (let n = 0; n < 2000; n++) await w.writeEvent('one', ev(n));
  });
  await measure('stream store: ReaderGroup.readNext (4 segments)', N + 2000, async () => {
    const g = await m.createReaderGroup<Ev>('bench', 'b', 'in');
    let count = 0;
    for (let b = await g.readNext(10_000); b.length > 0; b = await g.readNext(10_000)) count += b.length;
    if (count !== N + 2000) throw new Error(`read ${count}`);
    await g.close();
  });
  await measure('stream store -> weir map -> stream store (bounded, checkpoint every 200 ms, exactly-once)', N + 2000, async () => {
    const env = StreamEnvironment.create({ checkpointing: { intervalMs: 200, dir: join(root, 'ck') } });
    env
      .fromSource(new StreamStoreSource<Ev>({ root, scope: 'b', stream: 'in', bounded: true }))
      .map((e) => ({ ...e, n: e.n + 1 }))
      .sinkTo(new StreamStoreSink<Ev>({ root, scope: 'b', stream: 'out', routingKey: (e) => e.key, sinkId: 'bench' }));
    await env.execute();
  });
  rmSync(root, { recursive: true, force: true });
}

async function redis(): Promise<void> {
  const server = await startRedis();
  const r = new Redis(server.url);
  const P = 4;
  try {
    await measure('redis: XADD pipelined, raw ioredis baseline (4 partitions)', N, async () => {
      for (let i = 0; i < N; i += 5000) {
        const pipe = r.pipeline();
        for (let n = i; n < Math.min(N, i + 5000); n++) pipe.call('XADD', `in:${n % P}`, '*', 'v', JSON.stringify(ev(n)), 'ts', String(n));
        await pipe.exec();
      }
    });
    await measure('redis: RedisStreamSource (XREADGROUP, bounded, checkpoint every 200 ms + XACK)', N, async () => {
      const env = StreamEnvironment.create({ checkpointing: { intervalMs: 200, dir: mkdtempSync(join(tmpdir(), 'weir-bench-ck-')) } });
      let count = 0;
      env.fromSource(new RedisStreamSource<Ev>({ redis: server.url, stream: 'in', partitions: P, group: 'bench', bounded: true, batchSize: 2000 })).map(() => count++).sinkTo({ createWriter: () => ({ write: () => {} }) });
      await env.execute();
    });
    await measure('redis: RedisStreamSink (staged txn + Lua commit, no checkpoints: one commit at the end)', N, async () => {
      const env = StreamEnvironment.create();
      env.fromCollection(Array.from({ length: N }, (_, n) => ev(n))).sinkTo(new RedisStreamSink<Ev>({ redis: server.url, stream: 'sinked', partitions: P, routingKey: (e) => e.key, sinkId: 'bench' }));
      await env.execute();
    });
    await measure('redis -> weir map -> redis (exactly-once, checkpoint every 200 ms)', N, async () => {
      const env = StreamEnvironment.create({ checkpointing: { intervalMs: 200, dir: mkdtempSync(join(tmpdir(), 'weir-bench-ck-')) } });
      env
        .fromSource(new RedisStreamSource<Ev>({ redis: server.url, stream: 'in', partitions: P, group: 'e2e', bounded: true, batchSize: 2000 }))
        .map((e) => ({ ...e, n: e.n + 1 }))
        .sinkTo(new RedisStreamSink<Ev>({ redis: server.url, stream: 'out', partitions: P, routingKey: (e) => e.key, sinkId: 'e2e' }));
      await env.execute();
    });
    const outLen = await Promise.all(Array.from({ length: P }, (_, p) => r.xlen(`out:${p}`)));
    if (outLen.reduce((a, b) => a + b, 0) !== N) throw new Error(`redis e2e wrote ${outLen.join('+')} entries, expected ${N}`);
  } finally {
    r.disconnect();
    await server.dispose();
  }
}

async function main(): Promise<void> {
  console.log(`weir connectors throughput, ${N.toLocaleString('en-US')} events of ~100 bytes, node ${process.version}`);
  await streamStore();
  await redis();
  console.log('\n| path | throughput |\n| --- | --- |');
  for (const [name, v] of rows) console.log(`| ${name} | ${v} |`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
