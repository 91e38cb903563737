/**
 * The job's metrics in Prometheus text format (served at `/metrics`), through prom-client.
 *
 * Every family is prefixed `weir_` and every sample carries the `job` label (the registry's
 * default label); operator families add `operator` (the node's name) and `uid` (its stable id,
 * which keeps two operators of the same name apart). Values are not counted here: at each scrape
 * the families read one metrics snapshot, taken once for the whole scrape, so the numbers of one
 * scrape are consistent with each other. Counters are reset and set to the snapshot's totals
 * (prom-client's documented `collect` pattern for values counted elsewhere).
 *
 * Example scrape of `env.fromElements(1, 2, 3).map(f).print()` after it ran:
 * ```
 * weir_operator_records_in_total{operator="Map",uid="map-2",job="weir job"} 3
 * ```
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { InstanceMetrics, MetricsSnapshot, TaskMetrics } from '@weir/core';

type Labels = Record<string, string>;
type Sample = readonly [Labels, number];

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly labelNames: readonly string[];
  samples(s: MetricsSnapshot, nowMs: number): Iterable<Sample>;
}

const OP = ['operator', 'uid'] as const;
const SRC = ['source', 'uid'] as const;

function* perOperator(s: MetricsSnapshot, value: (o: MetricsSnapshot['operators'][number]) => number | null): Iterable<Sample> {
  for (const o of s.operators) {
    const v = value(o);
    if (v !== null) yield [{ operator: o.name, uid: o.uid }, v];
  }
}

function* perSource(s: MetricsSnapshot, value: (o: MetricsSnapshot['sources'][number]) => number | null): Iterable<Sample> {
  for (const o of s.sources) {
    const v = value(o);
    if (v !== null) yield [{ source: o.name, uid: o.uid }, v];
  }
}

/** The instance metrics of a scaled-out instance's snapshot (absent for an ordinary job). */
const scaleOutOf = (s: MetricsSnapshot) => (s as MetricsSnapshot & { scaleOut?: InstanceMetrics }).scaleOut;

function* perTask(s: MetricsSnapshot, value: (t: TaskMetrics) => number | null): Iterable<Sample> {
  const m = scaleOutOf(s);
  for (const t of m?.tasks ?? []) {
    const v = value(t);
    if (v !== null) yield [{ task: t.taskId, instance_id: m!.instanceId }, v];
  }
}
const ofInstance = (s: MetricsSnapshot, value: (m: InstanceMetrics) => number): Iterable<Sample> => {
  const m = scaleOutOf(s);
  return m === undefined ? [] : [[{ instance_id: m.instanceId }, value(m)]];
};

const lastCompleted = (s: MetricsSnapshot) => s.checkpoints.history.filter((c) => c.status === 'completed').at(-1);
const one = (x: number | undefined): Iterable<Sample> => (x === undefined ? [] : [[{}, x]]);

/** The families, in the order they are exposed. */
const FAMILIES: readonly Family[] = [
  // Operators
  { name: 'weir_operator_records_in_total', help: 'Records received by the operator.', type: 'counter', labelNames: OP, samples: (s) => perOperator(s, (o) => o.recordsIn) },
  { name: 'weir_operator_records_out_total', help: 'Records emitted on the main output of the operator.', type: 'counter', labelNames: OP, samples: (s) => perOperator(s, (o) => o.recordsOut) },
  {
    name: 'weir_operator_side_output_records_total',
    help: 'Records emitted on a side output of the operator, per tag.',
    type: 'counter',
    labelNames: [...OP, 'tag'],
    *samples(s) {
      for (const o of s.operators) for (const [tag, n] of Object.entries(o.sideOutputs)) yield [{ operator: o.name, uid: o.uid, tag }, n];
    },
  },
  { name: 'weir_operator_watermark_ms', help: "The operator's current event time, ms since the epoch (absent before the first watermark).", type: 'gauge', labelNames: OP, samples: (s) => perOperator(s, (o) => o.watermark) },
  { name: 'weir_operator_watermark_lag_ms', help: 'Processing time minus the operator watermark, ms.', type: 'gauge', labelNames: OP, samples: (s) => perOperator(s, (o) => o.watermarkLagMs) },
  {
    name: 'weir_late_records_total',
    help: 'Records behind the watermark (past allowed lateness), by what happened to them: dropped or sent to the late side output.',
    type: 'counter',
    labelNames: [...OP, 'handling'],
    *samples(s) {
      for (const o of s.operators) {
        yield [{ operator: o.name, uid: o.uid, handling: 'dropped' }, o.lateRecordsDropped];
        yield [{ operator: o.name, uid: o.uid, handling: 'side_output' }, o.lateRecordsSideOutput];
      }
    },
  },
  {
    name: 'weir_dead_letters_total',
    help: 'Bad records sent to the dead-letter side output, by the operator or source that rejected them.',
    type: 'counter',
    labelNames: OP,
    *samples(s) {
      for (const o of s.sources) yield [{ operator: o.name, uid: o.uid }, o.deadLetters];
      for (const o of s.operators) yield [{ operator: o.name, uid: o.uid }, o.deadLetters];
    },
  },
  { name: 'weir_operator_state_entries', help: 'Live entries of keyed state.', type: 'gauge', labelNames: OP, samples: (s) => perOperator(s, (o) => o.stateEntries) },
  { name: 'weir_operator_live_windows', help: 'Live (key, window) pairs of a window operator.', type: 'gauge', labelNames: OP, samples: (s) => perOperator(s, (o) => o.liveWindows) },
  { name: 'weir_operator_timers', help: 'Pending event-time and processing-time timers.', type: 'gauge', labelNames: OP, samples: (s) => perOperator(s, (o) => o.timers) },
  // Sources
  { name: 'weir_source_records_out_total', help: 'Records read by the source.', type: 'counter', labelNames: SRC, samples: (s) => perSource(s, (o) => o.recordsOut) },
  { name: 'weir_source_watermark_ms', help: "The source's watermark, ms since the epoch.", type: 'gauge', labelNames: SRC, samples: (s) => perSource(s, (o) => o.watermark) },
  { name: 'weir_source_watermark_lag_ms', help: 'Processing time minus the source watermark, ms.', type: 'gauge', labelNames: SRC, samples: (s) => perSource(s, (o) => o.watermarkLagMs) },
  {
    name: 'weir_source_position',
    help: "The source's replay position when it is a number (offset, index).",
    type: 'gauge',
    labelNames: SRC,
    samples: (s) => perSource(s, (o) => (typeof o.position === 'number' && Number.isFinite(o.position) ? o.position : null)),
  },
  { name: 'weir_source_ended', help: '1 once a bounded source has ended.', type: 'gauge', labelNames: SRC, samples: (s) => perSource(s, (o) => (o.ended ? 1 : 0)) },
  // Checkpoints
  { name: 'weir_checkpoints_completed_total', help: 'Checkpoints completed.', type: 'counter', labelNames: [], samples: (s) => one(s.checkpoints.completed) },
  { name: 'weir_checkpoints_failed_total', help: 'Checkpoints failed.', type: 'counter', labelNames: [], samples: (s) => one(s.checkpoints.failed) },
  { name: 'weir_last_checkpoint_id', help: 'Id of the newest completed checkpoint (0: none).', type: 'gauge', labelNames: [], samples: (s) => one(s.checkpoints.lastCheckpointId) },
  { name: 'weir_checkpoint_duration_ms', help: 'Duration of the last completed checkpoint, ms.', type: 'gauge', labelNames: [], samples: (s) => one(lastCompleted(s)?.durationMs) },
  { name: 'weir_checkpoint_sync_pause_ms', help: 'Time the last completed checkpoint paused the job to capture state, ms.', type: 'gauge', labelNames: [], samples: (s) => one(lastCompleted(s)?.syncPauseMs) },
  { name: 'weir_checkpoint_size_bytes', help: 'Size of the last completed checkpoint, bytes.', type: 'gauge', labelNames: [], samples: (s) => one(lastCompleted(s)?.bytes) },
  // Scale-out: the tasks of this instance (only for an instance of a scaled-out job)
  { name: 'weir_task_records_in_total', help: "Records the task's sources read.", type: 'counter', labelNames: ['task', 'instance_id'], samples: (s) => perTask(s, (t) => t.recordsIn) },
  {
    name: 'weir_task_lag_entries',
    help: 'Entries of an input partition of the task not read yet.',
    type: 'gauge',
    labelNames: ['task', 'instance_id', 'partition'],
    *samples(s) {
      const m = scaleOutOf(s);
      for (const t of m?.tasks ?? []) for (const [partition, n] of Object.entries(t.lag)) yield [{ task: t.taskId, instance_id: m!.instanceId, partition }, n];
    },
  },
  { name: 'weir_task_epoch', help: 'The epoch this instance runs the task at.', type: 'gauge', labelNames: ['task', 'instance_id'], samples: (s) => perTask(s, (t) => t.epoch) },
  { name: 'weir_task_restore_ms', help: 'Acquisition of the task to reading again (restore included), ms.', type: 'gauge', labelNames: ['task', 'instance_id'], samples: (s) => perTask(s, (t) => t.restoreMs) },
  { name: 'weir_task_state_entries', help: 'Live entries of keyed state of the task.', type: 'gauge', labelNames: ['task', 'instance_id'], samples: (s) => perTask(s, (t) => t.stateEntries) },
  { name: 'weir_instance_tasks', help: 'Tasks this instance runs.', type: 'gauge', labelNames: ['instance_id'], samples: (s) => ofInstance(s, (m) => m.tasks.length) },
  { name: 'weir_instance_members', help: 'Live instances of the job, as this instance last saw them.', type: 'gauge', labelNames: ['instance_id'], samples: (s) => ofInstance(s, (m) => m.members.length) },
  { name: 'weir_instance_rebalances_total', help: "Rounds that changed this instance's tasks.", type: 'counter', labelNames: ['instance_id'], samples: (s) => ofInstance(s, (m) => m.rebalances) },
  { name: 'weir_instance_fencings_total', help: 'Times this instance was fenced out (paused or cut off past its lease).', type: 'counter', labelNames: ['instance_id'], samples: (s) => ofInstance(s, (m) => m.fencings) },
  // Job
  { name: 'weir_job_restarts_total', help: 'Restarts after a failure.', type: 'counter', labelNames: [], samples: (s) => one(s.restarts) },
  {
    name: 'weir_job_status',
    help: 'The job status: 1 for the current one.',
    type: 'gauge',
    labelNames: ['status'],
    *samples(s) {
      for (const status of ['created', 'running', 'finished', 'failed', 'cancelled'] as const) yield [{ status }, s.status === status ? 1 : 0];
    },
  },
  { name: 'weir_job_start_time_seconds', help: 'Wall-clock start of the job, seconds since the epoch.', type: 'gauge', labelNames: [], samples: (s) => one(s.startedAt > 0 ? s.startedAt / 1000 : undefined) },
  {
    name: 'weir_job_uptime_seconds',
    help: 'Seconds since the job started.',
    type: 'gauge',
    labelNames: [],
    samples: (s, now) => one(s.startedAt > 0 ? Math.max(0, now - s.startedAt) / 1000 : undefined),
  },
];

/**
 * The names of every family the endpoint exposes.
 *
 * @example
 * ```ts
 * PROMETHEUS_FAMILIES.includes('weir_operator_records_in_total'); // true
 * ```
 */
export const PROMETHEUS_FAMILIES: readonly string[] = FAMILIES.map((f) => f.name);

/**
 * A prom-client registry over a job's metrics.
 *
 * @example
 * ```ts
 * const exporter = new PrometheusExporter('my job', () => env.metrics());
 * const text = await exporter.scrape(); // Prometheus text format 0.0.4
 * ```
 */
export class PrometheusExporter {
  readonly registry = new Registry();
  private current: MetricsSnapshot | undefined = undefined;
  private nowMs = 0;

  constructor(jobName: string, private readonly read: () => MetricsSnapshot) {
    this.registry.setDefaultLabels({ job: jobName });
    const self = this;
    for (const f of FAMILIES) {
      const config = { name: f.name, help: f.help, labelNames: f.labelNames, registers: [this.registry] };
      if (f.type === 'counter') {
        new Counter({
          ...config,
          collect() {
            this.reset();
            for (const [labels, v] of f.samples(self.snapshot(), self.nowMs)) this.inc(labels, v);
          },
        });
      } else {
        new Gauge({
          ...config,
          collect() {
            this.reset();
            for (const [labels, v] of f.samples(self.snapshot(), self.nowMs)) this.set(labels, v);
          },
        });
      }
    }
  }

  /** The content type of {@link scrape}'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Reads one snapshot and renders every family from it. */
  async scrape(): Promise<string> {
    this.current = this.read();
    this.nowMs = Date.now();
    try {
      return await this.registry.metrics();
    } finally {
      this.current = undefined;
    }
  }

  private snapshot(): MetricsSnapshot {
    return (this.current ??= this.read());
  }
}
