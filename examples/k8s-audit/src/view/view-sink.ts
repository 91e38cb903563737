/**
 * The sink in front of the terminal. Results accumulate in a {@link ViewState}; a minute is
 * shown once the watermark has passed its end, when every report of that minute has arrived
 * (window results travel ahead of the watermark that fired them).
 *
 * - `live` (a terminal): the screen is redrawn in place with the latest complete minute, the
 *   running totals and the latest log message (job started, checkpoint N completed, warnings),
 *   at most once a second. Each frame clears the screen, so nothing else may write to the
 *   terminal meanwhile: a line written between two frames would be wiped by the next;
 * - `plain` (piped): each complete minute is printed once, in order;
 * - `json`: one JSON object per result, as it comes.
 *
 * Display only, not transactional: after a restart the view goes on from the restored state;
 * the store is what is exactly-once.
 */
import type { Sink, SinkWriter } from '@weir/core';
import { type AuditReport, toJsonLine } from '../pipeline/results.js';
import { hhmm } from './format.js';
import { policyEventLine, renderMinute, statusLine } from './render.js';
import { ViewState } from './view-state.js';

/** How results are shown. @example `const mode: OutputMode = process.stdout.isTTY ? 'live' : 'plain';` */
export type OutputMode = 'live' | 'plain' | 'json';

/** Where text goes. @example `const out: TextOut = process.stdout;` */
export interface TextOut {
  write(text: string): unknown;
}

/**
 * @example
 * ```ts
 * const view = new AuditView(process.stdout, 'plain', 'weir k8s audit', () => '');
 * job.reports.sinkTo(new ViewSink(view));
 * ```
 */
export class AuditView {
  readonly state = new ViewState();
  private shownUpTo = Number.NEGATIVE_INFINITY;
  private lastDraw = 0;
  private lastLog: string | undefined = undefined;

  constructor(
    private readonly out: TextOut,
    readonly mode: OutputMode,
    private readonly title: string,
    private readonly extra: () => string,
  ) {}

  result(r: AuditReport): void {
    if (this.mode === 'json') this.out.write(`${toJsonLine(r)}\n`);
    this.state.add(r);
  }

  watermark(w: number): void {
    if (this.mode === 'json') return;
    const complete = this.state.starts().filter((s) => s + 60_000 - 1 <= w && s > this.shownUpTo);
    if (this.mode === 'plain') for (const s of complete) this.printMinute(s);
    if (complete.length > 0) this.shownUpTo = complete.at(-1)!;
    if (this.mode === 'live' && (complete.length > 0 || Date.now() - this.lastDraw > 1000)) this.draw();
  }

  /**
   * A log message: the live view shows the latest in its status line (each replacing the one
   * before). Other modes leave logs to the caller (standard error).
   */
  log(message: string): void {
    if (this.mode !== 'live') return;
    this.lastLog = message;
    // While no minute completes (no events yet), the view would otherwise not show it.
    if (Date.now() - this.lastDraw > 1000) this.draw();
  }

  /** Prints what is left at the end (the last minutes and the totals). */
  finish(): void {
    if (this.mode === 'json') return;
    if (this.mode === 'plain') {
      for (const s of this.state.starts().filter((x) => x > this.shownUpTo)) this.printMinute(s);
      for (const p of this.state.policyEvents.slice(this.state.policyEventsShown)) this.out.write(`${policyEventLine(p)}\n`);
      this.state.policyEventsShown = this.state.policyEvents.length;
      this.out.write(`${statusLine(this.state, this.extra())}\n`);
    } else this.draw(true); // the last frame ends with the totals and the last log line
  }

  private printMinute(start: number): void {
    const m = this.state.minute(start)!;
    // After the input ends, sliding failure windows still close for four minutes: not worth a block.
    if (m.requests === 0 && m.policy === undefined) return;
    // Each policy change or refusal is printed once, under the first minute printed after it.
    const events = this.state.policyEvents.slice(this.state.policyEventsShown);
    this.state.policyEventsShown = this.state.policyEvents.length;
    this.out.write(`${renderMinute(this.state, m, events).join('\n')}\n\n`);
    this.state.forgetBefore(start - 10 * 60_000);
  }

  private draw(all = false): void {
    this.lastDraw = Date.now();
    const m = this.state.minute(this.shownUpTo) ?? (all ? this.state.minute(this.state.starts().at(-1) ?? 0) : undefined);
    const lines = [
      this.title,
      '',
      ...(m ? renderMinute(this.state, m, this.state.policyEvents.slice(-3)) : ['(waiting for the first complete minute of events)']),
      '',
      statusLine(this.state, this.extra()),
      ...(this.lastLog !== undefined ? [`log: ${this.lastLog}`] : []),
    ];
    this.out.write(`\x1b[H\x1b[2J${lines.join('\n')}\n`);
    if (m) this.state.forgetBefore(m.start - 10 * 60_000);
  }
}

/**
 * @example
 * ```ts
 * job.reports.sinkTo(new ViewSink(view)).name('terminal');
 * ```
 */
export class ViewSink implements Sink<AuditReport> {
  readonly name = 'Terminal';
  constructor(private readonly view: AuditView) {}
  createWriter(): SinkWriter<AuditReport> {
    return {
      write: (value) => this.view.result(value),
      writeWatermark: (w) => this.view.watermark(w),
    };
  }
}

