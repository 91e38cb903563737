/**
 * Reads an `audit.k8s.io/v1` Policy from YAML and checks it as kube-apiserver does when it loads
 * `--audit-policy-file` (apiserver's `LoadPolicyFromBytes` + `ValidatePolicy`): apiVersion and
 * kind, at least one rule, a known level in every rule, known stages, non-resource URLs that
 * start with `/` and have `*` only at the end, API group names that are DNS subdomains,
 * `resourceNames` only with `resources`, and no rule that mixes resources or namespaces with
 * non-resource URLs. Two things kube-apiserver lets through with a warning are refused here,
 * because they silently change what a rule matches: duplicate keys and unknown fields (the latter
 * can be downgraded to warnings). Every problem is collected, with its line and column.
 *
 * Worked example: the seed's first rule
 * ```yaml
 *   - level: RequestResponse       # line 9
 *     resources:
 *     - group: ""
 *     resources: ["pods"]          # line 12: duplicate key "resources" (first at line 10)
 * ```
 * is refused at line 12, with a hint to indent `resources: ["pods"]` under `- group: ""`.
 * @internal
 */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { AuditLevel, AuditStage } from '../k8s-audit/audit-event.js';
import { AuditPolicyError, type PolicyIssue } from './policy-error.js';
import { AUDIT_STAGES, type AuditPolicyRule, type AuditPolicySpec, LEVEL_ORDER, type PolicyGroupResources } from './policy-types.js';
import { type DuplicateHint, YamlReader } from './yaml-reader.js';

/**
 * Options of `AuditPolicy.parse` and `AuditPolicy.fromFile`.
 *
 * @example
 * ```ts
 * const policy = AuditPolicy.parse(text, { unknownFields: 'warn' });
 * for (const w of policy.warnings) console.warn(`line ${w.line}: ${w.message}`);
 * ```
 */
export interface AuditPolicyParseOptions {
  /** `'error'` (default): unknown fields refuse the policy; `'warn'`: ignored and listed in `warnings`, as kube-apiserver does. */
  readonly unknownFields?: 'error' | 'warn';
  /** Names the file in error messages. */
  readonly file?: string;
}

const POLICY_FIELDS = ['apiVersion', 'kind', 'metadata', 'rules', 'omitStages', 'omitManagedFields'];
const RULE_FIELDS = ['level', 'users', 'userGroups', 'verbs', 'resources', 'namespaces', 'nonResourceURLs', 'omitStages', 'omitManagedFields'];
const GROUP_FIELDS = ['group', 'resources', 'resourceNames'];
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** @internal Parses and validates; throws {@link AuditPolicyError} listing every problem. */
export function parsePolicy(text: string, options: AuditPolicyParseOptions = {}): { spec: AuditPolicySpec; warnings: PolicyIssue[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const r = new YamlReader(doc, lines, options.unknownFields ?? 'error');
  for (const e of doc.errors) {
    const p = e.linePos?.[0];
    r.issues.push({ line: p?.line ?? 0, column: p?.col ?? 0, path: '(document)', message: `YAML syntax: ${e.message.split(' at line')[0]}` });
  }
  if (r.issues.length > 0) throw new AuditPolicyError(r.issues, options.file);
  const root = r.resolve(doc.contents);
  if (r.isNull(root)) throw new AuditPolicyError([{ line: 0, column: 0, path: '(document)', message: 'the policy is empty: expected apiVersion: audit.k8s.io/v1, kind: Policy and rules' }], options.file);
  const spec = readPolicy(r, root);
  if (r.issues.length > 0 || spec === undefined) throw new AuditPolicyError(sortIssues(r.issues), options.file);
  return { spec, warnings: r.warnings };
}

function readPolicy(r: YamlReader, root: Node | null): AuditPolicySpec | undefined {
  const f = r.fields(root, '(policy)', POLICY_FIELDS);
  if (f === undefined) return undefined;
  const apiVersion = f.get('apiVersion');
  if (apiVersion === undefined) r.problem(root, 'apiVersion', 'apiVersion is required: audit.k8s.io/v1');
  else if (r.string(apiVersion.value, 'apiVersion') !== 'audit.k8s.io/v1' && isString(apiVersion.value)) {
    r.problem(apiVersion.value, 'apiVersion', `unsupported apiVersion ${JSON.stringify((apiVersion.value as { value: string }).value)}: kube-apiserver reads audit.k8s.io/v1`);
  }
  const kind = f.get('kind');
  if (kind === undefined) r.problem(root, 'kind', 'kind is required: Policy');
  else if (r.string(kind.value, 'kind') !== 'Policy' && isString(kind.value)) r.problem(kind.value, 'kind', `kind must be Policy, got ${JSON.stringify((kind.value as { value: string }).value)}`);
  const metadata = f.get('metadata');
  if (metadata !== undefined && !r.isNull(metadata.value) && !isMap(metadata.value)) r.problem(metadata.value, 'metadata', 'expected a mapping');
  const omitStages = stages(r, f.get('omitStages')?.value ?? null, 'omitStages');
  const omitManagedFields = r.boolean(f.get('omitManagedFields')?.value ?? null, 'omitManagedFields') ?? false;
  const rulesField = f.get('rules');
  const rules = r.list(rulesField?.value ?? null, 'rules', 'rules').map((node, i) => readRule(r, node, i));
  if (rules.length === 0) r.problem(rulesField?.value ?? rulesField?.key ?? root, 'rules', 'a policy needs at least one rule (kube-apiserver refuses a policy with 0 rules)');
  return { omitStages, omitManagedFields, rules: rules.filter((x): x is AuditPolicyRule => x !== undefined) };
}

function readRule(r: YamlReader, node: Node | null, index: number): AuditPolicyRule | undefined {
  const path = `rules[${index}]`;
  const f = r.fields(node, path, RULE_FIELDS, ruleDuplicateHint);
  if (f === undefined) return undefined;
  const levelField = f.get('level');
  let level: AuditLevel | undefined;
  if (levelField === undefined || r.isNull(levelField.value)) r.problem(levelField?.key ?? node, `${path}.level`, `level is required: one of ${LEVEL_ORDER.join(', ')}`);
  else {
    const s = r.string(levelField.value, `${path}.level`);
    if (s !== undefined) {
      if ((LEVEL_ORDER as readonly string[]).includes(s)) level = s as AuditLevel;
      else r.problem(levelField.value, `${path}.level`, `unknown level ${JSON.stringify(s)}: expected one of ${LEVEL_ORDER.join(', ')}${suggest(s, LEVEL_ORDER)}`);
    }
  }
  const list = (name: string) => r.stringList(f.get(name)?.value ?? null, `${path}.${name}`);
  const nonResourceURLs = list('nonResourceURLs');
  const namespaces = list('namespaces');
  const resourcesField = f.get('resources');
  const resources = r.list(resourcesField?.value ?? null, `${path}.resources`, 'group entries ({ group, resources, resourceNames })').map((n, i) => readGroup(r, n, `${path}.resources[${i}]`));
  checkNonResourceURLs(r, f.get('nonResourceURLs')?.value ?? null, nonResourceURLs, `${path}.nonResourceURLs`);
  if (nonResourceURLs.length > 0 && (resources.length > 0 || namespaces.length > 0)) {
    r.problem(f.get('nonResourceURLs')!.key, `${path}.nonResourceURLs`, 'rules cannot apply to both regular resources and non-resource URLs (kube-apiserver refuses this rule): split it into two rules');
  }
  const rule: AuditPolicyRule = {
    index,
    line: r.position(node).line,
    level: level ?? 'None',
    users: list('users'),
    userGroups: list('userGroups'),
    verbs: list('verbs'),
    resources: resources.filter((g): g is PolicyGroupResources => g !== undefined),
    namespaces,
    nonResourceURLs,
    omitStages: stages(r, f.get('omitStages')?.value ?? null, `${path}.omitStages`),
    omitManagedFields: r.boolean(f.get('omitManagedFields')?.value ?? null, `${path}.omitManagedFields`),
  };
  return level === undefined ? undefined : rule;
}

function readGroup(r: YamlReader, node: Node | null, path: string): PolicyGroupResources | undefined {
  if (isScalar(node) && typeof node.value === 'string') {
    r.problem(node, path, `a resources entry is a mapping with a group, e.g. - group: "" then resources: [${JSON.stringify(node.value)}] indented under it`);
    return undefined;
  }
  const f = r.fields(node, path, GROUP_FIELDS);
  if (f === undefined) return undefined;
  const groupNode = f.get('group')?.value ?? null;
  const group = r.isNull(groupNode) ? '' : r.string(groupNode, `${path}.group`) ?? '';
  if (group !== '' && group !== '*' && (group.length > 253 || !DNS_SUBDOMAIN.test(group))) {
    r.problem(groupNode, `${path}.group`, `${JSON.stringify(group)} is not an API group name (a lower-case DNS subdomain such as apps or rbac.authorization.k8s.io, without a version)`);
  }
  const resources = r.stringList(f.get('resources')?.value ?? null, `${path}.resources`);
  const resourceNames = r.stringList(f.get('resourceNames')?.value ?? null, `${path}.resourceNames`);
  if (resourceNames.length > 0 && resources.length === 0) r.problem(f.get('resourceNames')!.key, `${path}.resourceNames`, 'using resourceNames requires at least one resource');
  return { group, resources, resourceNames };
}

function stages(r: YamlReader, node: Node | null, path: string): AuditStage[] {
  const names = r.stringList(node, path);
  const items = isSeq(node) ? node.items : [];
  const out: AuditStage[] = [];
  names.forEach((s, i) => {
    if ((AUDIT_STAGES as readonly string[]).includes(s)) {
      if (!out.includes(s as AuditStage)) out.push(s as AuditStage);
    } else r.problem(r.resolve(items[i]), `${path}[${i}]`, `unknown stage ${JSON.stringify(s)}: allowed stages are ${AUDIT_STAGES.join(', ')}${suggest(s, AUDIT_STAGES)}`);
  });
  return out;
}

function checkNonResourceURLs(r: YamlReader, node: Node | null, urls: readonly string[], path: string): void {
  const items = isSeq(node) ? node.items : [];
  urls.forEach((url, i) => {
    if (url === '*') return;
    const at = r.resolve(items[i]);
    if (!url.startsWith('/')) r.problem(at, `${path}[${i}]`, `non-resource URL rules must begin with a '/' character (got ${JSON.stringify(url)})`);
    if (url !== '' && url.slice(0, -1).includes('*')) r.problem(at, `${path}[${i}]`, `non-resource URL wildcards '*' must be the final character of the rule (got ${JSON.stringify(url)})`);
  });
}

/** The seed's mistake: a second `resources` in a rule that was meant to go inside the group entry. */
const ruleDuplicateHint: DuplicateHint = (name, first, second, lineOf) => {
  if (name !== 'resources' || !isSeq(first.value) || !isSeq(second.value)) return '';
  const entry = first.value.items.filter(isMap).at(-1);
  const names = second.value.items.filter((i) => isScalar(i) && typeof i.value === 'string');
  if (entry === undefined || names.length === 0) return '';
  return `A rule's "resources" is a list of group entries and resource names go inside an entry: indent this line under the entry at line ${lineOf(entry)} ("- group: ...") so that it reads - group: "" / resources: ${JSON.stringify(names.map((n) => (n as { value: string }).value))}`;
};

const isString = (n: Node | null): boolean => isScalar(n) && typeof n.value === 'string';

/** ` (did you mean "Metadata"?)` for a case or spelling slip, else ''. */
function suggest(given: string, options: readonly string[]): string {
  const lower = given.toLowerCase().replace(/[^a-z]/g, '');
  const hit = options.find((o) => o.toLowerCase() === lower || o.toLowerCase().startsWith(lower.slice(0, 4)) && lower.length >= 4);
  return hit !== undefined ? ` (did you mean ${JSON.stringify(hit)}?)` : '';
}

function sortIssues(issues: PolicyIssue[]): PolicyIssue[] {
  return [...issues].sort((a, b) => a.line - b.line || a.column - b.column);
}

