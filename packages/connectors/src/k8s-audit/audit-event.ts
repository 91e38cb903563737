/**
 * The `audit.k8s.io/v1` `Event` that kube-apiserver writes with `--audit-log-format=json`, as a
 * zod 4 schema and the TypeScript type inferred from it. Field names are the Event's own
 * (`auditID`, `verb`, `user.username`, `objectRef.resource`, `stageTimestamp`...). Fields the API
 * adds later are tolerated and kept (loose objects), so a newer apiserver does not break parsing.
 * Reference: https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/
 */
import { z } from 'zod';

const microTime = z.string().min(1);

/**
 * `authentication.k8s.io/v1` UserInfo.
 *
 * @example
 * ```ts
 * UserInfoSchema.parse({ username: 'alice', groups: ['dev'] });
 * ```
 */
export const UserInfoSchema = z.looseObject({
  username: z.string().optional(),
  uid: z.string().optional(),
  groups: z.array(z.string()).optional(),
  extra: z.record(z.string(), z.array(z.string())).optional(),
});

/**
 * `audit.k8s.io/v1` ObjectReference.
 *
 * @example
 * ```ts
 * ObjectReferenceSchema.parse({ resource: 'secrets', namespace: 'default', name: 'db' });
 * ```
 */
export const ObjectReferenceSchema = z.looseObject({
  resource: z.string().optional(),
  namespace: z.string().optional(),
  name: z.string().optional(),
  uid: z.string().optional(),
  apiGroup: z.string().optional(),
  apiVersion: z.string().optional(),
  resourceVersion: z.string().optional(),
  subresource: z.string().optional(),
});

/**
 * The subset of `meta/v1` Status an audit event carries as `responseStatus`.
 *
 * @example
 * ```ts
 * ResponseStatusSchema.parse({ code: 403, reason: 'Forbidden' });
 * ```
 */
export const ResponseStatusSchema = z.looseObject({
  status: z.string().optional(),
  message: z.string().optional(),
  reason: z.string().optional(),
  code: z.number().int().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  details: z.unknown().optional(),
});

/**
 * Audit levels, least to most detailed.
 *
 * @example
 * ```ts
 * AuditLevelSchema.parse('Metadata');
 * ```
 */
export const AuditLevelSchema = z.enum(['None', 'Metadata', 'Request', 'RequestResponse']);
/**
 * Stages of a request at which events are written.
 *
 * @example
 * ```ts
 * AuditStageSchema.parse('ResponseComplete');
 * ```
 */
export const AuditStageSchema = z.enum(['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic']);

/**
 * Schema of one audit Event line.
 *
 * @example
 * ```ts
 * const r = AuditEventSchema.safeParse(JSON.parse(line));
 * if (r.success) console.log(r.data.user.username, r.data.verb, r.data.objectRef?.resource);
 * ```
 */
export const AuditEventSchema = z.looseObject({
  kind: z.literal('Event'),
  apiVersion: z.literal('audit.k8s.io/v1'),
  level: AuditLevelSchema,
  auditID: z.string().min(1),
  stage: AuditStageSchema,
  requestURI: z.string(),
  verb: z.string().min(1),
  user: UserInfoSchema,
  impersonatedUser: UserInfoSchema.optional(),
  sourceIPs: z.array(z.string()).optional(),
  userAgent: z.string().optional(),
  objectRef: ObjectReferenceSchema.optional(),
  responseStatus: ResponseStatusSchema.optional(),
  requestObject: z.unknown().optional(),
  responseObject: z.unknown().optional(),
  requestReceivedTimestamp: microTime,
  stageTimestamp: microTime,
  annotations: z.record(z.string(), z.string()).optional(),
});

/** A parsed `audit.k8s.io/v1` Event. @example `const user = event.user.username;` */
export type AuditEvent = z.infer<typeof AuditEventSchema>;
/** The Event's `user`. @example `event.user.groups?.includes('system:masters')` */
export type AuditUserInfo = z.infer<typeof UserInfoSchema>;
/** The Event's `objectRef`. @example `event.objectRef?.resource === 'secrets'` */
export type AuditObjectReference = z.infer<typeof ObjectReferenceSchema>;
/** One of `RequestReceived`, `ResponseStarted`, `ResponseComplete`, `Panic`. @example `if (e.stage === 'ResponseComplete') ...` */
export type AuditStage = z.infer<typeof AuditStageSchema>;
/** One of `None`, `Metadata`, `Request`, `RequestResponse`. @example `const l: AuditLevel = 'Metadata';` */
export type AuditLevel = z.infer<typeof AuditLevelSchema>;
