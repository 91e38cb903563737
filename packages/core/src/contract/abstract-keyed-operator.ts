/**
 * Shared plumbing of keyed operators: the state backend, the key selector, and driving the
 * operator's event-time timers from the watermark and its processing-time timers from the clock.
 *
 * Processing-time timers are fired when the runtime sees the clock pass them. At the end of
 * bounded input the timers pending at that moment fire too (Flink's batch semantics), so that a
 * bounded job with processing-time windows emits its last windows; timers registered while that
 * final drain runs, later than every timer pending at its start, do not fire (a timer that
 * re-registers itself would otherwise never let the job end).
 */
import type { OperatorContext } from './operator.js';
import type { KeyedStateBackend } from '../state/keyed-state-backend.js';
import type { Namespace } from '../state/state-table.js';
import { AbstractOperator } from './abstract-operator.js';

export abstract class AbstractKeyedOperator<IN, OUT> extends AbstractOperator<IN, OUT> {
  protected backend: KeyedStateBackend = undefined as unknown as KeyedStateBackend;
  private readonly fireEvent = (key: unknown, ns: Namespace, ts: number): void => {
    this.backend.currentKey = key;
    this.onEventTimer(key, ns, ts);
  };
  private readonly fireProcessing = (key: unknown, ns: Namespace, ts: number): void => {
    this.backend.currentKey = key;
    this.onProcessingTimer(key, ns, ts);
  };

  override open(ctx: OperatorContext<OUT>): void {
    super.open(ctx);
    if (!ctx.keyed) throw new Error(`Operator '${ctx.name}' is keyed but got no keyed state backend`);
    this.backend = ctx.keyed;
  }

  /** Sets the backend's current key from an element; wraps a failing key function. */
  protected selectKey(selector: (value: never) => unknown, value: unknown): unknown {
    let key: unknown;
    try {
      key = selector(value as never);
    } catch (e) {
      throw this.userError(e);
    }
    this.backend.setCurrentKey(key);
    return key;
  }

  protected override onWatermark(watermark: number): void {
    const timers = this.backend.eventTimers;
    if (timers.next <= watermark) timers.advance(watermark, this.fireEvent);
  }

  nextProcessingTime(): number {
    return this.backend.processingTimers.next;
  }

  override onProcessingTime(now: number): void {
    const timers = this.backend.processingTimers;
    const upTo = now === Number.POSITIVE_INFINITY ? timers.maxTimestamp() : now;
    if (timers.next <= upTo) timers.advance(upTo, this.fireProcessing);
  }

  /** An event-time timer fired; the backend's current key is already `key`. */
  protected abstract onEventTimer(key: unknown, ns: Namespace, timestamp: number): void;
  /** A processing-time timer fired; the backend's current key is already `key`. */
  protected abstract onProcessingTimer(key: unknown, ns: Namespace, timestamp: number): void;
}
