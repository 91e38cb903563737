/**
 * Triggers (Flink's `Trigger`): when a window's function is evaluated and when its contents are
 * purged. Concrete triggers live in `@weir/windows`.
 *
 * weir adds one optional hook, `onElementBefore`, evaluated before the element is added to the
 * window. It expresses the seed's (Flink 0.9) discretizer policies, where the element that
 * triggers is not part of the window it closes but opens the next one.
 */
import type {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from '../state/descriptors.js';
import type { AggregatingState, ListState, ReducingState, ValueState } from '../state/state-types.js';
import type { Window } from './window.js';

/**
 * What a trigger decides. Bit 1 = fire (evaluate the window), bit 2 = purge (drop contents).
 *
 * @example
 * ```ts
 * return count >= 10 ? TriggerResult.FIRE_AND_PURGE : TriggerResult.CONTINUE;
 * ```
 */
export const TriggerResult = {
  CONTINUE: 0,
  FIRE: 1,
  PURGE: 2,
  FIRE_AND_PURGE: 3,
} as const;
/**
 * One of {@link TriggerResult}'s values.
 *
 * @example
 * ```ts
 * const decide = (count: number): TriggerResult => (count >= 10 ? TriggerResult.FIRE_AND_PURGE : TriggerResult.CONTINUE);
 * ```
 */
export type TriggerResult = (typeof TriggerResult)[keyof typeof TriggerResult];

/** @internal */
export const isFire = (r: TriggerResult): boolean => (r & 1) !== 0;
/** @internal */
export const isPurge = (r: TriggerResult): boolean => (r & 2) !== 0;

/**
 * Per-(key, window) state a trigger may keep, scoped to the window being evaluated.
 *
 * @example
 * ```ts
 * const count = ctx.getPartitionedState(new ReducingStateDescriptor<number>('count', (a, b) => a + b));
 * count.add(1);
 * ```
 */
export interface PartitionedStateStore {
  getPartitionedState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T>;
  getPartitionedState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
  getPartitionedState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T>;
  getPartitionedState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT>;
}

/**
 * The trigger's view of the runtime: time, timers of the current window, and its state.
 *
 * @example
 * ```ts
 * const atWindowEnd: Trigger<Tick, TimeWindow> = {
 *   onElement(_t, _ts, window, ctx) {
 *     if (window.maxTimestamp() <= ctx.getCurrentWatermark()) return TriggerResult.FIRE;
 *     ctx.registerEventTimeTimer(window.maxTimestamp());
 *     return TriggerResult.CONTINUE;
 *   },
 *   onEventTime: (time, window) => (time === window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE),
 *   onProcessingTime: () => TriggerResult.CONTINUE,
 *   clear: (window, ctx) => ctx.deleteEventTimeTimer(window.maxTimestamp()),
 * };
 * ```
 */
export interface TriggerContext extends PartitionedStateStore {
  getCurrentWatermark(): number;
  getCurrentProcessingTime(): number;
  registerEventTimeTimer(time: number): void;
  registerProcessingTimeTimer(time: number): void;
  deleteEventTimeTimer(time: number): void;
  deleteProcessingTimeTimer(time: number): void;
}

/**
 * Context of `onMerge`: can fold the merged windows' trigger state into the new window.
 *
 * @example
 * ```ts
 * onMerge(window, ctx) {
 *   ctx.mergePartitionedState(countDescriptor); // sum the merged sessions' counts
 * }
 * ```
 */
export interface OnMergeContext extends TriggerContext {
  mergePartitionedState(descriptor: ReducingStateDescriptor<unknown> | ListStateDescriptor<unknown> | AggregatingStateDescriptor<unknown, unknown, unknown>): void;
}

/**
 * Decides when a window fires.
 *
 * @example
 * ```ts
 * const fireOnEveryElement: Trigger<unknown, Window> = {
 *   onElement: () => TriggerResult.FIRE,
 *   onEventTime: () => TriggerResult.CONTINUE,
 *   onProcessingTime: () => TriggerResult.CONTINUE,
 *   clear: () => {},
 * };
 * ```
 */
export interface Trigger<T, W extends Window> {
  /** weir extension: evaluated before the element is added (the seed's discretizer semantics). */
  onElementBefore?(element: T, timestamp: number, window: W, ctx: TriggerContext): TriggerResult;
  onElement(element: T, timestamp: number, window: W, ctx: TriggerContext): TriggerResult;
  onEventTime(time: number, window: W, ctx: TriggerContext): TriggerResult;
  onProcessingTime(time: number, window: W, ctx: TriggerContext): TriggerResult;
  /** Whether the trigger supports merging windows (required with session windows). */
  canMerge?(): boolean;
  onMerge?(window: W, ctx: OnMergeContext): void;
  /** The window is being discarded: delete its timers and state. */
  clear(window: W, ctx: TriggerContext): void;
  toString?(): string;
}
