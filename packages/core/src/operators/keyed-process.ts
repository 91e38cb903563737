/**
 * `process` on a keyed stream: a {@link KeyedProcessFunction} with keyed state and timers. Output
 * of `processElement` carries the element's timestamp, output of `onTimer` the timer's.
 */
import type { KeyedProcessFunction } from '../contract/process-functions.js';
import type { OperatorContext } from '../contract/operator.js';
import type { StreamRecord } from '../contract/stream-record.js';
import { AbstractKeyedOperator } from '../contract/abstract-keyed-operator.js';
import { KeyedContextImpl } from '../contract/process-context.js';
import { TimestampedCollector } from '../contract/timestamped-collector.js';
import { isThenable, promiseReturnedError } from '../contract/refuse-promise.js';

export class KeyedProcessOperator<K, IN, OUT> extends AbstractKeyedOperator<IN, OUT> {
  private collector: TimestampedCollector<OUT> = undefined as unknown as TimestampedCollector<OUT>;
  private context: KeyedContextImpl<K> = undefined as unknown as KeyedContextImpl<K>;

  constructor(
    private readonly keySelector: (value: IN) => unknown,
    private readonly fn: KeyedProcessFunction<K, IN, OUT>,
  ) {
    super();
  }

  override open(ctx: OperatorContext<OUT>): void {
    super.open(ctx);
    this.collector = new TimestampedCollector(this.out);
    const self = this;
    this.context = new KeyedContextImpl<K>(
      { ctx: ctx as OperatorContext<unknown>, watermark: () => self.currentWatermark },
      this.backend,
    );
    if (typeof this.fn !== 'function') this.fn.open?.(this.context);
  }

  processElement(input: StreamRecord<IN>): void {
    this.counters.recordsIn++;
    const value = input.value;
    this.selectKey(this.keySelector, value);
    this.collector.record.timestamp = input.timestamp;
    this.context.timestamp = input.timestamp;
    let result: unknown;
    try {
      if (typeof this.fn === 'function') result = this.fn(value, this.context, this.collector);
      else result = this.fn.processElement(value, this.context, this.collector);
    } catch (e) {
      throw this.userError(e, this.backend.getCurrentKey());
    }
    if (isThenable(result)) throw promiseReturnedError(this.ctx.name, 'processElement function', result);
  }

  protected onEventTimer(_key: unknown, _ns: unknown, timestamp: number): void {
    this.fireTimer(timestamp, 'event-time');
  }

  protected onProcessingTimer(_key: unknown, _ns: unknown, timestamp: number): void {
    this.fireTimer(timestamp, 'processing-time');
  }

  private fireTimer(timestamp: number, domain: 'event-time' | 'processing-time'): void {
    if (typeof this.fn === 'function' || !this.fn.onTimer) return;
    this.collector.record.timestamp = timestamp;
    this.context.timestamp = timestamp;
    this.context.timeDomain = domain;
    let result: unknown;
    try {
      result = this.fn.onTimer(timestamp, this.context, this.collector);
    } catch (e) {
      throw this.userError(e, this.backend.getCurrentKey());
    }
    if (isThenable(result)) throw promiseReturnedError(this.ctx.name, 'onTimer function', result);
  }

  close(): void {
    if (typeof this.fn !== 'function') this.fn.close?.();
  }
}
