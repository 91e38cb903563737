/**
 * fast-check arbitraries for the policy properties: requests drawn from small pools (so that
 * random rules and random requests often meet), and random valid Policies as plain objects
 * (written as JSON, which is YAML, and parsed by AuditPolicy.parse).
 */
import fc from 'fast-check';
import type { AuditLevel, AuditStage } from '@weir/connectors';
import type { RequestSpec } from './events.js';

export const LEVELS: AuditLevel[] = ['None', 'Metadata', 'Request', 'RequestResponse'];
export const STAGES: AuditStage[] = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'];
const USERS = ['alice@example.com', 'system:kube-proxy', 'system:serviceaccount:kube-system:replicaset-controller', 'system:node:worker-1'];
const GROUPS = ['system:authenticated', 'system:serviceaccounts', 'system:nodes', 'developers', 'sre'];
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const NAMESPACES = ['default', 'kube-system', 'payments'];
const API_GROUPS = ['', 'apps', 'extensions', 'rbac.authorization.k8s.io'];
const RESOURCES = ['pods', 'secrets', 'configmaps', 'deployments', 'nodes'];
const SUBRESOURCES = ['log', 'status', 'scale', 'exec'];
const NAMES = ['web', 'db', 'controller-leader'];
const PATHS = ['/healthz', '/healthz/etcd', '/healthy', '/version', '/api', '/ap', '/apis/apps/v1', '/metrics', '/logs/kubelet.log'];

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
const someOf = <T>(xs: readonly T[], max = 2) => fc.uniqueArray(pick(xs), { maxLength: max });

/** A request: resource (namespaced or not, with or without subresource and name) or non-resource. */
export const arbRequest: fc.Arbitrary<RequestSpec> = fc
  .record({
    user: fc.option(pick(USERS), { nil: null, freq: 8 }),
    groups: someOf(GROUPS, 3),
    verb: pick(VERBS),
    stage: pick(STAGES),
    level: pick(LEVELS.slice(1)),
    kind: fc.constantFrom('resource', 'resource', 'nonResource'),
    resource: pick(RESOURCES),
    group: pick(API_GROUPS),
    namespace: fc.option(pick(NAMESPACES), { nil: undefined }),
    subresource: fc.option(pick(SUBRESOURCES), { nil: undefined, freq: 3 }),
    name: fc.option(pick(NAMES), { nil: undefined }),
    path: pick(PATHS),
  })
  .map((r) => {
    const who = { user: r.user, groups: r.groups, verb: r.verb, stage: r.stage, level: r.level };
    if (r.kind === 'nonResource') return { ...who, path: r.path };
    return {
      ...who,
      resource: r.resource,
      group: r.group,
      ...(r.namespace !== undefined ? { namespace: r.namespace } : {}),
      // a subresource is always of a named object (/pods/{name}/log): without a name it would be one
      ...(r.subresource !== undefined && r.name !== undefined ? { subresource: r.subresource } : {}),
      ...(r.name !== undefined ? { name: r.name } : {}),
    };
  });

export interface RawGroupResources {
  group?: string;
  resources?: string[];
  resourceNames?: string[];
}
export interface RawRule {
  level: AuditLevel;
  users?: string[];
  userGroups?: string[];
  verbs?: string[];
  resources?: RawGroupResources[];
  namespaces?: string[];
  nonResourceURLs?: string[];
  omitStages?: AuditStage[];
}
export interface RawPolicy {
  apiVersion: 'audit.k8s.io/v1';
  kind: 'Policy';
  omitStages?: AuditStage[];
  rules: RawRule[];
}

const RESOURCE_SPECS = [...RESOURCES, 'pods/log', 'pods/status', 'deployments/scale', '*', '*/log', '*/scale', 'pods/*', 'deployments/*'];
const URL_SPECS = [...PATHS, '*', '/healthz*', '/api*', '/apis/*', '/logs*'];

const arbGroupResources: fc.Arbitrary<RawGroupResources> = fc
  .record({ group: fc.option(pick([...API_GROUPS, '*']), { nil: undefined }), resources: someOf(RESOURCE_SPECS, 3), resourceNames: someOf(NAMES, 2) })
  .map(({ group, resources, resourceNames }) => ({
    ...(group !== undefined ? { group } : {}),
    ...(resources.length > 0 ? { resources } : {}),
    // kube-apiserver refuses resourceNames without resources
    ...(resources.length > 0 && resourceNames.length > 0 ? { resourceNames } : {}),
  }));

/** A rule: who and what verbs, then either resources/namespaces, non-resource URLs, or neither. */
export const arbRule: fc.Arbitrary<RawRule> = fc
  .record({
    level: pick(LEVELS),
    users: someOf(USERS),
    userGroups: someOf(GROUPS),
    verbs: someOf(VERBS, 3),
    target: fc.constantFrom('none', 'resources', 'resources', 'urls'),
    resources: fc.array(arbGroupResources, { maxLength: 2 }),
    namespaces: someOf([...NAMESPACES, ''], 2),
    urls: fc.uniqueArray(pick(URL_SPECS), { minLength: 1, maxLength: 2 }),
    omitStages: someOf(STAGES, 2),
  })
  .map((r) => {
    const rule: RawRule = { level: r.level };
    if (r.users.length > 0) rule.users = r.users;
    if (r.userGroups.length > 0) rule.userGroups = r.userGroups;
    if (r.verbs.length > 0) rule.verbs = r.verbs;
    if (r.target === 'resources') {
      if (r.resources.length > 0) rule.resources = r.resources;
      if (r.namespaces.length > 0) rule.namespaces = r.namespaces;
    }
    if (r.target === 'urls') rule.nonResourceURLs = r.urls;
    if (r.omitStages.length > 0) rule.omitStages = r.omitStages;
    return rule;
  });

export const arbPolicy: fc.Arbitrary<RawPolicy> = fc
  .record({ omitStages: someOf(STAGES, 2), rules: fc.array(arbRule, { minLength: 1, maxLength: 6 }) })
  .map(({ omitStages, rules }) => ({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', ...(omitStages.length > 0 ? { omitStages } : {}), rules }));
