/**
 * The seed's delta trigger (Flink 0.9 `DeltaPolicy`), evaluated before the element is added:
 * the reference point starts as the policy's initial value; an element whose delta from the
 * reference is strictly greater than the threshold closes the current window *without* itself,
 * becomes the new reference and opens the next window. The last partial window fires when bounded
 * input ends. The reference is keyed state (checkpointed) — the 0.9 version kept it in a
 * transient field that a restart lost.
 * Example, threshold 0.05 relative, initial 1000: 1000, 1020, 1060 -> 1060 closes [1000, 1020].
 * @internal
 */
import { TriggerResult } from '../../contract/trigger.js';
import { type ValueState } from '../../state/state-types.js';
import type { DeltaFunction } from '../triggers/delta-trigger.js';
import { SeedPolicyTrigger } from './seed-policy-trigger.js';
import type { DataDrivenRule } from '../../contract/data-driven-trigger.js';

export class SeedDeltaTrigger<T> extends SeedPolicyTrigger<T, { ref: T }> {
  constructor(
    readonly threshold: number,
    /** @internal read by the count-and-delta window operator */
    readonly delta: DeltaFunction<T>,
    /** @internal */
    readonly initial: T,
    /** @internal */
    readonly purge: boolean,
  ) {
    super('seed-delta-reference');
  }
  protected decide(element: T, reference: ValueState<{ ref: T }>): TriggerResult {
    const ref = reference.value();
    if (this.delta(ref === undefined ? this.initial : ref.ref, element) > this.threshold) {
      reference.update({ ref: element });
      return this.purge ? TriggerResult.FIRE_AND_PURGE : TriggerResult.FIRE;
    }
    return TriggerResult.CONTINUE;
  }
  /** @internal What the count-and-delta window operator needs to do exactly this. */
  dataDrivenRule(): DataDrivenRule {
    return {
      kind: 'delta',
      threshold: this.threshold,
      delta: this.delta as (a: unknown, b: unknown) => number,
      before: true,
      initial: { value: this.initial },
      purge: this.purge,
      fireAtEnd: true,
    };
  }
  override toString(): string {
    return `Delta.of(${this.threshold})`;
  }
}
