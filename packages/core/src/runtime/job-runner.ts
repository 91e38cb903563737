/**
 * Runs one attempt of a job: wires the graph, restores state, opens operators, then loops —
 * poll every source for a batch, fire due processing-time timers, take a checkpoint when due,
 * and sleep when no source has data — until every source has ended. The end of input flows
 * through the graph as `endInput` (draining timers and the final watermark), then a final
 * checkpoint is taken and sinks commit.
 *
 * Checkpoints need no barrier alignment here: records are pushed through the whole graph
 * synchronously, so between two polls no record is in flight anywhere, and the state of every
 * operator and the position of every source form a consistent cut (Chandy-Lamport with the
 * channels empty). At the barrier each keyed operator starts a snapshot of its state in O(1)
 * (copy-on-write, state/snapshot-task.ts): a delta of what changed since the previous checkpoint,
 * or full (checkpoint/incremental-policy.ts); walking and serialising it, pre-committing sinks,
 * writing the checkpoint and committing the sinks run asynchronously while the job goes on.
 *
 * Asynchronous operators (`mapAsync`) keep that property: their promise callbacks only record
 * results and call `requestAsyncWork`; the loop emits them (`processAsyncWork`) between two polls,
 * and their not-yet-emitted inputs are part of their checkpointed state. They apply backpressure
 * through `capacityLeft()`: while one is full no source is polled, otherwise a poll asks for at
 * most what it can take; the loop sleeps until a result or a timer wakes it.
 * @internal
 */
import { CheckpointDirectoryLockedError, CheckpointError, JobCancelledError, UserFunctionError } from '../errors.js';
import type { JobGraph } from '../contract/plan.js';
import type { CheckpointRecord } from './metrics.js';
import type { KeyedChain, OperatorStateToWrite, RestoredOperator } from '../checkpoint/checkpoint-codec.js';
import type { CheckpointStorage } from '../checkpoint/checkpoint-storage.js';
import type { CheckpointLogger, LoadedCheckpoint, WrittenCheckpoint } from '../checkpoint/checkpoint-types.js';
import type { JobOperator, SinkCommit } from '../checkpoint/checkpoint-format.js';
import type { FailpointName, FaultHooks } from '../checkpoint/failpoints.js';
import { ChainPolicy, changeLimitOf, type IncrementalSettings } from '../checkpoint/incremental-policy.js';
import { PollStatus } from '../contract/source.js';
import { type Clock, isObservableClock } from '../time/clock.js';
import { type OperatorInstance, type Wiring, wireJob } from './job-wiring.js';
import { inKeyGroupRange, type KeyGroupRange } from '../state/key-groups.js';
import type { KeyedSnapshotTask } from '../state/snapshot-task.js';
import type { JobSettings, StreamOperator, TimeState } from '../contract/operator.js';
import type { SourceDriver } from './source-driver.js';

/** Records a source hands over per poll at most (fewer when records are slow to process). */
const MAX_BATCH = 2048;
/** A poll that takes longer than this halves the source's batch; one much faster doubles it, ms. */
const BATCH_TARGET_MS = 4;
/** Longest stretch of synchronous work before yielding to I/O, ms. */
const YIELD_EVERY_MS = 8;
/** State TTL: an idle job sweeps expired state at least this often (processing time), ms. */
const TTL_SWEEP_EVERY_MS = 1000;
/** State TTL: longest background sweep per idle round, ms. */
const TTL_SWEEP_SLICE_MS = 2;
/** Fed-back elements re-entering a loop per round. */
const LOOP_DRAIN_PER_ROUND = 4096;

export interface CheckpointSettings extends IncrementalSettings {
  readonly storage: CheckpointStorage;
  readonly intervalMs: number;
}

export interface RunOptions {
  readonly jobName: string;
  readonly graph: JobGraph;
  readonly clock: Clock;
  readonly settings: JobSettings;
  readonly signal: AbortSignal;
  readonly checkpoint: CheckpointSettings | undefined;
  readonly restoreFrom: LoadedCheckpoint | undefined;
  /** Checkpoint ids continue after this one (the highest id already in the directory). */
  readonly firstCheckpointIdAfter?: number;
  readonly allowNonRestoredState: boolean;
  /** The key groups this instance owns (default all): restore drops the state of the others. */
  readonly keyGroups?: KeyGroupRange;
  readonly logger: CheckpointLogger;
  /** The fault-injection suite's hooks (failpoints on the commit and restore path). */
  readonly faults?: FaultHooks;
  /** Called with the wiring once built (metrics read live counters from it). */
  readonly onWired?: (wiring: Wiring) => void;
  /** Called after every checkpoint attempt. */
  readonly onCheckpoint?: (record: CheckpointRecord) => void;
}

export interface RunStats {
  checkpointsCompleted: number;
  lastCheckpointId: number;
}

/** A keyed operator's snapshot being written, and the chains a delta extends. */
interface KeyedAtBarrier {
  readonly uid: string;
  readonly task: KeyedSnapshotTask;
  readonly base: KeyedChain | undefined;
}

/** A sink's records-in count at a checkpoint barrier, and the index of its state. */
interface SinkAtBarrier {
  readonly uid: string;
  readonly name: string;
  readonly state: number;
  readonly recordsIn: number;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class JobRun {
  private wiring: Wiring = undefined as unknown as Wiring;
  private failure: unknown = undefined;
  private wakeUp: (() => void) | undefined = undefined;
  private inFlight: Promise<void> | undefined = undefined;
  private nextCheckpointAt = Number.POSITIVE_INFINITY;
  private lastCheckpointId: number;
  private completed = 0;
  /** Every operator of the job, recorded in its checkpoints to recognise the job on restore. */
  private readonly jobOperators: readonly JobOperator[];
  /** Per sink uid: its records-in count when its last non-empty transaction was sealed. */
  private readonly sinkRecordsSealed = new Map<string, number>();
  /** Each keyed operator's chains in the last complete checkpoint: full or delta next. */
  private readonly chains: ChainPolicy;
  /** Operators with a bounded buffer or asynchronous work (mapAsync), found when the job is wired. */
  private asyncOperators: readonly StreamOperator[] = [];
  private asyncWorkRequested = false;
  private readonly wake = (): void => {
    const w = this.wakeUp;
    this.wakeUp = undefined;
    w?.();
  };
  private asyncWakeScheduled = false;
  /**
   * Results arrive one promise callback at a time (a timer each); waking the loop for each would
   * run a whole loop turn per element. The wake-up waits for the event loop's check phase, so the
   * results of one turn (all timers that expired together) are emitted in one go.
   */
  private readonly requestAsyncWork = (): void => {
    this.asyncWorkRequested = true;
    if (this.wakeUp !== undefined && !this.asyncWakeScheduled) {
      this.asyncWakeScheduled = true;
      setImmediate(this.wakeForAsyncWork);
    }
  };
  private readonly wakeForAsyncWork = (): void => {
    this.asyncWakeScheduled = false;
    this.wake();
  };

  constructor(private readonly opts: RunOptions) {
    // New checkpoints get ids above every one in the directory, so "latest" always means this
    // job's newest, also when the directory holds checkpoints of an earlier run.
    this.lastCheckpointId = Math.max(opts.restoreFrom?.checkpointId ?? 0, opts.firstCheckpointIdAfter ?? 0);
    this.jobOperators = opts.graph.nodes.map((n) => ({ uid: n.uid, kind: n.kind }));
    this.chains = new ChainPolicy(opts.checkpoint ?? { incremental: false, fullEvery: 1 });
  }

  private failpoint(name: FailpointName): void {
    this.opts.faults?.failpoint(name);
  }

  async run(): Promise<RunStats> {
    const { opts } = this;
    this.wiring = wireJob(opts.graph, opts.clock, opts.settings, opts.signal, this.requestAsyncWork);
    this.asyncOperators = this.wiring.operators
      .map((o) => o.operator)
      .filter((op) => op.capacityLeft !== undefined || op.processAsyncWork !== undefined || op.hasPendingAsyncWork !== undefined);
    opts.onWired?.(this.wiring);
    for (const o of this.wiring.operators) if (o.backend) o.backend.clock = opts.clock;
    if (opts.restoreFrom) this.restore(opts.restoreFrom);
    // From here on every write counts for the next (incremental) checkpoint.
    if (opts.checkpoint) for (const o of this.wiring.operators) o.backend?.trackChanges(changeLimitOf(opts.checkpoint));
    const ops = this.wiring.operators;
    for (let i = ops.length - 1; i >= 0; i--) ops[i]!.operator.open(ops[i]!.context);
    let unsubscribe: (() => void) | undefined;
    const onAbort = () => this.wake();
    opts.signal.addEventListener('abort', onAbort);
    try {
      await this.recordRestoredCommit();
      for (const o of ops) await o.operator.start?.();
      this.failpoint('restore.after-recover');
      for (const s of this.wiring.sources) await s.reader.start?.();
      if (isObservableClock(opts.clock)) {
        unsubscribe = opts.clock.subscribe((now) => {
          try {
            this.fireProcessingTime(now);
          } catch (e) {
            this.failure ??= e;
          }
          this.wake();
        });
      }
      if (opts.checkpoint) this.nextCheckpointAt = opts.clock.now() + opts.checkpoint.intervalMs;
      await this.loop();
      if (this.inFlight) await this.inFlight;
      if (this.failure !== undefined) throw this.failure;
      if (opts.checkpoint) await this.checkpoint();
      for (const o of ops) await o.operator.finish?.();
      return { checkpointsCompleted: this.completed, lastCheckpointId: this.lastCheckpointId };
    } catch (e) {
      if (this.inFlight) await this.inFlight.catch(() => {});
      throw e;
    } finally {
      unsubscribe?.();
      opts.signal.removeEventListener('abort', onAbort);
      for (const s of this.wiring.sources) await Promise.resolve(s.reader.close?.()).catch(() => {});
      for (const o of ops) await Promise.resolve(o.operator.close?.()).catch(() => {});
    }
  }

  private async loop(): Promise<void> {
    const { clock, signal } = this.opts;
    const sources = this.wiring.sources;
    let lastYield = performance.now();
    for (;;) {
      if (signal.aborted) throw new JobCancelledError(signal.reason);
      if (this.failure !== undefined) throw this.failure;
      if (this.asyncWorkRequested) this.runAsyncWork();
      let active = 0;
      let more = false;
      for (const d of sources) {
        if (d.ended) continue;
        const room = this.capacityLeft();
        if (!d.waiting && room > 0) {
          // Batches shrink while records are expensive, so I/O (checkpoint writes, sockets,
          // timers) gets a turn every few milliseconds even behind a slow operator.
          const t0 = performance.now();
          const status = d.poll(room < d.batchSize ? room : d.batchSize);
          const took = performance.now() - t0;
          if (took > BATCH_TARGET_MS) d.batchSize = Math.max(1, d.batchSize >> 1);
          else if (took < BATCH_TARGET_MS / 4 && d.batchSize < MAX_BATCH) d.batchSize = Math.min(MAX_BATCH, d.batchSize << 1);
          if (status === PollStatus.MORE_AVAILABLE) more = true;
          else if (status === PollStatus.NOTHING_AVAILABLE) this.await(d);
        }
        if (!d.ended) active++;
      }
      if (this.wiring.loopHeads.length > 0 && this.capacityLeft() > 0 && this.runLoops(active === 0)) more = true;
      const now = clock.now();
      this.fireProcessingTime(now);
      if (active === 0 && this.wiring.loopHeads.every((h) => h.finished) && !this.asyncWorkPending()) return;
      if (now >= this.nextCheckpointAt && this.inFlight === undefined) this.startCheckpoint();
      // A timer that fired above may have completed asynchronous work: emit it before sleeping.
      if (!more && !this.asyncWorkRequested) {
        this.cleanupExpiredState();
        await this.sleep(now);
        lastYield = performance.now();
      } else if (performance.now() - lastYield > (this.inFlight === undefined ? YIELD_EVERY_MS : 0)) {
        // While a checkpoint is being written, every batch yields: its file-system steps advance.
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
  }

  /** State TTL's background cleanup, a slice of it per keyed operator, while the job is idle. */
  private cleanupExpiredState(): void {
    for (const o of this.wiring.operators) {
      const b = o.backend;
      if (b !== undefined && b.cleansInBackground) b.cleanupExpired(performance.now() + TTL_SWEEP_SLICE_MS);
    }
  }

  /**
   * Drains the feedback queues of iterations (a bounded amount per call, so the loop yields to
   * I/O and checkpoints); finishes a loop once its upstream ended and nothing is left in it.
   * Returns true when some loop still has work.
   */
  private runLoops(sourcesDone: boolean): boolean {
    let busy = false;
    for (const head of this.wiring.loopHeads) {
      if (head.finished) continue;
      head.drain(LOOP_DRAIN_PER_ROUND);
      if (head.pending > 0) {
        busy = true;
        head.checkMaxWait(this.opts.clock.now());
      } else if (head.upstreamEnded) {
        head.finishLoop();
        busy = busy || head.pending > 0;
      }
    }
    return busy || (sourcesDone && this.wiring.loopHeads.some((h) => !h.finished));
  }

  /** Lets asynchronous operators emit their completed results (inside the loop: a consistent cut). */
  private runAsyncWork(): void {
    this.asyncWorkRequested = false;
    for (const op of this.asyncOperators) op.processAsyncWork?.();
  }

  /** Records the fullest bounded operator can still take (+Infinity when there is none). */
  private capacityLeft(): number {
    let room = Number.POSITIVE_INFINITY;
    for (const op of this.asyncOperators) {
      const r = op.capacityLeft?.();
      if (r !== undefined && r < room) room = r;
    }
    return room;
  }

  private asyncWorkPending(): boolean {
    for (const op of this.asyncOperators) if (op.hasPendingAsyncWork?.()) return true;
    return false;
  }

  private await(d: SourceDriver<unknown>): void {
    d.waiting = true;
    d.reader.isAvailable().then(
      () => {
        d.waiting = false;
        this.wake();
      },
      (e: unknown) => {
        this.failure ??= e;
        this.wake();
      },
    );
  }

  private sleep(now: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      this.wakeUp = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
      if (isObservableClock(this.opts.clock)) return; // manual time: only advance() and I/O wake us
      let deadline = this.nextCheckpointAt;
      for (const o of this.wiring.operators) {
        const t = o.operator.nextProcessingTime?.();
        if (t !== undefined && t < deadline) deadline = t;
        // An idle job still sweeps expired state now and then.
        if (o.backend?.cleansInBackground) deadline = Math.min(deadline, now + TTL_SWEEP_EVERY_MS);
      }
      for (const s of this.wiring.sources) {
        if (s.waiting && s.followsClock) deadline = Math.min(deadline, now + this.opts.settings.autoWatermarkIntervalMs);
      }
      if (deadline !== Number.POSITIVE_INFINITY) timer = setTimeout(this.wake, Math.max(0, Math.min(deadline - now, 2_147_483_647)));
    });
  }

  private fireProcessingTime(now: number): void {
    for (const o of this.wiring.operators) {
      const op = o.operator;
      if (op.nextProcessingTime !== undefined && op.nextProcessingTime() <= now) op.onProcessingTime!(now);
    }
    for (const s of this.wiring.sources) if (s.waiting) s.tick(now);
  }

  private startCheckpoint(): void {
    this.inFlight = this.checkpoint().then(
      () => {
        this.inFlight = undefined;
        this.nextCheckpointAt = this.opts.clock.now() + this.opts.checkpoint!.intervalMs;
        this.wake();
      },
      (e: unknown) => {
        this.inFlight = undefined;
        this.failure ??=
          e instanceof CheckpointError || e instanceof CheckpointDirectoryLockedError
            ? e
            : new CheckpointError(`Checkpoint failed: ${(e as Error).message}`, this.lastCheckpointId, { cause: e });
        this.wake();
      },
    );
  }

  /** Captures a consistent cut synchronously, then persists it and notifies completion. */
  private async checkpoint(): Promise<void> {
    const id = ++this.lastCheckpointId;
    const startedAt = Date.now();
    const t0 = performance.now();
    try {
      const { pauseMs, written } = await this.takeCheckpoint(id, t0);
      this.opts.onCheckpoint?.({
        id,
        startedAt,
        durationMs: performance.now() - t0,
        syncPauseMs: pauseMs,
        bytes: written.bytes,
        status: 'completed',
        operators: written.operators,
        path: written.path,
      });
    } catch (e) {
      this.opts.onCheckpoint?.({
        id,
        startedAt,
        durationMs: performance.now() - t0,
        syncPauseMs: 0,
        bytes: 0,
        status: 'failed',
        reason: e instanceof Error ? e.message : String(e),
        operators: {},
      });
      throw e;
    }
  }

  private async takeCheckpoint(id: number, t0: number): Promise<{ pauseMs: number; written: WrittenCheckpoint }> {
    const states: Array<OperatorStateToWrite & { committable?: unknown }> = [];
    for (const s of this.wiring.sources) {
      const position = s.reader.snapshotPosition?.(id);
      states.push({ uid: s.uid, name: s.name, position });
    }
    const keyed: Array<KeyedAtBarrier | undefined> = [];
    const sinks: SinkAtBarrier[] = [];
    for (const o of this.wiring.operators) {
      const uid = o.node.uid;
      const backend = o.backend;
      let k: KeyedAtBarrier | undefined;
      if (backend !== undefined) {
        // O(tables): the snapshot copies on write while it is walked.
        const full = this.chains.chooseFull(uid, backend.changeSummary());
        k = { uid, task: backend.beginSnapshot(full), base: full ? undefined : this.chains.base(uid) };
      }
      const snap = o.operator.snapshotState?.(id);
      const time = o.operator.snapshotTime?.();
      if (k === undefined && snap === undefined && time === undefined) continue;
      keyed.push(k);
      if (snap?.committable !== undefined) sinks.push({ uid, name: o.node.name, state: states.length, recordsIn: o.counters.recordsIn });
      states.push({ uid, name: o.node.name, operator: snap?.operator, committable: snap?.committable, time });
    }
    // --- the job continues from here on; keyed state is walked and serialised in slices meanwhile ---
    const pauseMs = performance.now() - t0;
    const sourceCount = this.wiring.sources.length;
    let resolved: OperatorStateToWrite[];
    try {
      resolved = await Promise.all(
        states.map(async (s, i) => {
          const k = i >= sourceCount ? keyed[i - sourceCount] : undefined;
          return { ...s, committable: await s.committable, ...(k ? { keyed: { ...(await k.task.run()), base: k.base } } : {}) };
        }),
      );
    } catch (e) {
      for (const k of keyed) k?.task.abandon();
      throw e;
    }
    const sinkRecords = this.sealedRecords(sinks, resolved);
    const storage = this.opts.checkpoint!.storage;
    const written = await storage.write(id, this.opts.jobName, resolved, { operators: this.jobOperators, sinkRecords });
    this.completed++;
    for (const k of keyed) {
      const chain = k && written.keyed.get(k.uid);
      if (chain) this.chains.completed(k!.uid, chain);
    }
    // Recorded before the commit, outside the checkpoint: should this checkpoint be damaged
    // later, a restore knows its output was committed and does not commit it again.
    if (sinkRecords.length > 0) await storage.recordCommit(id, this.opts.jobName, sinkRecords);
    await this.notifyComplete(id);
    return { pauseMs, written };
  }

  /**
   * Records each sink received since its previous non-empty transaction, for the sinks whose
   * transaction of this checkpoint holds something (what committing it makes visible).
   */
  private sealedRecords(sinks: readonly SinkAtBarrier[], states: ReadonlyArray<{ committable?: unknown }>): SinkCommit[] {
    const out: SinkCommit[] = [];
    for (const s of sinks) {
      if (states[s.state]!.committable === undefined) continue; // nothing sealed: the records go with a later one
      const records = s.recordsIn - (this.sinkRecordsSealed.get(s.uid) ?? 0);
      this.sinkRecordsSealed.set(s.uid, s.recordsIn);
      if (records > 0) out.push({ uid: s.uid, name: s.name, records });
    }
    return out;
  }

  /**
   * Sinks commit the restored checkpoint's transactions again when they start. If the commit
   * record does not know of that commit yet (a crash came between the checkpoint and its
   * record), it learns of it first.
   */
  private async recordRestoredCommit(): Promise<void> {
    const cp = this.opts.restoreFrom;
    const storage = this.opts.checkpoint?.storage;
    if (!cp || !storage || !storage.contains(cp.path)) return;
    // Format version 1 did not record the records per sink: known to commit, amount unknown.
    const sinks = cp.sinkRecords ?? ([...cp.operators.values()].some((s) => s.committable !== undefined) ? null : []);
    if (sinks !== null && sinks.length === 0) return;
    if ((await storage.commitHistory()).through >= cp.checkpointId) return;
    await storage.recordCommit(cp.checkpointId, this.opts.jobName, sinks);
  }

  private async notifyComplete(id: number): Promise<void> {
    this.failpoint('sink.before-commit');
    for (const o of this.wiring.operators) await o.operator.notifyCheckpointComplete?.(id);
    for (const s of this.wiring.sources) await s.reader.notifyCheckpointComplete?.(id);
    this.failpoint('sink.after-commit');
  }

  private restore(cp: LoadedCheckpoint): void {
    const known = new Set<string>();
    for (const s of this.wiring.sources) {
      known.add(s.uid);
      const st = cp.operators.get(s.uid);
      if (st?.hasPosition) s.reader.restorePosition?.(st.position);
    }
    for (const o of this.wiring.operators) {
      known.add(o.node.uid);
      const st = cp.operators.get(o.node.uid);
      if (!st) continue;
      if (st.time !== undefined) o.operator.restoreTime?.(st.time as TimeState);
      if (st.keyed && o.backend) {
        o.backend.restore(st.keyed, this.opts.keyGroups);
        // Deltas may build on the restored chains when they are this storage's shared files.
        if (st.keyedChain && this.opts.checkpoint?.storage.canExtend(cp)) this.chains.adopt(o.node.uid, chainIn(st.keyedChain, this.opts.keyGroups));
      }
      o.operator.restoreState?.({ keyed: st.keyed, operator: st.operator, committable: st.committable });
    }
    // An operator whose only checkpointed data is its event-time position held no state.
    const holdsState = (s: RestoredOperator) =>
      (s.keyed !== undefined && s.keyed.groups.length > 0) || s.operator !== undefined || s.committable !== undefined || s.hasPosition;
    const dropped = [...cp.operators.values()].filter((s) => !known.has(s.uid) && holdsState(s));
    if (dropped.length > 0 && !this.opts.allowNonRestoredState) {
      throw new CheckpointError(
        `Checkpoint ${cp.path} holds state of operators that are not in this job: ${dropped
          .map((d) => `'${d.name}' (uid ${d.uid})`)
          .join(', ')}. Give operators stable uids with .uid('...'), or set allowNonRestoredState: true to drop that state.`,
        cp.checkpointId,
      );
    }
  }

  /** @internal For metrics. */
  get operators(): readonly OperatorInstance[] {
    return this.wiring.operators;
  }
}

/** The part of `chain` in `range` (all of it without a range). */
function chainIn(chain: KeyedChain, range: KeyGroupRange | undefined): KeyedChain {
  if (range === undefined) return chain;
  return { ...chain, parts: chain.parts.filter((p) => p.keyGroup === undefined || inKeyGroupRange(p.keyGroup, range)) };
}

export { UserFunctionError };
