/**
 * The head of an iteration (Flink's `StreamIterationHead`/`Tail` pair in one operator): elements
 * from upstream pass straight through; elements from the feedback edge are queued and re-enter
 * the head in order when the runner drains the queue (between source batches), so a loop never
 * recurses on the stack. Watermarks and the end of input of the feedback edge are ignored
 * (watermarks do not loop). The end of input is held back until the upstream has ended and the
 * loop has drained; the queued elements are operator state, so checkpoints of a job with a loop
 * are exactly-once.
 */
import { ConfigError } from '../errors.js';
import type { Downstream } from '../contract/downstream.js';
import type { OperatorSnapshot, RestoredState } from '../contract/operator.js';
import type { StreamRecord } from '../contract/stream-record.js';
import { AbstractOperator } from '../contract/abstract-operator.js';

export class IterationHeadOperator<T> extends AbstractOperator<T, T> {
  private values: T[] = [];
  private timestamps: number[] = [];
  private head = 0;
  /** Upstream has ended; the loop still runs until it drains. */
  upstreamEnded = false;
  upstreamEndedAt = Number.NaN;
  finished = false;
  droppedAfterEnd = 0;
  /** Elements that came back through the feedback edge (metrics). */
  fedBack = 0;

  /** Where the loop's tail sends elements back. */
  readonly feedbackInput: Downstream<T> = {
    processElement: (record) => {
      this.fedBack++;
      if (this.finished) {
        this.droppedAfterEnd++;
        return;
      }
      this.values.push(record.value);
      this.timestamps.push(record.timestamp);
    },
    processWatermark: () => {},
    processIdle: () => {},
    endInput: () => {},
  };

  constructor(readonly maxWaitMs: number | undefined) {
    super();
  }

  processElement(input: StreamRecord<T>): void {
    this.counters.recordsIn++;
    this.out.processElement(input);
  }

  override endInput(): void {
    if (this.upstreamEnded) return;
    this.upstreamEnded = true;
    this.upstreamEndedAt = this.ctx.clock.now();
  }

  get pending(): number {
    return this.values.length - this.head;
  }

  /** Feeds up to `max` queued elements back into the loop; returns how many. */
  drain(max: number): number {
    let n = 0;
    while (n < max && this.head < this.values.length) {
      const v = this.values[this.head]!;
      const ts = this.timestamps[this.head]!;
      this.head++;
      n++;
      const out = this.record;
      out.value = v;
      out.timestamp = ts;
      this.out.processElement(out);
    }
    if (this.head === this.values.length) {
      this.values = [];
      this.timestamps = [];
      this.head = 0;
    }
    return n;
  }

  /** The loop drained after the upstream ended: the end of input goes on downstream. */
  finishLoop(): void {
    this.finished = true;
    super.endInput();
  }

  /** Throws when the loop is still busy longer than `maxWaitMs` after its input ended. */
  checkMaxWait(now: number): void {
    if (this.maxWaitMs !== undefined && this.upstreamEnded && now - this.upstreamEndedAt > this.maxWaitMs) {
      throw new ConfigError(
        `Iteration '${this.ctx.name}' (uid ${this.ctx.uid}) is still busy ${now - this.upstreamEndedAt} ms after its input ended ` +
          `(maxWaitMs ${this.maxWaitMs}, ${this.pending} elements in the loop): the loop does not terminate`,
      );
    }
  }

  snapshotState(): OperatorSnapshot {
    return { operator: { values: this.values.slice(this.head), timestamps: this.timestamps.slice(this.head) } };
  }

  restoreState(state: RestoredState): void {
    const s = state.operator as { values: T[]; timestamps: number[] } | undefined;
    if (s) {
      this.values = s.values;
      this.timestamps = s.timestamps;
      this.head = 0;
    }
  }
}
