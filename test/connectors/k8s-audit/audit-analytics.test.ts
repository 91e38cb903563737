/**
 * The audit example pipeline checked against a direct computation over the fixture (JSON.parse,
 * Date.parse and plain loops: no weir code in the model).
 */
import { readFileSync } from 'node:fs';
import { DEAD_LETTERS, StreamEnvironment } from '@weir/core';
import { K8sAuditSource } from '@weir/connectors';
import { describe, expect, it } from 'vitest';
import { auditAnalytics } from './audit-analytics.js';

const path = new URL('../../../packages/connectors/fixtures/k8s-audit.log', import.meta.url).pathname;
interface RawEvent {
  stage: string;
  verb: string;
  stageTimestamp: string;
  user: { username: string };
  objectRef: { resource: string; apiGroup?: string; namespace: string; name?: string };
  responseStatus?: { code?: number };
}
const raw = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as RawEvent);
const completed = raw.filter((e) => e.stage === 'ResponseComplete');
const MIN = 60_000;
const sortBy = <T>(xs: T[], key: (x: T) => string) => [...xs].sort((a, b) => key(a).localeCompare(key(b)));

describe('audit analytics example', () => {
  it('computes requests per user per minute, failures per resource per sliding 5 minutes, and human secret access', async () => {
    const env = StreamEnvironment.create();
    const source = env.fromSource(new K8sAuditSource(path));
    const dead = source.getSideOutput(DEAD_LETTERS).collect();
    const { perUserPerMinute, failuresPerResource, secretsByHumans } = auditAnalytics(source);
    const perUser = perUserPerMinute.collect();
    const failures = failuresPerResource.collect();
    const secrets = secretsByHumans.collect();
    await env.execute('audit analytics');
    expect(dead.items()).toEqual([]);

    const userModel = new Map<string, number>();
    for (const e of completed) {
      const k = `${e.user.username}|${Math.floor(Date.parse(e.stageTimestamp) / MIN) * MIN}`;
      userModel.set(k, (userModel.get(k) ?? 0) + 1);
    }
    expect(sortBy(perUser.items().map((r) => `${r.user}|${r.minuteStart}=${r.requests}`), (x) => x)).toEqual(
      sortBy([...userModel].map(([k, n]) => `${k}=${n}`), (x) => x),
    );

    const failModel = new Map<string, number>();
    for (const e of completed.filter((x) => (x.responseStatus?.code ?? 0) >= 400)) {
      const res = e.objectRef.apiGroup ? `${e.objectRef.resource}.${e.objectRef.apiGroup}` : e.objectRef.resource;
      const last = Math.floor(Date.parse(e.stageTimestamp) / MIN) * MIN;
      for (let start = last; start > last - 5 * MIN; start -= MIN) {
        const k = `${res}|${start}|${start + 5 * MIN}`;
        failModel.set(k, (failModel.get(k) ?? 0) + 1);
      }
    }
    expect(sortBy(failures.items().map((r) => `${r.resource}|${r.windowStart}|${r.windowEnd}=${r.failures}`), (x) => x)).toEqual(
      sortBy([...failModel].map(([k, n]) => `${k}=${n}`), (x) => x),
    );
    expect(failModel.size).toBeGreaterThan(10); // the fixture has failures worth windowing

    const secretModel = completed
      .filter((e) => e.objectRef.resource === 'secrets' && !e.user.username.startsWith('system:'))
      .map((e) => `${e.user.username} ${e.verb} ${e.objectRef.namespace}/${e.objectRef.name ?? ''} ${e.responseStatus?.code}`);
    expect(secrets.items().map((s) => `${s.user} ${s.verb} ${s.namespace}/${s.name ?? ''} ${s.code}`)).toEqual(secretModel);
    expect(secretModel.length).toBeGreaterThan(3);
  });
});
