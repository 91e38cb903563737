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
import type { MinuteView, ViewState } from './view-state.js';

/** Headline of a policy summary. @example `policyLine(summary)` */
export function policyLine(s: PolicyReplaySummary): string {
  const pct = s.bytesIn === 0 ? '' : ` (-${s.savedPercent.toFixed(0)}%)`;
  return `policy kept ${s.kept} of ${s.events} events, stripped ${s.stripped} · ${bytes(s.bytesIn)} -> ${bytes(s.bytesOut)}${pct}`;
}

/**
 * @example
 * ```ts
 * process.stdout.write(renderMinute(state, minute).join('\n'));
 * ```
 */
export function renderMinute(state: ViewState, m: MinuteView): string[] {
  const out: string[] = [];
  out.push(`${hhmm(m.start)}-${hhmm(m.start + 60_000)}  ${m.requests} requests${m.policy ? ` · ${policyLine(m.policy)}` : ''}`);
  const talkers = [`${left('top talkers', 34)}${right('requests', 8)}`, ...m.top.map((t) => `${left(t.user, 34)}${right(t.requests, 8)}`)];
  const failing = [...m.failures].sort((a, b) => b.failures - a.failures || a.resource.localeCompare(b.resource)).slice(0, 6);
  const failures = [
    `${left(`failed, ${hhmm(m.start - 240_000)}-${hhmm(m.start + 60_000)}`, 32)}${right('failures', 8)}`,
    ...(failing.length > 0 ? failing.map((f) => `${left(f.resource, 32)}${right(f.failures, 8)}`) : ['(none)']),
  ];
  out.push(...sideBySide(talkers, failures, 45));
  if (m.policy) {
    out.push(`${left('policy rule', 36)}${right('events', 7)}${right('kept', 7)}${right('dropped', 8)}${right('stripped', 9)}${right('bytes in', 10)}${right('out', 9)}`);
    for (const r of m.policy.byRule) {
      if (r.events === 0) continue;
      out.push(`${left(r.label, 36)}${right(r.events, 7)}${right(r.kept, 7)}${right(r.droppedNone + r.droppedStage, 8)}${right(r.stripped, 9)}${right(bytes(r.bytesIn), 10)}${right(bytes(r.bytesOut), 9)}`);
    }
  }
  out.push(`secrets accessed by people: ${state.secretsTotal} so far${state.secrets.length > 0 ? ', latest:' : ''}`);
  for (const s of state.secrets.slice(-4)) out.push(`  ${hhmmss(s.time)}  ${left(s.user, 28)} ${left(s.verb, 6)} ${left(`${s.namespace}/${s.name}`, 28)} ${s.code ?? '-'}`);
  return out;
}

/** The status line under the live view. @example `statusLine(state, 'forwarders: 2 connected')` */
export function statusLine(state: ViewState, extra: string): string {
  const t = state.totals;
  const dead = state.deadLetters > 0 ? ` · ${state.deadLetters} dead letters (latest: ${state.lastDeadLetters.at(-1)})` : '';
  return `total: ${t.events} events, stored ${t.kept}, dropped ${t.dropped}, stripped ${t.stripped}, ${bytes(t.bytesIn)} -> ${bytes(t.bytesOut)} · ${state.duplicates} duplicates${dead}${extra ? ` · ${extra}` : ''}`;
}
