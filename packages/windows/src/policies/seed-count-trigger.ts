/**
 * The seed's count trigger (Flink 0.9 `CountTriggerPolicy`), evaluated before the element is
 * added: the (n+1)-th element fires the window of the previous n and starts the next count
 * (it counts as 1). At the end of bounded input the last partial window fires too.
 * Example, n = 3: elements 1..7 give windows [1,2,3], [4,5,6], then [7] at the end.
 * The counter is keyed state (checkpointed), not a hidden field.
 * @internal
 */
import { type Trigger, type TriggerContext, TriggerResult, ValueStateDescriptor, type Window } from '@weir/core';

export class SeedCountTrigger implements Trigger<unknown, Window> {
  private readonly state = new ValueStateDescriptor<number>('seed-count');
  constructor(
    readonly count: number,
    private readonly purge: boolean,
  ) {}
  onElementBefore(_e: unknown, _ts: number, _w: Window, ctx: TriggerContext): TriggerResult {
    ctx.registerEventTimeTimer(Number.POSITIVE_INFINITY);
    const counter = ctx.getPartitionedState(this.state);
    const c = counter.value() ?? 0;
    if (c >= this.count) {
      counter.update(1);
      return this.purge ? TriggerResult.FIRE_AND_PURGE : TriggerResult.FIRE;
    }
    counter.update(c + 1);
    return TriggerResult.CONTINUE;
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
  toString(): string {
    return `Count.of(${this.count})`;
  }
}
