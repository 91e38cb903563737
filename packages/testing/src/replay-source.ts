/**
 * The source behind `runPipeline`: replays the events in array order, one per poll, and drives
 * the manual clock (the processing time of each event) before emitting it, so processing-time
 * timers that become due fire between two events as they would on a real clock.
 *
 * With checkpointing it makes checkpoint positions deterministic: after an event, when the clock
 * has reached the runtime's next checkpoint time, it reports "nothing available" until that
 * checkpoint completes (`notifyCheckpointComplete`), so the checkpoint covers exactly the events
 * emitted so far. Its position is the index and the largest timestamp seen, so that a restored
 * run starts with the watermark the crashed run had (see run-pipeline.ts).
 * @internal
 */
import { type ManualClock, PollStatus, type Source, type SourceOutput, type SourceReader } from '@weir/core';

/** Thrown by the source at the chosen crash point. */
export class SimulatedCrash extends Error {
  constructor(readonly afterEvents: number) {
    super(`runPipeline: simulated crash after ${afterEvents} events`);
    this.name = 'SimulatedCrash';
  }
}

/** Shared between the source, the watermark generator and the runner of one attempt. */
export interface ReplayState {
  /** Events emitted so far (including the replayed prefix after a restore). */
  index: number;
  /** Largest finite timestamp emitted so far: the watermark generator reads it. */
  maxTs: number;
}

export interface ReplayPlan<E> {
  readonly events: readonly E[];
  readonly timestampOf: (e: E) => number;
  readonly processingTime: (e: E, index: number) => number;
  readonly clock: ManualClock;
  readonly state: ReplayState;
  /** Throw a {@link SimulatedCrash} before emitting this event index (once). */
  readonly crashAt: number | undefined;
  /** Checkpoint interval in ms of processing time, when checkpointing. */
  readonly checkpointIntervalMs: number | undefined;
  /** Advance the clock by this much before the first event after a restore (periodic watermark). */
  readonly kickOnRestore: number;
}

type Position = { readonly index: number; readonly maxTs: number | null };

class ReplayReader<E> implements SourceReader<E> {
  private nextCheckpointAt: number;
  private waitingForCheckpoint = false;
  private release: (() => void) | undefined = undefined;
  private restored = false;

  constructor(private readonly plan: ReplayPlan<E>) {
    this.nextCheckpointAt = plan.checkpointIntervalMs === undefined ? Number.POSITIVE_INFINITY : plan.clock.now() + plan.checkpointIntervalMs;
  }

  pollNext(output: SourceOutput<E>): PollStatus {
    const { plan } = this;
    const state = plan.state;
    if (this.waitingForCheckpoint) return PollStatus.NOTHING_AVAILABLE;
    if (plan.crashAt === state.index) throw new SimulatedCrash(state.index);
    if (state.index >= plan.events.length) return PollStatus.END_OF_INPUT;
    if (this.restored) {
      this.restored = false;
      plan.clock.advance(plan.kickOnRestore);
    }
    const event = plan.events[state.index]!;
    plan.clock.set(plan.processingTime(event, state.index));
    const ts = plan.timestampOf(event);
    state.index++;
    if (Number.isFinite(ts) && ts > state.maxTs) state.maxTs = ts;
    output.collect(event, Number.isFinite(ts) ? ts : undefined);
    if (state.index >= plan.events.length && plan.crashAt !== state.index) return PollStatus.END_OF_INPUT;
    if (plan.clock.now() >= this.nextCheckpointAt) {
      // The runtime starts a checkpoint right after this poll; hold back until it completes.
      this.waitingForCheckpoint = true;
      return PollStatus.NOTHING_AVAILABLE;
    }
    return PollStatus.MORE_AVAILABLE;
  }

  isAvailable(): Promise<void> {
    if (!this.waitingForCheckpoint) return Promise.resolve();
    return new Promise<void>((resolve) => {
      // The fallback timer only matters if a checkpoint never starts (it should): no hang, ever.
      const timer = setTimeout(() => this.resume(), 2000);
      this.release = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  notifyCheckpointComplete(): void {
    if (this.plan.checkpointIntervalMs !== undefined) this.nextCheckpointAt = this.plan.clock.now() + this.plan.checkpointIntervalMs;
    // Resume on the next macrotask: by then the runtime has finished its own bookkeeping of this
    // checkpoint (no longer in flight, next checkpoint time set), all in microtasks.
    setImmediate(() => this.resume());
  }

  snapshotPosition(): Position {
    const s = this.plan.state;
    return { index: s.index, maxTs: Number.isFinite(s.maxTs) ? s.maxTs : null };
  }

  restorePosition(position: unknown): void {
    const p = position as Position;
    this.plan.state.index = p.index;
    this.plan.state.maxTs = p.maxTs ?? Number.NEGATIVE_INFINITY;
    this.restored = true;
  }

  private resume(): void {
    this.waitingForCheckpoint = false;
    const r = this.release;
    this.release = undefined;
    r?.();
  }
}

/** @internal */
export function replaySource<E>(plan: ReplayPlan<E>): Source<E> {
  return { name: 'runPipeline events', bounded: true, replayable: true, createReader: () => new ReplayReader(plan) };
}
