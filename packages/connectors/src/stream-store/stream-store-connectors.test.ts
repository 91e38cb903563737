/**
 * The stream store as a weir source (replayable) and sink (two-phase commit): visibility only at
 * commit, idempotent re-commit, discarding failed attempts, and a job that fails mid-stream and
 * restarts from its checkpoint producing every event exactly once.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEAD_LETTERS, JobCancelledError, StreamEnvironment } from '@weir/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type EventRead, StreamManager, StreamStoreSink, StreamStoreSource } from '../index.js';
import { sleep } from '../test-support/tcp.js';
import { SegmentAppender } from './segment-appender.js';

const root = mkdtempSync(join(tmpdir(), 'weir-store-io-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => SegmentAppender.closeAll());

interface Order {
  id: number;
  customer: string;
}
let n = 0;
async function stream(name: string, segments: number): Promise<{ m: StreamManager; scope: string }> {
  const m = new StreamManager(root);
  const scope = `t${++n}`;
  await m.createScope(scope);
  await m.createStream(scope, name, { scalingPolicy: { minSegments: segments } });
  return { m, scope };
}
async function readAll<T>(m: StreamManager, scope: string, name: string): Promise<EventRead<T>[]> {
  const g = await m.createReaderGroup<T>(`check${Math.random().toString(36).slice(2)}`, scope, name);
  const out: EventRead<T>[] = [];
  for (let b = await g.readNext(5000); b.length > 0; b = await g.readNext(5000)) out.push(...b);
  await g.close();
  return out;
}
const orders = (count: number): Order[] => Array.from({ length: count }, (_, id) => ({ id, customer: `c${id % 17}` }));

describe('StreamStoreSource', () => {
  it('reads every segment (bounded), keeping stored timestamps and per-key order', async () => {
    const { m, scope } = await stream('orders', 3);
    const w = await m.createWriter<Order>(scope, 'orders');
    const input = orders(500);
    await Promise.all(input.map((o) => w.writeEvent(o.customer, o, 10_000 + o.id)));
    const env = StreamEnvironment.create();
    const out = env.fromSource(new StreamStoreSource<Order>({ root, scope, stream: 'orders', bounded: true })).collect();
    await env.execute();
    const got = out.records();
    expect(got.map((r) => r.value.id).sort((a, b) => a - b)).toEqual(input.map((o) => o.id));
    for (const r of got) expect(r.timestamp).toBe(10_000 + r.value.id);
    for (let c = 0; c < 17; c++) {
      const ids = got.filter((r) => r.value.customer === `c${c}`).map((r) => r.value.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    }
  });

  it('follows the stream while it is written (unbounded) and sends undecodable events to the dead letters', async () => {
    const { m, scope } = await stream('live', 2);
    const w = await m.createWriter<string>(scope, 'live', { serialize: (s) => Buffer.from(s), deserialize: (b) => b.toString() });
    const env = StreamEnvironment.create();
    const s = env.fromSource(new StreamStoreSource<string>({ root, scope, stream: 'live', pollIntervalMs: 5 }));
    const out = s.collect(); // without checkpoints, visible at once
    const dead = s.getSideOutput(DEAD_LETTERS).collect();
    const ac = new AbortController();
    const job = env.execute({ signal: ac.signal });
    for (let i = 0; i < 50; i++) await w.writeEvent(`k${i % 3}`, i === 25 ? '{broken' : JSON.stringify(i));
    for (let t = 0; t < 200 && out.items().length + dead.items().length < 50; t++) await sleep(10);
    ac.abort();
    await expect(job).rejects.toBeInstanceOf(JobCancelledError);
    expect(out.items().sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 50 }, (_, i) => i).filter((i) => i !== 25));
    expect(dead.items()).toHaveLength(1);
    expect(dead.items()[0]!.reason).toMatch(/^cannot decode event: /);
    expect(dead.items()[0]!.input).toBe('{broken');
  });
});

describe('StreamStoreSink', () => {
  it('without checkpoints makes everything visible at the end of a bounded job', async () => {
    const { m, scope } = await stream('plain', 2);
    const env = StreamEnvironment.create();
    env.fromCollection(orders(300)).sinkTo(new StreamStoreSink<Order>({ root, scope, stream: 'plain', routingKey: (o) => o.customer }));
    await env.execute();
    expect((await readAll<Order>(m, scope, 'plain')).map((e) => e.value.id).sort((a, b) => a - b)).toEqual(orders(300).map((o) => o.id));
  });

  it('hides a transaction until commit, commits idempotently and discards transactions of failed attempts', async () => {
    const { m, scope } = await stream('out', 2);
    const sink = new StreamStoreSink<Order>({ root, scope, stream: 'out', routingKey: (o) => o.customer, sinkId: 'job1' });
    await sink.recover(undefined);
    const writer = sink.createWriter({ operatorName: 'sink', checkpointing: true });
    for (const o of orders(10)) writer.write(o, o.id);
    const c1 = (await writer.prepareCommit!(1))!;
    expect(c1.events).toBe(10);
    expect(await readAll(m, scope, 'out')).toEqual([]); // pre-committed: durable but invisible
    await sink.commit([c1]);
    expect((await readAll<Order>(m, scope, 'out')).map((e) => e.value.id).sort((a, b) => a - b)).toEqual(orders(10).map((o) => o.id));
    await sink.commit([c1]); // a restored job commits the checkpoint's committables again
    await SegmentAppender.closeAll(); // ...even from a fresh process
    await sink.commit([c1]);
    expect(await readAll(m, scope, 'out')).toHaveLength(10);

    // a failed attempt left a staged transaction that no checkpoint covers
    for (const o of orders(5)) writer.write({ ...o, id: o.id + 100 }, 0);
    const orphan = (await writer.prepareCommit!(2))!;
    const txnDir = join(root, scope, 'out', 'txn', 'job1');
    expect(readdirSync(txnDir)).toEqual([`${orphan.txnId}.log`]);
    await sink.recover({ state: undefined, committables: [c1] });
    expect(readdirSync(txnDir)).toEqual([]);
    expect(await readAll(m, scope, 'out')).toHaveLength(10);
    await expect(sink.commit([orphan])).rejects.toThrow(/neither staged nor committed/);
  });

  it('finishes a commit that a crash interrupted between segments, without duplicating the part already done', async () => {
    const { m, scope } = await stream('half', 4);
    const sink = new StreamStoreSink<Order>({ root, scope, stream: 'half', routingKey: (o) => o.customer });
    await sink.recover(undefined);
    const writer = sink.createWriter({ operatorName: 'sink', checkpointing: true });
    for (const o of orders(200)) writer.write(o, 0);
    const c = (await writer.prepareCommit!(7))!;
    // Simulate the crash: commit, then put the transaction file back as if deletion never happened.
    const file = join(root, scope, 'half', 'txn', 'weir', `${c.txnId}.log`);
    const { readFileSync } = await import('node:fs');
    const staged = readFileSync(file);
    await sink.commit([c]);
    writeFileSync(file, staged);
    await SegmentAppender.closeAll();
    await sink.commit([c]);
    expect(existsSync(file)).toBe(false);
    expect((await readAll<Order>(m, scope, 'half')).map((e) => e.value.id).sort((a, b) => a - b)).toEqual(orders(200).map((o) => o.id));
  });
});

let failOnce = true;

describe('stream store -> weir -> stream store', () => {
  it('is exactly-once across a failure and restart from the last checkpoint (unbounded job, input arriving over time)', async () => {
    const { m, scope } = await stream('in', 3);
    await m.createStream(scope, 'doubled', { scalingPolicy: { minSegments: 2 } });
    const w = await m.createWriter<Order>(scope, 'in');
    const input = orders(20_000);
    const ckDir = mkdtempSync(join(tmpdir(), 'weir-ck-'));
    failOnce = true;
    let replayed = 0;
    const env = StreamEnvironment.create({ checkpointing: { intervalMs: 10, dir: ckDir }, restartStrategy: { attempts: 3 } });
    env
      .fromSource(new StreamStoreSource<Order>({ root, scope, stream: 'in', pollIntervalMs: 5 }))
      .uid('orders-in')
      .map((o) => {
        if (!failOnce) replayed++;
        else if (existsSync(join(ckDir, 'chk-0000000002'))) {
          failOnce = false; // fail once, after two checkpoints are durable
          throw new Error('injected failure');
        }
        return { ...o, id: o.id * 2 };
      })
      .uid('double')
      .sinkTo(new StreamStoreSink<Order>({ root, scope, stream: 'doubled', routingKey: (o) => o.customer, sinkId: 'doubler' }))
      .uid('out');
    const ac = new AbortController();
    const job = env.execute({ jobName: 'exactly once', signal: ac.signal });
    for (let i = 0; i < input.length; i += 500) {
      await Promise.all(input.slice(i, i + 500).map((o) => w.writeEvent(o.customer, o, o.id)));
      await sleep(10);
    }
    let out: EventRead<Order>[] = [];
    for (let t = 0; t < 300 && out.length < input.length; t++) {
      await sleep(50);
      out = await readAll<Order>(m, scope, 'doubled');
    }
    await sleep(200); // anything duplicated would show up now
    out = await readAll<Order>(m, scope, 'doubled');
    ac.abort();
    await expect(job).rejects.toBeInstanceOf(JobCancelledError);
    expect(failOnce).toBe(false);
    // the second attempt started from a checkpoint in the middle of the input, not from the start
    expect(replayed).toBeLessThan(input.length);
    const ids = out.map((e) => e.value.id);
    expect(ids.length).toBe(input.length); // nothing duplicated...
    expect([...ids].sort((a, b) => a - b)).toEqual(input.map((o) => o.id * 2)); // ...nothing lost
    for (let c = 0; c < 17; c++) {
      const perKey = out.filter((e) => e.value.customer === `c${c}`).map((e) => e.value.id);
      expect(perKey).toEqual([...perKey].sort((a, b) => a - b)); // order per key kept
    }
    rmSync(ckDir, { recursive: true, force: true });
  }, 30_000);
});
