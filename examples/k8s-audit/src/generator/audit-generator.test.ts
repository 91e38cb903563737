/**
 * The generator: valid audit Events in stage-time order, realistic coverage (all four stages,
 * 2xx/4xx/5xx, system/service-account/human users, secrets, pods/log), stage order per request,
 * and a snapshot/restore that continues exactly as an uninterrupted run.
 */
import { parseAuditLine } from '@weir/connectors';
import { describe, expect, it } from 'vitest';
import { AuditGenerator } from './audit-generator.js';

const start = Date.UTC(2024, 2, 5, 10);
const take = (g: AuditGenerator, n: number) => Array.from({ length: n }, () => g.next());

describe('AuditGenerator', () => {
  const events = take(new AuditGenerator({ seed: 3, start, requestsPerSecond: 20 }), 6000);

  it('writes valid audit.k8s.io/v1 Events, in stage-time order, timestamped with their stageTimestamp', () => {
    let last = 0;
    for (const { event, timestamp } of events) {
      const r = parseAuditLine(JSON.stringify(event));
      expect(r.ok ? '' : r.reason).toBe('');
      expect(timestamp).toBe(Math.floor(Date.parse(event.stageTimestamp)));
      expect(timestamp).toBeGreaterThanOrEqual(last);
      last = timestamp;
    }
  });

  it('covers every stage, status class and kind of user, secrets and pods/log', () => {
    const seen = new Set<string>();
    for (const { event: e } of events) {
      seen.add(e.stage);
      const code = e.responseStatus?.code;
      if (code !== undefined) seen.add(`${Math.floor(code / 100)}xx`);
      const u = e.user.username ?? '';
      seen.add(u.startsWith('system:serviceaccount:') ? 'service account' : u.startsWith('system:') ? 'system user' : 'person');
      if (e.objectRef?.resource === 'secrets') seen.add('secrets');
      if (e.objectRef?.resource === 'pods' && e.objectRef.subresource === 'log') seen.add('pods/log');
      if (e.objectRef === undefined) seen.add('non-resource');
    }
    for (const x of ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic', '2xx', '4xx', '5xx', 'service account', 'system user', 'person', 'secrets', 'pods/log', 'non-resource']) {
      expect(seen, x).toContain(x);
    }
  });

  it('writes each request as RequestReceived, ResponseStarted only when long-running, then ResponseComplete or Panic', () => {
    const byId = new Map<string, string[]>();
    for (const { event: e } of events) byId.set(e.auditID, [...(byId.get(e.auditID) ?? []), e.stage]);
    for (const stages of byId.values()) {
      expect(stages[0]).toBe('RequestReceived');
      expect(['RequestReceived', 'RequestReceived,ResponseComplete', 'RequestReceived,Panic', 'RequestReceived,ResponseStarted', 'RequestReceived,ResponseStarted,ResponseComplete']).toContain(stages.join(','));
    }
  });

  it('restores a snapshot and continues exactly as the uninterrupted run', () => {
    const a = new AuditGenerator({ seed: 9, start, requestsPerSecond: 50 });
    const whole = take(a, 800);
    const b = new AuditGenerator({ seed: 9, start, requestsPerSecond: 50 });
    const first = take(b, 333);
    const saved = structuredClone(b.snapshot());
    const c = new AuditGenerator({ seed: 1234, start: 0, requestsPerSecond: 50 }); // same configuration, other state
    c.restore(saved);
    expect([...first, ...take(c, 467)]).toEqual(whole);
  });
});
