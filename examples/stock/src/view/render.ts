/**
 * Text rendering of the view model, pure (state in, lines out), shared by the live view and the
 * plain printer. Times are market times (UTC, HH:MM:SS); prices have two decimals; a correlation
 * has three, and NaN (a constant side) is printed as `NaN`.
 *
 * A window table:
 * ```
 * 09:00:20-09:00:30 (10 s, every 5 s)       counts 09:00:00-09:00:30
 * symbol        min        max       mean   warnings   tweets
 * SPX        981.22    1003.10     992.40         11       59
 * ```
 */
import type { CountWindow, StatsWindow, ViewState } from './view-state.js';
import { bySymbolOrder } from './view-state.js';

/**
 * A market time as HH:MM:SS (UTC).
 *
 * @example
 * ```ts
 * clockTime(MARKET_OPEN + 65_000); // '09:01:05'
 * ```
 */
export function clockTime(t: number): string {
  return Number.isFinite(t) ? new Date(t).toISOString().slice(11, 19) : String(t);
}

/**
 * A window as `HH:MM:SS-HH:MM:SS`.
 *
 * @example
 * ```ts
 * windowLabel({ start: MARKET_OPEN, end: MARKET_OPEN + 30_000 }); // '09:00:00-09:00:30'
 * ```
 */
export function windowLabel(w: { start: number; end: number }): string {
  return `${clockTime(w.start)}-${clockTime(w.end)}`;
}

/**
 * A correlation for people: three decimals, or `NaN`.
 *
 * @example
 * ```ts
 * formatCorrelation(0.12345); // '0.123'
 * formatCorrelation(NaN);     // 'NaN'
 * ```
 */
export function formatCorrelation(r: number | undefined): string {
  if (r === undefined) return '-';
  return Number.isNaN(r) ? 'NaN' : r.toFixed(3);
}

const price = (p: number | undefined) => (p === undefined ? '-' : p.toFixed(2)).padStart(10);
const count = (n: number | undefined) => (n === undefined ? '-' : String(n)).padStart(10);

/**
 * The table of a 10 s window with the counts of a 30 s window: one row per symbol seen in either.
 *
 * @example
 * ```ts
 * renderTable(state.lastStats, state.lastCounts).join('\n');
 * ```
 */
export function renderTable(stats: StatsWindow | undefined, counts: CountWindow | undefined): string[] {
  const head = `${stats ? `${windowLabel(stats)} (10 s, every 5 s)` : 'waiting for the first 10 s window'}`.padEnd(44);
  const lines = [`${head}${counts ? `counts ${windowLabel(counts)}` : ''}`];
  lines.push(`${'symbol'.padEnd(6)}${'min'.padStart(10)}${'max'.padStart(10)}${'mean'.padStart(10)}${'warnings'.padStart(10)}${'tweets'.padStart(10)}`);
  const symbols = new Set<string>([...(stats?.rows.keys() ?? []), ...(counts?.warnings.keys() ?? []), ...(counts?.tweets.keys() ?? [])]);
  for (const s of [...symbols].sort(bySymbolOrder)) {
    const row = stats?.rows.get(s);
    const lowest = stats?.lowest?.symbol === s && row?.min === stats.lowest.price ? '  <- lowest' : '';
    lines.push(`${s.padEnd(6)}${price(row?.min)}${price(row?.max)}${price(row?.mean)}${count(counts?.warnings.get(s) ?? (counts ? 0 : undefined))}${count(counts?.tweets.get(s) ?? (counts ? 0 : undefined))}${lowest}`);
  }
  if (stats?.lowest) lines.push(`lowest: ${stats.lowest.symbol} ${stats.lowest.price.toFixed(2)}`);
  return lines;
}

/**
 * One line for a 30 s window: the join pairs (warnings/tweets per symbol) and the correlation.
 *
 * @example
 * ```ts
 * renderCounts(window); // '09:00:00-09:00:30 correlation -0.672 · warnings/tweets SPX 11/59 FTSE 26/53'
 * ```
 */
export function renderCounts(w: CountWindow): string {
  const pairs = [...w.pairs].sort((a, b) => bySymbolOrder(a.symbol, b.symbol)).map((p) => `${p.symbol} ${p.warnings}/${p.tweets}`);
  return `${windowLabel(w)} correlation ${formatCorrelation(w.correlation)} · warnings/tweets ${pairs.length > 0 ? pairs.join(' ') : '(no pairs)'}`;
}

/** What the live view's header and footer say about the run. */
export interface RunStatus {
  readonly title: string;
  /** Market time now. */
  readonly marketNow: number;
  /** Share of the run done, 0..1. */
  readonly progress: number;
  readonly notes: readonly string[];
  /** The latest log message, shown in the status line at the bottom. */
  readonly log?: string;
}

/**
 * The whole live screen.
 *
 * @example
 * ```ts
 * process.stdout.write(renderScreen(state, status).join('\n'));
 * ```
 */
export function renderScreen(state: ViewState, status: RunStatus): string[] {
  const done = Math.round(Math.min(1, Math.max(0, status.progress)) * 20);
  const lines = [
    status.title,
    `market ${clockTime(status.marketNow)}  [${'#'.repeat(done)}${'.'.repeat(20 - done)}]  warnings ${state.warnings}  dead letters ${state.deadLetters}`,
    '',
    ...renderTable(state.lastStats, state.lastCounts),
    '',
    state.lastCounts ? renderCounts(state.lastCounts) : 'correlation: waiting for the first 30 s window',
  ];
  for (const d of state.recentDeadLetters) lines.push(`dead letter: ${d.reason}: ${JSON.stringify(d.input)}`);
  for (const n of status.notes) lines.push(n);
  if (status.log !== undefined) lines.push(`log: ${status.log}`);
  return lines;
}
