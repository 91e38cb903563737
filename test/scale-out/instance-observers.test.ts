/**
 * An instance of a scaled-out job seen through the dashboard's endpoints: `/api/job` carries the
 * plan with its co-partition check and the instance's tasks under `metrics.scaleOut`, `/metrics`
 * the per-task and per-instance families, and the page (in chromium) a row per task. Expected numbers are counted independently: the
 * entries the test wrote, the partitions of the stream.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ScaledOutSnapshot, StreamEnvironment, startInstance } from '@weir/core';
import { partitionKey, partitionOf, RedisStreamSink, RedisStreamSource, redisScaleOut } from '@weir/connectors';
import { webDashboard } from '@weir/web';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClient } from '../../packages/connectors/src/redis/redis-client.js';
import { type RedisServer, startRedis } from '../../packages/connectors/src/test-support/redis-server.js';
import { parsePrometheusText, sampleValue } from '../web/support/prom-text.js';
import { launchChromium } from '../web/support/browser.js';
import { getJson, waitFor } from '../web/support/wait.js';

let server: RedisServer;
let r: ReturnType<typeof createClient>;
const dir = mkdtempSync(join(tmpdir(), 'weir-instance-observers-'));
beforeAll(async () => {
  server = await startRedis();
  r = createClient(server.url, 'test');
});
afterAll(async () => {
  r.disconnect();
  await server.dispose();
  rmSync(dir, { recursive: true, force: true });
});

interface Click {
  user: string;
  n: number;
}

it('serves the instance: its tasks in /api/job and per-task families in /metrics', async () => {
  const P = 4;
  const COUNT = 400;
  const byUser = (c: Click) => c.user;
  const env = StreamEnvironment.create({ checkpointing: { intervalMs: 100, dir }, logger: { info: () => {}, warn: () => {} } });
  env
    .fromSource(new RedisStreamSource<Click>({ redis: server.url, stream: 'clicks', partitions: P, group: 'g', partitionKey: byUser, blockMs: 20 }))
    .keyBy(byUser)
    .reduce((a, b) => ({ user: a.user, n: a.n + b.n }))
    .sinkTo(new RedisStreamSink<Click>({ redis: server.url, stream: 'totals', routingKey: byUser, sinkId: 'totals' }));
  let url = '';
  const instance = startInstance(env, {
    jobName: 'observed',
    instanceId: 'solo',
    ...redisScaleOut({ redis: server.url, leaseMs: 1000 }),
    observers: [webDashboard({ port: 0, onListening: (u) => (url = u) })],
  });
  try {
    const pipe = r.pipeline();
    for (let n = 0; n < COUNT; n++) {
      const user = `u${n % 13}`;
      pipe.call('XADD', partitionKey('clicks', partitionOf(user, P), P), '*', 'v', JSON.stringify({ user, n }));
    }
    await pipe.exec();
    await waitFor('every entry read', () => {
      const m = instance.metrics();
      return m.tasks.length === P && m.tasks.reduce((a, t) => a + t.recordsIn, 0) === COUNT && m.tasks.every((t) => t.lag[partitionKey('clicks', t.partition, P)] === 0) ? m : undefined;
    });
    await waitFor('the dashboard', () => (url ? url : undefined));
    const doc = await getJson<{ graph: { nodes: Array<{ name: string }> }; metrics: ScaledOutSnapshot }>(`${url}api/job`);
    expect(doc.graph.nodes.map((n) => n.name)).toContain('Co-partition check: Keyed Reduce');
    expect(doc.metrics.scaleOut.instanceId).toBe('solo');
    expect(doc.metrics.scaleOut.members).toEqual(['solo']);
    expect(doc.metrics.scaleOut.tasks.map((t) => t.taskId).sort()).toEqual(['0_0', '0_1', '0_2', '0_3']);
    expect(doc.metrics.sources[0]!.recordsOut).toBe(COUNT);
    const families = parsePrometheusText(await (await fetch(`${url}metrics`)).text());
    for (let p = 0; p < P; p++) {
      let inPartition = 0;
      for (let n = 0; n < COUNT; n++) if (partitionOf(`u${n % 13}`, P) === p) inPartition++;
      expect(sampleValue(families, 'weir_task_records_in_total', { task: `0_${p}`, instance_id: 'solo' })).toBe(inPartition);
      expect(sampleValue(families, 'weir_task_lag_entries', { task: `0_${p}`, instance_id: 'solo', partition: partitionKey('clicks', p, P) })).toBe(0);
      expect(sampleValue(families, 'weir_task_epoch', { task: `0_${p}`, instance_id: 'solo' })).toBe(1);
    }
    expect(sampleValue(families, 'weir_instance_tasks', { instance_id: 'solo' })).toBe(P);
    expect(sampleValue(families, 'weir_instance_members', { instance_id: 'solo' })).toBe(1);
    // The dashboard in a browser: one row per task, its records in adding up to what was written.
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(url);
      await page.waitForFunction("document.querySelectorAll('#tasks-table tbody tr').length === 4 && Number(document.body.dataset.updates ?? 0) > 1", undefined, { timeout: 10_000 });
      const rows = (await page.evaluate("[...document.querySelectorAll('#tasks-table tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent))")) as string[][];
      expect(rows.map((r) => r[0])).toEqual(['0_0', '0_1', '0_2', '0_3']);
      expect(rows.reduce((a, r) => a + Number(r[2]!.replace(/,/g, '')), 0)).toBe(COUNT);
      expect(await page.textContent('#instance-summary')).toMatch(/^solo · 4 tasks · 1 instance · /);
    } finally {
      await browser.close();
    }
  } finally {
    await instance.stop();
  }
}, 30_000);
