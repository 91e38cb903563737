/**
 * `StreamEnvironment`: where a job is built (sources, then the fluent API on their streams) and
 * run (`execute`). Holds the job graph, the clock and the job's options.
 */
import type { Observable, Subject } from 'rxjs';
import { ConfigError } from '../errors.js';
import type { JobGraph, JobNode, NodeKind, NodeSpecs } from '../contract/plan.js';
import { GraphBuilder, type Partitioning } from '../graph/job-graph.js';
import { MAX_KEY_GROUPS } from '../state/key-groups.js';
import { AsyncIterableSource } from '../sources/async-iterable-source.js';
import { CollectionSource } from '../sources/collection-source.js';
import { ObservableSource } from '../sources/observable-source.js';
import { SocketTextSource } from '../sources/socket-text-source.js';
import type { Source } from '../contract/source.js';
import { type Clock, systemClock } from '../time/clock.js';
import { DataStream } from './data-stream.js';
import { executeJob, type ExecuteOptions, type JobResult } from './execute-job.js';
import { MetricsRegistry, type MetricsSnapshot } from './metrics.js';

/**
 * Options of {@link StreamEnvironment.create}.
 *
 * @example
 * ```ts
 * const options: StreamEnvironmentOptions = {
 *   checkpointing: { intervalMs: 1000, dir: './checkpoints', retain: 3 },
 *   restore: 'latest',
 *   restartStrategy: { attempts: 3, delayMs: 500 },
 *   web: { port: 8081 },
 * };
 * const env = StreamEnvironment.create(options);
 * ```
 */
export interface StreamEnvironmentOptions {
  /** Take a checkpoint every `intervalMs` into `dir` (default `./checkpoints`), keeping the newest `retain` (default 3). */
  readonly checkpointing?: { readonly intervalMs: number; readonly dir?: string; readonly retain?: number };
  /**
   * `'latest'`: continue from the newest complete checkpoint in the checkpoint directory (start
   * fresh when there is none); a path: that checkpoint; `false` (default): start fresh.
   */
  readonly restore?: 'latest' | string | false;
  /** Processing-time clock (default: the system clock). */
  readonly clock?: Clock;
  /** Dashboard and metrics endpoint (served by the observability layer when present). */
  readonly web?: { readonly port: number; readonly host?: string };
  /** Restart from the last checkpoint after a failure, up to `attempts` times (default 3 with checkpointing, else 0). */
  readonly restartStrategy?: { readonly attempts: number; readonly delayMs?: number };
  /** Call watermark generators' `onPeriodicEmit` after every element (default true: deterministic lateness). */
  readonly perElementWatermarks?: boolean;
  /** Processing-time period of watermark emission and idleness checks, ms (default 200, as Flink). */
  readonly autoWatermarkIntervalMs?: number;
  /** Number of key groups of keyed state (default 128, as Flink). Fixed for the life of the checkpoints. */
  readonly maxParallelism?: number;
  /** Restore even if the checkpoint has state for operators this job no longer has (that state is dropped). */
  readonly allowNonRestoredState?: boolean;
  /** Where lifecycle messages go (default: warnings on stderr, info silent). */
  readonly logger?: { info(message: string): void; warn(message: string): void };
}

/** @internal An input of a node being added. */
export interface StreamInput {
  readonly stream: DataStream<unknown>;
  readonly partitioning: Partitioning;
  readonly inputIndex: 0 | 1;
}

/**
 * The context of a streaming job.
 *
 * @example
 * ```ts
 * const env = StreamEnvironment.create();
 * const out = env.fromElements(1, 2, 3).map((x) => x * 10).collect();
 * await env.execute('example');
 * out.items(); // [10, 20, 30]
 * ```
 */
export class StreamEnvironment {
  /** @internal */
  readonly graph = new GraphBuilder<NodeSpecs>();
  readonly clock: Clock;
  /** @internal */
  readonly observableSinks: Subject<unknown>[] = [];
  /** @internal */
  readonly metricsRegistry = new MetricsRegistry();
  private readonly uids = new Set<string>();
  private running = false;

  private constructor(readonly options: StreamEnvironmentOptions) {
    this.clock = options.clock ?? systemClock;
    if (options.checkpointing) {
      const { intervalMs, retain } = options.checkpointing;
      if (!(intervalMs > 0)) throw new ConfigError(`checkpointing.intervalMs must be greater than 0 (got ${intervalMs})`);
      if (retain !== undefined && !(retain >= 1)) throw new ConfigError(`checkpointing.retain must be at least 1 (got ${retain})`);
    }
    const { maxParallelism, autoWatermarkIntervalMs } = options;
    if (maxParallelism !== undefined && !(Number.isInteger(maxParallelism) && maxParallelism >= 1 && maxParallelism <= MAX_KEY_GROUPS)) {
      throw new ConfigError(
        `maxParallelism must be a whole number of key groups from 1 to ${MAX_KEY_GROUPS} (got ${maxParallelism}); leave it out for Flink's default of 128`,
      );
    }
    if (autoWatermarkIntervalMs !== undefined && !(autoWatermarkIntervalMs >= 0 && Number.isFinite(autoWatermarkIntervalMs))) {
      throw new ConfigError(
        `autoWatermarkIntervalMs must be a finite number of milliseconds, 0 or more (got ${autoWatermarkIntervalMs}); 0 turns periodic watermarks off`,
      );
    }
    if (options.restore && !options.checkpointing && options.restore === 'latest') {
      throw new ConfigError(`restore: 'latest' needs checkpointing (its dir is where checkpoints are looked for)`);
    }
  }

  /**
   * Creates an environment.
   *
   * @example
   * ```ts
   * const env = StreamEnvironment.create({
   *   checkpointing: { intervalMs: 1000, dir: './checkpoints', retain: 3 },
   *   restore: 'latest',
   * });
   * ```
   */
  static create(options: StreamEnvironmentOptions = {}): StreamEnvironment {
    return new StreamEnvironment(options);
  }

  /**
   * A bounded stream of the given elements.
   *
   * @example
   * ```ts
   * env.fromElements('a', 'b', 'c');
   * ```
   */
  fromElements<T>(...items: T[]): DataStream<T> {
    return this.fromSource(new CollectionSource(items), 'Elements Source');
  }

  /**
   * A bounded stream over an iterable (replayable) or an async iterable (async generators, Node
   * readable streams).
   *
   * @example
   * ```ts
   * env.fromCollection(ticks);
   * env.fromCollection(readableStream);
   * ```
   */
  fromCollection<T>(items: Iterable<T> | AsyncIterable<T>): DataStream<T> {
    if (items != null && typeof (items as Iterable<T>)[Symbol.iterator] === 'function') {
      return this.fromSource(new CollectionSource(items as Iterable<T>), 'Collection Source');
    }
    if (items != null && typeof (items as AsyncIterable<T>)[Symbol.asyncIterator] === 'function') {
      return this.fromSource(new AsyncIterableSource(items as AsyncIterable<T>), 'Async Collection Source');
    }
    throw new ConfigError(`fromCollection() takes an iterable or an async iterable, got ${String(items)}`);
  }

  /**
   * A stream from a {@link Source}.
   *
   * @example
   * ```ts
   * env.fromSource(FileSource.lines('ticks.csv'), 'ticks');
   * ```
   */
  fromSource<T>(source: Source<T>, name?: string): DataStream<T> {
    if (!source || typeof source.createReader !== 'function') throw new ConfigError('fromSource() takes a Source (an object with createReader())');
    const id = this.addNode('source', name ?? source.name ?? 'Source', { source }, []);
    return new DataStream<T>(this, id);
  }

  /**
   * Alias of {@link StreamEnvironment.fromSource}.
   *
   * @example
   * ```ts
   * env.addSource(mySource, 'mine');
   * ```
   */
  addSource<T>(source: Source<T>, name?: string): DataStream<T> {
    return this.fromSource(source, name);
  }

  /**
   * Lines from a TCP server, e.g. one started with `nc -lk 9999`. At-most-once; ends when the
   * peer closes the connection. Lines that are too long or not UTF-8 go to `DEAD_LETTERS`.
   *
   * @example
   * ```ts
   * env.socketTextStream('localhost', 9999).map((line) => line.split(','));
   * ```
   */
  socketTextStream(host: string, port: number, delimiter = '\n'): DataStream<string> {
    return this.fromSource(new SocketTextSource(host, port, { delimiter }));
  }

  /**
   * A stream of an RxJS observable's values (at-most-once); ends when it completes.
   *
   * @example
   * ```ts
   * env.fromObservable(interval(100).pipe(take(5)));
   * ```
   */
  fromObservable<T>(observable: Observable<T>): DataStream<T> {
    return this.fromSource(new ObservableSource(observable));
  }

  /**
   * Runs the job; resolves when all bounded input has been processed and committed.
   *
   * @example
   * ```ts
   * const result = await env.execute('stocks');
   * console.log(result.durationMs);
   * ```
   */
  async execute(jobNameOrOptions?: string | ExecuteOptions): Promise<JobResult> {
    const options: ExecuteOptions = typeof jobNameOrOptions === 'string' ? { jobName: jobNameOrOptions } : (jobNameOrOptions ?? {});
    if (this.running) throw new ConfigError('execute(): this environment is already running a job');
    if (this.graph.size === 0) throw new ConfigError('execute(): no operators defined; add a source and a sink first');
    this.running = true;
    try {
      return await executeJob(this, options);
    } finally {
      this.running = false;
    }
  }

  /**
   * The job graph as plain data.
   *
   * @example
   * ```ts
   * console.log(toMermaid(env.explain()));
   * ```
   */
  explain(): JobGraph {
    return this.graph.build();
  }

  /**
   * A snapshot of the running (or last run) job's metrics.
   *
   * @example
   * ```ts
   * env.metrics().operators.map((o) => [o.name, o.recordsOut]);
   * ```
   */
  metrics(): MetricsSnapshot {
    return this.metricsRegistry.snapshot();
  }

  /** @internal */
  addNode<K extends NodeKind>(kind: K, name: string, spec: NodeSpecs[K], inputs: readonly StreamInput[]): number {
    for (const input of inputs) {
      if (input.stream.env !== this) throw new ConfigError(`${name}: all inputs must come from the same StreamEnvironment`);
    }
    const id = this.graph.addNode(kind, name, spec);
    for (const input of inputs) {
      const edge = {
        from: input.stream.nodeId,
        to: id,
        partitioning: input.partitioning,
        inputIndex: input.inputIndex,
        ...(input.stream.sideOutputTag !== undefined ? { sideOutput: input.stream.sideOutputTag } : {}),
      };
      this.graph.addEdge(edge);
    }
    return id;
  }

  /** @internal */
  addFeedbackEdge(from: number, to: number): void {
    this.graph.addEdge({ from, to, partitioning: 'forward', inputIndex: 0, feedback: true });
  }

  /** @internal */
  graphNode(id: number): JobNode {
    return this.graph.node(id);
  }

  /** @internal */
  setUid(node: JobNode, uid: string): void {
    if (typeof uid !== 'string' || uid.length === 0) throw new ConfigError(`uid() of '${node.name}' must be a non-empty string`);
    if (node.uid !== uid && this.uids.has(uid)) throw new ConfigError(`uid '${uid}' is used by two operators; uids must be unique`);
    this.uids.delete(node.uid);
    this.uids.add(uid);
    node.uid = uid;
    node.uidSetByUser = true;
  }

  /** @internal */
  registerObservableSink(subject: Subject<unknown>): void {
    this.observableSinks.push(subject);
  }
}
