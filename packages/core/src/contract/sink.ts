/**
 * Sinks (after Flink's Sink V2 with two-phase commit): a writer receives records; at each
 * checkpoint barrier it seals its current transaction and returns a *committable* (pre-commit:
 * data durable but invisible); once the checkpoint is durable the sink commits it (makes it
 * visible). Commits must be idempotent: after a crash the committables of the restored
 * checkpoint are committed again, and `recover` discards whatever a failed attempt left behind.
 * A sink without `prepareCommit`/`commit` is at-least-once (its writes are replayed after a
 * restore).
 */

/**
 * What a writer gets from the runtime.
 *
 * @example
 * ```ts
 * createWriter(ctx: SinkContext): SinkWriter<string> {
 *   const file = `${ctx.operatorName}.log`;
 *   return { write: (line) => appendFileSync(file, `${line}\n`) };
 * }
 * ```
 */
export interface SinkContext {
  readonly operatorName: string;
  /** True when the job takes checkpoints (transactional sinks commit per checkpoint). */
  readonly checkpointing: boolean;
}

/**
 * Writes records of one sink operator.
 *
 * @example
 * ```ts
 * const writer: SinkWriter<string> = { write: (line) => console.log(line) };
 * ```
 */
export interface SinkWriter<T, C = unknown> {
  write(value: T, timestamp: number): void;
  /** The sink's watermark advanced (optional). */
  writeWatermark?(watermark: number): void;
  /**
   * Seals the current transaction at checkpoint `checkpointId` (or at the end of input, with
   * id `-1` when the job takes no checkpoints) and returns what must be committed once that
   * checkpoint is durable; `undefined` when there is nothing to commit.
   */
  prepareCommit?(checkpointId: number): C | undefined | Promise<C | undefined>;
  /** Writer state for the checkpoint (plain data), given back to `Sink.recover`. */
  snapshotState?(): unknown;
  close?(): void | Promise<void>;
}

/**
 * A destination for a stream.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const toArray: Sink<string> = { name: 'array', createWriter: () => ({ write: (v) => { lines.push(v); } }) };
 * stream.sinkTo(toArray);
 * ```
 */
export interface Sink<T, C = unknown> {
  readonly name?: string;
  createWriter(ctx: SinkContext): SinkWriter<T, C>;
  /** Makes pre-committed transactions visible. Idempotent. */
  commit?(committables: readonly C[]): void | Promise<void>;
  /**
   * Called before the first record of a run: `restored` holds the writer state and the
   * committables of the checkpoint being restored (committed again right after), or is
   * undefined on a fresh start. Discard in-flight data of failed attempts here.
   */
  recover?(restored: { readonly state: unknown; readonly committables: readonly C[] } | undefined): void | Promise<void>;
}
