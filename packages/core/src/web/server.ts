/**
 * The job's web endpoint: dashboard at `/`, Prometheus text at `/metrics`, the metrics snapshot
 * as JSON at `/api/job`. Started by `execute()` when the environment has a `web` option; binds
 * 127.0.0.1 unless a host is given.
 *
 * Placeholder until the observability work lands: serves `/api/job` only.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsSnapshot } from '../api/metrics.js';
import type { JobGraph } from '../graph/job-graph.js';

/** What the server reads from the job. */
export interface WebJob {
  readonly jobName: string;
  readonly graph: JobGraph;
  metrics(): MetricsSnapshot;
}

/** A running web endpoint. */
export interface WebServer {
  readonly url: string;
  close(): Promise<void>;
}

/** @internal */
export async function startWebServer(options: { port: number; host?: string }, job: WebJob): Promise<WebServer> {
  const server = createServer((req, res) => {
    if (req.url === '/api/job') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jobName: job.jobName, graph: job.graph, metrics: job.metrics() }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
