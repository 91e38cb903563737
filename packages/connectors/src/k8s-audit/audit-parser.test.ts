import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAuditLine } from './audit-parser.js';

const fixture = readFileSync(new URL('../../fixtures/k8s-audit.log', import.meta.url), 'utf8').trim().split('\n');
const good = JSON.parse(fixture[0]!) as Record<string, unknown>;
const line = (patch: Record<string, unknown>) => JSON.stringify({ ...good, ...patch });

describe('parseAuditLine', () => {
  it('parses every fixture line into the Event itself, field for field', () => {
    for (const l of fixture) {
      const r = parseAuditLine(l);
      expect(r.ok).toBe(true);
      if (r.ok) {
        expect(r.event).toEqual(JSON.parse(l));
        expect(r.timestamp).toBe(Date.parse((JSON.parse(l) as { stageTimestamp: string }).stageTimestamp));
      }
    }
  });

  it('keeps fields it does not know', () => {
    const r = parseAuditLine(line({ newField: { x: 1 }, user: { username: 'a', fancy: true } }));
    expect(r.ok && r.event).toMatchObject({ newField: { x: 1 }, user: { username: 'a', fancy: true } });
  });

  it('says why a line is not an audit Event', () => {
    const reasons = [
      ['', 'empty line'],
      ['   ', 'empty line'],
      ['{"kind":"Event",', /^not JSON: /],
      ['[1,2]', 'not an audit.k8s.io/v1 Event: a JSON array, not an object'],
      ['null', 'not an audit.k8s.io/v1 Event: a JSON null, not an object'],
      ['"Event"', 'not an audit.k8s.io/v1 Event: a JSON string, not an object'],
      ['{"kind":"Pod","apiVersion":"v1","metadata":{"name":"x"}}', 'not an audit.k8s.io/v1 Event: kind is "Pod", apiVersion is "v1"'],
      [line({ apiVersion: 'audit.k8s.io/v1beta1' }), 'not an audit.k8s.io/v1 Event: kind is "Event", apiVersion is "audit.k8s.io/v1beta1"'],
      [line({ verb: 42 }), /^invalid audit Event: verb: /],
      [line({ user: 'bob' }), /^invalid audit Event: user: /],
      [line({ stage: 'Finished' }), /^invalid audit Event: stage: /],
      [line({ responseStatus: { code: 'teapot' } }), /^invalid audit Event: responseStatus\.code: /],
      [line({ stageTimestamp: 'yesterday' }), /^invalid stageTimestamp "yesterday"/],
      [line({ requestReceivedTimestamp: '2024-02-30T00:00:00Z' }), /^invalid requestReceivedTimestamp/],
    ] as const;
    for (const [input, reason] of reasons) {
      const r = parseAuditLine(input);
      expect(r.ok, input).toBe(false);
      if (!r.ok) {
        if (typeof reason === 'string') expect(r.reason).toBe(reason);
        else expect(r.reason).toMatch(reason);
      }
    }
  });

  it('lists at most three schema problems and counts the rest', () => {
    const r = parseAuditLine(line({ level: 1, auditID: 2, stage: 3, verb: 4, requestURI: 5 }));
    expect(!r.ok && r.reason).toMatch(/^invalid audit Event: [^;]+; [^;]+; [^;]+ \(and 2 more\)$/);
  });
});
