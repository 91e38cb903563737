/**
 * @weir/connectors: sources and sinks that touch the outside world — sockets, log forwarders,
 * Kubernetes audit logs, an embedded on-disk stream store and Redis Streams.
 *
 * @example
 * ```ts
 * import { StreamEnvironment } from '@weir/core';
 * import { LineServerSource } from '@weir/connectors';
 * const env = StreamEnvironment.create();
 * env.fromSource(new LineServerSource(5170)).map((r) => r.line).print();
 * await env.execute('forwarded logs');
 * ```
 * @packageDocumentation
 */

// Sockets: a server for log forwarders (the TCP client, SocketTextSource, is @weir/core's)
export { LineServerSource } from './line-server/line-server-source.js';
export type { ForwardedLine, LineServerSourceOptions, LineServerStats } from './line-server/line-server-types.js';

// Files: replayable line source (byte offsets, follow across rotation), transactional line sink
export { FileSource, type FileSourceOptions } from './file/file-source.js';
export type { FilePosition } from './file/file-lines-reader.js';
export { FileSink, type FileSinkOptions } from './file/file-sink.js';
export type { FileCommittable } from './file/part-files.js';

// Kubernetes audit logs
export { K8sAuditSource, type K8sAuditSourceOptions } from './k8s-audit/k8s-audit-source.js';
export { parseK8sAuditEvents, auditEventTimestamp } from './k8s-audit/parse-k8s-audit-events.js';
export { parseAuditLine, auditEventMicros, type ParsedAuditEvent, type RejectedAuditLine } from './k8s-audit/audit-parser.js';
export { parseMicroTime, type MicroInstant } from './k8s-audit/micro-time.js';
export {
  AuditEventSchema,
  UserInfoSchema,
  ObjectReferenceSchema,
  ResponseStatusSchema,
  AuditLevelSchema,
  AuditStageSchema,
  type AuditEvent,
  type AuditUserInfo,
  type AuditObjectReference,
  type AuditStage,
  type AuditLevel,
} from './k8s-audit/audit-event.js';

// Kubernetes audit policies (kube-apiserver's rule matching) and policy replay
export { AuditPolicy } from './audit-policy/audit-policy.js';
export { AuditPolicyError, type PolicyIssue } from './audit-policy/policy-error.js';
export type { AuditPolicyParseOptions } from './audit-policy/policy-parser.js';
export type { RequestAttributes } from './audit-policy/rule-matcher.js';
export type { AuditPolicyRule, AuditPolicySpec, LevelAndStages, PolicyGroupResources } from './audit-policy/policy-types.js';
export {
  PolicyReplay,
  policyReplayAggregate,
  replayInto,
  emptyReplayTally,
  mergeReplayTallies,
  summarizeReplay,
  type PolicyReplaySummary,
  type ReplayCounts,
  type RuleReplayCounts,
  type ReplayTally,
} from './audit-policy/policy-replay.js';

// Embedded stream store (on disk, no server)
export { StreamManager } from './stream-store/stream-manager.js';
export { EventStreamWriter } from './stream-store/event-stream-writer.js';
export { ReaderGroup, type EventRead, type StreamPositions } from './stream-store/reader-group.js';
export type { SegmentPosition } from './stream-store/segment-cursor.js';
export type { ScalingPolicy, StreamConfig } from './stream-store/stream-config.js';
export { jsonSerializer, type Serializer } from './stream-store/serializer.js';
export { StreamStoreSource, type StreamStoreSourceOptions } from './stream-store/stream-store-source.js';
export { StreamStoreSink, type StreamStoreSinkOptions, type StreamStoreCommittable } from './stream-store/stream-store-sink.js';
export { StreamStoreCorruptError } from './stream-store/stream-store-corrupt-error.js';

// Redis Streams (consumer groups, partitions with leases, exactly-once sink)
export { RedisStreamSource } from './redis/redis-stream-source.js';
export type { RedisStreamSourceOptions, PartitionOwnership } from './redis/redis-stream-source-options.js';
export { RedisStreamSink, type RedisStreamSinkOptions, type RedisCommittable } from './redis/redis-stream-sink.js';
export { partitionKey, partitionOf, type RedisConnection } from './redis/redis-client.js';
export { redisScaleOut, type RedisScaleOutOptions } from './redis/redis-scale-out.js';
export { RedisCoordinator, type RedisCoordinatorOptions } from './redis/redis-coordinator.js';
export { RedisRepartitionTransport, type RedisRepartitionOptions } from './redis/redis-repartition.js';
