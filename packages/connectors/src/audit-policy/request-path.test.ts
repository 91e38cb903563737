/**
 * resourcePathOf against kube-apiserver's own expectations: the rows of `TestGetAPIRequestInfo`
 * and `TestGetNonAPIRequestInfo` in
 * `staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo_test.go`, with the values that
 * test asserts for API group, version, resource, subresource, name and parts (the verb needs the
 * HTTP method and the namespace is not read from the path here, so those columns are left out).
 */
import { describe, expect, it } from 'vitest';
import { resourcePathOf } from './request-path.js';

// [url, group, version, resource, subresource, name, parts]
type Row = [string, string, string, string, string, string, string[]];

const successCases: Row[] = [
  // resource paths
  ['/api/v1/namespaces', '', 'v1', 'namespaces', '', '', ['namespaces']],
  ['/api/v1/namespaces/other', '', 'v1', 'namespaces', '', 'other', ['namespaces', 'other']],
  ['/api/v1/namespaces/other/pods', '', 'v1', 'pods', '', '', ['pods']],
  ['/api/v1/namespaces/other/pods/foo', '', 'v1', 'pods', '', 'foo', ['pods', 'foo']],
  ['/api/v1/pods', '', 'v1', 'pods', '', '', ['pods']],
  ['/api/v1/namespaces/new-namespace', '', 'v1', 'namespaces', '', 'new-namespace', ['namespaces', 'new-namespace']],
  // special verbs
  ['/api/v1/proxy/namespaces/other/pods/foo', '', 'v1', 'pods', '', 'foo', ['pods', 'foo']],
  ['/api/v1/proxy/namespaces/other/pods/foo/subpath/not/a/subresource', '', 'v1', 'pods', '', 'foo', ['pods', 'foo', 'subpath', 'not', 'a', 'subresource']],
  ['/api/v1/watch/pods', '', 'v1', 'pods', '', '', ['pods']],
  ['/api/v1/watch/namespaces/other/pods', '', 'v1', 'pods', '', '', ['pods']],
  // subresource identification
  ['/api/v1/namespaces/other/pods/foo/status', '', 'v1', 'pods', 'status', 'foo', ['pods', 'foo', 'status']],
  ['/api/v1/namespaces/other/pods/foo/proxy/subpath', '', 'v1', 'pods', 'proxy', 'foo', ['pods', 'foo', 'proxy', 'subpath']],
  ['/api/v1/namespaces/other/finalize', '', 'v1', 'namespaces', 'finalize', 'other', ['namespaces', 'other', 'finalize']],
  ['/api/v1/namespaces/other/status', '', 'v1', 'namespaces', 'status', 'other', ['namespaces', 'other', 'status']],
  // collections (deletecollection, create)
  ['/api/v1/nodes', '', 'v1', 'nodes', '', '', ['nodes']],
  ['/apis/extensions/v1/namespaces/other/pods', 'extensions', 'v1', 'pods', '', '', ['pods']],
  ['/apis/extensions/v1beta3/namespaces/other/pods', 'extensions', 'v1beta3', 'pods', '', '', ['pods']],
];

describe('resourcePathOf, the cases of requestinfo_test.go', () => {
  it.each(successCases)('%s', (url, apiGroup, apiVersion, resource, subresource, name, parts) => {
    expect(resourcePathOf(url)).toEqual({ apiGroup, apiVersion, resource, subresource, name, parts });
  });

  it.each([
    ['no resource path', '/'],
    ['just apiversion', '/api/version/'],
    ['just prefix, group, version', '/apis/group/version/'],
    ['bad prefix', '/badprefix/version/resource'],
    ['missing api group', '/apis/version/resource'],
    ['bad root', '/not-api/version/resource'],
    ['group without enough steps', '/apis/extensions/v1beta1'],
    ['not enough steps', '/api/version'],
    ['one step', '/api'],
    ['empty', ''],
  ])('%s (%s) is not a resource request', (_, url) => {
    expect(resourcePathOf(url)).toBeUndefined();
  });

  it.each([
    ['simple groupless', '/api/version/resource', 'resource', ''],
    ['simple group', '/apis/group/version/resource/name/subresource', 'resource', 'name'],
    ['more steps', '/api/version/resource/name/subresource', 'resource', 'name'],
    ['group list', '/apis/batch/v1/job', 'job', ''],
    ['group get', '/apis/batch/v1/job/foo', 'job', 'foo'],
    ['group subresource', '/apis/batch/v1/job/foo/scale', 'job', 'foo'],
  ])('%s (%s) is a resource request', (_, url, resource, name) => {
    expect(resourcePathOf(url)).toMatchObject({ resource, name });
  });

  it('names the object of a subresource POSTed to it (binding, eviction, token): the name is in the path', () => {
    expect(resourcePathOf('/api/v1/namespaces/web/pods/api-0/binding')).toMatchObject({ resource: 'pods', subresource: 'binding', name: 'api-0' });
    expect(resourcePathOf('/api/v1/namespaces/web/pods/api-0/eviction')).toMatchObject({ resource: 'pods', subresource: 'eviction', name: 'api-0' });
    expect(resourcePathOf('/api/v1/namespaces/web/serviceaccounts/builder/token')).toMatchObject({ resource: 'serviceaccounts', subresource: 'token', name: 'builder' });
  });

  it('a bare special verb is not a request kube-apiserver audits (it fails to parse)', () => {
    expect(resourcePathOf('/api/v1/watch')).toBeUndefined();
  });
});
