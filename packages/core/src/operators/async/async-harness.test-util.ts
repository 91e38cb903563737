/**
 * Drives one {@link AsyncWaitOperator} by hand, as Flink's `OneInputStreamOperatorTestHarness`
 * does: elements and watermarks in, output recorded; `settle()` plays the runner's mailbox
 * (waits for promise callbacks and lets the operator emit) until the operator is quiet.
 */
import type { AsyncWaitNodeSpec } from '../../contract/async-function.js';
import type { OperatorContext, OperatorCounters, RestoredState } from '../../contract/operator.js';
import { StreamRecord } from '../../contract/stream-record.js';
import { ManualClock } from '../../time/clock.js';
import { AsyncWaitOperator } from './async-wait.js';

export type Emitted = { readonly value: unknown; readonly ts: number } | { readonly watermark: number };

export interface AsyncHarness {
  readonly op: AsyncWaitOperator;
  readonly clock: ManualClock;
  readonly output: Emitted[];
  readonly side: Emitted[];
  readonly ended: () => boolean;
  element(value: unknown, ts: number): void;
  watermark(wm: number): void;
  /** Moves the clock (timeouts and delayed retries fire). */
  setProcessingTime(t: number): void;
  /** Lets pending promise callbacks run and the operator emit, until nothing changes for a while. */
  settle(rounds?: number): Promise<void>;
  endInput(): Promise<void>;
  snapshot(): unknown;
}

const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function asyncHarness(spec: Partial<AsyncWaitNodeSpec> & Pick<AsyncWaitNodeSpec, 'fn'>, restored?: RestoredState, clock = new ManualClock(0)): AsyncHarness {
  const full: AsyncWaitNodeSpec = {
    capacity: 10,
    timeoutMs: undefined,
    ordered: true,
    retry: undefined,
    onTimeout: undefined,
    failureTag: undefined,
    ...spec,
  };
  const output: Emitted[] = [];
  const side: Emitted[] = [];
  let ended = false;
  let requested = false;
  const counters: OperatorCounters = { recordsIn: 0, recordsOut: 0, lateRecordsDropped: 0, lateRecordsSideOutput: 0, deadLetters: 0 };
  const ctx: OperatorContext<unknown> = {
    name: 'Async Wait',
    uid: 'async',
    clock,
    settings: { perElementWatermarks: true, autoWatermarkIntervalMs: 200, maxParallelism: 128, checkpointing: true },
    output: {
      processElement: (r) => output.push({ value: r.value, ts: r.timestamp }),
      processWatermark: (w) => output.push({ watermark: w }),
      processIdle: () => {},
      endInput: () => {
        ended = true;
      },
    },
    sideOutput: (tag) =>
      tag === full.failureTag
        ? { processElement: (r) => side.push({ value: r.value, ts: r.timestamp }), processWatermark: () => {}, processIdle: () => {}, endInput: () => {} }
        : undefined,
    keyed: undefined,
    counters,
    requestAsyncWork: () => {
      requested = true;
    },
  };
  const op = new AsyncWaitOperator(full);
  if (restored) op.restoreState(restored);
  op.open(ctx);
  const record = new StreamRecord<unknown>();
  const mailbox = () => {
    if (!requested) return false;
    requested = false;
    op.processAsyncWork();
    return true;
  };
  const harness: AsyncHarness = {
    op,
    clock,
    output,
    side,
    ended: () => ended,
    element(value, ts) {
      record.value = value;
      record.timestamp = ts;
      op.processElement(record);
    },
    watermark: (wm) => op.processWatermark(wm),
    setProcessingTime(t) {
      clock.set(t);
      if (op.nextProcessingTime() <= t) op.onProcessingTime(t);
    },
    async settle(rounds = 20) {
      let quiet = 0;
      while (quiet < rounds) {
        await wait(1);
        quiet = mailbox() ? 0 : quiet + 1;
      }
    },
    async endInput() {
      op.endInput();
      for (let i = 0; i < 5000 && !ended; i++) {
        await wait(1);
        mailbox();
      }
    },
    snapshot: () => op.snapshotState().operator,
  };
  return harness;
}
