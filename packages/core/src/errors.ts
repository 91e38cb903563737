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
