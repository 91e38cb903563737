/**
 * Properties of AuditPolicy over random requests and random valid policies:
 * - a single catch-all rule at level L gives L for every event;
 * - `apply` never adds a field and keeps auditID, stage, user, verb at every level;
 * - first match wins: weir's decision equals that of a naive evaluator written here from the
 *   documented semantics (a different formulation: the set of names a request answers to).
 */
import fc from 'fast-check';
import { type AuditEvent, AuditPolicy } from '@weir/connectors';
import { describe, expect, it } from 'vitest';
import { arbPolicy, arbRequest, LEVELS, type RawPolicy, type RawRule, STAGES } from './support/arbitraries.js';
import { auditEvent, type RequestSpec } from './support/events.js';

/** The names a resource request answers to in a `resources` list. */
function resourceNames(r: RequestSpec): string[] {
  const names = ['*', r.resource!, `${r.resource}/*`];
  if (r.subresource) names[1] = `${r.resource}/${r.subresource}`;
  if (r.subresource) names.push(`*/${r.subresource}`);
  return names;
}

/**
 * The name kube-apiserver's checker sees: the one in the request, never the body's. A create
 * POSTed to a collection has none (checker.go reads RequestInfo.Name, which requestinfo.go takes
 * from the URL; the policy is evaluated before the body is read).
 */
const nameInPath = (r: RequestSpec): string => (r.verb === 'create' && !r.subresource ? '' : (r.name ?? ''));

function naiveRuleMatches(rule: RawRule, r: RequestSpec): boolean {
  const hasUser = r.user !== null;
  const user = r.user ?? '';
  const groups = hasUser ? (r.groups ?? []) : [];
  const isResource = r.resource !== undefined;
  const checks: boolean[] = [];
  if (rule.users?.length) checks.push(hasUser && rule.users.includes(user));
  if (rule.userGroups?.length) checks.push(hasUser && groups.some((g) => rule.userGroups!.includes(g)));
  if (rule.verbs?.length) checks.push(rule.verbs.includes(r.verb ?? 'get'));
  if (rule.resources?.length || rule.namespaces?.length) {
    checks.push(isResource);
    if (rule.namespaces?.length) checks.push(rule.namespaces.includes(r.namespace ?? ''));
    if (rule.resources?.length && isResource) {
      const answersTo = resourceNames(r);
      checks.push(
        rule.resources.some((g) => {
          if ((g.group ?? '') !== '*' && (g.group ?? '') !== (r.group ?? '')) return false;
          if (!g.resources?.length) return true;
          if (g.resourceNames?.length && !g.resourceNames.includes(nameInPath(r))) return false;
          return g.resources.some((spec) => answersTo.includes(spec));
        }),
      );
    }
  } else if (rule.nonResourceURLs?.length) {
    const path = r.path ?? '';
    checks.push(!isResource);
    checks.push(rule.nonResourceURLs.some((spec) => spec === '*' || spec === path || (spec.endsWith('*') && path.startsWith(spec.slice(0, -1)))));
  }
  return checks.every(Boolean);
}

function naiveDecision(p: RawPolicy, r: RequestSpec): { level: string; rule: number | undefined; omitStages: string[] } {
  for (let i = 0; i < p.rules.length; i++) {
    const rule = p.rules[i]!;
    if (naiveRuleMatches(rule, r)) return { level: rule.level, rule: i, omitStages: [...new Set([...(p.omitStages ?? []), ...(rule.omitStages ?? [])])].sort() };
  }
  return { level: 'None', rule: undefined, omitStages: [...(p.omitStages ?? [])].sort() };
}

const parse = (p: RawPolicy) => AuditPolicy.parse(JSON.stringify(p, null, 1)); // JSON is YAML

describe('AuditPolicy properties', () => {
  it('a single catch-all rule at level L gives L for every event', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LEVELS), fc.uniqueArray(fc.constantFrom(...STAGES)), fc.array(arbRequest, { minLength: 1, maxLength: 20 }), (level, stages, requests) => {
        const policy = parse({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', omitStages: stages, rules: [{ level }] });
        for (const r of requests) {
          const d = policy.levelAndStages(auditEvent(r));
          expect(d.level).toBe(level);
          expect(d.rule).toBe(0);
          expect([...d.omitStages].sort()).toEqual([...stages].sort());
        }
      }),
      { numRuns: 200 },
    );
  });

  it('first match wins: weir equals a naive evaluator on random policies and requests', () => {
    fc.assert(
      fc.property(arbPolicy, fc.array(arbRequest, { minLength: 1, maxLength: 25 }), (raw, requests) => {
        const policy = parse(raw);
        for (const r of requests) {
          const d = policy.levelAndStages(auditEvent(r));
          expect({ level: d.level, rule: d.rule, omitStages: [...d.omitStages].sort() }).toEqual(naiveDecision(raw, r));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('the random policies exercise every level and both matching and falling through', () => {
    // Guards the property above against a generator that never reaches an interesting case.
    const seen = new Set<string>();
    fc.assert(
      fc.property(arbPolicy, arbRequest, (raw, r) => {
        const d = naiveDecision(raw, r);
        seen.add(d.level);
        seen.add(d.rule === undefined ? 'fell through' : d.rule > 0 ? 'later rule' : 'first rule');
      }),
      { numRuns: 400, seed: 7 },
    );
    expect([...seen].sort()).toEqual(['Metadata', 'None', 'Request', 'RequestResponse', 'fell through', 'first rule', 'later rule']);
  });

  const arbBody = fc.option(
    fc.record({
      kind: fc.constantFrom('Pod', 'Secret', 'PodList'),
      metadata: fc.record({ name: fc.string(), managedFields: fc.array(fc.record({ manager: fc.string() }), { maxLength: 2 }) }, { requiredKeys: ['name'] }),
      spec: fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    }),
    { nil: undefined },
  );

  it('apply never adds a field, keeps auditID, stage, user and verb, and keeps only the bodies of its level', () => {
    fc.assert(
      fc.property(arbPolicy, fc.boolean(), arbRequest, arbBody, arbBody, (raw, omitManagedFields, r, requestObject, responseObject) => {
        const policy = parse({ ...raw, ...(omitManagedFields ? { omitManagedFields } : {}) } as RawPolicy);
        const event = auditEvent({ ...r, ...(requestObject ? { requestObject } : {}), ...(responseObject ? { responseObject } : {}) });
        const before = structuredClone(event);
        const out = policy.apply(event);
        expect(event).toEqual(before); // the input is not changed
        const d = naiveDecision(raw, r);
        if (d.level === 'None' || d.omitStages.includes(event.stage)) {
          expect(out).toBeNull();
          return;
        }
        expect(out).not.toBeNull();
        const o = out as AuditEvent;
        for (const k of Object.keys(o)) expect(Object.keys(event)).toContain(k);
        expect([o.auditID, o.stage, o.user, o.verb]).toEqual([event.auditID, event.stage, event.user, event.verb]);
        const level = LEVELS[Math.min(LEVELS.indexOf(d.level as never), LEVELS.indexOf(event.level))]!;
        expect(o.level).toBe(level);
        expect('requestObject' in o).toBe(requestObject !== undefined && (level === 'Request' || level === 'RequestResponse'));
        expect('responseObject' in o).toBe(responseObject !== undefined && level === 'RequestResponse');
        for (const body of [o.requestObject, o.responseObject] as ({ metadata: { managedFields?: unknown } } | undefined)[]) {
          if (body !== undefined && omitManagedFields) expect('managedFields' in body.metadata).toBe(false);
        }
        if (!omitManagedFields && 'requestObject' in o) expect(o.requestObject).toEqual(requestObject);
      }),
      { numRuns: 400 },
    );
  });
});
