/**
 * Async I/O on a stream: the options of `mapAsync`, their validation, and Flink's spelling
 * `AsyncDataStream.orderedWait/unorderedWait` (same operator, positional arguments).
 */
import { ConfigError } from '../errors.js';
import type { AsyncFailure, AsyncFunction, AsyncRetryStrategy, AsyncWaitNodeSpec } from '../contract/async-function.js';
import type { DeadLetter, OutputTag } from '../contract/output-tag.js';
import { erased } from '../contract/plan.js';
import { type Duration, toMillis } from '../time/time.js';
import type { DataStream } from './data-stream.js';

/** Flink's default capacity of an async operator (`AsyncDataStream.DEFAULT_QUEUE_CAPACITY`). */
export const DEFAULT_ASYNC_CAPACITY = 100;

/**
 * Options of `mapAsync`.
 *
 * @example
 * ```ts
 * const options: AsyncOptions<string, User> = {
 *   capacity: 100,                 // calls in flight at most; a full operator holds its input back
 *   timeoutMs: 2_000,              // per element, all retries included
 *   ordered: false,                // emit as results arrive (never across a watermark)
 *   retry: AsyncRetryStrategies.fixedDelay({ maxAttempts: 2, delayMs: 50 }),
 *   onTimeout: (id) => ({ id, name: 'unknown' }),
 * };
 * ```
 */
export interface AsyncOptions<T, R> {
  /** Elements in flight at most (watermarks between them count too, as in Flink). Default 100. */
  readonly capacity?: number;
  /** Time an element's calls may take, all retries included (ms or a `Time`). Default: no limit. */
  readonly timeoutMs?: Duration;
  /** Emit results in input order (default), or as they complete with `false`. */
  readonly ordered?: boolean;
  /** Repeat calls that reject or return a result that asks for it. */
  readonly retry?: AsyncRetryStrategy<R>;
  /** The result for an element that timed out. Default: the timeout is a failure (`AsyncTimeoutError`). */
  readonly onTimeout?: (input: T) => R;
  /**
   * Where failures go (a rejection not retried, a timeout without `onTimeout`). Default: they fail
   * the job, which then restarts from its last checkpoint if it may.
   */
  readonly failures?: OutputTag<AsyncFailure<T>> | OutputTag<DeadLetter>;
}

const OPTION_NAMES = new Set(['capacity', 'timeoutMs', 'ordered', 'retry', 'onTimeout', 'failures']);

/** @internal Validates `mapAsync`'s arguments into the node's spec. */
export function asyncWaitSpec<T, R>(what: string, fn: AsyncFunction<T, R>, options: AsyncOptions<T, R> = {}): AsyncWaitNodeSpec {
  if (typeof fn !== 'function') throw new ConfigError(`${what}: the first argument must be a function that returns a Promise`);
  if (typeof options !== 'object' || options === null) throw new ConfigError(`${what}: options must be an object such as { capacity: 100 }`);
  for (const k of Object.keys(options)) {
    if (!OPTION_NAMES.has(k)) throw new ConfigError(`${what}: unknown option '${k}' (known: ${[...OPTION_NAMES].join(', ')})`);
  }
  const capacity = options.capacity ?? DEFAULT_ASYNC_CAPACITY;
  if (!Number.isInteger(capacity) || capacity < 1) throw new ConfigError(`${what}: capacity must be an integer >= 1 (got ${capacity})`);
  let timeoutMs: number | undefined;
  if (options.timeoutMs !== undefined) {
    timeoutMs = toMillis(options.timeoutMs);
    if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) throw new ConfigError(`${what}: timeoutMs must be a finite number > 0 (got ${timeoutMs})`);
  }
  const retry = options.retry;
  if (retry !== undefined && (typeof retry.backoffMs !== 'function' || !(retry.maxAttempts >= 1))) {
    throw new ConfigError(`${what}: retry must be a strategy from AsyncRetryStrategies (fixedDelay or exponentialBackoff)`);
  }
  if (options.onTimeout !== undefined && typeof options.onTimeout !== 'function') throw new ConfigError(`${what}: onTimeout must be a function`);
  if (options.onTimeout !== undefined && timeoutMs === undefined) throw new ConfigError(`${what}: onTimeout needs a timeoutMs`);
  return {
    fn: erased(fn),
    capacity,
    timeoutMs,
    ordered: options.ordered ?? true,
    retry: erased(retry),
    onTimeout: erased(options.onTimeout),
    failureTag: options.failures?.id,
  };
}

/**
 * Flink's `AsyncDataStream`: the async operator with Flink's positional arguments. The same as
 * `stream.mapAsync(fn, { ordered, timeoutMs, capacity, retry })`.
 *
 * @example
 * ```ts
 * const enriched = AsyncDataStream.orderedWait(ids, (id: string) => users.get(id), 1_000, 50);
 * const fastest = AsyncDataStream.unorderedWait(ids, (id: string) => users.get(id), Time.seconds(1));
 * ```
 */
export const AsyncDataStream = {
  /**
   * Results in input order.
   *
   * @example
   * ```ts
   * AsyncDataStream.orderedWait(ids, lookup, 1_000, 100);
   * ```
   */
  orderedWait<T, R>(input: DataStream<T>, fn: AsyncFunction<T, R>, timeout: Duration, capacity = DEFAULT_ASYNC_CAPACITY): DataStream<R> {
    return input.mapAsync(fn, { ordered: true, timeoutMs: timeout, capacity });
  },
  /**
   * Results as they complete, never across a watermark.
   *
   * @example
   * ```ts
   * AsyncDataStream.unorderedWait(ids, lookup, 1_000, 100);
   * ```
   */
  unorderedWait<T, R>(input: DataStream<T>, fn: AsyncFunction<T, R>, timeout: Duration, capacity = DEFAULT_ASYNC_CAPACITY): DataStream<R> {
    return input.mapAsync(fn, { ordered: false, timeoutMs: timeout, capacity });
  },
  /**
   * `orderedWait` with a retry strategy.
   *
   * @example
   * ```ts
   * AsyncDataStream.orderedWaitWithRetry(ids, lookup, 1_000, 100, AsyncRetryStrategies.fixedDelay({ maxAttempts: 3, delayMs: 100 }));
   * ```
   */
  orderedWaitWithRetry<T, R>(input: DataStream<T>, fn: AsyncFunction<T, R>, timeout: Duration, capacity: number, retry: AsyncRetryStrategy<R>): DataStream<R> {
    return input.mapAsync(fn, { ordered: true, timeoutMs: timeout, capacity, retry });
  },
  /**
   * `unorderedWait` with a retry strategy.
   *
   * @example
   * ```ts
   * AsyncDataStream.unorderedWaitWithRetry(ids, lookup, 1_000, 100, AsyncRetryStrategies.fixedDelay({ maxAttempts: 3, delayMs: 100 }));
   * ```
   */
  unorderedWaitWithRetry<T, R>(input: DataStream<T>, fn: AsyncFunction<T, R>, timeout: Duration, capacity: number, retry: AsyncRetryStrategy<R>): DataStream<R> {
    return input.mapAsync(fn, { ordered: false, timeoutMs: timeout, capacity, retry });
  },
};
