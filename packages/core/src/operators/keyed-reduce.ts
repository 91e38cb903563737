/**
 * Rolling `reduce` on a keyed stream (Flink's `StreamGroupedReduceOperator`): the first element
 * of a key is stored and emitted as it is; every later element is folded in with
 * `reduce(accumulated, element)`, stored, and the result emitted with the element's timestamp.
 * One output per input. `sum`, `min`, `max`, `minBy` and `maxBy` are reduce functions on top.
 */
import type { ReduceFunction } from '../functions/functions.js';
import type { OperatorContext } from '../runtime/operator.js';
import type { StateTable } from '../state/state-table.js';
import { VOID_NAMESPACE } from '../state/state-table.js';
import { AbstractKeyedOperator } from './abstract-keyed-operator.js';

export class KeyedReduceOperator<T> extends AbstractKeyedOperator<T, T> {
  private table: StateTable<T> = undefined as unknown as StateTable<T>;

  constructor(
    private readonly keySelector: (value: T) => unknown,
    private readonly reduce: ReduceFunction<T>,
  ) {
    super();
  }

  override open(ctx: OperatorContext<T>): void {
    super.open(ctx);
    this.table = this.backend.table<T>('_op_state', 'value');
  }

  processElement(value: T, timestamp: number): void {
    this.selectKey(this.keySelector, value);
    const key = this.backend.currentKey;
    const acc = this.table.get(key, VOID_NAMESPACE);
    let result: T;
    if (acc === undefined) {
      result = value;
    } else {
      try {
        result = this.reduce(acc, value);
      } catch (e) {
        throw this.userError(e, this.backend.getCurrentKey());
      }
    }
    this.table.put(key, VOID_NAMESPACE, result);
    this.out.processElement(result, timestamp);
  }

  protected onEventTimer(): void {}
  protected onProcessingTimer(): void {}
}
