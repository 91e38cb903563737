/**
 * The terminal output, in one of three modes:
 *
 * - `live` (a TTY): one screen — header, the latest window table, the latest 30 s pairs and
 *   correlation, recent dead letters, the last few notes and a status line with the latest log
 *   message — redrawn in place (cursor up, each line drawn over the old one) at most every {@link REDRAW_MS}. Nothing
 *   else may write to the terminal while it runs: a line written across the frame would be
 *   overwritten or pushed up by the next redraw, so log messages come here ({@link ResultPrinter.log});
 *   and the frame never grows past the terminal's height (the cursor cannot go back above the
 *   top of the screen);
 * - `plain` (piped): each completed window printed once, as lines, in window order;
 * - `json`: one JSON object per result, as it comes.
 */
import { type StockResult, toJsonLine } from '../results.js';
import { renderCounts, renderScreen, renderTable, type RunStatus, windowLabel, formatCorrelation } from './render.js';
import { type ViewEvent, ViewState } from './view-state.js';

/**
 * How results are shown.
 *
 * @example
 * ```ts
 * const mode: OutputMode = process.stdout.isTTY ? 'live' : 'plain';
 * ```
 */
export type OutputMode = 'live' | 'plain' | 'json';

/**
 * Where the printer writes (a `process.stdout`-like stream).
 *
 * @example
 * ```ts
 * const out: TextOut = process.stdout;
 * ```
 */
export interface TextOut {
  write(text: string): unknown;
  readonly columns?: number;
  readonly rows?: number;
}

/**
 * Minimum wall time between two redraws of the live view, ms.
 *
 * @example
 * ```ts
 * const framesPerSecond = 1000 / REDRAW_MS; // 10
 * ```
 */
export const REDRAW_MS = 100;

const CSI = '\u001b[';
/** Notes kept on the live screen (the newest): the frame's height stays bounded. */
const MAX_NOTES = 3;

/**
 * @example
 * ```ts
 * const printer = new ResultPrinter(process.stdout, process.stdout.isTTY ? 'live' : 'plain', () => status);
 * results.sinkTo(new ViewSink(printer));
 * await env.execute();
 * printer.finish();
 * ```
 */
export class ResultPrinter {
  readonly state: ViewState;
  private drawn = 0;
  private dirty = false;
  private timer: NodeJS.Timeout | undefined = undefined;
  private finished = false;
  private readonly notes: string[] = [];
  private lastLog: string | undefined = undefined;

  constructor(
    private readonly out: TextOut,
    readonly mode: OutputMode,
    private readonly status: () => RunStatus,
    lagMs = 0,
  ) {
    this.state = new ViewState(lagMs);
    if (mode === 'live') {
      this.out.write(`${CSI}?25l`);
      this.timer = setInterval(() => this.redraw(), REDRAW_MS);
      this.timer.unref();
    }
  }

  result(r: StockResult): void {
    if (this.mode === 'json') {
      this.out.write(`${toJsonLine(r)}\n`);
      return;
    }
    this.show(this.state.accept(r));
    if (this.mode === 'plain' && r.kind === 'dead-letter') this.out.write(`dead letter (${r.source}): ${r.reason}: ${JSON.stringify(r.input)}\n`);
    this.dirty = true;
  }

  watermark(watermark: number): void {
    if (this.mode !== 'json') this.show(this.state.watermark(watermark));
  }

  /**
   * A message that stays (the dashboard's address, a restored checkpoint). Shown under the live
   * view (the last {@link MAX_NOTES}), printed in plain mode, ignored in JSON mode (whose output is
   * data: the caller sends such messages to standard error).
   */
  note(message: string): void {
    if (this.mode === 'live') {
      this.notes.push(message);
      if (this.notes.length > MAX_NOTES) this.notes.shift();
      this.dirty = true;
    } else if (this.mode === 'plain') this.out.write(`${message}\n`);
  }

  /**
   * A log message (the job's lifecycle: started, checkpoint completed, finished). The live view
   * shows the latest one in its status line, each replacing the one before; plain mode prints it.
   */
  log(message: string): void {
    if (this.mode === 'live') {
      this.lastLog = message;
      this.dirty = true;
    } else if (this.mode === 'plain') this.out.write(`${message}\n`);
  }

  /**
   * Shows the final screen and stops redrawing. At the end of the input the windows still open
   * are complete and shown; after a stop (`flushOpen` false) they are partial and are not.
   */
  finish(flushOpen = true): void {
    if (this.finished) return;
    this.finished = true;
    if (this.mode !== 'json' && flushOpen) this.show(this.state.finish());
    if (this.timer) clearInterval(this.timer);
    if (this.mode === 'live') {
      this.dirty = true;
      this.redraw();
      this.out.write(`${CSI}?25h`);
    }
  }

  private show(events: readonly ViewEvent[]): void {
    if (this.mode !== 'plain') {
      if (events.length > 0) this.dirty = true;
      return;
    }
    for (const e of events) {
      if (e.type === 'stats') this.out.write(`${renderTable(e.window, this.state.lastCounts).join('\n')}\n\n`);
      else if (e.type === 'counts') this.out.write(`${renderCounts(e.window)}\n\n`);
      else this.out.write(`correlation ${windowLabel(e.window)}: ${formatCorrelation(e.window.correlation)}\n\n`);
    }
  }

  private redraw(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const width = Math.max(20, (this.out.columns ?? 100) - 1);
    const status = this.status();
    const all = renderScreen(this.state, {
      ...status,
      notes: [...status.notes, ...this.notes],
      ...(this.lastLog !== undefined ? { log: this.lastLog } : {}),
    }).map((l) => (l.length > width ? l.slice(0, width) : l));
    // One line stays free for the cursor; on a short terminal the middle goes, the status line stays.
    const height = Math.max(4, (this.out.rows ?? Number.POSITIVE_INFINITY) - 1);
    const lines = all.length > height ? [...all.slice(0, height - 1), all.at(-1)!] : all;
    const up = this.drawn > 0 ? `${CSI}${this.drawn}F` : '';
    // Each line overwrites the old one and clears its rest (CSI K); what is left below a shorter
    // frame is cleared last (CSI J). Clearing from the top instead would make tmux copy the whole
    // screen into its scrollback on every redraw (it does so for a clear from the home position).
    this.out.write(`${up}${lines.map((l) => `${l}${CSI}K`).join('\n')}\n${CSI}J`);
    this.drawn = lines.length;
  }

  /** Redraws at once (the live view also redraws on a timer). */
  refresh(): void {
    this.dirty = true;
    if (this.mode === 'live') this.redraw();
  }
}
