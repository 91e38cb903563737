/**
 * The assembled job over three minutes of generated traffic (unpaced), each output against a
 * direct computation over the generator's events: requests per user per minute, failures per
 * resource over 5 minutes sliding by 1, secrets accessed by people, top talkers, the policy's
 * counts per minute, and the events in the store (what `policy.apply` keeps, each once).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuditEvent, AuditPolicy, StreamStoreSource } from '@weir/connectors';
import { StreamEnvironment } from '@weir/core';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../cli.js';
import { AuditGenerator } from '../generator/audit-generator.js';
import { createAuditJob } from './job.js';
import type { AuditReport } from './results.js';

const start = Date.UTC(2024, 2, 5, 10);
const end = start + 3 * 60_000;
const MIN = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'weir-audit-job-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const countBy = <T>(xs: readonly T[], key: (x: T) => string) => {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
};
const sorted = (m: Map<string, number>) => [...m].map(([k, n]) => `${k}=${n}`).sort();

describe('the k8s-audit job', () => {
  it('reports and stores what a direct computation over the generated events gives', async () => {
    const policy = AuditPolicy.fromFile(DEFAULT_POLICY);
    const job = await createAuditJob({
      dataDir: dir,
      policy,
      input: { kind: 'generate', seed: 7, start, end, requestsPerSecond: 10, speed: Number.POSITIVE_INFINITY },
      logger: { info: () => {}, warn: () => {} },
    });
    const reports = job.reports.collect();
    await job.env.execute('k8s audit test');
    const got = reports.items() as AuditReport[];
    const of = <K extends AuditReport['kind']>(k: K) => got.filter((r): r is Extract<AuditReport, { kind: K }> => r.kind === k);

    const g = new AuditGenerator({ seed: 7, start, requestsPerSecond: 10 });
    const events: AuditEvent[] = [];
    while (g.peekTimestamp() < end) events.push(g.next().event);
    const t = (e: AuditEvent) => Math.floor(Date.parse(e.stageTimestamp));
    const ends = events.filter((e) => e.stage === 'ResponseComplete' || e.stage === 'Panic');
    const user = (e: AuditEvent) => e.user.username!;

    const perUser = countBy(ends, (e) => `${user(e)}@${Math.floor(t(e) / MIN) * MIN}`);
    expect(of('user-minute').map((r) => `${r.user}@${r.start}=${r.requests}`).sort()).toEqual(sorted(perUser));

    const failures = new Map<string, number>();
    for (const e of ends.filter((x) => x.stage === 'Panic' || (x.responseStatus?.code ?? 0) >= 400)) {
      const ref = e.objectRef;
      const res = ref ? `${ref.resource}${ref.apiGroup ? `.${ref.apiGroup}` : ''}${ref.subresource ? `/${ref.subresource}` : ''}` : e.requestURI.split('?')[0]!;
      const last = Math.floor(t(e) / MIN) * MIN;
      for (let s = last - 4 * MIN; s <= last; s += MIN) failures.set(`${res}@${s}`, (failures.get(`${res}@${s}`) ?? 0) + 1);
    }
    expect(of('resource-failures').map((r) => `${r.resource}@${r.start}=${r.failures}`).sort()).toEqual(sorted(failures));
    expect(of('resource-failures').every((r) => r.end - r.start === 5 * MIN)).toBe(true);

    const secrets = ends.filter((e) => e.objectRef?.resource === 'secrets' && !user(e).startsWith('system:')).map((e) => e.auditID);
    expect(of('secret-access').map((r) => r.auditID)).toEqual(secrets);
    expect(secrets.length).toBeGreaterThan(0);

    for (const top of of('top-talkers')) {
      const counts = [...perUser].filter(([k]) => k.endsWith(`@${top.start}`)).map(([k, n]) => ({ user: k.slice(0, k.lastIndexOf('@')), requests: n }));
      counts.sort((a, b) => b.requests - a.requests || a.user.localeCompare(b.user));
      expect(top.top).toEqual(counts.slice(0, 5));
    }
    expect(of('top-talkers').map((r) => r.start)).toEqual([0, 1, 2].map((i) => start + i * MIN));

    const kept = events.map((e) => policy.apply(e)).filter((e): e is AuditEvent => e !== null);
    expect(of('policy').reduce((n, r) => n + r.summary.kept, 0)).toBe(kept.length);
    expect(of('policy').reduce((n, r) => n + r.summary.events, 0)).toBe(events.length);
    expect(of('duplicate')).toEqual([]);

    const env = StreamEnvironment.create();
    const stored = env.fromSource(new StreamStoreSource<AuditEvent>({ root: job.storeRoot, scope: 'audit', stream: 'events', bounded: true })).collect();
    await env.execute('read store');
    expect(stored.items().map((e) => JSON.stringify(e)).sort()).toEqual(kept.map((e) => JSON.stringify(e)).sort());
  });
});
