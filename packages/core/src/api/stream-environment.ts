/**
 * `StreamEnvironment`: where a job is built (sources, then the fluent API on their streams) and
 * run (`execute`). Holds the job graph, the clock and the job's options.
 */
import type { Observable, Subject } from 'rxjs';
import { ConfigError } from '../errors.js';
import type { JobGraph, JobNode, NodeKind, NodeSpecs } from '../contract/plan.js';
import { GraphBuilder, type Partitioning } from '../graph/job-graph.js';
import { AsyncIterableSource } from '../sources/async-iterable-source.js';
import { CollectionSource } from '../sources/collection-source.js';
import { ObservableSource } from '../sources/observable-source.js';
import { SocketTextSource } from '../sources/socket-text-source.js';
import type { Source } from '../contract/source.js';
import { type Clock, systemClock } from '../time/clock.js';
import { DataStream } from './data-stream.js';
import type { KeySelector } from './field-types.js';
import { KeyedStream } from './keyed-stream.js';
import type { ExecuteOptions } from './execute-options.js';
import { validateOptions } from './validate-options.js';
import { webDashboard } from './web-dashboard.js';
import { type ExecutionOptions, executeJob, type JobResult } from '../runtime/execute-job.js';
import type { JobObserver } from '../runtime/job-observer.js';
import { lifecycleLogObserver } from '../runtime/lifecycle-log.js';
import { MetricsRegistry, type MetricsSnapshot } from '../runtime/metrics.js';

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
export interface StreamEnvironmentOptions extends ExecutionOptions {
  /** Processing-time clock (default: the system clock). */
  readonly clock?: Clock;
  /**
   * Dashboard at `/`, Prometheus text at `/metrics`, JSON at `/api/job` (binds 127.0.0.1 unless a
   * host is given). Served by the optional package `@weir/web`, loaded when the job starts:
   * install it next to `@weir/core` to use this option.
   */
  readonly web?: { readonly port: number; readonly host?: string };
  /** Observers started with every job (a dashboard, a metrics reporter, a log of your own). */
  readonly observers?: readonly JobObserver[];
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
    validateOptions(options);
    this.clock = options.clock ?? systemClock;
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
      const o = this.options;
      const observers = [...(o.observers ?? [])];
      if (o.logger !== undefined) observers.push(lifecycleLogObserver(o.logger));
      if (o.web !== undefined) observers.push(await webDashboard(o.web, options.onWebServer));
      return await executeJob({
        jobName: options.jobName ?? 'weir job',
        graph: this.explain(),
        options: o,
        clock: this.clock,
        metrics: this.metricsRegistry,
        signal: options.signal,
        observers,
        onEnd: (error) => {
          for (const s of this.observableSinks) {
            if (error === undefined) s.complete();
            else s.error(error);
          }
        },
      });
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

  /**
   * @internal The keyed handle of a stream (for `DataStream.keyBy`: keyed-stream.ts extends
   * data-stream.ts, so data-stream.ts cannot import it).
   */
  keyedStream<T, K>(input: DataStream<T>, selector: KeySelector<T>): KeyedStream<T, K> {
    return new KeyedStream<T, K>(input, selector);
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
