/** The options of one `env.execute()` call. */

/**
 * Options of one `execute()` call.
 *
 * @example
 * ```ts
 * const abort = new AbortController();
 * setTimeout(() => abort.abort(), 60_000);
 * await env.execute({ jobName: 'tail', signal: abort.signal, onWebServer: (url) => console.log(url) });
 * ```
 */
export interface ExecuteOptions {
  readonly jobName?: string;
  /** Cancels the job: `execute()` rejects with an `AbortError` (a `JobCancelledError`). */
  readonly signal?: AbortSignal;
  /** Called with the dashboard's address once it listens (environments with a `web` option). */
  readonly onWebServer?: (url: string) => void;
}
