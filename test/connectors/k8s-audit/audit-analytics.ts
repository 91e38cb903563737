/**
 * Example pipeline over a Kubernetes audit log (kube-apiserver `--audit-log-format=json`):
 *
 * - requests per user per minute (tumbling 1-minute event-time windows),
 * - failed requests (HTTP 4xx/5xx) per resource over 5 minutes, sliding every minute,
 * - secrets accessed by users that are not `system:` identities (as they happen).
 *
 * Each request is counted once, at its `ResponseComplete` event (the `RequestReceived` event of
 * the same `auditID` would count it twice). Event time is `stageTimestamp`; the log is written in
 * order up to a few ms, so a 1 s out-of-orderness bound is generous.
 *
 * Run it on a log: see `runAuditAnalytics(path)` below; the test beside it checks each output
 * against a direct computation over the fixture.
 */
import { type DataStream, StreamEnvironment, WatermarkStrategy } from '@weir/core';
import { type AuditEvent, auditEventTimestamp, K8sAuditSource } from '@weir/connectors';
import { SlidingEventTimeWindows, Time, TumblingEventTimeWindows } from '@weir/windows';

export interface UserMinute {
  readonly user: string;
  readonly minuteStart: number;
  readonly requests: number;
}
export interface ResourceFailures {
  readonly resource: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly failures: number;
}
export interface SecretAccess {
  readonly user: string;
  readonly verb: string;
  readonly namespace: string;
  readonly name: string | undefined;
  readonly code: number | undefined;
  readonly stageTimestamp: string;
}

const userOf = (e: AuditEvent) => e.user.username ?? '(anonymous)';
const resourceOf = (e: AuditEvent) => (e.objectRef?.apiGroup ? `${e.objectRef.resource}.${e.objectRef.apiGroup}` : (e.objectRef?.resource ?? '(none)'));

/** Builds the three analyses over a stream of audit events. */
export function auditAnalytics(events: DataStream<AuditEvent>): {
  perUserPerMinute: DataStream<UserMinute>;
  failuresPerResource: DataStream<ResourceFailures>;
  secretsByHumans: DataStream<SecretAccess>;
} {
  const completed = events
    .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<AuditEvent>(1000).withTimestampAssigner(auditEventTimestamp))
    .filter((e) => e.stage === 'ResponseComplete')
    .name('completed requests');

  const perUserPerMinute = completed
    .keyBy(userOf)
    .window(TumblingEventTimeWindows.of(Time.minutes(1)))
    .process<UserMinute>((user, ctx, requests, out) => out.collect({ user, minuteStart: ctx.window.start, requests: requests.length }));

  const failuresPerResource = completed
    .filter((e) => (e.responseStatus?.code ?? 0) >= 400)
    .keyBy(resourceOf)
    .window(SlidingEventTimeWindows.of(Time.minutes(5), Time.minutes(1)))
    .process<ResourceFailures>((resource, ctx, failed, out) =>
      out.collect({ resource, windowStart: ctx.window.start, windowEnd: ctx.window.end, failures: failed.length }),
    );

  const secretsByHumans = completed
    .filter((e) => e.objectRef?.resource === 'secrets' && !userOf(e).startsWith('system:'))
    .map<SecretAccess>((e) => ({
      user: userOf(e),
      verb: e.verb,
      namespace: e.objectRef?.namespace ?? '',
      name: e.objectRef?.name,
      code: e.responseStatus?.code,
      stageTimestamp: e.stageTimestamp,
    }));

  return { perUserPerMinute, failuresPerResource, secretsByHumans };
}

/** Runs the analyses over an audit log file and prints them. */
export async function runAuditAnalytics(path: string): Promise<void> {
  const env = StreamEnvironment.create();
  const { perUserPerMinute, failuresPerResource, secretsByHumans } = auditAnalytics(env.fromSource(new K8sAuditSource(path)));
  perUserPerMinute.print('requests/user/min');
  failuresPerResource.print('failures/resource/5min');
  secretsByHumans.print('secret access');
  await env.execute('k8s audit analytics');
}
