/**
 * What the seed's policy triggers (Count.of, Delta.of as triggers) share: they decide *before*
 * the element is added (the 0.9 discretizer's order: the closing element opens the next window),
 * keep their state in one keyed value (checkpointed), and fire the last partial window at the end
 * of bounded input (a timer at +Infinity, fired by the final watermark).
 * @internal
 */
import { type Trigger, type TriggerContext, TriggerResult } from '../../contract/trigger.js';
import { type ValueState } from '../../state/state-types.js';
import { ValueStateDescriptor } from '../../state/descriptors.js';
import { type Window } from '../../contract/window.js';

export abstract class SeedPolicyTrigger<T, S> implements Trigger<T, Window> {
  private readonly state: ValueStateDescriptor<S>;

  protected constructor(stateName: string) {
    this.state = new ValueStateDescriptor<S>(stateName);
  }

  /** Whether `element` closes the current window; may update the policy's state. */
  protected abstract decide(element: T, state: ValueState<S>): TriggerResult;

  onElementBefore(element: T, _ts: number, _w: Window, ctx: TriggerContext): TriggerResult {
    ctx.registerEventTimeTimer(Number.POSITIVE_INFINITY);
    return this.decide(element, ctx.getPartitionedState(this.state));
  }
  onElement(): TriggerResult {
    return TriggerResult.CONTINUE;
  }
  onEventTime(time: number): TriggerResult {
    return time === Number.POSITIVE_INFINITY ? TriggerResult.FIRE : TriggerResult.CONTINUE;
  }
  onProcessingTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }
  clear(_w: Window, ctx: TriggerContext): void {
    ctx.getPartitionedState(this.state).clear();
    ctx.deleteEventTimeTimer(Number.POSITIVE_INFINITY);
  }
}
