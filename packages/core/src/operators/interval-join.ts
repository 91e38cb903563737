/**
 * Interval join (Flink's `IntervalJoinOperator`): for two keyed streams, every pair (l, r) with the
 * same key and `l.ts + lower <= r.ts <= l.ts + upper` (each bound inclusive unless made
 * exclusive) goes to a {@link ProcessJoinFunction}, stamped with the larger timestamp.
 *
 * Algorithm: each side keeps, per key, its elements bucketed by timestamp. An element first joins
 * the other side's buffered elements in its range, then is buffered itself, with a cleanup timer
 * at the last time the other side can still match it: for a left element at t that is
 * `t + upper` (or t when upper <= 0); for a right element at t, `t - lower` (or t when lower >= 0).
 * An element strictly behind the watermark is late (Flink's rule): it goes to the side's late
 * output, or is dropped and counted. An element exactly at the watermark is on time, so a bucket
 * is removed one millisecond after the last time a partner can match it (its cleanup timer fires
 * once the watermark passes that time): Flink removes it at that time, so a partner arriving at
 * the watermark misses it and the pair is lost without a trace; here it is joined.
 *
 * Example (bounds [-1, 1], one key): left 1, left 2 buffered; right 2 arrives and joins both
 * (pairs (1,2) at 2 and (2,2) at 2); at watermark 3 the left bucket 1 (timer 1 + 1 + 1) goes.
 *
 * State: two keyed tables of `Map<timestamp, element[]>` per key (Flink's MapState of lists);
 * every in-place change goes through `update`; the codec copies the lists at a barrier.
 */
import type { IntervalJoinNodeSpec, ProcessJoinContext } from '../contract/join-functions.js';
import type { OutputTag } from '../contract/output-tag.js';
import type { OperatorContext } from '../contract/operator.js';
import type { StreamRecord } from '../contract/stream-record.js';
import { StreamRecord as Record } from '../contract/stream-record.js';
import { AbstractKeyedOperator } from '../contract/abstract-keyed-operator.js';
import { TimestampedCollector } from '../contract/timestamped-collector.js';
import { isThenable, promiseReturnedError } from '../contract/refuse-promise.js';
import type { TableCodec } from '../state/keyed-state-backend.js';
import { type Namespace, type StateTable, VOID_NAMESPACE } from '../state/state-table.js';

/** One side's buffer of one key: timestamp -> elements with that timestamp, in arrival order. */
type Buckets = Map<number, unknown[]>;

const bucketsCodec: TableCodec<Buckets> = {
  encode: (m) => [...m].map(([ts, list]) => [ts, list.slice()]),
  decode: (data) => new Map(data as Array<[number, unknown[]]>),
};

/** Timer namespaces of the two sides' cleanup (Flink's CLEANUP_LEFT / CLEANUP_RIGHT). */
const LEFT: Namespace = 'interval-join-left';
const RIGHT: Namespace = 'interval-join-right';

class JoinContext implements ProcessJoinContext {
  leftTimestamp = 0;
  rightTimestamp = 0;
  timestamp = 0;
  private readonly side = new Record<unknown>();
  constructor(private readonly ctx: OperatorContext<unknown>) {}
  output<X>(tag: OutputTag<X>, value: X): void {
    const out = this.ctx.sideOutput(tag.id);
    if (out === undefined) return;
    this.side.value = value;
    this.side.timestamp = this.timestamp;
    out.processElement(this.side);
  }
}

export class IntervalJoinOperator extends AbstractKeyedOperator<unknown, unknown> {
  /** Bounds with exclusiveness folded in (Flink: lower + 1 / upper - 1 when exclusive). */
  private readonly lower: number;
  private readonly upper: number;
  private left: StateTable<Buckets> = undefined as unknown as StateTable<Buckets>;
  private right: StateTable<Buckets> = undefined as unknown as StateTable<Buckets>;
  private collector: TimestampedCollector<unknown> = undefined as unknown as TimestampedCollector<unknown>;
  private context: JoinContext = undefined as unknown as JoinContext;
  private readonly lateRecord = new Record<unknown>();

  constructor(private readonly spec: IntervalJoinNodeSpec) {
    super();
    this.lower = spec.lowerBoundInclusive ? spec.lowerBound : spec.lowerBound + 1;
    this.upper = spec.upperBoundInclusive ? spec.upperBound : spec.upperBound - 1;
  }

  override open(ctx: OperatorContext<unknown>): void {
    super.open(ctx);
    // Buckets are changed in place only after update() (the join only reads the other side's).
    const options = { mutatesThroughUpdate: true };
    this.left = this.backend.table('interval-join-left-buffer', 'interval-join-buffer', bucketsCodec, options);
    this.right = this.backend.table('interval-join-right-buffer', 'interval-join-buffer', bucketsCodec, options);
    this.collector = new TimestampedCollector(this.out);
    this.context = new JoinContext(ctx);
    if (typeof this.spec.fn !== 'function') this.spec.fn.open?.();
  }

  processElement(record: StreamRecord<unknown>): void {
    this.counters.recordsIn++;
    this.selectKey(this.spec.keySelector1, record.value);
    this.join(record.value, record.timestamp, true);
  }

  processElement2(record: StreamRecord<unknown>): void {
    this.counters.recordsIn++;
    this.selectKey(this.spec.keySelector2, record.value);
    this.join(record.value, record.timestamp, false);
  }

  private join(value: unknown, ts: number, isLeft: boolean): void {
    if (ts < this.currentWatermark) {
      this.late(value, ts, isLeft ? this.spec.leftLateTag : this.spec.rightLateTag);
      return;
    }
    const key = this.backend.currentKey;
    // Relative to this element: the other side's timestamps that match it.
    const relLower = isLeft ? this.lower : -this.upper;
    const relUpper = isLeft ? this.upper : -this.lower;
    const own = isLeft ? this.left : this.right;
    const other = (isLeft ? this.right : this.left).get(key, VOID_NAMESPACE);
    const buckets = own.update(key, VOID_NAMESPACE);
    if (buckets === undefined) own.put(key, VOID_NAMESPACE, new Map([[ts, [value]]]));
    else {
      const list = buckets.get(ts);
      if (list === undefined) buckets.set(ts, [value]);
      else list.push(value);
    }
    if (other !== undefined) {
      const from = ts + relLower;
      const to = ts + relUpper;
      for (const [otherTs, elements] of other) {
        if (otherTs < from || otherTs > to) continue;
        for (const e of elements) {
          if (isLeft) this.emit(value, e, ts, otherTs);
          else this.emit(e, value, otherTs, ts);
        }
      }
    }
    // The last time a partner can match this element, plus one: a partner at the watermark is on time.
    const cleanupAt = (relUpper > 0 ? ts + relUpper : ts) + 1;
    this.backend.eventTimers.add(cleanupAt, key, isLeft ? LEFT : RIGHT);
  }

  private emit(left: unknown, right: unknown, leftTs: number, rightTs: number): void {
    const ts = leftTs > rightTs ? leftTs : rightTs;
    const c = this.context;
    c.leftTimestamp = leftTs;
    c.rightTimestamp = rightTs;
    c.timestamp = ts;
    this.collector.record.timestamp = ts;
    const fn = this.spec.fn;
    let result: unknown;
    try {
      result = typeof fn === 'function' ? fn(left, right, c, this.collector) : fn.processElement(left, right, c, this.collector);
    } catch (e) {
      throw this.userError(e, this.backend.getCurrentKey());
    }
    if (isThenable(result)) throw promiseReturnedError(this.ctx.name, 'process join function', result);
  }

  private late(value: unknown, ts: number, tag: string | undefined): void {
    const side = tag === undefined ? undefined : this.ctx.sideOutput(tag);
    if (side === undefined) {
      this.counters.lateRecordsDropped++;
      return;
    }
    this.counters.lateRecordsSideOutput++;
    this.lateRecord.value = value;
    this.lateRecord.timestamp = ts;
    side.processElement(this.lateRecord);
  }

  protected onEventTimer(key: unknown, ns: Namespace, timestamp: number): void {
    const isLeft = ns === LEFT;
    // The bucket the timer was set for (Flink's onEventTime, with the extra millisecond undone).
    const t = timestamp - 1;
    const bucketTs = isLeft ? (this.upper <= 0 ? t : t - this.upper) : this.lower <= 0 ? t + this.lower : t;
    const table = isLeft ? this.left : this.right;
    const buckets = table.update(key, VOID_NAMESPACE);
    if (buckets === undefined) return;
    buckets.delete(bucketTs);
    if (buckets.size === 0) table.remove(key, VOID_NAMESPACE);
  }

  protected onProcessingTimer(): void {}

  /** Buffered timestamps of one side for a user key (tests). @internal */
  bufferedTimestamps(side: 'left' | 'right', userKey: unknown): number[] {
    const buckets = (side === 'left' ? this.left : this.right).get(this.backend.internalKey(userKey), VOID_NAMESPACE);
    return buckets === undefined ? [] : [...buckets.keys()].sort((a, b) => a - b);
  }

  close(): void {
    if (typeof this.spec.fn !== 'function') this.spec.fn.close?.();
  }
}
