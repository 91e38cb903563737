/**
 * Typed errors. Every error weir throws is a {@link WeirError} with a stable `code`, so callers
 * can branch on the kind without parsing messages, and a message that names the operator, the
 * user function, the key and the position where that is known.
 *
 * @example
 * ```ts
 * try { await env.execute('job'); }
 * catch (e) { if (e instanceof UserFunctionError) console.error(e.operator, e.key, e.position); }
 * ```
 */
export class WeirError extends Error {
  /** Stable discriminant, e.g. `'CONFIG'`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * Invalid API use or configuration, thrown when the pipeline is built (not when it runs):
 * a window of size 0, `Count.of(0)`, negative lateness, a merging assigner with a trigger that
 * cannot merge. The message names the operator and the fix. Not retryable.
 *
 * @example
 * ```ts
 * expect(() => stream.keyBy('k').countWindow(0)).toThrow(ConfigError);
 * ```
 */
export class ConfigError extends WeirError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFIG', message, options);
  }
}

/**
 * Where an element came from: the source that read it and its position there.
 *
 * @example
 * ```ts
 * try {
 *   await env.execute();
 * } catch (e) {
 *   if (e instanceof UserFunctionError && e.position) console.log(e.position.source, e.position.index, e.position.offset);
 * }
 * ```
 */
export interface RecordPosition {
  /** Name of the source operator. */
  readonly source: string;
  /** Zero-based index of the element among those the source emitted in this run attempt. */
  readonly index: number;
  /** The source's own replay position (offset, line, entry id) when it has one. */
  readonly offset?: unknown;
}

/**
 * A user function threw. Names the operator, the key (keyed operators) and the position of the
 * element being processed; the original exception is the `cause`. Retryable only if the function
 * is not deterministic: a restart replays the same element.
 *
 * @example
 * ```ts
 * await expect(env.execute()).rejects.toThrow(UserFunctionError);
 * ```
 */
export class UserFunctionError extends WeirError {
  readonly operator: string;
  readonly key: unknown;
  position: RecordPosition | undefined;
  constructor(operator: string, key: unknown, cause: unknown, position?: RecordPosition) {
    super('USER_FUNCTION', UserFunctionError.describe(operator, key, cause, position), { cause });
    this.operator = operator;
    this.key = key;
    this.position = position;
  }

  /** @internal Adds the element's position once the runtime knows it. */
  withPosition(position: RecordPosition | undefined): this {
    if (position && !this.position) {
      this.position = position;
      this.message = UserFunctionError.describe(this.operator, this.key, this.cause, position);
    }
    return this;
  }

  private static describe(operator: string, key: unknown, cause: unknown, position?: RecordPosition): string {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const keyPart = key === undefined ? '' : ` for key ${formatKey(key)}`;
    const posPart = position ? ` at element #${position.index} of source '${position.source}'` : '';
    return `User function of operator '${operator}' failed${keyPart}${posPart}: ${reason}`;
  }
}

/**
 * An asynchronous user function (`mapAsync`, `AsyncDataStream`) rejected, and its retry strategy
 * gave up or had none. Names the operator, the element and the number of calls; the rejection is
 * the `cause`. Fails the job (then the restart strategy applies) unless the operator was given a
 * failure side output.
 *
 * @example
 * ```ts
 * try { await env.execute(); }
 * catch (e) { if (e instanceof AsyncFunctionError) console.error(e.operator, e.element, e.attempts, e.cause); }
 * ```
 */
export class AsyncFunctionError extends UserFunctionError {
  /** The input element whose call failed. */
  readonly element: unknown;
  /** How many times the function was called for it (the first call and the retries). */
  readonly attempts: number;
  constructor(operator: string, element: unknown, attempts: number, cause: unknown) {
    super(operator, undefined, cause);
    this.element = element;
    this.attempts = attempts;
    const reason = cause instanceof Error ? cause.message : String(cause);
    const calls = attempts === 1 ? '1 call' : `${attempts} calls`;
    this.message = `Async function of operator '${operator}' failed for element ${formatElement(element)} after ${calls}: ${reason}`;
  }
}

/**
 * An asynchronous call (`mapAsync`, `AsyncDataStream`) did not complete within the operator's
 * timeout (which covers every retry) and the operator has no `onTimeout`. Names the operator, the
 * element and the timeout. Fails the job (then the restart strategy applies) unless the operator
 * was given a failure side output.
 *
 * @example
 * ```ts
 * try { await env.execute(); }
 * catch (e) { if (e instanceof AsyncTimeoutError) console.error(e.operator, e.element, e.timeoutMs); }
 * ```
 */
export class AsyncTimeoutError extends WeirError {
  readonly operator: string;
  readonly element: unknown;
  readonly timeoutMs: number;
  constructor(operator: string, element: unknown, timeoutMs: number) {
    super(
      'ASYNC_TIMEOUT',
      `Async function of operator '${operator}' timed out after ${timeoutMs} ms for element ${formatElement(element)}; ` +
        'give mapAsync an onTimeout to emit a fallback, a retry strategy, or a failure side output',
    );
    this.operator = operator;
    this.element = element;
    this.timeoutMs = timeoutMs;
  }
}

/** @internal An element in a message: its JSON (or string) form, cut to 120 characters. */
export function formatElement(element: unknown): string {
  const s = formatKey(element);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

/**
 * No usable checkpoint where one was required: every candidate failed its checksum, was torn or
 * had an unknown format. Names the offending file. Never turned into a silent fresh start.
 *
 * @example
 * ```ts
 * await expect(env.execute()).rejects.toBeInstanceOf(CheckpointCorruptError);
 * ```
 */
export class CheckpointCorruptError extends WeirError {
  readonly file: string;
  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super('CHECKPOINT_CORRUPT', `Checkpoint file '${file}' is unusable: ${reason}`, options);
    this.file = file;
  }
}

/**
 * A checkpoint could not be taken or restored for a reason other than corruption (I/O error,
 * state that cannot be serialised, a changed graph that would drop state).
 *
 * @example
 * ```ts
 * if (err instanceof CheckpointError) console.error('checkpoint', err.checkpointId, err.message);
 * ```
 */
export class CheckpointError extends WeirError {
  readonly checkpointId: number | undefined;
  constructor(message: string, checkpointId?: number, options?: { cause?: unknown }) {
    super('CHECKPOINT', message, options);
    this.checkpointId = checkpointId;
  }
}

/**
 * A source failed to read (connection refused, file vanished). Usually retryable.
 *
 * @example
 * ```ts
 * if (err instanceof SourceError) console.error(err.source, err.message);
 * ```
 */
export class SourceError extends WeirError {
  readonly source: string;
  constructor(source: string, message: string, options?: { cause?: unknown }) {
    super('SOURCE', `Source '${source}': ${message}`, options);
    this.source = source;
  }
}

/**
 * A record could not be parsed or encoded. Sources send such records to a dead-letter side
 * output wrapped in a {@link DeadLetter}; this error is the reason carried there.
 *
 * @example
 * ```ts
 * const reason = new SerializationError('line 3: expected SYMBOL,PRICE');
 * ```
 */
export class SerializationError extends WeirError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SERIALIZATION', message, options);
  }
}

/**
 * The job was cancelled through its AbortSignal.
 *
 * @example
 * ```ts
 * const ac = new AbortController(); const run = env.execute({ signal: ac.signal }); ac.abort();
 * ```
 */
export class JobCancelledError extends WeirError {
  constructor(reason?: unknown) {
    super('CANCELLED', 'The job was cancelled', { cause: reason });
    this.name = 'AbortError';
  }
}

/** @internal Short, safe rendering of a key for messages. */
export function formatKey(key: unknown): string {
  if (typeof key === 'string') return JSON.stringify(key);
  if (typeof key === 'bigint') return `${key}n`;
  if (typeof key === 'object' && key !== null) {
    try {
      return JSON.stringify(key);
    } catch {
      return String(key);
    }
  }
  return String(key);
}

/**
 * A checkpoint belongs to another job. `restore: 'latest'` only continues a checkpoint written by
 * a job of the same name (a checkpoint directory belongs to one job); an explicit
 * `restore: '<path>'` of a checkpoint written under another name is accepted only when its
 * operators (uids and kinds) are exactly this job's, as for a renamed job. Not retryable.
 *
 * @example
 * ```ts
 * try { await env.execute('prices'); }
 * catch (e) { if (e instanceof ForeignCheckpointError) console.error(e.path, 'belongs to', e.checkpointJobName); }
 * ```
 */
export class ForeignCheckpointError extends WeirError {
  /** The checkpoint that was refused. */
  readonly path: string;
  /** The job that was to restore it. */
  readonly jobName: string;
  /** The job that wrote it. */
  readonly checkpointJobName: string;
  constructor(details: { path: string; jobName: string; checkpointJobName: string }, message: string) {
    super('CHECKPOINT_FOREIGN', message);
    this.path = details.path;
    this.jobName = details.jobName;
    this.checkpointJobName = details.checkpointJobName;
  }
}

/**
 * `restore: 'latest'` would fall back to an older checkpoint than one whose output the sinks
 * already committed (the newer one is damaged beyond repair, or gone): replaying from the older
 * one would commit that output a second time. Names both checkpoints, how many records would be
 * repeated (per sink), and the fix: restore the older checkpoint explicitly with
 * `restore: '<fallbackPath>'` to accept the repetition, or repair the damaged checkpoint. Not
 * retryable.
 *
 * @example
 * ```ts
 * try { await env.execute('prices'); }
 * catch (e) {
 *   if (e instanceof CommittedOutputWouldRepeatError) console.error(e.committedCheckpointId, e.fallbackPath, e.repeatedRecords);
 * }
 * ```
 */
export class CommittedOutputWouldRepeatError extends WeirError {
  /** The newest checkpoint whose output was committed (or whose commit had started). */
  readonly committedCheckpointId: number;
  /** The checkpoint `latest` would restore instead; undefined: none is left (a fresh start). */
  readonly fallbackCheckpointId: number | undefined;
  readonly fallbackPath: string | undefined;
  /** Records the sinks would commit again; undefined when not known (e.g. history too short). */
  readonly repeatedRecords: number | undefined;
  /** Records per sink (by sink name) that would be committed again, as far as known. */
  readonly repeatedBySink: Readonly<Record<string, number>>;
  constructor(
    details: {
      committedCheckpointId: number;
      fallbackCheckpointId: number | undefined;
      fallbackPath: string | undefined;
      repeatedRecords: number | undefined;
      repeatedBySink: Readonly<Record<string, number>>;
    },
    message: string,
  ) {
    super('CHECKPOINT_FALLBACK', message);
    this.committedCheckpointId = details.committedCheckpointId;
    this.fallbackCheckpointId = details.fallbackCheckpointId;
    this.fallbackPath = details.fallbackPath;
    this.repeatedRecords = details.repeatedRecords;
    this.repeatedBySink = details.repeatedBySink;
  }
}

/**
 * Another job holds the checkpoint directory: its `LOCK` file names a process that is still
 * running (or one on another host, which cannot be checked from here). Two jobs on one
 * directory would delete each other's checkpoints. Not retryable.
 *
 * @example
 * ```ts
 * try { await env.execute('prices'); }
 * catch (e) { if (e instanceof CheckpointDirectoryLockedError) console.error(e.lockFile, e.ownerPid, e.ownerHostname); }
 * ```
 */
export class CheckpointDirectoryLockedError extends WeirError {
  readonly dir: string;
  readonly lockFile: string;
  readonly ownerPid: number | undefined;
  readonly ownerHostname: string | undefined;
  readonly ownerJobName: string | undefined;
  constructor(
    details: { dir: string; lockFile: string; ownerPid?: number; ownerHostname?: string; ownerJobName?: string },
    message: string,
  ) {
    super('CHECKPOINT_LOCKED', message);
    this.dir = details.dir;
    this.lockFile = details.lockFile;
    this.ownerPid = details.ownerPid;
    this.ownerHostname = details.ownerHostname;
    this.ownerJobName = details.ownerJobName;
  }
}
