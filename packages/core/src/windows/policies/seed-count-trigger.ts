/**
 * The seed's count trigger (Flink 0.9 `CountTriggerPolicy`), evaluated before the element is
 * added: the (n+1)-th element fires the window of the previous n and starts the next count
 * (it counts as 1). At the end of bounded input the last partial window fires too.
 * Example, n = 3: elements 1..7 give windows [1,2,3], [4,5,6], then [7] at the end.
 * The counter is keyed state (checkpointed), not a hidden field.
 * @internal
 */
import { TriggerResult } from '../../contract/trigger.js';
import { type ValueState } from '../../state/state-types.js';
import { SeedPolicyTrigger } from './seed-policy-trigger.js';
import type { DataDrivenRule } from '../../contract/data-driven-trigger.js';

export class SeedCountTrigger extends SeedPolicyTrigger<unknown, number> {
  constructor(
    readonly count: number,
    /** @internal */
    readonly purge: boolean,
  ) {
    super('seed-count');
  }
  protected decide(_element: unknown, counter: ValueState<number>): TriggerResult {
    const c = counter.value() ?? 0;
    if (c >= this.count) {
      counter.update(1);
      return this.purge ? TriggerResult.FIRE_AND_PURGE : TriggerResult.FIRE;
    }
    counter.update(c + 1);
    return TriggerResult.CONTINUE;
  }
  /** @internal What the count-and-delta window operator needs to do exactly this. */
  dataDrivenRule(): DataDrivenRule {
    return { kind: 'count', n: this.count, before: true, purge: this.purge, fireAtEnd: true };
  }
  override toString(): string {
    return `Count.of(${this.count})`;
  }
}
