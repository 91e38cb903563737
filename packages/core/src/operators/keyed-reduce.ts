/**
 * Rolling `reduce` on a keyed stream (Flink's `StreamGroupedReduceOperator`): the first element
 * of a key is stored and emitted as it is; every later element is folded in with
 * `reduce(accumulated, element)`, stored, and the result emitted with the element's timestamp.
 * One output per input. `sum`, `min`, `max`, `minBy` and `maxBy` are reduce functions on top.
 *
 * The state of a key is a small holder object updated in place, so an element costs one state
 * lookup instead of a lookup and a store (the holder is plain data in checkpoints).
 */
import { PURE_REDUCER } from '../aggregation/aggregators.js';
import type { ReduceFunction } from '../functions/functions.js';
import type { OperatorContext } from '../contract/operator.js';
import type { StreamRecord } from '../contract/stream-record.js';
import type { StateTable } from '../state/state-table.js';
import { VOID_NAMESPACE } from '../state/state-table.js';
import { AbstractKeyedOperator } from '../contract/abstract-keyed-operator.js';

interface Reduced<T> {
  v: T;
}

export class KeyedReduceOperator<T> extends AbstractKeyedOperator<T, T> {
  private table: StateTable<Reduced<T>> = undefined as unknown as StateTable<Reduced<T>>;

  constructor(
    private readonly keySelector: (value: T) => unknown,
    private readonly reduce: ReduceFunction<T>,
  ) {
    super();
  }

  override open(ctx: OperatorContext<T>): void {
    super.open(ctx);
    // Built-in aggregations never modify what they return, so the checkpoint can keep a
    // reference; a user reduce may update its accumulator in place, so it is cloned.
    const pure = (this.reduce as { [PURE_REDUCER]?: boolean })[PURE_REDUCER] === true;
    this.table = this.backend.table<Reduced<T>>('_op_state', 'value', {
      encode: (h) => (pure || typeof h.v !== 'object' || h.v === null ? h.v : structuredClone(h.v)),
      decode: (v) => ({ v: v as T }),
    });
  }

  processElement(input: StreamRecord<T>): void {
    this.counters.recordsIn++;
    const value = input.value;
    this.selectKey(this.keySelector, value);
    const key = this.backend.currentKey;
    const holder = this.table.get(key, VOID_NAMESPACE);
    let result: T;
    if (holder === undefined) {
      result = value;
      this.table.put(key, VOID_NAMESPACE, { v: value });
    } else {
      try {
        result = this.reduce(holder.v, value);
      } catch (e) {
        throw this.userError(e, this.backend.getCurrentKey());
      }
      holder.v = result;
    }
    const out = this.record;
    out.value = result;
    out.timestamp = input.timestamp;
    this.out.processElement(out);
  }

  protected onEventTimer(): void {}
  protected onProcessingTimer(): void {}
}
