/**
 * Rolling `reduce` on a keyed stream (Flink's `StreamGroupedReduceOperator`): the first element
 * of a key is stored and emitted as it is; every later element is folded in with
 * `reduce(accumulated, element)`, stored, and the result emitted with the element's timestamp.
 * One output per input.
 *
 * `sum`, `min`, `max`, `minBy` and `maxBy` keep one accumulator slot per key and fold by the rules
 * of aggregation/accumulators.ts (the same rules every window operator uses), so a rolling
 * `maxBy` costs one state lookup and one comparison per element. A user reduce keeps its value in
 * a small holder updated in place (one lookup instead of a lookup and a store).
 */
import { AccSlot, type Accumulator, fieldAccumulator, fieldAggregationOfFunction } from '../aggregation/accumulators.js';
import type { ReduceFunction } from '../functions/functions.js';
import type { OperatorContext } from '../contract/operator.js';
import type { StreamRecord } from '../contract/stream-record.js';
import type { StateTable } from '../state/state-table.js';
import { VOID_NAMESPACE } from '../state/state-table.js';
import { AbstractKeyedOperator } from '../contract/abstract-keyed-operator.js';
import { accSlotCodec } from '../aggregation/acc-slot-codec.js';

interface Reduced<T> {
  v: T;
}

export class KeyedReduceOperator<T> extends AbstractKeyedOperator<T, T> {
  private table: StateTable<Reduced<T>> = undefined as unknown as StateTable<Reduced<T>>;
  private slots: StateTable<AccSlot> = undefined as unknown as StateTable<AccSlot>;
  /** The rules of a built-in aggregation, or undefined for a user reduce. */
  private readonly accumulator: Accumulator | undefined;

  constructor(
    private readonly keySelector: (value: T) => unknown,
    private readonly reduce: ReduceFunction<T>,
  ) {
    super();
    const builtIn = fieldAggregationOfFunction(reduce);
    this.accumulator = builtIn === undefined ? undefined : fieldAccumulator(builtIn);
  }

  override open(ctx: OperatorContext<T>): void {
    super.open(ctx);
    if (this.accumulator !== undefined) {
      // Built-in accumulators hold numbers and elements, never modified in place.
      this.slots = this.backend.table<AccSlot>('_op_state', 'aggregation', accSlotCodec(false), { mutatesThroughUpdate: true });
      return;
    }
    // A user reduce may update its accumulator in place, so the checkpoint clones it.
    this.table = this.backend.table<Reduced<T>>('_op_state', 'value', {
      encode: (h) => (typeof h.v !== 'object' || h.v === null ? h.v : structuredClone(h.v)),
      decode: (v) => ({ v: v as T }),
    });
  }

  processElement(input: StreamRecord<T>): void {
    this.counters.recordsIn++;
    const value = input.value;
    this.selectKey(this.keySelector, value);
    const result = this.accumulator !== undefined ? this.aggregate(value) : this.fold(value);
    const out = this.record;
    out.value = result;
    out.timestamp = input.timestamp;
    this.out.processElement(out);
  }

  /** Built-in aggregation: the first element of a key as it is, then the accumulator's result. */
  private aggregate(value: T): T {
    const key = this.backend.currentKey;
    const acc = this.accumulator!;
    let slot = this.slots.update(key, VOID_NAMESPACE);
    const first = slot === undefined;
    if (first) {
      slot = new AccSlot();
      this.slots.put(key, VOID_NAMESPACE, slot);
    }
    try {
      acc.add(slot!, value, 0);
      return first ? value : (acc.result(slot!) as T);
    } catch (e) {
      throw this.userError(e, this.backend.getCurrentKey());
    }
  }

  private fold(value: T): T {
    const key = this.backend.currentKey;
    const holder = this.table.update(key, VOID_NAMESPACE);
    if (holder === undefined) {
      this.table.put(key, VOID_NAMESPACE, { v: value });
      return value;
    }
    let result: T;
    try {
      result = this.reduce(holder.v, value);
    } catch (e) {
      throw this.userError(e, this.backend.getCurrentKey());
    }
    holder.v = result;
    return result;
  }

  protected onEventTimer(): void {}
  protected onProcessingTimer(): void {}
}
