/**
 * User functions run synchronously: a function that returns a Promise (an `async` function, or
 * one that returns `fetch(...)`) would have its Promise emitted as an element and its rejection
 * surface only as a process-level unhandled rejection. The types refuse such functions at compile
 * time (`NotAPromise`); this check refuses them at run time, for JavaScript callers, at the first
 * Promise. The cost on the per-element path is one `typeof` for non-object results.
 */
import { ConfigError } from '../errors.js';

/** True for a Promise or any other object with a `then` method. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * The error for a user function that returned `promise`; the promise's rejection is handled so
 * that it does not also surface as an unhandled rejection.
 */
export function promiseReturnedError(operator: string, fnName: string, promise: PromiseLike<unknown>): ConfigError {
  promise.then(undefined, () => {});
  return new ConfigError(
    `Operator '${operator}': the ${fnName} returned a Promise (is it an async function?). weir calls user functions ` +
      'synchronously, so the Promise would become the element and its rejection would be lost. ' +
      'Use stream.mapAsync(fn, { capacity, timeoutMs }) for asynchronous work (up to capacity calls in flight, ' +
      'results in order, exactly-once), or return the value itself.',
  );
}
