/**
 * The broadcast state pattern (Flink's `BroadcastProcessFunction` and
 * `KeyedBroadcastProcessFunction`): a low-volume stream (rules, configuration, policies) is
 * broadcast into named map states; the other stream's elements read that state, read-only, and
 * the broadcast side writes it. Broadcast state is operator state: it is checkpointed and
 * restored with the job.
 */
import type { Collector, NotAPromise } from '../functions/functions.js';
import type {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from '../state/descriptors.js';
import type { AggregatingState, KeyedStateStore, ListState, MapState, ReducingState, ValueState } from '../state/state-types.js';
import type { KeyedRuntimeContext, ProcessContext, TimerService } from './process-functions.js';

/**
 * Broadcast state as the element side sees it: read-only (Flink's `ReadOnlyBroadcastState`).
 *
 * @example
 * ```ts
 * const rules = ctx.getBroadcastState(rulesDescriptor);
 * const rule = rules.get(event.type);
 * ```
 */
export interface ReadOnlyBroadcastState<K, V> {
  get(key: K): V | undefined;
  contains(key: K): boolean;
  /** Entries in insertion order; do not mutate the values. */
  entries(): IterableIterator<[K, V]>;
  readonly size: number;
}

/**
 * Broadcast state as the broadcast side sees it: read-write (Flink's `BroadcastState`).
 *
 * @example
 * ```ts
 * processBroadcastElement(rule, ctx) { ctx.getBroadcastState(rulesDescriptor).put(rule.name, rule); }
 * ```
 */
export interface BroadcastState<K, V> extends ReadOnlyBroadcastState<K, V> {
  put(key: K, value: V): void;
  putAll(entries: Iterable<[K, V]>): void;
  remove(key: K): void;
  clear(): void;
}

/**
 * The element side's context (Flink's `ReadOnlyContext`).
 *
 * @example
 * ```ts
 * processElement(e, ctx, out) { if (ctx.getBroadcastState(blocked).contains(e.user)) ctx.output(rejected, e); else out.collect(e); }
 * ```
 */
export interface BroadcastReadOnlyContext extends ProcessContext {
  getBroadcastState<K, V>(descriptor: MapStateDescriptor<K, V>): ReadOnlyBroadcastState<K, V>;
}

/**
 * The broadcast side's context (Flink's `Context`): read-write broadcast state.
 *
 * @example
 * ```ts
 * processBroadcastElement(user, ctx) { ctx.getBroadcastState(blocked).put(user, true); }
 * ```
 */
export interface BroadcastContext extends ProcessContext {
  getBroadcastState<K, V>(descriptor: MapStateDescriptor<K, V>): BroadcastState<K, V>;
}

/**
 * The keyed element side's context: read-only broadcast state, the current key, keyed state and
 * timers.
 *
 * @example
 * ```ts
 * processElement(e, ctx, out) {
 *   const seen = ctx.getState(new ValueStateDescriptor<number>('seen'));
 *   seen.update((seen.value() ?? 0) + 1);
 *   if (ctx.getBroadcastState(limits).get('max')! < seen.value()!) out.collect(`${ctx.getCurrentKey()} over the limit`);
 * }
 * ```
 */
export interface KeyedBroadcastReadOnlyContext<K> extends BroadcastReadOnlyContext, KeyedStateStore {
  getCurrentKey(): K;
  timerService(): TimerService;
}

/**
 * Context of `onTimer` of a {@link KeyedBroadcastProcessFunction}.
 *
 * @example
 * ```ts
 * onTimer(ts, ctx, out) { out.collect(`${ctx.getCurrentKey()} quiet under ${ctx.getBroadcastState(policy).get('name')}`); }
 * ```
 */
export interface KeyedBroadcastOnTimerContext<K> extends KeyedBroadcastReadOnlyContext<K> {
  readonly timeDomain: 'event-time' | 'processing-time';
}

/**
 * The keyed broadcast side's context: read-write broadcast state, and every key's keyed state
 * through {@link KeyedBroadcastContext.applyToKeyedState} (there is no current key on this side).
 *
 * @example
 * ```ts
 * processBroadcastElement(reset, ctx) {
 *   ctx.applyToKeyedState(counts, (user, count) => count.clear());
 * }
 * ```
 */
export interface KeyedBroadcastContext<K> extends BroadcastContext {
  /** Calls `fn` for every key that has a value in this state, with that key's state. */
  applyToKeyedState<T>(descriptor: ValueStateDescriptor<T>, fn: (key: K, state: ValueState<T>) => void): void;
  applyToKeyedState<T>(descriptor: ListStateDescriptor<T>, fn: (key: K, state: ListState<T>) => void): void;
  applyToKeyedState<MK, MV>(descriptor: MapStateDescriptor<MK, MV>, fn: (key: K, state: MapState<MK, MV>) => void): void;
  applyToKeyedState<T>(descriptor: ReducingStateDescriptor<T>, fn: (key: K, state: ReducingState<T>) => void): void;
  applyToKeyedState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>, fn: (key: K, state: AggregatingState<IN, OUT>) => void): void;
}

/**
 * Flink's `BroadcastProcessFunction` on a non-keyed stream connected to a broadcast stream.
 *
 * @example
 * ```ts
 * const filter: BroadcastProcessFunction<Event, string, Event> = {
 *   processElement(e, ctx, out) { if (!ctx.getBroadcastState(blocked).contains(e.user)) out.collect(e); },
 *   processBroadcastElement(user, ctx) { ctx.getBroadcastState(blocked).put(user, true); },
 * };
 * events.connect(blockedUsers.broadcast(blocked)).process(filter);
 * ```
 */
export interface BroadcastProcessFunction<IN1, IN2, OUT> {
  open?(): void;
  processElement(value: IN1, ctx: BroadcastReadOnlyContext, out: Collector<OUT>): NotAPromise;
  processBroadcastElement(value: IN2, ctx: BroadcastContext, out: Collector<OUT>): NotAPromise;
  close?(): void;
}

/**
 * Flink's `KeyedBroadcastProcessFunction` on a keyed stream connected to a broadcast stream.
 *
 * @example
 * ```ts
 * const fn: KeyedBroadcastProcessFunction<string, Event, Rule, string> = {
 *   processElement(e, ctx, out) { const r = ctx.getBroadcastState(rules).get(e.type); if (r && e.value > r.max) out.collect(`${ctx.getCurrentKey()}: ${r.name}`); },
 *   processBroadcastElement(r, ctx) { ctx.getBroadcastState(rules).put(r.type, r); },
 * };
 * events.keyBy('user').connect(ruleStream.broadcast(rules)).process(fn);
 * ```
 */
export interface KeyedBroadcastProcessFunction<K, IN1, IN2, OUT> {
  open?(ctx: KeyedRuntimeContext): void;
  processElement(value: IN1, ctx: KeyedBroadcastReadOnlyContext<K>, out: Collector<OUT>): NotAPromise;
  processBroadcastElement(value: IN2, ctx: KeyedBroadcastContext<K>, out: Collector<OUT>): NotAPromise;
  onTimer?(timestamp: number, ctx: KeyedBroadcastOnTimerContext<K>, out: Collector<OUT>): NotAPromise;
  close?(): void;
}

/**
 * The plan's spec of a broadcast process node.
 *
 * @example
 * ```ts
 * const node = env.explain().nodes.find((n) => n.kind === 'broadcastProcess');
 * if (node?.kind === 'broadcastProcess') console.log(node.spec.stateNames);
 * ```
 */
export interface BroadcastProcessNodeSpec {
  /** Undefined for a non-keyed element stream. */
  readonly keySelector: ((value: unknown) => unknown) | undefined;
  readonly fn: BroadcastProcessFunction<unknown, unknown, unknown> | KeyedBroadcastProcessFunction<unknown, unknown, unknown, unknown>;
  /** Names of the broadcast states declared by `broadcast(...descriptors)`. */
  readonly stateNames: readonly string[];
}
