/**
 * Who talks to a realistic cluster's API server and what they ask for: control-plane components
 * and node agents (system users), in-cluster service accounts, people with kubectl, and
 * unauthenticated probes. Weights are requests per unit of traffic; response codes are weighted
 * per request kind (a contractor poking at secrets mostly gets 403, a get of a random name 404).
 */

/** A response code and its weight. */
export interface Code {
  readonly code: number;
  readonly weight: number;
}

/**
 * One kind of request an actor makes.
 *
 * @example
 * ```ts
 * const t: RequestTemplate = { weight: 5, verb: 'get', resource: 'secrets', namespaces: ['payments'], names: ['db'], codes: ok };
 * ```
 */
export interface RequestTemplate {
  readonly weight: number;
  readonly verb: string;
  /** Resource requests: resource, API group ('' core), subresource; else `path` (non-resource). */
  readonly resource?: string;
  readonly group?: string;
  readonly version?: string;
  readonly subresource?: string;
  /** Namespaces to pick from; absent: cluster-scoped. */
  readonly namespaces?: readonly string[];
  /** Object names to pick from; absent: a collection request (list, watch, create). */
  readonly names?: readonly string[];
  readonly path?: string;
  readonly codes: readonly Code[];
}

/**
 * A client of the API server.
 *
 * @example
 * ```ts
 * const a = ACTORS.find((x) => x.username === 'alice@example.com');
 * ```
 */
export interface Actor {
  readonly weight: number;
  readonly username: string;
  readonly groups: readonly string[];
  readonly sourceIP: string;
  readonly userAgent: string;
  readonly requests: readonly RequestTemplate[];
}

const ok: Code[] = [{ code: 200, weight: 97 }, { code: 500, weight: 1 }, { code: 503, weight: 1 }, { code: 429, weight: 1 }];
const created: Code[] = [{ code: 201, weight: 90 }, { code: 409, weight: 5 }, { code: 422, weight: 4 }, { code: 500, weight: 1 }];
const updated: Code[] = [{ code: 200, weight: 92 }, { code: 409, weight: 6 }, { code: 500, weight: 2 }];
const maybeMissing: Code[] = [{ code: 200, weight: 80 }, { code: 404, weight: 18 }, { code: 500, weight: 2 }];
const forbidden: Code[] = [{ code: 403, weight: 85 }, { code: 200, weight: 15 }];
const anonymousDenied: Code[] = [{ code: 403, weight: 100 }];

const APPS = ['default', 'payments', 'web', 'monitoring'];
const ALL_NS = [...APPS, 'kube-system'];
const PODS = ['api-7f9c6d-x2k4p', 'web-5d8f7-q9hzt', 'worker-6c4b9-mm2lz', 'db-0', 'prometheus-0'];
const SECRETS = ['db-credentials', 'tls-web', 'registry-pull', 'api-token'];
const CMS = ['app-config', 'feature-flags', 'coredns', 'kube-proxy'];
const DEPLOYS = ['api', 'web', 'worker'];
const kubectl = (os: string) => `kubectl/v1.29.2 (${os}) kubernetes/4b8e819`;
const system = (name: string) => `${name}/v1.29.2 (linux/amd64) kubernetes/4b8e819`;
const sa = (ns: string, name: string) => ({ username: `system:serviceaccount:${ns}:${name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] });

/** The cluster's clients. */
export const ACTORS: readonly Actor[] = [
  {
    weight: 18, username: 'system:kube-controller-manager', groups: ['system:authenticated'], sourceIP: '172.18.0.2', userAgent: system('kube-controller-manager'),
    requests: [
      { weight: 6, verb: 'update', resource: 'leases', group: 'coordination.k8s.io', namespaces: ['kube-system'], names: ['kube-controller-manager'], codes: updated },
      { weight: 4, verb: 'update', resource: 'configmaps', namespaces: ['kube-system'], names: ['controller-leader'], codes: updated },
      { weight: 5, verb: 'list', resource: 'pods', namespaces: APPS, codes: ok },
      { weight: 3, verb: 'update', resource: 'deployments', group: 'apps', subresource: 'status', namespaces: APPS, names: DEPLOYS, codes: updated },
      { weight: 2, verb: 'get', resource: 'serviceaccounts', namespaces: ALL_NS, names: ['default'], codes: ok },
    ],
  },
  {
    weight: 10, ...sa('kube-system', 'replicaset-controller'), sourceIP: '172.18.0.2', userAgent: `${system('kube-controller-manager')}/system:serviceaccount:kube-system:replicaset-controller`,
    requests: [
      { weight: 4, verb: 'create', resource: 'pods', namespaces: APPS, codes: created },
      { weight: 2, verb: 'delete', resource: 'pods', namespaces: APPS, names: PODS, codes: maybeMissing },
      { weight: 3, verb: 'update', resource: 'replicasets', group: 'apps', subresource: 'status', namespaces: APPS, names: DEPLOYS, codes: updated },
    ],
  },
  {
    weight: 8, username: 'system:kube-scheduler', groups: ['system:authenticated'], sourceIP: '172.18.0.2', userAgent: system('kube-scheduler'),
    requests: [
      { weight: 5, verb: 'create', resource: 'pods', subresource: 'binding', namespaces: APPS, names: PODS, codes: created },
      { weight: 3, verb: 'update', resource: 'leases', group: 'coordination.k8s.io', namespaces: ['kube-system'], names: ['kube-scheduler'], codes: updated },
    ],
  },
  {
    weight: 6, username: 'system:kube-proxy', groups: ['system:authenticated'], sourceIP: '172.18.0.3', userAgent: system('kube-proxy'),
    requests: [
      { weight: 3, verb: 'watch', resource: 'endpoints', codes: ok },
      { weight: 3, verb: 'watch', resource: 'services', codes: ok },
      { weight: 1, verb: 'list', resource: 'services', codes: ok },
    ],
  },
  ...['worker-1', 'worker-2', 'worker-3'].map((node, i): Actor => ({
    weight: 7, username: `system:node:${node}`, groups: ['system:nodes', 'system:authenticated'], sourceIP: `172.18.0.${10 + i}`, userAgent: system('kubelet'),
    requests: [
      { weight: 5, verb: 'update', resource: 'leases', group: 'coordination.k8s.io', namespaces: ['kube-node-lease'], names: [node], codes: updated },
      { weight: 3, verb: 'patch', resource: 'nodes', subresource: 'status', names: [node], codes: updated },
      { weight: 3, verb: 'patch', resource: 'pods', subresource: 'status', namespaces: APPS, names: PODS, codes: updated },
      { weight: 1, verb: 'get', resource: 'secrets', namespaces: APPS, names: SECRETS, codes: maybeMissing },
      { weight: 1, verb: 'watch', resource: 'configmaps', namespaces: APPS, codes: ok },
    ],
  })),
  {
    weight: 5, ...sa('monitoring', 'prometheus'), sourceIP: '10.244.1.17', userAgent: 'prometheus/2.50.1',
    requests: [
      { weight: 4, verb: 'list', resource: 'pods', codes: ok },
      { weight: 3, verb: 'get', path: '/metrics', codes: ok },
      { weight: 1, verb: 'watch', resource: 'endpoints', namespaces: APPS, codes: ok },
    ],
  },
  {
    weight: 4, ...sa('payments', 'api'), sourceIP: '10.244.2.31', userAgent: 'payments-api/1.4.0',
    requests: [
      { weight: 3, verb: 'get', resource: 'secrets', namespaces: ['payments'], names: ['db-credentials', 'api-token'], codes: ok },
      { weight: 2, verb: 'get', resource: 'configmaps', namespaces: ['payments'], names: ['app-config', 'feature-flags'], codes: ok },
    ],
  },
  {
    weight: 4, username: 'alice@example.com', groups: ['developers', 'system:authenticated'], sourceIP: '10.0.12.7', userAgent: kubectl('linux/amd64'),
    requests: [
      { weight: 5, verb: 'get', resource: 'pods', namespaces: ['web', 'default'], names: PODS, codes: maybeMissing },
      { weight: 4, verb: 'list', resource: 'pods', namespaces: ['web', 'default'], codes: ok },
      { weight: 3, verb: 'get', resource: 'pods', subresource: 'log', namespaces: ['web'], names: PODS, codes: maybeMissing },
      { weight: 2, verb: 'patch', resource: 'deployments', group: 'apps', namespaces: ['web'], names: DEPLOYS, codes: updated },
      { weight: 1, verb: 'get', resource: 'secrets', namespaces: ['web'], names: SECRETS, codes: maybeMissing },
      { weight: 1, verb: 'get', path: '/version', codes: ok },
      { weight: 1, verb: 'get', path: '/apis', codes: ok },
    ],
  },
  {
    weight: 3, username: 'bob@example.com', groups: ['sre', 'system:authenticated'], sourceIP: '10.0.14.21', userAgent: kubectl('darwin/arm64'),
    requests: [
      { weight: 3, verb: 'list', resource: 'nodes', codes: ok },
      { weight: 3, verb: 'get', resource: 'configmaps', namespaces: ALL_NS, names: CMS, codes: maybeMissing },
      { weight: 2, verb: 'update', resource: 'configmaps', namespaces: ['kube-system'], names: ['coredns'], codes: updated },
      { weight: 2, verb: 'list', resource: 'secrets', namespaces: ALL_NS, codes: ok },
      { weight: 2, verb: 'create', resource: 'pods', subresource: 'exec', namespaces: APPS, names: PODS, codes: maybeMissing },
      { weight: 1, verb: 'delete', resource: 'pods', namespaces: APPS, names: PODS, codes: maybeMissing },
      { weight: 1, verb: 'get', resource: 'deployments', group: 'apps', subresource: 'scale', namespaces: APPS, names: DEPLOYS, codes: ok },
    ],
  },
  {
    weight: 1, username: 'mallory@contractor.example', groups: ['contractors', 'system:authenticated'], sourceIP: '203.0.113.50', userAgent: kubectl('windows/amd64'),
    requests: [
      { weight: 4, verb: 'get', resource: 'secrets', namespaces: ALL_NS, names: SECRETS, codes: forbidden },
      { weight: 2, verb: 'list', resource: 'secrets', namespaces: ALL_NS, codes: forbidden },
      { weight: 1, verb: 'create', resource: 'clusterrolebindings', group: 'rbac.authorization.k8s.io', codes: forbidden },
    ],
  },
  {
    weight: 3, username: 'system:anonymous', groups: ['system:unauthenticated'], sourceIP: '198.51.100.7', userAgent: 'curl/8.5.0',
    requests: [
      { weight: 3, verb: 'get', path: '/healthz', codes: ok },
      { weight: 2, verb: 'get', path: '/readyz', codes: ok },
      { weight: 2, verb: 'list', resource: 'secrets', namespaces: ['kube-system'], codes: anonymousDenied },
      { weight: 1, verb: 'get', path: '/version', codes: ok },
    ],
  },
];
