/**
 * The job's web endpoint, started by the {@link webDashboard} observer when a job starts (the
 * environment's `web` option adds one) and closed when the job ends. Binds 127.0.0.1 unless a host is given.
 *
 * | path          | what                                                          |
 * |---------------|---------------------------------------------------------------|
 * | `/`           | the dashboard (static files, see dashboard-assets.ts)         |
 * | `/metrics`    | Prometheus text format (prometheus.ts)                        |
 * | `/api/job`    | JSON: job name, graph (without specs), metrics snapshot       |
 * | `/api/events` | Server-Sent Events: `history`, then `metrics` every second, `end` |
 *
 * Only GET (and HEAD) are served: the endpoint reads the job, it never changes it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, type JobGraph, type MetricsSnapshot } from '@weir/core';
import { dashboardAssets } from './dashboard-assets.js';
import { EventHub } from './event-stream.js';
import { graphView, toJson } from './job-document.js';
import { PrometheusExporter } from './prometheus.js';

/**
 * What the server reads from the job.
 *
 * @example
 * ```ts
 * const job: WebJob = { jobName: 'demo', graph: env.explain(), metrics: () => env.metrics() };
 * ```
 */
export interface WebJob {
  readonly jobName: string;
  readonly graph: JobGraph;
  metrics(): MetricsSnapshot;
}

/**
 * A running web endpoint.
 *
 * @example
 * ```ts
 * const web = await startWebServer({ port: 0 }, job);
 * console.log(`dashboard at ${web.url}`);
 * await web.close();
 * ```
 */
export interface WebServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts the endpoint; resolves once it listens. A port in use or a host that is not on this
 * machine rejects with a {@link ConfigError} that says which, before the job starts.
 *
 * @example
 * ```ts
 * const web = await startWebServer({ port: 8081 }, { jobName: 'demo', graph: env.explain(), metrics: () => env.metrics() });
 * ```
 * @internal
 */
export async function startWebServer(options: { port: number; host?: string }, job: WebJob): Promise<WebServer> {
  const graph = graphView(job.graph);
  const prometheus = new PrometheusExporter(job.jobName, job.metrics);
  const hub = new EventHub(job.metrics);
  const assets = dashboardAssets();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/metrics') {
      send(res, 200, prometheus.contentType, await prometheus.scrape());
    } else if (path === '/api/job') {
      send(res, 200, 'application/json; charset=utf-8', toJson({ jobName: job.jobName, graph, metrics: job.metrics() }));
    } else if (path === '/api/events') {
      hub.connect(res);
    } else {
      const asset = await assets.get(path === '/' ? 'index.html' : path.slice(1));
      if (asset) send(res, 200, asset.contentType, asset.body, 'no-cache');
      else if (path === '/' || path === '/index.html') {
        send(res, 503, 'text/plain; charset=utf-8', `The dashboard is not built (${assets.location}). /metrics and /api/job work.\n`);
      } else send(res, 404, 'text/plain; charset=utf-8', 'Not found\n');
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `${e instanceof Error ? e.message : String(e)}\n`);
      else res.end();
    });
  });
  const host = options.host ?? '127.0.0.1';
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new ConfigError(`web.port must be an integer from 0 to 65535 (0: any free port), got ${options.port}`);
  }
  await new Promise<void>((resolve, reject) => {
    const fail = (e: NodeJS.ErrnoException) => {
      const why = e.code === 'EADDRINUSE' ? 'is in use' : e.code === 'EADDRNOTAVAIL' ? 'is not an address of this machine' : `cannot be bound (${e.message})`;
      reject(new ConfigError(`The dashboard cannot listen on ${host}:${options.port}: that ${e.code === 'EADDRNOTAVAIL' ? 'host' : 'port'} ${why}. Choose another web.port (0 takes any free one) or web.host.`, { cause: e }));
    };
    server.once('error', fail);
    server.listen(options.port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}/`,
    close: async () => {
      hub.end(job.metrics());
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}

function send(res: ServerResponse, status: number, contentType: string, body: string | Uint8Array, cache = 'no-store'): void {
  res.writeHead(status, {
    'content-type': contentType,
    'cache-control': cache,
    'x-content-type-options': 'nosniff',
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
