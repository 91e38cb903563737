/**
 * The web endpoint's routes, on a job whose metrics the test controls: `/api/job` (graph without
 * specs, snapshot, JSON-safe positions), the SSE stream (history, then metrics about once a
 * second, end with the final snapshot when the server closes), methods, 404s, the bind address,
 * and where the dashboard's files come from.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, type MetricsSnapshot, StreamEnvironment } from '@weir/core';
import { locate } from '../../packages/web/src/dashboard-assets.js';
import type { JobDocument } from '../../packages/web/src/job-document.js';
import { startWebServer } from '../../packages/web/src/server.js';

async function finishedJob() {
  const env = StreamEnvironment.create();
  env.fromElements(1, 2, 3).map((x) => x * 2).name('double').collect();
  const result = await env.execute('routes');
  return { graph: env.explain(), metrics: result.metrics };
}

/** Reads SSE events from a response until `count` events arrived or the stream ended. */
async function readEvents(res: Response, count: number): Promise<{ event: string; data: string }[]> {
  const events: { event: string; data: string }[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  while (events.length < count) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data !== undefined) events.push({ event, data });
    }
  }
  await reader.cancel().catch(() => {});
  return events;
}

describe('web server', () => {
  it('serves the job document without specs, with JSON-safe source positions', async () => {
    const { graph, metrics } = await finishedJob();
    const odd: MetricsSnapshot = { ...metrics, sources: metrics.sources.map((s) => ({ ...s, position: { offset: 12n } })) };
    const web = await startWebServer({ port: 0 }, { jobName: 'routes', graph, metrics: () => odd });
    try {
      expect(web.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const res = await fetch(`${web.url}api/job`);
      expect(res.headers.get('content-type')).toContain('application/json');
      const doc = (await res.json()) as JobDocument;
      expect(doc.jobName).toBe('routes');
      expect(doc.graph.nodes.map((n) => Object.keys(n).sort())).toEqual(graph.nodes.map(() => ['id', 'kind', 'name', 'uid']));
      expect(doc.graph.edges).toEqual(graph.edges.map(({ from, to, partitioning }) => ({ from, to, partitioning })));
      expect(doc.metrics.sources[0]!.position).toEqual({ offset: '12' });
      expect(doc.metrics.operators.find((o) => o.name === 'double')!.recordsOut).toBe(3);

      expect((await fetch(`${web.url}nope`)).status).toBe(404);
      expect((await fetch(`${web.url}../../package.json`)).status).toBe(404);
      expect((await fetch(`${web.url}api/job`, { method: 'POST' })).status).toBe(405);
      const head = await fetch(`${web.url}metrics`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
    } finally {
      await web.close();
    }
  });

  it('pushes history and metrics over SSE about once a second, and end with the final snapshot on close', async () => {
    const { graph, metrics } = await finishedJob();
    let reads = 0;
    const web = await startWebServer({ port: 0 }, { jobName: 'sse', graph, metrics: () => ({ ...metrics, restarts: reads++ }) });
    const started = Date.now();
    const res = await fetch(`${web.url}api/events`);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const three = await readEvents(res, 3);
    const elapsed = Date.now() - started;
    expect(three.map((e) => e.event)).toEqual(['history', 'metrics', 'metrics']);
    expect(elapsed).toBeGreaterThan(700); // the second metrics event comes a tick later
    expect(elapsed).toBeLessThan(5000);
    const second = JSON.parse(three[2]!.data) as MetricsSnapshot;
    expect(second.restarts).toBeGreaterThan((JSON.parse(three[1]!.data) as MetricsSnapshot).restarts);

    const live = await fetch(`${web.url}api/events`);
    const ending = readEvents(live, 10);
    await new Promise((r) => setTimeout(r, 100));
    await web.close(); // must not hang on the open stream
    const events = await ending;
    expect(events.at(-1)!.event).toBe('end');
    expect((JSON.parse(events.at(-1)!.data) as MetricsSnapshot).status).toBe('finished');
  });

  it('rejects a port in use, or out of range, with a ConfigError before the job runs', async () => {
    const { graph, metrics } = await finishedJob();
    const first = await startWebServer({ port: 0 }, { jobName: 'a', graph, metrics: () => metrics });
    try {
      const port = Number(new URL(first.url).port);
      const err = await startWebServer({ port }, { jobName: 'b', graph, metrics: () => metrics }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain(`127.0.0.1:${port}: that port is in use`);
      await expect(startWebServer({ port: 70_000 }, { jobName: 'c', graph, metrics: () => metrics })).rejects.toThrow(/web.port must be an integer/);
      // Through the environment: execute() rejects and no job runs.
      const env = StreamEnvironment.create({ web: { port } });
      let ran = false;
      env.fromElements(1).map(() => (ran = true)).collect();
      await expect(env.execute()).rejects.toBeInstanceOf(ConfigError);
      expect(ran).toBe(false);
    } finally {
      await first.close();
    }
  });

  it('binds the host it is given', async () => {
    const { graph, metrics } = await finishedJob();
    const web = await startWebServer({ port: 0, host: '127.0.0.2' }, { jobName: 'host', graph, metrics: () => metrics });
    try {
      expect(web.url).toMatch(/^http:\/\/127\.0\.0\.2:\d+\/$/);
      expect((await fetch(`${web.url}api/job`)).status).toBe(200);
    } finally {
      await web.close();
    }
  });

  it('serves the dashboard page and its bundle from the sources when run from them', async () => {
    const { graph, metrics } = await finishedJob();
    const web = await startWebServer({ port: 0 }, { jobName: 'page', graph, metrics: () => metrics });
    try {
      const page = await fetch(web.url);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await page.text();
      expect(html).toContain('<script src="app.js">');
      const js = await fetch(`${web.url}app.js`);
      expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect((await js.text()).length).toBeGreaterThan(20_000); // dagre and uPlot are in it
      expect((await fetch(`${web.url}app.css`)).status).toBe(200);
    } finally {
      await web.close();
    }
  });
});

describe('dashboard files', () => {
  const webPackage = fileURLToPath(new URL('../../packages/web/', import.meta.url));

  it('come from the sources for a module under src/, and from dist/dashboard for a module in dist/', async () => {
    expect(locate(join(webPackage, 'src')).origin).toBe('source');
    // A fake package with a built dashboard: a module inside its dist/ serves the built files.
    const root = mkdtempSync(join(tmpdir(), 'weir-dash-pkg-'));
    try {
      writeFileSync(join(root, 'package.json'), JSON.stringify({ name: '@weir/web' }));
      mkdirSync(join(root, 'dist', 'dashboard'), { recursive: true });
      writeFileSync(join(root, 'dist', 'dashboard', 'index.html'), '<p>built</p>');
      const built = locate(join(root, 'dist'));
      expect(built.origin).toBe('built');
      expect(Buffer.from((await built.get('index.html'))!.body).toString()).toBe('<p>built</p>');
      expect(await built.get('../package.json')).toBeUndefined();
      expect(await built.get('missing.js')).toBeUndefined();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    // Outside any package: no dashboard, and the server says so at `/` instead of failing.
    expect(locate(tmpdir(), () => undefined).origin).toBe('missing');
  });
});
