/**
 * The windowed reports over the audit events (event time = `stageTimestamp`):
 *
 * - requests per user per minute (tumbling 1 minute),
 * - failed requests per resource per 5 minutes, sliding by 1 minute,
 * - secrets accessed by users that are not `system:` identities (as they happen),
 * - top talkers: the five users with the most requests per minute (from the per-user counts),
 * - what the policy keeps, drops and strips per minute (policy replay).
 *
 * A request is counted once, at its last event: `ResponseComplete`, or `Panic` when the server
 * panicked (the RequestReceived and ResponseStarted events of the same auditID would count it
 * again). Failed means status 400 or more, or a panic.
 */
import { type AuditEvent, type AuditPolicy, policyReplayAggregate } from '@weir/connectors';
import type { AggregateFunction, DataStream } from '@weir/core';
import { SlidingEventTimeWindows, Time, TumblingEventTimeWindows } from '@weir/windows';
import type { AuditReport } from './results.js';

type UserMinute = Extract<AuditReport, { kind: 'user-minute' }>;

const count: AggregateFunction<unknown, number, number> = { createAccumulator: () => 0, add: (_, n) => n + 1, getResult: (n) => n, merge: (a, b) => a + b };

/** The user a report names. @example `userOf(event) // 'alice@example.com'` */
export const userOf = (e: AuditEvent): string => e.user.username ?? '(no user)';
/** `deployments.apps/scale`, `pods/log`, `secrets`, or the path of a non-resource request. */
export function resourceOf(e: AuditEvent): string {
  const ref = e.objectRef;
  if (ref === undefined) return e.requestURI.split('?')[0]!;
  const name = ref.apiGroup ? `${ref.resource}.${ref.apiGroup}` : (ref.resource ?? '');
  return ref.subresource ? `${name}/${ref.subresource}` : name;
}
/** A request's last event. @example `events.filter(isRequestEnd)` */
export const isRequestEnd = (e: AuditEvent): boolean => e.stage === 'ResponseComplete' || e.stage === 'Panic';
/** @example `isFailure(event)` */
export const isFailure = (e: AuditEvent): boolean => e.stage === 'Panic' || (e.responseStatus?.code ?? 0) >= 400;

/**
 * Builds every report over the (deduplicated, timestamped) events.
 *
 * @example
 * ```ts
 * const reports = auditReports(unique, policy); reports.print();
 * ```
 */
export function auditReports(events: DataStream<AuditEvent>, policy: AuditPolicy): DataStream<AuditReport> {
  const requests = events.filter(isRequestEnd).name('requests (last event)').uid('requests');

  const perUser = requests
    .keyBy(userOf)
    .window(TumblingEventTimeWindows.of(Time.minutes(1)))
    .aggregate<number, number, UserMinute>(count, (user, ctx, counts, out) => out.collect({ kind: 'user-minute', start: ctx.window.start, end: ctx.window.end, user, requests: counts[0]! }))
    .name('requests per user per minute')
    .uid('per-user');

  const failures = requests
    .filter(isFailure)
    .keyBy(resourceOf)
    .window(SlidingEventTimeWindows.of(Time.minutes(5), Time.minutes(1)))
    .aggregate(count, (resource, ctx, counts, out) =>
      out.collect({ kind: 'resource-failures' as const, start: ctx.window.start, end: ctx.window.end, resource, failures: counts[0]! }),
    )
    .name('failed requests per resource, 5 min every 1 min')
    .uid('failures');

  const secrets = requests
    .filter((e) => e.objectRef?.resource === 'secrets' && !userOf(e).startsWith('system:'))
    .map(
      (e): AuditReport => ({
        kind: 'secret-access',
        time: Date.parse(e.stageTimestamp),
        user: userOf(e),
        verb: e.verb,
        namespace: e.objectRef?.namespace ?? '',
        name: e.objectRef?.name ?? '*',
        code: e.responseStatus?.code,
        auditID: e.auditID,
      }),
    )
    .name('secrets accessed by people')
    .uid('secrets');

  const topTalkers = perUser
    .window(TumblingEventTimeWindows.of(Time.minutes(1)))
    .process((_, ctx, rows, out) => {
      const top = rows
        .map((r) => ({ user: r.user, requests: r.requests }))
        .sort((a, b) => b.requests - a.requests || a.user.localeCompare(b.user))
        .slice(0, 5);
      out.collect({ kind: 'top-talkers' as const, start: ctx.window.start, end: ctx.window.end, top });
    })
    .name('top talkers per minute')
    .uid('top-talkers');

  const replay = events
    .window(TumblingEventTimeWindows.of(Time.minutes(1)))
    .aggregate(policyReplayAggregate(policy), (_, ctx, summaries, out) =>
      out.collect({ kind: 'policy' as const, start: ctx.window.start, end: ctx.window.end, summary: summaries[0]! }),
    )
    .name('policy replay per minute')
    .uid('policy-replay');

  return (perUser as DataStream<AuditReport>).merge(failures as DataStream<AuditReport>, secrets, topTalkers as DataStream<AuditReport>, replay as DataStream<AuditReport>);
}
