/**
 * How a window's contents are kept and evaluated, chosen once per operator:
 * - incremental (reduce / aggregate without evictor): one accumulator per (key, window);
 * - buffered (process/apply/mapWindow, or any function with an evictor): the elements and their
 *   timestamps in two parallel arrays (no wrapper object per element); evictors run over them
 *   before/after the function, and reduce/aggregate fold the survivors at fire time.
 * @internal
 */
import { FIELD_AGGREGATION, type FieldAggregation } from '../aggregation/aggregators.js';
import type { AggregateFunction, Collector, ReduceFunction } from '../functions/functions.js';
import type { TimestampedCollector } from '../contract/timestamped-collector.js';
import { createFieldAggregationContents } from './field-aggregation-contents.js';
import type { Evictor, EvictorContext, WindowBuffer } from '../contract/evictor.js';
import type { ProcessWindowFunction, WindowContext, WindowFunctionSpec } from '../contract/window-functions.js';
import { isThenable, promiseReturnedError } from '../contract/refuse-promise.js';
import type { WindowSlot } from './window-slot.js';
import { maxTimestampOf, type Window } from '../contract/window.js';

/** What evaluating a window needs from the operator. */
export interface WindowEmitter {
  readonly operatorName: string;
  readonly collector: TimestampedCollector<unknown>;
  readonly context: WindowContext<Window>;
  readonly evictorContext: EvictorContext;
}

export interface WindowContents {
  add(slot: WindowSlot, value: unknown, timestamp: number): void;
  /** Folds `source`'s contents into `target` (merging windows). */
  mergeInto(target: WindowSlot, source: WindowSlot): void;
  emit(key: unknown, slot: WindowSlot, window: Window, emitter: WindowEmitter): void;
}

type PWF = ProcessWindowFunction<unknown, unknown, unknown, Window>;

function callProcess(fn: PWF, key: unknown, emitter: WindowEmitter, elements: readonly unknown[]): void {
  const { context, collector } = emitter;
  const result: unknown = typeof fn === 'function' ? fn(key, context, elements, collector) : fn.process(key, context, elements, collector);
  if (isThenable(result)) throw promiseReturnedError(emitter.operatorName, 'window function', result);
}

function emitResult(result: unknown, process: PWF | undefined, key: unknown, emitter: WindowEmitter): void {
  if (process === undefined) emitter.collector.collect(result);
  else callProcess(process, key, emitter, [result]);
}

class ReduceContents implements WindowContents {
  constructor(
    private readonly reduce: ReduceFunction<unknown>,
    private readonly process: PWF | undefined,
  ) {}
  add(slot: WindowSlot, value: unknown): void {
    if (slot.hasAcc) slot.acc = this.reduce(slot.acc, value);
    else {
      slot.acc = value;
      slot.hasAcc = true;
    }
  }
  mergeInto(target: WindowSlot, source: WindowSlot): void {
    if (source.hasAcc) this.add(target, source.acc);
  }
  emit(key: unknown, slot: WindowSlot, _w: Window, emitter: WindowEmitter): void {
    emitResult(slot.acc, this.process, key, emitter);
  }
}

class AggregateContents implements WindowContents {
  constructor(
    private readonly fn: AggregateFunction<unknown, unknown, unknown>,
    private readonly process: PWF | undefined,
  ) {}
  add(slot: WindowSlot, value: unknown): void {
    slot.acc = this.fn.add(value, slot.hasAcc ? slot.acc : this.fn.createAccumulator());
    slot.hasAcc = true;
  }
  mergeInto(target: WindowSlot, source: WindowSlot): void {
    if (!source.hasAcc) return;
    if (!target.hasAcc) {
      target.acc = source.acc;
      target.hasAcc = true;
      return;
    }
    if (!this.fn.merge) throw new TypeError('This AggregateFunction has no merge(), which merging (session) windows need');
    target.acc = this.fn.merge(target.acc, source.acc);
  }
  emit(key: unknown, slot: WindowSlot, _w: Window, emitter: WindowEmitter): void {
    emitResult(this.fn.getResult(slot.acc), this.process, key, emitter);
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
  private readonly buffer = new SlotBuffer();
  constructor(
    private readonly fn: WindowFunctionSpec,
    private readonly evictor: Evictor<unknown, Window> | undefined,
  ) {}
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
  emit(key: unknown, slot: WindowSlot, window: Window, emitter: WindowEmitter): void {
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
    if (fn.kind === 'process') callProcess(fn.process, key, emitter, elements);
    else if (elements.length > 0) {
      let acc: unknown;
      if (fn.kind === 'reduce') {
        acc = elements[0];
        for (let i = 1; i < elements.length; i++) acc = fn.reduce(acc, elements[i]);
      } else {
        acc = fn.aggregate.createAccumulator();
        for (const e of elements) acc = fn.aggregate.add(e, acc);
        acc = fn.aggregate.getResult(acc);
      }
      emitResult(acc, fn.process, key, emitter);
    }
    if (this.evictor) this.evictor.evictAfter(this.buffer, window, emitter.evictorContext);
    this.buffer.slot = null;
  }
}

/** The built-in aggregation behind a window function, if it is one (and has no process function). */
export function fieldAggregationOf(fn: WindowFunctionSpec): FieldAggregation | undefined {
  if (fn.kind !== 'aggregate' || fn.process !== undefined) return undefined;
  return (fn.aggregate as { [FIELD_AGGREGATION]?: FieldAggregation })[FIELD_AGGREGATION];
}

/** Picks the contents strategy for a window function and optional evictor. */
export function createWindowContents(fn: WindowFunctionSpec, evictor: Evictor<unknown, Window> | undefined): WindowContents {
  if (evictor === undefined && fn.kind === 'reduce') return new ReduceContents(fn.reduce, fn.process);
  if (evictor === undefined && fn.kind === 'aggregate') {
    const builtIn = fieldAggregationOf(fn);
    if (builtIn !== undefined) return createFieldAggregationContents(builtIn);
    return new AggregateContents(fn.aggregate, fn.process);
  }
  return new BufferedContents(fn, evictor);
}
