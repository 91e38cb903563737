/**
 * Text rendering of a run: one line per case (events/s of each implementation, ratios, whether
 * the implementations agree, case figures), then the goal table.
 */
import { type CaseResult, fmtRate } from '../harness/measure.js';
import type { GoalRow } from './goals.js';

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function fmtFigure(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en') : String(Number(v.toFixed(4)));
  if (Array.isArray(v)) return `[${v.map(fmtFigure).join(' ')}]`;
  return String(v);
}

/**
 * The per-case table (events per CPU second; ratios of those).
 *
 * @example
 * ```ts
 * console.log(formatCases(results));
 * ```
 */
export function formatCases(results: readonly CaseResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${pad(r.goal, 4)} ${pad(r.id, 26)} ${r.title} (${r.events.toLocaleString('en')} events)${r.agree ? '' : '  ** RESULTS DISAGREE **'}`);
    if (r.impls.length > 0) lines.push(`       ${r.impls.map((i) => `${i.name} ${fmtRate(i.eventsPerSec)}`).join(' | ')}`);
    const ratios = Object.entries(r.ratios);
    if (ratios.length > 0) lines.push(`       ${ratios.map(([k, v]) => `${k} ${v.toFixed(3)}`).join(' | ')}`);
    const extra = Object.entries(r.extra ?? {}).filter(([, v]) => v !== undefined);
    if (extra.length > 0) lines.push(`       ${extra.map(([k, v]) => `${k} ${fmtFigure(v)}`).join(' | ')}`);
    for (const d of r.disagreements.slice(0, 3)) lines.push(`       disagreement: ${d}`);
  }
  return lines.join('\n');
}

/**
 * The goal table.
 *
 * @example
 * ```ts
 * console.log(formatGoals(evaluateGoals(results)));
 * ```
 */
export function formatGoals(rows: readonly GoalRow[]): string {
  const lines = [`${pad('goal', 5)}${pad('metric', 66)}${pad('value', 10)}${pad('goal', 9)}${pad('stretch', 9)}status`];
  for (const g of rows) {
    const v = g.value === undefined ? 'n/a' : fmtFigure(g.value);
    const target = `${g.direction} ${g.target}`;
    const stretch = g.stretch === undefined ? '' : `${g.direction} ${g.stretch}`;
    lines.push(`${pad(g.goal, 5)}${pad(g.metric, 66)}${pad(v, 10)}${pad(target, 9)}${pad(stretch, 9)}${g.status}`);
  }
  return lines.join('\n');
}
