/**
 * The contexts handed to process functions: one object per operator, updated per element
 * (timestamp, key) instead of allocated per element.
 * @internal
 */
import { DEAD_LETTERS, type OutputTag } from './output-tag.js';
import type { OnTimerContext, ProcessContext, TimerService } from './process-functions.js';
import type { OperatorContext } from './operator.js';
import { StreamRecord } from './stream-record.js';
import type {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from '../state/descriptors.js';
import type { KeyedStateBackend } from '../state/keyed-state-backend.js';
import { VOID_NAMESPACE } from '../state/state-table.js';
import type { AggregatingState, ListState, MapState, ReducingState, ValueState } from '../state/state-types.js';

/** The parts of an operator a context reads. */
export interface ContextOwner {
  readonly ctx: OperatorContext<unknown>;
  watermark(): number;
}

export class ProcessContextImpl implements ProcessContext {
  timestamp = 0;
  private readonly sideRecord = new StreamRecord<unknown>();
  private warnedDeadLetters = false;
  constructor(protected readonly owner: ContextOwner) {}
  currentWatermark(): number {
    return this.owner.watermark();
  }
  currentProcessingTime(): number {
    return this.owner.ctx.clock.now();
  }
  output<X>(tag: OutputTag<X>, value: X): void {
    const side = this.owner.ctx.sideOutput(tag.id);
    // A record sent to the dead letters is counted (metrics, the lifecycle log), consumed or not;
    // without a consumer it is not silently gone: the first one is reported as a warning.
    if (tag.id === DEAD_LETTERS.id) this.deadLetter(side === undefined);
    if (side === undefined) return;
    this.sideRecord.value = value;
    this.sideRecord.timestamp = this.timestamp;
    side.processElement(this.sideRecord);
  }

  private deadLetter(unconsumed: boolean): void {
    const ctx = this.owner.ctx;
    ctx.counters.deadLetters++;
    if (unconsumed && !this.warnedDeadLetters) {
      this.warnedDeadLetters = true;
      process.emitWarning(
        `Operator '${ctx.name}' sent a record to the dead letters; consume stream.getSideOutput(DEAD_LETTERS) to receive them. Further ones are only counted.`,
        { code: 'WEIR_DEAD_LETTER' },
      );
    }
  }
}

export class KeyedContextImpl<K> extends ProcessContextImpl implements OnTimerContext<K>, TimerService {
  timeDomain: 'event-time' | 'processing-time' = 'event-time';
  private readonly states = new Map<string, unknown>();
  constructor(
    owner: ContextOwner,
    private readonly backend: KeyedStateBackend,
  ) {
    super(owner);
  }
  get operatorName(): string {
    return this.owner.ctx.name;
  }
  getCurrentKey(): K {
    return this.backend.getCurrentKey() as K;
  }
  timerService(): TimerService {
    return this;
  }
  registerEventTimeTimer(t: number): void {
    this.backend.eventTimers.add(t, this.backend.currentKey, VOID_NAMESPACE);
  }
  registerProcessingTimeTimer(t: number): void {
    this.backend.processingTimers.add(t, this.backend.currentKey, VOID_NAMESPACE);
  }
  deleteEventTimeTimer(t: number): void {
    this.backend.eventTimers.delete(t, this.backend.currentKey, VOID_NAMESPACE);
  }
  deleteProcessingTimeTimer(t: number): void {
    this.backend.processingTimers.delete(t, this.backend.currentKey, VOID_NAMESPACE);
  }
  getState<T>(d: ValueStateDescriptor<T>): ValueState<T> {
    return this.cached(d.name, () => this.backend.getState(d));
  }
  getListState<T>(d: ListStateDescriptor<T>): ListState<T> {
    return this.cached(d.name, () => this.backend.getListState(d));
  }
  getMapState<KK, V>(d: MapStateDescriptor<KK, V>): MapState<KK, V> {
    return this.cached(d.name, () => this.backend.getMapState(d));
  }
  getReducingState<T>(d: ReducingStateDescriptor<T>): ReducingState<T> {
    return this.cached(d.name, () => this.backend.getReducingState(d));
  }
  getAggregatingState<IN, ACC, OUT>(d: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT> {
    return this.cached(d.name, () => this.backend.getAggregatingState(d));
  }
  private cached<S>(name: string, create: () => S): S {
    let s = this.states.get(name) as S | undefined;
    if (s === undefined) {
      s = create();
      this.states.set(name, s);
    }
    return s;
  }
}
