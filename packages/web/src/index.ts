/**
 * @weir/web: observability for weir jobs, as a package of its own so that a user of the
 * DataStream API installs no web server: the dashboard (job graph, throughput, watermark lag,
 * checkpoints, exceptions), a Prometheus endpoint and structured logs (pino). Everything reads
 * the plain-data metrics snapshot of `@weir/core`.
 *
 * @example
 * ```ts
 * import { StreamEnvironment } from '@weir/core';
 * import { createLogger, webDashboard } from '@weir/web';
 * const env = StreamEnvironment.create({ logger: createLogger(), observers: [webDashboard({ port: 8081 })] });
 * ```
 * @packageDocumentation
 */
export { webDashboard, type WebDashboardOptions } from './web-dashboard.js';
export { PrometheusExporter } from './prometheus.js';
export { createLogger, type WeirLogger, type LoggerOptions, type LogLevel } from './create-logger.js';
