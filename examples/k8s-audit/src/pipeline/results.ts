/**
 * Everything the application reports, as one tagged union: the windowed reports, single secret
 * accesses, what the policy did per minute, policy changes and refusals, and the inputs it could
 * not use. The terminal view
 * and `--json` both read this stream.
 */
import type { PolicyReplaySummary } from '@weir/connectors';

/**
 * One result.
 *
 * @example
 * ```ts
 * const r: AuditReport = { kind: 'user-minute', start: 0, end: 60_000, user: 'alice@example.com', requests: 12 };
 * ```
 */
export type AuditReport =
  /** Requests (completed or panicked) per user per minute. */
  | { readonly kind: 'user-minute'; readonly start: number; readonly end: number; readonly user: string; readonly requests: number }
  /** Failed requests (status >= 400, or a panic) per resource over 5 minutes, every minute. */
  | { readonly kind: 'resource-failures'; readonly start: number; readonly end: number; readonly resource: string; readonly failures: number }
  /** A secret read or written by a user that is not a `system:` identity. */
  | {
      readonly kind: 'secret-access';
      readonly time: number;
      readonly user: string;
      readonly verb: string;
      readonly namespace: string;
      readonly name: string;
      readonly code: number | undefined;
      readonly auditID: string;
    }
  /** The five users with the most requests in a minute. */
  | { readonly kind: 'top-talkers'; readonly start: number; readonly end: number; readonly top: readonly { readonly user: string; readonly requests: number }[] }
  /** What the policy kept, dropped and stripped in a minute. */
  | { readonly kind: 'policy'; readonly start: number; readonly end: number; readonly summary: PolicyReplaySummary }
  /** An event seen before (same auditID and stage): a forwarder sent it again. Not stored twice. */
  | { readonly kind: 'duplicate'; readonly auditID: string; readonly stage: string }
  /** An input that is not an audit event, or a refused forwarder connection. */
  | { readonly kind: 'dead-letter'; readonly reason: string; readonly input: string }
  /**
   * The policy file changed and the new policy is in effect for every event after event time
   * `fromEventTime` (the watermark at the change; -Infinity: from the start).
   */
  | { readonly kind: 'policy-change'; readonly version: number; readonly file: string; readonly rules: number; readonly fromEventTime: number; readonly previous: number }
  /** The policy file changed but the new text is not a valid policy: version `keeps` stays in effect. */
  | {
      readonly kind: 'policy-refused';
      readonly version: number;
      readonly file: string;
      readonly line: number;
      readonly reason: string;
      readonly keeps: number;
      /** The watermark when it was refused. */
      readonly atEventTime: number;
    };

/**
 * A JSON line for `--json`.
 *
 * @example
 * ```ts
 * process.stdout.write(`${toJsonLine(report)}\n`);
 * ```
 */
export function toJsonLine(r: AuditReport): string {
  return JSON.stringify(r);
}
