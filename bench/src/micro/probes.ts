/**
 * Instruments that watch a weir job from the outside, through the public Source and Sink
 * interfaces only:
 * - {@link ProbeSource} wraps a source; its hooks run when the job starts reading (after any
 *   restore), before and after every poll (a poll is one batch; the runner pushes a batch through
 *   the whole graph synchronously), and when a checkpoint captures the source position (the first
 *   step of every checkpoint).
 * - {@link CheckpointProbe} turns those hooks plus a transactional sink into per-checkpoint
 *   figures: synchronous capture time (position snapshot to the sink's pre-commit, the last
 *   operator captured), end-to-end duration (to the sink's commit, after the checkpoint is
 *   durable), and pause (the longest stall between two polls while the checkpoint was in flight,
 *   which includes serialisation work that runs on the job's thread).
 */
import type { Sink, SinkWriter, Source, SourceOutput, SourceReader, SourceReaderContext } from '@weir/core';
import { PollStatus } from '@weir/core';
import { type Digest, DigestWriter, type RecordHash } from '../harness/digest.js';

/** Hooks of a {@link ProbeSource}. */
export interface SourceHooks {
  /** The job starts reading (restore, if any, is done). */
  onStart?(): void;
  /** Before a poll; `position` is the number of records emitted so far. */
  beforePoll?(position: number): void;
  /** After a poll; `ended` when the source reported the end of its input. */
  afterPoll?(position: number, ended: boolean): void;
  /** A checkpoint captures the source position. */
  onSnapshot?(position: number): void;
}

class ProbeReader<T> implements SourceReader<T> {
  private emitted = 0;
  private readonly counting: SourceOutput<T>;
  private target: SourceOutput<T> = undefined as unknown as SourceOutput<T>;

  constructor(
    private readonly inner: SourceReader<T>,
    private readonly hooks: SourceHooks,
  ) {
    const self = this;
    this.counting = {
      collect(value: T, timestamp?: number) {
        self.emitted++;
        self.target.collect(value, timestamp);
      },
      deadLetter: (letter) => self.target.deadLetter(letter),
    };
  }
  start(): void | Promise<void> {
    this.hooks.onStart?.();
    return this.inner.start?.();
  }
  pollNext(output: SourceOutput<T>, maxRecords: number): PollStatus {
    this.hooks.beforePoll?.(this.emitted);
    // Count through a wrapper only when someone needs positions; otherwise hand the output over.
    let status: PollStatus;
    if (this.hooks.afterPoll !== undefined || this.hooks.onSnapshot !== undefined || this.hooks.beforePoll !== undefined) {
      this.target = output;
      status = this.inner.pollNext(this.counting, maxRecords);
    } else status = this.inner.pollNext(output, maxRecords);
    this.hooks.afterPoll?.(this.emitted, status === PollStatus.END_OF_INPUT);
    return status;
  }
  isAvailable(): Promise<void> {
    return this.inner.isAvailable();
  }
  snapshotPosition(): unknown {
    this.hooks.onSnapshot?.(this.emitted);
    return { inner: this.inner.snapshotPosition?.(), emitted: this.emitted };
  }
  restorePosition(position: unknown): void {
    const p = position as { inner: unknown; emitted: number };
    this.emitted = p.emitted;
    this.inner.restorePosition?.(p.inner);
  }
  close(): void | Promise<void> {
    return this.inner.close?.();
  }
}

/**
 * A source that runs hooks around another source's reader.
 *
 * @example
 * ```ts
 * env.fromSource(new ProbeSource(new CollectionSource(events), { onStart: () => console.log('reading') }));
 * ```
 */
export class ProbeSource<T> implements Source<T> {
  readonly name: string;
  readonly bounded: boolean;
  readonly replayable: boolean;
  constructor(
    private readonly inner: Source<T>,
    private readonly hooks: SourceHooks,
  ) {
    this.name = inner.name ?? 'Probe Source';
    this.bounded = inner.bounded;
    this.replayable = inner.replayable ?? false;
  }
  createReader(ctx: SourceReaderContext): SourceReader<T> {
    return new ProbeReader(this.inner.createReader(ctx), this.hooks);
  }
}

/** The figures of one checkpoint. */
export interface CheckpointTiming {
  id: number;
  /** Source position captured (ms, performance.now()). */
  startMs: number;
  /** Sink pre-committed (the synchronous capture is over). */
  capturedMs: number;
  /** Sink committed (the checkpoint is durable). */
  completedMs: number;
  /** The longest stall between two polls while this checkpoint was in flight. */
  pauseMs: number;
  /** Taken after the input ended (the final checkpoint). */
  final: boolean;
}

/**
 * Collects {@link CheckpointTiming}s of one run from a {@link ProbeSource} and the sink it makes.
 *
 * @example
 * ```ts
 * const probe = new CheckpointProbe();
 * env.fromSource(new ProbeSource(src, probe.hooks)).keyBy('key')...sinkTo(probe.sink(digest, hash));
 * await env.execute();
 * probe.checkpoints; // [{ id: 1, startMs, capturedMs, completedMs, pauseMs, final }, ...]
 * ```
 */
export class CheckpointProbe {
  readonly checkpoints: CheckpointTiming[] = [];
  /**
   * The longest stall between two polls over the whole run, checkpoint or not: what the job's own
   * work (a window firing for every key at once) costs, which a pause measured while a checkpoint
   * is in flight includes.
   */
  longestStallMs = 0;
  private lastPollEnd = Number.NaN;
  private ended = false;
  private pending: CheckpointTiming | undefined = undefined;

  readonly hooks: SourceHooks = {
    beforePoll: () => {
      const now = performance.now();
      if (!Number.isNaN(this.lastPollEnd)) {
        const gap = now - this.lastPollEnd;
        if (gap > this.longestStallMs) this.longestStallMs = gap;
        for (const c of this.checkpoints) if (c.completedMs === 0 && gap > c.pauseMs) c.pauseMs = gap;
      }
    },
    afterPoll: (_position, ended) => {
      this.lastPollEnd = performance.now();
      if (ended) this.ended = true;
    },
    onSnapshot: () => {
      this.pending = { id: 0, startMs: performance.now(), capturedMs: 0, completedMs: 0, pauseMs: 0, final: this.ended };
      this.checkpoints.push(this.pending);
    },
  };

  /** A transactional sink that digests records and timestamps the checkpoint's phases. */
  sink<T>(digest: Digest, hash: RecordHash<T>): Sink<T, number> {
    return {
      name: 'Probe Sink',
      createWriter: (): SinkWriter<T, number> => {
        const out = new DigestWriter<T>(digest, hash);
        return {
          write: (value, timestamp) => out.write(value, timestamp),
          prepareCommit: (checkpointId) => {
            if (this.pending !== undefined) {
              this.pending.id = checkpointId;
              this.pending.capturedMs = performance.now();
              this.pending = undefined;
            }
            return checkpointId;
          },
        };
      },
      commit: (ids) => {
        const now = performance.now();
        for (const id of ids) {
          const c = this.checkpoints.find((x) => x.id === id);
          if (c !== undefined && c.completedMs === 0) c.completedMs = now;
        }
      },
    };
  }
}
