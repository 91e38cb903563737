/**
 * The Redis side of scale-out, one script at a time, on a real redis-server: leases and epochs
 * (one owner, a new epoch per acquisition, renew and release only at the owner's epoch), membership
 * that lapses, and the fence of sink commits and offset commits: a commit at a stale epoch is
 * refused with a TaskFencedError and nothing of it lands.
 */
import { type TaskInfo, TaskFencedError } from '@weir/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedis } from '../test-support/redis-server.js';
import { sleep } from '../test-support/tcp.js';
import { RedisCoordinator, epochKey } from './redis-coordinator.js';
import { RedisStreamSink } from './redis-stream-sink.js';
import { RedisStreamSource } from './redis-stream-source.js';

let server: RedisServer;
let r: Redis;
beforeAll(async () => {
  server = await startRedis();
  r = new Redis(server.url);
  r.on('error', () => {});
});
afterAll(async () => {
  r.disconnect();
  await server.dispose();
});

const task = (jobName: string, taskId: string, epoch: number): TaskInfo => ({
  jobName,
  taskId,
  subtopology: 0,
  partition: Number(taskId.split('_')[1]),
  partitions: 2,
  epoch,
  fence: { key: epochKey(jobName, taskId), epoch },
  instanceId: 'test',
});

describe('RedisCoordinator', () => {
  it('gives a task to one instance at a time, with a new epoch per acquisition; renew and release act only at the holder epoch', async () => {
    const c = new RedisCoordinator({ redis: server.url, leaseMs: 400 });
    const a = await c.join('leases', 'a');
    const b = await c.join('leases', 'b');
    try {
      expect(await a.acquire('0_0')).toBe(1);
      expect(await b.acquire('0_0')).toBeUndefined();
      expect([...(await b.owners(['0_0', '0_1']))]).toEqual([['0_0', 'a']]);
      expect(await b.renew('0_0', 1)).toBe(false); // not b's
      expect(await a.renew('0_0', 1)).toBe(true);
      await b.release('0_0', 1); // not b's: no effect
      expect(await b.acquire('0_0')).toBeUndefined();
      await a.release('0_0', 1);
      expect(await b.acquire('0_0')).toBe(2);
      expect(await a.renew('0_0', 1)).toBe(false); // a's epoch is over
      // A lease that expired while nobody acquired the task is taken back at the same epoch
      // (nobody ran the task meanwhile)...
      await sleep(600);
      expect(await b.renew('0_0', 2)).toBe(true);
      expect([...(await a.owners(['0_0']))]).toEqual([['0_0', 'b']]);
      // ...but once another instance acquired it, at the next epoch, it is lost.
      await sleep(600);
      expect(await a.acquire('0_0')).toBe(3);
      expect(await b.renew('0_0', 2)).toBe(false);
    } finally {
      await a.leave();
      await b.leave();
    }
  });

  it('reports a membership that lapsed (the instance was presumed dead), and lists the live members', async () => {
    const c = new RedisCoordinator({ redis: server.url, leaseMs: 300 });
    const a = await c.join('members', 'a');
    const b = await c.join('members', 'b');
    try {
      expect(await a.heartbeat()).toEqual({ members: ['a', 'b'], expired: false });
      for (let i = 0; i < 6; i++) {
        await sleep(100);
        await a.heartbeat(); // a stays, b is silent
      }
      expect(await a.heartbeat()).toEqual({ members: ['a'], expired: false });
      expect(await b.heartbeat()).toEqual({ members: ['a', 'b'], expired: true });
    } finally {
      await a.leave();
      await b.leave();
    }
  });
});

describe('fenced commits', () => {
  it('refuses a sink commit at a stale epoch with a TaskFencedError, and nothing of it lands', async () => {
    await r.set(epochKey('fence', '0_0'), '1');
    const sink = new RedisStreamSink<{ n: number }>({ redis: server.url, stream: 'fenced-out', routingKey: () => 'k', sinkId: 's' }).forTask(task('fence', '0_0', 1));
    const writer = sink.createWriter({ operatorName: 'sink', checkpointing: true });
    writer.write({ n: 1 }, 1);
    const first = (await writer.prepareCommit!(1))!;
    await sink.commit([first]);
    writer.write({ n: 2 }, 2);
    const second = (await writer.prepareCommit!(2))!;
    await r.set(epochKey('fence', '0_0'), '2'); // another instance took the task
    const err = await sink.commit([second]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskFencedError);
    expect((err as TaskFencedError).currentEpoch).toBe(2);
    expect((err as Error).message).toMatch(/^fenced: the commit of transaction .* of task 0_0 refused: this instance holds epoch 1, the task is at epoch 2/);
    const entries = (await r.call('XRANGE', 'fenced-out', '-', '+')) as Array<[string, string[]]>;
    expect(entries.map(([, f]) => JSON.parse(f[1]!) as { n: number })).toEqual([{ n: 1 }]);
    await sink.close();
  });

  it("refuses a stale epoch's cleanup of staged transactions (a zombie cannot drop the new owner's)", async () => {
    await r.set(epochKey('fence', '0_1'), '5');
    const fresh = new RedisStreamSink<{ n: number }>({ redis: server.url, stream: 'fenced-out-2', routingKey: () => 'k', sinkId: 's' }).forTask(task('fence', '0_1', 5));
    const w = fresh.createWriter({ operatorName: 'sink', checkpointing: true });
    w.write({ n: 1 }, 1);
    const staged = (await w.prepareCommit!(1))!;
    const zombie = new RedisStreamSink<{ n: number }>({ redis: server.url, stream: 'fenced-out-2', routingKey: () => 'k', sinkId: 's' }).forTask(task('fence', '0_1', 4));
    await expect(zombie.recover(undefined)).rejects.toBeInstanceOf(TaskFencedError);
    await fresh.commit([staged]); // still staged: the new owner commits it
    expect(await r.xlen('fenced-out-2')).toBe(1);
    await fresh.close();
    await zombie.close();
  });

  it("refuses a task reader's offset commit at a stale epoch, and the group's offset stays", async () => {
    const stream = 'fenced-in';
    for (let i = 0; i < 3; i++) await r.xadd(`${stream}:0`, '*', 'v', JSON.stringify({ n: i }));
    await r.set(epochKey('fence', '0_0r'), '1');
    const source = new RedisStreamSource<{ n: number }>({ redis: server.url, stream, partitions: 2, group: 'g', blockMs: 20 });
    const t = { ...task('fence', '0_0r', 1), partition: 0 };
    const reader = source.forTask(t).createReader({ sourceName: 'in', clock: { now: () => 0 }, signal: new AbortController().signal });
    await reader.start!();
    const got: number[] = [];
    for (let i = 0; i < 100 && got.length < 3; i++) {
      reader.pollNext({ collect: (v: { n: number }) => got.push(v.n), deadLetter: () => {} }, 10);
      await sleep(10);
    }
    expect(got).toEqual([0, 1, 2]);
    reader.snapshotPosition!(1);
    await r.set(epochKey('fence', '0_0r'), '2');
    await expect(reader.notifyCheckpointComplete!(1)).rejects.toBeInstanceOf(TaskFencedError);
    const groups = (await r.call('XINFO', 'GROUPS', `${stream}:0`)) as unknown[][];
    const g = groups[0]!;
    expect(g[g.indexOf('last-delivered-id') + 1]).toBe('0-0');
    await reader.close!();
  });
});
