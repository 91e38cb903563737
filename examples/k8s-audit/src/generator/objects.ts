/**
 * Request and response bodies as kube-apiserver records them at level RequestResponse: the
 * object for writes and reads (with `metadata.managedFields`, which real objects carry and which
 * `omitManagedFields` removes), a List for `list`, a Status for errors and deletes. Secrets carry
 * base64 data, which is why policies log them at Metadata.
 */
import type { Random } from './random.js';

const KINDS: Record<string, string> = {
  pods: 'Pod', secrets: 'Secret', configmaps: 'ConfigMap', deployments: 'Deployment', replicasets: 'ReplicaSet',
  leases: 'Lease', nodes: 'Node', services: 'Service', endpoints: 'Endpoints', serviceaccounts: 'ServiceAccount',
  clusterrolebindings: 'ClusterRoleBinding',
};

/** What a body is about. */
export interface ObjectTarget {
  readonly resource: string;
  readonly apiVersion: string;
  readonly namespace: string | undefined;
  readonly name: string;
}

function metadata(t: ObjectTarget, r: Random, time: string): Record<string, unknown> {
  return {
    name: t.name,
    ...(t.namespace ? { namespace: t.namespace } : {}),
    uid: r.uuid(),
    resourceVersion: String(r.int(100_000, 9_999_999)),
    creationTimestamp: time.replace(/\.\d+Z$/, 'Z'),
    labels: { app: t.name.split('-')[0]! },
    managedFields: [{ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: t.apiVersion, time: time.replace(/\.\d+Z$/, 'Z'), fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': {} } }],
  };
}

function spec(t: ObjectTarget, r: Random, time: string): Record<string, unknown> {
  switch (t.resource) {
    case 'pods':
      return { spec: { containers: [{ name: 'app', image: `registry.example.com/${t.name.split('-')[0]}:1.${r.int(0, 9)}.${r.int(0, 20)}`, ports: [{ containerPort: 8080, protocol: 'TCP' }], resources: { limits: { cpu: '500m', memory: '256Mi' } } }], nodeName: `worker-${r.int(1, 3)}`, serviceAccountName: 'default' }, status: { phase: 'Running', podIP: `10.244.${r.int(0, 3)}.${r.int(2, 250)}` } };
    case 'secrets':
      return { type: 'Opaque', data: { username: Buffer.from('app').toString('base64'), password: Buffer.from(r.uuid()).toString('base64') } };
    case 'configmaps':
      return { data: { 'config.yaml': `replicas: ${r.int(1, 5)}\nlogLevel: info\nfeatureX: ${r.chance(0.5)}\n` } };
    case 'deployments':
    case 'replicasets':
      return { spec: { replicas: r.int(1, 5), selector: { matchLabels: { app: t.name } } }, status: { replicas: r.int(1, 5), readyReplicas: r.int(0, 5) } };
    case 'leases':
      return { spec: { holderIdentity: `${t.name}_${r.uuid()}`, leaseDurationSeconds: 40, renewTime: time } };
    default:
      return { spec: {} };
  }
}

/** The object itself. */
export function objectBody(t: ObjectTarget, r: Random, time: string): Record<string, unknown> {
  return { kind: KINDS[t.resource] ?? 'Unknown', apiVersion: t.apiVersion, metadata: metadata(t, r, time), ...spec(t, r, time) };
}

/** A List of a few objects (a `list` response). */
export function listBody(t: ObjectTarget, r: Random, time: string, names: readonly string[]): Record<string, unknown> {
  const n = r.int(1, 3);
  const items = Array.from({ length: n }, (_, i) => objectBody({ ...t, name: names[i % names.length] ?? `${t.resource}-${i}` }, r, time));
  return { kind: `${KINDS[t.resource] ?? 'Unknown'}List`, apiVersion: t.apiVersion, metadata: { resourceVersion: String(r.int(100_000, 9_999_999)) }, items };
}

/** A merge patch (the request body of `patch`). */
export function patchBody(t: ObjectTarget, r: Random): Record<string, unknown> {
  return t.resource === 'nodes' || t.resource === 'pods'
    ? { status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: new Date(0).toISOString() }] } }
    : { spec: { replicas: r.int(1, 6) } };
}

const REASONS: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable' };

/** A `meta/v1` Status (error responses, and the response of a delete). */
export function statusBody(code: number, t: ObjectTarget | undefined, verb: string): Record<string, unknown> {
  if (code < 400) return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: t?.name, kind: t?.resource } };
  const what = t ? `${t.resource} "${t.name}"` : 'the request';
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${verb} ${what}: ${REASONS[code] ?? 'Error'}`, reason: REASONS[code] ?? 'InternalError', code };
}
