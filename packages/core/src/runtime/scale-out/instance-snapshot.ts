/**
 * One metrics snapshot for a whole instance of a scaled-out job, so that observers written for a
 * job (the dashboard, the Prometheus endpoint, the lifecycle log) watch an instance unchanged: the
 * plan's operators with the sums of the tasks running them here (records, state, timers, late
 * data), the earliest watermark, the tasks' checkpoints merged, and the instance's own metrics
 * under `scaleOut` (tasks, epochs, lag per partition, restore times, rebalances).
 *
 * Example: tasks 0_1 and 0_5 of `source -> window -> sink` on this instance: the window's
 * `recordsIn` is the sum of both tasks' windows, its `watermark` the smaller of the two.
 */
import type { JobGraph } from '../../contract/plan.js';
import type { CheckpointRecord, EdgeMetrics, MetricsSnapshot, OperatorMetrics, SourceMetrics } from '../metrics.js';
import type { InstanceMetrics } from './scale-out-metrics.js';

/**
 * The metrics snapshot of an instance: a job snapshot plus the instance's own metrics.
 *
 * @example
 * ```ts
 * const s = snapshot as ScaledOutSnapshot;
 * for (const t of s.scaleOut.tasks) console.log(t.taskId, t.recordsIn);
 * ```
 */
export interface ScaledOutSnapshot extends MetricsSnapshot {
  readonly scaleOut: InstanceMetrics;
}

const minOrNull = (xs: ReadonlyArray<number | null>) => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length === 0 ? null : Math.min(...v);
};
const sum = <T>(xs: readonly T[], f: (x: T) => number) => xs.reduce((n, x) => n + f(x), 0);

/** @internal Sums the snapshots of the tasks running on an instance. */
export function instanceSnapshot(graph: JobGraph, jobName: string, startedAt: number, status: MetricsSnapshot['status'], tasks: readonly MetricsSnapshot[], scaleOut: InstanceMetrics): ScaledOutSnapshot {
  const operators: OperatorMetrics[] = [];
  const sources: SourceMetrics[] = [];
  for (const n of graph.nodes) {
    if (n.kind === 'source') {
      const all = tasks.flatMap((t) => t.sources.filter((s) => s.uid === n.uid));
      sources.push({
        id: n.id,
        uid: n.uid,
        name: n.name,
        recordsOut: sum(all, (s) => s.recordsOut),
        recordsOutPerSecond: sum(all, (s) => s.recordsOutPerSecond),
        position: all.length === 0 ? null : all.map((s) => s.position),
        watermark: minOrNull(all.map((s) => s.watermark)),
        watermarkLagMs: minOrNull(all.map((s) => s.watermarkLagMs)),
        deadLetters: sum(all, (s) => s.deadLetters),
        ended: all.length > 0 && all.every((s) => s.ended),
      });
      continue;
    }
    const all = tasks.flatMap((t) => t.operators.filter((o) => o.uid === n.uid));
    const sideOutputs: Record<string, number> = {};
    for (const o of all) for (const [tag, v] of Object.entries(o.sideOutputs)) sideOutputs[tag] = (sideOutputs[tag] ?? 0) + v;
    operators.push({
      id: n.id,
      uid: n.uid,
      name: n.name,
      kind: n.kind,
      recordsIn: sum(all, (o) => o.recordsIn),
      recordsOut: sum(all, (o) => o.recordsOut),
      sideOutputs,
      recordsInPerSecond: sum(all, (o) => o.recordsInPerSecond),
      recordsOutPerSecond: sum(all, (o) => o.recordsOutPerSecond),
      watermark: minOrNull(all.map((o) => o.watermark)),
      watermarkLagMs: minOrNull(all.map((o) => o.watermarkLagMs)),
      eventTimeEnded: all.length > 0 && all.every((o) => o.eventTimeEnded),
      lateRecordsDropped: sum(all, (o) => o.lateRecordsDropped),
      lateRecordsSideOutput: sum(all, (o) => o.lateRecordsSideOutput),
      deadLetters: sum(all, (o) => o.deadLetters),
      stateEntries: sum(all, (o) => o.stateEntries),
      liveWindows: sum(all, (o) => o.liveWindows),
      timers: sum(all, (o) => o.timers),
    });
  }
  const edges = new Map<string, EdgeMetrics>();
  for (const t of tasks) {
    for (const e of t.edges) {
      const k = `${e.from}>${e.to}:${e.sideOutput ?? ''}`;
      const prev = edges.get(k);
      edges.set(k, { ...e, records: (prev?.records ?? 0) + e.records });
    }
  }
  const history: CheckpointRecord[] = tasks.flatMap((t) => t.checkpoints.history).sort((a, b) => a.startedAt - b.startedAt).slice(-50);
  const failures = tasks.map((t) => t.lastFailure).filter((f) => f !== undefined).sort((a, b) => a.at - b.at);
  const last = failures.at(-1);
  return {
    jobName,
    status,
    startedAt,
    operators,
    sources,
    edges: [...edges.values()],
    checkpoints: {
      completed: sum(tasks, (t) => t.checkpoints.completed),
      failed: sum(tasks, (t) => t.checkpoints.failed),
      lastCheckpointId: Math.max(0, ...tasks.map((t) => t.checkpoints.lastCheckpointId)),
      history,
    },
    restarts: 0,
    lastException: last?.message,
    lastFailure: last,
    scaleOut,
  };
}
