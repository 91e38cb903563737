/**
 * kube-apiserver's policy checker (`staging/src/k8s.io/apiserver/pkg/audit/policy/checker.go`),
 * over the request attributes an audit Event carries. The checker's rules, restated:
 *
 * - `users`: the user's name is listed; `userGroups`: any of the user's groups is listed; a
 *   request without a user matches neither. `verbs`: the verb is listed. Empty lists match all.
 * - A rule with `namespaces` or `resources` matches resource requests only (`nonResourceURLs` are
 *   then not looked at); `namespaces: [""]` selects cluster-scoped resources.
 * - `resources` entries: the API group equals the entry's `group` (or it is `"*"`); an entry
 *   without `resources` matches the whole group; otherwise, when `resourceNames` is empty or
 *   holds the object's name, a resource entry matches `resource` (or `resource/subresource` for a
 *   subresource: `"pods"` is not `"pods/log"`), `"*"` matches everything, `"*\/log"` the `log`
 *   subresource of any resource, and `"pods/*"` pods and all of their subresources.
 * - `nonResourceURLs` match non-resource requests only: `"*"`, the exact path, or a prefix given
 *   with a trailing `*` (`"/healthz*"` matches `/healthz` and `/healthz/etcd`).
 * - The name `resourceNames` are matched against is the one in the request path, as the
 *   checker sees it before the body is read: `""` for a `create` POSTed to a collection, even
 *   though the recorded `objectRef.name` holds the name from the body (see request-path.ts).
 *
 * Example: the request `GET /api/v1/namespaces/default/pods/web/log` (resource `pods`,
 * subresource `log`) matches `{group: "", resources: ["pods/log"]}`, `["*\/log"]`, `["pods/*"]`
 * and `["*"]`, not `["pods"]`.
 * @internal
 */
import type { AuditEvent } from '../k8s-audit/audit-event.js';
import type { AuditPolicyRule } from './policy-types.js';
import { resourcePathOf } from './request-path.js';

/**
 * What the checker looks at (authorizer.Attributes), read off an audit Event.
 *
 * @example
 * ```ts
 * const healthz: RequestAttributes = { user: { name: 'alice', groups: ['system:authenticated'] }, verb: 'get',
 *   resourceRequest: false, namespace: '', apiGroup: '', resource: '', subresource: '', name: '', path: '/healthz' };
 * ```
 */
export interface RequestAttributes {
  /** Undefined for an Event written without a user (failed authentication). */
  readonly user: { readonly name: string; readonly groups: readonly string[] } | undefined;
  readonly verb: string;
  /** An Event has an `objectRef` exactly when kube-apiserver saw a resource request. */
  readonly resourceRequest: boolean;
  readonly namespace: string;
  readonly apiGroup: string;
  readonly resource: string;
  readonly subresource: string;
  /**
   * The object name as the checker sees it: from the URL path (`''` for a collection, such as a
   * `create` POSTed to one), not the body's name a recorded `objectRef.name` may hold.
   */
  readonly name: string;
  /** The URL path, without the query string (what `req.URL.Path` is). */
  readonly path: string;
}

/** @internal The attributes of the request an Event records. */
export function requestAttributesOf(event: AuditEvent): RequestAttributes {
  const u = event.user;
  const ref = event.objectRef;
  const path = pathOf(event.requestURI);
  return {
    // The Event's user is a struct, never null; "{}" is what a request without a user leaves.
    user: u.username === undefined && u.groups === undefined ? undefined : { name: u.username ?? '', groups: u.groups ?? [] },
    verb: event.verb,
    resourceRequest: ref !== undefined,
    namespace: ref?.namespace ?? '',
    apiGroup: ref?.apiGroup ?? '',
    resource: ref?.resource ?? '',
    subresource: ref?.subresource ?? '',
    name: ref === undefined ? '' : nameSeenByChecker(event.verb, path, ref.name ?? ''),
    path,
  };
}

/**
 * The object name kube-apiserver matched `resourceNames` against: the name in the URL path.
 * The policy is evaluated before the body is read, and `objectRef.name` of a `create` (a POST to
 * a collection) was filled in from the body afterwards, so for a collection request it is not
 * what the checker saw (`""`). The exception is list and watch: their name comes from a
 * `fieldSelector=metadata.name=...` (on API servers that read it), never from a body, and
 * `objectRef.name` is exactly what the checker saw. A path kube-apiserver would not take for a
 * resource request (a custom prefix) leaves `objectRef.name` as the best knowledge.
 */
function nameSeenByChecker(verb: string, path: string, recordedName: string): string {
  const parsed = resourcePathOf(path);
  if (parsed === undefined) return recordedName;
  if (parsed.name !== '') return parsed.name;
  return verb === 'list' || verb === 'watch' ? recordedName : '';
}

function pathOf(uri: string): string {
  const q = uri.indexOf('?');
  const raw = q >= 0 ? uri.slice(0, q) : uri;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw; // a malformed escape: compare the raw path rather than fail the event
  }
}

/** @internal Whether `rule` matches the request (checker.go `ruleMatches`). */
export function ruleMatches(rule: AuditPolicyRule, a: RequestAttributes): boolean {
  if (rule.users.length > 0 && (a.user === undefined || !rule.users.includes(a.user.name))) return false;
  if (rule.userGroups.length > 0) {
    if (a.user === undefined || !a.user.groups.some((g) => rule.userGroups.includes(g))) return false;
  }
  if (rule.verbs.length > 0 && !rule.verbs.includes(a.verb)) return false;
  if (rule.namespaces.length > 0 || rule.resources.length > 0) return resourceMatches(rule, a);
  if (rule.nonResourceURLs.length > 0) return !a.resourceRequest && rule.nonResourceURLs.some((spec) => pathMatches(a.path, spec));
  return true;
}

function resourceMatches(rule: AuditPolicyRule, a: RequestAttributes): boolean {
  if (!a.resourceRequest) return false;
  if (rule.namespaces.length > 0 && !rule.namespaces.includes(a.namespace)) return false;
  if (rule.resources.length === 0) return true;
  const combined = a.subresource !== '' ? `${a.resource}/${a.subresource}` : a.resource;
  for (const gr of rule.resources) {
    if (gr.group !== a.apiGroup && gr.group !== '*') continue;
    if (gr.resources.length === 0) return true;
    if (gr.resourceNames.length > 0 && !gr.resourceNames.includes(a.name)) continue;
    for (const res of gr.resources) {
      if (res === combined || res === '*') return true;
      if (a.subresource !== '' && res.startsWith('*/') && res.slice(2) === a.subresource) return true;
      // "pods/*" names the resource itself too, as in the checker (it compares the resource only).
      if (res.endsWith('/*') && res.slice(0, -2) === a.resource) return true;
    }
  }
  return false;
}

/** @internal checker.go `pathMatches`: `"*"`, exact, or a prefix before trailing `*`s. */
export function pathMatches(path: string, spec: string): boolean {
  if (spec === '*' || spec === path) return true;
  if (!spec.endsWith('*')) return false;
  return path.startsWith(spec.replace(/\*+$/, ''));
}
