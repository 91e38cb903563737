/**
 * `DataStream<T>`: a typed handle on one output of one graph node. Every method appends a node
 * (and the edge into it) and returns a new handle; nothing runs until `env.execute()`.
 */
import type { Observable, Subject } from 'rxjs';
import { ConfigError } from '../errors.js';
import { erased, type NodeKind, type NodeSpecs } from '../contract/plan.js';
import type { Collector, FlatMapFunction, SyncResult } from '../functions/functions.js';
import type { ProcessFunction } from '../contract/process-functions.js';
import { CollectHandle, CollectSink } from '../sinks/collect-sink.js';
import { ObservableSink } from '../sinks/observable-sink.js';
import { PrintSink } from '../sinks/print-sink.js';
import type { Sink } from '../contract/sink.js';
import type { WatermarkStrategy } from '../time/watermark-strategy.js';
import type { Time } from '../time/time.js';
import type { TimeWindow, Window } from '../contract/window.js';
import type { WindowSpec } from '../contract/window-definition.js';
import type { AsyncFunction } from '../contract/async-function.js';
import { type AsyncOptions, asyncWaitSpec } from './async-data-stream.js';
import { resolveWindowing } from './resolve-windowing.js';
import { AllWindowedStream } from './all-windowed-stream.js';
import { ConnectedStreams } from './connected-streams.js';
import { CrossedStreams } from './crossed-streams.js';
import { CoGroupedStreams } from './co-grouped-streams.js';
import { BroadcastConnectedStream, BroadcastStream } from './broadcast-stream.js';
import type { MapStateDescriptor } from '../state/descriptors.js';
import type { KeyOf, KeySelector } from './field-types.js';
import { JoinedStreams } from './joined-streams.js';
import type { KeyedStream } from './keyed-stream.js';
import type { OutputTag } from '../contract/output-tag.js';
import type { StreamInput, StreamEnvironment } from './stream-environment.js';

/**
 * A stream argument: a DataStream or a KeyedStream (a DataStream at run time, whose TypeScript
 * type leaves out the methods it redefines; see keyed-stream.ts).
 *
 * @example
 * ```ts
 * const inputs: Array<AnyStream<Tick>> = [ticks, ticks.keyBy('symbol')];
 * ```
 */
export type AnyStream<T> = DataStream<T> | KeyedStream<T, unknown>;

/**
 * A stream of elements of type `T`.
 *
 * @example
 * ```ts
 * const words = env.fromElements('a b', 'c')
 *   .flatMap((line: string) => line.split(' '))
 *   .filter((w) => w.length > 0);
 * const out = words.collect();
 * await env.execute();
 * ```
 */
export class DataStream<T> {
  /** @internal */
  constructor(
    readonly env: StreamEnvironment,
    /** @internal */ readonly nodeId: number,
    /** @internal Set on the handle of a side output. */ readonly sideOutputTag?: string,
  ) {}

  /** @internal This stream as the input of a new node. */
  asInput(partitioning: 'forward' | 'hash' = 'forward', inputIndex: 0 | 1 = 0): StreamInput {
    return { stream: this as unknown as DataStream<unknown>, partitioning, inputIndex };
  }

  /** @internal Appends a one-input node. */
  append<R, K extends NodeKind>(kind: K, name: string, spec: NodeSpecs[K], partitioning: 'forward' | 'hash' = 'forward'): DataStream<R> {
    return new DataStream<R>(this.env, this.env.addNode(kind, name, spec, [this.asInput(partitioning)]));
  }

  /**
   * One output per element.
   *
   * @example
   * ```ts
   * prices.map((p) => ({ ...p, price: Math.round(p.price) }));
   * ```
   */
  map<R>(fn: (value: T) => SyncResult<R>): DataStream<R> {
    return this.append('map', 'Map', { fn: erased(fn) });
  }

  /**
   * Async I/O (Flink's `AsyncDataStream`): one output per element from a function that returns a
   * Promise, with up to `capacity` calls in flight (a full operator holds its input back), in input
   * order (default) or as results arrive (`ordered: false`, never across a watermark), with a
   * timeout that covers every retry, a retry strategy, and failures that fail the job or go to a
   * side output. Elements whose results were not emitted at a checkpoint are called again after a
   * restore: the output is exactly-once, the service may see a call twice.
   *
   * @example
   * ```ts
   * const users = ids.mapAsync(async (id: string) => ({ id, name: await directory.lookup(id) }), {
   *   capacity: 100,
   *   timeoutMs: 2_000,
   *   retry: AsyncRetryStrategies.exponentialBackoff({ maxAttempts: 3, initialDelayMs: 50, maxDelayMs: 500 }),
   * });
   * ```
   */
  mapAsync<R>(fn: AsyncFunction<T, R>, options?: AsyncOptions<T, R>): DataStream<R> {
    return this.append('asyncWait', options?.ordered === false ? 'Async Wait (unordered)' : 'Async Wait', asyncWaitSpec('mapAsync', fn, options));
  }

  /**
   * Keeps the elements the predicate accepts. A type guard narrows the element type.
   *
   * @example
   * ```ts
   * ticks.filter((t) => t.price > 0);
   * ```
   */
  filter<S extends T>(predicate: (value: T) => value is S): DataStream<S>;
  filter(predicate: (value: T) => boolean): DataStream<T>;
  filter(predicate: (value: T) => boolean): DataStream<T> {
    return this.append('filter', 'Filter', { fn: erased(predicate) });
  }

  /**
   * Zero or more outputs per element: write to the collector, or return an iterable.
   *
   * @example
   * ```ts
   * lines.flatMap((line: string) => line.split(' '));
   * lines.flatMap((line: string, out: Collector<string>) => { for (const w of line.split(' ')) out.collect(w); });
   * ```
   */
  flatMap<R>(fn: FlatMapFunction<T, R>): DataStream<R> {
    return this.append('flatMap', 'Flat Map', { fn: erased(fn) });
  }

  /**
   * A {@link ProcessFunction}: per-element logic with side outputs.
   *
   * @example
   * ```ts
   * const errors = new OutputTag<string>('errors');
   * const ok = lines.process((line: string, ctx, out: Collector<string>) =>
   *   line.startsWith('ERR') ? ctx.output(errors, line) : out.collect(line));
   * ok.getSideOutput(errors).print('error');
   * ```
   */
  process<R>(fn: ProcessFunction<T, R>): DataStream<R> {
    return this.append('process', 'Process', { fn: erased(fn) });
  }

  /**
   * Union of this stream and others of the same type. The watermark of the result is the
   * minimum of the inputs' watermarks.
   *
   * @example
   * ```ts
   * const all = spx.merge(ftse, dji, bux);
   * ```
   */
  merge(...others: AnyStream<T>[]): DataStream<T> {
    for (const o of others) {
      if (o.env !== this.env) throw new ConfigError('merge(): all streams must come from the same StreamEnvironment');
    }
    const id = this.env.addNode('union', 'Union', {}, [this, ...(others as DataStream<T>[])].map((s) => s.asInput()));
    return new DataStream<T>(this.env, id);
  }

  /**
   * Alias of {@link DataStream.merge} (Flink's modern name).
   *
   * @example
   * ```ts
   * a.union(b);
   * ```
   */
  union(...others: AnyStream<T>[]): DataStream<T> {
    return this.merge(...others);
  }

  /**
   * Partitions the stream by key: a field name (typed `keyof T`) or a key function.
   *
   * @example
   * ```ts
   * ticks.groupBy('symbol').maxBy('price');
   * ticks.groupBy((t) => t.symbol.toLowerCase());
   * ```
   */
  groupBy<S extends KeySelector<T>>(selector: S): KeyedStream<T, KeyOf<T, S>> {
    // Made by the environment: keyed-stream.ts extends this class, so this module cannot import it.
    return this.env.keyedStream<T, KeyOf<T, S>>(this, selector as KeySelector<T>);
  }

  /**
   * Alias of {@link DataStream.groupBy} (Flink's modern name).
   *
   * @example
   * ```ts
   * ticks.keyBy('symbol');
   * ```
   */
  keyBy<S extends KeySelector<T>>(selector: S): KeyedStream<T, KeyOf<T, S>> {
    return this.groupBy(selector);
  }

  /**
   * Sets event time: each element's timestamp from the strategy's assigner, and watermarks from
   * its generator. Upstream watermarks are replaced.
   *
   * @example
   * ```ts
   * ticks.assignTimestampsAndWatermarks(
   *   WatermarkStrategy.forBoundedOutOfOrderness<Tick>(1000).withTimestampAssigner((t) => t.ts));
   * ```
   */
  assignTimestampsAndWatermarks(strategy: WatermarkStrategy<T>): DataStream<T> {
    return this.append('timestamps', 'Timestamps/Watermarks', { strategy: erased(strategy) });
  }

  /**
   * Windows over the whole (non-keyed) stream: Flink's `windowAll`, or the seed's
   * `window(Time.of(10, 'seconds')).every(Time.of(5, 'seconds'))`.
   *
   * @example
   * ```ts
   * ticks.window(Time.of(10, 'seconds')).every(Time.of(5, 'seconds')).minBy('price');
   * ```
   */
  window(spec: Time): AllWindowedStream<T, TimeWindow>;
  window<W extends Window>(spec: WindowSpec<T, W>): AllWindowedStream<T, W>;
  window<W extends Window>(spec: WindowSpec<T, W> | Time): AllWindowedStream<T, W> {
    return new AllWindowedStream<T, W>(this, resolveWindowing(spec) as never, spec);
  }

  /**
   * Alias of {@link DataStream.window} for non-keyed streams (Flink's name).
   *
   * @example
   * ```ts
   * ticks.windowAll(TumblingEventTimeWindows.of(Time.seconds(5))).sum('volume');
   * ```
   */
  windowAll(spec: Time): AllWindowedStream<T, TimeWindow>;
  windowAll<W extends Window>(spec: WindowSpec<T, W>): AllWindowedStream<T, W>;
  windowAll<W extends Window>(spec: WindowSpec<T, W> | Time): AllWindowedStream<T, W> {
    return this.window(spec as WindowSpec<T, W>);
  }

  /**
   * Connects two streams of possibly different types for `coMap`, `coFlatMap`, `process`; or,
   * given a {@link BroadcastStream}, for the broadcast state pattern (`process` with a
   * `BroadcastProcessFunction`).
   *
   * @example
   * ```ts
   * rules.connect(events).coMap((r) => `rule ${r}`, (e) => `event ${e}`);
   * events.connect(blockedUsers.broadcast(blocked)).process(dropBlocked);
   * ```
   */
  connect<T2>(other: BroadcastStream<T2>): BroadcastConnectedStream<T, T2>;
  connect<T2>(other: AnyStream<T2>): ConnectedStreams<T, T2>;
  connect<T2>(other: AnyStream<T2> | BroadcastStream<T2>): ConnectedStreams<T, T2> | BroadcastConnectedStream<T, T2> {
    if (other instanceof BroadcastStream) return new BroadcastConnectedStream<T, T2>(this, other);
    return new ConnectedStreams<T, T2>(this, other as DataStream<T2>, undefined, undefined);
  }

  /**
   * The broadcast state pattern: this stream (rules, configuration) goes to every instance of the
   * operator it is connected to, which keeps it in the declared map states (Flink's
   * `broadcast(MapStateDescriptor...)`). Without descriptors this stream is returned as it is
   * (Flink's broadcast partitioning; one process already sees every element).
   *
   * @example
   * ```ts
   * const rulesState = new MapStateDescriptor<string, Rule>('rules');
   * events.keyBy('user').connect(ruleUpdates.broadcast(rulesState)).process(applyRules);
   * ```
   */
  broadcast(): DataStream<T>;
  broadcast(...descriptors: [MapStateDescriptor<unknown, unknown>, ...MapStateDescriptor<unknown, unknown>[]]): BroadcastStream<T>;
  broadcast(...descriptors: MapStateDescriptor<unknown, unknown>[]): DataStream<T> | BroadcastStream<T> {
    if (descriptors.length === 0) return this;
    return new BroadcastStream<T>(this, descriptors);
  }

  /**
   * Window join: pairs of elements with equal keys in the same window.
   *
   * @example
   * ```ts
   * warnings.join(tweets).where('symbol').equalTo('symbol')
   *   .window(TumblingEventTimeWindows.of(Time.seconds(30)))
   *   .apply((w, t) => [w.count, t.count]);
   * ```
   */
  join<T2>(other: AnyStream<T2>): JoinedStreams<T, T2> {
    return new JoinedStreams<T, T2>(this, other as DataStream<T2>);
  }

  /**
   * Windowed coGroup: per key and window, one call with all elements of both streams (either side
   * may be empty), for outer joins and anything else a pairwise join cannot say.
   *
   * @example
   * ```ts
   * orders.coGroup(payments).where('id').equalTo('orderId')
   *   .window(TumblingEventTimeWindows.of(Time.minutes(1)))
   *   .apply<string>((os, ps, out) => { for (const o of os) if (ps.length === 0) out.collect(`${o.id} unpaid`); });
   * ```
   */
  coGroup<T2>(other: AnyStream<T2>): CoGroupedStreams<T, T2> {
    return new CoGroupedStreams<T, T2>(this, other as DataStream<T2>);
  }

  /**
   * Window cross: every pair of elements of the two streams in the same window, regardless of key.
   *
   * @example
   * ```ts
   * a.cross(b).window(TumblingEventTimeWindows.of(Time.seconds(1))).apply((x, y) => x + y);
   * ```
   */
  cross<T2>(other: AnyStream<T2>): CrossedStreams<T, T2> {
    return new CrossedStreams<T, T2>(this, other as DataStream<T2>);
  }

  /**
   * Starts an iteration: the returned stream is the loop head; close the loop with
   * `closeWith(feedback)`.
   *
   * @example
   * ```ts
   * const it = numbers.iterate();
   * const step = it.map((n) => (n % 2 === 0 ? n / 2 : 3 * n + 1));
   * it.closeWith(step.filter((n) => n !== 1));
   * ```
   */
  iterate(maxWaitMs?: number): IterativeStream<T> {
    if (maxWaitMs !== undefined && !(maxWaitMs > 0)) throw new ConfigError(`iterate(maxWaitMs): must be greater than 0 (got ${maxWaitMs})`);
    const id = this.env.addNode('iterationHead', 'Iteration Head', { maxWaitMs }, [this.asInput()]);
    return new IterativeStream<T>(this.env, id);
  }

  /**
   * Sends the stream to a sink.
   *
   * @example
   * ```ts
   * stream.sinkTo(FileSink.lines('./out'));
   * ```
   */
  sinkTo(sink: Sink<T>): DataStreamSink {
    const id = this.env.addNode('sink', sink.name ?? 'Sink', { sink }, [this.asInput()]);
    return new DataStreamSink(this.env, id);
  }

  /**
   * Alias of {@link DataStream.sinkTo}.
   *
   * @example
   * ```ts
   * stream.addSink(mySink);
   * ```
   */
  addSink(sink: Sink<T>): DataStreamSink {
    return this.sinkTo(sink);
  }

  /**
   * Prints each element on stdout as `prefix> element`.
   *
   * @example
   * ```ts
   * maxima.print('max');
   * ```
   */
  print(prefix?: string): DataStreamSink {
    return this.sinkTo(new PrintSink<T>(prefix));
  }

  /**
   * Gathers the stream's output; read it with `.items()` after `execute()` resolves.
   *
   * @example
   * ```ts
   * const out = stream.collect();
   * await env.execute();
   * console.log(out.items());
   * ```
   */
  collect(): CollectHandle<T> {
    const handle = new CollectHandle<T>();
    this.sinkTo(new CollectSink<T>(handle));
    return handle;
  }

  /**
   * A hot RxJS observable of the stream's elements while the job runs; completes when the job
   * ends, errors when it fails. Subscribe before `execute()`.
   *
   * @example
   * ```ts
   * stream.toObservable().subscribe((v) => console.log(v));
   * await env.execute();
   * ```
   */
  toObservable(): Observable<T> {
    const sink = new ObservableSink<T>();
    this.sinkTo(sink);
    this.env.registerObservableSink(sink.subject as unknown as Subject<unknown>);
    return sink.subject.asObservable();
  }

  /**
   * The stream of a side output of this stream's operator.
   *
   * @example
   * ```ts
   * const late = windowed.getSideOutput(lateTag);
   * ```
   */
  getSideOutput<X>(tag: OutputTag<X>): DataStream<X> {
    if (this.sideOutputTag !== undefined) throw new ConfigError('getSideOutput() on a side-output stream: call it on the operator that emits the side output');
    return new DataStream<X>(this.env, this.nodeId, tag.id);
  }

  /**
   * Names the operator that produces this stream (shown in `explain()`, errors and metrics).
   *
   * @example
   * ```ts
   * ticks.map(parse).name('parse ticks');
   * ```
   */
  name(name: string): this {
    this.ownNode('name').name = name;
    return this;
  }

  /**
   * Sets the stable id that maps this operator's checkpointed state across versions of the job.
   *
   * @example
   * ```ts
   * ticks.keyBy('symbol').sum('volume').uid('volume-per-symbol');
   * ```
   */
  uid(uid: string): this {
    this.env.setUid(this.ownNode('uid'), uid);
    return this;
  }

  /**
   * Returns this stream: kept so that the seed's 2015 spelling `...maxBy('price').flatten()`
   * compiles and runs (window results are already a DataStream).
   *
   * @example
   * ```ts
   * ticks.window(Time.of(10, 'seconds')).maxBy('price').flatten();
   * ```
   */
  flatten(): DataStream<T> {
    return this;
  }

  /** @internal */
  private ownNode(what: string) {
    if (this.sideOutputTag !== undefined) throw new ConfigError(`${what}() cannot be set on a side-output stream; set it on the operator that emits it`);
    return this.env.graphNode(this.nodeId);
  }
}

/**
 * The handle of a sink, to name it or give it a uid.
 *
 * @example
 * ```ts
 * stream.print().name('console').uid('console-sink');
 * ```
 */
export class DataStreamSink {
  /** @internal */
  constructor(
    private readonly env: StreamEnvironment,
    private readonly nodeId: number,
  ) {}
  /** @example `stream.print().name('console')` */
  name(name: string): this {
    this.env.graphNode(this.nodeId).name = name;
    return this;
  }
  /** @example `stream.sinkTo(sink).uid('out')` */
  uid(uid: string): this {
    this.env.setUid(this.env.graphNode(this.nodeId), uid);
    return this;
  }
}

export type { Collector };

/**
 * The head of an iteration (Flink's `IterativeStream`): a stream of the input's elements and of
 * every element fed back with {@link IterativeStream.closeWith}. Fed-back elements re-enter the
 * head in order. Watermarks do not loop: the head's watermark is its input's, so fed-back elements
 * carry their own timestamps but may be late for event-time windows inside the loop. The job ends
 * when the inputs have ended and no element is left in the loop.
 *
 * @example
 * ```ts
 * const it = env.fromElements(6, 7).iterate();
 * const next = it.map((n) => (n % 2 === 0 ? n / 2 : 3 * n + 1));
 * it.closeWith(next.filter((n) => n !== 1));
 * const done = next.filter((n) => n === 1).collect();
 * ```
 */
export class IterativeStream<T> extends DataStream<T> {
  private closed = false;

  /**
   * Feeds `feedback` back into the head. Call once.
   *
   * @example
   * ```ts
   * it.closeWith(body.filter((x) => x.again));
   * ```
   */
  closeWith(feedback: DataStream<T>): DataStream<T> {
    if (this.closed) throw new ConfigError('closeWith(): this iteration is already closed');
    if (feedback.env !== this.env) throw new ConfigError('closeWith(): the feedback stream must come from the same StreamEnvironment');
    if (feedback.sideOutputTag !== undefined) throw new ConfigError('closeWith(): feed back a main stream, not a side output');
    this.closed = true;
    this.env.addFeedbackEdge(feedback.nodeId, this.nodeId);
    return feedback;
  }
}
