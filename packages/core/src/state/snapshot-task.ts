/**
 * One operator's keyed-state snapshot, from the barrier to serialised key groups: the parts of its
 * tables and timer queues (table-tracking.ts, timer-tracking.ts) are walked in slices while the
 * job goes on, then each key group's segment (segment.ts) is v8-serialised, again in slices.
 * Nothing the job does after the barrier reaches the result: the walk copies on write, and what
 * it collected is detached data.
 * @internal
 */
import { serialize } from 'node:v8';
import { CheckpointError } from '../errors.js';
import { packSegment, SEGMENT_FORMAT, type SegmentPayload, type TablePart, type TimerPart } from './segment.js';
import type { TableSnapshot } from './table-tracking.js';
import type { TimerSnapshot } from './timer-tracking.js';

/**
 * One key group of one operator's keyed state, serialised.
 *
 * @example
 * ```ts
 * const group: KeyGroupSnapshot = { keyGroup: 17, data: new Uint8Array() };
 * ```
 */
export interface KeyGroupSnapshot {
  readonly keyGroup: number;
  readonly data: Uint8Array;
}

/**
 * The keyed state of one operator in a checkpoint. Written: one segment per key group that has
 * something to write. Restored: every key group's chain, oldest first (a key group may appear
 * several times; its last full segment and the deltas after it count).
 *
 * @example
 * ```ts
 * const keyed = (await storage.latest())?.operators.get('sums')?.keyed;
 * console.log(keyed?.maxParallelism, keyed?.groups.map((g) => g.keyGroup));
 * ```
 */
export interface KeyedStateSnapshot {
  readonly maxParallelism: number;
  readonly groups: readonly KeyGroupSnapshot[];
  /** Written snapshots: every key group's segment is full (else they are deltas). */
  readonly full?: boolean;
}

/** Longest stretch of snapshot work between two yields to the job, ms. */
export const SNAPSHOT_SLICE_MS = 4;

const yieldToJob = () => new Promise<void>((resolve) => setImmediate(resolve));

export class KeyedSnapshotTask {
  private abandoned = false;

  constructor(
    private readonly operatorName: string,
    private readonly maxParallelism: number,
    readonly full: boolean,
    private readonly tables: ReadonlyArray<{ readonly name: string; readonly snapshot: TableSnapshot }>,
    private readonly timers: { readonly event: TimerSnapshot; readonly processing: TimerSnapshot },
    private readonly release: () => void,
  ) {}

  /**
   * Walks the state until done (true), or until `deadline` (performance.now()) passed or about
   * `budget` entries were walked (false; tests interleave the job's writes this way).
   */
  walk(deadline: number, budget = Number.POSITIVE_INFINITY): boolean {
    for (const t of this.tables) if (!t.snapshot.step(deadline, budget)) return false;
    if (!this.timers.event.step(deadline, budget)) return false;
    return this.timers.processing.step(deadline, budget);
  }

  /** Serialises what the walk collected (after {@link walk} returned true). */
  finishSync(): KeyedStateSnapshot {
    this.release();
    this.throwEncodingError();
    const groups: KeyGroupSnapshot[] = [];
    for (const [keyGroup, payload] of this.payloads()) groups.push({ keyGroup, data: this.serializeGroup(payload) });
    return { maxParallelism: this.maxParallelism, groups, full: this.full };
  }

  /** Walks and serialises in slices, yielding to the job between them. */
  async run(sliceMs = SNAPSHOT_SLICE_MS): Promise<KeyedStateSnapshot> {
    try {
      while (!this.walk(performance.now() + sliceMs)) {
        await yieldToJob();
        if (this.abandoned) throw new CheckpointError(`Operator '${this.operatorName}': snapshot abandoned`);
      }
    } finally {
      this.release();
    }
    this.throwEncodingError();
    const groups: KeyGroupSnapshot[] = [];
    let sliceEnd = performance.now() + sliceMs;
    for (const [keyGroup, payload] of this.payloads()) {
      groups.push({ keyGroup, data: this.serializeGroup(payload) });
      if (performance.now() > sliceEnd) {
        await yieldToJob();
        sliceEnd = performance.now() + sliceMs;
      }
    }
    return { maxParallelism: this.maxParallelism, groups, full: this.full };
  }

  /** Walks and serialises at once (nothing runs meanwhile: tests, tools). */
  runSync(): KeyedStateSnapshot {
    try {
      this.walk(Number.POSITIVE_INFINITY);
    } catch (e) {
      this.release();
      throw e;
    }
    return this.finishSync();
  }

  /** Stops copying on write for a snapshot that will not be written. */
  abandon(): void {
    this.abandoned = true;
    this.release();
  }

  /** Each key group's segment, in key-group order. */
  private *payloads(): Generator<[number, SegmentPayload]> {
    for (let kg = 0; kg < this.maxParallelism; kg++) {
      let tables: Record<string, TablePart> | undefined;
      for (const t of this.tables) {
        const part = t.snapshot.parts[kg];
        if (part !== undefined) (tables ??= {})[t.name] = part;
      }
      const event: TimerPart | undefined = this.timers.event.parts[kg];
      const processing: TimerPart | undefined = this.timers.processing.parts[kg];
      if (tables === undefined && event === undefined && processing === undefined) continue;
      yield [kg, { f: SEGMENT_FORMAT, full: this.full, tables: tables ?? {}, event, processing }];
    }
  }

  private throwEncodingError(): void {
    for (const t of this.tables) {
      const e = t.snapshot.error;
      if (e === undefined) continue;
      throw new CheckpointError(
        `Operator '${this.operatorName}': state '${t.name}' cannot be checkpointed (${(e as Error).message}); state values must be structured-cloneable data`,
        undefined,
        { cause: e },
      );
    }
  }

  private serializeGroup(payload: SegmentPayload): Uint8Array {
    try {
      return serialize(packSegment(payload));
    } catch (e) {
      throw new CheckpointError(
        `Operator '${this.operatorName}': keyed state cannot be serialised (${(e as Error).message}); state values must be structured-cloneable data`,
        undefined,
        { cause: e },
      );
    }
  }
}
