/**
 * `replay`: a candidate policy over a recorded audit log, as a bounded weir job — per window the
 * events kept, dropped and stripped and the bytes saved, then the whole log per rule and level.
 * A recording at level RequestResponse holds every body, so the byte counts are what the
 * candidate would really write; events recorded at a lower level are counted as under-recorded.
 */
import { AuditPolicy, AuditPolicyError, type AuditEvent, auditEventTimestamp, K8sAuditSource, type PolicyReplaySummary, policyReplayAggregate } from '@weir/connectors';
import { DEAD_LETTERS, StreamEnvironment, WatermarkStrategy } from '@weir/core';
import { Time, TumblingEventTimeWindows } from '@weir/windows';
import type { ReplayOptions } from './cli.js';
import type { RunIo } from './run.js';
import { bytes, hhmm, left, right } from './view/format.js';
import { policyLine } from './view/render.js';

/** One window of a replay. @example `const w: ReplayWindow = { start, end, summary };` */
export interface ReplayWindow {
  readonly start: number;
  readonly end: number;
  readonly summary: PolicyReplaySummary;
}

/**
 * Replays `policy` over the log at `path`: the summaries per window and of the whole log.
 *
 * @example
 * ```ts
 * const { windows, total } = await replayLog(AuditPolicy.fromFile('p.yaml'), 'audit.log', 300_000);
 * ```
 */
export async function replayLog(policy: AuditPolicy, path: string, windowMs: number): Promise<{ windows: ReplayWindow[]; total: PolicyReplaySummary; deadLetters: number }> {
  const env = StreamEnvironment.create({ logger: { info: () => {}, warn: () => {} } });
  const events = env.fromSource(new K8sAuditSource(path));
  const dead = events.getSideOutput(DEAD_LETTERS).collect();
  const timed = events.assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<AuditEvent>(60_000).withTimestampAssigner(auditEventTimestamp));
  const windows = timed
    .window(TumblingEventTimeWindows.of(Time.milliseconds(windowMs)))
    .aggregate(policyReplayAggregate(policy), (_, ctx, s, out) => out.collect({ start: ctx.window.start, end: ctx.window.end, summary: s[0]! } as ReplayWindow))
    .collect();
  await env.execute('policy replay');
  const ws = [...(windows.items() as ReplayWindow[])].sort((a, b) => a.start - b.start);
  return { windows: ws, total: sumSummaries(policy, ws.map((w) => w.summary)), deadLetters: dead.items().length };
}

/**
 * Adds summaries of the same policy (every count is additive).
 *
 * @example
 * ```ts
 * const total = sumSummaries(policy, windows.map((w) => w.summary));
 * ```
 */
export function sumSummaries(policy: AuditPolicy, parts: readonly PolicyReplaySummary[]): PolicyReplaySummary {
  const keys = ['events', 'kept', 'droppedNone', 'droppedStage', 'stripped', 'bytesIn', 'bytesOut'] as const;
  const add = <T extends Record<(typeof keys)[number], number>>(a: T, b: T): T => {
    const out = { ...a };
    for (const k of keys) (out as Record<string, number>)[k] = a[k] + b[k];
    return out;
  };
  const zero = { events: 0, kept: 0, droppedNone: 0, droppedStage: 0, stripped: 0, bytesIn: 0, bytesOut: 0 };
  const byRule = [...policy.rules.map((r) => r.index), undefined].map((rule, i) => ({
    ...parts.reduce((acc, p) => add(acc, p.byRule[i]!), zero),
    rule,
    label: policy.describeRule(rule),
    level: rule === undefined ? ('None' as const) : policy.rules[rule]!.level,
  }));
  const all = parts.reduce((acc, p) => add(acc, p), zero);
  const level = (l: 'None' | 'Metadata' | 'Request' | 'RequestResponse') => parts.reduce((acc, p) => add(acc, p.byLevel[l]), zero);
  return {
    ...all,
    dropped: all.droppedNone + all.droppedStage,
    bytesSaved: all.bytesIn - all.bytesOut,
    savedPercent: all.bytesIn === 0 ? 0 : ((all.bytesIn - all.bytesOut) / all.bytesIn) * 100,
    byRule,
    byLevel: { None: level('None'), Metadata: level('Metadata'), Request: level('Request'), RequestResponse: level('RequestResponse') },
    underRecorded: parts.reduce((n, p) => n + p.underRecorded, 0),
  };
}

/** The replay as text. @example `io.stdout.write(renderReplay(result).join('\n'))` */
export function renderReplay(r: { windows: readonly ReplayWindow[]; total: PolicyReplaySummary; deadLetters: number }): string[] {
  const out = r.windows.map((w) => `${hhmm(w.start)}-${hhmm(w.end)}  ${policyLine(w.summary)}`);
  const t = r.total;
  out.push('', `whole log: ${policyLine(t)}; dropped ${t.dropped} (level None ${t.droppedNone}, omitted stage ${t.droppedStage})${t.underRecorded > 0 ? `; ${t.underRecorded} events recorded below the level asked` : ''}${r.deadLetters > 0 ? `; ${r.deadLetters} lines not audit events` : ''}`, '');
  out.push(`${left('rule', 36)}${right('events', 8)}${right('kept', 7)}${right('None', 6)}${right('stage', 7)}${right('stripped', 9)}${right('bytes in', 10)}${right('out', 9)}`);
  for (const x of t.byRule) out.push(`${left(x.label, 36)}${right(x.events, 8)}${right(x.kept, 7)}${right(x.droppedNone, 6)}${right(x.droppedStage, 7)}${right(x.stripped, 9)}${right(bytes(x.bytesIn), 10)}${right(bytes(x.bytesOut), 9)}`);
  out.push('', `${left('level', 36)}${right('events', 8)}${right('kept', 7)}`);
  for (const [level, c] of Object.entries(t.byLevel)) out.push(`${left(level, 36)}${right(c.events, 8)}${right(c.kept, 7)}`);
  return out;
}

/**
 * @example
 * ```ts
 * process.exitCode = await runReplay({ policy: 'p.yaml', log: 'audit.log', windowMin: 5, output: undefined }, io);
 * ```
 */
export async function runReplay(o: ReplayOptions, io: RunIo): Promise<number> {
  let policy: AuditPolicy;
  try {
    policy = AuditPolicy.fromFile(o.policy);
  } catch (e) {
    io.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    return e instanceof AuditPolicyError ? 2 : 1;
  }
  try {
    const r = await replayLog(policy, o.log, o.windowMin * 60_000);
    if (o.output === 'json') {
      for (const w of r.windows) io.stdout.write(`${JSON.stringify({ kind: 'window', ...w })}\n`);
      io.stdout.write(`${JSON.stringify({ kind: 'total', summary: r.total, deadLetters: r.deadLetters })}\n`);
    } else io.stdout.write(`replay of ${o.policy} over ${o.log}\n\n${renderReplay(r).join('\n')}\n`);
    return 0;
  } catch (e) {
    io.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
