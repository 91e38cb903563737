/**
 * How the generic operator keeps and evaluates a window's contents, chosen once per operator:
 * - incremental (reduce / aggregate without evictor, built-in aggregations included): one
 *   accumulator per (key, window), kept in the window slot by the rules of
 *   aggregation/accumulators.ts;
 * - buffered (process/apply/mapWindow, or any function with an evictor): the elements and their
 *   timestamps in two parallel arrays (no wrapper object per element); evictors run over them
 *   before/after the function, and reduce/aggregate fold the survivors at fire time.
 * @internal
 */
import { type Accumulator, AccSlot, aggregateAccumulator, reduceAccumulator } from '../aggregation/accumulators.js';
import type { TimestampedCollector } from '../contract/timestamped-collector.js';
import type { Evictor, EvictorContext, WindowBuffer } from '../contract/evictor.js';
import type { WindowFunctionSpec } from '../contract/window-functions.js';
import type { WindowSlot } from './window-slot.js';
import { maxTimestampOf, type Window } from '../contract/window.js';
import type { PlanProcessWindowFunction } from './window-operator-base.js';

/** What evaluating a window needs from the operator. */
export interface WindowEmitter {
  readonly collector: TimestampedCollector<unknown>;
  readonly evictorContext: EvictorContext;
  /** Emits an aggregate, through the ProcessWindowFunction applied to it if there is one. */
  emitAggregate(result: unknown, process: PlanProcessWindowFunction | undefined): void;
  /** Calls a ProcessWindowFunction with all the window's elements. */
  emitElements(process: PlanProcessWindowFunction, elements: readonly unknown[]): void;
}

export interface WindowContents {
  add(slot: WindowSlot, value: unknown, timestamp: number): void;
  /** Folds `source`'s contents into `target` (merging windows: Flink's `reduce(target, source)` order). */
  mergeInto(target: WindowSlot, source: WindowSlot): void;
  emit(slot: WindowSlot, window: Window, emitter: WindowEmitter): void;
  /** True when the contents hold user objects that a user function may modify in place. */
  readonly userState: boolean;
}

/** The incremental functions of the plan: an accumulator, and the process function over its result. */
export interface IncrementalFunction {
  readonly accumulator: Accumulator;
  readonly process: PlanProcessWindowFunction | undefined;
}

/** The accumulator of a reduce or aggregate window function (undefined for process functions). */
export function incrementalFunctionOf(fn: WindowFunctionSpec): IncrementalFunction | undefined {
  if (fn.kind === 'reduce') return { accumulator: reduceAccumulator(fn.reduce), process: fn.process };
  if (fn.kind === 'aggregate') return { accumulator: aggregateAccumulator(fn.aggregate), process: fn.process };
  return undefined;
}

class IncrementalContents implements WindowContents {
  readonly userState: boolean;
  constructor(private readonly fn: IncrementalFunction) {
    this.userState = fn.accumulator.userState;
  }
  add(slot: WindowSlot, value: unknown): void {
    this.fn.accumulator.add(slot, value, 0);
  }
  mergeInto(target: WindowSlot, source: WindowSlot): void {
    this.fn.accumulator.merge(target, source, false);
  }
  emit(slot: WindowSlot, _w: Window, emitter: WindowEmitter): void {
    emitter.emitAggregate(this.fn.accumulator.result(slot), this.fn.process);
  }
}

/** A {@link WindowBuffer} over a slot's parallel arrays. */
class SlotBuffer implements WindowBuffer<unknown> {
  slot: WindowSlot | null = null;
  get size(): number {
    return this.slot?.values?.length ?? 0;
  }
  valueAt(i: number): unknown {
    return this.slot!.values![i];
  }
  timestampAt(i: number): number {
    return this.slot!.timestamps![i]!;
  }
  removeFirst(n: number): void {
    if (n <= 0) return;
    this.slot!.values!.splice(0, n);
    this.slot!.timestamps!.splice(0, n);
  }
  removeIf(predicate: (value: unknown, timestamp: number) => boolean): void {
    const values = this.slot!.values!;
    const ts = this.slot!.timestamps!;
    let w = 0;
    for (let r = 0; r < values.length; r++) {
      if (!predicate(values[r], ts[r]!)) {
        values[w] = values[r];
        ts[w] = ts[r]!;
        w++;
      }
    }
    values.length = w;
    ts.length = w;
  }
}

class BufferedContents implements WindowContents {
  readonly userState = false;
  private readonly buffer = new SlotBuffer();
  private readonly incremental: IncrementalFunction | undefined;
  constructor(
    private readonly fn: WindowFunctionSpec,
    private readonly evictor: Evictor<unknown, Window> | undefined,
  ) {
    this.incremental = incrementalFunctionOf(fn);
  }
  add(slot: WindowSlot, value: unknown, timestamp: number): void {
    if (slot.values === null) {
      slot.values = [value];
      slot.timestamps = [timestamp];
    } else {
      slot.values.push(value);
      slot.timestamps!.push(timestamp);
    }
  }
  mergeInto(target: WindowSlot, source: WindowSlot): void {
    if (source.values === null) return;
    for (let i = 0; i < source.values.length; i++) this.add(target, source.values[i], source.timestamps![i]!);
  }
  emit(slot: WindowSlot, window: Window, emitter: WindowEmitter): void {
    this.buffer.slot = slot;
    if (this.evictor) {
      this.evictor.evictBefore(this.buffer, window, emitter.evictorContext);
      // A global window's result carries the latest timestamp among the elements it is computed from.
      if (maxTimestampOf(window) === Number.POSITIVE_INFINITY && slot.timestamps !== null && slot.timestamps.length > 0) {
        let max = Number.NEGATIVE_INFINITY;
        for (const t of slot.timestamps) if (t > max) max = t;
        emitter.collector.record.timestamp = max;
      }
    }
    const elements = slot.values === null ? [] : slot.values.slice();
    const fn = this.fn;
    if (fn.kind === 'process') emitter.emitElements(fn.process, elements);
    else if (elements.length > 0) {
      // The survivors folded in order into a fresh accumulator, by the same rules as the incremental path.
      const { accumulator, process } = this.incremental!;
      const acc = new AccSlot();
      for (const e of elements) accumulator.add(acc, e, 0);
      emitter.emitAggregate(accumulator.result(acc), process);
    }
    if (this.evictor) this.evictor.evictAfter(this.buffer, window, emitter.evictorContext);
    this.buffer.slot = null;
  }
}

/** Picks the contents strategy for a window function and optional evictor. */
export function createWindowContents(fn: WindowFunctionSpec, evictor: Evictor<unknown, Window> | undefined): WindowContents {
  const incremental = evictor === undefined ? incrementalFunctionOf(fn) : undefined;
  return incremental !== undefined ? new IncrementalContents(incremental) : new BufferedContents(fn, evictor);
}
