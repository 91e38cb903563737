/**
 * What the views show, accumulated from the result stream: per 10 s window the min, max and
 * mean of each symbol and the lowest price overall; per 30 s window the warning and tweet counts,
 * the join pairs and the correlation; totals of warnings and dead letters.
 *
 * A window is *complete* when the watermark at the sink passes its end (in event time every
 * window operator has fired by then), or `lagMs` after it (processing time: timers fire on the
 * clock, a little after the ingestion watermark passed), or at the end of the job. Completed
 * windows are returned to the caller, which prints them (plain) or redraws (live). A result for
 * an already completed window (in processing time the correlation of a 30 s window comes one
 * window later) updates it and is reported as late.
 */
import { SYMBOLS } from '../domain.js';
import type { CountPair } from '../functions.js';
import type { StockResult, WindowBounds } from '../results.js';

/**
 * One symbol's row of a 10 s window.
 *
 * @example
 * ```ts
 * const row: StatsRow = { min: 981.2, max: 1003.1, mean: 992.4 };
 * ```
 */
export interface StatsRow {
  min?: number;
  max?: number;
  mean?: number;
}

/**
 * A 10 s window's statistics.
 *
 * @example
 * ```ts
 * state.lastStats?.rows.get('SPX')?.max;
 * ```
 */
export interface StatsWindow extends WindowBounds {
  readonly rows: Map<string, StatsRow>;
  lowest?: { readonly symbol: string; readonly price: number };
  completed: boolean;
}

/**
 * A 30 s window's counts, join pairs and correlation.
 *
 * @example
 * ```ts
 * state.lastCounts?.warnings.get('DJI');
 * ```
 */
export interface CountWindow extends WindowBounds {
  readonly warnings: Map<string, number>;
  readonly tweets: Map<string, number>;
  readonly pairs: CountPair[];
  correlation?: number;
  completed: boolean;
}

/**
 * What the views are told about.
 *
 * @example
 * ```ts
 * for (const e of state.watermark(wm)) if (e.type === 'stats') print(e.window);
 * ```
 */
export type ViewEvent =
  | { readonly type: 'stats'; readonly window: StatsWindow }
  | { readonly type: 'counts'; readonly window: CountWindow }
  | { readonly type: 'late-correlation'; readonly window: CountWindow };

/**
 * A dead letter as shown.
 *
 * @example
 * ```ts
 * state.recentDeadLetters.map((d: ShownDeadLetter) => d.reason);
 * ```
 */
export interface ShownDeadLetter {
  readonly reason: string;
  readonly input: string;
}

/** Windows kept for late results. */
const KEEP = 8;

/**
 * Orders symbols as the 2015 example lists them, then any others (from the socket) by name.
 *
 * @example
 * ```ts
 * ['GOOG', 'ACME', 'SPX'].sort(bySymbolOrder); // ['SPX', 'GOOG', 'ACME']
 * ```
 */
export function bySymbolOrder(a: string, b: string): number {
  const ia = SYMBOLS.indexOf(a);
  const ib = SYMBOLS.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? SYMBOLS.length : ia) - (ib < 0 ? SYMBOLS.length : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The views' model.
 *
 * @example
 * ```ts
 * const state = new ViewState();
 * for (const r of results) state.accept(r);
 * const events = state.watermark(wm); // windows to print
 * ```
 */
export class ViewState {
  private readonly stats = new Map<number, StatsWindow>();
  private readonly counts = new Map<number, CountWindow>();
  /** The latest completed windows. */
  lastStats: StatsWindow | undefined = undefined;
  lastCounts: CountWindow | undefined = undefined;
  warnings = 0;
  deadLetters = 0;
  readonly recentDeadLetters: ShownDeadLetter[] = [];

  constructor(private readonly lagMs = 0) {}

  accept(r: StockResult): ViewEvent[] {
    switch (r.kind) {
      case 'warning':
        this.warnings++;
        return [];
      case 'dead-letter':
        this.deadLetters++;
        this.recentDeadLetters.push({ reason: r.reason, input: r.input });
        if (this.recentDeadLetters.length > 3) this.recentDeadLetters.shift();
        return [];
      case 'lowest':
      case 'max':
      case 'min':
      case 'mean': {
        const w = this.statsWindow(r);
        if (r.kind === 'lowest') w.lowest = { symbol: r.symbol, price: r.price };
        else {
          let row = w.rows.get(r.symbol);
          if (!row) w.rows.set(r.symbol, (row = {}));
          row[r.kind] = r.price;
        }
        return [];
      }
      default: {
        const events: ViewEvent[] = [];
        const w = this.countWindow(r);
        if (r.kind === 'warnings') w.warnings.set(r.symbol, r.count);
        else if (r.kind === 'tweets') w.tweets.set(r.symbol, r.count);
        else if (r.kind === 'pair') w.pairs.push({ symbol: r.symbol, warnings: r.warnings, tweets: r.tweets });
        else {
          w.correlation = r.correlation;
          if (w.completed) events.push({ type: 'late-correlation', window: w });
        }
        return events;
      }
    }
  }

  /** Completes every window that ends at or before `watermark + 1`. */
  watermark(watermark: number): ViewEvent[] {
    return this.completeUpTo(watermark + 1 - this.lagMs);
  }

  /** Completes every open window (end of the job). */
  finish(): ViewEvent[] {
    return this.completeUpTo(Number.POSITIVE_INFINITY);
  }

  private completeUpTo(limit: number): ViewEvent[] {
    // Counts first at equal ends: the table of a 10 s window shows the 30 s window ending with it.
    return [...this.completeCounts(limit), ...this.completeStats(limit)].sort((a, b) => a.window.end - b.window.end);
  }

  private completeStats(limit: number): ViewEvent[] {
    const events: ViewEvent[] = [];
    for (const w of [...this.stats.values()].sort((a, b) => a.end - b.end)) {
      if (w.completed || w.end > limit) continue;
      w.completed = true;
      this.lastStats = w;
      events.push({ type: 'stats', window: w });
    }
    return events;
  }

  private completeCounts(limit: number): ViewEvent[] {
    const events: ViewEvent[] = [];
    for (const w of [...this.counts.values()].sort((a, b) => a.end - b.end)) {
      if (w.completed || w.end > limit) continue;
      w.completed = true;
      this.lastCounts = w;
      events.push({ type: 'counts', window: w });
    }
    return events;
  }

  private statsWindow(b: WindowBounds): StatsWindow {
    let w = this.stats.get(b.end);
    if (!w) {
      this.stats.set(b.end, (w = { start: b.start, end: b.end, rows: new Map(), completed: false }));
      prune(this.stats);
    }
    return w;
  }

  private countWindow(b: WindowBounds): CountWindow {
    let w = this.counts.get(b.end);
    if (!w) {
      this.counts.set(b.end, (w = { start: b.start, end: b.end, warnings: new Map(), tweets: new Map(), pairs: [], completed: false }));
      prune(this.counts);
    }
    return w;
  }
}

function prune<W extends { completed: boolean }>(windows: Map<number, W>): void {
  if (windows.size <= KEEP) return;
  const oldest = [...windows.keys()].sort((a, b) => a - b);
  for (const end of oldest.slice(0, windows.size - KEEP)) if (windows.get(end)!.completed) windows.delete(end);
}
