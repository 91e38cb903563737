/**
 * What the terminal shows, accumulated from the report stream: per minute the request counts,
 * top talkers and policy outcome; the latest 5-minute failure window; the latest secret
 * accesses by people; counters of duplicates and dead letters. Pure data, no I/O.
 */
import type { PolicyReplaySummary } from '@weir/connectors';
import type { AuditReport } from '../pipeline/results.js';

type Of<K extends AuditReport['kind']> = Extract<AuditReport, { kind: K }>;

/** A policy change or refusal. @example `state.policyEvents.at(-1)?.version` */
export type PolicyEvent = Of<'policy-change'> | Of<'policy-refused'>;

/** One complete minute. @example `state.minute(start)?.requests` */
export interface MinuteView {
  readonly start: number;
  requests: number;
  top: Of<'top-talkers'>['top'];
  policy: PolicyReplaySummary | undefined;
  /** Failure windows (5 min) that end with this minute. */
  failures: { resource: string; failures: number }[];
}

/**
 * @example
 * ```ts
 * const state = new ViewState(); state.add(report); state.minute(start);
 * ```
 */
export class ViewState {
  private readonly minutes = new Map<number, MinuteView>();
  readonly secrets: Of<'secret-access'>[] = [];
  secretsTotal = 0;
  duplicates = 0;
  deadLetters = 0;
  readonly lastDeadLetters: string[] = [];
  /** Policy changes and refusals, in order (bounded: a long run keeps the latest 20). */
  readonly policyEvents: PolicyEvent[] = [];
  /** How many policy events the plain output has printed (the live view shows the latest). */
  policyEventsShown = 0;
  /** The policy version in effect (0: the one the job started with). */
  policyVersion = 0;
  /** Totals since the start of this process. */
  readonly totals = { events: 0, kept: 0, dropped: 0, stripped: 0, bytesIn: 0, bytesOut: 0 };

  add(r: AuditReport): void {
    switch (r.kind) {
      case 'user-minute':
        this.at(r.start).requests += r.requests;
        break;
      case 'top-talkers':
        this.at(r.start).top = r.top;
        break;
      case 'resource-failures':
        this.at(r.end - 60_000).failures.push({ resource: r.resource, failures: r.failures });
        break;
      case 'policy': {
        this.at(r.start).policy = r.summary;
        const t = this.totals;
        t.events += r.summary.events;
        t.kept += r.summary.kept;
        t.dropped += r.summary.dropped;
        t.stripped += r.summary.stripped;
        t.bytesIn += r.summary.bytesIn;
        t.bytesOut += r.summary.bytesOut;
        break;
      }
      case 'secret-access':
        this.secretsTotal++;
        this.secrets.push(r);
        if (this.secrets.length > 8) this.secrets.shift();
        break;
      case 'duplicate':
        this.duplicates++;
        break;
      case 'policy-change':
      case 'policy-refused':
        if (r.kind === 'policy-change') this.policyVersion = r.version;
        this.policyEvents.push(r);
        if (this.policyEvents.length > 20) {
          this.policyEvents.shift();
          this.policyEventsShown = Math.max(0, this.policyEventsShown - 1);
        }
        break;
      case 'dead-letter':
        this.deadLetters++;
        this.lastDeadLetters.push(r.reason);
        if (this.lastDeadLetters.length > 3) this.lastDeadLetters.shift();
        break;
    }
  }

  minute(start: number): MinuteView | undefined {
    return this.minutes.get(start);
  }

  /** Minutes seen, in order. */
  starts(): number[] {
    return [...this.minutes.keys()].sort((a, b) => a - b);
  }

  /** Forgets minutes before `start` (a long run keeps a bounded view). */
  forgetBefore(start: number): void {
    for (const k of this.minutes.keys()) if (k < start) this.minutes.delete(k);
  }

  private at(start: number): MinuteView {
    let m = this.minutes.get(start);
    if (m === undefined) {
      m = { start, requests: 0, top: [], policy: undefined, failures: [] };
      this.minutes.set(start, m);
    }
    return m;
  }
}
