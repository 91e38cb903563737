/**
 * Bad policies are refused with a typed error that names the line: the seed's duplicate
 * `resources`, unknown levels and stages, fields of the wrong type, unknown fields, and what
 * kube-apiserver's own validation refuses. Lines and columns are counted by hand from the texts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@weir/core';
import { AuditPolicy, AuditPolicyError } from '@weir/connectors';
import { describe, expect, it } from 'vitest';
import { policyYaml } from './support/events.js';

const seedPath = new URL('./fixtures/seed-audit-policy.yaml', import.meta.url).pathname;

function refusal(text: string, options?: Parameters<typeof AuditPolicy.parse>[1]): AuditPolicyError {
  try {
    AuditPolicy.parse(text, options);
  } catch (e) {
    expect(e).toBeInstanceOf(AuditPolicyError);
    expect(e).toBeInstanceOf(ConfigError);
    return e as AuditPolicyError;
  }
  throw new Error('the policy was accepted');
}

describe('AuditPolicy refuses bad policies, naming the line', () => {
  it('the seed policy: the first rule has "resources" twice; the error points at the second (line 13, column 5)', () => {
    let error: unknown;
    try {
      AuditPolicy.fromFile(seedPath);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AuditPolicyError);
    const e = error as AuditPolicyError;
    expect(e.issues).toHaveLength(1);
    expect(e).toMatchObject({ line: 13, column: 5, file: seedPath });
    expect(e.issues[0]).toMatchObject({ line: 13, column: 5, path: 'rules[0].resources' });
    expect(e.message).toContain(`${seedPath}:13:5`);
    expect(e.message).toContain('duplicate key "resources" (first at line 11)');
    expect(e.message).toContain('indent this line under the entry at line 12');
  });

  it('the corrected example policy parses, nine rules in order', () => {
    const p = AuditPolicy.fromFile(new URL('../../examples/k8s-audit/audit-policy.yaml', import.meta.url).pathname);
    expect(p.rules.map((r) => r.level)).toEqual(['RequestResponse', 'Metadata', 'None', 'None', 'None', 'Request', 'Metadata', 'Request', 'Metadata']);
    expect(p.rules[0]!.resources).toEqual([{ group: '', resources: ['pods'], resourceNames: [] }]);
    expect(p.omitStages).toEqual(['RequestReceived']);
    expect(p.warnings).toEqual([]);
  });

  it('an unknown level, with the list of levels', () => {
    const e = refusal(policyYaml('  - level: Metadata\n  - level: metadata\n'));
    expect(e.issues).toEqual([{ line: 5, column: 12, path: 'rules[1].level', message: expect.stringContaining('unknown level "metadata": expected one of None, Metadata, Request, RequestResponse (did you mean "Metadata"?)') }]);
  });

  it('a missing level', () => {
    const e = refusal(policyYaml('  - verbs: [get]\n'));
    expect(e.issues[0]).toMatchObject({ line: 4, path: 'rules[0].level', message: expect.stringMatching(/^level is required/) });
  });

  it('fields of the wrong type: a string for a list, a number for a string, a mapping for a list, a string for a boolean', () => {
    const e = refusal(
      policyYaml(
        [
          '  - level: Request', //                    4
          '    verbs: get', //                         5
          '    users: ["alice", 42]', //               6
          '    namespaces: {default: true}', //        7
          '    omitManagedFields: "yes"', //           8
          '',
        ].join('\n'),
      ),
    );
    expect(e.issues.map((i) => [i.line, i.column, i.path, i.message])).toEqual([
      [5, 12, 'rules[0].verbs', 'expected a list of strings, got a string ("get")'],
      [6, 22, 'rules[0].users[1]', 'expected a string, got a number (42)'],
      [7, 17, 'rules[0].namespaces', 'expected a list of strings, got a mapping'],
      [8, 24, 'rules[0].omitManagedFields', 'expected true or false, got a string ("yes")'],
    ]);
    expect(e.message).toMatch(/^invalid audit policy \(4 problems\):\n {2}audit policy:5:12: rules\[0\]\.verbs/);
  });

  it('a resources entry that is a string, not a group entry', () => {
    const e = refusal(policyYaml('  - level: Request\n    resources: ["pods"]\n'));
    expect(e.issues[0]).toMatchObject({ line: 5, column: 17, path: 'rules[0].resources[0]', message: expect.stringContaining('a resources entry is a mapping with a group') });
  });

  it('unknown stages, policy-wide and in a rule', () => {
    const e = refusal(policyYaml('  - level: None\n    omitStages: [ResponseCompleted]\n', 'omitStages: [RequestRecieved]\n'));
    expect(e.issues.map((i) => [i.line, i.path])).toEqual([
      [3, 'omitStages[0]'],
      [6, 'rules[0].omitStages[0]'],
    ]);
    expect(e.issues[0]!.message).toMatch(/unknown stage "RequestRecieved": allowed stages are RequestReceived, ResponseStarted, ResponseComplete, Panic/);
  });

  it('unknown fields are refused by default and warnings with { unknownFields: "warn" } (kube-apiserver\'s lenient decoding)', () => {
    const text = policyYaml('  - level: Metadata\n    namespace: ["kube-system"]\n');
    const e = refusal(text);
    expect(e.issues[0]).toMatchObject({ line: 5, column: 5, path: 'rules[0]', message: expect.stringContaining('unknown field "namespace"') });
    const p = AuditPolicy.parse(text, { unknownFields: 'warn' });
    expect(p.warnings).toEqual([expect.objectContaining({ line: 5, column: 5, message: expect.stringContaining('unknown field "namespace"') })]);
    expect(p.rules[0]!.namespaces).toEqual([]);
  });

  it('duplicate keys anywhere, with both lines', () => {
    const e = refusal('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: None\n    level: Metadata\n');
    expect(e.issues).toEqual([{ line: 5, column: 5, path: 'rules[0].level', message: expect.stringContaining('duplicate key "level" (first at line 4)') }]);
  });

  it('what kube-apiserver validation refuses: apiVersion, kind, no rules, URL wildcards, group names, resourceNames without resources', () => {
    expect(refusal('kind: Policy\nrules: [{level: None}]\n').issues[0]!.message).toMatch(/apiVersion is required/);
    expect(refusal('apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules: [{level: None}]\n').issues[0]).toMatchObject({ line: 1, message: expect.stringMatching(/unsupported apiVersion/) });
    expect(refusal('apiVersion: audit.k8s.io/v1\nkind: Pod\nrules: [{level: None}]\n').issues[0]).toMatchObject({ line: 2, message: 'kind must be Policy, got "Pod"' });
    expect(refusal('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []\n').issues[0]!.message).toMatch(/at least one rule/);
    expect(refusal(policyYaml('  - {level: None, nonResourceURLs: ["/a*b", "healthz"]}\n')).issues.map((i) => i.message)).toEqual([
      expect.stringContaining("wildcards '*' must be the final character"),
      expect.stringContaining("must begin with a '/' character"),
    ]);
    expect(refusal(policyYaml('  - {level: None, resources: [{group: "apps/v1"}]}\n')).issues[0]!.message).toMatch(/"apps\/v1" is not an API group name/);
    expect(refusal(policyYaml('  - {level: None, resources: [{group: "", resourceNames: [x]}]}\n')).issues[0]!.message).toBe('using resourceNames requires at least one resource');
  });

  it('YAML syntax errors and an empty file', () => {
    expect(refusal('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: [None\n').issues[0]!.message).toMatch(/^YAML syntax/);
    expect(refusal('').issues[0]!.message).toMatch(/the policy is empty/);
  });

  it('fromFile names the file; a missing file is a ConfigError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-policy-'));
    const path = join(dir, 'policy.yaml');
    writeFileSync(path, policyYaml('  - level: Loud\n'));
    expect(() => AuditPolicy.fromFile(path)).toThrow(`${path}:4:12: rules[0].level: unknown level "Loud"`);
    expect(() => AuditPolicy.fromFile(join(dir, 'missing.yaml'))).toThrow(ConfigError);
  });
});
