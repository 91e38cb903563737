/**
 * Process functions: the lowest-level user functions (Flink's `ProcessFunction`,
 * `KeyedProcessFunction`, `CoProcessFunction`, `KeyedCoProcessFunction`). Each may be given as a
 * plain function (the `processElement` body) or as an object with lifecycle and timer callbacks.
 */
import type { OutputTag } from './output-tag.js';
import type { KeyedStateStore } from '../state/state-types.js';
import type { Collector, NotAPromise } from '../functions/functions.js';

/**
 * What every process function can see about the element being processed.
 *
 * @example
 * ```ts
 * stream.process<string>((line, ctx, out) => {
 *   if (ctx.timestamp < ctx.currentWatermark()) ctx.output(behind, line);
 *   else out.collect(line);
 * });
 * ```
 */
export interface ProcessContext {
  /** The element's timestamp (event time, or ingestion time without a watermark strategy). */
  readonly timestamp: number;
  currentWatermark(): number;
  currentProcessingTime(): number;
  /** Emits to a side output; `stream.getSideOutput(tag)` reads it. */
  output<X>(tag: OutputTag<X>, value: X): void;
}

/**
 * Timers of a keyed function, scoped to the current key (Flink's `TimerService`).
 *
 * @example
 * ```ts
 * const timers = ctx.timerService();
 * timers.registerEventTimeTimer(ctx.timestamp + 5_000);
 * timers.registerProcessingTimeTimer(timers.currentProcessingTime() + 30_000);
 * ```
 */
export interface TimerService {
  currentProcessingTime(): number;
  currentWatermark(): number;
  registerEventTimeTimer(timestamp: number): void;
  registerProcessingTimeTimer(timestamp: number): void;
  deleteEventTimeTimer(timestamp: number): void;
  deleteProcessingTimeTimer(timestamp: number): void;
}

/**
 * Context of a keyed process function: key, state and timers.
 *
 * @example
 * ```ts
 * ticks.keyBy('symbol').process<string>((t, ctx, out) => {
 *   const last = ctx.getState(new ValueStateDescriptor<number>('last'));
 *   if (last.value() !== undefined && t.price > last.value()!) out.collect(`${ctx.getCurrentKey()} up`);
 *   last.update(t.price);
 *   ctx.timerService().registerEventTimeTimer(ctx.timestamp + 60_000);
 * });
 * ```
 */
export interface KeyedProcessContext<K> extends ProcessContext, KeyedStateStore {
  getCurrentKey(): K;
  timerService(): TimerService;
}

/**
 * Context of `onTimer`.
 *
 * @example
 * ```ts
 * onTimer(ts, ctx, out) {
 *   if (ctx.timeDomain === 'event-time') out.collect(`${ctx.getCurrentKey()} quiet since ${ts - 60_000}`);
 * }
 * ```
 */
export interface OnTimerContext<K> extends KeyedProcessContext<K> {
  readonly timeDomain: 'event-time' | 'processing-time';
}

/**
 * Passed to `open` of keyed functions: state registered here is scoped to the key at access time.
 *
 * @example
 * ```ts
 * const fn: KeyedProcessFunction<string, Tick, string> = {
 *   open(ctx) { console.log(`opening ${ctx.operatorName}`); },
 *   processElement(t, ctx, out) { out.collect(`${ctx.getCurrentKey()} ${t.price}`); },
 * };
 * ```
 */
export interface KeyedRuntimeContext extends KeyedStateStore {
  readonly operatorName: string;
}

/**
 * Flink's `ProcessFunction` on a non-keyed stream.
 *
 * @example
 * ```ts
 * stream.process((line: string, ctx, out) => {
 *   if (line.startsWith('#')) ctx.output(comments, line); else out.collect(line);
 * });
 * ```
 */
export type ProcessFunction<IN, OUT> =
  | ((value: IN, ctx: ProcessContext, out: Collector<OUT>) => NotAPromise)
  | {
      open?(): void;
      processElement(value: IN, ctx: ProcessContext, out: Collector<OUT>): NotAPromise;
      close?(): void;
    };

/**
 * Flink's `KeyedProcessFunction`: per-key state and event/processing-time timers.
 *
 * @example
 * ```ts
 * const countWithTimeout: KeyedProcessFunction<string, Ev, string> = {
 *   processElement(e, ctx, out) {
 *     const n = ctx.getState(new ValueStateDescriptor<number>('n'));
 *     n.update((n.value() ?? 0) + 1);
 *     ctx.timerService().registerEventTimeTimer(ctx.timestamp + 60_000);
 *   },
 *   onTimer(ts, ctx, out) { out.collect(`${ctx.getCurrentKey()} quiet since ${ts - 60_000}`); },
 * };
 * ```
 */
export type KeyedProcessFunction<K, IN, OUT> =
  | ((value: IN, ctx: KeyedProcessContext<K>, out: Collector<OUT>) => NotAPromise)
  | {
      open?(ctx: KeyedRuntimeContext): void;
      processElement(value: IN, ctx: KeyedProcessContext<K>, out: Collector<OUT>): NotAPromise;
      onTimer?(timestamp: number, ctx: OnTimerContext<K>, out: Collector<OUT>): NotAPromise;
      close?(): void;
    };

/**
 * Flink's `CoProcessFunction` over connected streams (keyed contexts when the streams are keyed).
 *
 * @example
 * ```ts
 * control.connect(data).process({
 *   processElement1(rule, ctx, out) {},
 *   processElement2(ev, ctx, out) { out.collect(ev); },
 * });
 * ```
 */
export interface CoProcessFunction<IN1, IN2, OUT, C extends ProcessContext = ProcessContext> {
  open?(ctx: KeyedRuntimeContext | undefined): void;
  processElement1(value: IN1, ctx: C, out: Collector<OUT>): NotAPromise;
  processElement2(value: IN2, ctx: C, out: Collector<OUT>): NotAPromise;
  onTimer?(timestamp: number, ctx: C & { readonly timeDomain: 'event-time' | 'processing-time' }, out: Collector<OUT>): NotAPromise;
  close?(): void;
}
