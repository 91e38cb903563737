/**
 * What kube-apiserver reads off a request's URL path before it evaluates the audit policy:
 * a port of the path part of `RequestInfoFactory.NewRequestInfo`
 * (`staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go`).
 *
 * Why it matters: the policy is evaluated before the request body is read, so the name a
 * `resourceNames` rule is matched against is the name in the path. For a POST to a collection
 * (a `create`) there is none: the checker sees `""`. The name in a recorded Event's
 * `objectRef.name` was copied from the body afterwards (`audit.LogRequestObject` fills an empty
 * name from the object's metadata), so it is not what the checker saw.
 *
 * The algorithm, restated: split the path on `/`; a resource request starts with `api/{version}`
 * or `apis/{group}/{version}` and has at least one more part; a `watch` or `proxy` part after the
 * version is a verb, not a resource; `namespaces/{ns}/` is skipped (unless what follows is a
 * namespace subresource, `status` or `finalize`); the remaining parts are
 * `{resource}/{name}/{subresource}/...` (a `proxy` request has no subresource).
 *
 * Example: `/api/v1/namespaces/kube-system/configmaps` is resource `configmaps` with no name;
 * `/api/v1/namespaces/web/pods/api-0/binding` is resource `pods`, name `api-0`, subresource
 * `binding`; `/api/v1/namespaces/other/status` is resource `namespaces`, name `other`,
 * subresource `status`; `/apis/apps/v1` is not a resource request.
 * @internal
 */

/** The parts of a resource request's path. */
export interface ResourcePath {
  readonly apiGroup: string;
  readonly apiVersion: string;
  readonly resource: string;
  readonly subresource: string;
  /** `''` when the path names no object (a collection: list, watch, create, deletecollection). */
  readonly name: string;
  /** `{resource}/{name}/{subresource}/...`, as RequestInfo.Parts. */
  readonly parts: readonly string[];
}

/** Path prefixes of kube-apiserver's API groups; `api` is the legacy core group, with no group part. */
const API_PREFIXES = new Set(['api', 'apis']);
const GROUPLESS_PREFIX = 'api';
/** Verbs given as a path part after the version (deprecated by Kubernetes, still parsed). */
const SPECIAL_VERBS = new Set(['proxy', 'watch']);
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/**
 * The resource parts of a decoded URL path (no query string), or undefined when kube-apiserver
 * would not take it for a resource request (`/healthz`, `/apis/apps/v1`, a bare `watch`).
 *
 * @example
 * ```ts
 * resourcePathOf('/api/v1/namespaces/kube-system/configmaps')?.name; // ''
 * ```
 */
export function resourcePathOf(path: string): ResourcePath | undefined {
  let parts = splitPath(path);
  if (parts.length < 3 || !API_PREFIXES.has(parts[0]!)) return undefined;
  let apiGroup = '';
  if (parts[0] === GROUPLESS_PREFIX) parts = parts.slice(1);
  else {
    if (parts.length < 4) return undefined; // "apis/{group}/{version}" and no more: discovery
    apiGroup = parts[1]!;
    parts = parts.slice(2);
  }
  const apiVersion = parts[0]!;
  parts = parts.slice(1);
  let proxy = false;
  if (SPECIAL_VERBS.has(parts[0]!)) {
    // NewRequestInfo returns an error here, and the request fails before any policy applies.
    if (parts.length < 2) return undefined;
    proxy = parts[0] === 'proxy';
    parts = parts.slice(1);
  }
  if (parts[0] === 'namespaces' && parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2]!)) parts = parts.slice(2);
  return {
    apiGroup,
    apiVersion,
    resource: parts[0] ?? '',
    name: parts[1] ?? '',
    subresource: parts.length >= 3 && !proxy ? parts[2]! : '',
    parts,
  };
}

/** Go's `strings.Split(strings.Trim(path, "/"), "/")`, with `[]` for an empty path. */
function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? [] : trimmed.split('/');
}
