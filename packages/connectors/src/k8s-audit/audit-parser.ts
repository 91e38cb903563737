/**
 * Turns one JSON line into an {@link AuditEvent} or a reason it is not one. The reasons are for
 * people reading the dead-letter output: `empty line`, `not JSON: <parser message>`,
 * `not an audit.k8s.io/v1 Event: kind is "Pod"`, `invalid audit Event: user: expected object…`,
 * `invalid stageTimestamp "yesterday"`.
 */
import { type AuditEvent, AuditEventSchema } from './audit-event.js';
import { parseMicroTime } from './micro-time.js';

/**
 * A parsed line: the event with its stage time in ms (element timestamp) and µs (ordering).
 *
 * @example
 * ```ts
 * const r = parseAuditLine(line); if (r.ok) console.log(r.event.auditID, r.micros);
 * ```
 */
export interface ParsedAuditEvent {
  readonly ok: true;
  readonly event: AuditEvent;
  readonly timestamp: number;
  readonly micros: number;
}
/**
 * A line that is not an audit Event, with the reason.
 *
 * @example
 * ```ts
 * const r = parseAuditLine('{}'); if (!r.ok) console.warn(r.reason);
 * ```
 */
export interface RejectedAuditLine {
  readonly ok: false;
  readonly reason: string;
}

const MAX_ISSUES = 3;

/**
 * Parses one line of a kube-apiserver JSON audit log.
 *
 * @example
 * ```ts
 * const r = parseAuditLine(line);
 * if (r.ok) console.log(r.event.verb, new Date(r.timestamp)); else console.warn(r.reason);
 * ```
 */
export function parseAuditLine(line: string): ParsedAuditEvent | RejectedAuditLine {
  if (line.trim().length === 0) return { ok: false, reason: 'empty line' };
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (e) {
    return { ok: false, reason: `not JSON: ${(e as Error).message}` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, reason: `not an audit.k8s.io/v1 Event: a JSON ${Array.isArray(json) ? 'array' : json === null ? 'null' : typeof json}, not an object` };
  }
  const { kind, apiVersion } = json as { kind?: unknown; apiVersion?: unknown };
  if (kind !== 'Event' || apiVersion !== 'audit.k8s.io/v1') {
    return { ok: false, reason: `not an audit.k8s.io/v1 Event: kind is ${JSON.stringify(kind)}, apiVersion is ${JSON.stringify(apiVersion)}` };
  }
  const r = AuditEventSchema.safeParse(json);
  if (!r.success) {
    const issues = r.error.issues.slice(0, MAX_ISSUES).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    const more = r.error.issues.length > MAX_ISSUES ? ` (and ${r.error.issues.length - MAX_ISSUES} more)` : '';
    return { ok: false, reason: `invalid audit Event: ${issues.join('; ')}${more}` };
  }
  const stage = parseMicroTime(r.data.stageTimestamp);
  if (stage === undefined) return { ok: false, reason: `invalid stageTimestamp ${JSON.stringify(r.data.stageTimestamp)}: expected RFC 3339 (e.g. 2024-03-05T10:15:30.123456Z)` };
  if (parseMicroTime(r.data.requestReceivedTimestamp) === undefined) {
    return { ok: false, reason: `invalid requestReceivedTimestamp ${JSON.stringify(r.data.requestReceivedTimestamp)}: expected RFC 3339` };
  }
  return { ok: true, event: r.data, timestamp: stage.ms, micros: stage.micros };
}

/**
 * The stage time of an event in microseconds since the epoch: sort or compare by this where
 * events within the same millisecond must keep their order.
 *
 * @example
 * ```ts
 * events.sort((a, b) => auditEventMicros(a) - auditEventMicros(b));
 * ```
 */
export function auditEventMicros(event: AuditEvent): number {
  const t = parseMicroTime(event.stageTimestamp);
  if (t === undefined) throw new RangeError(`invalid stageTimestamp ${JSON.stringify(event.stageTimestamp)}`);
  return t.micros;
}
