/**
 * Asynchronous user functions (Flink's Async I/O): the function `mapAsync` calls, the retry
 * strategies (Flink's `AsyncRetryStrategies`), what a failure side output receives, and the
 * operator's spec in the plan.
 *
 * The primary form is a function that returns a Promise of the one result for the element:
 * `stream.mapAsync(async (id) => (await fetch(`${api}/users/${id}`)).json(), { capacity: 100 })`.
 * Flink's `ResultFuture` callback form is not offered: a Promise already is a result future, and
 * a rejected Promise is `completeExceptionally`.
 */
import { ConfigError } from '../errors.js';
import type { DeadLetter } from './output-tag.js';

/**
 * The function of `mapAsync`: called once per element (again on a retry, and again after a
 * restore for the elements whose results were not emitted yet), returns a Promise of its result.
 *
 * @example
 * ```ts
 * const lookup: AsyncFunction<string, { id: string; name: string }> = async (id) => ({ id, name: await names.get(id) });
 * ```
 */
export type AsyncFunction<IN, OUT> = (input: IN) => PromiseLike<OUT>;

/**
 * When and how often a call is repeated (Flink's `AsyncRetryStrategy`). Make one with
 * {@link AsyncRetryStrategies}. The operator's timeout covers the first call and every retry.
 *
 * @example
 * ```ts
 * const retry: AsyncRetryStrategy<User | undefined> = AsyncRetryStrategies.fixedDelay({ maxAttempts: 3, delayMs: 100, ifResult: (u) => u === undefined });
 * ```
 */
export interface AsyncRetryStrategy<OUT> {
  /**
   * Retries after the first call, at most (Flink's `maxAttempts`: a call is repeated while
   * `attempt <= maxAttempts`, counting the first call as attempt 1; so 3 means up to 4 calls).
   */
  readonly maxAttempts: number;
  /** Delay before retry number `retry` (1 for the first retry), ms. */
  backoffMs(retry: number): number;
  /** Retry when a result matches (e.g. empty). Absent: results are never retried. */
  readonly ifResult: ((result: OUT) => boolean) | undefined;
  /** Retry when the promise rejects with a matching error. Absent: errors are never retried. */
  readonly ifError: ((error: unknown) => boolean) | undefined;
}

/**
 * Options shared by the retry strategies.
 *
 * @example
 * ```ts
 * const when: RetryPredicates<number[]> = { ifResult: (rows) => rows.length === 0, ifError: (e) => (e as Error).name !== 'NotFound' };
 * ```
 */
export interface RetryPredicates<OUT> {
  /** Retry when a result matches. */
  readonly ifResult?: (result: OUT) => boolean;
  /** Retry when the promise rejects with a matching error. */
  readonly ifError?: (error: unknown) => boolean;
}

const everyError = (): boolean => true;

function checkCommon(what: string, maxAttempts: number, predicates: RetryPredicates<never>): void {
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new ConfigError(`${what}: maxAttempts must be an integer >= 1 (got ${maxAttempts})`);
  for (const k of ['ifResult', 'ifError'] as const) {
    if (predicates[k] !== undefined && typeof predicates[k] !== 'function') throw new ConfigError(`${what}: ${k} must be a function`);
  }
}

/** Without a predicate a strategy retries every rejection (Flink would not retry at all). */
function predicatesOf<OUT>(p: RetryPredicates<OUT>): Pick<AsyncRetryStrategy<OUT>, 'ifResult' | 'ifError'> {
  if (p.ifResult === undefined && p.ifError === undefined) return { ifResult: undefined, ifError: everyError };
  return { ifResult: p.ifResult, ifError: p.ifError };
}

/**
 * Retry strategies for `mapAsync` (Flink's `AsyncRetryStrategies`). Without `ifResult` and
 * `ifError` a strategy retries every rejected call (in Flink such a strategy never retries).
 *
 * @example
 * ```ts
 * stream.mapAsync(lookup, {
 *   capacity: 100,
 *   timeoutMs: 2_000,
 *   retry: AsyncRetryStrategies.exponentialBackoff({ maxAttempts: 5, initialDelayMs: 10, maxDelayMs: 1_000 }),
 * });
 * ```
 */
export const AsyncRetryStrategies = {
  /**
   * The same delay before every retry (Flink's `FixedDelayRetryStrategy`).
   *
   * @example
   * ```ts
   * AsyncRetryStrategies.fixedDelay({ maxAttempts: 3, delayMs: 100, ifError: (e) => (e as { status?: number }).status === 503 });
   * ```
   */
  fixedDelay<OUT = unknown>(options: { readonly maxAttempts: number; readonly delayMs: number } & RetryPredicates<OUT>): AsyncRetryStrategy<OUT> {
    const { maxAttempts, delayMs } = options;
    checkCommon('AsyncRetryStrategies.fixedDelay', maxAttempts, options as RetryPredicates<never>);
    if (!(delayMs > 0) || !Number.isFinite(delayMs)) throw new ConfigError(`AsyncRetryStrategies.fixedDelay: delayMs must be a finite number > 0 (got ${delayMs})`);
    return { maxAttempts, backoffMs: () => delayMs, ...predicatesOf(options) };
  },

  /**
   * Delays that grow by `multiplier` (default 2) from `initialDelayMs` up to `maxDelayMs`: retry
   * k waits `min(initialDelayMs × multiplier^(k−1), maxDelayMs)`. (Flink's
   * `ExponentialBackoffDelayRetryStrategy` starts at `initialDelay × multiplier` and shares its
   * last delay between elements; here each element has its own sequence.)
   *
   * @example
   * ```ts
   * AsyncRetryStrategies.exponentialBackoff({ maxAttempts: 4, initialDelayMs: 50, maxDelayMs: 1_000, multiplier: 3 });
   * // delays 50, 150, 450, 1000 ms
   * ```
   */
  exponentialBackoff<OUT = unknown>(
    options: { readonly maxAttempts: number; readonly initialDelayMs: number; readonly maxDelayMs: number; readonly multiplier?: number } & RetryPredicates<OUT>,
  ): AsyncRetryStrategy<OUT> {
    const { maxAttempts, initialDelayMs, maxDelayMs, multiplier = 2 } = options;
    const what = 'AsyncRetryStrategies.exponentialBackoff';
    checkCommon(what, maxAttempts, options as RetryPredicates<never>);
    if (!(initialDelayMs > 0) || !Number.isFinite(initialDelayMs)) throw new ConfigError(`${what}: initialDelayMs must be a finite number > 0 (got ${initialDelayMs})`);
    if (!(maxDelayMs >= initialDelayMs) || !Number.isFinite(maxDelayMs)) throw new ConfigError(`${what}: maxDelayMs must be finite and >= initialDelayMs (got ${maxDelayMs})`);
    if (!(multiplier >= 1) || !Number.isFinite(multiplier)) throw new ConfigError(`${what}: multiplier must be a finite number >= 1 (got ${multiplier})`);
    return { maxAttempts, backoffMs: (retry) => Math.min(initialDelayMs * multiplier ** (retry - 1), maxDelayMs), ...predicatesOf(options) };
  },
};

/**
 * What a failure side output of `mapAsync` receives for an element whose call failed for good
 * (rejected and not retried, or timed out without `onTimeout`): a {@link DeadLetter} with the
 * error and the number of calls.
 *
 * @example
 * ```ts
 * const failed = new OutputTag<AsyncFailure<string>>('lookup-failed');
 * const users = ids.mapAsync(lookup, { capacity: 50, timeoutMs: 1_000, failures: failed });
 * users.getSideOutput(failed).map((f) => `${f.input}: ${f.reason}`).print('failed');
 * ```
 */
export interface AsyncFailure<IN> extends DeadLetter<IN> {
  /** The rejection, or an `AsyncTimeoutError`. */
  readonly error: unknown;
  /** Calls made for the element (the first call and the retries). */
  readonly attempts: number;
  readonly timedOut: boolean;
}

/**
 * The plan's spec of an async wait node (`mapAsync`, `AsyncDataStream.orderedWait/unorderedWait`).
 *
 * @example
 * ```ts
 * const node = env.explain().nodes.find((n) => n.kind === 'asyncWait');
 * if (node?.kind === 'asyncWait') console.log(node.spec.capacity, node.spec.ordered);
 * ```
 */
export interface AsyncWaitNodeSpec {
  readonly fn: AsyncFunction<unknown, unknown>;
  /** Elements (and watermarks) held at most; a full operator applies backpressure. */
  readonly capacity: number;
  /** Time for an element's calls, all retries included, ms; undefined: no timeout. */
  readonly timeoutMs: number | undefined;
  /** True: results in input order; false: as they complete, never across a watermark. */
  readonly ordered: boolean;
  readonly retry: AsyncRetryStrategy<unknown> | undefined;
  /** The result to emit for an element that timed out; undefined: the timeout is a failure. */
  readonly onTimeout: ((input: unknown) => unknown) | undefined;
  /** Side output for failures; undefined: a failure fails the job. */
  readonly failureTag: string | undefined;
}
