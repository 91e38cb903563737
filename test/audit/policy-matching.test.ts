/**
 * AuditPolicy's rule matching, table-driven from kube-apiserver's documented semantics (the
 * auditing task page and the Policy reference) and from the cases of apiserver's own
 * `checker_test.go`. Each row: one rule (or a few), one request, the level kube-apiserver logs it
 * at. One or more rows per clause.
 */
import { type AuditEvent, AuditPolicy, AuditPolicyError, PolicyReplay } from '@weir/connectors';
import { describe, expect, it } from 'vitest';
import { auditEvent, policyYaml, type RequestSpec } from './support/events.js';

const pod: RequestSpec = { resource: 'pods', namespace: 'default', name: 'web' };
const podLog: RequestSpec = { ...pod, subresource: 'log' };
const deployScale: RequestSpec = { resource: 'deployments', group: 'apps', namespace: 'default', name: 'api', subresource: 'scale' };
const deploy: RequestSpec = { resource: 'deployments', group: 'apps', namespace: 'default', name: 'api' };
const clusterRole: RequestSpec = { resource: 'clusterroles', group: 'rbac.authorization.k8s.io', name: 'edit' };
const node: RequestSpec = { resource: 'nodes', name: 'worker-1' };
const healthz: RequestSpec = { path: '/healthz' };

/** A one-rule policy at Request level with these fields (YAML flow style), then the request. */
interface Row {
  readonly clause: string;
  readonly rule: string;
  readonly request: RequestSpec;
  readonly matches: boolean;
}

const rows: Row[] = [
  // users / userGroups / verbs
  { clause: 'users: the name is listed', rule: 'users: ["alice@example.com"]', request: pod, matches: true },
  { clause: 'users: another name', rule: 'users: ["bob@example.com"]', request: pod, matches: false },
  { clause: 'users: an Event without a user', rule: 'users: [""]', request: { ...pod, user: null }, matches: false },
  { clause: 'userGroups: any one of the groups', rule: 'userGroups: ["developers", "sre"]', request: { ...pod, groups: ['system:authenticated', 'sre'] }, matches: true },
  { clause: 'userGroups: none of the groups', rule: 'userGroups: ["sre"]', request: { ...pod, groups: ['developers'] }, matches: false },
  { clause: 'userGroups: an Event without a user', rule: 'userGroups: ["system:unauthenticated"]', request: { ...pod, user: null }, matches: false },
  { clause: 'users and userGroups both hold', rule: 'users: ["alice@example.com"], userGroups: ["sre"]', request: { ...pod, groups: ['dev'] }, matches: false },
  { clause: 'verbs: listed', rule: 'verbs: ["get", "list"]', request: pod, matches: true },
  { clause: 'verbs: not listed', rule: 'verbs: ["watch"]', request: pod, matches: false },
  { clause: 'verbs: non-resource verbs are lower-case HTTP methods', rule: 'verbs: ["post"]', request: { path: '/api/v1/tokenreviews', verb: 'post' }, matches: true },
  { clause: 'an empty rule matches every request', rule: '', request: healthz, matches: true },
  { clause: 'empty lists match all', rule: 'users: [], verbs: [], resources: []', request: pod, matches: true },

  // resources: groups, resources, subresources, wildcards, names
  { clause: 'resources: core group "" and the resource', rule: 'resources: [{group: "", resources: ["pods"]}]', request: pod, matches: true },
  { clause: 'resources: a group left out is the core group', rule: 'resources: [{resources: ["pods"]}]', request: pod, matches: true },
  { clause: 'resources: "pods" is not "pods/log"', rule: 'resources: [{group: "", resources: ["pods"]}]', request: podLog, matches: false },
  { clause: 'resources: "pods/log" is the log subresource', rule: 'resources: [{group: "", resources: ["pods/log"]}]', request: podLog, matches: true },
  { clause: 'resources: "pods/log" is not pods', rule: 'resources: [{group: "", resources: ["pods/log"]}]', request: pod, matches: false },
  { clause: 'resources: "*" is every resource of the group', rule: 'resources: [{group: "", resources: ["*"]}]', request: podLog, matches: true },
  { clause: 'resources: "*" stays in its group', rule: 'resources: [{group: "", resources: ["*"]}]', request: deploy, matches: false },
  { clause: 'resources: "*/scale" is the scale subresource of anything', rule: 'resources: [{group: "apps", resources: ["*/scale"]}]', request: deployScale, matches: true },
  { clause: 'resources: "*/scale" is not the resource itself', rule: 'resources: [{group: "apps", resources: ["*/scale"]}]', request: deploy, matches: false },
  { clause: 'resources: "*/log" is not another subresource', rule: 'resources: [{group: "", resources: ["*/log"]}]', request: { ...pod, subresource: 'exec' }, matches: false },
  { clause: 'resources: "pods/*" is any pod subresource', rule: 'resources: [{group: "", resources: ["pods/*"]}]', request: podLog, matches: true },
  { clause: 'resources: "pods/*" names pods too (checker compares the resource)', rule: 'resources: [{group: "", resources: ["pods/*"]}]', request: pod, matches: true },
  { clause: 'resources: "pods/*" is not services/status', rule: 'resources: [{group: "", resources: ["pods/*"]}]', request: { resource: 'services', namespace: 'default', name: 'x', subresource: 'status' }, matches: false },
  { clause: 'resources: the API group must match', rule: 'resources: [{group: "", resources: ["deployments"]}]', request: deploy, matches: false },
  { clause: 'resources: group "*" is every group', rule: 'resources: [{group: "*", resources: ["*/status"]}]', request: { ...clusterRole, verb: 'update', subresource: 'status' }, matches: true },
  { clause: 'resources: no resources list matches the whole group', rule: 'resources: [{group: "apps"}]', request: deployScale, matches: true },
  { clause: 'resources: a whole group is only that group', rule: 'resources: [{group: "apps"}]', request: pod, matches: false },
  { clause: 'resources: any entry may match', rule: 'resources: [{group: "apps"}, {group: "", resources: ["pods"]}]', request: pod, matches: true },
  { clause: 'resourceNames: the name is listed', rule: 'resources: [{group: "rbac.authorization.k8s.io", resources: ["clusterroles"], resourceNames: ["edit"]}]', request: clusterRole, matches: true },
  { clause: 'resourceNames: another name', rule: 'resources: [{group: "rbac.authorization.k8s.io", resources: ["clusterroles"], resourceNames: ["admin"]}]', request: clusterRole, matches: false },
  { clause: 'resourceNames: a list without a name', rule: 'resources: [{group: "", resources: ["pods"], resourceNames: ["web"]}]', request: { resource: 'pods', namespace: 'default', verb: 'list' }, matches: false },
  { clause: 'resourceNames: a create POSTed to the collection has no name yet', rule: 'resources: [{group: "", resources: ["configmaps"], resourceNames: ["web"]}]', request: { resource: 'configmaps', namespace: 'default', name: 'web', verb: 'create' }, matches: false },
  { clause: 'resourceNames: a subresource created on a named object (pods/binding)', rule: 'resources: [{group: "", resources: ["pods/binding"], resourceNames: ["web"]}]', request: { ...pod, verb: 'create', subresource: 'binding' }, matches: true },
  { clause: 'resourceNames: a list selecting metadata.name', rule: 'resources: [{group: "", resources: ["pods"], resourceNames: ["web"]}]', request: { ...pod, verb: 'list' }, matches: true },
  { clause: 'resources: never a non-resource request', rule: 'resources: [{group: "*", resources: ["*"]}]', request: healthz, matches: false },

  // namespaces
  { clause: 'namespaces: listed', rule: 'namespaces: ["default", "kube-system"]', request: pod, matches: true },
  { clause: 'namespaces: not listed', rule: 'namespaces: ["kube-system"]', request: pod, matches: false },
  { clause: 'namespaces: [""] is cluster-scoped resources', rule: 'namespaces: [""]', request: node, matches: true },
  { clause: 'namespaces: [""] is not a namespaced resource', rule: 'namespaces: [""]', request: pod, matches: false },
  { clause: 'namespaces: a cluster-scoped resource is not in a named namespace', rule: 'namespaces: ["default"]', request: clusterRole, matches: false },
  { clause: 'namespaces: never a non-resource request, not even [""]', rule: 'namespaces: [""]', request: healthz, matches: false },
  { clause: 'namespaces and resources both hold', rule: 'namespaces: ["kube-system"], resources: [{group: "", resources: ["pods"]}]', request: pod, matches: false },

  // nonResourceURLs
  { clause: 'nonResourceURLs: exact', rule: 'nonResourceURLs: ["/version"]', request: { path: '/version' }, matches: true },
  { clause: 'nonResourceURLs: exact is not a prefix', rule: 'nonResourceURLs: ["/version"]', request: { path: '/version/extra' }, matches: false },
  { clause: 'nonResourceURLs: exact ignores the query string', rule: 'nonResourceURLs: ["/livez"]', request: { path: '/livez?verbose' }, matches: true },
  { clause: 'nonResourceURLs: trailing * is a prefix', rule: 'nonResourceURLs: ["/api*"]', request: { path: '/apis/apps/v1' }, matches: true },
  { clause: 'nonResourceURLs: trailing * covers the prefix itself', rule: 'nonResourceURLs: ["/healthz*"]', request: { path: '/healthz' }, matches: true },
  { clause: 'nonResourceURLs: the prefix is all of the text before the *', rule: 'nonResourceURLs: ["/healthz*"]', request: { path: '/healthy' }, matches: false },
  { clause: 'nonResourceURLs: a prefix is a plain string prefix', rule: 'nonResourceURLs: ["/logs/*"]', request: { path: '/logs' }, matches: false },
  { clause: 'nonResourceURLs: "*" is every path', rule: 'nonResourceURLs: ["*"]', request: { path: '/metrics' }, matches: true },
  { clause: 'nonResourceURLs: never a resource request, even when the path matches', rule: 'nonResourceURLs: ["/api*"]', request: pod, matches: false },
  { clause: 'nonResourceURLs: "*" is no resource request either', rule: 'nonResourceURLs: ["*"]', request: pod, matches: false },
  { clause: 'nonResourceURLs with verbs and groups', rule: 'userGroups: ["system:authenticated"], verbs: ["get"], nonResourceURLs: ["/version"]', request: { path: '/version' }, matches: true },
];

const levelOf = (rule: string, request: RequestSpec) => {
  const policy = AuditPolicy.parse(policyYaml(`  - {level: Request${rule ? `, ${rule}` : ''}}\n`));
  return policy.levelAndStages(auditEvent(request)).level;
};

describe('AuditPolicy matching, one rule at a time', () => {
  it.each(rows)('$clause', ({ rule, request, matches }) => {
    expect(levelOf(rule, request)).toBe(matches ? 'Request' : 'None');
  });
});

describe('AuditPolicy rule order, default and stages', () => {
  const policy = AuditPolicy.parse(
    policyYaml(
      [
        '  - level: None', //                                       rule 1
        '    users: ["system:kube-proxy"]',
        '    verbs: ["watch"]',
        '  - level: RequestResponse', //                            rule 2
        '    resources: [{group: "", resources: ["pods"]}]',
        '    omitStages: ["ResponseStarted"]',
        '  - level: Metadata', //                                   rule 3
        '    resources: [{group: "", resources: ["pods", "pods/log"]}]',
        '  - level: Request', //                                    rule 4
        '    nonResourceURLs: ["/api*"]',
        '',
      ].join('\n'),
      'omitStages: ["RequestReceived"]\n',
    ),
  );

  it('the first matching rule decides, later rules are not looked at', () => {
    expect(policy.levelAndStages(auditEvent(pod))).toMatchObject({ level: 'RequestResponse', rule: 1 });
    expect(policy.levelAndStages(auditEvent(podLog))).toMatchObject({ level: 'Metadata', rule: 2 });
    expect(policy.levelAndStages(auditEvent({ ...pod, user: 'system:kube-proxy', verb: 'watch' }))).toMatchObject({ level: 'None', rule: 0 });
  });

  it('no rule matching is level None with the policy-wide omitStages', () => {
    expect(policy.levelAndStages(auditEvent(healthz))).toEqual({ level: 'None', omitStages: ['RequestReceived'], rule: undefined, omitManagedFields: false });
  });

  it('omitStages is the union of the policy\'s and the rule\'s', () => {
    expect([...policy.levelAndStages(auditEvent(pod)).omitStages].sort()).toEqual(['RequestReceived', 'ResponseStarted']);
    expect(policy.levelAndStages(auditEvent({ path: '/apis' })).omitStages).toEqual(['RequestReceived']);
  });

  it('apply returns null at None and at an omitted stage, else the event at the level', () => {
    expect(policy.apply(auditEvent(healthz))).toBeNull();
    expect(policy.apply(auditEvent({ ...pod, stage: 'RequestReceived' }))).toBeNull();
    expect(policy.apply(auditEvent({ ...pod, stage: 'ResponseStarted' }))).toBeNull();
    const body = { kind: 'Pod', metadata: { name: 'web' } };
    expect(policy.apply(auditEvent({ ...pod, requestObject: body, responseObject: body }))).toMatchObject({ level: 'RequestResponse', requestObject: body, responseObject: body });
    const meta = policy.apply(auditEvent({ ...podLog, requestObject: body, responseObject: body }))!;
    expect(meta.level).toBe('Metadata');
    expect('requestObject' in meta || 'responseObject' in meta).toBe(false);
    const req = policy.apply(auditEvent({ path: '/api', requestObject: body, responseObject: body }))!;
    expect(req.level).toBe('Request');
    expect(req.requestObject).toEqual(body);
    expect('responseObject' in req).toBe(false);
  });

  it('a rule mixing resources or namespaces with nonResourceURLs is refused, as kube-apiserver refuses it', () => {
    for (const rule of ['resources: [{group: ""}], nonResourceURLs: ["/healthz"]', 'namespaces: [""], nonResourceURLs: ["*"]']) {
      const text = policyYaml(`  - {level: Metadata, ${rule}}\n`);
      expect(() => AuditPolicy.parse(text)).toThrow(AuditPolicyError);
      expect(() => AuditPolicy.parse(text)).toThrow(/line 4.*rules cannot apply to both regular resources and non-resource URLs|4:\d+: rules\[0\]\.nonResourceURLs: rules cannot apply to both/);
    }
  });
});

/** apiserver's checker_test.go requests and rules, with the levels it asserts. */
describe('the cases of kube-apiserver\'s checker_test.go', () => {
  const tim = { user: 'tim@k8s.io', groups: ['humans', 'developers'] };
  const requests: Record<string, RequestSpec> = {
    namespaced: { ...tim, resource: 'pods', namespace: 'default', name: 'busybox' },
    cluster: { ...tim, resource: 'clusterroles', group: 'rbac.authorization.k8s.io', name: 'edit' },
    nonResource: { ...tim, path: '/logs/kubelet.log' },
    subresource: { ...tim, resource: 'pods', namespace: 'default', name: 'busybox', subresource: 'log' },
    Unauthorized: { user: null, resource: 'pods', namespace: 'default', name: 'busybox' },
    ClusterRoleUpdate: { ...tim, verb: 'update', resource: 'clusterroles', group: 'rbac.authorization.k8s.io', subresource: 'status', name: 'somerole' },
  };
  const rules: Record<string, string> = {
    default: '{level: Metadata}',
    create: '{level: Request, verbs: [create]}',
    tims: '{level: Metadata, users: ["tim@k8s.io"]}',
    humans: '{level: Metadata, userGroups: [humans]}',
    serviceAccounts: '{level: Request, userGroups: ["system:serviceaccounts"]}',
    getPods: '{level: RequestResponse, verbs: [get], resources: [{resources: [pods]}]}',
    getPodLogs: '{level: Request, verbs: [get], resources: [{resources: [pods/log]}]}',
    getPodWildcardMatching: '{level: Request, verbs: [get], resources: [{resources: ["*"]}]}',
    getPodResourceWildcardMatching: '{level: Request, verbs: [get], resources: [{resources: ["*/log"]}]}',
    getPodSubResourceWildcardMatching: '{level: Request, verbs: [get], resources: [{resources: ["pods/*"]}]}',
    getClusterRoles: '{level: RequestResponse, verbs: [get], resources: [{group: rbac.authorization.k8s.io, resources: [clusterroles]}], namespaces: [""]}',
    getGroupWildCard: '{level: RequestResponse, verbs: [update], resources: [{group: "*", resources: ["*/status"]}]}',
    getLogs: '{level: RequestResponse, verbs: [get], nonResourceURLs: ["/logs*"]}',
    getMetrics: '{level: Request, verbs: [get], nonResourceURLs: [/metrics]}',
    clusterRoleEdit: '{level: Request, resources: [{group: rbac.authorization.k8s.io, resources: [clusterroles], resourceNames: [edit]}]}',
  };
  const cases: [string, string, string[]][] = [
    ['namespaced', 'Metadata', ['default']],
    ['namespaced', 'None', ['create']],
    ['namespaced', 'Metadata', ['tims']],
    ['namespaced', 'Metadata', ['humans']],
    ['namespaced', 'None', ['serviceAccounts']],
    ['namespaced', 'RequestResponse', ['getPods']],
    ['namespaced', 'None', ['getClusterRoles']],
    ['namespaced', 'None', ['getLogs']],
    ['namespaced', 'Metadata', ['getMetrics', 'serviceAccounts', 'default']],
    ['namespaced', 'RequestResponse', ['getMetrics', 'getPods', 'default']],
    ['namespaced', 'RequestResponse', ['getPodLogs', 'getPods']],
    ['cluster', 'None', ['getPods']],
    ['cluster', 'RequestResponse', ['getClusterRoles']],
    ['cluster', 'Request', ['clusterRoleEdit', 'getClusterRoles']],
    ['cluster', 'RequestResponse', ['getMetrics', 'getClusterRoles', 'default']],
    ['cluster', 'None', ['getPodLogs', 'getPods']],
    ['nonResource', 'Metadata', ['default']],
    ['nonResource', 'None', ['getPods']],
    ['nonResource', 'RequestResponse', ['getLogs']],
    ['nonResource', 'None', ['getMetrics']],
    ['nonResource', 'RequestResponse', ['getLogs', 'getClusterRoles', 'default']],
    ['subresource', 'Request', ['getPodLogs', 'getPods']],
    ['subresource', 'Request', ['getPodWildcardMatching']],
    ['subresource', 'Request', ['getPodResourceWildcardMatching']],
    ['subresource', 'Request', ['getPodSubResourceWildcardMatching']],
    ['Unauthorized', 'None', ['tims']],
    ['Unauthorized', 'Metadata', ['tims', 'default']],
    ['Unauthorized', 'None', ['humans']],
    ['Unauthorized', 'Metadata', ['humans', 'default']],
    ['ClusterRoleUpdate', 'RequestResponse', ['getGroupWildCard']],
  ];
  it.each(cases)('%s is logged at %s under [%s]', (request, level, names) => {
    const policy = AuditPolicy.parse(policyYaml(names.map((n) => `  - ${rules[n]}\n`).join('')));
    expect(policy.levelAndStages(auditEvent(requests[request]!)).level).toBe(level);
  });
});

/**
 * kube-apiserver evaluates the policy before it reads the body (checker.go matches
 * `resourceNames` against RequestInfo.Name, which requestinfo.go parses from the URL), so a POST
 * to a collection is matched with the name `""`; the recorded `objectRef.name` was copied from
 * the body afterwards (audit.LogRequestObject). Events written out by hand, as kube-apiserver
 * records them.
 */
describe('the name resourceNames are matched against is the one in the request path', () => {
  const policy = AuditPolicy.fromFile(new URL('../../examples/k8s-audit/audit-policy.yaml', import.meta.url).pathname);
  const recorded = (verb: string, requestURI: string, objectRef: Record<string, string>, requestObject?: unknown): AuditEvent =>
    ({
      kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Request', auditID: 'b7e3c1d0-0000-4000-8000-000000000001', stage: 'ResponseComplete',
      requestURI, verb, user: { username: 'system:kube-controller-manager', groups: ['system:authenticated'] }, sourceIPs: ['10.0.0.2'],
      objectRef: { apiVersion: 'v1', ...objectRef }, responseStatus: { metadata: {}, code: 201 },
      ...(requestObject !== undefined ? { requestObject } : {}),
      requestReceivedTimestamp: '2024-03-05T10:00:00.000000Z', stageTimestamp: '2024-03-05T10:00:00.004000Z',
    }) as AuditEvent;
  const leaderBody = { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'controller-leader', namespace: 'kube-system' } };

  it('a recorded create of configmap controller-leader falls through the None rule, as it did in the API server', () => {
    const create = recorded('create', '/api/v1/namespaces/kube-system/configmaps', { resource: 'configmaps', namespace: 'kube-system', name: 'controller-leader' }, leaderBody);
    // rule 3 (None, resourceNames: [controller-leader]) sees no name; rule 6 (configmaps in kube-system) logs it at Request
    expect(policy.levelAndStages(create)).toMatchObject({ level: 'Request', rule: 5 });
    expect(policy.apply(create)).toMatchObject({ level: 'Request', requestObject: leaderBody });
    const replay = new PolicyReplay(policy);
    replay.add(create);
    expect(replay.summary().byRule[5]).toMatchObject({ rule: 5, events: 1, kept: 1 });
    expect(replay.summary().byRule[2]).toMatchObject({ rule: 2, events: 0 });
  });

  it('updates, gets and deletes of it name it in the path: the None rule applies', () => {
    for (const verb of ['update', 'get', 'delete', 'patch']) {
      const e = recorded(verb, '/api/v1/namespaces/kube-system/configmaps/controller-leader', { resource: 'configmaps', namespace: 'kube-system', name: 'controller-leader' });
      expect(policy.levelAndStages(e)).toMatchObject({ level: 'None', rule: 2 });
    }
  });

  it('a subresource POSTed to a named object (pods/binding, pods/eviction) has the name in the path', () => {
    const named = AuditPolicy.parse(
      policyYaml('  - {level: None, resources: [{group: "", resources: ["pods/binding", "pods/eviction"], resourceNames: ["api-0"]}]}\n  - {level: Metadata}\n'),
    );
    for (const sub of ['binding', 'eviction']) {
      const e = recorded('create', `/api/v1/namespaces/web/pods/api-0/${sub}`, { resource: 'pods', namespace: 'web', name: 'api-0', subresource: sub });
      expect(named.levelAndStages(e)).toMatchObject({ level: 'None', rule: 0 });
    }
    // the collection form of a binding (POST .../bindings) carries the pod's name in the body only
    const collection = AuditPolicy.parse(policyYaml('  - {level: None, resources: [{group: "", resources: ["bindings"], resourceNames: ["api-0"]}]}\n  - {level: Metadata}\n'));
    expect(collection.levelAndStages(recorded('create', '/api/v1/namespaces/web/bindings', { resource: 'bindings', namespace: 'web', name: 'api-0' }))).toMatchObject({ level: 'Metadata', rule: 1 });
  });

  it('a list or watch keeps the name its field selector gave the API server (no body is involved)', () => {
    const list = recorded('list', '/api/v1/namespaces/kube-system/configmaps?fieldSelector=metadata.name%3Dcontroller-leader', { resource: 'configmaps', namespace: 'kube-system', name: 'controller-leader' });
    expect(policy.levelAndStages(list)).toMatchObject({ level: 'None', rule: 2 });
    const watch = recorded('watch', '/api/v1/namespaces/kube-system/configmaps?watch=true', { resource: 'configmaps', namespace: 'kube-system' });
    expect(policy.levelAndStages(watch)).toMatchObject({ level: 'Request', rule: 5 });
  });
});

describe('the example policy (the seed\'s, corrected) on typical requests', () => {
  const policy = AuditPolicy.fromFile(new URL('../../examples/k8s-audit/audit-policy.yaml', import.meta.url).pathname);
  const cases: [string, RequestSpec, string, number | undefined][] = [
    ['create a pod', { ...pod, verb: 'create' }, 'RequestResponse', 0],
    ['read a pod\'s log', podLog, 'Metadata', 1],
    ['update the controller-leader configmap', { resource: 'configmaps', namespace: 'kube-system', name: 'controller-leader', verb: 'update' }, 'None', 2],
    ['kube-proxy watching services', { user: 'system:kube-proxy', groups: ['system:authenticated'], verb: 'watch', resource: 'services' }, 'None', 3],
    ['kube-proxy listing services', { user: 'system:kube-proxy', groups: ['system:authenticated'], verb: 'list', resource: 'services' }, 'Request', 7],
    ['discovery by an authenticated user', { path: '/apis/apps/v1' }, 'None', 4],
    ['discovery without authentication', { path: '/apis', user: 'system:anonymous', groups: ['system:unauthenticated'] }, 'Metadata', 8],
    ['a configmap in kube-system', { resource: 'configmaps', namespace: 'kube-system', name: 'coredns', verb: 'patch' }, 'Request', 5],
    ['a secret anywhere', { resource: 'secrets', namespace: 'kube-system', name: 'token', verb: 'get' }, 'Metadata', 6],
    ['a service', { resource: 'services', namespace: 'default', name: 'web' }, 'Request', 7],
    ['a deployment (apps group)', deploy, 'Metadata', 8],
    ['the health check', healthz, 'Metadata', 8],
  ];
  it.each(cases)('%s', (_, request, level, rule) => {
    expect(policy.levelAndStages(auditEvent(request))).toMatchObject({ level, rule });
  });
});
