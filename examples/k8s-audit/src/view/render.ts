/**
 * The text of one minute's report block: a headline, top talkers beside the failing resources
 * of the 5 minutes ending then, what the policy did per rule, and the latest secret accesses by
 * people.
 *
 * ```text
 * 10:03-10:04  1183 requests · policy kept 1302 of 2561 events, stripped 388 · 2.9 MB -> 0.6 MB (-79%)
 * top talkers                    requests   failed, 09:59-10:04                 failures
 * system:kube-controller-manager      254   leases.coordination.k8s.io                12
 * ```
 */
import type { PolicyReplaySummary } from '@weir/connectors';
import { bytes, hhmm, hhmmss, left, right, sideBySide } from './format.js';
import type { MinuteView, PolicyEvent, ViewState } from './view-state.js';

/** Headline of a policy summary. @example `policyLine(summary)` */
export function policyLine(s: PolicyReplaySummary, what = 'policy kept'): string {
  const pct = s.bytesIn === 0 ? '' : ` (-${s.savedPercent.toFixed(0)}%)`;
  return `${what} ${s.kept} of ${s.events} events, stripped ${s.stripped} · ${bytes(s.bytesIn)} -> ${bytes(s.bytesOut)}${pct}`;
}

/**
 * `policyEvents` are the policy changes and refusals to show under it.
 *
 * @example
 * ```ts
 * process.stdout.write(renderMinute(state, minute).join('\n'));
 * ```
 */
export function renderMinute(state: ViewState, m: MinuteView, policyEvents: readonly PolicyEvent[] = []): string[] {
  const out: string[] = [];
  out.push(`${hhmm(m.start)}-${hhmm(m.start + 60_000)}  ${m.requests} requests${m.policy ? ` · ${policyLine(m.policy, state.policyVersion > 0 ? 'v0 would keep' : 'policy kept')}` : ''}`);
  const talkers = [`${left('top talkers', 34)}${right('requests', 8)}`, ...m.top.map((t) => `${left(t.user, 34)}${right(t.requests, 8)}`)];
  const failing = [...m.failures].sort((a, b) => b.failures - a.failures || a.resource.localeCompare(b.resource)).slice(0, 6);
  const failures = [
    `${left(`failed, ${hhmm(m.start - 240_000)}-${hhmm(m.start + 60_000)}`, 32)}${right('failures', 8)}`,
    ...(failing.length > 0 ? failing.map((f) => `${left(f.resource, 32)}${right(f.failures, 8)}`) : ['(none)']),
  ];
  out.push(...sideBySide(talkers, failures, 45));
  if (m.policy) {
    // The rule table replays the policy the job started with; once the file changed (v1, v2...)
    // it says what that first policy would keep, beside what the live policy stored.
    out.push(`${left(state.policyVersion > 0 ? 'policy rule (v0, as it would be)' : 'policy rule', 36)}${right('events', 7)}${right('kept', 7)}${right('dropped', 8)}${right('stripped', 9)}${right('bytes in', 10)}${right('out', 9)}`);
    for (const r of m.policy.byRule) {
      if (r.events === 0) continue;
      out.push(`${left(r.label, 36)}${right(r.events, 7)}${right(r.kept, 7)}${right(r.droppedNone + r.droppedStage, 8)}${right(r.stripped, 9)}${right(bytes(r.bytesIn), 10)}${right(bytes(r.bytesOut), 9)}`);
    }
  }
  for (const p of policyEvents) out.push(policyEventLine(p));
  out.push(`secrets accessed by people: ${state.secretsTotal} so far${state.secrets.length > 0 ? ', latest:' : ''}`);
  for (const s of state.secrets.slice(-4)) out.push(`  ${hhmmss(s.time)}  ${left(s.user, 28)} ${left(s.verb, 6)} ${left(`${s.namespace}/${s.name}`, 28)} ${s.code ?? '-'}`);
  return out;
}

/**
 * A policy change or refusal:
 *
 * ```text
 * policy v1 (audit-policy.yaml, 9 rules) in effect for events after 10:03:12 (was v0)
 * policy v2 refused at 10:05:40 (audit-policy.yaml line 14): rules[2].level: ...; v1 stays in effect
 * ```
 *
 * @example
 * ```ts
 * policyEventLine({ kind: 'policy-change', version: 1, file: 'p.yaml', rules: 9, fromEventTime: 0, previous: 0 });
 * ```
 */
export function policyEventLine(p: PolicyEvent): string {
  const file = p.file.split(/[\\/]/).at(-1);
  if (p.kind === 'policy-change') {
    const from = Number.isFinite(p.fromEventTime) ? `events after ${hhmmss(p.fromEventTime)}` : 'every event';
    return `policy v${p.version} (${file}, ${p.rules} rules) in effect for ${from} (was v${p.previous})`;
  }
  const reason = p.reason.split('\n').slice(1).map((l) => l.trim().replace(/^.*?:\d+:\d+: /, '')).join('; ');
  const at = Number.isFinite(p.atEventTime) ? ` at ${hhmmss(p.atEventTime)}` : '';
  return `policy v${p.version} refused${at} (${file} line ${p.line}): ${reason}; v${p.keeps} stays in effect`;
}

/** The status line under the live view. @example `statusLine(state, 'forwarders: 2 connected')` */
export function statusLine(state: ViewState, extra: string): string {
  const t = state.totals;
  const dead = state.deadLetters > 0 ? ` · ${state.deadLetters} dead letters (latest: ${state.lastDeadLetters.at(-1)})` : '';
  const kept = state.policyVersion > 0 ? `v0 would keep ${t.kept}` : `stored ${t.kept}`;
  return `total: ${t.events} events, ${kept}, dropped ${t.dropped}, stripped ${t.stripped}, ${bytes(t.bytesIn)} -> ${bytes(t.bytesOut)} · policy v${state.policyVersion} · ${state.duplicates} duplicates${dead}${extra ? ` · ${extra}` : ''}`;
}
