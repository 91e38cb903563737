/**
 * Job metrics: live counters of the running job, read on demand (`env.metrics()`), sampled once
 * a second for rates, and the final snapshot in the `JobResult`. Counting costs one increment per
 * element per operator (`recordsIn`); records out are read from the edges (what crossed an edge
 * is what its consumer received), so no operator counts twice.
 */
import type { JobGraph } from '../contract/plan.js';
import type { Wiring } from './job-wiring.js';
import { UserFunctionError } from '../errors.js';

/**
 * Metrics of one operator.
 *
 * @example
 * ```ts
 * for (const o of env.metrics().operators) console.log(o.name, o.recordsIn, o.recordsOut, o.watermarkLagMs, o.lateRecordsDropped);
 * ```
 */
export interface OperatorMetrics {
  readonly id: number;
  readonly uid: string;
  readonly name: string;
  readonly kind: string;
  readonly recordsIn: number;
  /** Records on the main output. */
  readonly recordsOut: number;
  /** Records per side-output tag. */
  readonly sideOutputs: Readonly<Record<string, number>>;
  readonly recordsInPerSecond: number;
  readonly recordsOutPerSecond: number;
  /**
   * The operator's current event time, null before the first watermark and after event time
   * ended (see `eventTimeEnded`: +Infinity is no time).
   */
  readonly watermark: number | null;
  /** Processing time minus watermark, ms (null without a finite watermark). */
  readonly watermarkLagMs: number | null;
  /**
   * True once the operator's watermark is +Infinity: its inputs ended, so every event-time
   * window and timer has fired (an operator with event time, not one without a watermark).
   */
  readonly eventTimeEnded: boolean;
  readonly lateRecordsDropped: number;
  readonly lateRecordsSideOutput: number;
  readonly deadLetters: number;
  /** Live entries of keyed state (keyed operators). */
  readonly stateEntries: number;
  /** Live (key, window) pairs of a window operator. */
  readonly liveWindows: number;
  /** Pending event- plus processing-time timers. */
  readonly timers: number;
}

/**
 * Metrics of one source.
 *
 * @example
 * ```ts
 * for (const s of env.metrics().sources) console.log(s.name, s.recordsOut, s.position, s.ended);
 * ```
 */
export interface SourceMetrics {
  readonly id: number;
  readonly uid: string;
  readonly name: string;
  readonly recordsOut: number;
  readonly recordsOutPerSecond: number;
  /** The source's replay position (offset, index), when it has one. */
  readonly position: unknown;
  /** The last watermark the source emitted itself (ingestion time), null when none. */
  readonly watermark: number | null;
  /** Processing time minus watermark, ms; null without a watermark and once the source ended (nothing is behind). */
  readonly watermarkLagMs: number | null;
  readonly deadLetters: number;
  readonly ended: boolean;
}

/**
 * One checkpoint attempt.
 *
 * @example
 * ```ts
 * for (const c of env.metrics().checkpoints.history) console.log(c.id, c.status, c.durationMs, c.bytes);
 * ```
 */
export interface CheckpointRecord {
  readonly id: number;
  /** Wall-clock start, ms since the epoch. */
  readonly startedAt: number;
  readonly durationMs: number;
  /** How long the job was paused to capture state (the rest is written while it runs). */
  readonly syncPauseMs: number;
  readonly bytes: number;
  readonly status: 'completed' | 'failed';
  readonly reason?: string;
  /** Bytes of state per operator uid. */
  readonly operators: Readonly<Record<string, number>>;
  /** Where a completed checkpoint was written. */
  readonly path?: string;
}

/**
 * Checkpoint statistics.
 *
 * @example
 * ```ts
 * const { completed, failed, history } = env.metrics().checkpoints;
 * console.log(`${completed} ok, ${failed} failed, last took ${history.at(-1)?.durationMs} ms`);
 * ```
 */
export interface CheckpointMetrics {
  readonly completed: number;
  readonly failed: number;
  readonly lastCheckpointId: number;
  /** The most recent attempts (newest last, at most 50). */
  readonly history: readonly CheckpointRecord[];
}

/**
 * The last failure of the job.
 *
 * @example
 * ```ts
 * const failure = env.metrics().lastFailure;
 * if (failure) console.log(`${failure.operator}: ${failure.message}`);
 * ```
 */
export interface ExceptionInfo {
  readonly message: string;
  readonly operator?: string;
  readonly key?: string;
  readonly at: number;
}

/**
 * Records that crossed one edge of the graph.
 *
 * @example
 * ```ts
 * for (const e of env.metrics().edges) console.log(`${e.from} -> ${e.to}: ${e.records}`);
 * ```
 */
export interface EdgeMetrics {
  readonly from: number;
  readonly to: number;
  readonly sideOutput?: string;
  readonly records: number;
}

/**
 * A typed snapshot of a job's metrics.
 *
 * @example
 * ```ts
 * const m: MetricsSnapshot = env.metrics();
 * console.log(m.status, m.operators.map((o) => `${o.name}: ${o.recordsOut}`));
 * ```
 */
export interface MetricsSnapshot {
  readonly jobName: string | undefined;
  /** `cancelled`: stopped through its AbortSignal; `failed`: ended by an error. */
  readonly status: 'created' | 'running' | 'finished' | 'failed' | 'cancelled';
  /** Wall-clock start of the job, ms since the epoch (0 before it started). */
  readonly startedAt: number;
  readonly operators: readonly OperatorMetrics[];
  readonly sources: readonly SourceMetrics[];
  readonly edges: readonly EdgeMetrics[];
  readonly checkpoints: CheckpointMetrics;
  readonly restarts: number;
  /** Rendered last failure (kept for compatibility with simple readers). */
  readonly lastException: string | undefined;
  readonly lastFailure: ExceptionInfo | undefined;
}

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);
const HISTORY = 50;

/** @internal */
export class MetricsRegistry {
  jobName: string | undefined = undefined;
  status: MetricsSnapshot['status'] = 'created';
  startedAt = 0;
  restarts = 0;
  lastException: string | undefined = undefined;
  lastFailure: ExceptionInfo | undefined = undefined;
  completed = 0;
  failed = 0;
  lastCheckpointId = 0;
  readonly history: CheckpointRecord[] = [];
  private wiring: Wiring | undefined = undefined;
  private graph: JobGraph | undefined = undefined;
  private now: () => number = Date.now;
  private rates = new Map<string, number>();
  private lastSample = new Map<string, number>();
  private lastSampleAt = 0;
  private timer: NodeJS.Timeout | undefined = undefined;

  attach(wiring: Wiring, graph: JobGraph, now: () => number): void {
    this.wiring = wiring;
    this.graph = graph;
    this.now = now;
    this.lastSample.clear();
    this.lastSampleAt = Date.now();
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.sample(), 1000);
      this.timer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
  }

  recordCheckpoint(c: CheckpointRecord): void {
    if (c.status === 'completed') {
      this.completed++;
      this.lastCheckpointId = Math.max(this.lastCheckpointId, c.id);
    } else this.failed++;
    this.history.push(c);
    if (this.history.length > HISTORY) this.history.shift();
  }

  recordFailure(e: unknown): void {
    this.lastException = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    const info: ExceptionInfo = { message: this.lastException, at: Date.now() };
    this.lastFailure =
      e instanceof UserFunctionError ? { ...info, operator: e.operator, ...(e.key === undefined ? {} : { key: String(e.key) }) } : info;
  }

  /** Updates the per-second rates (called every second while the job runs). */
  sample(): void {
    const w = this.wiring;
    if (!w) return;
    const t = Date.now();
    const dt = (t - this.lastSampleAt) / 1000;
    const counts = new Map<string, number>();
    for (const s of w.sources) counts.set(`out:${s.uid}`, s.counters.recordsOut);
    for (const o of w.operators) counts.set(`in:${o.node.uid}`, o.counters.recordsIn);
    for (const e of w.edges) counts.set(`edge:${e.edge.from}>${e.edge.to}:${e.edge.sideOutput ?? ''}`, e.count());
    if (dt > 0) for (const [k, v] of counts) this.rates.set(k, (v - (this.lastSample.get(k) ?? 0)) / dt);
    this.lastSample = counts;
    this.lastSampleAt = t;
  }

  snapshot(): MetricsSnapshot {
    const w = this.wiring;
    const now = this.now();
    const operators: OperatorMetrics[] = [];
    const sources: SourceMetrics[] = [];
    const edges: EdgeMetrics[] = [];
    if (w && this.graph) {
      const idOf = new Map(this.graph.nodes.map((n) => [n.uid, n.id]));
      const out = new Map<number, number>();
      const outRate = new Map<number, number>();
      const sides = new Map<number, Record<string, number>>();
      for (const e of w.edges) {
        const records = e.count();
        const { from, to, sideOutput } = e.edge;
        edges.push(sideOutput === undefined ? { from, to, records } : { from, to, sideOutput, records });
        if (e.edge.feedback) continue;
        if (sideOutput === undefined) {
          out.set(from, Math.max(out.get(from) ?? 0, records));
          outRate.set(from, Math.max(outRate.get(from) ?? 0, this.rates.get(`edge:${from}>${to}:`) ?? 0));
        } else {
          const r = sides.get(from) ?? {};
          r[sideOutput] = Math.max(r[sideOutput] ?? 0, records);
          sides.set(from, r);
        }
      }
      for (const s of w.sources) {
        const wm = finiteOrNull(s.lastWatermark);
        sources.push({
          id: idOf.get(s.uid) ?? -1,
          uid: s.uid,
          name: s.name,
          recordsOut: s.counters.recordsOut,
          recordsOutPerSecond: this.rates.get(`out:${s.uid}`) ?? 0,
          position: s.reader.currentPosition?.(),
          watermark: wm,
          // An ended source is behind nothing: a lag growing with the clock would be a false alarm.
          watermarkLagMs: wm === null || s.ended ? null : now - wm,
          deadLetters: s.counters.deadLetters,
          ended: s.ended,
        });
      }
      for (const o of w.operators) {
        const current = (o.operator as { currentWatermark?: number }).currentWatermark ?? Number.NEGATIVE_INFINITY;
        const wm = finiteOrNull(current);
        const id = o.node.id;
        const liveWindows = (o.operator as { liveWindows?(): number }).liveWindows?.() ?? 0;
        operators.push({
          id,
          uid: o.node.uid,
          name: o.node.name,
          kind: o.node.kind,
          recordsIn: o.counters.recordsIn,
          recordsOut: out.get(id) ?? 0,
          sideOutputs: sides.get(id) ?? {},
          recordsInPerSecond: this.rates.get(`in:${o.node.uid}`) ?? 0,
          recordsOutPerSecond: outRate.get(id) ?? 0,
          watermark: wm,
          watermarkLagMs: wm === null ? null : now - wm,
          eventTimeEnded: current === Number.POSITIVE_INFINITY,
          lateRecordsDropped: o.counters.lateRecordsDropped,
          lateRecordsSideOutput: o.counters.lateRecordsSideOutput,
          deadLetters: o.counters.deadLetters,
          stateEntries: o.backend?.entryCount ?? 0,
          liveWindows,
          timers: (o.backend?.eventTimers.size ?? 0) + (o.backend?.processingTimers.size ?? 0),
        });
      }
    }
    return {
      jobName: this.jobName,
      status: this.status,
      startedAt: this.startedAt,
      operators,
      sources,
      edges,
      checkpoints: { completed: this.completed, failed: this.failed, lastCheckpointId: this.lastCheckpointId, history: this.history.slice() },
      restarts: this.restarts,
      lastException: this.lastException,
      lastFailure: this.lastFailure,
    };
  }
}
