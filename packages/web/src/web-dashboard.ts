/**
 * The dashboard as a job observer: serves the job's dashboard, Prometheus text and JSON while it
 * runs (server.ts). `StreamEnvironment.create({ web: { port } })` adds one; pass it in
 * `observers` to choose its options yourself.
 */
import type { JobObserver } from '@weir/core';
import { startWebServer } from './server.js';

/**
 * Options of {@link webDashboard}.
 *
 * @example
 * ```ts
 * const options: WebDashboardOptions = { port: 8081, host: '0.0.0.0', onListening: (url) => console.log(url) };
 * ```
 */
export interface WebDashboardOptions {
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  /** Interface to bind (default 127.0.0.1: this machine only). */
  readonly host?: string;
  /** Called with the dashboard's address once it listens. */
  readonly onListening?: (url: string) => void;
}

/**
 * A job observer serving the dashboard at `/`, Prometheus text at `/metrics` and the job as JSON
 * at `/api/job` while the job runs.
 *
 * @example
 * ```ts
 * import { StreamEnvironment } from '@weir/core';
 * import { webDashboard } from '@weir/web';
 * const env = StreamEnvironment.create({ observers: [webDashboard({ port: 8081, onListening: console.log })] });
 * ```
 */
export function webDashboard(options: WebDashboardOptions): JobObserver {
  return {
    async start(job) {
      const server = await startWebServer({ port: options.port, ...(options.host !== undefined ? { host: options.host } : {}) }, job);
      job.logger.info(`Job '${job.jobName}' dashboard: ${server.url}`);
      options.onListening?.(server.url);
      return server;
    },
  };
}
