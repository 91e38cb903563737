/**
 * The audit parser as a process function, for lines that come from elsewhere — typically a
 * followed file (`FileSource.lines(path, { follow: true })`) or a `LineServerSource`.
 */
import { DEAD_LETTERS, type ProcessFunction } from '@weir/core';
import type { AuditEvent } from './audit-event.js';
import { parseAuditLine } from './audit-parser.js';
import { parseMicroTime } from './micro-time.js';

/**
 * Parses each line into an {@link AuditEvent}; lines that are not audit Events go to
 * `DEAD_LETTERS` with the reason. Follow it with a timestamp assigner on `stageTimestamp`
 * (see {@link auditEventTimestamp}).
 *
 * @example
 * ```ts
 * const events = env.fromSource(FileSource.lines('/var/log/kube-audit.log', { follow: true }))
 *   .process(parseK8sAuditEvents())
 *   .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<AuditEvent>(5_000)
 *     .withTimestampAssigner(auditEventTimestamp));
 * ```
 */
export function parseK8sAuditEvents(): ProcessFunction<string, AuditEvent> {
  return (line, ctx, out) => {
    const r = parseAuditLine(line);
    if (r.ok) out.collect(r.event);
    else ctx.output(DEAD_LETTERS, { input: line, reason: r.reason, source: 'parseK8sAuditEvents' });
  };
}

/**
 * An event's `stageTimestamp` in ms since the epoch (NaN when it is not a valid MicroTime).
 *
 * @example
 * ```ts
 * WatermarkStrategy.forMonotonousTimestamps<AuditEvent>().withTimestampAssigner(auditEventTimestamp);
 * ```
 */
export function auditEventTimestamp(event: AuditEvent): number {
  return parseMicroTime(event.stageTimestamp)?.ms ?? Number.NaN;
}
