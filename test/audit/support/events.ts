/**
 * Builders of audit Events for the policy tests: a request described in a few words becomes an
 * `audit.k8s.io/v1` Event as kube-apiserver writes it (objectRef only for resource requests,
 * requestURI built from the parts: a create goes to the collection, its name only in objectRef).
 */
import type { AuditEvent, AuditLevel, AuditStage } from '@weir/connectors';

export interface RequestSpec {
  user?: string | null; // null: an Event without a user ("user": {})
  groups?: string[];
  verb?: string;
  /** A resource request when `resource` is set; otherwise a non-resource request to `path`. */
  resource?: string;
  subresource?: string;
  group?: string;
  namespace?: string;
  name?: string;
  path?: string;
  stage?: AuditStage;
  level?: AuditLevel;
  requestObject?: unknown;
  responseObject?: unknown;
}

let n = 0;

/** An Event for the request; the URI is derived from the resource parts (or is `path`). */
export function auditEvent(s: RequestSpec): AuditEvent {
  const user = s.user === null ? {} : { username: s.user ?? 'alice@example.com', groups: s.groups ?? ['system:authenticated'] };
  const base = {
    kind: 'Event' as const,
    apiVersion: 'audit.k8s.io/v1' as const,
    level: s.level ?? 'RequestResponse',
    auditID: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    stage: s.stage ?? 'ResponseComplete',
    verb: s.verb ?? 'get',
    user,
    sourceIPs: ['10.0.0.1'],
    userAgent: 'kubectl/v1.29.2',
    responseStatus: { metadata: {}, code: 200 },
    requestReceivedTimestamp: '2024-03-05T10:00:00.000000Z',
    stageTimestamp: '2024-03-05T10:00:00.010000Z',
    ...(s.requestObject !== undefined ? { requestObject: s.requestObject } : {}),
    ...(s.responseObject !== undefined ? { responseObject: s.responseObject } : {}),
  };
  if (s.resource === undefined) return { ...base, requestURI: s.path ?? '/healthz' } as AuditEvent;
  const prefix = s.group ? `/apis/${s.group}/v1` : '/api/v1';
  // As kube-apiserver records them: a create is a POST to the collection (objectRef.name is
  // copied from the body); a list or watch names its object with a field selector; a
  // subresource (pods/binding, pods/eviction) has the name in the path.
  const postToCollection = s.verb === 'create' && !s.subresource;
  const selectsByName = (s.verb === 'list' || s.verb === 'watch') && s.name !== undefined && !s.subresource;
  const pathName = postToCollection || selectsByName ? '' : (s.name ?? '');
  const query = selectsByName ? `?fieldSelector=${encodeURIComponent(`metadata.name=${s.name}`)}` : '';
  const uri = [prefix, s.namespace ? `namespaces/${s.namespace}` : '', s.resource, pathName, s.subresource ?? ''].filter((x) => x !== '').join('/') + query;
  const objectRef = {
    resource: s.resource,
    ...(s.namespace ? { namespace: s.namespace } : {}),
    ...(s.name ? { name: s.name } : {}),
    ...(s.group ? { apiGroup: s.group } : {}),
    apiVersion: 'v1',
    ...(s.subresource ? { subresource: s.subresource } : {}),
  };
  return { ...base, requestURI: uri, objectRef } as AuditEvent;
}

/** A Policy's YAML text from rule lines (each rule already indented as a list item). */
export function policyYaml(rules: string, head = ''): string {
  return `apiVersion: audit.k8s.io/v1\nkind: Policy\n${head}rules:\n${rules}`;
}
