/**
 * @weir/core: the DataStream API, the job graph, the runtime, state, checkpoints and time.
 *
 * @example
 * ```ts
 * import { StreamEnvironment } from '@weir/core';
 * const env = StreamEnvironment.create();
 * const out = env.fromElements(1, 2, 3).map((x) => x * 2).collect();
 * await env.execute();
 * ```
 * @packageDocumentation
 */

// API
export { StreamEnvironment, type StreamEnvironmentOptions } from './api/stream-environment.js';
export { DataStream, DataStreamSink, IterativeStream, type AnyStream } from './api/data-stream.js';
export { KeyedStream } from './api/keyed-stream.js';
export { WindowedStream } from './api/windowed-stream.js';
export { AllWindowedStream } from './api/all-windowed-stream.js';
export { GroupedAllWindowedStream } from './api/grouped-all-windowed-stream.js';
export { ConnectedStreams, type CoReduceFunction } from './api/connected-streams.js';
export { JoinedStreams, JoinWindow } from './api/joined-streams.js';
export { CrossedStreams } from './api/crossed-streams.js';
export { AsyncDataStream, type AsyncOptions } from './api/async-data-stream.js';
export { IntervalJoin, IntervalJoined } from './api/interval-join.js';
export { CoGroupedStreams, CoGroupWhere, CoGroupWindow } from './api/co-grouped-streams.js';
export { BroadcastStream, BroadcastConnectedStream, KeyedBroadcastConnectedStream } from './api/broadcast-stream.js';
export type {
  BroadcastProcessFunction,
  KeyedBroadcastProcessFunction,
  BroadcastState,
  ReadOnlyBroadcastState,
  BroadcastContext,
  BroadcastReadOnlyContext,
  KeyedBroadcastContext,
  KeyedBroadcastReadOnlyContext,
  KeyedBroadcastOnTimerContext,
  BroadcastProcessNodeSpec,
} from './contract/broadcast-functions.js';
export type { ProcessJoinFunction, ProcessJoinContext, CoGroupFunction, IntervalJoinNodeSpec } from './contract/join-functions.js';
export {
  AsyncRetryStrategies,
  type AsyncFunction,
  type AsyncRetryStrategy,
  type AsyncFailure,
  type RetryPredicates,
  type AsyncWaitNodeSpec,
} from './contract/async-function.js';
export { OutputTag, DEAD_LETTERS, type DeadLetter } from './contract/output-tag.js';
export type { NumericField, KeySelector, KeyOf } from './api/field-types.js';
export type { ExecuteOptions } from './api/execute-options.js';
export type { ExecutionOptions, JobResult } from './runtime/execute-job.js';
export type { JobObserver, ObservedJob, ObserverHandle } from './runtime/job-observer.js';
export type {
  MetricsSnapshot,
  OperatorMetrics,
  SourceMetrics,
  CheckpointMetrics,
  CheckpointRecord,
  EdgeMetrics,
  ExceptionInfo,
} from './runtime/metrics.js';

// Errors
export {
  WeirError,
  ConfigError,
  UserFunctionError,
  CheckpointCorruptError,
  CheckpointError,
  CommittedOutputWouldRepeatError,
  ForeignCheckpointError,
  CheckpointDirectoryLockedError,
  SourceError,
  SerializationError,
  JobCancelledError,
  AsyncFunctionError,
  AsyncTimeoutError,
  type RecordPosition,
} from './errors.js';

// Functions
export type { ReduceFunction, AggregateFunction, Collector } from './functions/functions.js';
export type {
  ProcessFunction,
  KeyedProcessFunction,
  CoProcessFunction,
  ProcessContext,
  KeyedProcessContext,
  OnTimerContext,
  TimerService,
  KeyedRuntimeContext,
} from './contract/process-functions.js';
export type { FlatMapFunction } from './functions/functions.js';

// Time
export { Time, TimeUnit, type Duration, type TimeUnitName } from './time/time.js';
export { ManualClock, systemClock, type Clock, type ObservableClock } from './time/clock.js';
export {
  WatermarkStrategy,
  BoundedOutOfOrdernessWatermarks,
  WatermarksWithIdleness,
  type WatermarkGenerator,
  type WatermarkOutput,
  type TimestampAssigner,
  type WatermarkGeneratorContext,
} from './time/watermark-strategy.js';

// Windowing interfaces and the generic window operator's building blocks
export { TimeWindow, GlobalWindow, type Window } from './contract/window.js';
export type { WindowAssigner, MergingWindowAssigner, WindowAssignerContext } from './contract/window-assigner.js';
export { TriggerResult, type Trigger, type TriggerContext, type OnMergeContext, type PartitionedStateStore } from './contract/trigger.js';
export type { Evictor, EvictorContext, WindowBuffer } from './contract/evictor.js';
export type {
  ProcessWindowFunction,
  WindowFunction,
  AllWindowFunction,
  WindowMapFunction,
  WindowContext,
} from './contract/window-functions.js';
export type { WindowPolicy } from './contract/window-definition.js';

// Window assigners, triggers, evictors and the seed's policies (also exported by @weir/windows)
export { TumblingEventTimeWindows } from './windows/assigners/tumbling-event-time-windows.js';
export { SlidingEventTimeWindows } from './windows/assigners/sliding-event-time-windows.js';
export { TumblingProcessingTimeWindows } from './windows/assigners/tumbling-processing-time-windows.js';
export { SlidingProcessingTimeWindows } from './windows/assigners/sliding-processing-time-windows.js';
export { CumulativeEventTimeWindows } from './windows/assigners/cumulative-event-time-windows.js';
export { CumulativeProcessingTimeWindows } from './windows/assigners/cumulative-processing-time-windows.js';
export { EventTimeSessionWindows, ProcessingTimeSessionWindows } from './windows/assigners/session-windows.js';
export { GlobalWindows } from './windows/assigners/global-windows.js';
export { WindowStagger } from './windows/assigners/window-stagger.js';
export { EventTimeTrigger } from './windows/triggers/event-time-trigger.js';
export { ProcessingTimeTrigger } from './windows/triggers/processing-time-trigger.js';
export { CountTrigger } from './windows/triggers/count-trigger.js';
export { PurgingTrigger } from './windows/triggers/purging-trigger.js';
export { DeltaTrigger, type DeltaFunction } from './windows/triggers/delta-trigger.js';
export { ContinuousEventTimeTrigger } from './windows/triggers/continuous-event-time-trigger.js';
export { ContinuousProcessingTimeTrigger } from './windows/triggers/continuous-processing-time-trigger.js';
export { ProcessingTimeoutTrigger } from './windows/triggers/processing-timeout-trigger.js';
export { NeverTrigger, EndOfStreamTrigger } from './windows/triggers/never-trigger.js';
export { CountEvictor } from './windows/evictors/count-evictor.js';
export { TimeEvictor } from './windows/evictors/time-evictor.js';
export { DeltaEvictor } from './windows/evictors/delta-evictor.js';
export { Count } from './windows/policies/count-policy.js';
export { Delta } from './windows/policies/delta-policy.js';

// State
export {
  ValueStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  AggregatingStateDescriptor,
  type StateDescriptor,
} from './state/descriptors.js';
export { StateTtlConfig, StateTtlConfigBuilder, type TtlOptions, type TtlUpdateType, type TtlStateVisibility, type TtlIncrementalCleanup } from './state/state-ttl.js';
export type { ValueState, ListState, MapState, ReducingState, AggregatingState, KeyedStateStore } from './state/state-types.js';
export { keyGroupOf, DEFAULT_MAX_PARALLELISM, type KeyGroupRange } from './state/key-groups.js';

// Sources and sinks
export { PollStatus, type Source, type SourceReader, type SourceOutput, type SourceReaderContext } from './contract/source.js';
export { CollectionSource } from './sources/collection-source.js';
export { AsyncIterableSource } from './sources/async-iterable-source.js';
export { ObservableSource } from './sources/observable-source.js';
export { SocketTextSource, type SocketTextSourceOptions } from './sources/socket-text-source.js';
// Building blocks for sources of your own: frame bytes into lines, queue pushed records for pollNext
export { LineFramer, type LineFramerOptions, type LineHandler, type RejectedLine, type UnterminatedRest } from './sources/line-framer.js';
export { RecordQueue } from './sources/record-queue.js';
export type { Sink, SinkWriter, SinkContext } from './contract/sink.js';
export { CollectHandle } from './sinks/collect-sink.js';

// Graph
export type { JobGraph, JobNode, NodeKind, NodeSpecs, WindowNodeSpec } from './contract/plan.js';
export type { GraphNode, JobEdge, Partitioning } from './graph/job-graph.js';
export { toMermaid, toDot } from './graph/mermaid.js';

// Checkpoint storage: the directory default, the interface another storage implements, savepoints
export { DirectoryCheckpointStorage, type DirectoryStorageOptions } from './checkpoint/directory-storage.js';
export type { CheckpointStorage, LoadOptions } from './checkpoint/checkpoint-storage.js';
export type { CheckpointJobInfo, CheckpointLogger, LoadedCheckpoint, SkippedCheckpoint, WrittenCheckpoint } from './checkpoint/checkpoint-types.js';
export type { KeyedChain, KeyedStateToWrite, OperatorStateToWrite, RestoredOperator } from './checkpoint/checkpoint-codec.js';
export type { FileEntry, JobOperator, PartRef, SinkCommit } from './checkpoint/checkpoint-format.js';
export type { CommitEntry, CommitHistory } from './checkpoint/commit-record.js';
export type { KeyedStateSnapshot, KeyGroupSnapshot } from './state/snapshot-task.js';
export { savepoint, type SavepointInfo } from './checkpoint/savepoint.js';

// Observability: the lifecycle log over metrics snapshots (the dashboard, Prometheus endpoint and
// pino logger are the optional package @weir/web)
export {
  logJobLifecycle,
  lifecycleLogObserver,
  type LifecycleLog,
  type LifecycleLogger,
  type LifecycleLogOptions,
  type LogFields,
} from './runtime/lifecycle-log.js';

// Scale-out: one keyed job across processes (docs/scale-out.md); connectors supply the coordinator,
// the repartition transport and partitioned sources (e.g. @weir/connectors' redisScaleOut)
export { runInstance, startInstance, type ScaleOutOptions, type ScaleOutProgram, type ScaleOutInstance } from './runtime/scale-out/instance.js';
export { planScaleOut, type ScaleOutPlan, type ScaleOutPlanOptions, type Subtopology, type Repartition } from './runtime/scale-out/plan-scale-out.js';
export type {
  TaskInfo,
  TaskFence,
  PartitionedSource,
  TaskAwareSink,
  RepartitionSpec,
  RepartitionTransport,
  TaskCoordinator,
  CoordinatorSession,
} from './runtime/scale-out/scale-out-types.js';
export type { InstanceMetrics, TaskMetrics } from './runtime/scale-out/scale-out-metrics.js';
export type { ScaledOutSnapshot } from './runtime/scale-out/instance-snapshot.js';
export { scaleOutToMermaid } from './runtime/scale-out/scale-out-mermaid.js';
export { TaskFencedError } from './runtime/scale-out/task-fenced-error.js';
export { partitionOfKeyGroup, keyGroupRangeOf } from './runtime/scale-out/key-group-range.js';
