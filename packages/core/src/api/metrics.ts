/**
 * Job metrics: live counters of the running job's operators and sources, read on demand
 * (`env.metrics()`), and the final snapshot in the `JobResult`.
 */
import type { Wiring } from '../runtime/job-wiring.js';

/** Metrics of one operator or source. */
export interface OperatorMetrics {
  readonly id: number;
  readonly uid: string;
  readonly name: string;
  readonly kind: string;
  /** Records emitted by a source. */
  readonly recordsOut: number;
  readonly lateRecordsDropped: number;
  readonly lateRecordsSideOutput: number;
  readonly deadLetters: number;
  /** Live entries of keyed state (keyed operators). */
  readonly stateEntries: number;
  /** Pending event-time plus processing-time timers (keyed operators). */
  readonly timers: number;
}

/** Checkpoint statistics. */
export interface CheckpointMetrics {
  readonly completed: number;
  readonly lastCheckpointId: number;
}

/** A typed snapshot of a job's metrics. */
export interface MetricsSnapshot {
  readonly jobName: string | undefined;
  readonly status: 'created' | 'running' | 'finished' | 'failed';
  readonly operators: readonly OperatorMetrics[];
  readonly checkpoints: CheckpointMetrics;
  readonly restarts: number;
  readonly lastException: string | undefined;
}

/** @internal */
export class MetricsRegistry {
  jobName: string | undefined = undefined;
  status: MetricsSnapshot['status'] = 'created';
  restarts = 0;
  lastException: string | undefined = undefined;
  checkpoints: CheckpointMetrics = { completed: 0, lastCheckpointId: 0 };
  private wiring: Wiring | undefined = undefined;

  attach(wiring: Wiring): void {
    this.wiring = wiring;
  }

  snapshot(): MetricsSnapshot {
    const operators: OperatorMetrics[] = [];
    const w = this.wiring;
    if (w) {
      for (const s of w.sources) {
        operators.push({
          id: -1,
          uid: s.uid,
          name: s.name,
          kind: 'source',
          recordsOut: s.counters.recordsOut,
          lateRecordsDropped: 0,
          lateRecordsSideOutput: 0,
          deadLetters: s.counters.deadLetters,
          stateEntries: 0,
          timers: 0,
        });
      }
      for (const o of w.operators) {
        operators.push({
          id: o.node.id,
          uid: o.node.uid,
          name: o.node.name,
          kind: o.node.kind,
          recordsOut: o.counters.recordsOut,
          lateRecordsDropped: o.counters.lateRecordsDropped,
          lateRecordsSideOutput: o.counters.lateRecordsSideOutput,
          deadLetters: o.counters.deadLetters,
          stateEntries: o.backend?.entryCount ?? 0,
          timers: (o.backend?.eventTimers.size ?? 0) + (o.backend?.processingTimers.size ?? 0),
        });
      }
    }
    return {
      jobName: this.jobName,
      status: this.status,
      operators,
      checkpoints: this.checkpoints,
      restarts: this.restarts,
      lastException: this.lastException,
    };
  }
}
