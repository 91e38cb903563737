/**
 * Policy replay: what a candidate Policy would have done to a recorded audit log. Record the
 * log at level RequestResponse (every body present), run the candidate over it, and count per
 * rule and per level the events it keeps, drops (level None, or an omitted stage) and strips
 * (bodies or managed fields removed), and the bytes the log would take — before deploying it.
 *
 * The tally is plain data (arrays of numbers), so it is an `AggregateFunction` accumulator that
 * checkpoints and merges: use {@link policyReplayAggregate} in a window for counts per window,
 * or {@link PolicyReplay} over a whole log.
 *
 * Worked example, the example policy on three events of one `get pods/x/log` request (each 2 kB
 * as recorded): RequestReceived is dropped (omitted stage, rule 2); ResponseStarted and
 * ResponseComplete are kept at Metadata, the latter stripped of its 1.5 kB response body: kept
 * 2, dropped 1, stripped 1, bytes 6 kB -> 2.5 kB.
 */
import type { AggregateFunction } from '@weir/core';
import type { AuditEvent, AuditLevel } from '../k8s-audit/audit-event.js';
import type { AuditPolicy } from './audit-policy.js';
import { LEVEL_ORDER } from './policy-types.js';

/**
 * Counts of one rule (or of all events at one level).
 *
 * @example
 * ```ts
 * const c: ReplayCounts = { events: 10, kept: 6, droppedNone: 0, droppedStage: 4, stripped: 3, bytesIn: 20_000, bytesOut: 6_000 };
 * ```
 */
export interface ReplayCounts {
  readonly events: number;
  readonly kept: number;
  /** Dropped because the level is None. */
  readonly droppedNone: number;
  /** Dropped because the event's stage is in the rule's (or the policy's) omitStages. */
  readonly droppedStage: number;
  /** Kept with less than was recorded: a body or managed fields removed. */
  readonly stripped: number;
  /** Bytes as recorded (JSON line with newline) and as the policy would log them. */
  readonly bytesIn: number;
  readonly bytesOut: number;
}

/**
 * Counts of one rule, labelled for reports.
 *
 * @example
 * ```ts
 * for (const r of summary.byRule) console.log(r.label, r.kept, r.events);
 * ```
 */
export interface RuleReplayCounts extends ReplayCounts {
  /** Rule index; undefined: the events no rule matched. */
  readonly rule: number | undefined;
  /** `rule 3 (line 21, None)` or `no rule (None)`. */
  readonly label: string;
  readonly level: AuditLevel;
}

/**
 * What a policy does to a log.
 *
 * @example
 * ```ts
 * console.log(`${summary.kept}/${summary.events} kept, ${summary.savedPercent.toFixed(1)}% of the bytes saved`);
 * ```
 */
export interface PolicyReplaySummary extends ReplayCounts {
  readonly dropped: number;
  readonly bytesSaved: number;
  /** bytesSaved / bytesIn x 100 (0 for an empty log). */
  readonly savedPercent: number;
  /** Every rule in policy order, then `no rule`; rules that matched nothing have zeros. */
  readonly byRule: readonly RuleReplayCounts[];
  readonly byLevel: Readonly<Record<AuditLevel, ReplayCounts>>;
  /** Kept events recorded at a lower level than the rule asks: the replay cannot show those bodies. */
  readonly underRecorded: number;
}

/**
 * The accumulator: per rule (last slot: no rule) the seven counts of {@link ReplayCounts} in order.
 *
 * @example
 * ```ts
 * const tally: ReplayTally = { rules: [[0, 0, 0, 0, 0, 0, 0]], underRecorded: 0 };
 * ```
 */
export interface ReplayTally {
  readonly rules: number[][];
  underRecorded: number;
}

const EVENTS = 0;
const KEPT = 1;
const NONE = 2;
const STAGE = 3;
const STRIPPED = 4;
const BYTES_IN = 5;
const BYTES_OUT = 6;

const lineBytes = (e: unknown) => Buffer.byteLength(JSON.stringify(e), 'utf8') + 1;
const bodyBytes = (e: AuditEvent) => (e.requestObject === undefined ? 0 : JSON.stringify(e.requestObject).length) + (e.responseObject === undefined ? 0 : JSON.stringify(e.responseObject).length);

/**
 * Creates an empty tally for a policy.
 *
 * @example
 * ```ts
 * const tally = emptyReplayTally(policy);
 * ```
 */
export function emptyReplayTally(policy: AuditPolicy): ReplayTally {
  return { rules: Array.from({ length: policy.rules.length + 1 }, () => [0, 0, 0, 0, 0, 0, 0]), underRecorded: 0 };
}

/**
 * Applies the policy to one recorded event, counts the outcome into `tally`, and returns what
 * would be logged (null: dropped). `bytes` is the recorded line's size when known (default: the
 * event as a JSON line).
 *
 * @example
 * ```ts
 * const logged = replayInto(tally, policy, event);
 * ```
 */
export function replayInto(tally: ReplayTally, policy: AuditPolicy, event: AuditEvent, bytes?: number): AuditEvent | null {
  const d = policy.levelAndStages(event);
  const slot = tally.rules[d.rule ?? policy.rules.length]!;
  slot[EVENTS]!++;
  slot[BYTES_IN]! += bytes ?? lineBytes(event);
  const out = policy.apply(event);
  if (out === null) {
    slot[d.level === 'None' ? NONE : STAGE]!++;
    return null;
  }
  slot[KEPT]!++;
  slot[BYTES_OUT]! += lineBytes(out);
  if (bodyBytes(out) < bodyBytes(event)) slot[STRIPPED]!++;
  if (LEVEL_ORDER.indexOf(event.level) < LEVEL_ORDER.indexOf(d.level)) tally.underRecorded++;
  return out;
}

/**
 * Adds `b` into `a` (same policy) and returns `a`.
 *
 * @example
 * ```ts
 * const total = windows.reduce((acc, w) => mergeReplayTallies(acc, w), emptyReplayTally(policy));
 * ```
 */
export function mergeReplayTallies(a: ReplayTally, b: ReplayTally): ReplayTally {
  a.rules.forEach((slot, i) => slot.forEach((_, k) => (slot[k]! += b.rules[i]?.[k] ?? 0)));
  a.underRecorded += b.underRecorded;
  return a;
}

/**
 * The tally as a summary with labels, per-level totals and bytes saved.
 *
 * @example
 * ```ts
 * const summary = summarizeReplay(policy, tally);
 * ```
 */
export function summarizeReplay(policy: AuditPolicy, tally: ReplayTally): PolicyReplaySummary {
  const counts = (s: readonly number[]): ReplayCounts => ({
    events: s[EVENTS]!, kept: s[KEPT]!, droppedNone: s[NONE]!, droppedStage: s[STAGE]!, stripped: s[STRIPPED]!, bytesIn: s[BYTES_IN]!, bytesOut: s[BYTES_OUT]!,
  });
  const byRule: RuleReplayCounts[] = tally.rules.map((s, i) => {
    const rule = i < policy.rules.length ? i : undefined;
    return { ...counts(s), rule, label: policy.describeRule(rule), level: rule === undefined ? 'None' : policy.rules[rule]!.level };
  });
  const zero = () => [0, 0, 0, 0, 0, 0, 0];
  const levels: Record<AuditLevel, number[]> = { None: zero(), Metadata: zero(), Request: zero(), RequestResponse: zero() };
  const total = zero();
  tally.rules.forEach((s, i) => {
    const level = i < policy.rules.length ? policy.rules[i]!.level : 'None';
    s.forEach((v, k) => {
      levels[level][k]! += v;
      total[k]! += v;
    });
  });
  const all = counts(total);
  const bytesSaved = all.bytesIn - all.bytesOut;
  return {
    ...all,
    dropped: all.droppedNone + all.droppedStage,
    bytesSaved,
    savedPercent: all.bytesIn === 0 ? 0 : (bytesSaved / all.bytesIn) * 100,
    byRule,
    byLevel: { None: counts(levels.None), Metadata: counts(levels.Metadata), Request: counts(levels.Request), RequestResponse: counts(levels.RequestResponse) },
    underRecorded: tally.underRecorded,
  };
}

/**
 * The replay as an `AggregateFunction`, for counts per window.
 *
 * @example
 * ```ts
 * recorded.windowAll(TumblingEventTimeWindows.of(Time.minutes(1))).aggregate(policyReplayAggregate(policy));
 * ```
 */
export function policyReplayAggregate(policy: AuditPolicy): AggregateFunction<AuditEvent, ReplayTally, PolicyReplaySummary> {
  return {
    createAccumulator: () => emptyReplayTally(policy),
    add: (event, tally) => {
      replayInto(tally, policy, event);
      return tally;
    },
    getResult: (tally) => summarizeReplay(policy, tally),
    merge: mergeReplayTallies,
  };
}

/**
 * Replay over a whole log (or any events), outside a stream job.
 *
 * @example
 * ```ts
 * const replay = new PolicyReplay(AuditPolicy.fromFile('candidate.yaml'));
 * for (const line of lines) { const r = parseAuditLine(line); if (r.ok) replay.add(r.event, Buffer.byteLength(line) + 1); }
 * console.log(replay.summary().savedPercent);
 * ```
 */
export class PolicyReplay {
  private readonly tally: ReplayTally;
  constructor(readonly policy: AuditPolicy) {
    this.tally = emptyReplayTally(policy);
  }
  /** Counts one event; returns what the policy would log (null: dropped). */
  add(event: AuditEvent, bytes?: number): AuditEvent | null {
    return replayInto(this.tally, this.policy, event, bytes);
  }
  summary(): PolicyReplaySummary {
    return summarizeReplay(this.policy, this.tally);
  }
}
