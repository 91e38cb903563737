/**
 * The broadcast state pattern's handles (Flink's `BroadcastStream` and
 * `BroadcastConnectedStream`): `rules.broadcast(descriptor)` declares the broadcast states;
 * `events.connect(broadcastRules)` (or `events.keyBy(k).connect(...)`) pairs them with the
 * element stream; `process(fn)` appends the operator.
 */
import { ConfigError } from '../errors.js';
import type { BroadcastProcessFunction, KeyedBroadcastProcessFunction } from '../contract/broadcast-functions.js';
import { erased } from '../contract/plan.js';
import type { MapStateDescriptor } from '../state/descriptors.js';
import { DataStream } from './data-stream.js';

/**
 * A stream whose elements go to every instance of the operators it is connected to, with the
 * broadcast states they may write (Flink's `BroadcastStream`). Made by `stream.broadcast(descriptor)`.
 *
 * @example
 * ```ts
 * const rulesState = new MapStateDescriptor<string, Rule>('rules');
 * const rules = ruleUpdates.broadcast(rulesState);
 * events.keyBy('user').connect(rules).process(checkRules);
 * ```
 */
export class BroadcastStream<T> {
  /** @internal */
  constructor(
    /** @internal */ readonly input: DataStream<T>,
    /** @internal */ readonly descriptors: readonly MapStateDescriptor<unknown, unknown>[],
  ) {
    const names = descriptors.map((d) => d?.name);
    if (descriptors.length === 0 || names.some((n) => typeof n !== 'string' || n.length === 0) || descriptors.some((d) => d.kind !== 'map')) {
      throw new ConfigError('broadcast(...descriptors): give one or more MapStateDescriptors (broadcast state is a map)');
    }
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup !== undefined) throw new ConfigError(`broadcast(...descriptors): the broadcast state '${dup}' is declared twice`);
  }
}

function append<R>(input: DataStream<unknown>, broadcast: BroadcastStream<unknown>, keySelector: ((v: unknown) => unknown) | undefined, fn: unknown, name: string): DataStream<R> {
  const env = input.env;
  if (broadcast.input.env !== env) throw new ConfigError(`${name}: both streams must come from the same StreamEnvironment`);
  const f = fn as { processElement?: unknown; processBroadcastElement?: unknown } | null;
  if (typeof f !== 'object' || f === null || typeof f.processElement !== 'function' || typeof f.processBroadcastElement !== 'function') {
    throw new ConfigError(`${name}.process(fn): fn must be an object with processElement and processBroadcastElement`);
  }
  const id = env.addNode(
    'broadcastProcess',
    name,
    { keySelector, fn: erased(fn), stateNames: broadcast.descriptors.map((d) => d.name) },
    [input.asInput(keySelector === undefined ? 'forward' : 'hash', 0), { stream: broadcast.input, partitioning: 'broadcast', inputIndex: 1 }],
  );
  return new DataStream<R>(env, id);
}

/**
 * A non-keyed stream connected to a broadcast stream (Flink's `BroadcastConnectedStream`).
 *
 * @example
 * ```ts
 * events.connect(blockedUsers.broadcast(blocked)).process({
 *   processElement(e, ctx, out) { if (!ctx.getBroadcastState(blocked).contains(e.user)) out.collect(e); },
 *   processBroadcastElement(user, ctx) { ctx.getBroadcastState(blocked).put(user, true); },
 * });
 * ```
 */
export class BroadcastConnectedStream<IN1, IN2> {
  /** @internal */
  constructor(
    private readonly input: DataStream<IN1>,
    private readonly broadcast: BroadcastStream<IN2>,
  ) {}

  /**
   * Appends the operator.
   *
   * @example
   * ```ts
   * connected.process<Event>({ processElement: (e, ctx, out) => out.collect(e), processBroadcastElement: () => {} });
   * ```
   */
  process<R>(fn: BroadcastProcessFunction<IN1, IN2, R>): DataStream<R> {
    return append<R>(this.input as DataStream<unknown>, this.broadcast as BroadcastStream<unknown>, undefined, fn, 'Broadcast Process');
  }
}

/**
 * A keyed stream connected to a broadcast stream: the function has keyed state and timers on the
 * element side and `applyToKeyedState` on the broadcast side.
 *
 * @example
 * ```ts
 * events.keyBy('user').connect(limits.broadcast(limitState)).process(checkLimits);
 * ```
 */
export class KeyedBroadcastConnectedStream<IN1, K, IN2> {
  /** @internal */
  constructor(
    private readonly input: DataStream<IN1>,
    private readonly keySelector: (v: IN1) => unknown,
    private readonly broadcast: BroadcastStream<IN2>,
  ) {}

  /**
   * Appends the operator.
   *
   * @example
   * ```ts
   * connected.process<string>({
   *   processElement(e, ctx, out) { out.collect(`${ctx.getCurrentKey()} under ${ctx.getBroadcastState(policy).get('current')}`); },
   *   processBroadcastElement(p, ctx) { ctx.getBroadcastState(policy).put('current', p); },
   * });
   * ```
   */
  process<R>(fn: KeyedBroadcastProcessFunction<K, IN1, IN2, R>): DataStream<R> {
    return append<R>(this.input as DataStream<unknown>, this.broadcast as BroadcastStream<unknown>, erased(this.keySelector), fn, 'Keyed Broadcast Process');
  }
}
